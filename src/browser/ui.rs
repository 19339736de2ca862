//! The banner and the preferences dialog.
//!
//! Everything lives in an open shadow root on `<div id="consent-gate">`, so the
//! host page's CSS cannot break it, styled by one constructable stylesheet (no
//! `<style>` element, no `style=` attribute: it renders under `style-src 'self'`).
//! What the banner and the dialog hold is written by [`crate::model::markup`]
//! (from [`crate::model::view`] for the dialog) and built by `build.js` as
//! text nodes and attributes; this module mounts it and turns clicks into
//! [`UiAction`]s.

use js_sys::Function;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlDialogElement, HtmlInputElement};

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

/// The mounted UI (its listeners are the page's: `build.js` wires them).
pub(crate) struct Ui {
    banner: Element,
    spacer: Element,
    /// With `layout: "modal"` + `blockPage`: the modal dialog around the banner.
    wall: Option<HtmlDialogElement>,
    dialog: HtmlDialogElement,
    list: Element,
}

impl Ui {
    /// Builds the banner and the (closed) dialog and appends the host to `<body>`.
    /// With `opt_out` (an opt-out region) the first layer is a notice whose
    /// main button is "Do not sell or share my personal information".
    /// `on(action, target)` is the module's `uiEvent` export: `build.js`
    /// mounts it all in one call, and its listeners hand `on` every click on
    /// a `[data-action]` button and every switch change ([`event`] says what
    /// each means).
    /// `None` when the page has no body or refuses a shadow root.
    pub(crate) fn mount(
        config: &Config,
        texts: &Texts,
        lang: &str,
        gpc: bool,
        opt_out: bool,
        on: &Function,
    ) -> Option<Ui> {
        // The spacer follows the banner's height, and for the bars so does the
        // page's scroll padding, so an element focused with Tab is scrolled
        // clear of the bar (WCAG 2.4.11).
        let padding = match config.layout {
            Layout::Bar => "scroll-padding-bottom",
            Layout::BarTop => "scroll-padding-top",
            _ => "",
        };
        let kept = dom::mount(
            markup::host(config, lang).bytes(),
            CSS,
            markup::skeleton(config, texts, gpc, opt_out).bytes(),
            // Its spacer must sit above the page, and the bar comes first in Tab order.
            config.layout == Layout::BarTop,
            padding,
            on,
        )?;
        let at = |i: u32| kept.get(i).unchecked_into::<Element>();
        let walled = u32::from(markup::has_wall(config));
        let spacer = at(0);
        let wall = (walled == 1).then(|| at(1).unchecked_into::<HtmlDialogElement>());
        let banner = at(1 + walled);
        let dialog: HtmlDialogElement = at(2 + walled).unchecked_into();
        let list = at(3 + walled);
        Some(Ui {
            banner,
            spacer,
            wall,
            dialog,
            list,
        })
    }

    /// Shows or hides the first layer.
    pub(crate) fn show_banner(&self, show: bool) {
        dom::show(&self.banner, &self.spacer, self.wall.as_ref(), show);
    }

    /// Fills the dialog from `view` and opens it as a modal dialog.
    pub(crate) fn open_preferences(&self, view: &[CategoryView], texts: &Texts) {
        // Focus goes back where it was when the dialog closes.
        dom::fill_and_open(&self.list, &markup::categories(view, texts), &self.dialog);
    }

    /// Closes the dialog (focus goes back where it came from).
    pub(crate) fn close_preferences(&self) {
        if self.dialog.open() {
            self.dialog.close();
        }
    }
}

/// What a UI event from `build.js`'s listeners means: `action` is the
/// `data-action` of a clicked button (`target`: the preferences dialog, whose
/// switches "Save" reads and which "Close" closes), or "" for a switch that
/// changed (`target`: the switch, kept in step with its category or services).
pub(crate) fn event(action: &str, target: &Element) -> Option<UiAction> {
    Some(match action {
        "accept-all" => UiAction::AcceptAll,
        "reject-all" => UiAction::RejectAll,
        "do-not-sell" => UiAction::DoNotSell,
        "preferences" => UiAction::OpenPreferences,
        "save" => UiAction::Save(read_switches(target)),
        "close" => {
            target.unchecked_ref::<HtmlDialogElement>().close();
            return None;
        }
        "" => {
            sync_switches(target);
            return None;
        }
        _ => return None,
    })
}

/// A category switch sets its services; a service switch sets its category
/// to "any service on".
fn sync_switches(target: &Element) {
    let Some(input) = target.dyn_ref::<HtmlInputElement>() else {
        return;
    };
    let Some(section) = dom::element_closest(input, "[data-section]") else {
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
fn read_switches(dialog: &Element) -> Vec<(Key, bool)> {
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
