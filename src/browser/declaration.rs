//! The cookie declaration: every `<div data-consent-gate="declaration">` on
//! the page (typically the cookie policy) is filled with the categories,
//! services and cookies of the config, the visitor's current choice for each,
//! and a button that opens the preferences dialog. It is rendered in the page's
//! own DOM, so the policy page's styles apply, and only as text nodes.

use super::js::{self, Op};
use crate::model::i18n::Texts;
use crate::model::markup;
use crate::model::view::CategoryView;

/// Whether the page has a declaration placeholder to fill.
pub(crate) fn present() -> bool {
    js::call(Op::Declarations, &[], &[], 0) != 0
}

/// (Re)renders every declaration placeholder from `view`.
pub(crate) fn render(view: &[CategoryView], texts: &Texts, decided: bool) {
    let program = markup::declaration(view, texts, decided);
    js::call(Op::Declare, program.bytes(), &[], 0);
}
