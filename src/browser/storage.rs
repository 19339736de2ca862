//! The consent cookie (the record of truth) and its `localStorage` mirror.
//!
//! Reading never fails: storage that is missing, throws, is malformed or was
//! tampered with simply means "no decision". Writing failures are silent too;
//! the visitor is then asked again on the next page.

use js_sys::JSON;
use wasm_bindgen::JsValue;

use super::dom;
use crate::model::category::Category;
use crate::model::codec;
use crate::model::config::{Config, CookieInfo};
use crate::model::record::Record;
use crate::model::withdraw;

/// The stored decision if it is well formed, untampered and still valid for
/// this config; otherwise `None`. Also brings the mirror in line with the cookie.
pub(crate) fn load(config: &Config, now: u64) -> Option<Record> {
    let key = &config.cookie.name;
    let valid = |value: Option<String>| {
        value
            .and_then(|v| codec::decode(&v))
            .filter(|r| r.is_valid(config.revision, now))
    };
    if !cookies_enabled() {
        // The browser refuses cookies: only here does the mirror stand alone.
        return valid(read_mirror(key));
    }
    let record = valid(read_cookie(key));
    match &record {
        Some(r) => {
            let value = codec::encode(r);
            if read_mirror(key).as_deref() != Some(value.as_str()) {
                write_mirror(key, &value, &super::convert::record_to_js(r));
            }
        }
        // A mirror never grants by itself, so one without a cookie goes.
        None => remove_mirror(key),
    }
    record
}

/// Stores a decision: the cookie first, then the mirror.
pub(crate) fn save(config: &Config, record: &Record, record_js: &JsValue) {
    let value = codec::encode(record);
    let settings = &config.cookie;
    let max_age = u64::from(settings.lifetime_days) * 86_400;
    write_cookie(&settings.name, &value, max_age, settings.domain.as_deref());
    if settings.domain.is_some() && read_cookie(&settings.name).as_deref() != Some(value.as_str()) {
        // The browser refused the Domain (it does not cover this host): keep the
        // decision for this host at least, and tell the site owner.
        dom::error(
            "cookie.domain does not cover this host; the consent cookie was set for this host only",
        );
        write_cookie(&settings.name, &value, max_age, None);
    }
    if cookies_enabled() && read_cookie(&settings.name).as_deref() != Some(value.as_str()) {
        // document.cookie threw, ignored the write or reads back something
        // else: the decision is not kept, and the mirror must not stand in.
        dom::error("the consent cookie could not be stored (document.cookie refused it); the decision is not kept and nothing optional is granted");
        return;
    }
    write_mirror(&settings.name, &value, record_js);
}

/// Forgets the decision: the cookie on this host and on the configured domain, and the mirror.
pub(crate) fn forget(config: &Config) {
    let name = &config.cookie.name;
    delete_cookie(name, None, "/");
    if let Some(domain) = config.cookie.domain.as_deref() {
        delete_cookie(name, Some(domain), "/");
    }
    remove_mirror(name);
}

fn cookies_enabled() -> bool {
    dom::get(&dom::window().navigator(), "cookieEnabled").as_bool() != Some(false)
}

/// The value of cookie `name` as the page sees it (`document.cookie`).
pub(crate) fn read_cookie(name: &str) -> Option<String> {
    dom::cookies().split(';').find_map(|pair| {
        let (k, v) = pair.trim_start().split_once('=')?;
        (k == name).then(|| v.to_owned())
    })
}

/// Writes a first-party cookie with the contract's attributes.
pub(crate) fn write_cookie(name: &str, value: &str, max_age: u64, domain: Option<&str>) {
    let mut c = String::with_capacity(name.len() + value.len() + 80);
    c.push_str(name);
    c.push('=');
    c.push_str(value);
    c.push_str("; Path=/; SameSite=Lax; Max-Age=");
    crate::model::push_decimal(&mut c, max_age);
    if let Some(d) = domain {
        c.push_str("; Domain=");
        c.push_str(d);
    }
    if dom::is_https() {
        c.push_str("; Secure");
    }
    dom::set_cookie(&c);
}

/// Deletes cookie `name` for one domain (`None`: this host only) and path.
pub(crate) fn delete_cookie(name: &str, domain: Option<&str>, path: &str) {
    let mut c = String::with_capacity(name.len() + 80);
    c.push_str(name);
    c.push_str("=; Max-Age=0; Path=");
    c.push_str(path);
    if let Some(d) = domain {
        c.push_str("; Domain=");
        c.push_str(d);
    }
    dom::set_cookie(&c);
}

/// `localStorage`, if the browser lets this page have it (reading it throws
/// where storage is disabled or sandboxed, and storage trouble must never
/// reach the visitor).
fn local() -> Option<web_sys::Storage> {
    dom::window().local_storage().ok()?
}

/// The cookie-format value kept in the mirror, if the mirror is readable.
fn read_mirror(key: &str) -> Option<String> {
    let raw = dom::get_item(key)?;
    let parsed = JSON::parse(&raw).ok()?;
    dom::get(&parsed, "value").as_string()
}

/// The mirror: `{"v":1,"value":"<cookie value>","record":{…}}`.
fn write_mirror(key: &str, value: &str, record_js: &JsValue) {
    let o = js_sys::Object::new();
    dom::put(&o, "v", &JsValue::from(1));
    dom::put(&o, "value", &JsValue::from_str(value));
    dom::put(&o, "record", record_js);
    if let Some(json) = JSON::stringify(&o).ok().and_then(|s| s.as_string()) {
        dom::set_item(key, Some(&json));
    }
}

fn remove_mirror(key: &str) {
    dom::set_item(key, None);
}

/// Deletes what the config lists for withdrawn categories and services:
/// cookies (exact names and `prefix*` patterns) on this host, its parent
/// domains and the configured domain, and `localStorage` keys.
pub(crate) fn clean_up(config: &Config, withdrawn: &[Category], withdrawn_services: &[String]) {
    let mut cookies: Vec<&CookieInfo> = Vec::new();
    let mut keys: Vec<&String> = Vec::new();
    for &c in withdrawn {
        let cc = config.category(c);
        cookies.extend(cc.cookies.iter());
        keys.extend(cc.local_storage.iter());
        for s in &cc.services {
            cookies.extend(s.cookies.iter());
            keys.extend(s.local_storage.iter());
        }
    }
    for (_, s) in config.services() {
        if withdrawn_services.contains(&s.id) {
            cookies.extend(s.cookies.iter());
            keys.extend(s.local_storage.iter());
        }
    }
    if !cookies.is_empty() {
        let jar = dom::cookies();
        let present: Vec<&str> = jar
            .split(';')
            .filter_map(|p| p.trim_start().split_once('=').map(|(k, _)| k))
            .collect();
        let host = dom::hostname();
        let domains = withdraw::domains(&host, config.cookie.domain.as_deref());
        for info in cookies {
            let path = info.path.as_deref().unwrap_or("/");
            for name in withdraw::names(&info.name, &present) {
                for d in &domains {
                    delete_cookie(name, d.as_deref(), path);
                }
                if let Some(d) = info.domain.as_deref() {
                    delete_cookie(name, Some(d), path);
                }
            }
        }
    }
    if let (false, Some(storage)) = (keys.is_empty(), local()) {
        let len = storage.length().unwrap_or(0);
        let present: Vec<String> = (0..len)
            .filter_map(|i| storage.key(i).ok().flatten())
            .collect();
        let present: Vec<&str> = present.iter().map(String::as_str).collect();
        for listed in keys {
            for name in withdraw::names(listed, &present) {
                dom::set_item(name, None);
            }
        }
    }
}
