//! The consent cookie (the record of truth) and its `localStorage` mirror.
//!
//! Reading never fails: storage that is missing, throws, is malformed or was
//! tampered with simply means "no decision". Writing failures are silent too;
//! the visitor is then asked again on the next page.

use alloc::string::String;
use alloc::vec::Vec;

use super::env::Env;
use super::js::{self, Op};
use crate::model::category::Category;
use crate::model::codec;
use crate::model::config::{Config, CookieInfo};
use crate::model::record::Record;
use crate::model::text::{split, split_once};
use crate::model::value::Value;
use crate::model::withdraw;

/// The stored decision if it is well formed, untampered and still valid for
/// this config; otherwise `None`. Also brings the mirror in line with the cookie.
pub(crate) fn load(config: &Config, env: &Env, now: u64) -> Option<Record> {
    let key = &config.cookie.name;
    let valid = |value: Option<String>| {
        value
            .and_then(|v| codec::decode(&v))
            .filter(|r| r.is_valid(config.revision, now))
    };
    if !env.cookies {
        // The browser refuses cookies: only here does the mirror stand alone.
        return valid(read_mirror(key));
    }
    let record = valid(read_cookie(key));
    match &record {
        Some(r) => {
            let value = codec::encode(r);
            if read_mirror(key).as_deref() != Some(value.as_str()) {
                write_mirror(key, &value);
            }
        }
        // A mirror never grants by itself, so one without a cookie goes.
        None => remove_item(key),
    }
    record
}

/// Stores a decision's cookie and checks that the browser kept it. Where the
/// browser refuses cookies the mirror is the store, so it is written here;
/// elsewhere the caller brings the mirror in line afterwards with [`load`],
/// once the loader has run what the decision allows (nothing waits for it).
/// Returns the cookie value (the consent log sends the same).
pub(crate) fn save(config: &Config, env: &Env, record: &Record) -> String {
    let value = codec::encode(record);
    let settings = &config.cookie;
    let max_age = u64::from(settings.lifetime_days) * 86_400;
    let domain = settings.domain.as_deref();
    write_cookie(&settings.name, &value, max_age, domain, env.https);
    if domain.is_some() && read_cookie(&settings.name).as_deref() != Some(value.as_str()) {
        // The browser refused the Domain (it does not cover this host): keep the
        // decision for this host at least, and tell the site owner.
        js::error(
            "cookie.domain does not cover this host; the consent cookie was set for this host only",
        );
        write_cookie(&settings.name, &value, max_age, None, env.https);
    }
    if !env.cookies {
        write_mirror(&settings.name, &value);
    } else if read_cookie(&settings.name).as_deref() != Some(value.as_str()) {
        // document.cookie threw, ignored the write or reads back something
        // else: the decision is not kept, and the mirror must not stand in
        // (`load` removes it).
        js::error("the consent cookie could not be stored (document.cookie refused it); the decision is not kept and nothing optional is granted");
    }
    value
}

/// Adds a category's or a service's cookies and storage keys to the lists to
/// clear (plain loops: `extend` costs a copy of its machinery per type).
fn take<'c>(
    cookies: &mut Vec<&'c CookieInfo>,
    keys: &mut Vec<&'c String>,
    own_cookies: &'c [CookieInfo],
    own_keys: &'c [String],
) {
    for c in own_cookies {
        cookies.push(c);
    }
    for k in own_keys {
        keys.push(k);
    }
}

/// Forgets the decision: the cookie on this host and on the configured domain, and the mirror.
pub(crate) fn forget(config: &Config) {
    let name = &config.cookie.name;
    delete_cookie(name, None, "/");
    if let Some(domain) = config.cookie.domain.as_deref() {
        delete_cookie(name, Some(domain), "/");
    }
    remove_item(name);
}

/// `document.cookie` ("" where it cannot be read).
fn cookies() -> String {
    js::text(Op::Cookies, &[]).unwrap_or_default()
}

/// The value of cookie `name` as the page sees it (`document.cookie`).
pub(crate) fn read_cookie(name: &str) -> Option<String> {
    split(&cookies(), b';').find_map(|pair| {
        let (k, v) = split_once(pair.trim_start(), b'=')?;
        (k == name).then(|| v.into())
    })
}

/// Writes a first-party cookie with the contract's attributes.
pub(crate) fn write_cookie(
    name: &str,
    value: &str,
    max_age: u64,
    domain: Option<&str>,
    https: bool,
) {
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
    if https {
        c.push_str("; Secure");
    }
    js::call(Op::SetCookie, c.as_bytes(), &[], 0);
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
    js::call(Op::SetCookie, c.as_bytes(), &[], 0);
}

/// The cookie-format value kept in the mirror, if the mirror is readable.
fn read_mirror(key: &str) -> Option<String> {
    js::text(Op::Mirror, key.as_bytes())
}

/// The mirror: `{"v":1,"value":"<cookie value>","record":{…}}` (the record's
/// dates become ISO strings on the way, as the API shows them).
fn write_mirror(key: &str, value: &str) {
    js::call(
        Op::SetMirror,
        key.as_bytes(),
        mirror_json(value).as_bytes(),
        0,
    );
}

/// The mirror's JSON for the cookie `value` (the entry turns the dates into ISO strings).
pub(crate) fn mirror_json(value: &str) -> String {
    let mut json = String::from("{\"v\":1,\"value\":\"");
    // A valid cookie value is plain ASCII with no quote or backslash.
    json.push_str(value);
    json.push_str("\",\"record\":");
    record_json(value, &mut json);
    json.push('}');
    json
}

/// The record a valid cookie `value` holds, as the JSON the core writes
/// (dates in Unix seconds), appended to `out`.
pub(crate) fn record_json(value: &str, out: &mut String) {
    match codec::parse(value.as_bytes()) {
        Some(c) => c.write_json(out),
        None => out.push_str("null"),
    }
}

fn remove_item(key: &str) {
    js::call(Op::RemoveItem, key.as_bytes(), &[], 0);
}

/// Deletes what the config lists for withdrawn categories and services:
/// cookies (exact names and `prefix*` patterns) on this host, its parent
/// domains and the configured domain, and `localStorage` keys. (Never
/// inlined into `decide`, which only a withdrawal needs it for: measured
/// −61 B brotli in the banner module's first part, +34 B in the rest.)
#[inline(never)]
pub(crate) fn clean_up(
    config: &Config,
    env: &Env,
    withdrawn: &[Category],
    withdrawn_services: &[String],
) {
    let mut cookies: Vec<&CookieInfo> = Vec::new();
    let mut keys: Vec<&String> = Vec::new();
    for &c in withdrawn {
        let cc = config.category(c);
        take(&mut cookies, &mut keys, &cc.cookies, &cc.local_storage);
        for s in &cc.services {
            take(&mut cookies, &mut keys, &s.cookies, &s.local_storage);
        }
    }
    for &c in &Category::ALL {
        for s in &config.category(c).services {
            if withdrawn_services.contains(&s.id) {
                take(&mut cookies, &mut keys, &s.cookies, &s.local_storage);
            }
        }
    }
    if !cookies.is_empty() {
        let jar = self::cookies();
        // (Plain loops here and below: the iterator adapters cost more code.)
        let mut present: Vec<&str> = Vec::new();
        for pair in split(&jar, b';') {
            if let Some((k, _)) = split_once(pair.trim_start(), b'=') {
                present.push(k);
            }
        }
        let domains = withdraw::domains(&env.hostname, config.cookie.domain.as_deref());
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
    if keys.is_empty() || js::call(Op::StorageKeys, &[], &[], 0) == 0 {
        return;
    }
    let Some(Value::Array(stored)) = Value::from_bytes(&js::answer()) else {
        return;
    };
    let mut present: Vec<&str> = Vec::with_capacity(stored.len());
    for v in &stored {
        if let Some(k) = v.as_str() {
            present.push(k);
        }
    }
    for listed in keys {
        for name in withdraw::names(listed, &present) {
            remove_item(name);
        }
    }
}
