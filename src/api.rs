//! The JavaScript boundary: every export of the banner module, and nothing else.
//!
//! This is the banner module (`consent-gate-ui.wasm`, the `ui` feature). The
//! loader (`pkg-template/consent-gate.js`) owns `window.ConsentGate` and runs
//! the core module (`src/core_abi.rs`), which answers `accepted()`/`get()` and
//! runs gated elements; it starts this module (through its entry,
//! `src/browser/boot.mjs`) only when the banner, the dialog or a decision is
//! needed. Like the core, the module has no wasm-bindgen and no standard
//! library: the exports take and return numbers, inputs arrive in the inbox
//! ([`crate::browser::js`]) and every effect is a call of its one import.
//! Model errors become the text of a JS `TypeError` in [`message_for`] only.
//!
//! State discipline: the app state is used only inside `with_app`, which
//! takes it out of its cell for the call and puts it back after; anything that
//! can run page code (publishing) happens after that, so a listener that calls
//! back into the API finds the state in place. A call cut short (a JS
//! exception thrown through it, or a trap: neither runs Rust destructors)
//! leaves the state out, and every later call says so with a
//! `console.error` and does nothing (nothing new is stored or granted).

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use crate::browser::declaration;
use crate::browser::env::{self, Env};
use crate::browser::js::{self, Op};
use crate::browser::storage;
use crate::browser::ui::{self, Ui, UiAction};
use crate::local::Local;
use crate::model::category::Category;
use crate::model::codec;
use crate::model::config::{Config, Diagnostic};
use crate::model::crawler;
use crate::model::decision::{self, Action, Context, Key};
use crate::model::diagnostic::NOT_AN_OBJECT;
use crate::model::hints;
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
    env: Env,
    /// Global Privacy Control, where the config honours it.
    gpc: bool,
    /// The banner mode for this visitor: the region's, or `Off` for a crawler.
    mode: Mode,
    /// In an opt-out region, what an undecided visitor is granted meanwhile.
    assumed: Option<Record>,
    /// What the loader said at the start: its core had found a valid
    /// decision. The first layer is shown by it until [`cg_after_banner`]
    /// has read the stored decision itself.
    decided_at_start: bool,
    /// The config as the page gave it, until [`cg_after_banner`] reads all
    /// of it ([`Config::from_value`]; the start read only the banner's keys);
    /// then `Null`.
    given: Value,
    /// The language file's problems (a damaged copy), reported with the
    /// config's by [`cg_after_banner`].
    file_problems: Vec<Diagnostic>,
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
    fn assumed_value(&self) -> String {
        match (&self.record, &self.assumed) {
            (None, Some(r)) => codec::encode(r),
            _ => String::new(),
        }
    }

    /// What a decision taken now (`now`, Unix seconds; `new_id`, a fresh
    /// random id) is decided from: [`decide`] and [`cg_warm`] take it here, so
    /// that the warm-up runs the same rules as the click.
    fn context<'a>(&'a self, now: u64, new_id: &'a str) -> Context<'a> {
        Context {
            config: &self.config,
            now,
            new_id,
            gpc_signal: self.gpc,
            opt_out: self.mode == Mode::OptOut,
        }
    }

    /// Re-renders cookie declarations on the page with the current choices.
    fn refresh_declaration(&self) {
        // (The view is built only for a page that has one: most have none.)
        if !declaration::present() {
            return;
        }
        let categories = view::dialog(&self.config, &self.texts, self.shown());
        declaration::render(&categories, &self.texts, self.record.is_some());
    }
}

/// Where the app state is between calls.
enum State {
    /// [`cg_start`] has not run (or failed): calls do nothing.
    NotStarted,
    /// Started, and no call is running.
    Ready(Box<App>),
    /// A call has taken the state out: it is running, or it was cut short.
    Busy,
}

// Moved out and back, never borrowed across a call: no borrow flag can be
// left set by a call that never returns.
static APP: Local<State> = Local::new(State::NotStarted);

fn swap(state: State) -> State {
    APP.with(|a| core::mem::replace(a, state))
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
    swap(State::Ready(app));
    Some(out)
}

/// Takes the app state out for the call `name` (the part of [`with_app`]
/// that is the same for every call, so it is in the module once).
#[inline(never)]
fn take_app(name: &str) -> Option<Box<App>> {
    match swap(State::Busy) {
        State::Ready(app) => Some(app),
        State::NotStarted => {
            swap(State::NotStarted);
            None
        }
        State::Busy => {
            let mut line = String::from(name);
            line.push_str("() ignored: inside another call, or an earlier one threw");
            js::error(&line);
            None
        }
    }
}

/// `publish(kind, assumed)` kinds understood by the loader, which then
/// re-reads the cookie through the core module (the one source of what is
/// granted). `assumed` is a cookie value the loader grants from while no
/// cookie is stored (an opt-out region's provisional grants; `get()` stays
/// `null`), or "". (That the module runs at all the entry tells the loader
/// itself, once the banner is drawn: the loader then fetches the core.)
const LOADED: u32 = 0;
const FIRST: u32 = 1;
const CHANGED: u32 = 2;
const FORGOTTEN: u32 = 3;

fn publish(kind: u32, assumed: &str) {
    js::call(Op::Publish, assumed.as_bytes(), &[], kind);
}

/// The config [`cg_configure`] read, the language it chose and the page's
/// facts, until [`cg_start`].
static CONFIGURED: Local<Option<(Config, String, Env, Value)>> = Local::new(None);

/// Reads the keys of the page's config that the banner needs (the browser's
/// `JSON.parse` result in the binary form of [`Value::from_bytes`], in the
/// inbox; [`cg_after_banner`] reads and checks all of it and reports every
/// problem in the compact form of [`Diagnostic::compact`], which the entry
/// words and prints: no English ships in this module), and chooses the
/// language from the config, the page's `<html lang>` and the visitor's
/// languages. Returns 0 when the config cannot be read at all (the entry then
/// fails); 2 when the chosen language is built in and not English, its tag
/// the result ([`Op::Result`]): the entry fetches its file before
/// [`cg_start`]; else 1. When the config is not an object it reports only
/// that, and [`cg_start`] then fails.
#[no_mangle]
pub extern "C" fn cg_configure() -> u32 {
    let Some(value) = Value::from_bytes(&js::answer()) else {
        return 0;
    };
    // The banner's keys now; all of them, with every problem reported in the
    // config's order, once the rest of the module has arrived
    // (`cg_after_banner`): the other keys' readers live there.
    let Ok(config) = Config::banner_from_value(&value) else {
        js::call(Op::Report, NOT_AN_OBJECT.as_bytes(), &[], 0);
        return 1;
    };
    let env = env::read();
    let language = pick_language(&config, &env);
    let file = language != "en" && BUILT_IN.contains(&language.as_str());
    js::call(Op::Result, language.as_bytes(), &[], 0);
    CONFIGURED.with(|c| *c = Some((config, language, env, value)));
    1 + u32::from(file)
}

/// Starts the banner module with the config [`cg_configure`] read and renders
/// the UI. The chosen language's file (binary form) is in the inbox when
/// [`cg_configure`] asked for one (`texts` = 1). `decided` is 1 when the
/// loader's core has found a valid decision (0 on a first visit, where the
/// module starts before the core): the first layer shows when it is 0. The
/// stored decision itself is read by [`cg_after_banner`] (decoding it lives
/// in the rest of the module), which corrects the first layer if it differs.
/// The result is the texts of a blocked embed's placeholder
/// (`placeholderTitle`, `placeholderText`, `loadOnce`, `alwaysAllow`, each
/// followed by NUL) for the placeholder script, which draws them only on a
/// page that has one. Returns 1 once started, 2 for a second call (ignored),
/// 0 when there is no usable config (the entry then fails closed).
#[no_mangle]
pub extern "C" fn cg_start(texts: u32, decided: u32) -> u32 {
    let file = js::answer();
    let state = swap(State::NotStarted);
    let fresh = matches!(state, State::NotStarted);
    swap(state);
    if !fresh {
        return 2;
    }
    let Some((config, mut language, env, given)) = CONFIGURED.with(Option::take) else {
        return 0;
    };
    let file = if texts == 1 {
        Value::from_bytes(&file)
    } else {
        None
    };
    if texts == 1 && file.is_none() {
        js::error("the language file cannot be read; showing English");
    }
    if file.is_none() && language != "en" && BUILT_IN.contains(&language.as_str()) {
        // Its file could not be loaded or read: show English.
        language = String::from("en");
    }
    let mut file_diagnostics = Vec::new();
    let texts = texts_for(&config, &language, file.as_ref(), &mut file_diagnostics);
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
    let gpc = config.gpc && env.gpc;
    // A crawler gets what an "off" region gets, and no UI at all.
    let crawler = config.hide_from_bots && crawler::is_crawler(&env.user_agent);
    let mode = if crawler {
        Mode::Off
    } else {
        region::mode_for(&config.regions, env.region.as_deref())
    };
    let ui = if crawler {
        None
    } else {
        Ui::mount(&config, &texts, &language, gpc, mode == Mode::OptOut)
    };
    let app = App {
        config,
        texts,
        record: None,
        ui,
        env,
        gpc,
        mode,
        // An opt-out region's provisional grants: `cg_after_banner`.
        assumed: None,
        decided_at_start: decided == 1,
        given,
        file_problems: file_diagnostics,
    };
    // In a frame of a page that runs Consent Gate itself, that page asks: one
    // banner (the decision reaches this frame through the shared cookie).
    if let (Some(ui), false) = (&app.ui, app.env.framed) {
        ui.show_banner(!app.decided_at_start && app.asks());
    }
    swap(State::Ready(Box::new(app)));
    js::call(Op::Result, placeholder_texts.as_bytes(), &[], 0);
    1
}

/// What the start leaves until the rest of the module
/// (`consent-gate-ui-rest.wasm`, fetched once the banner is drawn) has
/// arrived; the entry calls it then, before any click or API call reaches
/// the module. Reads the whole config (reporting its problems),
/// reads the stored decision (and shows or hides the first layer
/// if it is not what the loader said at the start: another tab may have
/// decided meanwhile), renders the page's cookie declarations; in an opt-out region
/// it works out the provisional grants and only then hands them to the
/// loader ([`LOADED`]), so nothing optional is granted before.
#[no_mangle]
pub extern "C" fn cg_after_banner() {
    let assumed = with_app("start", |app| {
        let given = core::mem::replace(&mut app.given, Value::Null);
        if let Ok((config, diagnostics)) = Config::from_value(&given) {
            app.config = config;
            tell(&diagnostics);
        }
        tell(&core::mem::take(&mut app.file_problems));
        app.record = storage::load(&app.config, &app.env, js::now());
        if let (Some(ui), false) = (&app.ui, app.env.framed) {
            if app.record.is_some() != app.decided_at_start {
                ui.show_banner(app.record.is_none() && app.asks());
            }
        }
        let opt_out = app.mode == Mode::OptOut;
        if opt_out {
            app.assumed = Some(decision::provisional(&app.config, js::now(), app.env.gpc));
            if app.record.is_none() && storage::read_cookie(&app.config.cookie.name).is_some() {
                // A void cookie (expired, outdated, damaged) would hide the
                // provisional grants from the loader: it means "no decision" anyway.
                storage::forget(&app.config);
            }
        }
        app.refresh_declaration();
        opt_out.then(|| app.assumed_value())
    });
    if let Some(Some(assumed)) = assumed {
        publish(LOADED, &assumed);
    }
}

/// Hands config (and language file) problems to the entry, each as
/// [`Diagnostic::compact`] text: its code, arguments and path.
fn tell(diagnostics: &[Diagnostic]) {
    for d in diagnostics {
        js::call(Op::Report, d.compact().as_bytes(), &[], 0);
    }
}

fn pick_language(config: &Config, env: &Env) -> String {
    let mut available: Vec<&str> = BUILT_IN.to_vec();
    for (lang, _) in &config.texts {
        available.push(lang);
    }
    choose_language(
        &config.language,
        env.page_language.as_deref(),
        &env.languages,
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

/// A click on a banner or dialog button: its `data-action` as an index into
/// [`crate::model::markup::NAMES`], from the listener `build.js` wires (not
/// part of the page's API).
#[no_mangle]
pub extern "C" fn cg_event(action: u32) {
    let action = ui::event(action);
    match action {
        Some(UiAction::AcceptAll) => decide("acceptAll", Action::AcceptAll),
        Some(UiAction::RejectAll) => decide("rejectAll", Action::RejectAll),
        Some(UiAction::DoNotSell) => decide(
            "doNotSell",
            Action::Set(vec![(Key::Category(Category::Marketing), false)]),
        ),
        Some(UiAction::Save(choices)) => decide("set", Action::Set(choices)),
        Some(UiAction::OpenPreferences) => cg_show_preferences(),
        None => {}
    }
}

/// Applies a decision: store its cookie, close the UI, clean up after a
/// withdrawal, then (outside the state) tell the loader, which publishes it,
/// runs what it now allows and tells the other tabs; only then bring the
/// mirror in line and send the log entry, which nothing on the page waits
/// for (so the gated scripts' requests go out first).
fn decide(name: &str, action: Action) {
    let done = with_app(name, |app| {
        let now = js::now();
        let id = js::text(Op::RandomId, &[]).unwrap_or_default();
        let previous = app
            .record
            .as_ref()
            .filter(|r| r.is_valid(app.config.revision, now));
        let outcome = decision::decide(previous, &action, &app.context(now, &id));
        let value = storage::save(&app.config, &app.env, &outcome.record);
        app.record = Some(outcome.record);
        if let Some(ui) = &app.ui {
            ui.show_banner(false);
            ui.close_preferences();
        }
        app.refresh_declaration();
        let withdrew = !outcome.withdrawn.is_empty() || !outcome.withdrawn_services.is_empty();
        if withdrew {
            storage::clean_up(
                &app.config,
                &app.env,
                &outcome.withdrawn,
                &outcome.withdrawn_services,
            );
        }
        let logged = app.config.consent_log.is_some().then_some(value);
        (
            outcome.first,
            withdrew && app.config.reload_on_withdraw,
            logged,
        )
    });
    let Some((first, reload, logged)) = done else {
        return;
    };
    // Nothing assumed once the visitor has acted: if the cookie could not be
    // stored, nothing optional is granted.
    publish(if first { FIRST } else { CHANGED }, "");
    with_app(name, |app| {
        // The mirror follows whatever cookie is stored now (a page listener
        // may have decided again meanwhile).
        storage::load(&app.config, &app.env, js::now());
        if let (Some(url), Some(value)) = (app.config.consent_log.as_deref(), logged) {
            let mut json = String::new();
            storage::record_json(&value, &mut json);
            js::call(
                Op::Log,
                url.as_bytes(),
                json.as_bytes(),
                app.config.revision,
            );
        }
    });
    if reload {
        // Scripts that already ran cannot be unloaded: start the page afresh.
        js::call(Op::Reload, &[], &[], 0);
    }
}

/// Compiles the decision path before the visitor's click. V8 compiles each
/// WebAssembly function on its first call, on the main thread: a first
/// decision spent ≈2 ms (≈8 ms at 4× CPU) compiling between the click and
/// the gated scripts' requests. The entry calls this once, in a task of its
/// own once the rest of the module has arrived; it runs the pure part of a
/// decision (deciding, the cookie value and reading it back, the mirror's
/// JSON) on a throwaway record: nothing is stored, shown or published. It
/// only reads the state, in its cell: the one call back into the module is
/// the inbox's `cg_in` (for the random id), which does not touch the state.
/// Measured on the bench page: click → the gated script's request 5.6 →
/// 4.8 ms (medians).
#[no_mangle]
pub extern "C" fn cg_warm() {
    APP.with(|state| {
        let State::Ready(app) = state else {
            return;
        };
        let now = js::now();
        // (A random id, as a decision takes one: its call is compiled too.)
        let id = js::text(Op::RandomId, &[]).unwrap_or_default();
        let outcome = decision::decide(None, &Action::AcceptAll, &app.context(now, &id));
        let value = codec::encode(&outcome.record);
        let valid = codec::decode(&value).is_some_and(|r| r.is_valid(app.config.revision, now));
        // (black_box: the results are unused, and the optimizer must not drop the work.)
        core::hint::black_box((valid, storage::mirror_json(&value)));
    });
}

/// The stored decision may have changed elsewhere (another tab, the page
/// restored from the back/forward cache): re-read it and show its state. The
/// loader publishes it and reloads the page after a withdrawal.
#[no_mangle]
pub extern "C" fn cg_refresh() {
    with_app("refresh", |app| {
        let record = storage::load(&app.config, &app.env, js::now());
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

/// Site-owner hints about the page's gated elements (`[data-category,
/// data-service, start tag]` each, in the binary form of
/// [`Value::from_bytes`], in the inbox): one `console.warn` for each whose
/// category does not exist or whose service the config does not declare
/// ([`hints::hint`]). The entry calls it once, after [`cg_after_banner`].
#[no_mangle]
pub extern "C" fn cg_hints() {
    let Some(Value::Array(elements)) = Value::from_bytes(&js::answer()) else {
        return;
    };
    with_app("hints", |app| {
        for e in &elements {
            let Value::Array(e) = e else { continue };
            let s = |i: usize| e.get(i).and_then(Value::as_str).unwrap_or("");
            if let Some(m) = hints::hint(&app.config, s(0), s(1), s(2)) {
                js::call(Op::Error, m.as_bytes(), &[], 1);
            }
        }
    });
}

/// Grants every category (under Global Privacy Control, all but marketing).
#[no_mangle]
pub extern "C" fn cg_accept_all() {
    decide("acceptAll", Action::AcceptAll);
}

/// Refuses every optional category.
#[no_mangle]
pub extern "C" fn cg_reject_all() {
    decide("rejectAll", Action::RejectAll);
}

/// Decides some categories or services: `set({ performance: true })`, the
/// argument's own properties in the binary form of [`Value::from_bytes`], in
/// the inbox. The loader has already checked its shape (an object of
/// booleans) and thrown its own `TypeError` otherwise; here a name that is no
/// category or configured service, or refusing essential, is refused: the
/// result is the `TypeError`'s text naming the argument and the return 1, and
/// nothing is stored then. Returns 0 otherwise.
#[no_mangle]
pub extern "C" fn cg_set() -> u32 {
    // Only the loader calls this, with what its own checks let through.
    let Some(Value::Object(members)) = Value::from_bytes(&js::answer()) else {
        return 0;
    };
    let parsed = with_app("set", |app| decision::parse_choices(&members, &app.config));
    match parsed {
        Some(Ok(keys)) => decide("set", Action::Set(keys)),
        Some(Err(e)) => {
            js::call(
                Op::Result,
                message_for(&e.argument, &e.message).as_bytes(),
                &[],
                0,
            );
            return 1;
        }
        None => {}
    }
    0
}

/// Every name `data-category` accepts, a group per category (its id, then
/// its aliases, space-separated), groups separated by `,`, as the result: for
/// the banner module's hints about gated markup and its placeholders.
#[no_mangle]
pub extern "C" fn cg_category_names() {
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
    js::call(Op::Result, names.as_bytes(), &[], 0);
}

/// Shows the first layer, decided or not.
#[no_mangle]
pub extern "C" fn cg_show_banner() {
    with_app("showBanner", |app| {
        if let Some(ui) = &app.ui {
            ui.show_banner(true);
        }
    });
}

/// Opens the preferences dialog with the current choices.
#[no_mangle]
pub extern "C" fn cg_show_preferences() {
    with_app("showPreferences", |app| {
        if let Some(ui) = &app.ui {
            let categories = view::dialog(&app.config, &app.texts, app.shown());
            ui.open_preferences(&categories, &app.texts);
        }
    });
}

/// Hides the banner and closes the dialog.
#[no_mangle]
pub extern "C" fn cg_hide() {
    with_app("hide", |app| {
        if let Some(ui) = &app.ui {
            ui.show_banner(false);
            ui.close_preferences();
        }
    });
}

/// Forgets the decision (cookie and mirror) and shows the banner again.
#[no_mangle]
pub extern "C" fn cg_reset() {
    let assumed = with_app("reset", |app| {
        storage::forget(&app.config);
        app.record = None;
        if app.assumed.is_some() {
            app.assumed = Some(decision::provisional(&app.config, js::now(), app.env.gpc));
        }
        if let Some(ui) = &app.ui {
            ui.close_preferences();
            ui.show_banner(true);
        }
        app.refresh_declaration();
        app.assumed_value()
    });
    if let Some(assumed) = assumed {
        publish(FORGOTTEN, &assumed);
    }
}

/// The one place a model error becomes the text of a JS `TypeError`:
/// "ConsentGate: `choices.essential` essential cannot be refused".
fn message_for(argument: &str, message: &str) -> String {
    let mut s = String::with_capacity(argument.len() + message.len() + 16);
    s.push_str("ConsentGate: `");
    s.push_str(argument);
    s.push_str("` ");
    s.push_str(message);
    s
}

#[cfg(not(test))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    // Unreachable by construction; a trap is the smallest way to stop (the
    // state is then left busy, and every later call says so).
    core::arch::wasm32::unreachable()
}
