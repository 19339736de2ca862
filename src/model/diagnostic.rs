//! Config diagnostics: a problem found while reading, the key path that
//! names where, and a [`Code`] that says what. Shared by the config reader and
//! the text overlays in [`super::i18n`], so neither depends on the other for them.
//!
//! The banner module a visitor downloads carries no English sentence for
//! them: it hands each diagnostic to its JavaScript entry in the compact form
//! of [`Diagnostic::compact`] (`E8 1 395` and the path), and the entry prints
//! it with the words of `consent-gate-messages.json`, which is
//! [`messages_json`] written out: fetched only when there is something to
//! say. The checker ([`crate::check`] on the host and in the configurator)
//! words them with [`Diagnostic::message`] from the same table, so the
//! console and the checker say the same thing.

#[allow(unused_imports)]
use super::prelude::*;

/// How bad a [`Diagnostic`] is.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Severity {
    /// An unknown key, ignored (`console.warn`).
    Warning,
    /// A bad value, replaced by its default (`console.error`).
    Error,
}

/// What a [`Diagnostic`] says. The number is stable (site owners may look a
/// code up in the README or in `consent-gate-messages.json`): add new codes
/// at the end, never renumber. Shown as `W1` (a warning) or `E8` (an error).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[repr(u8)]
pub enum Code {
    /// `unknown key`.
    UnknownKey = 1,
    /// `unknown category`.
    UnknownCategory,
    /// The whole config is not an object (the module fails closed).
    NotAnObject,
    /// `expected an object`.
    ExpectedObject,
    /// `expected an array`.
    ExpectedArray,
    /// A `cookies` or `localStorage` list longer than 200 entries.
    TooManyEntries,
    /// `expected a boolean`.
    ExpectedBoolean,
    /// `expected an integer from {0} to {1}` (the range is the arguments).
    ExpectedInteger,
    /// `expected a string`.
    ExpectedString,
    /// A URL that is not http, https or relative.
    UnsafeUrl,
    /// A bad cookie domain.
    ExpectedDomain,
    /// A bad `cookie.name`.
    ExpectedCookieName,
    /// A bad `googleConsentMode`.
    ExpectedConsentMode,
    /// A bad `consentLog`.
    ExpectedConsentLog,
    /// `required`.
    Required,
    /// The same category given twice (under its id and an alias).
    DuplicateCategory,
    /// A bad service id.
    ExpectedServiceId,
    /// A service id that is a category name.
    ServiceIdIsCategory,
    /// The same service id twice.
    DuplicateServiceId,
    /// More than 64 services.
    TooManyServices,
    /// The service ids do not fit the consent cookie together.
    ServicesTooLong,
    /// A bad cookie name pattern in a `cookies` list.
    ExpectedCookiePattern,
    /// A cookie `path` that does not start with `/`.
    ExpectedCookiePath,
    /// A bad `localStorage` key pattern.
    ExpectedStoragePattern,
    /// A bad language tag as a `texts` key.
    ExpectedLanguageTag,
    /// A bad `language`.
    ExpectedLanguage,
    /// A bad `layout`.
    ExpectedLayout,
    /// A bad `theme`.
    ExpectedTheme,
    /// A listed cookie or storage key that matches the consent cookie.
    ListsConsentCookie,
    /// A `texts.<lang>` (or a language file) that is not an object.
    ExpectedTexts,
    /// `blockHosts.essential`: essential is always granted, nothing would be held.
    BlockHostsEssential,
    /// A `blockHosts` key that is not an optional category.
    ExpectedOptionalCategory,
    /// A `blockHosts` entry that is not an array.
    ExpectedHostList,
    /// A bad host name in `blockHosts`.
    ExpectedHost,
    /// `regions` that is not an object.
    ExpectedRegions,
    /// A `regions` key that is not a region or group (the key is ignored).
    ExpectedRegion,
    /// A `regions` value that is not a mode (opt-in is used).
    ExpectedRegionMode,
}

impl Code {
    /// Every code, in number order.
    pub const ALL: [Code; 37] = [
        Code::UnknownKey,
        Code::UnknownCategory,
        Code::NotAnObject,
        Code::ExpectedObject,
        Code::ExpectedArray,
        Code::TooManyEntries,
        Code::ExpectedBoolean,
        Code::ExpectedInteger,
        Code::ExpectedString,
        Code::UnsafeUrl,
        Code::ExpectedDomain,
        Code::ExpectedCookieName,
        Code::ExpectedConsentMode,
        Code::ExpectedConsentLog,
        Code::Required,
        Code::DuplicateCategory,
        Code::ExpectedServiceId,
        Code::ServiceIdIsCategory,
        Code::DuplicateServiceId,
        Code::TooManyServices,
        Code::ServicesTooLong,
        Code::ExpectedCookiePattern,
        Code::ExpectedCookiePath,
        Code::ExpectedStoragePattern,
        Code::ExpectedLanguageTag,
        Code::ExpectedLanguage,
        Code::ExpectedLayout,
        Code::ExpectedTheme,
        Code::ListsConsentCookie,
        Code::ExpectedTexts,
        Code::BlockHostsEssential,
        Code::ExpectedOptionalCategory,
        Code::ExpectedHostList,
        Code::ExpectedHost,
        Code::ExpectedRegions,
        Code::ExpectedRegion,
        Code::ExpectedRegionMode,
    ];

    /// Its stable number.
    pub fn number(self) -> u8 {
        self as u8
    }

    /// Warning for an unknown key or category (ignored), error for the rest
    /// (the value is replaced by its default).
    pub fn severity(self) -> Severity {
        match self {
            Code::UnknownKey | Code::UnknownCategory => Severity::Warning,
            _ => Severity::Error,
        }
    }

    /// How many numeric arguments its text takes (`{0}`, `{1}`).
    pub fn arity(self) -> usize {
        match self {
            Code::ExpectedInteger => 2,
            _ => 0,
        }
    }

    /// `W1`, `E8`: the severity's letter and the number.
    pub fn id(self) -> String {
        let mut s = String::from(match self.severity() {
            Severity::Warning => "W",
            Severity::Error => "E",
        });
        super::push_decimal(&mut s, self.number().into());
        s
    }

    /// The English text, with `{0}` and `{1}` where the arguments go. The one
    /// source of these words: the checker, the configurator and
    /// `consent-gate-messages.json` (what the browser console shows) all use it.
    pub fn text(self) -> &'static str {
        match self {
            Code::UnknownKey => "unknown key",
            Code::UnknownCategory => "unknown category",
            Code::NotAnObject => "the config must be a JSON object",
            Code::ExpectedObject => "expected an object",
            Code::ExpectedArray => "expected an array",
            Code::TooManyEntries => "at most 200 entries; the rest are ignored",
            Code::ExpectedBoolean => "expected a boolean",
            Code::ExpectedInteger => "expected an integer from {0} to {1}",
            Code::ExpectedString => "expected a string",
            Code::UnsafeUrl => "only http, https or relative URLs are allowed",
            Code::ExpectedDomain => "expected a domain such as .example.com",
            Code::ExpectedCookieName => {
                "expected a cookie name of 1 to 64 letters, digits or !#$%&'+-.^_`|~"
            }
            Code::ExpectedConsentMode => {
                "expected true, false or an object such as { \"waitForUpdate\": 500 }"
            }
            Code::ExpectedConsentLog => "expected an object such as { \"url\": \"/consent-log\" }",
            Code::Required => "required",
            Code::DuplicateCategory => "duplicate category",
            Code::ExpectedServiceId => {
                "expected a service id of 1 to 64 lowercase letters, digits, - or _"
            }
            Code::ServiceIdIsCategory => "a service id must not be a category name",
            Code::DuplicateServiceId => "duplicate service id",
            Code::TooManyServices => "at most 64 services; this one is ignored",
            Code::ServicesTooLong => {
                "the service ids are too long together for the consent cookie; this one is ignored"
            }
            Code::ExpectedCookiePattern => "expected a cookie name; '*' may only end it",
            Code::ExpectedCookiePath => "expected a path starting with /",
            Code::ExpectedStoragePattern => "expected a key name; '*' may only end it",
            Code::ExpectedLanguageTag => "expected a language tag such as \"de\"",
            Code::ExpectedLanguage => "expected \"auto\" or a language tag such as \"de\"",
            Code::ExpectedLayout => "expected one of bar, bar-top, box, modal",
            Code::ExpectedTheme => "expected one of auto, light, dark",
            Code::ListsConsentCookie => "an entry matches the consent cookie's name and is ignored",
            Code::ExpectedTexts => "expected an object of texts",
            Code::BlockHostsEssential => {
                "essential is always granted: hosts here would never be held"
            }
            Code::ExpectedOptionalCategory => {
                "expected performance, functional or marketing (or an alias)"
            }
            Code::ExpectedHostList => "expected an array of host names",
            Code::ExpectedHost => {
                "expected a host name such as ads.example.com (no scheme, port, path or *)"
            }
            Code::ExpectedRegions => "expected an object such as { \"US-CA\": \"opt-out\" }",
            Code::ExpectedRegion => {
                "expected a region such as \"DE\" or \"US-CA\" (capitals), or EU, EEA, US, *; ignored"
            }
            Code::ExpectedRegionMode => "expected one of opt-in, opt-out, off; opt-in is used",
        }
    }
}

/// One problem found in the config.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Warning or error (follows from the code).
    pub severity: Severity,
    /// The key path, e.g. `categories.marketing.cookies[2].name`.
    pub path: String,
    /// What is wrong.
    pub code: Code,
    /// The code's numeric arguments (as many as [`Code::arity`]; the rest 0).
    pub args: [u32; 2],
}

impl Diagnostic {
    /// A diagnostic at `path`.
    pub fn new(path: String, code: Code) -> Diagnostic {
        Diagnostic::with_args(path, code, [0, 0])
    }

    /// A diagnostic at `path` whose text takes arguments.
    pub fn with_args(path: String, code: Code, args: [u32; 2]) -> Diagnostic {
        Diagnostic {
            severity: code.severity(),
            path,
            code,
            args,
        }
    }

    /// The short plain message, e.g. `expected an integer from 1 to 395`:
    /// the code's text with its arguments in place.
    pub fn message(&self) -> String {
        let mut out = String::new();
        let mut rest = self.code.text();
        while let Some(i) = rest.find('{') {
            out.push_str(&rest[..i]);
            let slot = match rest.as_bytes().get(i + 1) {
                Some(b'0') => self.args.first(),
                Some(b'1') => self.args.get(1),
                _ => None,
            };
            match slot {
                Some(n) if rest.as_bytes().get(i + 2) == Some(&b'}') => {
                    super::push_decimal(&mut out, (*n).into());
                    rest = &rest[i + 3..];
                }
                _ => {
                    out.push('{');
                    rest = &rest[i + 1..];
                }
            }
        }
        out.push_str(rest);
        out
    }

    /// What the banner module hands its JavaScript entry: the code's id, its
    /// arguments (each after a space), a line feed, then the path:
    /// `"E8 1 395\ncookie.lifetimeDays"`. The head never holds a line feed,
    /// so the first one ends it, whatever the path holds.
    pub fn compact(&self) -> String {
        let mut s = String::with_capacity(self.path.len() + 16);
        s.push(match self.severity {
            Severity::Warning => 'W',
            Severity::Error => 'E',
        });
        super::push_decimal(&mut s, self.code.number().into());
        for n in self.args.iter().take(self.code.arity()) {
            s.push(' ');
            super::push_decimal(&mut s, (*n).into());
        }
        s.push('\n');
        s.push_str(&self.path);
        s
    }
}

/// [`Diagnostic::compact`] of the one problem that stops the config from being
/// read at all (it is not an object): what the banner module reports then
/// without its diagnostics' code, which lives in the part fetched later.
pub const NOT_AN_OBJECT: &str = "E3\n";

/// `consent-gate-messages.json`, the file the banner module's entry fetches
/// to word a diagnostic: `{ "W1": "unknown key", … }`, one code a line.
pub fn messages_json() -> String {
    let mut s = String::from("{\n");
    for (i, code) in Code::ALL.iter().enumerate() {
        s.push_str("  \"");
        s.push_str(&code.id());
        s.push_str("\": \"");
        for c in code.text().chars() {
            if c == '"' || c == '\\' {
                s.push('\\');
            }
            s.push(c);
        }
        s.push('"');
        if i + 1 < Code::ALL.len() {
            s.push(',');
        }
        s.push('\n');
    }
    s.push_str("}\n");
    s
}

/// `base.key` (or `key` at the top).
pub(crate) fn join(base: &str, key: &str) -> String {
    let mut s = String::with_capacity(base.len() + key.len() + 1);
    s.push_str(base);
    if !base.is_empty() {
        s.push('.');
    }
    s.push_str(key);
    s
}

/// `base[i]`.
pub(crate) fn at(base: &str, i: usize) -> String {
    let mut s = String::with_capacity(base.len() + 5);
    s.push_str(base);
    s.push('[');
    super::push_decimal(&mut s, i as u64);
    s.push(']');
    s
}
