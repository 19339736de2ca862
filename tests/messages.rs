//! The words of every config diagnostic: the one table in
//! `src/model/diagnostic.rs`, the checker's lines, and the copy the browser
//! console uses (`pkg-template/consent-gate-messages.json`).

use consent_gate::model::config::{Code, Config, Diagnostic, Severity};
use consent_gate::model::diagnostic::messages_json;
use consent_gate::model::json;

const FILE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/pkg-template/consent-gate-messages.json"
);

/// The shipped file is the Rust table written out. Regenerate with
/// `UPDATE_MESSAGES=1 cargo test --test messages`.
#[test]
fn the_shipped_file_is_the_rust_table() {
    let want = messages_json();
    if std::env::var_os("UPDATE_MESSAGES").is_some() {
        std::fs::write(FILE, &want).expect("write the messages file");
    }
    let have = std::fs::read_to_string(FILE).unwrap_or_default();
    assert!(
        have == want,
        "pkg-template/consent-gate-messages.json differs from the table in src/model/diagnostic.rs; \
         regenerate it with `UPDATE_MESSAGES=1 cargo test --test messages`"
    );
}

#[test]
fn the_file_is_json_with_one_entry_per_code() {
    let v = json::parse(&messages_json()).expect("JSON");
    let consent_gate::model::value::Value::Object(members) = v else {
        panic!("an object")
    };
    assert_eq!(members.len(), Code::ALL.len());
    for (code, (id, text)) in Code::ALL.iter().zip(&members) {
        assert_eq!(*id, code.id());
        assert_eq!(text.as_str(), Some(code.text()));
    }
}

#[test]
fn codes_are_numbered_in_order_and_say_their_severity() {
    for (i, code) in Code::ALL.iter().enumerate() {
        assert_eq!(usize::from(code.number()), i + 1, "{code:?}");
        let letter = match code.severity() {
            Severity::Warning => 'W',
            Severity::Error => 'E',
        };
        assert!(code.id().starts_with(letter));
        // Every `{n}` placeholder has an argument, and no argument goes unused.
        let slots = ["{0}", "{1}"]
            .iter()
            .filter(|s| code.text().contains(*s))
            .count();
        assert_eq!(slots, code.arity(), "{code:?}");
    }
}

/// Every code's English words, as the checker and the console print them.
#[test]
fn every_code_has_these_words() {
    let words: Vec<(&str, &str)> = Code::ALL
        .iter()
        .map(|c| (Box::leak(c.id().into_boxed_str()) as &str, c.text()))
        .collect();
    assert_eq!(
        words,
        [
            ("W1", "unknown key"),
            ("W2", "unknown category"),
            ("E3", "the config must be a JSON object"),
            ("E4", "expected an object"),
            ("E5", "expected an array"),
            ("E6", "at most 200 entries; the rest are ignored"),
            ("E7", "expected a boolean"),
            ("E8", "expected an integer from {0} to {1}"),
            ("E9", "expected a string"),
            ("E10", "only http, https or relative URLs are allowed"),
            ("E11", "expected a domain such as .example.com"),
            (
                "E12",
                "expected a cookie name of 1 to 64 letters, digits or !#$%&'+-.^_`|~"
            ),
            (
                "E13",
                "expected true, false or an object such as { \"waitForUpdate\": 500 }"
            ),
            (
                "E14",
                "expected an object such as { \"url\": \"/consent-log\" }"
            ),
            ("E15", "required"),
            ("E16", "duplicate category"),
            (
                "E17",
                "expected a service id of 1 to 64 lowercase letters, digits, - or _"
            ),
            ("E18", "a service id must not be a category name"),
            ("E19", "duplicate service id"),
            ("E20", "at most 64 services; this one is ignored"),
            (
                "E21",
                "the service ids are too long together for the consent cookie; this one is ignored"
            ),
            ("E22", "expected a cookie name; '*' may only end it"),
            ("E23", "expected a path starting with /"),
            ("E24", "expected a key name; '*' may only end it"),
            ("E25", "expected a language tag such as \"de\""),
            ("E26", "expected \"auto\" or a language tag such as \"de\""),
            ("E27", "expected one of bar, bar-top, box, modal"),
            ("E28", "expected one of auto, light, dark"),
            (
                "E29",
                "an entry matches the consent cookie's name and is ignored"
            ),
            ("E30", "expected an object of texts"),
            (
                "E31",
                "essential is always granted: hosts here would never be held"
            ),
            (
                "E32",
                "expected performance, functional or marketing (or an alias)"
            ),
            ("E33", "expected an array of host names"),
            (
                "E34",
                "expected a host name such as ads.example.com (no scheme, port, path or *)"
            ),
            ("E35", "expected an object such as { \"US-CA\": \"opt-out\" }"),
            (
                "E36",
                "expected a region such as \"DE\" or \"US-CA\" (capitals), or EU, EEA, US, *; ignored"
            ),
            ("E37", "expected one of opt-in, opt-out, off; opt-in is used"),
        ]
    );
}

/// Each code, from a config that produces it, with the message the
/// checker prints and the compact text the banner module hands its entry.
#[test]
fn each_code_from_a_config() {
    let long_ids: String = (0..50)
        .map(|i| format!("\"{i:02}{}\":{{}}", "s".repeat(62)))
        .collect::<Vec<_>>()
        .join(",");
    let many: String = (0..65)
        .map(|i| format!("\"s{i}\":{{}}"))
        .collect::<Vec<_>>()
        .join(",");
    let long_path = format!("categories.marketing.services.44{}", "s".repeat(62));
    let long_compact = format!("E21\n{long_path}");
    let cases: Vec<(String, &str, Code, &str, &str)> = vec![
        (r#"{"colour":1}"#.into(), "colour", Code::UnknownKey, "unknown key", "W1\ncolour"),
        (r#"{"categories":{"stats":{}}}"#.into(), "categories.stats", Code::UnknownCategory, "unknown category", "W2\ncategories.stats"),
        (r#"{"categories":3}"#.into(), "categories", Code::ExpectedObject, "expected an object", "E4\ncategories"),
        (r#"{"categories":{"marketing":{"cookies":3}}}"#.into(), "categories.marketing.cookies", Code::ExpectedArray, "expected an array", "E5\ncategories.marketing.cookies"),
        (format!(r#"{{"categories":{{"marketing":{{"localStorage":[{}"a"]}}}}}}"#, "\"a\",".repeat(200)), "categories.marketing.localStorage", Code::TooManyEntries, "at most 200 entries; the rest are ignored", "E6\ncategories.marketing.localStorage"),
        (r#"{"gpc":"no"}"#.into(), "gpc", Code::ExpectedBoolean, "expected a boolean", "E7\ngpc"),
        (r#"{"cookie":{"lifetimeDays":400}}"#.into(), "cookie.lifetimeDays", Code::ExpectedInteger, "expected an integer from 1 to 395", "E8 1 395\ncookie.lifetimeDays"),
        (r#"{"googleConsentMode":{"waitForUpdate":-1}}"#.into(), "googleConsentMode.waitForUpdate", Code::ExpectedInteger, "expected an integer from 0 to 60000", "E8 0 60000\ngoogleConsentMode.waitForUpdate"),
        (r#"{"revision":0}"#.into(), "revision", Code::ExpectedInteger, "expected an integer from 1 to 1000000000", "E8 1 1000000000\nrevision"),
        (r#"{"policyUrl":1}"#.into(), "policyUrl", Code::ExpectedString, "expected a string", "E9\npolicyUrl"),
        (r#"{"policyUrl":"javascript:x"}"#.into(), "policyUrl", Code::UnsafeUrl, "only http, https or relative URLs are allowed", "E10\npolicyUrl"),
        (r#"{"cookie":{"domain":"a b"}}"#.into(), "cookie.domain", Code::ExpectedDomain, "expected a domain such as .example.com", "E11\ncookie.domain"),
        (r#"{"cookie":{"name":"a;b"}}"#.into(), "cookie.name", Code::ExpectedCookieName, "expected a cookie name of 1 to 64 letters, digits or !#$%&'+-.^_`|~", "E12\ncookie.name"),
        (r#"{"googleConsentMode":1}"#.into(), "googleConsentMode", Code::ExpectedConsentMode, "expected true, false or an object such as { \"waitForUpdate\": 500 }", "E13\ngoogleConsentMode"),
        (r#"{"consentLog":"/log"}"#.into(), "consentLog", Code::ExpectedConsentLog, "expected an object such as { \"url\": \"/consent-log\" }", "E14\nconsentLog"),
        (r#"{"consentLog":{}}"#.into(), "consentLog.url", Code::Required, "required", "E15\nconsentLog.url"),
        (r#"{"categories":{"performance":{},"analytics":{}}}"#.into(), "categories.analytics", Code::DuplicateCategory, "duplicate category", "E16\ncategories.analytics"),
        (r#"{"categories":{"marketing":{"services":{"A":{}}}}}"#.into(), "categories.marketing.services.A", Code::ExpectedServiceId, "expected a service id of 1 to 64 lowercase letters, digits, - or _", "E17\ncategories.marketing.services.A"),
        (r#"{"categories":{"marketing":{"services":{"marketing":{}}}}}"#.into(), "categories.marketing.services.marketing", Code::ServiceIdIsCategory, "a service id must not be a category name", "E18\ncategories.marketing.services.marketing"),
        (r#"{"categories":{"marketing":{"services":{"a":{}}},"functional":{"services":{"a":{}}}}}"#.into(), "categories.functional.services.a", Code::DuplicateServiceId, "duplicate service id", "E19\ncategories.functional.services.a"),
        (format!(r#"{{"categories":{{"marketing":{{"services":{{{many}}}}}}}}}"#), "categories.marketing.services.s64", Code::TooManyServices, "at most 64 services; this one is ignored", "E20\ncategories.marketing.services.s64"),
        (format!(r#"{{"categories":{{"marketing":{{"services":{{{long_ids}}}}}}}}}"#), &long_path, Code::ServicesTooLong, "the service ids are too long together for the consent cookie; this one is ignored", &long_compact),
        (r#"{"categories":{"marketing":{"cookies":[{"name":"*a"}]}}}"#.into(), "categories.marketing.cookies[0].name", Code::ExpectedCookiePattern, "expected a cookie name; '*' may only end it", "E22\ncategories.marketing.cookies[0].name"),
        (r#"{"categories":{"marketing":{"cookies":[{"name":"a","path":"x"}]}}}"#.into(), "categories.marketing.cookies[0].path", Code::ExpectedCookiePath, "expected a path starting with /", "E23\ncategories.marketing.cookies[0].path"),
        (r#"{"categories":{"marketing":{"localStorage":["*a"]}}}"#.into(), "categories.marketing.localStorage[0]", Code::ExpectedStoragePattern, "expected a key name; '*' may only end it", "E24\ncategories.marketing.localStorage[0]"),
        (r#"{"texts":{"1":{}}}"#.into(), "texts.1", Code::ExpectedLanguageTag, "expected a language tag such as \"de\"", "E25\ntexts.1"),
        (r#"{"language":"1"}"#.into(), "language", Code::ExpectedLanguage, "expected \"auto\" or a language tag such as \"de\"", "E26\nlanguage"),
        (r#"{"layout":"side"}"#.into(), "layout", Code::ExpectedLayout, "expected one of bar, bar-top, box, modal", "E27\nlayout"),
        (r#"{"theme":"blue"}"#.into(), "theme", Code::ExpectedTheme, "expected one of auto, light, dark", "E28\ntheme"),
        (r#"{"categories":{"marketing":{"cookies":[{"name":"consent_gate"}]}}}"#.into(), "categories.marketing.cookies", Code::ListsConsentCookie, "an entry matches the consent cookie's name and is ignored", "E29\ncategories.marketing.cookies"),
        (r#"{"texts":{"de":3}}"#.into(), "texts.de", Code::ExpectedTexts, "expected an object of texts", "E30\ntexts.de"),
        (r#"{"blockHosts":{"essential":["a.example"]}}"#.into(), "blockHosts.essential", Code::BlockHostsEssential, "essential is always granted: hosts here would never be held", "E31\nblockHosts.essential"),
        (r#"{"blockHosts":{"stats":["a.example"]}}"#.into(), "blockHosts.stats", Code::ExpectedOptionalCategory, "expected performance, functional or marketing (or an alias)", "E32\nblockHosts.stats"),
        (r#"{"blockHosts":{"marketing":"a.example"}}"#.into(), "blockHosts.marketing", Code::ExpectedHostList, "expected an array of host names", "E33\nblockHosts.marketing"),
        (r#"{"blockHosts":{"marketing":["https://a.example/"]}}"#.into(), "blockHosts.marketing[0]", Code::ExpectedHost, "expected a host name such as ads.example.com (no scheme, port, path or *)", "E34\nblockHosts.marketing[0]"),
        (r#"{"regions":true}"#.into(), "regions", Code::ExpectedRegions, "expected an object such as { \"US-CA\": \"opt-out\" }", "E35\nregions"),
        (r#"{"regions":{"de":"off"}}"#.into(), "regions.de", Code::ExpectedRegion, "expected a region such as \"DE\" or \"US-CA\" (capitals), or EU, EEA, US, *; ignored", "E36\nregions.de"),
        (r#"{"regions":{"DE":"maybe"}}"#.into(), "regions.DE", Code::ExpectedRegionMode, "expected one of opt-in, opt-out, off; opt-in is used", "E37\nregions.DE"),
    ];
    let mut seen = vec![Code::NotAnObject];
    for (config, path, code, message, compact) in &cases {
        let (_, diags) =
            Config::from_value(&json::parse(config).expect("JSON")).expect("an object");
        let d: &Diagnostic = diags
            .iter()
            .find(|d| d.code == *code)
            .unwrap_or_else(|| panic!("{config}: no {code:?} in {diags:?}"));
        assert_eq!(d.path, *path, "{config}");
        assert_eq!(d.compact(), *compact, "{config}");
        assert_eq!(d.message(), *message, "{config}");
        seen.push(*code);
    }
    for code in Code::ALL {
        assert!(seen.contains(&code), "no config above produces {code:?}");
    }
    let Err(d) = Config::from_value(&json::parse("[]").expect("JSON")) else {
        panic!("not an object")
    };
    assert_eq!(
        (d.code, d.message(), d.compact()),
        (
            Code::NotAnObject,
            "the config must be a JSON object".into(),
            "E3\n".into()
        )
    );
}

#[test]
fn the_compact_head_ends_at_the_first_line_feed() {
    let d = Diagnostic::new("a\nb c".into(), Code::UnknownKey);
    assert_eq!(d.compact(), "W1\na\nb c");
}

/// The banner module reports a config that is not an object with this constant
/// (before the diagnostics' own code has arrived): it must be that problem's compact form.
#[test]
fn not_an_object_constant_is_the_compact_form() {
    let d =
        consent_gate::model::config::Config::from_value(&consent_gate::model::value::Value::Null)
            .unwrap_err();
    assert_eq!(d.compact(), consent_gate::model::diagnostic::NOT_AN_OBJECT);
}
