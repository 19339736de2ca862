//! The banner and the preferences dialog.
//!
//! Everything lives in an open shadow root on `<div id="consent-gate">`, so the
//! host page's CSS cannot break it, styled by one constructable stylesheet (no
//! `<style>` element, no `style=` attribute: it renders under `style-src 'self'`).
//! Every config and translation string goes in with `textContent`. What the
//! dialog shows comes from [`crate::model::view`]; this module only draws it
//! and turns clicks into [`UiAction`]s.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{
    CssStyleSheet, Element, Event, HtmlDialogElement, HtmlElement, HtmlInputElement,
    ResizeObserver, ShadowRoot, ShadowRootInit, ShadowRootMode,
};

use super::dom::{self, append, attr, el, text};
use super::table::cookie_table;
use crate::model::category::Category;
use crate::model::config::{Config, Layout, Theme};
use crate::model::decision::Key;
use crate::model::i18n::{TextKey, Texts};
use crate::model::view::{CategoryView, CookieRow};

const CSS: &str = include_str!("ui.css");

/// What the visitor asked for through the UI.
pub(crate) enum UiAction {
    /// "Accept all", in the banner or the dialog.
    AcceptAll,
    /// "Reject all", in the banner or the dialog.
    RejectAll,
    /// "Do not sell or share my personal information", in an opt-out
    /// region's notice: refuses marketing only.
    DoNotSell,
    /// "Save" in the dialog, with every switch's state.
    Save(Vec<(Key, bool)>),
    /// "Preferences" in the banner.
    OpenPreferences,
}

/// The mounted UI. Dropping it would release its listeners; it lives as long as the page.
pub(crate) struct Ui {
    host: Element,
    banner: Element,
    spacer: Element,
    /// With `layout: "modal"` + `blockPage`: the modal dialog around the banner.
    wall: Option<HtmlDialogElement>,
    dialog: HtmlDialogElement,
    list: Element,
    _listener: Closure<dyn FnMut(Event)>,
    _resize: Option<(ResizeObserver, Closure<dyn FnMut()>)>,
}

thread_local! {
    /// Where focus was before the dialog opened, to give it back on close.
    static RETURN_FOCUS: RefCell<Option<HtmlElement>> = const { RefCell::new(None) };
}

impl Ui {
    /// Builds the banner and the (closed) dialog and appends the host to `<body>`.
    /// With `opt_out` (an opt-out region) the first layer is a notice whose
    /// main button is "Do not sell or share my personal information".
    /// `None` when the page has no body or refuses a shadow root.
    pub(crate) fn mount(
        config: &Config,
        texts: &Texts,
        lang: &str,
        gpc: bool,
        opt_out: bool,
        on: Rc<dyn Fn(UiAction)>,
    ) -> Option<Ui> {
        let doc = dom::document();
        let body = doc.body()?;
        let host = el("div", &[("id", "consent-gate"), ("lang", lang)]);
        attr(&host, "data-layout", layout_name(config.layout));
        attr(&host, "data-theme", theme_name(config.theme));
        if crate::model::i18n::is_rtl(lang) {
            attr(&host, "dir", "rtl");
        }
        let root = host
            .attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))
            .ok()?;
        adopt_styles(&root);

        let t = |k| texts.get(k);
        let (title_key, description_key) = if opt_out {
            (TextKey::OptOutTitle, TextKey::OptOutDescription)
        } else {
            (TextKey::Title, TextKey::Description)
        };
        // First layer: a labelled region that does not take focus.
        // In-flow room at the end of the page as tall as the bottom bar, so the
        // bar never hides the end of the page (a footer's "Cookie settings").
        let spacer = el(
            "div",
            &[("class", "spacer"), ("aria-hidden", "true"), ("hidden", "")],
        );
        let banner = el(
            "section",
            &[
                ("data-cg", "banner"),
                ("class", "banner"),
                ("role", "region"),
                ("hidden", ""),
            ],
        );
        attr(&banner, "aria-label", t(title_key));
        if opt_out {
            attr(&banner, "data-mode", "opt-out");
        }
        let words = el("div", &[("class", "text")]);
        let title = el("h2", &[]);
        text(&title, t(title_key));
        let description = el("p", &[]);
        text(&description, t(description_key));
        if let Some(url) = config.policy_url.as_deref() {
            let link = el("a", &[("data-cg", "policy"), ("href", url)]);
            text(&link, t(TextKey::PolicyLink));
            append(&description, &doc.create_text_node(" "));
            append(&description, &link);
        }
        append(&words, &title);
        append(&words, &description);
        if gpc {
            let note = el("p", &[("class", "note"), ("data-cg", "gpc")]);
            text(&note, t(TextKey::GpcNotice));
            append(&words, &note);
        }
        append(&banner, &words);
        let buttons: &[(&str, TextKey)] = if opt_out {
            &[
                ("do-not-sell", TextKey::DoNotSell),
                ("accept-all", TextKey::AcceptAll),
                ("preferences", TextKey::Preferences),
            ]
        } else {
            &[
                ("accept-all", TextKey::AcceptAll),
                ("reject-all", TextKey::RejectAll),
                ("preferences", TextKey::Preferences),
            ]
        };
        append(&banner, &actions(texts, buttons));

        // Second layer: a native modal dialog (focus moves in and is contained,
        // Escape closes it, the page behind is inert).
        let dialog: HtmlDialogElement = el(
            "dialog",
            &[
                ("data-cg", "dialog"),
                ("role", "dialog"),
                ("aria-modal", "true"),
                ("aria-labelledby", "cg-dialog-title"),
            ],
        )
        .unchecked_into();
        let head = el("div", &[("class", "head")]);
        let heading = el("h2", &[("id", "cg-dialog-title")]);
        text(&heading, t(TextKey::PreferencesTitle));
        let close = el(
            "button",
            &[
                ("type", "button"),
                ("class", "close"),
                ("data-action", "close"),
            ],
        );
        attr(&close, "aria-label", t(TextKey::Close));
        text(&close, "\u{00d7}");
        append(&head, &heading);
        append(&head, &close);
        let body_el = el("div", &[("class", "body")]);
        let intro = el("p", &[]);
        text(&intro, t(TextKey::PreferencesDescription));
        let list = el("div", &[]);
        append(&body_el, &intro);
        append(&body_el, &list);
        let foot = actions(
            texts,
            &[
                ("reject-all", TextKey::RejectAll),
                ("accept-all", TextKey::AcceptAll),
                ("save", TextKey::Save),
            ],
        );
        let _ = foot.class_list().add_1("foot");
        append(&dialog, &head);
        append(&dialog, &body_el);
        append(&dialog, &foot);

        append(&root, &spacer);
        // A blocking first layer is a native modal dialog: the page behind is
        // inert and focus stays in the banner until the visitor decides.
        let wall = (config.layout == Layout::Modal && config.block_page).then(|| {
            let wall: HtmlDialogElement = el(
                "dialog",
                &[
                    ("class", "wall"),
                    ("data-cg", "wall"),
                    ("aria-modal", "true"),
                    ("closedby", "none"),
                ],
            )
            .unchecked_into();
            attr(&wall, "aria-label", t(TextKey::Title));
            let _ = banner.remove_attribute("role");
            append(&wall, &banner);
            append(&root, &wall);
            wall
        });
        if wall.is_none() {
            append(&root, &banner);
        }
        append(&root, &dialog);

        let listener = listen(&root, &dialog, wall.as_ref(), on);
        let resize = follow_height(&banner, &spacer, config.layout);
        if config.layout == Layout::BarTop {
            // Its spacer must sit above the page, and the bar comes first in Tab order.
            let _ = body.prepend_with_node_1(&host);
        } else {
            append(&body, &host);
        }
        Some(Ui {
            host,
            banner,
            spacer,
            wall,
            dialog,
            list,
            _listener: listener,
            _resize: resize,
        })
    }

    /// Shows or hides the first layer.
    pub(crate) fn show_banner(&self, show: bool) {
        let _ = self.banner.toggle_attribute_with_force("hidden", !show);
        let _ = self.spacer.toggle_attribute_with_force("hidden", !show);
        if let Some(wall) = &self.wall {
            if show && !wall.open() {
                let _ = wall.show_modal();
            } else if !show && wall.open() {
                wall.close();
            }
        }
    }

    /// Fills the dialog from `view` and opens it as a modal dialog.
    pub(crate) fn open_preferences(&self, view: &[CategoryView], texts: &Texts) {
        self.list.set_text_content(None);
        for category in view {
            append(&self.list, &category_section(category, texts));
        }
        if !self.dialog.open() {
            let previous = self
                .host
                .shadow_root()
                .and_then(|r| r.active_element())
                .or_else(|| dom::document().active_element());
            RETURN_FOCUS.with(|f| {
                *f.borrow_mut() = previous.and_then(|e| e.dyn_into::<HtmlElement>().ok())
            });
            let _ = self.dialog.show_modal();
        }
    }

    /// Closes the dialog (focus goes back where it came from).
    pub(crate) fn close_preferences(&self) {
        if self.dialog.open() {
            self.dialog.close();
        }
    }
}

fn layout_name(layout: Layout) -> &'static str {
    match layout {
        Layout::Bar => "bar",
        Layout::BarTop => "bar-top",
        Layout::Box => "box",
        Layout::Modal => "modal",
    }
}

fn theme_name(theme: Theme) -> &'static str {
    match theme {
        Theme::Auto => "auto",
        Theme::Light => "light",
        Theme::Dark => "dark",
    }
}

/// Keeps the spacer as tall as the banner, and, for the bars, the page's
/// scroll padding too, so an element focused with Tab is scrolled clear of the
/// bar (WCAG 2.4.11). Both go to 0 when the banner hides. (CSSOM writes are
/// allowed under a strict `style-src`; only `style` attributes in markup are not.)
fn follow_height(
    banner: &Element,
    spacer: &Element,
    layout: Layout,
) -> Option<(ResizeObserver, Closure<dyn FnMut()>)> {
    let (b, s) = (
        banner.clone(),
        spacer.clone().unchecked_into::<HtmlElement>(),
    );
    let padding = match layout {
        Layout::Bar => Some("scroll-padding-bottom"),
        Layout::BarTop => Some("scroll-padding-top"),
        _ => None,
    };
    let root = dom::document()
        .document_element()
        .and_then(|e| e.dyn_into::<HtmlElement>().ok());
    let callback = Closure::<dyn FnMut()>::new(move || {
        let mut h = String::with_capacity(8);
        crate::model::push_decimal(&mut h, u64::from(b.client_height().unsigned_abs()));
        h.push_str("px");
        let _ = s.style().set_property("height", &h);
        if let (Some(property), Some(root)) = (padding, &root) {
            let _ = root.style().set_property(property, &h);
        }
    });
    let observer = ResizeObserver::new(callback.as_ref().unchecked_ref()).ok()?;
    observer.observe(banner);
    Some((observer, callback))
}

/// One constructable stylesheet for the whole shadow root (CSP-safe).
fn adopt_styles(root: &ShadowRoot) {
    let Ok(sheet) = CssStyleSheet::new() else {
        return;
    };
    let _ = sheet.replace_sync(CSS);
    let sheets = js_sys::Array::of1(&sheet);
    dom::put(root, "adoptedStyleSheets", &sheets);
}

/// A row of equally prominent buttons.
fn actions(texts: &Texts, buttons: &[(&str, TextKey)]) -> Element {
    let row = el("div", &[("class", "actions")]);
    for (action, key) in buttons {
        let b = el("button", &[("type", "button"), ("data-action", action)]);
        text(&b, texts.get(*key));
        append(&row, &b);
    }
    row
}

/// A labelled switch: `<div class=row><label for=id>…</label><input role=switch …></div>`.
fn switch_row(
    id: &str,
    label: &str,
    data: (&str, &str),
    checked: bool,
    locked: bool,
    described_by: &str,
) -> (Element, HtmlInputElement) {
    let row = el("div", &[("class", "row")]);
    let l = el("label", &[("for", id)]);
    text(&l, label);
    let input: HtmlInputElement = el(
        "input",
        &[
            ("type", "checkbox"),
            ("role", "switch"),
            ("id", id),
            (data.0, data.1),
            ("aria-describedby", described_by),
        ],
    )
    .unchecked_into();
    input.set_checked(checked);
    input.set_disabled(locked);
    append(&row, &l);
    append(&row, &input);
    (row, input)
}

fn category_section(c: &CategoryView, texts: &Texts) -> Element {
    let name = c.category.as_str();
    let section = el("section", &[("class", "cat"), ("data-section", name)]);
    let id = join("cg-", name);
    let desc_id = join("cg-d-", name);
    let (row, _) = switch_row(
        &id,
        &c.label,
        ("data-category", name),
        c.checked,
        c.locked,
        &desc_id,
    );
    if c.locked {
        let on = el("span", &[("class", "on")]);
        text(&on, texts.get(TextKey::AlwaysOn));
        let _ = row.insert_before(&on, row.last_child().as_ref());
    }
    let p = el("p", &[("id", &desc_id)]);
    text(&p, &c.description);
    append(&section, &row);
    append(&section, &p);
    if !c.cookies.is_empty() {
        append(&section, &own_cookies(&c.cookies, texts));
    }
    for s in &c.services {
        let block = el("div", &[("class", "svc")]);
        let sid = join("cg-s-", &s.id);
        let sdesc = join("cg-sd-", &s.id);
        let (srow, _) = switch_row(
            &sid,
            &s.label,
            ("data-service", &s.id),
            s.checked,
            c.locked,
            &sdesc,
        );
        let sp = el("p", &[("id", &sdesc)]);
        text(&sp, &s.description);
        append(&block, &srow);
        append(&block, &sp);
        if !s.cookies.is_empty() {
            append(&block, &own_cookies(&s.cookies, texts));
        }
        append(&section, &block);
    }
    section
}

/// The dialog's table of a category's or a service's own cookies (no services column).
fn own_cookies(rows: &[CookieRow], texts: &Texts) -> Element {
    let rows: Vec<(&str, &CookieRow)> = rows.iter().map(|r| ("", r)).collect();
    cookie_table(&rows, false, texts)
}

fn join(prefix: &str, name: &str) -> String {
    let mut s = String::with_capacity(prefix.len() + name.len());
    s.push_str(prefix);
    s.push_str(name);
    s
}

/// One listener for the whole UI: clicks on `[data-action]`, switch changes
/// (keeping a category and its services in step) and the dialog closing.
fn listen(
    root: &ShadowRoot,
    dialog: &HtmlDialogElement,
    wall: Option<&HtmlDialogElement>,
    on: Rc<dyn Fn(UiAction)>,
) -> Closure<dyn FnMut(Event)> {
    let d = dialog.clone();
    let w = wall.cloned();
    let listener =
        Closure::<dyn FnMut(Event)>::new(move |event: Event| match event.type_().as_str() {
            "click" => {
                let Some(button) = dom::closest(event.target(), "[data-action]") else {
                    return;
                };
                match button.get_attribute("data-action").as_deref() {
                    Some("accept-all") => on(UiAction::AcceptAll),
                    Some("reject-all") => on(UiAction::RejectAll),
                    Some("do-not-sell") => on(UiAction::DoNotSell),
                    Some("preferences") => on(UiAction::OpenPreferences),
                    Some("save") => on(UiAction::Save(read_switches(&d))),
                    Some("close") => d.close(),
                    _ => {}
                }
            }
            "change" => sync_switches(&event),
            // Escape must not dismiss a blocking first layer without a choice.
            // Chromium honours preventDefault() on cancel only with fresh user
            // activation (closedby="none" covers new browsers): reopen it instead.
            "cancel" if dom::closest(event.target(), "[data-cg=wall]").is_some() => {
                event.prevent_default()
            }
            "close" if dom::closest(event.target(), "[data-cg=wall]").is_some() => {
                if let Some(w) = &w {
                    if w.first_element_child()
                        .is_some_and(|b| !b.has_attribute("hidden"))
                    {
                        let _ = w.show_modal();
                    }
                }
            }
            "close" => {
                if let Some(e) = RETURN_FOCUS.with(|f| f.borrow_mut().take()) {
                    let _ = e.focus();
                }
            }
            _ => {}
        });
    let f = listener.as_ref().unchecked_ref();
    let _ = root.add_event_listener_with_callback("click", f);
    let _ = root.add_event_listener_with_callback("change", f);
    let _ = dialog.add_event_listener_with_callback("close", f);
    if let Some(wall) = wall {
        let _ = wall.add_event_listener_with_callback("cancel", f);
        let _ = wall.add_event_listener_with_callback("close", f);
    }
    listener
}

/// A category switch sets its services; a service switch sets its category
/// to "any service on".
fn sync_switches(event: &Event) {
    let Some(input) = event
        .target()
        .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
    else {
        return;
    };
    let Some(section) = input.closest("[data-section]").ok().flatten() else {
        return;
    };
    let services = inputs(&section, "input[data-service]");
    if input.has_attribute("data-category") {
        for s in &services {
            s.set_checked(input.checked());
        }
    } else if let Some(category) = inputs(&section, "input[data-category]").first() {
        category.set_checked(services.iter().any(HtmlInputElement::checked));
    }
}

fn inputs(scope: &Element, selector: &str) -> Vec<HtmlInputElement> {
    let Ok(list) = scope.query_selector_all(selector) else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into::<HtmlInputElement>().ok())
        .collect()
}

/// Every optional switch in the dialog as a choice: categories first, then services.
fn read_switches(dialog: &HtmlDialogElement) -> Vec<(Key, bool)> {
    let mut choices = Vec::new();
    for i in inputs(dialog, "input[data-category]") {
        if let Some(c) = i
            .get_attribute("data-category")
            .and_then(|n| Category::parse(&n))
        {
            if c.is_optional() {
                choices.push((Key::Category(c), i.checked()));
            }
        }
    }
    for i in inputs(dialog, "input[data-service]") {
        if let Some(id) = i.get_attribute("data-service") {
            if !i.disabled() {
                choices.push((Key::Service(id), i.checked()));
            }
        }
    }
    choices
}
