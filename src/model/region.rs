//! Regions: which banner mode a visitor gets, from the region the server
//! names (`data-region="US-CA"` on the loader's tag) and config `regions`.
//!
//! * A region is an ISO 3166-1 alpha-2 country in capitals (`DE`), optionally
//!   followed by `-` and a subdivision of 1 to 3 capitals or digits (`US-CA`,
//!   `GB-ENG`). Anything else (`de`, `D`, `USA`, `US-`, ``, spaces) is
//!   malformed. The codes ISO 3166-1 leaves to private use (`AA`, `QM`–`QZ`,
//!   `XA`–`XZ` but `XK`, Kosovo, `ZZ`) are unknown: CDNs send `XX` when they
//!   do not know. A missing, malformed or unknown region is always
//!   [`Mode::OptIn`], whatever `"*"` says.
//! * Config keys: a subdivision (`US-CA`), a country (`DE`), a group (`EU`,
//!   `EEA` = EU + `IS`, `LI`, `NO`; `US` = the country and every `US-xx`) or
//!   `*` (any known region not named).
//! * The most specific key wins: the subdivision, then its country, then
//!   `EU`, then `EEA`, then `*`; nothing matching is [`Mode::OptIn`].

#[allow(unused_imports)]
use super::prelude::*;

use super::config::Diagnostic;
use super::diagnostic::Code;
use super::names::{all_in, DIGIT, UPPER};
use super::value::Value;

/// What a visitor in a region gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Mode {
    /// `"opt-in"`: nothing optional before the visitor's action (the default).
    #[default]
    OptIn,
    /// `"opt-out"`: optional categories count as granted until the visitor
    /// refuses them; the first layer is a notice with "Do not sell or share".
    OptOut,
    /// `"off"`: no banner, nothing optional granted.
    Off,
}

impl Mode {
    /// Reads a mode as the config spells it.
    pub fn parse(s: &str) -> Option<Mode> {
        match s {
            "opt-in" => Some(Mode::OptIn),
            "opt-out" => Some(Mode::OptOut),
            "off" => Some(Mode::Off),
            _ => None,
        }
    }
}

/// The member states of the European Union (ISO 3166-1 alpha-2), two
/// letters each: one string rather than a table of 27 (fewer bytes in the .wasm).
pub const EU: &str = "ATBEBGCYCZDEDKEEESFIFRGRHRHUIEITLTLULVMTNLPLPTROSESISK";

/// The European Economic Area beyond the EU.
pub const EEA_EXTRA: &str = "ISLINO";

/// Whether `list` (two-letter codes back to back) holds `country`.
fn holds(list: &str, country: &str) -> bool {
    list.as_bytes().chunks(2).any(|c| c == country.as_bytes())
}

/// The country of a well-formed region (two capitals, optionally `-` and 1
/// to 3 capitals or digits), or `None` when it is malformed.
fn country(region: &str) -> Option<&str> {
    let b = region.as_bytes();
    let upper = |i: usize| b.get(i).is_some_and(u8::is_ascii_uppercase);
    let sub = b.get(3..).unwrap_or(&[]);
    let ok = upper(0)
        && upper(1)
        && match b.get(2) {
            None => true,
            Some(b'-') => (1..=3).contains(&sub.len()) && all_in(sub, UPPER | DIGIT),
            Some(_) => false,
        };
    ok.then(|| region.get(..2)).flatten()
}

/// Whether `country` (two capitals) is a private-use code (see the module docs).
fn is_private_use(country: &str) -> bool {
    match country.as_bytes() {
        [b'A', b'A'] | [b'Z', b'Z'] => true,
        [b'Q', c] => *c >= b'M',
        [b'X', c] => *c != b'K',
        _ => false,
    }
}

/// The country of the known region in `data-region`, or `None` when it is
/// missing, malformed or unknown.
pub fn known(region: Option<&str>) -> Option<&str> {
    country(region?).filter(|c| !is_private_use(c))
}

/// Whether `key` may appear in config `regions`.
pub fn is_key(key: &str) -> bool {
    matches!(key, "*" | "EU" | "EEA") || country(key).is_some()
}

/// The mode for a visitor in `region` (the `data-region` attribute, if
/// any) under config `regions`.
pub fn mode_for(regions: &[(String, Mode)], region: Option<&str>) -> Mode {
    let Some(country) = known(region) else {
        return Mode::OptIn;
    };
    let eu = holds(EU, country);
    let eea = eu || holds(EEA_EXTRA, country);
    // Most specific first; a group that does not hold the country is skipped.
    let keys = [
        region.unwrap_or(country),
        country,
        if eu { "EU" } else { "" },
        if eea { "EEA" } else { "" },
        "*",
    ];
    for key in keys {
        for (k, mode) in regions {
            if k == key {
                return *mode;
            }
        }
    }
    Mode::OptIn
}

/// Reads config `regions` (at `path`): an object of region keys to modes.
/// A bad key is reported and ignored; a bad mode is reported and its key
/// gets [`Mode::OptIn`], the default (never a grant).
pub fn read(v: &Value, path: &str, diags: &mut Vec<Diagnostic>) -> Vec<(String, Mode)> {
    let Value::Object(members) = v else {
        diags.push(Diagnostic::new(path.into(), Code::ExpectedRegions));
        return Vec::new();
    };
    let mut out = Vec::new();
    // (Keys are unique: the browser's JSON.parse keeps the last of a repeated key.)
    for (key, value) in members {
        let (problem, mode) = match value.as_str().and_then(Mode::parse) {
            _ if !is_key(key) => (Some(Code::ExpectedRegion), None),
            None => (Some(Code::ExpectedRegionMode), Some(Mode::OptIn)),
            Some(mode) => (None, Some(mode)),
        };
        if let Some(code) = problem {
            diags.push(Diagnostic::new(super::diagnostic::join(path, key), code));
        }
        if let Some(mode) = mode {
            out.push((key.clone(), mode));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use Mode::{Off, OptIn, OptOut};

    fn regions(pairs: &[(&str, Mode)]) -> Vec<(String, Mode)> {
        pairs.iter().map(|(k, m)| ((*k).into(), *m)).collect()
    }

    #[test]
    fn well_formed_and_malformed_regions() {
        for ok in ["DE", "US-CA", "GB-ENG", "FR-75C", "CN-11", "XK"] {
            assert_eq!(known(Some(ok)), ok.get(..2), "{ok}");
        }
        for bad in [
            "",
            "de",
            "D",
            "USA",
            "US-",
            "us-ca",
            "US-california",
            "U1",
            " DE",
            "DE ",
            "US_CA",
            "US-C-A",
            "*",
            "EU-",
            "DÉ",
            "XX",
            "AA",
            "ZZ",
            "QM",
            "XA",
            "T1",
        ] {
            assert_eq!(known(Some(bad)), None, "{bad:?}");
        }
        assert_eq!(known(None), None);
    }

    #[test]
    fn most_specific_first() {
        let r = regions(&[
            ("*", Off),
            ("EEA", OptIn),
            ("EU", OptOut),
            ("DE", OptIn),
            ("US", OptOut),
            ("US-CA", OptIn),
            ("NO", Off),
        ]);
        assert_eq!(mode_for(&r, Some("US-CA")), OptIn, "subdivision");
        assert_eq!(mode_for(&r, Some("US-TX")), OptOut, "US = every US-xx");
        assert_eq!(mode_for(&r, Some("US")), OptOut, "the country itself");
        assert_eq!(mode_for(&r, Some("DE")), OptIn, "country before group");
        assert_eq!(
            mode_for(&r, Some("DE-BY")),
            OptIn,
            "a subdivision's country"
        );
        assert_eq!(mode_for(&r, Some("FR")), OptOut, "EU before EEA");
        assert_eq!(mode_for(&r, Some("IS")), OptIn, "EEA, not EU");
        assert_eq!(mode_for(&r, Some("NO")), Off, "country before EEA");
        assert_eq!(
            mode_for(&r, Some("JP")),
            Off,
            "* for a known region not named"
        );
        assert_eq!(mode_for(&r, Some("GB-ENG")), Off);
    }

    #[test]
    fn missing_malformed_and_unknown_regions_are_opt_in_whatever_star_says() {
        for star in [Off, OptOut] {
            let r = regions(&[("*", star), ("US", star), ("DE", star)]);
            for region in [
                None,
                Some(""),
                Some("de"),
                Some("D"),
                Some("USA"),
                Some("US-"),
                Some("XX"),
            ] {
                assert_eq!(mode_for(&r, region), OptIn, "{region:?}");
            }
        }
    }

    #[test]
    fn no_config_means_opt_in_everywhere() {
        assert_eq!(mode_for(&[], Some("US-CA")), OptIn);
        assert_eq!(mode_for(&[], Some("DE")), OptIn);
        let eu_only = regions(&[("EU", Off)]);
        assert_eq!(mode_for(&eu_only, Some("CH")), OptIn, "no group, no *");
        assert_eq!(mode_for(&eu_only, Some("GR")), Off);
        assert_eq!(mode_for(&eu_only, Some("LI")), OptIn, "EEA is not EU");
    }

    #[test]
    fn groups_hold_the_right_countries() {
        let eu: Vec<&str> = EU
            .as_bytes()
            .chunks(2)
            .map(|c| core::str::from_utf8(c).unwrap())
            .collect();
        assert_eq!(eu.len(), 27);
        let mut sorted = eu.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, eu, "sorted, so a review can spot a gap");
        assert!(eu.iter().all(|c| country(c) == Some(*c)));
        let eea = regions(&[("EEA", OptOut)]);
        for c in eu.iter().copied().chain(["IS", "LI", "NO"]) {
            assert_eq!(mode_for(&eea, Some(c)), OptOut, "{c}");
        }
        for c in ["CH", "GB", "TR", "EL", "SI-", "A", "TB"] {
            assert_eq!(mode_for(&eea, Some(c)), OptIn, "{c}");
        }
    }

    #[test]
    fn reading_the_config() {
        let v = Value::Object(vec![
            ("US-CA".into(), Value::String("opt-out".into())),
            ("de".into(), Value::String("off".into())),
            ("EU".into(), Value::String("maybe".into())),
            ("*".into(), Value::String("off".into())),
            ("GB".into(), Value::Bool(true)),
        ]);
        let mut diags = Vec::new();
        let r = read(&v, "regions", &mut diags);
        assert_eq!(
            r,
            regions(&[("US-CA", OptOut), ("EU", OptIn), ("*", Off), ("GB", OptIn)])
        );
        let paths: Vec<&str> = diags.iter().map(|d| d.path.as_str()).collect();
        assert_eq!(paths, ["regions.de", "regions.EU", "regions.GB"]);
        assert!(diags
            .iter()
            .all(|d| d.severity == super::super::diagnostic::Severity::Error));
        let mut diags = Vec::new();
        assert!(read(&Value::Bool(true), "regions", &mut diags).is_empty());
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].path, "regions");
    }
}
