//! The config checker, shared by `consent-gate check FILE.json`
//! ([`crate::native::check`]) and the configurator's developer-tool module
//! (`www/configure.html`, built with the `devtool` feature): one copy of the
//! rules and of the words, `core` + `alloc` only so it also builds for wasm32.
//!
//! It reads the config exactly as the visitor's module does
//! ([`json::parse`], then [`Config::from_value`]) and prints every
//! [`Diagnostic`] in the words the browser console uses, one a line:
//!
//! ```text
//! error: config `cookie.lifetimeDays`: expected an integer from 1 to 395
//! warning: config `revison`: unknown key; did you mean `revision`?
//! ```
//!
//! An unknown key gets a "did you mean" when a key the JSON Schema
//! (`pkg-template/consent-gate.schema.json`, compiled in) knows at that place
//! is close to it, so the schema is the one list of keys the checker and
//! editors share. Exit status: 0 when there is no error (warnings allowed),
//! 1 on any error, 2 for a usage error, an unreadable file or text that is
//! not JSON.
//!
//! ```
//! use consent_gate::check::{check_text, Outcome};
//! let Outcome::Checked(problems) = check_text(r#"{ "revison": 2, "cookie": { "lifetimeDays": 400 } }"#) else {
//!     unreachable!("it is JSON")
//! };
//! let lines: Vec<String> = problems.iter().map(|p| p.line()).collect();
//! assert_eq!(lines, [
//!     "warning: config `revison`: unknown key; did you mean `revision`?",
//!     "error: config `cookie.lifetimeDays`: expected an integer from 1 to 395",
//! ]);
//! ```

#[allow(unused_imports)]
use crate::model::prelude::*;

use crate::model::config::{Config, Diagnostic, Severity};
use crate::model::json;
use crate::model::value::Value;

/// The JSON Schema of the config, as the package ships it.
pub const SCHEMA: &str = include_str!("../pkg-template/consent-gate.schema.json");

/// One problem the checker reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// What the module reports (its severity, path and message).
    pub diagnostic: Diagnostic,
    /// For an unknown key: the known key it is probably a typo of, or a note
    /// that the key is in the schema but not yet read by this version.
    pub hint: Option<Hint>,
}

/// Extra help the checker adds to an unknown-key warning.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Hint {
    /// A known key at the same place that is close to the unknown one.
    DidYouMean(String),
    /// The schema knows the key but this version of the module ignores it.
    NotYetSupported,
}

impl Problem {
    /// Whether this problem makes the check fail.
    pub fn is_error(&self) -> bool {
        self.diagnostic.severity == Severity::Error
    }

    /// The line the checker prints: `error: ` or `warning: `, then what the
    /// browser console shows (`config \`PATH\`: MESSAGE`), then the hint.
    pub fn line(&self) -> String {
        let d = &self.diagnostic;
        let mut s = String::from(match d.severity {
            Severity::Error => "error: ",
            Severity::Warning => "warning: ",
        });
        if d.path.is_empty() {
            s.push_str(&d.message());
        } else {
            s.push_str("config `");
            s.push_str(&d.path);
            s.push_str("`: ");
            s.push_str(&d.message());
        }
        match &self.hint {
            Some(Hint::DidYouMean(key)) => {
                s.push_str("; did you mean `");
                s.push_str(key);
                s.push_str("`?");
            }
            Some(Hint::NotYetSupported) => {
                s.push_str(" (the schema knows it; this version of Consent Gate ignores it)")
            }
            None => {}
        }
        s
    }
}

/// The line the checker prints for a text that is not JSON (the module then
/// fails closed: no banner, nothing optional granted).
pub const NOT_JSON: &str = "error: the config is not valid JSON";

/// What checking a text found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The text is not JSON: the module fails closed and shows no banner.
    NotJson,
    /// Every problem, in the order the module reports them (none: all good).
    Checked(Vec<Problem>),
}

/// Checks a config given as JSON text (a leading byte-order mark is ignored,
/// as browsers do when they decode a fetched file).
pub fn check_text(text: &str) -> Outcome {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    match json::parse(text) {
        Some(value) => Outcome::Checked(check_value(&value)),
        None => Outcome::NotJson,
    }
}

/// Checks a config already read into a [`Value`] (as `window.ConsentGateConfig`
/// reaches the module): every problem, in the order the module reports them.
pub fn check_value(value: &Value) -> Vec<Problem> {
    let diagnostics = match Config::from_value(value) {
        Ok((_, diagnostics)) => diagnostics,
        Err(d) => vec![d],
    };
    let schema = json::parse(SCHEMA);
    diagnostics
        .into_iter()
        .map(|d| {
            let hint = schema.as_ref().and_then(|s| hint(s, value, &d));
            Problem {
                diagnostic: d,
                hint,
            }
        })
        .collect()
}

/// The hint for an unknown-key warning, from the keys the schema lists at
/// the same place.
fn hint(schema: &Value, config: &Value, d: &Diagnostic) -> Option<Hint> {
    if d.severity != Severity::Warning {
        return None;
    }
    let segments = segments(config, &d.path)?;
    let (Segment::Key(key), parent) = segments.split_last()? else {
        return None;
    };
    let mut nodes = vec![schema];
    for s in parent {
        nodes = nodes
            .into_iter()
            .flat_map(|n| match s {
                Segment::Key(k) => member_schemas(schema, n, k),
                Segment::Index(_) => item_schemas(schema, n),
            })
            .collect();
    }
    let known: Vec<&str> = nodes
        .into_iter()
        .flat_map(|n| known_keys(schema, n))
        .collect();
    if known.contains(&key.as_str()) {
        return Some(Hint::NotYetSupported);
    }
    suggest(key, &known).map(|k| Hint::DidYouMean(k.into()))
}

/// One step of a diagnostic's path.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Segment {
    /// An object member, by its key as written in the config.
    Key(String),
    /// An array item.
    Index(usize),
}

/// Splits a diagnostic's path (`categories.ads.cookies[2].nmae`) into the
/// config's real keys, which may themselves contain `.` or `[`: the config
/// is walked along the path, trying the longest key first.
fn segments(config: &Value, path: &str) -> Option<Vec<Segment>> {
    let mut out = Vec::new();
    walk(config, path, &mut out).then_some(out)
}

fn walk(v: &Value, rest: &str, out: &mut Vec<Segment>) -> bool {
    if rest.is_empty() {
        return true;
    }
    match v {
        Value::Object(members) => {
            let mut candidates: Vec<&(String, Value)> = members
                .iter()
                .filter(|(k, _)| rest.starts_with(k.as_str()))
                .collect();
            candidates.sort_by_key(|(k, _)| core::cmp::Reverse(k.len()));
            for (k, child) in candidates {
                let after = rest.get(k.len()..).unwrap_or("");
                let next = if after.is_empty() || after.starts_with('[') {
                    Some(after)
                } else {
                    after.strip_prefix('.')
                };
                let Some(next) = next else { continue };
                out.push(Segment::Key(k.clone()));
                if (after.is_empty() && next.is_empty()) || walk(child, next, out) {
                    return true;
                }
                out.pop();
            }
            false
        }
        Value::Array(items) => {
            let Some((index, after)) = rest.strip_prefix('[').and_then(|r| r.split_once(']'))
            else {
                return false;
            };
            let Some(item) = index
                .parse::<usize>()
                .ok()
                .and_then(|i| items.get(i).map(|v| (i, v)))
            else {
                return false;
            };
            let next = if after.is_empty() || after.starts_with('[') {
                after
            } else if let Some(n) = after.strip_prefix('.') {
                n
            } else {
                return false;
            };
            out.push(Segment::Index(item.0));
            if walk(item.1, next, out) {
                return true;
            }
            out.pop();
            false
        }
        _ => false,
    }
}

/// The schema node itself plus every branch of its `anyOf`/`oneOf`/`allOf`,
/// with `$ref`s (`#/$defs/…`) followed.
fn branches<'a>(root: &'a Value, node: &'a Value) -> Vec<&'a Value> {
    let mut out = Vec::new();
    let mut todo = vec![node];
    while let Some(n) = todo.pop() {
        if out.len() > 64 {
            break;
        }
        let n = resolve(root, n);
        out.push(n);
        for key in ["anyOf", "oneOf", "allOf"] {
            if let Some(Value::Array(items)) = n.get(key) {
                todo.extend(items.iter());
            }
        }
    }
    out
}

fn resolve<'a>(root: &'a Value, mut node: &'a Value) -> &'a Value {
    for _ in 0..16 {
        let Some(target) = node.get("$ref").and_then(Value::as_str) else {
            break;
        };
        let Some(pointer) = target.strip_prefix("#/") else {
            break;
        };
        let mut n = root;
        for part in pointer.split('/') {
            match n.get(part) {
                Some(next) => n = next,
                None => return node,
            }
        }
        node = n;
    }
    node
}

/// The schemas that apply to member `key` of an object the node describes:
/// its `properties` entry, else every `patternProperties` schema and the
/// `additionalProperties` one (the checker needs no regex engine: it only
/// looks for the keys listed below).
fn member_schemas<'a>(root: &'a Value, node: &'a Value, key: &str) -> Vec<&'a Value> {
    let mut out = Vec::new();
    for n in branches(root, node) {
        if let Some(p) = n.get("properties").and_then(|p| p.get(key)) {
            out.push(p);
            continue;
        }
        if let Some(Value::Object(patterns)) = n.get("patternProperties") {
            out.extend(patterns.iter().map(|(_, s)| s));
        }
        if let Some(a @ Value::Object(_)) = n.get("additionalProperties") {
            out.push(a);
        }
    }
    out
}

fn item_schemas<'a>(root: &'a Value, node: &'a Value) -> Vec<&'a Value> {
    branches(root, node)
        .into_iter()
        .filter_map(|n| n.get("items"))
        .collect()
}

fn known_keys<'a>(root: &'a Value, node: &'a Value) -> Vec<&'a str> {
    branches(root, node)
        .into_iter()
        .filter_map(|n| match n.get("properties") {
            Some(Value::Object(members)) => Some(members.iter().map(|(k, _)| k.as_str())),
            _ => None,
        })
        .flatten()
        .collect()
}

/// The known key closest to `key`, if it is close enough to be a typo: at
/// most a third of the key's length in edits (1 to 3), ignoring ASCII case.
fn suggest<'a>(key: &str, known: &[&'a str]) -> Option<&'a str> {
    let limit = (key.chars().count() / 3).clamp(1, 3);
    let lower = key.to_ascii_lowercase();
    known
        .iter()
        .map(|k| (distance(&lower, &k.to_ascii_lowercase()), *k))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// Edit distance with adjacent transpositions (optimal string alignment),
/// over characters. (The banner module's hints use a plainer Levenshtein,
/// `model::hints::distance`, which is smaller in what visitors download.)
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let width = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * width];
    let idx = |i: usize, j: usize| i * width + j;
    for i in 0..=a.len() {
        d[idx(i, 0)] = i;
    }
    for j in 0..=b.len() {
        d[idx(0, j)] = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[idx(i - 1, j)] + 1)
                .min(d[idx(i, j - 1)] + 1)
                .min(d[idx(i - 1, j - 1)] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[idx(i - 2, j - 2)] + 1);
            }
            d[idx(i, j)] = best;
        }
    }
    d[idx(a.len(), b.len())]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<String> {
        match check_text(text) {
            Outcome::Checked(p) => p.iter().map(Problem::line).collect(),
            Outcome::NotJson => vec!["not json".into()],
        }
    }

    #[test]
    fn edit_distance() {
        assert_eq!(distance("", ""), 0);
        assert_eq!(distance("abc", ""), 3);
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(distance("gcp", "gpc"), 1);
        assert_eq!(distance("revison", "revision"), 1);
        assert_eq!(distance("théme", "theme"), 1);
    }

    #[test]
    fn suggestions_need_a_close_key() {
        let known = ["revision", "language", "layout", "theme", "gpc"];
        assert_eq!(suggest("revison", &known), Some("revision"));
        assert_eq!(suggest("Theme", &known), Some("theme"));
        assert_eq!(suggest("gcp", &known), Some("gpc"));
        assert_eq!(suggest("colour", &known), None);
        assert_eq!(suggest("x", &known), None);
    }

    #[test]
    fn paths_follow_the_config_keys() {
        let v =
            json::parse(r#"{ "a.b": { "c": [ 0, { "d[1]": 1 } ] }, "a": { "b": 1 } }"#).unwrap();
        assert_eq!(
            segments(&v, "a.b.c[1].d[1]"),
            Some(vec![
                Segment::Key("a.b".into()),
                Segment::Key("c".into()),
                Segment::Index(1),
                Segment::Key("d[1]".into()),
            ])
        );
        assert_eq!(segments(&v, "a.b"), Some(vec![Segment::Key("a.b".into())]));
        assert_eq!(segments(&v, "a.x"), None);
    }

    #[test]
    fn hints_at_every_level() {
        assert_eq!(
            lines(
                r#"{ "cookie": { "lifetimeDay": 10 },
                     "categories": { "ads": { "cookies": [ { "name": "_x", "purpsoe": "?" } ],
                                              "services": { "pixel": { "lable": "P" } } },
                                     "analytcs": {} },
                     "texts": { "de": { "titel": "Hallo" } },
                     "googleConsentMode": { "waitforupdate": 5 },
                     "somethingElse": 1 }"#
            ),
            [
                "warning: config `cookie.lifetimeDay`: unknown key; did you mean `lifetimeDays`?",
                "warning: config `categories.ads.cookies[0].purpsoe`: unknown key; did you mean `purpose`?",
                "warning: config `categories.ads.services.pixel.lable`: unknown key; did you mean `label`?",
                "warning: config `categories.analytcs`: unknown category; did you mean `analytics`?",
                "warning: config `texts.de.titel`: unknown key; did you mean `title`?",
                "warning: config `googleConsentMode.waitforupdate`: unknown key; did you mean `waitForUpdate`?",
                "warning: config `somethingElse`: unknown key",
            ]
        );
        // Keys the schema lists are read by this version: no warning.
        assert!(lines(
            r#"{ "hideFromBots": false, "regions": { "EU": "opt-in" }, "autoBlock": true, "blockHosts": {} }"#
        )
        .is_empty());
    }

    #[test]
    fn errors_and_the_root() {
        assert_eq!(lines("[]"), ["error: the config must be a JSON object"]);
        assert_eq!(lines("{ \"revision\": 1, }"), ["not json"]);
        assert_eq!(lines("\u{feff}{}"), Vec::<String>::new());
        assert_eq!(
            lines(r#"{ "layout": "side", "gpc": "yes" }"#),
            [
                "error: config `layout`: expected one of bar, bar-top, box, modal",
                "error: config `gpc`: expected a boolean",
            ]
        );
    }
}
