//! Every text the UI shows, the built-in English, and language choice.

#[allow(unused_imports)]
use super::prelude::*;

use super::diagnostic::{join, Code, Diagnostic};
use super::names::{all_in, ALPHA};
pub use super::names::{is_language_tag, normalise_tag};
use super::text::split;
use super::value::Value;

macro_rules! text_keys {
    ($($variant:ident = $name:literal: $english:literal,)*) => {
        /// One string of the UI; `texts.<language>.<key>` in the config overrides it.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum TextKey {
            $(
                #[doc = concat!("`", $name, "`: \"", $english, "\"")]
                $variant,
            )*
        }

        impl TextKey {
            /// Every key, in declaration order.
            pub const ALL: [TextKey; COUNT] = [$(TextKey::$variant),*];

            /// The config name, e.g. `"acceptAll"`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(TextKey::$variant => $name,)*
                }
            }
        }

        const ENGLISH: [&str; COUNT] = [$($english),*];
    };
}

/// The number of text keys.
const COUNT: usize = 35;

text_keys! {
    Title = "title": "We use cookies",
    Description = "description": "Essential cookies keep this site working. Optional cookies for analytics, preferences and marketing stay off until you agree, and you can change your choice any time via \"Cookie settings\".",
    AcceptAll = "acceptAll": "Accept all",
    RejectAll = "rejectAll": "Reject all",
    Preferences = "preferences": "Preferences",
    Save = "save": "Save choices",
    Close = "close": "Close",
    PreferencesTitle = "preferencesTitle": "Cookie settings",
    PreferencesDescription = "preferencesDescription": "Choose which optional cookies you allow. Essential cookies are always on, because the site cannot work without them.",
    PolicyLink = "policyLink": "Cookie policy",
    AlwaysOn = "alwaysOn": "Always on",
    GpcNotice = "gpcNotice": "Your browser sent a Global Privacy Control signal, so marketing cookies stay off unless you switch them on.",
    CookieName = "cookieName": "Name",
    CookieProvider = "cookieProvider": "Provider",
    CookiePurpose = "cookiePurpose": "Purpose",
    CookieDuration = "cookieDuration": "Duration",
    Services = "services": "Services",
    EssentialLabel = "essentialLabel": "Essential",
    EssentialDescription = "essentialDescription": "Needed for the site to work: security, signing in and remembering this choice.",
    PerformanceLabel = "performanceLabel": "Performance",
    PerformanceDescription = "performanceDescription": "Counts visits and shows how the site is used, so we can improve it.",
    FunctionalLabel = "functionalLabel": "Functional",
    FunctionalDescription = "functionalDescription": "Remembers your preferences, such as language and display settings.",
    MarketingLabel = "marketingLabel": "Marketing",
    MarketingDescription = "marketingDescription": "Shows ads that match your interests and measures them, here and on other sites.",
    Allowed = "allowed": "Allowed",
    NotAllowed = "notAllowed": "Not allowed",
    ChangeSettings = "changeSettings": "Change cookie settings",
    // A blocked embed's placeholder (contract section 3): the title, then the
    // service's label or host on a line of its own, then the text and two buttons.
    PlaceholderTitle = "placeholderTitle": "This content is blocked",
    PlaceholderText = "placeholderText": "Loading it lets its provider set cookies and see that you visited this page.",
    LoadOnce = "loadOnce": "Load once",
    AlwaysAllow = "alwaysAllow": "Always allow",
    // The first layer in an "opt-out" region (contract section 1): a notice
    // whose main button refuses marketing only.
    OptOutTitle = "optOutTitle": "Your privacy choices",
    OptOutDescription = "optOutDescription": "This site uses cookies for analytics, preferences and advertising. You can opt out of the sale or sharing of your personal information, and change your choice any time via \"Cookie settings\".",
    DoNotSell = "doNotSell": "Do not sell or share my personal information",
}

impl TextKey {
    /// Reads a config name (exact camelCase, e.g. `"rejectAll"`).
    pub fn parse(s: &str) -> Option<TextKey> {
        // (slice::Iter's find is a plain loop; the array IntoIter's is a try_fold.)
        TextKey::ALL.iter().find(|k| k.as_str() == s).copied()
    }
}

/// The texts of one language: a string for every [`TextKey`].
#[derive(Clone, Debug, PartialEq)]
pub struct Texts {
    strings: [String; COUNT],
}

impl Default for Texts {
    fn default() -> Texts {
        Texts::english()
    }
}

impl Texts {
    /// The built-in English texts.
    pub fn english() -> Texts {
        Texts {
            strings: ENGLISH.map(String::from),
        }
    }

    /// The text for `k`.
    pub fn get(&self, k: TextKey) -> &str {
        self.strings.get(k as usize).map_or("", String::as_str)
    }

    /// Replaces the text for `k`.
    pub fn set(&mut self, k: TextKey, s: String) {
        if let Some(slot) = self.strings.get_mut(k as usize) {
            *slot = s;
        }
    }

    /// Overlays a `{ key: "text" }` object (a language file or `texts.<lang>`)
    /// on `base`, reporting bad entries under `path`.
    pub fn from_value(
        mut base: Texts,
        v: &Value,
        path: &str,
        diags: &mut Vec<Diagnostic>,
    ) -> Texts {
        for (k, s) in overrides(v, path, diags) {
            base.set(k, s);
        }
        base
    }
}

/// Reads a `{ key: "text" }` object: unknown keys are warnings, values that
/// are not strings are errors; both are skipped.
pub fn overrides(v: &Value, path: &str, diags: &mut Vec<Diagnostic>) -> Vec<(TextKey, String)> {
    let Value::Object(members) = v else {
        diags.push(Diagnostic::new(path.into(), Code::ExpectedTexts));
        return Vec::new();
    };
    let mut out: Vec<(TextKey, String)> = Vec::new();
    for (name, value) in members {
        if name.starts_with('_') {
            // Metadata such as a language file's review `_note`.
            continue;
        }
        let Some(key) = TextKey::parse(name) else {
            diags.push(Diagnostic::new(join(path, name), Code::UnknownKey));
            continue;
        };
        let Some(s) = value.as_str() else {
            diags.push(Diagnostic::new(join(path, name), Code::ExpectedString));
            continue;
        };
        put(&mut out, key, s.into());
    }
    out
}

/// Sets `key` to `s` in `list` (which holds each key at most once), moving it
/// to the end: the last text given for a key wins, and the list keeps the
/// order they were last given in. (A `remove` rather than `Vec::retain`,
/// whose code is generated once per closure.)
pub(crate) fn put(list: &mut Vec<(TextKey, String)>, key: TextKey, s: String) {
    if let Some(i) = list.iter().position(|(k, _)| *k == key) {
        list.remove(i);
    }
    list.push((key, s));
}

/// Languages with built-in texts: English is compiled in, every other one is
/// a file `lang/<tag>.json` next to the `.wasm`, fetched only when chosen.
pub const BUILT_IN: [&str; 58] = [
    "af", "ar", "az", "bg", "bn", "ca", "cs", "cy", "da", "de", "el", "en", "es", "et", "eu", "fa",
    "fi", "fil", "fr", "ga", "gl", "he", "hi", "hr", "hu", "id", "is", "it", "ja", "ko", "lt",
    "lv", "mk", "mr", "ms", "mt", "nb", "nl", "pl", "pt", "pt-br", "ro", "ru", "sk", "sl", "sq",
    "sr", "sr-latn", "sv", "sw", "ta", "th", "tr", "uk", "ur", "vi", "zh", "zh-hant",
];

/// Whether `tag` is written right to left: a script subtag decides when there
/// is one (`ur-arab`, `az-arab` yes; `ar-latn` no), else the primary language
/// (the built-in Arabic, Hebrew, Persian and Urdu, and other languages a
/// config's `texts.<lang>` may add, such as Pashto, Sorani, Sindhi, Uyghur,
/// Yiddish and Dhivehi).
pub fn is_rtl(tag: &str) -> bool {
    let tag = normalise_tag(tag);
    let mut parts = split(&tag, b'-');
    let primary = parts.next().unwrap_or("");
    let script = parts.find(|p| p.len() == 4 && all_in(p.as_bytes(), ALPHA));
    match script {
        Some(script) => RTL_SCRIPTS.contains(&script),
        None => RTL_LANGUAGES.contains(&primary),
    }
}

/// Right-to-left scripts (ISO 15924 codes, lowercase).
const RTL_SCRIPTS: [&str; 9] = [
    "adlm", "arab", "hebr", "mand", "nkoo", "rohg", "samr", "syrc", "thaa",
];

/// Languages whose usual script is right to left (their default when a tag
/// names no script).
const RTL_LANGUAGES: [&str; 17] = [
    "ar", "ary", "arz", "ckb", "dv", "fa", "he", "iw", "ks", "nqo", "prs", "ps", "sd", "syr", "ug",
    "ur", "yi",
];

/// Picks the UI language: the configured one unless `"auto"`, then the page's
/// `<html lang>`, then the browser's preferred languages in order; the first
/// that matches one of `available` (normalised tags) wins, else `"en"`.
///
/// A candidate matches its exact tag first, then a regional, script or legacy
/// mapping, then its primary subtag (`de-at` → `de`), then any available tag
/// with the same primary subtag. The mappings: `zh-cn`, `zh-hans`, `zh-sg` →
/// `zh`; `zh-tw`, `zh-hk`, `zh-mo`, `zh-hant` → `zh-hant`; `pt-br` → `pt-br`, else
/// `pt`; `nn`, `no` → `nb`; `tl` (Tagalog) → `fil`; `sr-latn…` → `sr-latn`, any
/// other `sr` (Cyrillic, the official script) → `sr`; `prs` (Dari), `pes` →
/// `fa`; the old codes `iw` → `he`, `in` → `id`, `ji` → `yi`.
pub fn choose_language(
    config_language: &str,
    html_lang: Option<&str>,
    preferred: &[String],
    available: &[&str],
) -> String {
    let configured = Some(config_language).filter(|l| !l.trim_ascii().eq_ignore_ascii_case("auto"));
    let candidates = configured
        .into_iter()
        .chain(html_lang)
        .chain(preferred.iter().map(String::as_str));
    for candidate in candidates {
        if let Some(found) = match_tag(candidate, available) {
            return found.into();
        }
    }
    "en".into()
}

fn match_tag<'a>(candidate: &str, available: &[&'a str]) -> Option<&'a str> {
    let tag = normalise_tag(candidate);
    if !is_language_tag(&tag) {
        return None;
    }
    // (slice::Iter's own find is a plain loop; Copied's would be a try_fold.)
    let find = |t: &str| available.iter().find(|a| normalise_tag(a) == t).copied();
    let primary = split(&tag, b'-').next().unwrap_or("");
    let hant = ["zh-tw", "zh-hk", "zh-mo", "zh-hant"]
        .iter()
        .any(|p| tag.starts_with(p));
    let special: &[&str] = match primary {
        "zh" if hant => &["zh-hant", "zh-tw"],
        "zh" => &["zh-hans", "zh-cn", "zh"],
        "pt" if tag.starts_with("pt-br") => &["pt-br", "pt"],
        "pt" => &["pt", "pt-pt"],
        "nb" | "nn" | "no" => &["nb", "no"],
        "fil" | "tl" => &["fil", "tl"],
        "sr" if split(&tag, b'-').any(|p| p == "latn") => &["sr-latn"],
        "sr" => &["sr", "sr-cyrl"],
        "fa" | "prs" | "pes" => &["fa"],
        "he" | "iw" => &["he", "iw"],
        "id" | "in" => &["id", "in"],
        "yi" | "ji" => &["yi", "ji"],
        _ => &[],
    };
    if let Some(found) = find(&tag) {
        return Some(found);
    }
    for s in special {
        if let Some(found) = find(s) {
            return Some(found);
        }
    }
    if let Some(found) = find(primary) {
        return Some(found);
    }
    available
        .iter()
        .find(|a| split(&normalise_tag(a), b'-').next() == Some(primary))
        .copied()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::diagnostic::Severity;

    #[test]
    fn keys_round_trip_and_english_is_complete() {
        assert_eq!(TextKey::ALL.len(), COUNT);
        let en = Texts::english();
        for (i, k) in TextKey::ALL.into_iter().enumerate() {
            assert_eq!(k as usize, i);
            assert_eq!(TextKey::parse(k.as_str()), Some(k));
            assert!(!en.get(k).is_empty(), "{k:?}");
        }
        assert_eq!(TextKey::parse("AcceptAll"), None);
        assert_eq!(TextKey::parse("accept_all"), None);
        assert!(en.get(TextKey::Description).contains("Cookie settings"));
        assert!(en
            .get(TextKey::OptOutDescription)
            .contains("Cookie settings"));
        assert_eq!(
            en.get(TextKey::DoNotSell),
            "Do not sell or share my personal information"
        );
    }

    #[test]
    fn overlay_reports_bad_entries() {
        let v: Value =
            serde_json::from_str(r#"{"title":"Hallo","acceptAll":3,"bogus":"x"}"#).unwrap();
        let mut diags = Vec::new();
        let t = Texts::from_value(Texts::english(), &v, "texts.de", &mut diags);
        assert_eq!(t.get(TextKey::Title), "Hallo");
        assert_eq!(t.get(TextKey::AcceptAll), "Accept all");
        assert_eq!(diags.len(), 2);
        assert_eq!(
            (diags[0].severity, diags[0].path.as_str()),
            (Severity::Error, "texts.de.acceptAll")
        );
        assert_eq!(
            (
                diags[1].severity,
                diags[1].path.as_str(),
                diags[1].message().as_str()
            ),
            (Severity::Warning, "texts.de.bogus", "unknown key")
        );
        let mut diags = Vec::new();
        let same = Texts::from_value(Texts::english(), &Value::Bool(true), "texts.de", &mut diags);
        assert_eq!(same, Texts::english());
        assert_eq!(diags[0].path, "texts.de");
    }

    #[test]
    fn right_to_left() {
        for rtl in [
            "ar",
            "he",
            "fa",
            "ur",
            "ur-PK",
            "FA_ir",
            "iw",
            "ps",
            "ckb",
            "yi",
            "pa-Arab",
            "az-Arab-IR",
        ] {
            assert!(is_rtl(rtl), "{rtl}");
        }
        for ltr in [
            "en", "de", "hi", "sr-latn", "ar-Latn", "ku", "tr", "zh-hant", "", "x",
        ] {
            assert!(!is_rtl(ltr), "{ltr}");
        }
    }

    #[test]
    fn script_and_legacy_mappings() {
        let av = [
            "en", "fa", "fil", "he", "id", "nb", "sr", "sr-latn", "zh", "zh-hant",
        ];
        let m = |t: &str| match_tag(t, &av);
        assert_eq!(m("fil-PH"), Some("fil"));
        assert_eq!(m("tl"), Some("fil"));
        assert_eq!(m("sr-Latn-RS"), Some("sr-latn"));
        assert_eq!(m("sr_latn"), Some("sr-latn"));
        assert_eq!(m("sr-Cyrl-RS"), Some("sr"));
        assert_eq!(m("sr-ME"), Some("sr"));
        assert_eq!(m("prs"), Some("fa"));
        assert_eq!(m("fa-AF"), Some("fa"));
        assert_eq!(m("iw-IL"), Some("he"));
        assert_eq!(m("in"), Some("id"));
        assert_eq!(m("nn-NO"), Some("nb"));
        assert_eq!(m("zh-HK"), Some("zh-hant"));
        assert_eq!(m("zh-Hans-CN"), Some("zh"));
        assert_eq!(m("sr-Latn"), Some("sr-latn"));
        assert_eq!(
            match_tag("sr-Latn", &["en", "sr"]),
            Some("sr"),
            "the other script beats English"
        );
        assert_eq!(match_tag("tl", &["en"]), None);
    }

    #[test]
    fn tags() {
        assert_eq!(normalise_tag(" pt_BR "), "pt-br");
        for ok in ["en", "de-AT", "zh-Hans-CN", "gsw", "es-419", "pt_br"] {
            assert!(is_language_tag(ok), "{ok}");
        }
        for bad in [
            "",
            "e",
            "english",
            "en-",
            "en--us",
            "1a",
            "de-abcdefghi",
            "*",
            "en us",
        ] {
            assert!(!is_language_tag(bad), "{bad}");
        }
    }
}
