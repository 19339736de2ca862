//! What a withdrawal deletes: which cookie names a listed name or pattern
//! covers, and on which domains to delete them.

#[allow(unused_imports)]
use super::prelude::*;

use super::names::{all_in, ascii_set, pattern_matches, DIGIT};
use super::text::{has, split_once, utf8};

/// The names `pattern` covers: itself if it is a plain name (deleting a
/// cookie that is not there is harmless), or every name in `present` it
/// prefixes if it ends in `*`.
pub fn names<'a>(pattern: &'a str, present: &[&'a str]) -> Vec<&'a str> {
    if !pattern.ends_with('*') {
        return vec![pattern];
    }
    let mut out: Vec<&'a str> = Vec::new();
    for &name in present {
        if pattern_matches(pattern, name) && !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

/// The `Domain` attributes to delete a cookie with: none (a host-only cookie),
/// then `host` and each of its parent domains except the top-level one, then
/// the configured domain if not already listed. An IP address or single-label
/// host gets no parent domains.
pub fn domains(host: &str, configured: Option<&str>) -> Vec<Option<String>> {
    let mut out: Vec<Option<String>> = vec![None];
    // Dots trimmed as bytes (the char-pattern trims are code of their own).
    let host = host.trim_ascii();
    let mut b = host.as_bytes();
    while let [rest @ .., b'.'] = b {
        b = rest;
    }
    let host = utf8(b.to_ascii_lowercase()).unwrap_or_default();
    let is_ip = has(&host, b':') || all_in(host.as_bytes(), const { DIGIT | ascii_set(b".") });
    if !host.is_empty() && !is_ip && has(&host, b'.') {
        let mut rest = host.as_str();
        while has(rest, b'.') {
            out.push(Some(rest.into()));
            rest = split_once(rest, b'.').map_or("", |(_, r)| r);
        }
    }
    if let Some(d) = configured {
        let mut b = d.as_bytes();
        while let [b'.', rest @ ..] = b {
            b = rest;
        }
        let d = utf8(b.to_ascii_lowercase()).unwrap_or_default();
        if !d.is_empty() && !out.iter().any(|o| o.as_deref() == Some(d.as_str())) {
            out.push(Some(d));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns() {
        let present = ["_ga", "_ga_X1", "_gid", "_ga_X1", "other"];
        assert_eq!(names("_ga_*", &present), vec!["_ga_X1"]);
        assert_eq!(names("_ga*", &present), vec!["_ga", "_ga_X1"]);
        assert_eq!(names("_gid", &present), vec!["_gid"]);
        assert_eq!(names("absent", &present), vec!["absent"]);
        assert!(names("zz*", &present).is_empty());
    }

    #[test]
    fn domain_list() {
        let some = |s: &str| Some(String::from(s));
        assert_eq!(
            domains("www.shop.example.com", None),
            vec![
                None,
                some("www.shop.example.com"),
                some("shop.example.com"),
                some("example.com")
            ]
        );
        assert_eq!(
            domains("example.com", Some(".example.com")),
            vec![None, some("example.com")]
        );
        assert_eq!(
            domains("localhost", Some(".example.com")),
            vec![None, some("example.com")]
        );
        assert_eq!(domains("127.0.0.1", None), vec![None]);
        assert_eq!(domains("[::1]", None), vec![None]);
        assert_eq!(domains("", None), vec![None]);
    }
}
