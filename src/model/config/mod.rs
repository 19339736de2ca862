//! The site owner's config, validated.
//!
//! [`Config::from_value`] reads a [`Value`] and never stops at the first
//! problem: every bad value becomes an error [`Diagnostic`] naming its path
//! (`cookie.lifetimeDays`, `categories.marketing.cookies[2].name`) and falls
//! back to its default, which never grants anything; every unknown key becomes
//! a warning. `null` is the same as leaving out a key whose default is "none"
//! (`policyUrl`, `cookie.domain`, `googleConsentMode`, `consentLog`, labels,
//! descriptions and cookie details); elsewhere it is a bad value.
//!
//! The module is split by what it does: the types live here, with
//! [`Config::from_value`] walking the top-level keys; `read` holds the
//! readers for each value and section, `rules` the checks that span keys
//! (the services field's cookie budget, the consent cookie never listed for
//! deletion). Diagnostics are [`super::diagnostic`], name and URL checks
//! [`super::names`]; both are re-exported here.

#[allow(unused_imports)]
use super::prelude::*;

mod read;
mod rules;

use super::category::Category;
use super::i18n::TextKey;
use super::names::{is_language_tag, normalise_tag, DEFAULT_COOKIE};
use super::value::Value;
use read::Reader;

pub use super::diagnostic::{Code, Diagnostic, Severity};
pub use super::names::{
    is_cookie_pattern, is_safe_url, is_service_id, is_storage_pattern, pattern_matches,
    MAX_SERVICES,
};

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

impl CategoryConfig {
    /// Nothing configured (the default), as a constant: `[EMPTY; 4]` is one
    /// copy of constant bytes where `Default::default()` for the array
    /// generates a store per field.
    pub(crate) const EMPTY: CategoryConfig = CategoryConfig {
        label: None,
        description: None,
        cookies: Vec::new(),
        services: Vec::new(),
        local_storage: Vec::new(),
    };
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
    /// `autoBlock`: hold scripts, iframes and images of the built-in tracker
    /// hosts until their category is granted ([`super::hosts`]). Default
    /// `false`. (`blockHosts` is checked by [`super::hosts::read_block_hosts`];
    /// the page's `consent-gate-block.js` applies both.)
    pub auto_block: bool,
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
            auto_block: false,
            hide_from_bots: true,
            regions: Vec::new(),
            categories: [CategoryConfig::EMPTY; 4],
            texts: Vec::new(),
        }
    }
}

/// The config's members; `Err` when it is not an object.
fn members(v: &Value) -> Result<&[(String, Value)], Diagnostic> {
    match v {
        Value::Object(members) => Ok(members),
        _ => Err(Diagnostic::new(String::new(), Code::NotAnObject)),
    }
}

impl Config {
    /// Reads and validates a config. `Err` only when `v` is not an object (the
    /// caller then fails closed); otherwise the config plus every problem found,
    /// in the order of the config's keys.
    pub fn from_value(v: &Value) -> Result<(Config, Vec<Diagnostic>), Diagnostic> {
        let members = members(v)?;
        let mut r = Reader::default();
        let mut c = Config::default();
        for (key, value) in members {
            if !c.banner_key(&mut r, key, value) {
                c.other_key(&mut r, key, value);
            }
        }
        r.protect_consent_cookie(&mut c);
        Ok((c, r.diags))
    }

    /// What drawing the banner needs, read before anything else by the
    /// banner module: only the keys language, layout, theme, `policyUrl`,
    /// `gpc`, `blockPage`, `hideFromBots`, `regions` and `texts`, each as
    /// [`Config::from_value`] reads it; every other key keeps its default.
    /// The module reads the whole config with [`Config::from_value`] once
    /// the rest of it (with the other keys' readers) has arrived, and
    /// reports the problems then, in the config's order. `Err` as there.
    pub fn banner_from_value(v: &Value) -> Result<Config, Diagnostic> {
        let members = members(v)?;
        let mut r = Reader::default();
        let mut c = Config::default();
        for (key, value) in members {
            c.banner_key(&mut r, key, value);
        }
        Ok(c)
    }

    /// Reads `key` if it is one of the banner's keys
    /// ([`Config::banner_from_value`]); false for any other.
    fn banner_key(&mut self, r: &mut Reader, key: &str, value: &Value) -> bool {
        let c = self;
        match key {
            "language" => match value.as_str().map(str::trim_ascii) {
                Some(s) if s.eq_ignore_ascii_case("auto") => c.language = "auto".into(),
                Some(s) if is_language_tag(s) => c.language = normalise_tag(s),
                _ => r.report(key, Code::ExpectedLanguage),
            },
            "layout" => match value.as_str() {
                Some("bar") => c.layout = Layout::Bar,
                Some("bar-top") => c.layout = Layout::BarTop,
                Some("box") => c.layout = Layout::Box,
                Some("modal") => c.layout = Layout::Modal,
                _ => r.report(key, Code::ExpectedLayout),
            },
            "theme" => match value.as_str() {
                Some("auto") => c.theme = Theme::Auto,
                Some("light") => c.theme = Theme::Light,
                Some("dark") => c.theme = Theme::Dark,
                _ => r.report(key, Code::ExpectedTheme),
            },
            "policyUrl" => c.policy_url = r.url(value, key),
            "gpc" => c.gpc = r.bool(value, key, true),
            // (With `layout`: the modal's wall is drawn with the banner.)
            "blockPage" => c.block_page = r.bool(value, key, false),
            "hideFromBots" => c.hide_from_bots = r.bool(value, key, true),
            "regions" => c.regions = super::region::read(value, key, &mut r.diags),
            "texts" => c.texts = r.texts(value, key),
            _ => return false,
        }
        true
    }

    /// Reads any key that is not one of the banner's (an unknown key is a warning).
    fn other_key(&mut self, r: &mut Reader, key: &str, value: &Value) {
        let c = self;
        match key {
            "revision" => {
                if let Some(n) = r.int(value, key, 1, 1_000_000_000) {
                    c.revision = n;
                }
            }
            "cookie" => c.cookie = r.cookie_settings(value, key),
            "googleConsentMode" => c.google_consent_mode = r.consent_mode(value, key),
            "consentLog" => c.consent_log = r.consent_log(value, key),
            "reloadOnWithdraw" => c.reload_on_withdraw = r.bool(value, key, true),
            "autoBlock" => c.auto_block = r.bool(value, key, false),
            "blockHosts" => {
                super::hosts::read_block_hosts(value, key, &mut r.diags);
            }
            "categories" => c.categories = r.categories(value, key),
            _ => r.report(key, Code::UnknownKey),
        }
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
        // Loops rather than `services().find()`: its flat_map's try_fold is
        // code of its own.
        for &c in &Category::ALL {
            for s in &self.category(c).services {
                if s.id == id {
                    return Some(c);
                }
            }
        }
        None
    }
}
