//! Reading each config value and section into its typed form, collecting a
//! [`Diagnostic`] for every problem and falling back to the default.

#[allow(unused_imports)]
use crate::model::prelude::*;

use super::rules::services_fit;
use super::{CategoryConfig, ConsentMode, CookieInfo, CookieSettings, Service, MAX_LIST};
use crate::model::category::Category;
use crate::model::diagnostic::{at, join, Code, Diagnostic};
use crate::model::i18n::{overrides, put, TextKey};
use crate::model::names::{
    has_control_or, is_cookie_name, is_cookie_pattern, is_domain, is_language_tag, is_safe_url,
    is_service_id, is_storage_pattern, normalise_tag, trim_url, MAX_SERVICES,
};
use crate::model::value::Value;

/// Collects diagnostics while reading.
#[derive(Default)]
pub(super) struct Reader {
    pub(super) diags: Vec<Diagnostic>,
    /// Service ids seen so far, across categories.
    pub(super) service_ids: Vec<String>,
    /// Per category, the key it was given under (`analytics` for performance),
    /// so later diagnostics name a path that exists in the config.
    pub(super) category_keys: [Option<String>; 4],
}

impl Reader {
    /// Records a problem at `path`.
    /// (A borrowed path: each caller's own path string is then dropped in one
    /// place, not on every arm that may or may not have moved it.)
    pub(super) fn report(&mut self, path: &str, code: Code) {
        self.diags.push(Diagnostic::new(path.into(), code));
    }

    pub(super) fn object<'v>(&mut self, v: &'v Value, path: &str) -> Option<&'v [(String, Value)]> {
        match v {
            Value::Object(m) => Some(m),
            _ => {
                self.report(path, Code::ExpectedObject);
                None
            }
        }
    }

    pub(super) fn array<'v>(&mut self, v: &'v Value, path: &str) -> &'v [Value] {
        match v {
            Value::Array(items) if items.len() > MAX_LIST => {
                self.report(path, Code::TooManyEntries);
                items.get(..MAX_LIST).unwrap_or(&[])
            }
            Value::Array(items) => items,
            _ => {
                self.report(path, Code::ExpectedArray);
                &[]
            }
        }
    }

    pub(super) fn bool(&mut self, v: &Value, path: &str, default: bool) -> bool {
        v.as_bool().unwrap_or_else(|| {
            self.report(path, Code::ExpectedBoolean);
            default
        })
    }

    pub(super) fn int(&mut self, v: &Value, path: &str, min: u32, max: u32) -> Option<u32> {
        let n = v.as_int_in(min, max);
        if n.is_none() {
            self.diags.push(Diagnostic::with_args(
                path.into(),
                Code::ExpectedInteger,
                [min, max],
            ));
        }
        n
    }

    /// An optional string: `null` is none, anything else but a string is an error.
    pub(super) fn text(&mut self, v: &Value, path: &str) -> Option<String> {
        match v {
            Value::Null => None,
            Value::String(s) => Some(s.clone()),
            _ => {
                self.report(path, Code::ExpectedString);
                None
            }
        }
    }

    pub(super) fn url(&mut self, v: &Value, path: &str) -> Option<String> {
        let s = self.text(v, path)?;
        if is_safe_url(&s) {
            Some(trim_url(&s).into())
        } else {
            self.report(path, Code::UnsafeUrl);
            None
        }
    }

    pub(super) fn domain(&mut self, v: &Value, path: &str) -> Option<String> {
        let s = self.text(v, path)?;
        if is_domain(&s) {
            Some(s.to_ascii_lowercase())
        } else {
            self.report(path, Code::ExpectedDomain);
            None
        }
    }

    pub(super) fn cookie_settings(&mut self, v: &Value, path: &str) -> CookieSettings {
        let mut c = CookieSettings::default();
        for (key, value) in self.object(v, path).unwrap_or(&[]) {
            let p = join(path, key);
            match key.as_str() {
                "name" => match value.as_str() {
                    Some(s) if is_cookie_name(s.as_bytes()) => c.name = s.into(),
                    _ => self.report(&p, Code::ExpectedCookieName),
                },
                "domain" => c.domain = self.domain(value, &p),
                "lifetimeDays" => {
                    c.lifetime_days = self.int(value, &p, 1, 395).unwrap_or(c.lifetime_days)
                }
                _ => self.report(&p, Code::UnknownKey),
            }
        }
        c
    }

    pub(super) fn consent_mode(&mut self, v: &Value, path: &str) -> Option<ConsentMode> {
        match v {
            Value::Null | Value::Bool(false) => None,
            Value::Bool(true) => Some(ConsentMode::default()),
            Value::Object(members) => {
                let mut mode = ConsentMode::default();
                for (key, value) in members {
                    let p = join(path, key);
                    match key.as_str() {
                        "waitForUpdate" => mode.wait_for_update = self.int(value, &p, 0, 60_000),
                        _ => self.report(&p, Code::UnknownKey),
                    }
                }
                Some(mode)
            }
            _ => {
                self.report(path, Code::ExpectedConsentMode);
                None
            }
        }
    }

    pub(super) fn consent_log(&mut self, v: &Value, path: &str) -> Option<String> {
        let members = match v {
            Value::Null => return None,
            Value::Object(m) => m,
            _ => {
                self.report(path, Code::ExpectedConsentLog);
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
                _ => self.report(&p, Code::UnknownKey),
            }
        }
        if !seen {
            self.report(&join(path, "url"), Code::Required);
        }
        url
    }

    pub(super) fn categories(&mut self, v: &Value, path: &str) -> [CategoryConfig; 4] {
        // A repeated `categories` key replaces the earlier one entirely (as
        // `JSON.parse` would keep only the last), so its services are forgotten too.
        self.service_ids.clear();
        self.category_keys = Default::default();
        let mut out = [CategoryConfig::EMPTY; 4];
        let mut seen = [false; 4];
        for (key, value) in self.object(v, path).unwrap_or(&[]) {
            let p = join(path, key);
            let Some(c) = Category::parse(key) else {
                self.report(&p, Code::UnknownCategory);
                continue;
            };
            let (Some(slot), Some(was)) = (out.get_mut(c.index()), seen.get_mut(c.index())) else {
                continue;
            };
            if *was {
                self.report(&p, Code::DuplicateCategory);
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

    pub(super) fn category(&mut self, v: &Value, path: &str) -> CategoryConfig {
        let (s, services) = self.entry(v, path, "", true);
        CategoryConfig {
            label: s.label,
            description: s.description,
            cookies: s.cookies,
            services,
            local_storage: s.local_storage,
        }
    }

    /// A category's or a service's object: one reader for the keys they
    /// share (and `services`, in a category only).
    fn entry(
        &mut self,
        v: &Value,
        path: &str,
        id: &str,
        in_category: bool,
    ) -> (Service, Vec<Service>) {
        let mut s = Service {
            id: id.into(),
            ..Service::default()
        };
        let mut services = Vec::new();
        for (key, value) in self.object(v, path).unwrap_or(&[]) {
            let p = join(path, key);
            match key.as_str() {
                "label" => s.label = self.text(value, &p),
                "description" => s.description = self.text(value, &p),
                "cookies" => s.cookies = self.cookies(value, &p),
                "localStorage" => s.local_storage = self.storage_keys(value, &p),
                "services" if in_category => services = self.services(value, &p),
                _ => self.report(&p, Code::UnknownKey),
            }
        }
        (s, services)
    }

    pub(super) fn services(&mut self, v: &Value, path: &str) -> Vec<Service> {
        let mut out = Vec::new();
        for (id, value) in self.object(v, path).unwrap_or(&[]) {
            let p = join(path, id);
            if !is_service_id(id) {
                self.report(&p, Code::ExpectedServiceId);
            } else if Category::parse(id).is_some() {
                self.report(&p, Code::ServiceIdIsCategory);
            } else if self.service_ids.iter().any(|s| s == id) {
                self.report(&p, Code::DuplicateServiceId);
            } else if self.service_ids.len() >= MAX_SERVICES {
                self.report(&p, Code::TooManyServices);
            } else if !services_fit(&self.service_ids, id) {
                self.report(&p, Code::ServicesTooLong);
            } else {
                self.service_ids.push(id.clone());
                let (service, _) = self.entry(value, &p, id, false);
                out.push(service);
            }
        }
        out
    }

    pub(super) fn cookies(&mut self, v: &Value, path: &str) -> Vec<CookieInfo> {
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
    pub(super) fn cookie(&mut self, v: &Value, path: &str) -> Option<CookieInfo> {
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
                        self.report(&p, Code::ExpectedCookiePattern);
                    }
                },
                "provider" => c.provider = self.text(value, &p),
                "purpose" => c.purpose = self.text(value, &p),
                "duration" => c.duration = self.text(value, &p),
                "domain" => c.domain = self.domain(value, &p),
                "path" => match self.text(value, &p) {
                    Some(s) if s.starts_with('/') && !has_control_or(&s, b';') => c.path = Some(s),
                    Some(_) => self.report(&p, Code::ExpectedCookiePath),
                    None => {}
                },
                _ => self.report(&p, Code::UnknownKey),
            }
        }
        if members.iter().all(|(k, _)| k != "name") {
            self.report(&join(path, "name"), Code::Required);
        }
        name_ok.then_some(c)
    }

    pub(super) fn storage_keys(&mut self, v: &Value, path: &str) -> Vec<String> {
        let mut out = Vec::new();
        for (i, item) in self.array(v, path).iter().enumerate() {
            match item.as_str() {
                Some(s) if is_storage_pattern(s) => out.push(s.into()),
                _ => self.report(&at(path, i), Code::ExpectedStoragePattern),
            }
        }
        out
    }

    pub(super) fn texts(&mut self, v: &Value, path: &str) -> Vec<(String, Vec<(TextKey, String)>)> {
        let mut out: Vec<(String, Vec<(TextKey, String)>)> = Vec::new();
        for (lang, value) in self.object(v, path).unwrap_or(&[]) {
            let p = join(path, lang);
            if !is_language_tag(lang) {
                self.report(&p, Code::ExpectedLanguageTag);
                continue;
            }
            let tag = normalise_tag(lang);
            let found = overrides(value, &p, &mut self.diags);
            match out.iter_mut().find(|(t, _)| *t == tag) {
                Some((_, existing)) => {
                    for (k, s) in found {
                        put(existing, k, s);
                    }
                }
                None => out.push((tag, found)),
            }
        }
        out
    }
}
