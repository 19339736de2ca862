//! The banner and the preferences dialog.
//!
//! Everything lives in an open shadow root on `<div id="consent-gate">`, so the
//! host page's CSS cannot break it, styled by one constructable stylesheet (no
//! `<style>` element, no `style=` attribute: it renders under `style-src 'self'`).
//! What the banner and the dialog hold is written by [`crate::model::markup`]
//! (from [`crate::model::view`] for the dialog) and built by `build.js` as
//! text nodes and attributes; this module mounts it and says what each click means.

use alloc::string::String;
use alloc::vec::Vec;

use super::js::{self, Op};
use crate::model::category::Category;
use crate::model::config::{Config, Layout};
use crate::model::decision::Key;
use crate::model::i18n::Texts;
use crate::model::markup::{self, N};
use crate::model::value::Value;
use crate::model::view::CategoryView;

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

/// The mounted UI (`build.js` holds its elements and wires its listeners).
pub(crate) struct Ui;

impl Ui {
    /// Builds the banner and the (closed) dialog and adds the host to `<body>`.
    /// With `opt_out` (an opt-out region) the first layer is a notice whose
    /// main button is "Do not sell or share my personal information".
    /// `None` when the page has no body or refuses a shadow root.
    pub(crate) fn mount(
        config: &Config,
        texts: &Texts,
        lang: &str,
        gpc: bool,
        opt_out: bool,
    ) -> Option<Ui> {
        // Its spacer must sit above the page, and the bar comes first in Tab
        // order (bit 0); the spacer follows the banner's height, and for the
        // bars so does the page's scroll padding, so an element focused with
        // Tab is scrolled clear of the bar (WCAG 2.4.11).
        let how = match config.layout {
            Layout::Bar => 2,
            Layout::BarTop => 5,
            _ => 0,
        };
        let mounted = js::call(
            Op::Mount,
            markup::host(config, lang).bytes(),
            markup::skeleton(config, texts, gpc, opt_out).bytes(),
            how,
        );
        (mounted != 0).then_some(Ui)
    }

    /// Shows or hides the first layer.
    pub(crate) fn show_banner(&self, show: bool) {
        js::call(Op::Show, &[], &[], u32::from(show));
    }

    /// Fills the dialog from `view` and opens it as a modal dialog (focus
    /// goes back where it was when it closes).
    pub(crate) fn open_preferences(&self, view: &[CategoryView], texts: &Texts) {
        js::call(Op::Open, markup::categories(view, texts).bytes(), &[], 0);
    }

    /// Closes the dialog (focus goes back where it came from).
    pub(crate) fn close_preferences(&self) {
        js::call(Op::Close, &[], &[], 0);
    }
}

/// What a click on a banner or dialog button means: `action` is its
/// `data-action` as an index into [`markup::NAMES`]. "Close" closes the dialog here.
pub(crate) fn event(action: u32) -> Option<UiAction> {
    const ACCEPT: u32 = N::AcceptAll as u32;
    const REJECT: u32 = N::RejectAll as u32;
    const NOT_SELL: u32 = N::DoNotSell as u32;
    const PREFERENCES: u32 = N::Preferences as u32;
    const SAVE: u32 = N::Save as u32;
    const CLOSE: u32 = N::Close as u32;
    Some(match action {
        ACCEPT => UiAction::AcceptAll,
        REJECT => UiAction::RejectAll,
        NOT_SELL => UiAction::DoNotSell,
        PREFERENCES => UiAction::OpenPreferences,
        SAVE => UiAction::Save(read_switches()),
        CLOSE => {
            js::call(Op::Close, &[], &[], 0);
            return None;
        }
        _ => return None,
    })
}

/// Every optional switch in the dialog as a choice: categories first, then
/// services (a disabled service switch is an essential one: not a choice).
fn read_switches() -> Vec<(Key, bool)> {
    let mut choices = Vec::new();
    js::call(Op::Switches, &[], &[], 0);
    let Some(Value::Array(switches)) = Value::from_bytes(&js::answer()) else {
        return choices;
    };
    for s in &switches {
        let Value::Array(s) = s else { continue };
        let flag = |i: usize| s.get(i).and_then(Value::as_bool) == Some(true);
        let Some(name) = s.first().and_then(Value::as_str) else {
            continue;
        };
        if !flag(1) {
            if let Some(c) = Category::parse(name).filter(|c| c.is_optional()) {
                choices.push((Key::Category(c), flag(2)));
            }
        } else if !flag(3) {
            choices.push((Key::Service(String::from(name)), flag(2)));
        }
    }
    choices
}
