//! Automatic blocking: which hosts are held until a category is granted.
//!
//! With `"autoBlock": true` the built-in list of known trackers
//! (`data/trackers.txt`, one host a line with its category, kind and source)
//! applies; config `blockHosts` (`{ "marketing": ["ads.example.com"] }`) adds
//! hosts with or without it. A listed host matches itself and its subdomains;
//! the most specific listed host wins, and a host named in `blockHosts` takes
//! the category given there. The browser edge that applies this rule while
//! the page loads (`pkg-template/consent-gate-block.js`) must act before any
//! WebAssembly can run, so it carries the same rule in a few lines of
//! JavaScript; the build generates its host table from the same data file.

#[allow(unused_imports)]
use super::prelude::*;

use super::category::Category;
use super::config::Diagnostic;
#[cfg(any(not(target_arch = "wasm32"), feature = "devtool"))]
use super::diagnostic::{at, join, Code};
use super::names::{all_in, ascii_set, ALNUM};
use super::value::Value;

/// The built-in list, as shipped (see the module docs for its format).
pub const TRACKERS: &str = include_str!("../../data/trackers.txt");

/// At most this many hosts in one `blockHosts` list.
pub const MAX_HOSTS: usize = 200;

/// One host of the built-in list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tracker<'a> {
    /// The host (matches itself and its subdomains).
    pub host: &'a str,
    /// The category it is held for.
    pub category: Category,
    /// What it is: `analytics`, `tag-manager`, `ads`, `social-pixel`,
    /// `social-embed`, `session-recorder`, `video` or `map`.
    pub kind: &'a str,
    /// Where the host is documented.
    pub source: &'a str,
}

/// The kinds a built-in host may have.
pub const KINDS: [&str; 8] = [
    "analytics",
    "tag-manager",
    "ads",
    "social-pixel",
    "social-embed",
    "session-recorder",
    "video",
    "map",
];

/// Reads a list in the format of `data/trackers.txt`: `#` comments and blank
/// lines are skipped; every other line is `host category kind source`.
/// `None` for the first line that does not fit (a bad host, an unknown or
/// non-optional category, an unknown kind, a source that is not https, a
/// repeated host).
pub fn parse_trackers(text: &str) -> Option<Vec<Tracker<'_>>> {
    let mut out: Vec<Tracker<'_>> = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut fields = line.split_ascii_whitespace();
        let (host, category, kind, source) = (
            fields.next()?,
            fields.next()?,
            fields.next()?,
            fields.next()?,
        );
        let category = Category::parse(category).filter(|c| c.is_optional())?;
        let fits = fields.next().is_none()
            && is_host(host)
            && host.bytes().all(|b| !b.is_ascii_uppercase())
            && KINDS.contains(&kind)
            && source.starts_with("https://")
            && !out.iter().any(|t| t.host == host);
        if !fits {
            return None;
        }
        out.push(Tracker {
            host,
            category,
            kind,
            source,
        });
    }
    Some(out)
}

/// The built-in list. Empty only if the shipped file were malformed, which
/// the tests rule out.
pub fn built_in() -> Vec<Tracker<'static>> {
    parse_trackers(TRACKERS).unwrap_or_default()
}

/// Whether `s` is a host name a list may name: dot-separated labels of ASCII
/// letters, digits and `-` (not at either end of a label), at least two
/// labels, at most 253 bytes. No scheme, port, path or wildcard.
pub fn is_host(s: &str) -> bool {
    (1..=253).contains(&s.len())
        && s.contains('.')
        && s.split('.').all(|l| {
            (1..=63).contains(&l.len())
                && all_in(l.as_bytes(), const { ALNUM | ascii_set(b"-") })
                && !l.starts_with('-')
                && !l.ends_with('-')
        })
}

/// Whether listed host `pattern` covers `host`: the same host, or a subdomain
/// of it. ASCII case and a trailing dot on `host` are ignored.
pub fn host_matches(pattern: &str, host: &str) -> bool {
    let host = host.strip_suffix('.').unwrap_or(host);
    let (p, h) = (pattern.as_bytes(), host.as_bytes());
    let Some(cut) = h.len().checked_sub(p.len()) else {
        return false;
    };
    h.get(cut..)
        .is_some_and(|tail| tail.eq_ignore_ascii_case(p))
        && (cut == 0 || h.get(cut - 1) == Some(&b'.'))
}

/// The category that holds `host`, or `None` when it may load freely.
/// `configured` is config `blockHosts`; the built-in `list` applies only with
/// `auto_block`. The most specific listed host wins (`maps.google.com` over
/// `google.com`), and for the same host `blockHosts` wins over the list.
pub fn category_for(
    host: &str,
    configured: &[(Category, Vec<String>)],
    list: &[Tracker<'_>],
    auto_block: bool,
) -> Option<Category> {
    let host = host.strip_suffix('.').unwrap_or(host);
    // From the whole host down to its last label, the first listed one wins.
    let mut rest = host;
    loop {
        for (category, hosts) in configured {
            if hosts.iter().any(|h| h.eq_ignore_ascii_case(rest)) {
                return Some(*category);
            }
        }
        if auto_block {
            if let Some(t) = list.iter().find(|t| t.host.eq_ignore_ascii_case(rest)) {
                return Some(t.category);
            }
        }
        rest = rest.split_once('.')?.1;
    }
}

/// Reads config `blockHosts`: an object from category (id or alias) to an
/// array of host names. Bad entries are reported with their path and left
/// out; `essential` is refused (it is always granted, so nothing would be held).
///
/// In the banner module this reads nothing: the page's automatic blocking
/// (`consent-gate-block.js`, which applies the list) reports the same problems
/// in the same words, so the visitor's `.wasm` does not carry the rule twice.
/// (The checker, on the host and in the configurator's devtool build, reads it.)
#[cfg(all(target_arch = "wasm32", not(feature = "devtool")))]
pub fn read_block_hosts(
    _: &Value,
    _: &str,
    _: &mut Vec<Diagnostic>,
) -> Vec<(Category, Vec<String>)> {
    Vec::new()
}

/// Reads config `blockHosts`: an object from category (id or alias) to an
/// array of host names. Bad entries are reported with their path and left
/// out; `essential` is refused (it is always granted, so nothing would be held).
#[cfg(any(not(target_arch = "wasm32"), feature = "devtool"))]
pub fn read_block_hosts(
    v: &Value,
    path: &str,
    diags: &mut Vec<Diagnostic>,
) -> Vec<(Category, Vec<String>)> {
    let mut error = |p: String, c: Code| diags.push(Diagnostic::new(p, c));
    let members = match v {
        Value::Object(members) => members,
        // `null` is the same as leaving it out.
        Value::Null => return Vec::new(),
        _ => {
            error(path.into(), Code::ExpectedObject);
            return Vec::new();
        }
    };
    let mut out: Vec<(Category, Vec<String>)> = Vec::new();
    for (key, list) in members {
        let key_path = join(path, key);
        let category = match Category::parse(key) {
            Some(c) if c.is_optional() => c,
            Some(_) => {
                error(key_path, Code::BlockHostsEssential);
                continue;
            }
            None => {
                error(key_path, Code::ExpectedOptionalCategory);
                continue;
            }
        };
        let Value::Array(items) = list else {
            error(key_path, Code::ExpectedHostList);
            continue;
        };
        if items.len() > MAX_HOSTS {
            error(key_path.clone(), Code::TooManyEntries);
        }
        let mut hosts = Vec::new();
        for (i, item) in items.iter().take(MAX_HOSTS).enumerate() {
            match item.as_str() {
                Some(h) if is_host(h) => hosts.push(h.to_ascii_lowercase()),
                _ => error(at(&key_path, i), Code::ExpectedHost),
            }
        }
        match out.iter_mut().find(|(c, _)| *c == category) {
            Some((_, existing)) => existing.extend(hosts),
            None => out.push((category, hosts)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_list_reads_and_is_large_enough() {
        let list = built_in();
        assert!(list.len() >= 60, "{} hosts", list.len());
        for kind in KINDS {
            assert!(list.iter().any(|t| t.kind == kind), "no {kind} host");
        }
        assert_eq!(parse_trackers(TRACKERS).map(|l| l.len()), Some(list.len()));
    }

    #[test]
    fn malformed_lists_are_refused() {
        let ok = "a.example performance analytics https://x.example/";
        assert!(parse_trackers(ok).is_some());
        for bad in [
            "a.example essential analytics https://x.example/",
            "a.example bogus analytics https://x.example/",
            "a.example marketing bogus https://x.example/",
            "a.example marketing ads http://x.example/",
            "a.example marketing ads",
            "A.example marketing ads https://x.example/",
            "https://a.example marketing ads https://x.example/",
            "a.example marketing ads https://x.example/ extra",
            "a.example marketing ads https://x/\na.example performance ads https://y/",
        ] {
            assert_eq!(parse_trackers(bad), None, "{bad}");
        }
    }

    #[test]
    fn hosts_match_themselves_and_subdomains_only() {
        assert!(host_matches("doubleclick.net", "doubleclick.net"));
        assert!(host_matches("doubleclick.net", "stats.g.doubleclick.net"));
        assert!(host_matches("doubleclick.net", "Stats.DoubleClick.NET."));
        assert!(!host_matches("doubleclick.net", "notdoubleclick.net"));
        assert!(!host_matches(
            "doubleclick.net",
            "doubleclick.net.example.com"
        ));
        assert!(!host_matches("maps.google.com", "google.com"));
        assert!(!host_matches("a.b", "b"));
    }

    #[test]
    fn the_most_specific_listed_host_wins_and_config_beats_the_list() {
        let list = built_in();
        let configured = vec![
            (Category::Functional, vec!["youtube.com".to_string()]),
            (Category::Marketing, vec!["ads.example.com".to_string()]),
            (Category::Performance, vec!["example.org".to_string()]),
            (Category::Marketing, vec!["x.example.org".to_string()]),
        ];
        let c = |h: &str, auto| category_for(h, &configured, &list, auto);
        assert_eq!(
            c("www.google-analytics.com", true),
            Some(Category::Performance)
        );
        assert_eq!(c("www.google-analytics.com", false), None, "list off");
        assert_eq!(c("px.ads.example.com", false), Some(Category::Marketing));
        assert_eq!(c("example.com", false), None);
        assert_eq!(c("www.youtube.com", true), Some(Category::Functional));
        assert_eq!(c("y.x.example.org", false), Some(Category::Marketing));
        assert_eq!(c("y.example.org", false), Some(Category::Performance));
        assert_eq!(c("maps.google.com", true), Some(Category::Functional));
        assert_eq!(c("www.google.com", true), None);
        assert_eq!(c("adservice.google.com.", true), Some(Category::Marketing));
        assert_eq!(c("localhost", true), None);
    }

    /// The cases consent-gate-block.js is tested on too (tests/e2e/autoblock.test.mjs).
    #[test]
    fn the_shared_vectors() {
        let v = crate::model::json::parse(include_str!("../../tests/vectors/hosts.json")).unwrap();
        let Value::Object(top) = &v else { panic!() };
        let get = |k: &str| {
            top.iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v)
                .unwrap()
        };
        let mut d = Vec::new();
        let configured = read_block_hosts(get("blockHosts"), "blockHosts", &mut d);
        assert!(d.is_empty(), "{d:?}");
        let auto = get("autoBlock").as_bool().unwrap();
        let Value::Array(cases) = get("cases") else {
            panic!()
        };
        let list = built_in();
        for case in cases {
            let Value::Array(pair) = case else { panic!() };
            let host = pair[0].as_str().unwrap();
            let expected = pair[1].as_str().map(|c| Category::parse(c).unwrap());
            assert_eq!(
                category_for(host, &configured, &list, auto),
                expected,
                "{host}"
            );
        }
        assert!(cases.len() >= 20);
    }

    #[test]
    fn block_hosts_are_read_with_diagnostics_naming_the_path() {
        let v = Value::Object(vec![
            (
                "ads".into(),
                Value::Array(vec![
                    Value::String("Ads.Example.com".into()),
                    Value::String("https://x.example/".into()),
                    Value::Bool(true),
                ]),
            ),
            ("essential".into(), Value::Array(vec![])),
            ("nope".into(), Value::Array(vec![])),
            ("performance".into(), Value::String("a.example".into())),
            (
                "marketing".into(),
                Value::Array(vec![Value::String("b.example".into())]),
            ),
        ]);
        let mut d = Vec::new();
        let hosts = read_block_hosts(&v, "blockHosts", &mut d);
        assert_eq!(
            hosts,
            vec![(
                Category::Marketing,
                vec!["ads.example.com".to_string(), "b.example".to_string()]
            )]
        );
        let paths: Vec<&str> = d.iter().map(|d| d.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "blockHosts.ads[1]",
                "blockHosts.ads[2]",
                "blockHosts.essential",
                "blockHosts.nope",
                "blockHosts.performance"
            ]
        );
        assert!(d
            .iter()
            .all(|d| d.severity == super::super::diagnostic::Severity::Error));
        let mut d = Vec::new();
        assert!(read_block_hosts(&Value::Bool(true), "blockHosts", &mut d).is_empty());
        assert_eq!(d[0].path, "blockHosts");
    }
}
