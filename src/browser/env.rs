//! What the page and the browser say about the visitor, read once at start.

use alloc::string::String;
use alloc::vec::Vec;

use super::js::{self, Op};
use crate::model::value::Value;

/// The page's facts the rules need (`boot.mjs` reads them in this order).
#[derive(Default)]
pub(crate) struct Env {
    /// Global Privacy Control (`navigator.globalPrivacyControl === true`).
    pub(crate) gpc: bool,
    /// Whether the browser takes cookies (`navigator.cookieEnabled`).
    pub(crate) cookies: bool,
    /// The visitor's preferred languages (`navigator.languages`), best first.
    pub(crate) languages: Vec<String>,
    /// The page's `<html lang>`, if set and not blank.
    pub(crate) page_language: Option<String>,
    /// `navigator.userAgent` (the crawler check).
    pub(crate) user_agent: String,
    /// Whether the page was loaded over HTTPS (the cookie's `Secure`).
    pub(crate) https: bool,
    /// `location.hostname` (which domains a withdrawal cleans).
    pub(crate) hostname: String,
    /// This page is a frame of a same-origin page that runs Consent Gate.
    pub(crate) framed: bool,
    /// The loader tag's `data-region`, if any.
    pub(crate) region: Option<String>,
}

/// Reads the page's facts; all defaults (nothing granted by them) if they
/// cannot be read.
pub(crate) fn read() -> Env {
    let mut env = Env::default();
    js::call(Op::Env, &[], &[], 0);
    let Some(Value::Array(items)) = Value::from_bytes(&js::answer()) else {
        return env;
    };
    let text = |i: usize| items.get(i).and_then(Value::as_str).map(String::from);
    let flag = |i: usize| items.get(i).and_then(Value::as_bool) == Some(true);
    env.gpc = flag(0);
    env.cookies = flag(1);
    if let Some(Value::Array(list)) = items.get(2) {
        for l in list {
            if let Some(l) = l.as_str() {
                env.languages.push(l.into());
            }
        }
    }
    env.page_language = text(3).filter(|l| !l.trim_ascii().is_empty());
    env.user_agent = text(4).unwrap_or_default();
    env.https = flag(5);
    env.hostname = text(6).unwrap_or_default();
    env.framed = flag(7);
    env.region = text(8);
    env
}
