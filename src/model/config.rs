//! The site owner's config, validated.
//!
//! [`Config::from_value`] reads a [`Value`] and never stops at the first
//! problem: every bad value becomes an error [`Diagnostic`] naming its path
//! (`cookie.lifetimeDays`, `categories.marketing.cookies[2].name`) and falls
//! back to its default, which never grants anything; every unknown key becomes
//! a warning. `null` is the same as leaving out a key whose default is "none"
//! (`policyUrl`, `cookie.domain`, `googleConsentMode`, `consentLog`, labels,
//! descriptions and cookie details); elsewhere it is a bad value.

#[allow(unused_imports)]
use super::prelude::*;

use super::category::Category;
use super::i18n::{is_language_tag, normalise_tag, overrides, TextKey};
use super::names::{is_cookie_name, is_token_char, DEFAULT_COOKIE};
pub use super::names::{is_service_id, MAX_SERVICES};
use super::value::Value;

/// At most this many entries in one `cookies` or `localStorage` list.
pub const MAX_LIST: usize = 200;

/// Where the banner sits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Layout {
    /// `"bar"`: a bar along the bottom (default).
    #[default]
    Bar,
    /// `"bar-top"`: a bar along the top.
    BarTop,
    /// `"box"`: a small box in a corner.
    Box,
    /// `"modal"`: a centred dialog.
    Modal,
}

/// The colour scheme.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Theme {
    /// `"auto"`: follows `prefers-color-scheme` (default).
    #[default]
    Auto,
    /// `"light"`.
    Light,
    /// `"dark"`.
    Dark,
}

/// The consent cookie's settings (`cookie.*`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CookieSettings {
    /// `cookie.name`: RFC 6265 token characters, 1 to 64 (default `consent_gate`).
    pub name: String,
    /// `cookie.domain`: lowercase host name, optional leading dot.
    pub domain: Option<String>,
    /// `cookie.lifetimeDays`: 1 to 395 (default 182).
    pub lifetime_days: u32,
}

impl Default for CookieSettings {
    fn default() -> CookieSettings {
        CookieSettings {
            name: DEFAULT_COOKIE.into(),
            domain: None,
            lifetime_days: 182,
        }
    }
}

/// Google Consent Mode v2 settings (`googleConsentMode`).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ConsentMode {
    /// `waitForUpdate` in milliseconds (0 to 60000), passed with the default.
    pub wait_for_update: Option<u32>,
}

/// A cookie the config lists (to show it, and to delete it on withdrawal).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct CookieInfo {
    /// The name; a trailing `*` makes it a prefix pattern.
    pub name: String,
    /// Who sets it.
    pub provider: Option<String>,
    /// What it is for.
    pub purpose: Option<String>,
    /// How long it lives, as free text.
    pub duration: Option<String>,
    /// The domain it is set on, if not the current host.
    pub domain: Option<String>,
    /// The path it is set on (starts with `/`).
    pub path: Option<String>,
}

/// A service inside a category, with its own toggle.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Service {
    /// The id (its key in the config): `[a-z0-9][a-z0-9_-]{0,63}`.
    pub id: String,
    /// Shown name (defaults to the id).
    pub label: Option<String>,
    /// Shown description.
    pub description: Option<String>,
    /// Its cookies.
    pub cookies: Vec<CookieInfo>,
    /// Its `localStorage` keys; a trailing `*` makes a prefix pattern.
    pub local_storage: Vec<String>,
}

/// What the config says about one category.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct CategoryConfig {
    /// Overrides the built-in label.
    pub label: Option<String>,
    /// Overrides the built-in description.
    pub description: Option<String>,
    /// Cookies of the category itself.
    pub cookies: Vec<CookieInfo>,
    /// Its services.
    pub services: Vec<Service>,
    /// Its `localStorage` keys (`localStorage`); a trailing `*` makes a prefix pattern.
    pub local_storage: Vec<String>,
}

/// How bad a [`Diagnostic`] is.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Severity {
    /// An unknown key, ignored (`console.warn`).
    Warning,
    /// A bad value, replaced by its default (`console.error`).
    Error,
}

/// One problem found in the config.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Warning or error.
    pub severity: Severity,
    /// The key path, e.g. `categories.marketing.cookies[2].name`.
    pub path: String,
    /// A short plain message, e.g. `expected a boolean`.
    pub message: String,
}

impl Diagnostic {
    /// A diagnostic at `path`.
    pub fn new(severity: Severity, path: String, message: &str) -> Diagnostic {
        Diagnostic {
            severity,
            path,
            message: message.into(),
        }
    }
}

/// The validated config; [`Config::default`] is the zero-config setup.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    /// `revision`: a decision taken under an older revision is void. Default 1.
    pub revision: u32,
    /// `language`: `"auto"` (default) or a normalised language tag.
    pub language: String,
    /// `layout`.
    pub layout: Layout,
    /// `theme`.
    pub theme: Theme,
    /// `policyUrl`: an http(s) or relative URL.
    pub policy_url: Option<String>,
    /// `cookie`.
    pub cookie: CookieSettings,
    /// `gpc`: honour Global Privacy Control. Default `true`.
    pub gpc: bool,
    /// `googleConsentMode`: `None` unless enabled.
    pub google_consent_mode: Option<ConsentMode>,
    /// `consentLog.url`: where each decision is posted.
    pub consent_log: Option<String>,
    /// `reloadOnWithdraw`: reload the page after a withdrawal. Default `true`.
    pub reload_on_withdraw: bool,
    /// `blockPage`: with the `modal` layout, make the page behind the first
    /// layer inert until the visitor decides. Default `false`.
    pub block_page: bool,
    /// `hideFromBots`: no banner and nothing optional for crawlers
    /// ([`super::crawler`]). Default `true`.
    pub hide_from_bots: bool,
    /// `regions`: region keys to banner modes ([`super::region`]), in config order.
    pub regions: Vec<(String, super::region::Mode)>,
    /// Per category, indexed by [`Category::index`].
    pub categories: [CategoryConfig; 4],
    /// `texts.<lang>.<key>` overrides; languages normalised (`pt_BR` → `pt-br`).
    pub texts: Vec<(String, Vec<(TextKey, String)>)>,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            revision: 1,
            language: "auto".into(),
            layout: Layout::Bar,
            theme: Theme::Auto,
            policy_url: None,
            cookie: CookieSettings::default(),
            gpc: true,
            google_consent_mode: None,
            consent_log: None,
            reload_on_withdraw: true,
            block_page: false,
            hide_from_bots: true,
            regions: Vec::new(),
            categories: Default::default(),
            texts: Vec::new(),
        }
    }
}

impl Config {
    /// Reads and validates a config. `Err` only when `v` is not an object (the
    /// caller then fails closed); otherwise the config plus every problem found.
    pub fn from_value(v: &Value) -> Result<(Config, Vec<Diagnostic>), Diagnostic> {
        let Value::Object(members) = v else {
            return Err(Diagnostic::new(
                Severity::Error,
                String::new(),
                "the config must be a JSON object",
            ));
        };
        let mut r = Reader::default();
        let mut c = Config::default();
        for (key, value) in members {
            let path = key.as_str();
            match path {
                "revision" => {
                    if let Some(n) = r.int(value, path, 1, 1_000_000_000) {
                        c.revision = n;
                    }
                }
                "language" => match value.as_str().map(str::trim) {
                    Some(s) if s.eq_ignore_ascii_case("auto") => c.language = "auto".into(),
                    Some(s) if is_language_tag(s) => c.language = normalise_tag(s),
                    _ => r.error(
                        path.into(),
                        "expected \"auto\" or a language tag such as \"de\"",
                    ),
                },
                "layout" => match value.as_str() {
                    Some("bar") => c.layout = Layout::Bar,
                    Some("bar-top") => c.layout = Layout::BarTop,
                    Some("box") => c.layout = Layout::Box,
                    Some("modal") => c.layout = Layout::Modal,
                    _ => r.error(path.into(), "expected one of bar, bar-top, box, modal"),
                },
                "theme" => match value.as_str() {
                    Some("auto") => c.theme = Theme::Auto,
                    Some("light") => c.theme = Theme::Light,
                    Some("dark") => c.theme = Theme::Dark,
                    _ => r.error(path.into(), "expected one of auto, light, dark"),
                },
                "policyUrl" => c.policy_url = r.url(value, path),
                "cookie" => c.cookie = r.cookie_settings(value, path),
                "gpc" => c.gpc = r.bool(value, path, true),
                "googleConsentMode" => c.google_consent_mode = r.consent_mode(value, path),
                "consentLog" => c.consent_log = r.consent_log(value, path),
                "reloadOnWithdraw" => c.reload_on_withdraw = r.bool(value, path, true),
                "blockPage" => c.block_page = r.bool(value, path, false),
                "hideFromBots" => c.hide_from_bots = r.bool(value, path, true),
                "regions" => c.regions = super::region::read(value, path, &mut r.diags),
                "categories" => c.categories = r.categories(value, path),
                "texts" => c.texts = r.texts(value, path),
                _ => r.warn(path.into(), "unknown key"),
            }
        }
        r.protect_consent_cookie(&mut c);
        Ok((c, r.diags))
    }

    /// What the config says about category `c`.
    pub fn category(&self, c: Category) -> &CategoryConfig {
        &self.categories[c.index()]
    }

    /// Every service with its category, in category order.
    pub fn services(&self) -> impl Iterator<Item = (Category, &Service)> {
        Category::ALL
            .into_iter()
            .flat_map(move |c| self.category(c).services.iter().map(move |s| (c, s)))
    }

    /// The category of service `id`, if configured.
    pub fn service_category(&self, id: &str) -> Option<Category> {
        self.services().find(|(_, s)| s.id == id).map(|(c, _)| c)
    }
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

/// Whether a link may be used: `http:`, `https:`, protocol-relative (`//host`)
/// or relative; no control characters (browsers drop tabs and newlines, which
/// would let `java\tscript:` through).
pub fn is_safe_url(s: &str) -> bool {
    let s = s.trim_matches(|c: char| c == ' ' || c.is_ascii_control());
    if s.is_empty() || s.chars().any(|c| c.is_control()) {
        return false;
    }
    let end = s.find(['/', '?', '#']).unwrap_or(s.len());
    match s.get(..end).and_then(|head| head.split_once(':')) {
        None => true,
        Some((scheme, _)) => {
            let is_scheme = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b));
            !is_scheme
                || scheme.eq_ignore_ascii_case("http")
                || scheme.eq_ignore_ascii_case("https")
        }
    }
}

/// A cookie name or `prefix*` pattern: token characters, `*` only at the end
/// and never alone, at most 256 bytes.
pub fn is_cookie_pattern(s: &str) -> bool {
    let name = s.strip_suffix('*').unwrap_or(s);
    !name.is_empty() && name.len() < 256 && name.bytes().all(|b| b != b'*' && is_token_char(b))
}

/// A `localStorage` key or `prefix*` pattern: no control characters, `*` only
/// at the end and never alone, at most 256 bytes.
pub fn is_storage_pattern(s: &str) -> bool {
    let name = s.strip_suffix('*').unwrap_or(s);
    !name.is_empty() && name.len() < 256 && !name.chars().any(|c| c == '*' || c.is_control())
}

/// A cookie domain: host-name labels of letters, digits and `-`, an optional leading dot.
fn is_domain(s: &str) -> bool {
    let host = s.strip_prefix('.').unwrap_or(s);
    (1..=253).contains(&host.len())
        && host.split('.').all(|l| {
            (1..=63).contains(&l.len()) && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

/// Whether `name` is matched by cookie or storage `pattern`.
pub fn pattern_matches(pattern: &str, name: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => name.starts_with(prefix),
        None => pattern == name,
    }
}

/// Collects diagnostics while reading.
#[derive(Default)]
struct Reader {
    diags: Vec<Diagnostic>,
    /// Service ids seen so far, across categories.
    service_ids: Vec<String>,
    /// Per category, the key it was given under (`analytics` for performance),
    /// so later diagnostics name a path that exists in the config.
    category_keys: [Option<String>; 4],
}

/// The most bytes the consent cookie's services field may take: the value's
/// limit less its longest fixed part (version, id, a 10-digit revision, three
/// 11-digit times, categories, gpc, the check and the dots between).
const SERVICES_FIELD_BYTES: usize = super::codec::MAX_LEN - (2 + 32 + 11 + 3 * 12 + 5 + 2 + 1 + 9);

/// Whether one more service `id` still fits the cookie's services field,
/// given the ids kept so far: each takes `id:0` and a `~` between two.
fn services_fit(kept: &[String], id: &str) -> bool {
    let used: usize = kept.iter().map(|k| k.len() + 3).sum();
    used + id.len() + 3 <= SERVICES_FIELD_BYTES + 1
}

impl Reader {
    fn error(&mut self, path: String, message: &str) {
        self.diags
            .push(Diagnostic::new(Severity::Error, path, message));
    }

    fn warn(&mut self, path: String, message: &str) {
        self.diags
            .push(Diagnostic::new(Severity::Warning, path, message));
    }

    fn object<'v>(&mut self, v: &'v Value, path: &str) -> Option<&'v [(String, Value)]> {
        match v {
            Value::Object(m) => Some(m),
            _ => {
                self.error(path.into(), "expected an object");
                None
            }
        }
    }

    fn array<'v>(&mut self, v: &'v Value, path: &str) -> &'v [Value] {
        match v {
            Value::Array(items) if items.len() > MAX_LIST => {
                self.error(path.into(), "at most 200 entries; the rest are ignored");
                items.get(..MAX_LIST).unwrap_or(&[])
            }
            Value::Array(items) => items,
            _ => {
                self.error(path.into(), "expected an array");
                &[]
            }
        }
    }

    fn bool(&mut self, v: &Value, path: &str, default: bool) -> bool {
        v.as_bool().unwrap_or_else(|| {
            self.error(path.into(), "expected a boolean");
            default
        })
    }

    fn int(&mut self, v: &Value, path: &str, min: u32, max: u32) -> Option<u32> {
        let n = v.as_int_in(min, max);
        if n.is_none() {
            let mut m = String::from("expected an integer from ");
            super::push_decimal(&mut m, min.into());
            m.push_str(" to ");
            super::push_decimal(&mut m, max.into());
            self.error(path.into(), &m);
        }
        n
    }

    /// An optional string: `null` is none, anything else but a string is an error.
    fn text(&mut self, v: &Value, path: &str) -> Option<String> {
        match v {
            Value::Null => None,
            Value::String(s) => Some(s.clone()),
            _ => {
                self.error(path.into(), "expected a string");
                None
            }
        }
    }

    fn url(&mut self, v: &Value, path: &str) -> Option<String> {
        let s = self.text(v, path)?;
        if is_safe_url(&s) {
            Some(
                s.trim_matches(|c: char| c == ' ' || c.is_ascii_control())
                    .into(),
            )
        } else {
            self.error(path.into(), "only http, https or relative URLs are allowed");
            None
        }
    }

    fn domain(&mut self, v: &Value, path: &str) -> Option<String> {
        let s = self.text(v, path)?;
        if is_domain(&s) {
            Some(s.to_ascii_lowercase())
        } else {
            self.error(path.into(), "expected a domain such as .example.com");
            None
        }
    }

    fn cookie_settings(&mut self, v: &Value, path: &str) -> CookieSettings {
        let mut c = CookieSettings::default();
        for (key, value) in self.object(v, path).unwrap_or(&[]) {
            let p = join(path, key);
            match key.as_str() {
                "name" => match value.as_str() {
                    Some(s) if is_cookie_name(s.as_bytes()) => c.name = s.into(),
                    _ => self.error(
                        p,
                        "expected a cookie name of 1 to 64 letters, digits or !#$%&'+-.^_`|~",
                    ),
                },
                "domain" => c.domain = self.domain(value, &p),
                "lifetimeDays" => {
                    c.lifetime_days = self.int(value, &p, 1, 395).unwrap_or(c.lifetime_days)
                }
                _ => self.warn(p, "unknown key"),
            }
        }
        c
    }

    fn consent_mode(&mut self, v: &Value, path: &str) -> Option<ConsentMode> {
        match v {
            Value::Null | Value::Bool(false) => None,
            Value::Bool(true) => Some(ConsentMode::default()),
            Value::Object(members) => {
                let mut mode = ConsentMode::default();
                for (key, value) in members {
                    let p = join(path, key);
                    match key.as_str() {
                        "waitForUpdate" => mode.wait_for_update = self.int(value, &p, 0, 60_000),
                        _ => self.warn(p, "unknown key"),
                    }
                }
                Some(mode)
            }
            _ => {
                self.error(
                    path.into(),
                    "expected true, false or an object such as { \"waitForUpdate\": 500 }",
                );
                None
            }
        }
    }

    fn consent_log(&mut self, v: &Value, path: &str) -> Option<String> {
        let members = match v {
            Value::Null => return None,
            Value::Object(m) => m,
            _ => {
                self.error(
                    path.into(),
                    "expected an object such as { \"url\": \"/consent-log\" }",
                );
                return None;
            }
        };
        let mut url = None;
        let mut seen = false;
        for (key, value) in members {
            let p = join(path, key);
            match key.as_str() {
                "url" => {
                    seen = true;
                    url = self.url(value, &p);
                }
                _ => self.warn(p, "unknown key"),
            }
        }
        if !seen {
            self.error(join(path, "url"), "required");
        }
        url
    }

    fn categories(&mut self, v: &Value, path: &str) -> [CategoryConfig; 4] {
        // A repeated `categories` key replaces the earlier one entirely (as
        // `JSON.parse` would keep only the last), so its services are forgotten too.
        self.service_ids.clear();
        self.category_keys = Default::default();
        let mut out: [CategoryConfig; 4] = Default::default();
        let mut seen = [false; 4];
        for (key, value) in self.object(v, path).unwrap_or(&[]) {
            let p = join(path, key);
            let Some(c) = Category::parse(key) else {
                self.warn(p, "unknown category");
                continue;
            };
            let (Some(slot), Some(was)) = (out.get_mut(c.index()), seen.get_mut(c.index())) else {
                continue;
            };
            if *was {
                self.error(p, "duplicate category");
                continue;
            }
            *was = true;
            if let Some(k) = self.category_keys.get_mut(c.index()) {
                *k = Some(key.clone());
            }
            *slot = self.category(value, &p);
        }
        out
    }

    fn category(&mut self, v: &Value, path: &str) -> CategoryConfig {
        let mut c = CategoryConfig::default();
        for (key, value) in self.object(v, path).unwrap_or(&[]) {
            let p = join(path, key);
            match key.as_str() {
                "label" => c.label = self.text(value, &p),
                "description" => c.description = self.text(value, &p),
                "cookies" => c.cookies = self.cookies(value, &p),
                "localStorage" => c.local_storage = self.storage_keys(value, &p),
                "services" => c.services = self.services(value, &p),
                _ => self.warn(p, "unknown key"),
            }
        }
        c
    }

    fn services(&mut self, v: &Value, path: &str) -> Vec<Service> {
        let mut out = Vec::new();
        for (id, value) in self.object(v, path).unwrap_or(&[]) {
            let p = join(path, id);
            if !is_service_id(id) {
                self.error(
                    p,
                    "expected a service id of 1 to 64 lowercase letters, digits, - or _",
                );
            } else if Category::parse(id).is_some() {
                self.error(p, "a service id must not be a category name");
            } else if self.service_ids.iter().any(|s| s == id) {
                self.error(p, "duplicate service id");
            } else if self.service_ids.len() >= MAX_SERVICES {
                self.error(p, "at most 64 services; this one is ignored");
            } else if !services_fit(&self.service_ids, id) {
                self.error(
                    p,
                    "the service ids are too long together for the consent cookie; this one is ignored",
                );
            } else {
                self.service_ids.push(id.clone());
                let service = self.service(id, value, &p);
                out.push(service);
            }
        }
        out
    }

    fn service(&mut self, id: &str, v: &Value, path: &str) -> Service {
        let mut s = Service {
            id: id.into(),
            ..Service::default()
        };
        for (key, value) in self.object(v, path).unwrap_or(&[]) {
            let p = join(path, key);
            match key.as_str() {
                "label" => s.label = self.text(value, &p),
                "description" => s.description = self.text(value, &p),
                "cookies" => s.cookies = self.cookies(value, &p),
                "localStorage" => s.local_storage = self.storage_keys(value, &p),
                _ => self.warn(p, "unknown key"),
            }
        }
        s
    }

    fn cookies(&mut self, v: &Value, path: &str) -> Vec<CookieInfo> {
        let mut out = Vec::new();
        for (i, item) in self.array(v, path).iter().enumerate() {
            let p = at(path, i);
            if let Some(c) = self.cookie(item, &p) {
                out.push(c);
            }
        }
        out
    }

    /// One cookie entry; `None` (dropped) when its name is missing or bad.
    fn cookie(&mut self, v: &Value, path: &str) -> Option<CookieInfo> {
        let members = self.object(v, path)?;
        let mut c = CookieInfo::default();
        let mut name_ok = false;
        for (key, value) in members {
            let p = join(path, key);
            match key.as_str() {
                "name" => match value.as_str() {
                    Some(s) if is_cookie_pattern(s) => {
                        c.name = s.into();
                        name_ok = true;
                    }
                    _ => {
                        name_ok = false;
                        self.error(p, "expected a cookie name; '*' may only end it");
                    }
                },
                "provider" => c.provider = self.text(value, &p),
                "purpose" => c.purpose = self.text(value, &p),
                "duration" => c.duration = self.text(value, &p),
                "domain" => c.domain = self.domain(value, &p),
                "path" => match self.text(value, &p) {
                    Some(s)
                        if s.starts_with('/') && !s.chars().any(|c| c == ';' || c.is_control()) =>
                    {
                        c.path = Some(s)
                    }
                    Some(_) => self.error(p, "expected a path starting with /"),
                    None => {}
                },
                _ => self.warn(p, "unknown key"),
            }
        }
        if members.iter().all(|(k, _)| k != "name") {
            self.error(join(path, "name"), "required");
        }
        name_ok.then_some(c)
    }

    fn storage_keys(&mut self, v: &Value, path: &str) -> Vec<String> {
        let mut out = Vec::new();
        for (i, item) in self.array(v, path).iter().enumerate() {
            match item.as_str() {
                Some(s) if is_storage_pattern(s) => out.push(s.into()),
                _ => self.error(at(path, i), "expected a key name; '*' may only end it"),
            }
        }
        out
    }

    fn texts(&mut self, v: &Value, path: &str) -> Vec<(String, Vec<(TextKey, String)>)> {
        let mut out: Vec<(String, Vec<(TextKey, String)>)> = Vec::new();
        for (lang, value) in self.object(v, path).unwrap_or(&[]) {
            let p = join(path, lang);
            if !is_language_tag(lang) {
                self.error(p, "expected a language tag such as \"de\"");
                continue;
            }
            let tag = normalise_tag(lang);
            let found = overrides(value, &p, &mut self.diags);
            match out.iter_mut().find(|(t, _)| *t == tag) {
                Some((_, existing)) => {
                    existing.retain(|(k, _)| found.iter().all(|(f, _)| f != k));
                    existing.extend(found);
                }
                None => out.push((tag, found)),
            }
        }
        out
    }

    /// Drops listed cookies and storage keys that match the consent cookie
    /// (or its `localStorage` mirror, which has the same name): a withdrawal
    /// must not delete the decision it has just stored.
    fn protect_consent_cookie(&mut self, c: &mut Config) {
        let own = c.cookie.name.as_str();
        let keys = core::mem::take(&mut self.category_keys);
        for ((cat, cc), key) in Category::ALL
            .into_iter()
            .zip(c.categories.iter_mut())
            .zip(keys)
        {
            // Essential is never withdrawn, so listing the consent cookie there
            // (where a cookie table should show it) deletes nothing.
            if !cat.is_optional() {
                continue;
            }
            // A category not in the config has nothing listed, so no key is needed.
            let Some(key) = key else { continue };
            let base = join("categories", &key);
            self.drop_own(&base, own, &mut cc.cookies, &mut cc.local_storage);
            for s in &mut cc.services {
                let path = join(&join(&base, "services"), &s.id);
                self.drop_own(&path, own, &mut s.cookies, &mut s.local_storage);
            }
        }
    }

    fn drop_own(
        &mut self,
        path: &str,
        own: &str,
        cookies: &mut Vec<CookieInfo>,
        keys: &mut Vec<String>,
    ) {
        const MESSAGE: &str = "an entry matches the consent cookie's name and is ignored";
        let before = cookies.len();
        cookies.retain(|i| !pattern_matches(&i.name, own));
        if cookies.len() != before {
            self.error(join(path, "cookies"), MESSAGE);
        }
        let before = keys.len();
        keys.retain(|k| !pattern_matches(k, own));
        if keys.len() != before {
            self.error(join(path, "localStorage"), MESSAGE);
        }
    }
}
