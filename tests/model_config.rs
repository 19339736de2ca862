#![cfg(not(target_arch = "wasm32"))]
//! Config validation: defaults, every key, exact paths, warnings and errors.

use consent_gate::model::category::Category;
use consent_gate::model::config::{
    is_safe_url, Code, Config, ConsentMode, CookieInfo, Diagnostic, Layout, Severity, Theme,
};
use consent_gate::model::i18n::TextKey;
use consent_gate::model::value::Value;

const CONTRACT_SAMPLE: &str = r#"{
  "revision": 1,
  "language": "auto",
  "layout": "bar",
  "theme": "auto",
  "policyUrl": "/privacy#cookies",
  "cookie": { "name": "consent_gate", "domain": ".example.com", "lifetimeDays": 182 },
  "gpc": true,
  "googleConsentMode": false,
  "consentLog": { "url": "/consent-log" },
  "reloadOnWithdraw": true,
  "categories": {
    "performance": {
      "label": "Performance",
      "description": "Measures how the site is used.",
      "cookies": [
        { "name": "_ga", "provider": "Google", "purpose": "Tells visitors apart", "duration": "2 years" },
        { "name": "_ga_*", "provider": "Google", "purpose": "Keeps session state", "duration": "2 years" }
      ],
      "services": {
        "google-analytics": { "label": "Google Analytics", "description": "…", "cookies": [ { "name": "_gid" } ] }
      }
    }
  },
  "texts": {
    "en": {
      "title": "…", "description": "…", "acceptAll": "…", "rejectAll": "…", "preferences": "…",
      "save": "…", "close": "…", "preferencesTitle": "…", "preferencesDescription": "…",
      "policyLink": "…"
    }
  }
}"#;

fn parse(json: &str) -> (Config, Vec<Diagnostic>) {
    let v: Value = serde_json::from_str(json).expect("test JSON");
    Config::from_value(&v).expect("an object")
}

/// The diagnostics as (severity, path, message) for compact assertions.
fn diags(json: &str) -> Vec<(Severity, String, String)> {
    parse(json)
        .1
        .into_iter()
        .map(|d| (d.severity, d.path.clone(), d.message()))
        .collect()
}

fn error_at(json: &str, path: &str) -> Config {
    let (c, d) = parse(json);
    assert_eq!(d.len(), 1, "{json}: {d:?}");
    assert_eq!(
        (d[0].severity, d[0].path.as_str()),
        (Severity::Error, path),
        "{json}"
    );
    c
}

#[test]
fn zero_config_is_the_default() {
    let (c, d) = Config::from_value(&Value::Object(vec![])).unwrap();
    assert!(d.is_empty());
    assert_eq!(c, Config::default());
    assert_eq!(c.revision, 1);
    assert_eq!(c.language, "auto");
    assert_eq!(c.layout, Layout::Bar);
    assert_eq!(c.theme, Theme::Auto);
    assert_eq!(c.policy_url, None);
    assert_eq!(c.cookie.name, "consent_gate");
    assert_eq!(c.cookie.domain, None);
    assert_eq!(c.cookie.lifetime_days, 182);
    assert!(c.gpc);
    assert_eq!(c.google_consent_mode, None);
    assert_eq!(c.consent_log, None);
    assert!(c.reload_on_withdraw);
    assert_eq!(c.services().count(), 0);
    assert!(c.texts.is_empty());
}

#[test]
fn top_level_must_be_an_object() {
    for v in [
        Value::Null,
        Value::Bool(true),
        Value::Number(1.0),
        Value::String("{}".into()),
        Value::Array(vec![]),
    ] {
        let e = Config::from_value(&v).unwrap_err();
        assert_eq!(e.severity, Severity::Error);
    }
}

#[test]
fn contract_sample_parses_cleanly() {
    let (c, d) = parse(CONTRACT_SAMPLE);
    assert!(d.is_empty(), "{d:?}");
    assert_eq!(c.policy_url.as_deref(), Some("/privacy#cookies"));
    assert_eq!(c.cookie.domain.as_deref(), Some(".example.com"));
    assert_eq!(c.consent_log.as_deref(), Some("/consent-log"));
    let perf = c.category(Category::Performance);
    assert_eq!(perf.label.as_deref(), Some("Performance"));
    assert_eq!(perf.cookies.len(), 2);
    assert_eq!(perf.cookies[1].name, "_ga_*");
    assert_eq!(perf.services[0].id, "google-analytics");
    assert_eq!(
        perf.services[0].cookies,
        vec![CookieInfo {
            name: "_gid".into(),
            ..CookieInfo::default()
        }]
    );
    assert_eq!(
        c.service_category("google-analytics"),
        Some(Category::Performance)
    );
    assert_eq!(c.service_category("nope"), None);
    assert_eq!(c.texts.len(), 1);
    assert_eq!(c.texts[0].0, "en");
    assert_eq!(c.texts[0].1.len(), 10);
}

#[test]
fn scalar_keys() {
    let (c, d) = parse(
        r#"{"revision":7,"language":"de_AT","layout":"bar-top","theme":"dark","gpc":false,"reloadOnWithdraw":false,
            "googleConsentMode":{"waitForUpdate":500},"policyUrl":"https://example.com/p"}"#,
    );
    assert!(d.is_empty(), "{d:?}");
    assert_eq!(
        (c.revision, c.language.as_str(), c.layout, c.theme),
        (7, "de-at", Layout::BarTop, Theme::Dark)
    );
    assert!(!c.gpc && !c.reload_on_withdraw);
    assert_eq!(
        c.google_consent_mode,
        Some(ConsentMode {
            wait_for_update: Some(500)
        })
    );
    assert_eq!(parse(r#"{"layout":"box"}"#).0.layout, Layout::Box);
    assert_eq!(parse(r#"{"layout":"modal"}"#).0.layout, Layout::Modal);
    assert_eq!(parse(r#"{"theme":"light"}"#).0.theme, Theme::Light);
    assert_eq!(parse(r#"{"language":"AUTO"}"#).0.language, "auto");
    assert_eq!(
        parse(r#"{"googleConsentMode":true}"#).0.google_consent_mode,
        Some(ConsentMode {
            wait_for_update: None
        })
    );
    assert_eq!(
        parse(r#"{"googleConsentMode":null}"#).0.google_consent_mode,
        None
    );
}

#[test]
fn bad_scalars_fall_back_to_defaults_with_paths() {
    let d = Config::default();
    assert_eq!(error_at(r#"{"revision":0}"#, "revision").revision, 1);
    assert_eq!(error_at(r#"{"revision":1.5}"#, "revision").revision, 1);
    assert_eq!(
        error_at(r#"{"revision":1000000001}"#, "revision").revision,
        1
    );
    assert_eq!(error_at(r#"{"revision":"2"}"#, "revision").revision, 1);
    assert_eq!(
        parse(r#"{"revision":1000000000}"#).0.revision,
        1_000_000_000
    );
    assert_eq!(
        error_at(r#"{"language":"english"}"#, "language").language,
        "auto"
    );
    assert_eq!(error_at(r#"{"language":5}"#, "language").language, "auto");
    assert_eq!(
        error_at(r#"{"layout":"Bar"}"#, "layout").layout,
        Layout::Bar
    );
    assert_eq!(error_at(r#"{"theme":"night"}"#, "theme").theme, Theme::Auto);
    assert!(
        error_at(r#"{"gpc":"no"}"#, "gpc").gpc,
        "a bad gpc keeps the privacy-friendly default"
    );
    assert!(error_at(r#"{"gpc":null}"#, "gpc").gpc);
    assert!(error_at(r#"{"reloadOnWithdraw":1}"#, "reloadOnWithdraw").reload_on_withdraw);
    assert_eq!(
        error_at(r#"{"googleConsentMode":"yes"}"#, "googleConsentMode").google_consent_mode,
        None
    );
    let c = error_at(
        r#"{"googleConsentMode":{"waitForUpdate":60001}}"#,
        "googleConsentMode.waitForUpdate",
    );
    assert_eq!(
        c.google_consent_mode,
        Some(ConsentMode {
            wait_for_update: None
        })
    );
    assert_eq!(
        error_at(r#"{"cookie":{"lifetimeDays":396}}"#, "cookie.lifetimeDays").cookie,
        d.cookie
    );
    assert_eq!(
        error_at(r#"{"cookie":{"lifetimeDays":0}}"#, "cookie.lifetimeDays").cookie,
        d.cookie
    );
    assert_eq!(
        parse(r#"{"cookie":{"lifetimeDays":395}}"#)
            .0
            .cookie
            .lifetime_days,
        395
    );
    assert_eq!(
        error_at(r#"{"cookie":{"name":"a b"}}"#, "cookie.name").cookie,
        d.cookie
    );
    assert_eq!(
        error_at(r#"{"cookie":{"name":""}}"#, "cookie.name").cookie,
        d.cookie
    );
    assert_eq!(
        error_at(
            &format!(r#"{{"cookie":{{"name":"{}"}}}}"#, "a".repeat(65)),
            "cookie.name"
        )
        .cookie,
        d.cookie
    );
    assert_eq!(
        error_at(r#"{"cookie":{"name":"x;y"}}"#, "cookie.name").cookie,
        d.cookie
    );
    assert_eq!(
        parse(r#"{"cookie":{"name":"my-consent.v2"}}"#)
            .0
            .cookie
            .name,
        "my-consent.v2"
    );
    assert_eq!(
        error_at(r#"{"cookie":{"domain":"exa mple.com"}}"#, "cookie.domain")
            .cookie
            .domain,
        None
    );
    assert_eq!(
        error_at(r#"{"cookie":{"domain":"..example.com"}}"#, "cookie.domain")
            .cookie
            .domain,
        None
    );
    assert_eq!(
        parse(r#"{"cookie":{"domain":"Example.COM"}}"#)
            .0
            .cookie
            .domain
            .as_deref(),
        Some("example.com")
    );
    assert_eq!(error_at(r#"{"cookie":true}"#, "cookie").cookie, d.cookie);
    assert_eq!(
        error_at(r#"{"categories":[]}"#, "categories").categories,
        d.categories
    );
    assert!(error_at(r#"{"texts":"de"}"#, "texts").texts.is_empty());
}

#[test]
fn messages_are_plain() {
    assert_eq!(diags(r#"{"gpc":"no"}"#)[0].2, "expected a boolean");
    assert_eq!(
        diags(r#"{"cookie":{"lifetimeDays":999}}"#)[0].2,
        "expected an integer from 1 to 395"
    );
    assert_eq!(
        diags(r#"{"revision":-1}"#)[0].2,
        "expected an integer from 1 to 1000000000"
    );
    assert_eq!(
        diags(r#"{"policyUrl":"javascript:alert(1)"}"#)[0].2,
        "only http, https or relative URLs are allowed"
    );
    assert_eq!(
        diags(r#"{"colour":"red"}"#)[0],
        (Severity::Warning, "colour".into(), "unknown key".into())
    );
}

#[test]
fn urls() {
    for ok in [
        "/privacy",
        "privacy.html",
        "https://example.com/p",
        "HTTP://example.com",
        "//cdn.example.com/p",
        "?a=b:c",
        "#cookies",
        "/a:b",
    ] {
        assert!(is_safe_url(ok), "{ok}");
    }
    for bad in [
        "javascript:alert(1)",
        " JavaScript:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,x",
        "vbscript:x",
        "mailto:a@b",
        "ftp://x",
        "page:1",
        "",
        "  ",
        "https://ex\nample.com",
    ] {
        assert!(!is_safe_url(bad), "{bad:?}");
    }
    assert_eq!(
        error_at(r#"{"policyUrl":"data:text/html,hi"}"#, "policyUrl").policy_url,
        None
    );
    assert_eq!(
        error_at(r#"{"policyUrl":42}"#, "policyUrl").policy_url,
        None
    );
    assert_eq!(parse(r#"{"policyUrl":null}"#).1, vec![]);
    assert_eq!(
        parse(r#"{"policyUrl":"  /p  "}"#).0.policy_url.as_deref(),
        Some("/p")
    );
    assert_eq!(
        error_at(r#"{"consentLog":{"url":"javascript:x"}}"#, "consentLog.url").consent_log,
        None
    );
    assert_eq!(
        error_at(r#"{"consentLog":{}}"#, "consentLog.url").consent_log,
        None
    );
    assert_eq!(
        error_at(r#"{"consentLog":"/log"}"#, "consentLog").consent_log,
        None
    );
    assert_eq!(
        parse(r#"{"consentLog":{"url":"https://log.example.com/c"}}"#)
            .0
            .consent_log
            .as_deref(),
        Some("https://log.example.com/c")
    );
}

#[test]
fn unknown_keys_are_warnings_everywhere() {
    let d = diags(
        r#"{"revison":2,"cookie":{"path":"/"},"googleConsentMode":{"wait":1},"consentLog":{"url":"/l","method":"GET"},
            "categories":{"marketing":{"colour":1,"cookies":[{"name":"x","size":3}],"services":{"pixel":{"x":1}}},"tracking":{}},
            "texts":{"de":{"titel":"x"}}}"#,
    );
    let paths: Vec<(Severity, &str, &str)> = d
        .iter()
        .map(|(s, p, m)| (*s, p.as_str(), m.as_str()))
        .collect();
    assert_eq!(
        paths,
        vec![
            (Severity::Warning, "revison", "unknown key"),
            (Severity::Warning, "cookie.path", "unknown key"),
            (Severity::Warning, "googleConsentMode.wait", "unknown key"),
            (Severity::Warning, "consentLog.method", "unknown key"),
            (
                Severity::Warning,
                "categories.marketing.colour",
                "unknown key"
            ),
            (
                Severity::Warning,
                "categories.marketing.cookies[0].size",
                "unknown key"
            ),
            (
                Severity::Warning,
                "categories.marketing.services.pixel.x",
                "unknown key"
            ),
            (Severity::Warning, "categories.tracking", "unknown category"),
            (Severity::Warning, "texts.de.titel", "unknown key"),
        ]
    );
}

#[test]
fn categories_by_alias_and_duplicates() {
    let (c, d) = parse(
        r#"{"categories":{"analytics":{"label":"Stats"},"ads":{"label":"Ads"},"statistics":{"label":"Again"}}}"#,
    );
    assert_eq!(
        c.category(Category::Performance).label.as_deref(),
        Some("Stats")
    );
    assert_eq!(
        c.category(Category::Marketing).label.as_deref(),
        Some("Ads")
    );
    assert_eq!(
        d,
        vec![Diagnostic::new(
            "categories.statistics".into(),
            Code::DuplicateCategory
        )]
    );
    error_at(
        r#"{"categories":{"performance":3}}"#,
        "categories.performance",
    );
    error_at(
        r#"{"categories":{"performance":{"label":3}}}"#,
        "categories.performance.label",
    );
    let c = parse(r#"{"categories":{"performance":{"label":null}}}"#);
    assert!(c.1.is_empty());
}

#[test]
fn cookie_lists() {
    let json = r#"{"categories":{"marketing":{"cookies":[
        {"name":"_fbp","provider":"Meta","purpose":"Ads","duration":"3 months","domain":".example.com","path":"/shop"},
        {"provider":"no name"},
        {"name":"a*b"},
        {"name":"*"},
        {"name":"ok","path":"shop"},
        "_gcl",
        {"name":"x","domain":"bad domain"}
    ]}}}"#;
    let (c, d) = parse(json);
    let paths: Vec<&str> = d.iter().map(|d| d.path.as_str()).collect();
    assert_eq!(
        paths,
        vec![
            "categories.marketing.cookies[1].name",
            "categories.marketing.cookies[2].name",
            "categories.marketing.cookies[3].name",
            "categories.marketing.cookies[4].path",
            "categories.marketing.cookies[5]",
            "categories.marketing.cookies[6].domain",
        ]
    );
    assert!(d.iter().all(|d| d.severity == Severity::Error));
    let names: Vec<&str> = c
        .category(Category::Marketing)
        .cookies
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(
        names,
        vec!["_fbp", "ok", "x"],
        "bad names drop the entry; other bad fields only the field"
    );
    let fbp = &c.category(Category::Marketing).cookies[0];
    assert_eq!(
        (fbp.domain.as_deref(), fbp.path.as_deref()),
        (Some(".example.com"), Some("/shop"))
    );
    error_at(
        r#"{"categories":{"marketing":{"cookies":{"name":"x"}}}}"#,
        "categories.marketing.cookies",
    );
}

#[test]
fn list_caps() {
    let many: Vec<String> = (0..201).map(|i| format!(r#"{{"name":"c{i}"}}"#)).collect();
    let json = format!(
        r#"{{"categories":{{"functional":{{"cookies":[{}]}}}}}}"#,
        many.join(",")
    );
    let c = error_at(&json, "categories.functional.cookies");
    assert_eq!(c.category(Category::Functional).cookies.len(), 200);

    let services: Vec<String> = (0..65).map(|i| format!(r#""s{i}":{{}}"#)).collect();
    let json = format!(
        r#"{{"categories":{{"performance":{{"services":{{{}}}}}}}}}"#,
        services.join(",")
    );
    let c = error_at(&json, "categories.performance.services.s64");
    assert_eq!(c.services().count(), 64);
}

#[test]
fn services() {
    let json = r#"{"categories":{
        "performance":{"services":{"google-analytics":{"label":"GA","localStorage":["_ga_*","plain"]},"Bad":{},"ads":{},"x y":{}}},
        "marketing":{"services":{"pixel":{"cookies":[{"name":"_px"}]},"google-analytics":{"label":"again"}}}
    }}"#;
    let (c, d) = parse(json);
    let messages: Vec<String> = d.iter().map(|d| d.message()).collect();
    let got: Vec<(&str, &str)> = d
        .iter()
        .zip(&messages)
        .map(|(d, m)| (d.path.as_str(), m.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "categories.performance.services.Bad",
                "expected a service id of 1 to 64 lowercase letters, digits, - or _"
            ),
            (
                "categories.performance.services.ads",
                "a service id must not be a category name"
            ),
            (
                "categories.performance.services.x y",
                "expected a service id of 1 to 64 lowercase letters, digits, - or _"
            ),
            (
                "categories.marketing.services.google-analytics",
                "duplicate service id"
            ),
        ]
    );
    let all: Vec<(Category, &str)> = c.services().map(|(cat, s)| (cat, s.id.as_str())).collect();
    assert_eq!(
        all,
        vec![
            (Category::Performance, "google-analytics"),
            (Category::Marketing, "pixel")
        ]
    );
    assert_eq!(
        c.category(Category::Performance).services[0]
            .label
            .as_deref(),
        Some("GA")
    );
    assert_eq!(
        c.category(Category::Performance).services[0].local_storage,
        vec!["_ga_*", "plain"]
    );
    error_at(
        r#"{"categories":{"marketing":{"services":[]}}}"#,
        "categories.marketing.services",
    );
    error_at(
        r#"{"categories":{"marketing":{"services":{"pixel":[]}}}}"#,
        "categories.marketing.services.pixel",
    );
    error_at(
        r#"{"categories":{"marketing":{"localStorage":["ok","*"]}}}"#,
        "categories.marketing.localStorage[1]",
    );
    error_at(
        r#"{"categories":{"marketing":{"localStorage":[3]}}}"#,
        "categories.marketing.localStorage[0]",
    );
    error_at(
        r#"{"categories":{"marketing":{"services":{"p":{"description":false}}}}}"#,
        "categories.marketing.services.p.description",
    );
}

#[test]
fn listed_cookies_never_match_the_consent_cookie() {
    let (c, d) = parse(
        r#"{"categories":{"marketing":{"cookies":[{"name":"consent*"},{"name":"_fbp"}],"localStorage":["consent_gate"]}}}"#,
    );
    assert_eq!(c.category(Category::Marketing).cookies.len(), 1);
    assert!(c.category(Category::Marketing).local_storage.is_empty());
    let paths: Vec<&str> = d.iter().map(|d| d.path.as_str()).collect();
    assert_eq!(
        paths,
        vec![
            "categories.marketing.cookies",
            "categories.marketing.localStorage"
        ]
    );
    // Essential may list the consent cookie: it is never withdrawn, and its table should show it.
    let (c, d) = parse(
        r#"{"categories":{"essential":{"cookies":[{"name":"consent_gate","purpose":"Remembers your choice"}]}}}"#,
    );
    assert!(d.is_empty(), "{d:?}");
    assert_eq!(c.category(Category::Essential).cookies.len(), 1);
    // With another consent cookie name the same pattern is fine.
    let (_, d) = parse(
        r#"{"cookie":{"name":"cg"},"categories":{"marketing":{"cookies":[{"name":"consent*"}]}}}"#,
    );
    assert!(d.is_empty());
}

#[test]
fn texts() {
    let (c, d) = parse(
        r#"{"texts":{"DE":{"title":"Cookies?","acceptAll":"Alle akzeptieren"},"pt_BR":{"title":"Olá"},"de":{"title":"Kekse"},"xx-!":{},"fr":{"title":1,"nope":"x"},"it":[]}}"#,
    );
    let got: Vec<(Severity, &str)> = d.iter().map(|d| (d.severity, d.path.as_str())).collect();
    assert_eq!(
        got,
        vec![
            (Severity::Error, "texts.xx-!"),
            (Severity::Error, "texts.fr.title"),
            (Severity::Warning, "texts.fr.nope"),
            (Severity::Error, "texts.it"),
        ]
    );
    let langs: Vec<&str> = c.texts.iter().map(|(l, _)| l.as_str()).collect();
    assert_eq!(langs, vec!["de", "pt-br", "fr", "it"]);
    assert_eq!(
        c.texts[0].1,
        vec![
            (TextKey::AcceptAll, "Alle akzeptieren".into()),
            (TextKey::Title, "Kekse".into())
        ]
    );
}

#[test]
fn null_and_wrong_types_never_grant() {
    // A config full of wrong types yields the defaults, never a grant-like setting.
    let (c, d) = parse(
        r#"{"revision":null,"gpc":0,"reloadOnWithdraw":"false","cookie":{"lifetimeDays":"9999"},"categories":null}"#,
    );
    assert_eq!(d.len(), 5);
    assert!(d.iter().all(|d| d.severity == Severity::Error));
    assert_eq!(c, Config::default());
}
