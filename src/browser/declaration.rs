//! The cookie declaration: every `<div data-consent-gate="declaration">` on
//! the page (typically the cookie policy) is filled with the categories,
//! services and cookies of the config, the visitor's current choice for each,
//! and a button that opens the preferences dialog. It is rendered in the page's
//! own DOM, so the policy page's styles apply, and only as text nodes.

use super::dom::{self, append, attr, el, text};
use super::table::cookie_table;
use crate::model::i18n::{TextKey, Texts};
use crate::model::view::{CategoryView, CookieRow};

const SELECTOR: &str = "[data-consent-gate=\"declaration\"]";

/// (Re)renders every declaration placeholder from `view`; cheap when there is none.
pub(crate) fn render(view: &[CategoryView], texts: &Texts, decided: bool) {
    let Ok(list) = dom::document().query_selector_all(SELECTOR) else {
        return;
    };
    for i in 0..list.length() {
        let Some(host) = list
            .item(i)
            .and_then(|n| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(n).ok())
        else {
            continue;
        };
        host.set_text_content(None);
        attr(
            &host,
            "data-decided",
            if decided { "true" } else { "false" },
        );
        for c in view {
            append(&host, &category(c, texts));
        }
        let button = el(
            "button",
            &[("type", "button"), ("data-consent-gate", "preferences")],
        );
        text(&button, texts.get(TextKey::ChangeSettings));
        append(&host, &button);
    }
}

fn status(on: bool, texts: &Texts) -> &str {
    texts.get(if on {
        TextKey::Allowed
    } else {
        TextKey::NotAllowed
    })
}

fn category(c: &CategoryView, texts: &Texts) -> web_sys::Element {
    let section = el("section", &[("data-category", c.category.as_str())]);
    let h = el("h3", &[]);
    text(&h, &c.label);
    let state = el(
        "p",
        &[
            ("data-cg", "status"),
            ("data-granted", if c.checked { "true" } else { "false" }),
        ],
    );
    text(&state, status(c.checked, texts));
    let p = el("p", &[]);
    text(&p, &c.description);
    append(&section, &h);
    append(&section, &state);
    append(&section, &p);
    // One table per category: its own cookies, then each service's, with the
    // service named in the provider column's row group.
    let mut rows: Vec<(&str, &CookieRow)> = c.cookies.iter().map(|r| ("", r)).collect();
    for s in &c.services {
        rows.extend(s.cookies.iter().map(|r| (s.label.as_str(), r)));
    }
    if !rows.is_empty() {
        append(
            &section,
            &cookie_table(&rows, !c.services.is_empty(), texts),
        );
    }
    section
}
