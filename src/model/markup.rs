//! The banner module's DOM as byte programs: the banner and dialog skeleton,
//! the dialog's category list, a cookie declaration and their cookie tables,
//! each written here as one compact program that one JavaScript function
//! (`src/browser/build.js`) runs with `createElement`, `setAttribute` and
//! `createTextNode` only. One call across the boundary per view instead of
//! one per node and attribute, and no markup parser: config and translation
//! strings only ever become text nodes or attribute values.
//!
//! A program is a run of operations ([`op`]), each an opcode byte and its
//! operands: a name is one byte, an index into [`NAMES`] (the tags,
//! attribute names and fixed values, the same list `build.js` holds; never
//! from config), a string is its UTF-8 bytes followed by [`END`] (0xFF,
//! which UTF-8 never contains).

#[allow(unused_imports)]
use super::prelude::*;

use super::config::{Config, Layout, Theme};
use super::i18n::{is_rtl, TextKey, Texts};
use super::view::{CategoryView, CookieRow};

/// The opcodes of a program.
pub mod op {
    /// Ends the current element: its parent is current again.
    pub const CLOSE: u8 = 0;
    /// Appends a text node (operand: a string) to the current element.
    pub const TEXT: u8 = 1;
    /// Sets an attribute of the current element (operands: a name, a string).
    pub const ATTR: u8 = 2;
    /// Sets an attribute to a fixed value (operands: two names).
    pub const SET: u8 = 3;
    /// Hands the current element back to the caller (in program order).
    pub const KEEP: u8 = 4;
    /// Sets a boolean property (`checked`, `disabled`; operand: its name) to true.
    pub const PROP: u8 = 5;
    /// Empties the current element.
    pub const CLEAR: u8 = 6;
    /// Creates an element (operand: its tag), appends it to the current one
    /// (if any) and makes it current.
    pub const OPEN: u8 = 7;
}

/// Ends a string operand.
pub const END: u8 = 0xFF;

macro_rules! names {
    ($($variant:ident $name:literal)*) => {
        /// A tag, attribute name or fixed value: its index in [`NAMES`].
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        #[repr(u8)]
        pub enum N {
            $(
                #[doc = concat!("`", $name, "`")]
                $variant,
            )*
        }

        /// Every name a program can use, in [`N`]'s order; `build.js` holds
        /// the same list (joined with `,`; a host test keeps them in step).
        pub const NAMES: &[&str] = &[$($name),*];
    };
}

names! {
    Div "div" Section "section" H2 "h2" H3 "h3" P "p" A "a" Button "button" Dialog "dialog"
    Span "span" Label "label" Input "input" Table "table" Thead "thead" Tbody "tbody"
    Tr "tr" Th "th" Td "td"
    Id "id" Lang "lang" DataLayout "data-layout" DataTheme "data-theme" Dir "dir"
    Class "class" AriaHidden "aria-hidden" Hidden "hidden" DataCg "data-cg" Role "role"
    AriaLabel "aria-label" DataMode "data-mode" Href "href" AriaModal "aria-modal"
    AriaLabelledby "aria-labelledby" Type "type" DataAction "data-action" Closedby "closedby"
    For "for" DataCategory "data-category" DataService "data-service"
    DataSection "data-section" AriaDescribedby "aria-describedby" Scope "scope"
    DataConsentGate "data-consent-gate" DataGranted "data-granted" DataDecided "data-decided"
    Checked "checked" Disabled "disabled"
    ConsentGate "consent-gate" Bar "bar" BarTop "bar-top" Box "box" Modal "modal"
    Auto "auto" Light "light" Dark "dark" Rtl "rtl" Spacer "spacer" True "true" False "false"
    Banner "banner" Region "region" OptOut "opt-out" Text "text" Note "note" Gpc "gpc"
    Policy "policy" Actions "actions" ActionsFoot "actions foot" AcceptAll "accept-all"
    RejectAll "reject-all" DoNotSell "do-not-sell" Preferences "preferences" Save "save"
    Close "close" DialogTitle "cg-dialog-title" Head "head" Body "body" Wall "wall"
    None "none" Cat "cat" Row "row" Switch "switch" Checkbox "checkbox" On "on" Svc "svc"
    Cookies "cookies" Col "col" Status "status"
}

/// A program being written.
#[derive(Default)]
pub struct Markup(Vec<u8>);

/// Writes the opcodes and names of a fixed run of operations as bytes:
/// `frag![open Div; set Class Actions]`.
macro_rules! frag {
    ($($op:ident $($arg:ident)*);* $(;)?) => { &[$(frag!(@$op) $(, N::$arg as u8)*),*] };
    (@open) => { op::OPEN };
    (@set) => { op::SET };
    (@close) => { op::CLOSE };
    (@keep) => { op::KEEP };
    (@prop) => { op::PROP };
    (@clear) => { op::CLEAR };
}

impl Markup {
    /// The program's bytes.
    pub fn bytes(&self) -> &[u8] {
        &self.0
    }

    /// Appends fixed operations (see `frag!`).
    #[inline(never)]
    fn put(&mut self, ops: &[u8]) {
        self.0.extend_from_slice(ops);
    }

    /// Opens an element with no attributes.
    fn open(&mut self, tag: N) {
        self.put(&[op::OPEN, tag as u8]);
    }

    /// Closes the current element.
    fn close(&mut self) {
        self.0.push(op::CLOSE);
    }

    /// Sets an attribute to a fixed value.
    fn set(&mut self, name: N, value: N) {
        self.put(&[op::SET, name as u8, value as u8]);
    }

    /// Sets an attribute to `prefix` + `value`.
    #[inline(never)]
    fn attr(&mut self, name: N, prefix: &str, value: &str) {
        self.put(&[op::ATTR, name as u8]);
        self.string(prefix, value);
    }

    /// Appends `s` as a text node (none for "": like `textContent = ""`).
    #[inline(never)]
    fn text(&mut self, s: &str) {
        if !s.is_empty() {
            self.0.push(op::TEXT);
            self.string("", s);
        }
    }

    /// `<tag>text</tag>`.
    fn leaf(&mut self, tag: N, s: &str) {
        self.open(tag);
        self.text(s);
        self.close();
    }

    fn string(&mut self, a: &str, b: &str) {
        self.0.extend_from_slice(a.as_bytes());
        self.0.extend_from_slice(b.as_bytes());
        self.0.push(END);
    }
}

/// `<div id="consent-gate" lang data-layout data-theme [dir="rtl"]>`, kept:
/// the shadow host, built detached.
pub fn host(config: &Config, lang: &str) -> Markup {
    let mut m = Markup::default();
    m.put(frag![open Div; set Id ConsentGate]);
    m.attr(N::Lang, "", lang);
    let layout = match config.layout {
        Layout::Bar => N::Bar,
        Layout::BarTop => N::BarTop,
        Layout::Box => N::Box,
        Layout::Modal => N::Modal,
    };
    m.set(N::DataLayout, layout);
    let theme = match config.theme {
        Theme::Auto => N::Auto,
        Theme::Light => N::Light,
        Theme::Dark => N::Dark,
    };
    m.set(N::DataTheme, theme);
    if is_rtl(lang) {
        m.set(N::Dir, N::Rtl);
    }
    m.put(frag![keep]);
    m
}

/// Whether the first layer is a blocking modal dialog (the "wall") around the banner.
pub fn has_wall(config: &Config) -> bool {
    config.layout == Layout::Modal && config.block_page
}

/// The shadow root's content: the spacer, the banner (inside the wall with
/// [`has_wall`]) and the closed preferences dialog. Keeps, in order: the
/// spacer, the wall (only with [`has_wall`]), the banner, the dialog and its
/// (empty) category list. With `opt_out` (an opt-out region) the first layer
/// is a notice whose main button is "Do not sell or share my personal information".
pub fn skeleton(config: &Config, texts: &Texts, gpc: bool, opt_out: bool) -> Markup {
    let t = |k| texts.get(k);
    let (title_key, description_key) = if opt_out {
        (TextKey::OptOutTitle, TextKey::OptOutDescription)
    } else {
        (TextKey::Title, TextKey::Description)
    };
    let mut m = Markup::default();
    // In-flow room at the end of the page as tall as the bottom bar, so the
    // bar never hides the end of the page (a footer's "Cookie settings").
    m.put(frag![open Div; set Class Spacer; set AriaHidden True]);
    m.attr(N::Hidden, "", "");
    m.put(frag![keep; close]);
    let wall = has_wall(config);
    if wall {
        // A blocking first layer is a native modal dialog: the page behind is
        // inert and focus stays in the banner until the visitor decides.
        m.put(frag![open Dialog; set Class Wall; set DataCg Wall; set AriaModal True; set Closedby None]);
        m.attr(N::AriaLabel, "", t(TextKey::Title));
        m.put(frag![keep]);
    }
    // First layer: a labelled region that does not take focus (in the wall,
    // the dialog is what is labelled).
    m.put(frag![open Section; set DataCg Banner; set Class Banner]);
    if !wall {
        m.set(N::Role, N::Region);
    }
    m.attr(N::Hidden, "", "");
    m.attr(N::AriaLabel, "", t(title_key));
    if opt_out {
        m.set(N::DataMode, N::OptOut);
    }
    m.put(frag![keep; open Div; set Class Text]);
    m.leaf(N::H2, t(title_key));
    m.open(N::P);
    m.text(t(description_key));
    if let Some(url) = config.policy_url.as_deref() {
        m.text(" ");
        m.put(frag![open A; set DataCg Policy]);
        m.attr(N::Href, "", url);
        m.text(t(TextKey::PolicyLink));
        m.close();
    }
    m.close();
    if gpc {
        m.put(frag![open P; set Class Note; set DataCg Gpc]);
        m.text(t(TextKey::GpcNotice));
        m.close();
    }
    m.close();
    let buttons = if opt_out {
        [
            (N::DoNotSell, TextKey::DoNotSell),
            (N::AcceptAll, TextKey::AcceptAll),
            (N::Preferences, TextKey::Preferences),
        ]
    } else {
        [
            (N::AcceptAll, TextKey::AcceptAll),
            (N::RejectAll, TextKey::RejectAll),
            (N::Preferences, TextKey::Preferences),
        ]
    };
    actions(&mut m, N::Actions, &buttons, texts);
    m.close();
    if wall {
        m.close();
    }

    // Second layer: a native modal dialog (focus moves in and is contained,
    // Escape closes it, the page behind is inert).
    m.put(frag![open Dialog; set DataCg Dialog; set Role Dialog; set AriaModal True;
        set AriaLabelledby DialogTitle; keep; open Div; set Class Head; open H2; set Id DialogTitle]);
    m.text(t(TextKey::PreferencesTitle));
    m.put(frag![close; open Button; set Type Button; set Class Close; set DataAction Close]);
    m.attr(N::AriaLabel, "", t(TextKey::Close));
    m.text("\u{00d7}");
    m.put(frag![close; close; open Div; set Class Body]);
    m.leaf(N::P, t(TextKey::PreferencesDescription));
    m.put(frag![open Div; keep; close; close]);
    actions(
        &mut m,
        N::ActionsFoot,
        &[
            (N::RejectAll, TextKey::RejectAll),
            (N::AcceptAll, TextKey::AcceptAll),
            (N::Save, TextKey::Save),
        ],
        texts,
    );
    m.close();
    m
}

/// A row of equally prominent buttons.
fn actions(m: &mut Markup, class: N, buttons: &[(N, TextKey); 3], texts: &Texts) {
    m.open(N::Div);
    m.set(N::Class, class);
    for (action, key) in buttons {
        m.put(frag![open Button; set Type Button]);
        m.set(N::DataAction, *action);
        m.text(texts.get(*key));
        m.close();
    }
    m.close();
}

/// The dialog's category list (replacing what it held): one section per
/// category, each with its switch, description, own cookies and services.
pub fn categories(view: &[CategoryView], texts: &Texts) -> Markup {
    let mut m = Markup::default();
    m.put(frag![clear]);
    for c in view {
        let name = c.category.as_str();
        m.put(frag![open Section; set Class Cat]);
        m.attr(N::DataSection, "", name);
        let on = c.locked.then(|| texts.get(TextKey::AlwaysOn));
        let id = ("cg-", name);
        let desc = ("cg-d-", name);
        switch(
            &mut m,
            id,
            &c.label,
            on,
            (N::DataCategory, name),
            (desc, &c.description),
            c.checked,
            c.locked,
        );
        own_cookies(&mut m, &c.cookies, texts);
        for s in &c.services {
            m.put(frag![open Div; set Class Svc]);
            let desc = ("cg-sd-", s.id.as_str());
            let id = ("cg-s-", s.id.as_str());
            switch(
                &mut m,
                id,
                &s.label,
                None,
                (N::DataService, &s.id),
                (desc, &s.description),
                s.checked,
                c.locked,
            );
            own_cookies(&mut m, &s.cookies, texts);
            m.close();
        }
        m.close();
    }
    m
}

/// A labelled switch, `<div class=row><label for=id>…</label>[<span class=on>…</span>]<input role=switch …></div>`,
/// then its description, `<p id=…>…</p>`, which the switch is described by
/// (`description`: the `<p>`'s id, as prefix and name, and its text).
#[allow(clippy::too_many_arguments)]
#[inline(never)]
fn switch(
    m: &mut Markup,
    id: (&str, &str),
    label: &str,
    always_on: Option<&str>,
    data: (N, &str),
    description: ((&str, &str), &str),
    checked: bool,
    locked: bool,
) {
    let (described_by, text) = description;
    m.put(frag![open Div; set Class Row; open Label]);
    m.attr(N::For, id.0, id.1);
    m.text(label);
    m.close();
    if let Some(on) = always_on {
        m.put(frag![open Span; set Class On]);
        m.text(on);
        m.close();
    }
    m.put(frag![open Input; set Type Checkbox; set Role Switch]);
    m.attr(N::Id, id.0, id.1);
    m.attr(data.0, "", data.1);
    m.attr(N::AriaDescribedby, described_by.0, described_by.1);
    if checked {
        m.put(frag![prop Checked]);
    }
    if locked {
        m.put(frag![prop Disabled]);
    }
    m.put(frag![close; close; open P]);
    m.attr(N::Id, described_by.0, described_by.1);
    m.text(text);
    m.close();
}

/// The dialog's table of a category's or a service's own cookies (no services column), if any.
fn own_cookies(m: &mut Markup, rows: &[CookieRow], texts: &Texts) {
    if !rows.is_empty() {
        let mut own = Vec::with_capacity(rows.len());
        for r in rows {
            own.push(("", r));
        }
        cookie_table(m, &own, false, texts);
    }
}

/// A `<table data-cg="cookies">` of `rows`: name, provider, purpose and
/// duration, plus a "Services" column (each row's first item, the service's
/// label, empty for the category's own cookies) when `service_column`.
fn cookie_table(m: &mut Markup, rows: &[(&str, &CookieRow)], service_column: bool, texts: &Texts) {
    let columns = if service_column { 5 } else { 4 };
    m.put(frag![open Table; set DataCg Cookies; open Thead; open Tr]);
    let keys = [
        TextKey::CookieName,
        TextKey::CookieProvider,
        TextKey::CookiePurpose,
        TextKey::CookieDuration,
        TextKey::Services,
    ];
    for k in &keys[..columns] {
        m.put(frag![open Th; set Scope Col]);
        m.text(texts.get(*k));
        m.close();
    }
    m.put(frag![close; close; open Tbody]);
    for (service, r) in rows {
        m.open(N::Tr);
        let cells = [
            r.name.as_str(),
            r.provider.as_str(),
            r.purpose.as_str(),
            r.duration.as_str(),
            service,
        ];
        for cell in &cells[..columns] {
            m.leaf(N::Td, cell);
        }
        m.close();
    }
    m.put(frag![close; close]);
}

/// A cookie declaration's content (replacing what its host held, and setting
/// the host's `data-decided`): per category its label, the visitor's current
/// choice and description, and one table of its own and its services'
/// cookies; then the button that opens the preferences dialog.
pub fn declaration(view: &[CategoryView], texts: &Texts, decided: bool) -> Markup {
    let mut m = Markup::default();
    m.put(frag![clear]);
    m.set(N::DataDecided, if decided { N::True } else { N::False });
    for c in view {
        m.open(N::Section);
        m.attr(N::DataCategory, "", c.category.as_str());
        m.leaf(N::H3, &c.label);
        m.put(frag![open P; set DataCg Status]);
        m.set(N::DataGranted, if c.checked { N::True } else { N::False });
        m.text(texts.get(if c.checked {
            TextKey::Allowed
        } else {
            TextKey::NotAllowed
        }));
        m.close();
        m.leaf(N::P, &c.description);
        // One table per category: its own cookies, then each service's, with
        // the service named in the last column.
        let mut rows: Vec<(&str, &CookieRow)> = Vec::new();
        for r in &c.cookies {
            rows.push(("", r));
        }
        for s in &c.services {
            for r in &s.cookies {
                rows.push((s.label.as_str(), r));
            }
        }
        if !rows.is_empty() {
            cookie_table(&mut m, &rows, !c.services.is_empty(), texts);
        }
        m.close();
    }
    m.put(frag![open Button; set Type Button; set DataConsentGate Preferences]);
    m.text(texts.get(TextKey::ChangeSettings));
    m.close();
    m
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::json;
    use crate::model::record::Record;
    use crate::model::view;

    /// What `build.js` does, as HTML-like text: `<tag a="v">text</tag>`,
    /// `{keep}` where an element is kept, `{clear}`, `.prop` for properties.
    /// Panics on a malformed program.
    fn render(m: &Markup) -> String {
        let p = m.bytes();
        let mut out = String::new();
        let mut open: Vec<&str> = Vec::new();
        let mut in_tag = false;
        let mut i = 0;
        let name = |i: &mut usize| {
            let n = NAMES[usize::from(p[*i])];
            *i += 1;
            n
        };
        let string = |i: &mut usize| {
            let end = *i + p[*i..].iter().position(|&b| b == END).expect("END");
            let s = core::str::from_utf8(&p[*i..end]).expect("UTF-8");
            *i = end + 1;
            s
        };
        while i < p.len() {
            let opcode = p[i];
            i += 1;
            let ends_tag = !matches!(opcode, op::ATTR | op::SET | op::PROP | op::KEEP);
            if in_tag && ends_tag {
                out.push('>');
                in_tag = false;
            }
            match opcode {
                op::CLOSE => {
                    let tag = open.pop().expect("an open element");
                    out.push_str("</");
                    out.push_str(tag);
                    out.push('>');
                }
                op::TEXT => out.push_str(string(&mut i)),
                op::ATTR | op::SET => {
                    let n = name(&mut i);
                    let v = if opcode == op::ATTR {
                        string(&mut i)
                    } else {
                        name(&mut i)
                    };
                    out.push(' ');
                    out.push_str(n);
                    out.push_str("=\"");
                    out.push_str(v);
                    out.push('"');
                }
                op::KEEP => out.push_str(" {keep}"),
                op::PROP => {
                    out.push_str(" .");
                    out.push_str(name(&mut i));
                }
                op::CLEAR => out.push_str("{clear}"),
                op::OPEN => {
                    let tag = name(&mut i);
                    out.push('<');
                    out.push_str(tag);
                    open.push(tag);
                    in_tag = true;
                }
                other => panic!("unknown opcode {other}"),
            }
        }
        if in_tag {
            out.push('>');
        }
        out
    }

    fn config(json: &str) -> Config {
        Config::from_value(&json::parse(json).unwrap()).unwrap().0
    }

    #[test]
    fn the_names_are_the_ones_build_mjs_holds() {
        let js = include_str!("../browser/build.js");
        let mut expected = String::from("\"");
        expected.push_str(&NAMES.join(","));
        expected.push('"');
        assert!(js.contains(&expected), "build.js lacks {expected}");
        assert!(NAMES.len() < 256);
        assert!(NAMES.iter().all(|n| !n.contains(',') && !n.is_empty()));
        assert_eq!(NAMES[N::Status as usize], "status");
    }

    #[test]
    fn the_host_carries_layout_theme_language_and_direction() {
        let m = host(&config(r#"{"layout":"bar-top","theme":"dark"}"#), "ar");
        assert_eq!(
            render(&m),
            r#"<div id="consent-gate" lang="ar" data-layout="bar-top" data-theme="dark" dir="rtl" {keep}>"#
        );
        let m = host(&Config::default(), "de");
        assert_eq!(
            render(&m),
            r#"<div id="consent-gate" lang="de" data-layout="bar" data-theme="auto" {keep}>"#
        );
    }

    #[test]
    fn the_skeleton_has_the_banner_and_the_closed_dialog() {
        let texts = Texts::english();
        let html = render(&skeleton(&Config::default(), &texts, false, false));
        assert_eq!(
            html,
            concat!(
                r#"<div class="spacer" aria-hidden="true" hidden="" {keep}></div>"#,
                r#"<section data-cg="banner" class="banner" role="region" hidden="" aria-label="We use cookies" {keep}>"#,
                r#"<div class="text"><h2>We use cookies</h2><p>Essential cookies keep this site working. Optional cookies for analytics, preferences and marketing stay off until you agree, and you can change your choice any time via "Cookie settings".</p></div>"#,
                r#"<div class="actions"><button type="button" data-action="accept-all">Accept all</button>"#,
                r#"<button type="button" data-action="reject-all">Reject all</button>"#,
                r#"<button type="button" data-action="preferences">Preferences</button></div></section>"#,
                r#"<dialog data-cg="dialog" role="dialog" aria-modal="true" aria-labelledby="cg-dialog-title" {keep}>"#,
                r#"<div class="head"><h2 id="cg-dialog-title">Cookie settings</h2>"#,
                r#"<button type="button" class="close" data-action="close" aria-label="Close">×</button></div>"#,
                r#"<div class="body"><p>Choose which optional cookies you allow. Essential cookies are always on, because the site cannot work without them.</p><div {keep}></div></div>"#,
                r#"<div class="actions foot"><button type="button" data-action="reject-all">Reject all</button>"#,
                r#"<button type="button" data-action="accept-all">Accept all</button>"#,
                r#"<button type="button" data-action="save">Save choices</button></div></dialog>"#,
            )
        );
    }

    #[test]
    fn the_wall_holds_the_banner_without_its_region_role() {
        let mut texts = Texts::english();
        texts.set(TextKey::Title, "<b>Hi</b>".into());
        let c = config(r#"{"layout":"modal","blockPage":true,"policyUrl":"/privacy?a=1&b=2"}"#);
        let html = render(&skeleton(&c, &texts, true, true));
        assert!(
            html.starts_with(concat!(
                r#"<div class="spacer" aria-hidden="true" hidden="" {keep}></div>"#,
                r#"<dialog class="wall" data-cg="wall" aria-modal="true" closedby="none" aria-label="<b>Hi</b>" {keep}>"#,
                r#"<section data-cg="banner" class="banner" hidden="" aria-label=""#,
            )),
            "{html}"
        );
        assert!(html.contains(r#"data-mode="opt-out" {keep}>"#), "{html}");
        assert!(
            html.contains(r#" <a data-cg="policy" href="/privacy?a=1&b=2">Cookie policy</a></p>"#),
            "{html}"
        );
        assert!(html.contains(r#"<p class="note" data-cg="gpc">"#), "{html}");
        assert!(
            html.contains(r#"data-action="do-not-sell">"#)
                && html.find("do-not-sell") < html.find("accept-all"),
            "{html}"
        );
        assert!(
            html.contains(r#"</section></dialog><dialog data-cg="dialog""#),
            "{html}"
        );
        assert_eq!(html.matches("{keep}").count(), 5);
        assert!(!has_wall(&config(r#"{"layout":"modal"}"#)));
    }

    #[test]
    fn the_category_list_has_switches_services_and_tables() {
        let c = config(
            r#"{"categories":{"essential":{"cookies":[{"name":"sid","provider":"us"}]},
              "performance":{"services":{"ga":{"label":"Google Analytics","description":"Stats",
                "cookies":[{"name":"_ga*","duration":"2 years"}]}}}}}"#,
        );
        let texts = Texts::english();
        let html = render(&categories(&view::dialog(&c, &texts, None), &texts));
        assert!(html.starts_with(concat!(
            r#"{clear}<section class="cat" data-section="essential"><div class="row">"#,
            r#"<label for="cg-essential">Essential</label><span class="on">Always on</span>"#,
            r#"<input type="checkbox" role="switch" id="cg-essential" data-category="essential" aria-describedby="cg-d-essential" .checked .disabled></input></div>"#,
            r#"<p id="cg-d-essential">"#,
        )));
        assert!(html.contains(concat!(
            r#"<table data-cg="cookies"><thead><tr><th scope="col">Name</th><th scope="col">Provider</th>"#,
            r#"<th scope="col">Purpose</th><th scope="col">Duration</th></tr></thead>"#,
            r#"<tbody><tr><td>sid</td><td>us</td><td></td><td></td></tr></tbody></table></section>"#,
        )));
        assert!(html.contains(concat!(
            r#"<div class="svc"><div class="row"><label for="cg-s-ga">Google Analytics</label>"#,
            r#"<input type="checkbox" role="switch" id="cg-s-ga" data-service="ga" aria-describedby="cg-sd-ga"></input></div>"#,
            r#"<p id="cg-sd-ga">Stats</p><table data-cg="cookies">"#,
        )));
        assert!(html.contains(r#"<td>_ga*</td><td></td><td></td><td>2 years</td>"#));
        assert_eq!(html.matches("<section").count(), 4);
        assert!(!html.contains("{keep}"));
    }

    #[test]
    fn the_declaration_shows_each_choice_and_one_table_per_category() {
        let c = config(
            r#"{"categories":{"performance":{"cookies":[{"name":"own"}],
              "services":{"ga":{"label":"GA","cookies":[{"name":"_ga"}]}}}}}"#,
        );
        let texts = Texts::english();
        let mut record = Record {
            id: "0123456789abcdef0123456789abcdef".into(),
            revision: 1,
            decided_at: 0,
            updated_at: 0,
            expires_at: 1,
            categories: [true, true, false, false],
            services: Vec::new(),
            gpc: false,
            opt_out: false,
        };
        record.services.push(("ga".into(), true));
        let html = render(&declaration(
            &view::dialog(&c, &texts, Some(&record)),
            &texts,
            true,
        ));
        assert!(html.starts_with(concat!(
            r#"{clear} data-decided="true"<section data-category="essential"><h3>Essential</h3>"#,
            r#"<p data-cg="status" data-granted="true">"#,
        )));
        assert!(html.contains(concat!(
            r#"<th scope="col">Services</th></tr></thead><tbody>"#,
            r#"<tr><td>own</td><td></td><td></td><td></td><td></td></tr>"#,
            r#"<tr><td>_ga</td><td></td><td></td><td></td><td>GA</td></tr></tbody></table></section>"#,
        )));
        assert!(html.contains(r#"<section data-category="functional"><h3>Functional</h3><p data-cg="status" data-granted="false">"#));
        assert!(html.ends_with(
            r#"<button type="button" data-consent-gate="preferences">Change cookie settings</button>"#
        ));
        assert_eq!(html.matches("<table").count(), 1);
    }

    #[test]
    fn strings_never_end_early() {
        // Every string byte is below 0xFF in UTF-8, so END cannot occur inside one.
        let mut m = Markup::default();
        m.text("\u{ffff}\u{10ffff}ÿ\0");
        assert_eq!(m.bytes().iter().filter(|&&b| b == END).count(), 1);
    }
}
