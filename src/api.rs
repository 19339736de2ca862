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
use crate::model::config::{Config, Diagnostic, Severity};
use crate::model::decision::{self, Action, Context};
use crate::model::i18n::{choose_language, TextKey, Texts, BUILT_IN};
use crate::model::record::Record;
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
}

impl App {
    /// Re-renders cookie declarations on the page with the current choices.
    fn refresh_declaration(&self) {
        let categories = view::dialog(&self.config, &self.texts, self.record.as_ref());
        declaration::render(&categories, &self.texts, self.record.is_some());
    }
}

thread_local! {
    static APP: RefCell<Option<App>> = const { RefCell::new(None) };
}

fn with_app<T>(f: impl FnOnce(&mut App) -> T) -> Option<T> {
    APP.with(|a| a.try_borrow_mut().ok()?.as_mut().map(f))
}

/// `publish(kind)` kinds understood by the loader, which then re-reads the
/// cookie through the core module (the one source of what is granted).
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
/// stored decision and renders the UI. `publish(kind)` tells the loader the
/// stored decision changed (the core module then re-reads it and runs what
/// it now allows); `texts` is the chosen language's file (binary form) when
/// [`configure`] asked for one. Returns the texts of a blocked embed's
/// placeholder (`placeholderTitle`, `placeholderText`, `loadOnce`,
/// `alwaysAllow`, each followed by NUL) for the placeholder script, which draws
/// them only on a page that has one. A second call is ignored (and returns "").
#[wasm_bindgen]
pub fn start(publish: Function, texts: Option<Vec<u8>>) -> Result<String, JsValue> {
    if APP.with(|a| a.borrow().is_some()) {
        return Ok(String::new());
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
    // Each followed by a NUL (a loop: `join` would add its own machinery).
    let mut placeholder_texts = String::new();
    for k in [
        TextKey::PlaceholderTitle,
        TextKey::PlaceholderText,
        TextKey::LoadOnce,
        TextKey::AlwaysAllow,
    ] {
        placeholder_texts.push_str(texts.get(k));
        placeholder_texts.push('\0');
    }
    let gpc = config.gpc && signals::gpc();
    let record = storage::load(&config, dom::now());
    let ui = Ui::mount(&config, &texts, &language, gpc, Rc::new(on_ui_action));
    declaration::render(
        &view::dialog(&config, &texts, record.as_ref()),
        &texts,
        record.is_some(),
    );
    // In a frame of a page that runs Consent Gate itself, that page asks: one
    // banner (the decision reaches this frame through the shared cookie).
    if let (Some(ui), false) = (&ui, signals::framed_by_gate()) {
        ui.show_banner(record.is_none());
    }
    APP.with(|a| {
        *a.borrow_mut() = Some(App {
            config,
            texts,
            record,
            ui,
            publish: publish.clone(),
            gpc,
        })
    });
    let _ = publish.call1(&JsValue::NULL, &JsValue::from(LOADED));
    Ok(placeholder_texts)
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
    let _ = publish.call1(
        &JsValue::NULL,
        &JsValue::from(if first { FIRST } else { CHANGED }),
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
            ui.show_banner(app.record.is_none());
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

/// Every name `data-category` accepts, a group per category (its id, then
/// its aliases, space-separated), groups separated by `,`: for the banner
/// module's hints about gated markup and its placeholders.
#[wasm_bindgen(js_name = categoryNames)]
pub fn category_names() -> String {
    let mut names = String::new();
    for c in Category::ALL {
        if !names.is_empty() {
            names.push(',');
        }
        names.push_str(c.as_str());
        for name in c.aliases() {
            names.push(' ');
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
            let categories = view::dialog(&app.config, &app.texts, app.record.as_ref());
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
        if let Some(ui) = &app.ui {
            ui.close_preferences();
            ui.show_banner(true);
        }
        app.refresh_declaration();
        app.publish.clone()
    });
    if let Some(publish) = publish {
        let _ = publish.call1(&JsValue::NULL, &JsValue::from(FORGOTTEN));
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
