//! Config diagnostics: a problem found while reading, and the key path that
//! names where. Shared by the config reader and the text overlays in
//! [`super::i18n`], so neither depends on the other for them.

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
