//! The banner and the preferences dialog.
//!
//! Everything lives in an open shadow root on `<div id="consent-gate">`, so the
//! host page's CSS cannot break it, styled by one constructable stylesheet (no
//! `<style>` element, no `style=` attribute: it renders under `style-src 'self'`).
//! What the banner and the dialog hold is written by [`crate::model::markup`]
//! (from [`crate::model::view`] for the dialog) and built by `build.mjs` as
//! text nodes and attributes; this module mounts it and turns clicks into
//! [`UiAction`]s.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{
    CssStyleSheet, Element, Event, HtmlDialogElement, HtmlElement, HtmlInputElement,
    ResizeObserver, ShadowRoot, ShadowRootInit, ShadowRootMode,
};

use super::dom;
use crate::model::category::Category;
use crate::model::config::{Config, Layout};
use crate::model::decision::Key;
use crate::model::i18n::Texts;
use crate::model::markup;
use crate::model::view::CategoryView;

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
        let host: Element = dom::build(None, &markup::host(config, lang))
            .get(0)
            .unchecked_into();
        let root = host
            .attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))
            .ok()?;
        adopt_styles(&root);
        let kept = dom::build(Some(&root), &markup::skeleton(config, texts, gpc, opt_out));
        let at = |i: u32| kept.get(i).unchecked_into::<Element>();
        let walled = u32::from(markup::has_wall(config));
        let spacer = at(0);
        let wall = (walled == 1).then(|| at(1).unchecked_into::<HtmlDialogElement>());
        let banner = at(1 + walled);
        let dialog: HtmlDialogElement = at(2 + walled).unchecked_into();
        let list = at(3 + walled);

        let listener = listen(&root, &dialog, wall.as_ref(), on);
        let resize = follow_height(&banner, &spacer, config.layout);
        if config.layout == Layout::BarTop {
            // Its spacer must sit above the page, and the bar comes first in Tab order.
            dom::prepend(&body, &host);
        } else {
            dom::append(&body, &host);
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
        dom::toggle(&self.banner, "hidden", !show);
        dom::toggle(&self.spacer, "hidden", !show);
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
        dom::build(Some(&self.list), &markup::categories(view, texts));
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
        dom::set_style(&s, "height", &h);
        if let (Some(property), Some(root)) = (padding, &root) {
            dom::set_style(root, property, &h);
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
    dom::replace_sync(&sheet, CSS);
    let sheets = js_sys::Array::of1(&sheet);
    dom::put(root, "adoptedStyleSheets", &sheets);
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
                    dom::focus(&e);
                }
            }
            _ => {}
        });
    let f = listener.as_ref().unchecked_ref();
    dom::listen(root, "click", f);
    dom::listen(root, "change", f);
    dom::listen(dialog, "close", f);
    if let Some(wall) = wall {
        dom::listen(wall, "cancel", f);
        dom::listen(wall, "close", f);
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
    let Some(section) = dom::element_closest(&input, "[data-section]") else {
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
    let list = dom::select(scope, selector);
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
