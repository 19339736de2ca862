//! `pkg-template/consent-gate.schema.json` against the repo's example
//! configs and against the checker (`Config::from_value`), so the two cannot
//! drift: on every case below they must agree, and the few rules a JSON
//! Schema cannot express are listed as such.
#![cfg(not(target_arch = "wasm32"))]

use consent_gate::model::category::Category;
use consent_gate::model::config::{Config, Severity};
use consent_gate::model::i18n::TextKey;
use consent_gate::model::json;
use consent_gate::native::check::{check_text, Outcome, SCHEMA};
use serde_json::Value;

fn schema() -> Value {
    serde_json::from_str(SCHEMA).expect("the schema is JSON")
}

fn validator() -> jsonschema::Validator {
    jsonschema::draft202012::new(&schema()).expect("the schema compiles")
}

/// What the checker (the module's own validation) says: (any error, any warning).
fn checker(text: &str) -> (bool, bool) {
    let v = json::parse(text).unwrap_or_else(|| panic!("not JSON: {text}"));
    match Config::from_value(&v) {
        Err(_) => (true, false),
        Ok((_, diags)) => (
            diags.iter().any(|d| d.severity == Severity::Error),
            diags.iter().any(|d| d.severity == Severity::Warning),
        ),
    }
}

fn schema_accepts(v: &jsonschema::Validator, text: &str) -> bool {
    let instance: Value = serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"));
    v.is_valid(&instance)
}

#[test]
fn the_schema_is_a_valid_2020_12_schema() {
    let s = schema();
    assert_eq!(s["$schema"], "https://json-schema.org/draft/2020-12/schema");
    assert!(jsonschema::draft202012::meta::is_valid(&s));
}

/// Every inline `consent-gate-config` block of an HTML file.
fn inline_configs(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find("id=\"consent-gate-config\"") {
        let after = &rest[i..];
        let start = after.find('>').unwrap() + 1;
        let end = after.find("</script>").unwrap();
        out.push(after[start..end].to_string());
        rest = &after[end..];
    }
    out
}

/// Every ```json block of a Markdown text.
fn json_blocks(md: &str) -> Vec<String> {
    md.split("```json\n")
        .skip(1)
        .map(|b| b.split("\n```").next().unwrap().to_string())
        .collect()
}

fn files(dir: &str, ext: &str) -> Vec<std::path::PathBuf> {
    let mut out: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    out.sort();
    out
}

/// The example configs of the repo: (where, text).
fn examples() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for dir in ["www", "tests/e2e/fixtures", "tests/e2e/fixtures/recipes"] {
        for path in files(dir, "html") {
            // This fixture's config is broken on purpose (not JSON).
            if path.ends_with("config-broken.html") {
                continue;
            }
            let html = std::fs::read_to_string(&path).unwrap();
            for c in inline_configs(&html) {
                out.push((path.display().to_string(), c));
            }
        }
    }
    for dir in ["www/config", "tests/e2e/fixtures"] {
        for path in files(dir, "json") {
            out.push((
                path.display().to_string(),
                std::fs::read_to_string(&path).unwrap(),
            ));
        }
    }
    let readme = std::fs::read_to_string("README.md").unwrap();
    for block in json_blocks(&readme) {
        let v: Value = serde_json::from_str(&block).expect("README json blocks are JSON");
        // Not configs: the consent-log body the banner posts, and a consent record
        // (the cookie section shows what a reader returns).
        if v.get("record").is_some() || v.get("decidedAt").is_some() {
            continue;
        }
        out.push(("README.md".into(), block));
    }
    out
}

#[test]
fn every_example_config_is_valid_for_both() {
    let v = validator();
    let examples = examples();
    assert!(
        examples.len() >= 10,
        "found only {} examples",
        examples.len()
    );
    assert!(examples.iter().filter(|(w, _)| w == "README.md").count() >= 2);
    for (place, text) in &examples {
        let instance: Value = serde_json::from_str(text).unwrap();
        let errors: Vec<String> = v
            .iter_errors(&instance)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(
            errors.is_empty(),
            "{place}: the schema rejects it: {errors:#?}"
        );
        let Outcome::Checked(problems) = check_text(text) else {
            panic!("{place}: not JSON")
        };
        assert!(problems.is_empty(), "{place}: {problems:#?}");
    }
}

/// Configs with a bad value: the checker reports an error and the schema rejects them.
const BAD: &[&str] = &[
    r#"{ "autoBlock": 1 }"#,
    r#"{ "blockHosts": { "essential": ["a.example"] } }"#,
    r#"{ "blockHosts": { "marketing": "ads.example.com" } }"#,
    r#"{ "blockHosts": { "marketing": ["https://ads.example.com/"] } }"#,
    r#"{ "blockHosts": { "marketing": ["localhost"] } }"#,
    r#"{ "blockHosts": { "marketing": ["-ads.example.com"] } }"#,
    r#"{ "blockHosts": { "marketing": ["*.example.com"] } }"#,
    r#"{ "blockHosts": ["ads.example.com"] }"#,
    r#"{ "blockHosts": { "nope": ["ads.example.com"] } }"#,
    r#"[]"#,
    r#""config""#,
    r#"{ "revision": 0 }"#,
    r#"{ "revision": 1000000001 }"#,
    r#"{ "revision": 1.5 }"#,
    r#"{ "revision": "2" }"#,
    r#"{ "revision": null }"#,
    r#"{ "language": "english language" }"#,
    r#"{ "language": "d" }"#,
    r#"{ "language": "de-" }"#,
    r#"{ "language": "de-abcdefghi" }"#,
    r#"{ "language": 7 }"#,
    r#"{ "layout": "sidebar" }"#,
    r#"{ "layout": "Bar" }"#,
    r#"{ "theme": "blue" }"#,
    r#"{ "theme": null }"#,
    r#"{ "policyUrl": "javascript:alert(1)" }"#,
    r#"{ "policyUrl": " JavaScript:alert(1)" }"#,
    r#"{ "policyUrl": "data:text/html,x" }"#,
    r#"{ "policyUrl": "java\tscript:alert(1)" }"#,
    r#"{ "policyUrl": "/a\nb" }"#,
    r#"{ "policyUrl": "/a\u0085b" }"#,
    r#"{ "policyUrl": "" }"#,
    r#"{ "policyUrl": "   " }"#,
    r#"{ "policyUrl": 5 }"#,
    r#"{ "cookie": null }"#,
    r#"{ "cookie": [] }"#,
    r#"{ "cookie": { "name": "" } }"#,
    r#"{ "cookie": { "name": "a b" } }"#,
    r#"{ "cookie": { "name": "cg*" } }"#,
    r#"{ "cookie": { "name": "x;y" } }"#,
    r#"{ "cookie": { "name": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" } }"#,
    r#"{ "cookie": { "name": null } }"#,
    r#"{ "cookie": { "domain": "exa mple.com" } }"#,
    r#"{ "cookie": { "domain": "example..com" } }"#,
    r#"{ "cookie": { "domain": "." } }"#,
    r#"{ "cookie": { "domain": "example.com." } }"#,
    r#"{ "cookie": { "domain": 1 } }"#,
    r#"{ "cookie": { "lifetimeDays": 0 } }"#,
    r#"{ "cookie": { "lifetimeDays": 396 } }"#,
    r#"{ "cookie": { "lifetimeDays": 30.5 } }"#,
    r#"{ "cookie": { "lifetimeDays": -1 } }"#,
    r#"{ "gpc": "true" }"#,
    r#"{ "gpc": null }"#,
    r#"{ "reloadOnWithdraw": 1 }"#,
    r#"{ "blockPage": "no" }"#,
    r#"{ "hideFromBots": "yes" }"#,
    r#"{ "hideFromBots": null }"#,
    r#"{ "regions": { "de": "opt-in" } }"#,
    r#"{ "regions": { "DE": "optin" } }"#,
    r#"{ "regions": { "Germany": "off" } }"#,
    r#"{ "regions": { "US-": "off" } }"#,
    r#"{ "regions": { "USA": "off" } }"#,
    r#"{ "regions": { "EU": true } }"#,
    r#"{ "regions": [] }"#,
    r#"{ "regions": "EU" }"#,
    r#"{ "googleConsentMode": "yes" }"#,
    r#"{ "googleConsentMode": 1 }"#,
    r#"{ "googleConsentMode": [] }"#,
    r#"{ "googleConsentMode": { "waitForUpdate": -1 } }"#,
    r#"{ "googleConsentMode": { "waitForUpdate": 60001 } }"#,
    r#"{ "googleConsentMode": { "waitForUpdate": null } }"#,
    r#"{ "consentLog": "/consent-log" }"#,
    r#"{ "consentLog": true }"#,
    r#"{ "consentLog": {} }"#,
    r#"{ "consentLog": { "url": "ftp://example.com/log" } }"#,
    r#"{ "consentLog": { "url": 5 } }"#,
    r#"{ "categories": [] }"#,
    r#"{ "categories": { "marketing": null } }"#,
    r#"{ "categories": { "marketing": [] } }"#,
    r#"{ "categories": { "performance": {}, "analytics": {} } }"#,
    r#"{ "categories": { "ads": {}, "advertising": {} } }"#,
    r#"{ "categories": { "essential": {}, "necessary": {} } }"#,
    r#"{ "categories": { "marketing": { "label": 5 } } }"#,
    r#"{ "categories": { "marketing": { "description": false } } }"#,
    r#"{ "categories": { "marketing": { "cookies": {} } } }"#,
    r#"{ "categories": { "marketing": { "cookies": [ "_ga" ] } } }"#,
    r#"{ "categories": { "marketing": { "cookies": [ {} ] } } }"#,
    r#"{ "categories": { "marketing": { "cookies": [ { "name": "*" } ] } } }"#,
    r#"{ "categories": { "marketing": { "cookies": [ { "name": "a*b" } ] } } }"#,
    r#"{ "categories": { "marketing": { "cookies": [ { "name": "a**" } ] } } }"#,
    r#"{ "categories": { "marketing": { "cookies": [ { "name": "a b" } ] } } }"#,
    r#"{ "categories": { "marketing": { "cookies": [ { "name": null } ] } } }"#,
    r#"{ "categories": { "marketing": { "cookies": [ { "name": "_x", "provider": 1 } ] } } }"#,
    r#"{ "categories": { "marketing": { "cookies": [ { "name": "_x", "domain": "a b" } ] } } }"#,
    r#"{ "categories": { "marketing": { "cookies": [ { "name": "_x", "path": "app" } ] } } }"#,
    r#"{ "categories": { "marketing": { "cookies": [ { "name": "_x", "path": "/a;b" } ] } } }"#,
    r#"{ "categories": { "marketing": { "cookies": [ { "name": "_x", "path": 3 } ] } } }"#,
    r#"{ "categories": { "marketing": { "localStorage": "key" } } }"#,
    r#"{ "categories": { "marketing": { "localStorage": [ "" ] } } }"#,
    r#"{ "categories": { "marketing": { "localStorage": [ "*" ] } } }"#,
    r#"{ "categories": { "marketing": { "localStorage": [ "a*b" ] } } }"#,
    r#"{ "categories": { "marketing": { "localStorage": [ "a\u0001" ] } } }"#,
    r#"{ "categories": { "marketing": { "localStorage": [ 5 ] } } }"#,
    r#"{ "categories": { "marketing": { "services": [] } } }"#,
    r#"{ "categories": { "marketing": { "services": { "Pixel": {} } } } }"#,
    r#"{ "categories": { "marketing": { "services": { "-pixel": {} } } } }"#,
    r#"{ "categories": { "marketing": { "services": { "pixel.js": {} } } } }"#,
    r#"{ "categories": { "marketing": { "services": { "ads": {} } } } }"#,
    r#"{ "categories": { "marketing": { "services": { "analytics": {} } } } }"#,
    r#"{ "categories": { "marketing": { "services": { "pixel": null } } } }"#,
    r#"{ "categories": { "marketing": { "services": { "pixel": { "label": [] } } } } }"#,
    r#"{ "categories": { "marketing": { "services": { "pixel": { "cookies": [ { "name": "" } ] } } } } }"#,
    r#"{ "texts": [] }"#,
    r#"{ "texts": { "english": { "title": "Hi" } } }"#,
    r#"{ "texts": { "de": "Hallo" } }"#,
    r#"{ "texts": { "de": { "title": 5 } } }"#,
    r#"{ "texts": { "de": { "acceptAll": null } } }"#,
];

/// Configs both accept, some at the edges of a rule.
const GOOD: &[&str] = &[
    r#"{ "autoBlock": true }"#,
    r#"{ "autoBlock": false, "blockHosts": { "marketing": ["ads.example.com"], "analytics": ["stats.example.org", "X-1.Example.COM"] } }"#,
    r#"{}"#,
    r#"{ "revision": 1, "cookie": { "lifetimeDays": 395 } }"#,
    r#"{ "revision": 1000000000, "cookie": { "lifetimeDays": 1 } }"#,
    r#"{ "revision": 2.0 }"#,
    r#"{ "revision": 1e2 }"#,
    r#"{ "language": "AUTO" }"#,
    r#"{ "language": " de " }"#,
    r#"{ "language": "pt_BR" }"#,
    r#"{ "language": "zh-Hant-TW" }"#,
    r#"{ "layout": "bar-top", "theme": "dark", "blockPage": true }"#,
    r#"{ "policyUrl": null }"#,
    r#"{ "policyUrl": "https://example.com/privacy" }"#,
    r#"{ "policyUrl": "HTTP://example.com" }"#,
    r#"{ "policyUrl": "http:" }"#,
    r#"{ "policyUrl": "//cdn.example.com/p" }"#,
    r#"{ "policyUrl": "  /privacy#cookies  " }"#,
    r#"{ "policyUrl": "privacy.html?x=a:b" }"#,
    r#"{ "policyUrl": "/a:b" }"#,
    r#"{ "policyUrl": "1abc:def" }"#,
    r#"{ "policyUrl": "a b" }"#,
    r#"{ "cookie": { "name": "cg!#$%&'+-.^_`|~", "domain": ".Example.COM" } }"#,
    r#"{ "cookie": { "domain": "localhost" } }"#,
    r#"{ "cookie": { "domain": null } }"#,
    r#"{ "hideFromBots": false }"#,
    r#"{ "hideFromBots": true }"#,
    r#"{ "regions": {} }"#,
    r#"{ "regions": { "DE": "opt-in", "US-CA": "opt-out", "EU": "opt-in", "EEA": "opt-in", "US": "off", "*": "opt-out" } }"#,
    r#"{ "regions": { "GB-ENG": "off", "FR-75C": "opt-in", "XK": "opt-out" } }"#,
    r#"{ "googleConsentMode": true }"#,
    r#"{ "googleConsentMode": null }"#,
    r#"{ "googleConsentMode": {} }"#,
    r#"{ "googleConsentMode": { "waitForUpdate": 0 } }"#,
    r#"{ "googleConsentMode": { "waitForUpdate": 60000 } }"#,
    r#"{ "consentLog": null }"#,
    r#"{ "consentLog": { "url": null } }"#,
    r#"{ "consentLog": { "url": "https://log.example.com/c" } }"#,
    r#"{ "categories": {} }"#,
    r#"{ "categories": { "Analytics": {}, " ADS ": {} } }"#,
    r#"{ "categories": { "necessary": { "cookies": [ { "name": "consent_gate" } ] } } }"#,
    r#"{ "categories": { "marketing": { "label": null, "description": null, "cookies": [], "localStorage": [] } } }"#,
    r#"{ "categories": { "marketing": { "cookies": [ { "name": "_ga_*", "provider": null, "purpose": "x", "duration": "1 day", "domain": ".example.com", "path": "/app/" } ] } } }"#,
    r#"{ "categories": { "marketing": { "localStorage": [ "ga:*", "clé", "a b" ] } } }"#,
    r#"{ "categories": { "marketing": { "services": { "0pixel_x-1": { "label": "P", "cookies": [ { "name": "_p" } ], "localStorage": [ "p*" ] } } } } }"#,
    r#"{ "texts": { "de": { "title": "Hallo", "_note": 5 } } }"#,
    r#"{ "texts": { "pt_BR": { "acceptAll": "Aceitar" }, "ar": {} } }"#,
];

/// Unknown keys: warnings for the checker (exit 0); the schema rejects them,
/// so an editor underlines the typo.
const UNKNOWN: &[&str] = &[
    r#"{ "revison": 2 }"#,
    r#"{ "$schema": "./consent-gate.schema.json" }"#,
    r#"{ "cookie": { "lifetime": 10 } }"#,
    r#"{ "googleConsentMode": { "wait": 10 } }"#,
    r#"{ "consentLog": { "url": "/log", "method": "POST" } }"#,
    r#"{ "categories": { "tracking": {} } }"#,
    r#"{ "categories": { "marketing": { "cookie": [] } } }"#,
    r#"{ "categories": { "marketing": { "cookies": [ { "name": "_x", "expires": "1y" } ] } } }"#,
    r#"{ "categories": { "marketing": { "services": { "pixel": { "url": "/" } } } } }"#,
    r#"{ "texts": { "de": { "titel": "Hallo" } } }"#,
];

/// Rules only the checker can apply (they relate values across the config):
/// the checker reports an error, the schema cannot see it. If the schema
/// learns one of these, move the case to `BAD`.
const CHECKER_ONLY: &[&str] = &[
    // A service id used twice across categories.
    r#"{ "categories": { "marketing": { "services": { "x": {} } }, "performance": { "services": { "x": {} } } } }"#,
    // The consent cookie (or its mirror) listed in an optional category.
    r#"{ "categories": { "marketing": { "cookies": [ { "name": "consent_*" } ] } } }"#,
    r#"{ "cookie": { "name": "cg" }, "categories": { "functional": { "localStorage": [ "cg" ] } } }"#,
    // The same category twice in different ASCII case.
    r#"{ "categories": { "marketing": {}, "Marketing": {} } }"#,
];

#[test]
fn checker_and_schema_agree_on_bad_values() {
    let v = validator();
    let mut disagreements = Vec::new();
    for text in BAD {
        let (error, _) = checker(text);
        let accepted = schema_accepts(&v, text);
        if !error || accepted {
            disagreements.push(format!(
                "BAD {text}: checker error {error}, schema accepts {accepted}"
            ));
        }
    }
    for text in GOOD {
        let (error, warning) = checker(text);
        let accepted = schema_accepts(&v, text);
        if error || warning || !accepted {
            disagreements.push(format!(
                "GOOD {text}: checker error {error} warning {warning}, schema accepts {accepted}"
            ));
        }
    }
    assert!(disagreements.is_empty(), "{disagreements:#?}");
}

#[test]
fn unknown_keys_are_warnings_and_schema_errors() {
    let v = validator();
    for text in UNKNOWN {
        assert_eq!(checker(text), (false, true), "{text}");
        assert!(!schema_accepts(&v, text), "{text}");
    }
}

#[test]
fn checker_only_rules_are_known() {
    let v = validator();
    for text in CHECKER_ONLY {
        assert!(checker(text).0, "{text}");
        assert!(
            schema_accepts(&v, text),
            "the schema now covers {text}: move it to BAD"
        );
    }
    // More than 64 services in all (at most 64 per category is in the schema).
    let services = |from: usize| {
        (from..from + 33)
            .map(|i| format!("\"s{i}\": {{}}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let text = format!(
        r#"{{ "categories": {{ "marketing": {{ "services": {{ {} }} }}, "performance": {{ "services": {{ {} }} }} }} }}"#,
        services(0),
        services(33)
    );
    assert!(checker(&text).0);
    assert!(schema_accepts(&v, &text));
}

#[test]
fn the_schema_lists_the_modules_keys() {
    let s = schema();
    let keys = |v: &Value| -> Vec<String> {
        let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        k.sort();
        k
    };
    let mut texts: Vec<String> = TextKey::ALL
        .iter()
        .map(|k| k.as_str().to_string())
        .collect();
    texts.sort();
    assert_eq!(keys(&s["$defs"]["texts"]["properties"]), texts);

    let mut categories: Vec<String> = Category::ALL
        .iter()
        .flat_map(|c| std::iter::once(c.as_str()).chain(c.aliases().iter().copied()))
        .map(String::from)
        .collect();
    categories.sort();
    assert_eq!(
        keys(&s["properties"]["categories"]["properties"]),
        categories
    );
    let mut optional: Vec<String> = Category::OPTIONAL
        .iter()
        .flat_map(|c| std::iter::once(c.as_str()).chain(c.aliases().iter().copied()))
        .map(String::from)
        .collect();
    optional.sort();
    assert_eq!(keys(&s["properties"]["blockHosts"]["properties"]), optional);

    // Every top-level key the module reads is in the schema: a config made of
    // all of them draws no "unknown key" warning.
    let top = keys(&s["properties"]);
    let known_to_module: Vec<&String> = top
        .iter()
        .filter(|k| {
            let text = format!("{{ \"{k}\": null }}");
            let (_, diags) = Config::from_value(&json::parse(&text).unwrap()).unwrap();
            diags.iter().all(|d| d.message() != "unknown key")
        })
        .collect();
    assert_eq!(
        known_to_module.len(),
        top.len(),
        "every key the schema lists: {known_to_module:?}"
    );
}

/// Every property name anywhere in the schema.
fn property_names(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            if let Some(Value::Object(props)) = m.get("properties") {
                out.extend(props.keys().cloned());
            }
            m.values().for_each(|c| property_names(c, out));
        }
        Value::Array(items) => items.iter().for_each(|c| property_names(c, out)),
        _ => {}
    }
}

#[test]
fn every_key_the_config_reader_reads_is_in_the_schema() {
    // The match arms of the config reader (every file of src/model/config/):
    // `"lifetimeDays" => …`.
    let mut source = String::new();
    for entry in std::fs::read_dir("src/model/config").unwrap() {
        source.push_str(&std::fs::read_to_string(entry.unwrap().path()).unwrap());
    }
    let mut keys: Vec<&str> = source
        .lines()
        .filter_map(|l| {
            l.trim()
                .strip_prefix('"')?
                .split_once("\" =>")
                .map(|(k, _)| k)
        })
        .filter(|k| k.bytes().all(|b| b.is_ascii_alphabetic()))
        .collect();
    keys.sort();
    keys.dedup();
    // Values matched the same way (layout and theme names) are not keys.
    keys.retain(|k| !["bar", "box", "modal", "auto", "light", "dark"].contains(k));
    assert!(keys.len() >= 25, "{keys:?}");
    let mut names = Vec::new();
    property_names(&schema(), &mut names);
    let missing: Vec<&&str> = keys
        .iter()
        .filter(|k| !names.iter().any(|n| n == **k))
        .collect();
    assert!(
        missing.is_empty(),
        "keys src/model/config/ reads that the schema lacks: {missing:?}"
    );
}
