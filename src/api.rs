//! The JavaScript boundary: every `#[wasm_bindgen]` export, and nothing else.
//!
//! This is the banner module (`consent-gate-ui.wasm`, the `ui` feature). The
//! loader (`pkg-template/consent-gate.js`) owns `window.ConsentGate` and runs
//! the core module (`src/core_abi.rs`), which answers `accepted()`/`get()` and
//! runs gated elements; it starts this module only when the banner, the
//! dialog or a decision is needed, and calls [`start`] once with the page's
//! config and a `publish(kind)` callback. Model errors become JS errors in
//! [`type_error`] only.
//!
//! Borrow discipline: the app state is borrowed only inside `with_app`, and
//! anything that can run page code (publishing, activating scripts) happens
//! after the borrow ends, so a listener that calls back into the API is safe.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::Function;
use wasm_bindgen::prelude::*;

use crate::browser::convert::record_to_js;
use crate::browser::ui::{Ui, UiAction};
use crate::browser::{declaration, dom, signals, storage};
use crate::model::category::Category;
use crate::model::codec;
use crate::model::config::{Config, Diagnostic, Severity};
use crate::model::crawler;
use crate::model::decision::{self, Action, Context, Key};
use crate::model::i18n::{choose_language, Texts, BUILT_IN};
use crate::model::record::Record;
use crate::model::region::{self, Mode};
use crate::model::value::Value;
use crate::model::view;

/// Everything the running module knows.
struct App {
    config: Config,
    texts: Texts,
    record: Option<Record>,
    ui: Option<Ui>,
    publish: Function,
    gpc: bool,
    /// The banner mode for this visitor: the region's, or `Off` for a crawler.
    mode: Mode,
    /// In an opt-out region, what an undecided visitor is granted meanwhile.
    assumed: Option<Record>,
}

impl App {
    /// The decision in force, or what an undecided visitor in an opt-out
    /// region starts with: what the dialog and the declaration show.
    fn shown(&self) -> Option<&Record> {
        self.record.as_ref().or(self.assumed.as_ref())
    }

    /// Whether the first layer shows by itself while the visitor is undecided
    /// (not for crawlers, not in an `"off"` region).
    fn asks(&self) -> bool {
        self.mode != Mode::Off
    }

    /// The cookie value the loader grants from while nothing is stored: the
    /// opt-out region's provisional grants, else "" (nothing optional).
    fn assumed_value(&self) -> JsValue {
        match (&self.record, &self.assumed) {
            (None, Some(r)) => JsValue::from_str(&codec::encode(r)),
            _ => JsValue::from_str(""),
        }
    }

    /// Re-renders cookie declarations on the page with the current choices.
    fn refresh_declaration(&self) {
        let categories = view::dialog(&self.config, &self.texts, self.shown());
        declaration::render(&categories, &self.texts, self.record.is_some());
    }
}

thread_local! {
    static APP: RefCell<Option<App>> = const { RefCell::new(None) };
}

fn with_app<T>(f: impl FnOnce(&mut App) -> T) -> Option<T> {
    APP.with(|a| a.try_borrow_mut().ok()?.as_mut().map(f))
}

/// `publish(kind, assumed)` kinds understood by the loader, which then
/// re-reads the cookie through the core module (the one source of what is
/// granted). `assumed` is a cookie value the loader grants from while no
/// cookie is stored (an opt-out region's provisional grants; `get()` stays
/// `null`), or "".
const LOADED: u32 = 0;
const FIRST: u32 = 1;
const CHANGED: u32 = 2;
const FORGOTTEN: u32 = 3;

thread_local! {
    /// The config [`configure`] read and the language it chose, until [`start`].
    static CONFIGURED: RefCell<Option<(Config, String)>> = const { RefCell::new(None) };
}

/// Reads and checks the page's config (the browser's `JSON.parse` result in
/// the binary form of [`Value::from_bytes`]), reports every problem with its
/// path, and chooses the language. Returns the language file the loader
/// should fetch before [`start`]: the chosen language's tag when it is built
/// in and not English, else `undefined`. Throws (and the loader fails closed)
/// only when the config is not an object.
#[wasm_bindgen]
pub fn configure(config: &[u8]) -> Result<Option<String>, JsValue> {
    let value = Value::from_bytes(config).ok_or_else(|| js_error("the config cannot be read"))?;
    let (config, diagnostics) = Config::from_value(&value).map_err(|d| js_error(&d.message))?;
    report(&diagnostics);
    let language = pick_language(&config);
    let file =
        (language != "en" && BUILT_IN.contains(&language.as_str())).then(|| language.clone());
    CONFIGURED.with(|c| *c.borrow_mut() = Some((config, language)));
    Ok(file)
}

/// Starts the banner module with the config [`configure`] read: reads the
/// stored decision and renders the UI. `publish(kind, assumed)` tells the
/// loader the stored decision changed (the core module then re-reads it and
/// runs what it now allows); `texts` is the chosen language's file (binary
/// form) when [`configure`] asked for one; `region` is the loader tag's
/// `data-region`, if any. A second call is ignored.
#[wasm_bindgen]
pub fn start(
    publish: Function,
    texts: Option<Vec<u8>>,
    region: Option<String>,
) -> Result<(), JsValue> {
    if APP.with(|a| a.borrow().is_some()) {
        return Ok(());
    }
    let (config, mut language) = CONFIGURED
        .with(|c| c.borrow_mut().take())
        .ok_or_else(|| js_error("start() before configure()"))?;
    let file = texts.as_deref().and_then(Value::from_bytes);
    if texts.is_some() && file.is_none() {
        dom::error("the language file cannot be read; showing English");
    }
    if file.is_none() && language != "en" && BUILT_IN.contains(&language.as_str()) {
        // Its file could not be loaded or read: show English.
        language = String::from("en");
    }
    let mut file_diagnostics = Vec::new();
    let texts = texts_for(&config, &language, file.as_ref(), &mut file_diagnostics);
    report(&file_diagnostics);
    let signal = signals::gpc();
    let gpc = config.gpc && signal;
    // A crawler gets what an "off" region gets, and no UI at all.
    let crawler = config.hide_from_bots && crawler::is_crawler(&signals::user_agent());
    let mode = if crawler {
        Mode::Off
    } else {
        region::mode_for(&config.regions, region.as_deref())
    };
    let now = dom::now();
    let record = storage::load(&config, now);
    let assumed = (mode == Mode::OptOut).then(|| decision::provisional(&config, now, signal));
    if record.is_none() && assumed.is_some() && storage::read_cookie(&config.cookie.name).is_some()
    {
        // A void cookie (expired, outdated, damaged) would hide the provisional
        // grants from the loader: it means "no decision" anyway.
        storage::forget(&config);
    }
    let ui = if crawler {
        None
    } else {
        Ui::mount(
            &config,
            &texts,
            &language,
            gpc,
            mode == Mode::OptOut,
            Rc::new(on_ui_action),
        )
    };
    let app = App {
        config,
        texts,
        record,
        ui,
        publish: publish.clone(),
        gpc,
        mode,
        assumed,
    };
    app.refresh_declaration();
    // In a frame of a page that runs Consent Gate itself, that page asks: one
    // banner (the decision reaches this frame through the shared cookie).
    if let (Some(ui), false) = (&app.ui, signals::framed_by_gate()) {
        ui.show_banner(app.record.is_none() && app.asks());
    }
    let assumed = app.assumed_value();
    APP.with(|a| *a.borrow_mut() = Some(app));
    let _ = publish.call2(&JsValue::NULL, &JsValue::from(LOADED), &assumed);
    Ok(())
}

/// Reports config (and language file) problems: warnings for unknown keys,
/// errors for bad values, each naming its path.
fn report(diagnostics: &[Diagnostic]) {
    for d in diagnostics {
        let mut line = String::with_capacity(d.path.len() + d.message.len() + 12);
        line.push_str("config `");
        line.push_str(&d.path);
        line.push_str("`: ");
        line.push_str(&d.message);
        match d.severity {
            Severity::Warning => dom::warn(&line),
            Severity::Error => dom::error(&line),
        }
    }
}

fn pick_language(config: &Config) -> String {
    let mut available: Vec<&str> = BUILT_IN.to_vec();
    for (lang, _) in &config.texts {
        available.push(lang);
    }
    choose_language(
        &config.language,
        signals::page_language().as_deref(),
        &signals::preferred_languages(),
        &available,
    )
}

/// Built-in English, overlaid with the language file (if any), then with the
/// config's `texts` for the chosen language.
fn texts_for(
    config: &Config,
    language: &str,
    file: Option<&Value>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Texts {
    let mut texts = Texts::english();
    if let Some(file) = file {
        texts = Texts::from_value(texts, file, "lang", diagnostics);
    }
    for (lang, overrides) in &config.texts {
        if lang == language {
            for (key, s) in overrides {
                texts.set(*key, s.clone());
            }
        }
    }
    texts
}

fn on_ui_action(action: UiAction) {
    match action {
        UiAction::AcceptAll => decide(Action::AcceptAll),
        UiAction::RejectAll => decide(Action::RejectAll),
        UiAction::DoNotSell => decide(Action::Set(vec![(
            Key::Category(Category::Marketing),
            false,
        )])),
        UiAction::Save(choices) => decide(Action::Set(choices)),
        UiAction::OpenPreferences => show_preferences(),
    }
}

/// Applies a decision: store it, close the UI, log it, clean up after a
/// withdrawal, then (outside the borrow) tell the loader, which publishes it,
/// runs what it now allows and tells the other tabs.
fn decide(action: Action) {
    let done = with_app(|app| {
        let now = dom::now();
        let id = dom::random_id();
        let previous = app
            .record
            .as_ref()
            .filter(|r| r.is_valid(app.config.revision, now));
        let context = Context {
            config: &app.config,
            now,
            new_id: &id,
            gpc_signal: app.gpc,
            opt_out: app.mode == Mode::OptOut,
        };
        let outcome = decision::decide(previous, &action, &context);
        let record_js = record_to_js(&outcome.record);
        storage::save(&app.config, &outcome.record, &record_js);
        app.record = Some(outcome.record.clone());
        if let Some(ui) = &app.ui {
            ui.show_banner(false);
            ui.close_preferences();
        }
        app.refresh_declaration();
        let withdrew = !outcome.withdrawn.is_empty() || !outcome.withdrawn_services.is_empty();
        if withdrew {
            storage::clean_up(&app.config, &outcome.withdrawn, &outcome.withdrawn_services);
        }
        if let Some(url) = app.config.consent_log.as_deref() {
            signals::send_log(url, &log_entry(&record_js, app.config.revision));
        }
        let reload = withdrew && app.config.reload_on_withdraw;
        (outcome.first, app.publish.clone(), reload)
    });
    let Some((first, publish, reload)) = done else {
        return;
    };
    // Nothing assumed once the visitor has acted: if the cookie could not be
    // stored, nothing optional is granted.
    let _ = publish.call2(
        &JsValue::NULL,
        &JsValue::from(if first { FIRST } else { CHANGED }),
        &JsValue::from_str(""),
    );
    if reload {
        // Scripts that already ran cannot be unloaded: start the page afresh.
        let _ = dom::window().location().reload();
    }
}

/// The consent-log payload: `{ record, configRevision, url, userAgent }` as JSON.
fn log_entry(record_js: &JsValue, revision: u32) -> String {
    let o = js_sys::Object::new();
    dom::put(&o, "record", record_js);
    dom::put(&o, "configRevision", &JsValue::from(revision));
    dom::put(&o, "url", &JsValue::from_str(&signals::page_url()));
    dom::put(&o, "userAgent", &JsValue::from_str(&signals::user_agent()));
    js_sys::JSON::stringify(&o)
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_default()
}

/// The stored decision may have changed elsewhere (another tab, the page
/// restored from the back/forward cache): re-read it and show its state. The
/// loader publishes it and reloads the page after a withdrawal.
#[wasm_bindgen]
pub fn refresh() {
    with_app(|app| {
        let record = storage::load(&app.config, dom::now());
        if record == app.record {
            return;
        }
        app.record = record;
        if let Some(ui) = &app.ui {
            ui.close_preferences();
            ui.show_banner(app.record.is_none() && app.asks());
        }
        app.refresh_declaration();
    });
}

/// Grants every category (under Global Privacy Control, all but marketing).
#[wasm_bindgen(js_name = acceptAll)]
pub fn accept_all() {
    decide(Action::AcceptAll);
}

/// Refuses every optional category.
#[wasm_bindgen(js_name = rejectAll)]
pub fn reject_all() {
    decide(Action::RejectAll);
}

/// Decides some categories or services: `set({ performance: true })`, the
/// argument's own properties in the binary form of [`Value::from_bytes`].
/// Throws a `TypeError` naming the bad argument; nothing is stored then.
#[wasm_bindgen]
pub fn set(choices: &[u8]) -> Result<(), JsValue> {
    let value = Value::from_bytes(choices).unwrap_or(Value::Null);
    let parsed = with_app(|app| decision::parse_choices(&value, &app.config));
    match parsed {
        Some(Ok(keys)) => decide(Action::Set(keys)),
        Some(Err(e)) => return Err(type_error(&e.argument, &e.message)),
        None => {}
    }
    Ok(())
}

/// Every name `data-category` accepts (ids and aliases), space-separated:
/// for the banner module's hints about gated markup that names none.
#[wasm_bindgen(js_name = categoryNames)]
pub fn category_names() -> String {
    let mut names = String::new();
    for c in Category::ALL {
        for name in core::iter::once(c.as_str()).chain(c.aliases().iter().copied()) {
            if !names.is_empty() {
                names.push(' ');
            }
            names.push_str(name);
        }
    }
    names
}

/// Shows the first layer, decided or not.
#[wasm_bindgen(js_name = showBanner)]
pub fn show_banner() {
    with_app(|app| {
        if let Some(ui) = &app.ui {
            ui.show_banner(true);
        }
    });
}

/// Opens the preferences dialog with the current choices.
#[wasm_bindgen(js_name = showPreferences)]
pub fn show_preferences() {
    with_app(|app| {
        if let Some(ui) = &app.ui {
            let categories = view::dialog(&app.config, &app.texts, app.shown());
            ui.open_preferences(&categories, &app.texts);
        }
    });
}

/// Hides the banner and closes the dialog.
#[wasm_bindgen]
pub fn hide() {
    with_app(|app| {
        if let Some(ui) = &app.ui {
            ui.show_banner(false);
            ui.close_preferences();
        }
    });
}

/// Forgets the decision (cookie and mirror) and shows the banner again.
#[wasm_bindgen]
pub fn reset() {
    let publish = with_app(|app| {
        storage::forget(&app.config);
        app.record = None;
        if app.assumed.is_some() {
            app.assumed = Some(decision::provisional(
                &app.config,
                dom::now(),
                signals::gpc(),
            ));
        }
        if let Some(ui) = &app.ui {
            ui.close_preferences();
            ui.show_banner(true);
        }
        app.refresh_declaration();
        (app.publish.clone(), app.assumed_value())
    });
    if let Some((publish, assumed)) = publish {
        let _ = publish.call2(&JsValue::NULL, &JsValue::from(FORGOTTEN), &assumed);
    }
}

/// The one place a model error becomes a JS `TypeError`:
/// "ConsentGate: `choices.essential` essential cannot be refused".
fn type_error(argument: &str, message: &str) -> JsValue {
    js_sys::TypeError::new(&message_for(argument, message)).into()
}

fn js_error(message: &str) -> JsValue {
    js_sys::Error::new(message).into()
}

fn message_for(argument: &str, message: &str) -> String {
    let mut s = String::with_capacity(argument.len() + message.len() + 16);
    s.push_str("ConsentGate: `");
    s.push_str(argument);
    s.push_str("` ");
    s.push_str(message);
    s
}
