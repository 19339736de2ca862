//! The cookie table, one builder for the preferences dialog and the cookie
//! declaration: a header row of the translated column names, then one row per
//! cookie, every cell a text node.

use web_sys::Element;

use super::dom::{append, el, text};
use crate::model::i18n::{TextKey, Texts};
use crate::model::view::CookieRow;

/// A `<table data-cg="cookies">` of `rows`: name, provider, purpose and
/// duration, plus a "Services" column (each row's first item, the service's
/// label, empty for the category's own cookies) when `service_column`.
pub(crate) fn cookie_table(
    rows: &[(&str, &CookieRow)],
    service_column: bool,
    texts: &Texts,
) -> Element {
    let table = el("table", &[("data-cg", "cookies")]);
    let head = el("tr", &[]);
    let keys = [
        TextKey::CookieName,
        TextKey::CookieProvider,
        TextKey::CookiePurpose,
        TextKey::CookieDuration,
        TextKey::Services,
    ];
    for k in &keys[..if service_column { 5 } else { 4 }] {
        let th = el("th", &[("scope", "col")]);
        text(&th, texts.get(*k));
        append(&head, &th);
    }
    let thead = el("thead", &[]);
    append(&thead, &head);
    append(&table, &thead);
    let tbody = el("tbody", &[]);
    for (service, r) in rows {
        let tr = el("tr", &[]);
        let cells = [
            r.name.as_str(),
            r.provider.as_str(),
            r.purpose.as_str(),
            r.duration.as_str(),
            service,
        ];
        for cell in &cells[..if service_column { 5 } else { 4 }] {
            let td = el("td", &[]);
            text(&td, cell);
            append(&tr, &td);
        }
        append(&tbody, &tr);
    }
    append(&table, &tbody);
    table
}
