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
//! State discipline: the app state is used only inside `with_app`, which
//! takes it out of its cell for the call and puts it back after; anything that
//! can run page code (publishing, activating scripts) happens after that, so
//! a listener that calls back into the API finds the state in place. A call
//! cut short (a JS exception thrown through it, or a trap: neither runs Rust
//! destructors) leaves the state out, and every later call says so with a
//! `console.error` and does nothing (nothing new is stored or granted).

use std::cell::{Cell, RefCell};

use js_sys::Function;
use wasm_bindgen::prelude::*;

use crate::browser::convert::record_to_js;
use crate::browser::ui::{self, Ui, UiAction};
use crate::browser::{declaration, dom, signals, storage};
use crate::model::category::Category;
use crate::model::codec;
use crate::model::config::{Config, Diagnostic};
use crate::model::crawler;
use crate::model::decision::{self, Action, Context, Key};
use crate::model::i18n::{choose_language, TextKey, Texts, BUILT_IN};
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

/// Where the app state is between calls.
enum State {
    /// [`start`] has not run (or failed): calls do nothing.
    NotStarted,
    /// Started, and no call is running.
    Ready(Box<App>),
    /// A call has taken the state out: it is running, or it was cut short.
    Busy,
}

thread_local! {
    // A `Cell`, never borrowed: the state is moved out and back, so no borrow
    // flag can be left set by a call that never returns.
    static APP: Cell<State> = const { Cell::new(State::NotStarted) };
}

/// Runs `f` on the app state, for the API call `name`; `None` when there is
/// none. The state is out of its cell while `f` runs and goes back after, so a
/// call that never returns (a JS exception thrown through `f`, a trap) leaves
/// it out for good: later calls (or a page listener calling back into the API
/// from inside `f`) find it busy, report that with a `console.error` naming
/// the call, and do nothing.
fn with_app<T>(name: &str, f: impl FnOnce(&mut App) -> T) -> Option<T> {
    let mut app = take_app(name)?;
    let out = f(&mut app);
    APP.with(|a| a.set(State::Ready(app)));
    Some(out)
}

/// Takes the app state out for the call `name` (the part of [`with_app`]
/// that is the same for every call, so it is in the module once).
#[inline(never)]
fn take_app(name: &str) -> Option<Box<App>> {
    match APP.with(|a| a.replace(State::Busy)) {
        State::Ready(app) => Some(app),
        State::NotStarted => {
            APP.with(|a| a.set(State::NotStarted));
            None
        }
        State::Busy => {
            let mut line = String::from(name);
            line.push_str("() ignored: inside another call, or an earlier one threw");
            dom::error(&line);
            None
        }
    }
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
    /// The config [`configure`] read and the language it chose, until [`start`],
    /// with the entry's `report` for the language file's problems.
    static CONFIGURED: RefCell<Option<(Config, String, Function)>> = const { RefCell::new(None) };
}

/// Reads and checks the page's config (the browser's `JSON.parse` result in
/// the binary form of [`Value::from_bytes`]), hands every problem to
/// `report(text)` in the compact form of [`Diagnostic::compact`] (the entry
/// words and prints them; no English ships in this module), and chooses the
/// language. Returns the language file the loader should fetch before
/// [`start`]: the chosen language's tag when it is built in and not English,
/// else `undefined`. When the config is not an object it reports only that,
/// and [`start`] then throws (the loader fails closed).
#[wasm_bindgen]
pub fn configure(config: &[u8], report: Function) -> Result<Option<String>, JsValue> {
    let value = Value::from_bytes(config).ok_or_else(|| js_error("the config cannot be read"))?;
    let (config, diagnostics) = match Config::from_value(&value) {
        Ok(read) => read,
        Err(d) => {
            tell(&report, &[d]);
            return Ok(None);
        }
    };
    tell(&report, &diagnostics);
    let language = pick_language(&config);
    let file =
        (language != "en" && BUILT_IN.contains(&language.as_str())).then(|| language.clone());
    CONFIGURED.with(|c| *c.borrow_mut() = Some((config, language, report)));
    Ok(file)
}

/// Starts the banner module with the config [`configure`] read: reads the
/// stored decision and renders the UI. `publish(kind, assumed)` tells the
/// loader the stored decision changed (the core module then re-reads it and
/// runs what it now allows); `texts` is the chosen language's file (binary
/// form) when [`configure`] asked for one; `region` is the loader tag's
/// `data-region`, if any. Returns the texts of a blocked embed's placeholder
/// (`placeholderTitle`, `placeholderText`, `loadOnce`, `alwaysAllow`, each
/// followed by NUL) for the placeholder script, which draws them only on a
/// page that has one. `on` is this module's [`ui_event`], which the banner's
/// listeners call. A second call is ignored (and returns "").
#[wasm_bindgen]
pub fn start(
    publish: Function,
    texts: Option<Vec<u8>>,
    region: Option<String>,
    on: Function,
) -> Result<String, JsValue> {
    if !APP.with(|a| {
        let state = a.replace(State::NotStarted);
        let fresh = matches!(state, State::NotStarted);
        a.set(state);
        fresh
    }) {
        return Ok(String::new());
    }
    let (config, mut language, report) = CONFIGURED
        .with(|c| c.borrow_mut().take())
        .ok_or_else(|| js_error("no usable config"))?;
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
    tell(&report, &file_diagnostics);
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
    let signal = signals::gpc();
    let gpc = config.gpc && signal;
    // A crawler gets what an "off" region gets, and no UI at all.
    let crawler = config.hide_from_bots && crawler::is_crawler(&dom::user_agent());
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
        Ui::mount(&config, &texts, &language, gpc, mode == Mode::OptOut, &on)
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
    APP.with(|a| a.set(State::Ready(Box::new(app))));
    let _ = publish.call2(&JsValue::NULL, &JsValue::from(LOADED), &assumed);
    Ok(placeholder_texts)
}

/// Hands config (and language file) problems to the entry's `report`, each
/// as [`Diagnostic::compact`] text: its code, arguments and path.
fn tell(report: &Function, diagnostics: &[Diagnostic]) {
    for d in diagnostics {
        let _ = report.call1(&JsValue::NULL, &JsValue::from_str(&d.compact()));
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

/// A click on a banner or dialog button (`action`: its `data-action`) or a
/// switch change (`action` ""), from the listeners `build.js` wires (the
/// entry hands this to [`start`]; not part of the page's API).
#[wasm_bindgen(js_name = uiEvent)]
pub fn ui_event(action: &str, target: web_sys::Element) {
    if let Some(action) = ui::event(action, &target) {
        on_ui_action(action);
    }
}

fn on_ui_action(action: UiAction) {
    match action {
        UiAction::AcceptAll => decide("acceptAll", Action::AcceptAll),
        UiAction::RejectAll => decide("rejectAll", Action::RejectAll),
        UiAction::DoNotSell => decide(
            "doNotSell",
            Action::Set(vec![(Key::Category(Category::Marketing), false)]),
        ),
        UiAction::Save(choices) => decide("set", Action::Set(choices)),
        UiAction::OpenPreferences => show_preferences(),
    }
}

/// Applies a decision: store it, close the UI, log it, clean up after a
/// withdrawal, then (outside the borrow) tell the loader, which publishes it,
/// runs what it now allows and tells the other tabs.
fn decide(name: &str, action: Action) {
    let done = with_app(name, |app| {
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
        dom::reload();
    }
}

/// The consent-log payload: `{ record, configRevision, url, userAgent }` as JSON.
fn log_entry(record_js: &JsValue, revision: u32) -> String {
    let o = js_sys::Object::new();
    dom::put(&o, "record", record_js);
    dom::put(&o, "configRevision", &JsValue::from(revision));
    dom::put(&o, "url", &JsValue::from_str(&dom::page_url()));
    dom::put(&o, "userAgent", &JsValue::from_str(&dom::user_agent()));
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
    with_app("refresh", |app| {
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
    decide("acceptAll", Action::AcceptAll);
}

/// Refuses every optional category.
#[wasm_bindgen(js_name = rejectAll)]
pub fn reject_all() {
    decide("rejectAll", Action::RejectAll);
}

/// Decides some categories or services: `set({ performance: true })`, the
/// argument's own properties in the binary form of [`Value::from_bytes`].
/// The loader has already checked its shape (an object of booleans) and
/// thrown its own `TypeError` otherwise; here a name that is no category or
/// configured service, or refusing essential, throws a `TypeError` naming
/// the argument, and nothing is stored then.
#[wasm_bindgen]
pub fn set(choices: &[u8]) -> Result<(), JsValue> {
    // Only the loader calls this, with what its own checks let through.
    let Some(Value::Object(members)) = Value::from_bytes(choices) else {
        return Err(js_error("set(): unchecked choices"));
    };
    let parsed = with_app("set", |app| decision::parse_choices(&members, &app.config));
    match parsed {
        Some(Ok(keys)) => decide("set", Action::Set(keys)),
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
    with_app("showBanner", |app| {
        if let Some(ui) = &app.ui {
            ui.show_banner(true);
        }
    });
}

/// Opens the preferences dialog with the current choices.
#[wasm_bindgen(js_name = showPreferences)]
pub fn show_preferences() {
    with_app("showPreferences", |app| {
        if let Some(ui) = &app.ui {
            let categories = view::dialog(&app.config, &app.texts, app.shown());
            ui.open_preferences(&categories, &app.texts);
        }
    });
}

/// Hides the banner and closes the dialog.
#[wasm_bindgen]
pub fn hide() {
    with_app("hide", |app| {
        if let Some(ui) = &app.ui {
            ui.show_banner(false);
            ui.close_preferences();
        }
    });
}

/// Forgets the decision (cookie and mirror) and shows the banner again.
#[wasm_bindgen]
pub fn reset() {
    let publish = with_app("reset", |app| {
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

#[cfg(test)]
mod tests {
    //! Browser-layer tests of the state discipline (run with the others by
    //! wasm-bindgen-test-runner in headless Chromium).

    //! (`run_in_browser` is configured once for the crate, in src/browser/tests.rs.)

    use super::*;
    use wasm_bindgen_test::*;

    /// What `console.error` logged while a [`Captured`] lived; dropping it
    /// restores `console.error` and the not-started state.
    struct Captured {
        errors: js_sys::Array,
        console: JsValue,
        original: JsValue,
    }

    impl Drop for Captured {
        fn drop(&mut self) {
            let _ = js_sys::Reflect::set(&self.console, &"error".into(), &self.original);
            APP.with(|a| a.set(State::NotStarted));
        }
    }

    impl Captured {
        fn lines(&self) -> Vec<String> {
            self.errors.iter().filter_map(|m| m.as_string()).collect()
        }
    }

    /// A started app with no UI, and `console.error` captured.
    fn started() -> Captured {
        let errors = js_sys::Array::new();
        let record = errors.clone();
        let capture = Closure::<dyn Fn(JsValue)>::new(move |m: JsValue| {
            record.push(&m);
        });
        let console = js_sys::Reflect::get(&dom::window(), &"console".into()).unwrap();
        let original = js_sys::Reflect::get(&console, &"error".into()).unwrap();
        js_sys::Reflect::set(&console, &"error".into(), capture.as_ref()).unwrap();
        capture.forget();
        APP.with(|a| {
            a.set(State::Ready(Box::new(App {
                config: Config::default(),
                texts: Texts::english(),
                record: None,
                ui: None,
                publish: Function::new_no_args(""),
                gpc: false,
                mode: Mode::OptIn,
                assumed: None,
            })))
        });
        Captured {
            errors,
            console,
            original,
        }
    }

    #[wasm_bindgen_test]
    fn a_call_puts_the_state_back() {
        let errors = started();
        assert_eq!(with_app("hide", |app| app.config.revision), Some(1));
        assert_eq!(with_app("hide", |app| app.config.revision), Some(1));
        assert!(errors.lines().is_empty());
    }

    #[wasm_bindgen_test]
    fn a_call_from_inside_a_call_is_refused_loudly() {
        let errors = started();
        let inner = with_app("acceptAll", |_| with_app("hide", |_| ()));
        assert_eq!(inner, Some(None), "the inner call did nothing");
        let lines = errors.lines();
        assert_eq!(lines.len(), 1, "{lines:?}");
        assert!(
            lines[0].starts_with("Consent Gate: hide() ignored"),
            "{}",
            lines[0]
        );
        assert_eq!(
            with_app("hide", |_| 7),
            Some(7),
            "the outer call put the state back"
        );
    }

    #[wasm_bindgen_test]
    fn a_js_exception_thrown_through_a_call_leaves_it_busy_and_loud() {
        let errors = started();
        // A JS exception thrown from inside the call (as a page script
        // replacing a DOM method could) unwinds past `with_app` without
        // running any Rust code after it.
        let call = Closure::<dyn Fn()>::new(|| {
            with_app("showPreferences", |_| {
                wasm_bindgen::throw_str("page code threw")
            });
        });
        let run = Function::new_with_args(
            "f",
            "try { f(); return 'returned'; } catch (e) { return String(e); }",
        );
        let outcome = run.call1(&JsValue::NULL, call.as_ref()).unwrap();
        assert_eq!(
            outcome.as_string().as_deref(),
            Some("Error: page code threw")
        );
        assert_eq!(with_app("hide", |_| ()), None, "the state is still out");
        let lines = errors.lines();
        assert_eq!(lines.len(), 1, "{lines:?}");
        assert!(
            lines[0].starts_with("Consent Gate: hide() ignored"),
            "{}",
            lines[0]
        );
    }

    #[wasm_bindgen_test]
    fn after_a_call_cut_short_every_call_says_so() {
        let errors = started();
        // What a JS exception thrown through `f`, or a trap, leaves behind:
        // the state taken out and never put back.
        APP.with(|a| a.set(State::Busy));
        accept_all();
        reset();
        let lines = errors.lines();
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(
            lines[0].starts_with("Consent Gate: acceptAll() ignored"),
            "{}",
            lines[0]
        );
        assert!(
            lines[1].starts_with("Consent Gate: reset() ignored"),
            "{}",
            lines[1]
        );
        assert_eq!(
            crate::browser::storage::read_cookie("consent_gate"),
            None,
            "nothing was stored"
        );
    }
}
