#![cfg(not(target_arch = "wasm32"))]
//! Property tests of the config reader over generated [`Value`]s: every key
//! with right and wrong types, huge strings, deep nesting, `__proto__` and
//! `constructor` keys, duplicate keys, numbers at the edges (and NaN and the
//! infinities a JavaScript value may carry).
//!
//! For every input: no panic; every diagnostic names a path that exists in
//! the input (a "required" one names a missing key of an object that exists);
//! the resulting config grants nothing by itself; and the decision any config
//! leads to fits in the consent cookie.

use consent_gate::model::category::Category;
use consent_gate::model::codec::{decode, encode};
use consent_gate::model::config::{
    is_cookie_pattern, is_safe_url, is_service_id, is_storage_pattern, pattern_matches, Config,
    Diagnostic, Severity, MAX_LIST, MAX_SERVICES,
};
use consent_gate::model::decision::{decide, Action, Context};
use consent_gate::model::i18n::{TextKey, Texts};
use consent_gate::model::value::Value;
use consent_gate::model::view::dialog;
use proptest::prelude::*;

// ---- where a path leads ------------------------------------------------------

/// Whether `path` (`a.b[2].c`, keys joined by `.`, indexes in brackets) names
/// a value inside `root`. Keys may themselves contain `.` or `[`, so every way
/// of reading the path is tried.
fn path_exists(root: &Value, path: &str) -> bool {
    at_key(root, path)
}

/// `rest` starts with a key of object `v`.
fn at_key(v: &Value, rest: &str) -> bool {
    match v {
        Value::Object(members) => members.iter().any(|(k, child)| {
            rest.strip_prefix(k.as_str())
                .is_some_and(|after| after_value(child, after))
        }),
        _ => false,
    }
}

/// `rest` is what follows the path to `v`: nothing, `.key…` or `[i]…`.
fn after_value(v: &Value, rest: &str) -> bool {
    if rest.is_empty() {
        return true;
    }
    if let Some(r) = rest.strip_prefix('.') {
        return at_key(v, r);
    }
    let Some(r) = rest.strip_prefix('[') else {
        return false;
    };
    let Some((digits, r)) = r.split_once(']') else {
        return false;
    };
    let (Value::Array(items), Ok(i)) = (v, digits.parse::<usize>()) else {
        return false;
    };
    items.get(i).is_some_and(|item| after_value(item, r))
}

/// A diagnostic is about the input: its path exists, or it reports a required
/// key missing from an object that exists.
fn names_the_input(root: &Value, d: &Diagnostic) -> bool {
    if d.message() == "required" {
        return ["name", "url"].iter().any(|key| {
            d.path
                .strip_suffix(key)
                .and_then(|p| p.strip_suffix('.'))
                .is_some_and(|parent| path_exists(root, parent))
        });
    }
    path_exists(root, &d.path)
}

// ---- generators ----------------------------------------------------------------

fn s(text: &str) -> Value {
    Value::String(text.into())
}

fn obj(members: Vec<(String, Value)>) -> Value {
    Value::Object(members)
}

/// Numbers at the edges of every range the config reads.
fn edge_number() -> impl Strategy<Value = Value> {
    prop::sample::select(vec![
        0.0,
        -0.0,
        1.0,
        -1.0,
        0.5,
        182.0,
        395.0,
        396.0,
        60_000.0,
        60_001.0,
        999_999_999.0,
        1e9,
        1e9 + 1.0,
        4_294_967_295.0,
        4_294_967_296.0,
        9_007_199_254_740_993.0,
        1e300,
        f64::MAX,
        f64::MIN_POSITIVE,
        f64::EPSILON,
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
    ])
    .prop_map(Value::Number)
}

/// Keys an attacker or a typo might use.
fn odd_key() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "__proto__",
            "constructor",
            "prototype",
            "toString",
            "hasOwnProperty",
            "",
            " ",
            "a.b",
            "x[0]",
            "[0]",
            ".",
        ])
        .prop_map(String::from),
        "[a-zA-Z_.\\[\\]0-9]{1,12}",
    ]
}

/// Strings: short, odd, or huge.
fn any_string() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => "\\PC{0,12}",
        1 => (0usize..3).prop_map(|i| ["x", "é", "\u{0}"][i].repeat(70_000)),
        1 => Just(String::new()),
    ]
}

/// Any value at all, nested up to past the reader's depth limit.
fn any_value() -> BoxedStrategy<Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        edge_number(),
        any_string().prop_map(Value::String),
    ];
    let shallow = leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((odd_key(), inner), 0..4).prop_map(Value::Object),
        ]
    });
    prop_oneof![
        9 => shallow,
        1 => (1usize..40).prop_map(|depth| {
            let mut v = Value::Null;
            for i in 0..depth {
                v = if i % 2 == 0 { Value::Array(vec![v]) } else { obj(vec![("a".into(), v)]) };
            }
            v
        }),
    ]
    .boxed()
}

/// A plausible value for a key, or (one time in three) any value at all.
fn or_wrong(plausible: impl Strategy<Value = Value> + 'static) -> BoxedStrategy<Value> {
    prop_oneof![2 => plausible, 1 => any_value()].boxed()
}

/// Members from `known` (with values from their strategies) and odd keys,
/// duplicates allowed.
fn members(known: Vec<(&'static str, BoxedStrategy<Value>)>, max: usize) -> BoxedStrategy<Value> {
    let picks: Vec<BoxedStrategy<(String, Value)>> = known
        .into_iter()
        .map(|(k, v)| v.prop_map(move |v| (k.to_string(), v)).boxed())
        .collect();
    let known = prop::strategy::Union::new(picks);
    let member = prop_oneof![6 => known, 1 => (odd_key(), any_value())];
    prop::collection::vec(member, 0..max)
        .prop_map(Value::Object)
        .boxed()
}

fn url() -> impl Strategy<Value = Value> {
    prop::sample::select(vec![
        "https://example.com/privacy",
        "/privacy",
        "//cdn.example",
        " http://a ",
        "javascript:alert(1)",
        "java\tscript:alert(1)",
        "JAVASCRIPT:x",
        "data:text/html,x",
        "",
        "mailto:a@b",
        "?q=1",
    ])
    .prop_map(s)
}

fn cookie_name() -> impl Strategy<Value = Value> {
    prop::sample::select(vec![
        "_ga",
        "_ga_*",
        "consent_gate",
        "consent*",
        "consent_gate*",
        "c*",
        "*",
        "a*b",
        "a b",
        "",
        "cg",
    ])
    .prop_map(s)
}

fn cookie_entry() -> BoxedStrategy<Value> {
    or_wrong(members(
        vec![
            ("name", or_wrong(cookie_name())),
            ("provider", or_wrong(any_string().prop_map(Value::String))),
            ("purpose", or_wrong(any_string().prop_map(Value::String))),
            ("duration", or_wrong(Just(s("1 year")))),
            (
                "domain",
                or_wrong(
                    prop::sample::select(vec![".example.com", "a..b", "EXAMPLE.com"]).prop_map(s),
                ),
            ),
            (
                "path",
                or_wrong(prop::sample::select(vec!["/", "/shop", "shop", "/a;b"]).prop_map(s)),
            ),
        ],
        5,
    ))
}

fn list_of(item: BoxedStrategy<Value>) -> BoxedStrategy<Value> {
    or_wrong(prop_oneof![
        9 => prop::collection::vec(item.clone(), 0..4).prop_map(Value::Array),
        1 => prop::collection::vec(item, MAX_LIST + 1..MAX_LIST + 3).prop_map(Value::Array),
    ])
}

fn storage_keys() -> BoxedStrategy<Value> {
    list_of(or_wrong(cookie_name()))
}

fn service_id() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => "[a-z0-9][a-z0-9_-]{0,8}",
        2 => "[a-z0-9][a-z0-9_-]{55,63}",
        1 => prop::sample::select(vec!["analytics", "marketing", "Ads", "__proto__", "constructor", "-x", "A", ""])
            .prop_map(String::from),
        1 => "[a-z]{65}",
    ]
}

fn service() -> BoxedStrategy<Value> {
    or_wrong(members(
        vec![
            ("label", or_wrong(any_string().prop_map(Value::String))),
            ("description", or_wrong(Just(s("d")))),
            ("cookies", list_of(cookie_entry())),
            ("localStorage", storage_keys()),
        ],
        4,
    ))
}

fn services() -> BoxedStrategy<Value> {
    or_wrong(
        prop_oneof![
            3 => prop::collection::vec((service_id(), service()), 0..6),
            // Many services with long ids: the count and the cookie's length limits.
            1 => prop::collection::vec(("[a-z][a-z0-9]{40,63}", Just(obj(vec![]))), 40..80),
        ]
        .prop_map(Value::Object),
    )
}

fn category_key() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(vec![
            "essential", "necessary", "performance", "analytics", "statistics", "functional",
            "preferences", "personalization", "marketing", "advertising", "ads", " Ads ", "MARKETING",
        ])
        .prop_map(String::from),
        1 => odd_key(),
    ]
}

fn category() -> BoxedStrategy<Value> {
    or_wrong(members(
        vec![
            ("label", or_wrong(any_string().prop_map(Value::String))),
            ("description", or_wrong(Just(s("d")))),
            ("cookies", list_of(cookie_entry())),
            ("localStorage", storage_keys()),
            ("services", services()),
        ],
        6,
    ))
}

fn categories() -> BoxedStrategy<Value> {
    or_wrong(prop::collection::vec((category_key(), category()), 0..6).prop_map(Value::Object))
}

fn texts() -> BoxedStrategy<Value> {
    let key = prop_oneof![
        4 => prop::sample::select(TextKey::ALL.to_vec()).prop_map(|k| k.as_str().to_string()),
        1 => prop::sample::select(vec!["_note", "nope", "__proto__"]).prop_map(String::from),
    ];
    let strings = or_wrong(
        prop::collection::vec((key, or_wrong(any_string().prop_map(Value::String))), 0..4)
            .prop_map(Value::Object),
    );
    let lang = prop::sample::select(vec![
        "de",
        "DE",
        "pt_BR",
        "pt-br",
        "xx-!",
        "e",
        "__proto__",
        "zh-Hans",
    ])
    .prop_map(String::from);
    or_wrong(prop::collection::vec((lang, strings), 0..4).prop_map(Value::Object))
}

/// A config-shaped value: every known key, right and wrong, plus odd keys.
fn config_value() -> BoxedStrategy<Value> {
    let bool_ish = || or_wrong(any::<bool>().prop_map(Value::Bool));
    members(
        vec![
            ("revision", or_wrong(edge_number())),
            (
                "language",
                or_wrong(
                    prop::sample::select(vec!["auto", " AUTO ", "de", "pt_BR", "x", "zh-Hant-TW"])
                        .prop_map(s),
                ),
            ),
            (
                "layout",
                or_wrong(
                    prop::sample::select(vec!["bar", "bar-top", "box", "modal", "Modal"])
                        .prop_map(s),
                ),
            ),
            (
                "theme",
                or_wrong(prop::sample::select(vec!["auto", "light", "dark", "blue"]).prop_map(s)),
            ),
            ("policyUrl", or_wrong(url())),
            (
                "cookie",
                or_wrong(members(
                    vec![
                        ("name", or_wrong(cookie_name())),
                        (
                            "domain",
                            or_wrong(
                                prop::sample::select(vec![
                                    ".example.com",
                                    "example..com",
                                    "Ex.COM",
                                ])
                                .prop_map(s),
                            ),
                        ),
                        ("lifetimeDays", or_wrong(edge_number())),
                    ],
                    4,
                )),
            ),
            ("gpc", bool_ish()),
            ("reloadOnWithdraw", bool_ish()),
            ("blockPage", bool_ish()),
            (
                "googleConsentMode",
                or_wrong(prop_oneof![
                    any::<bool>().prop_map(Value::Bool),
                    members(vec![("waitForUpdate", or_wrong(edge_number()))], 3),
                ]),
            ),
            (
                "consentLog",
                or_wrong(members(vec![("url", or_wrong(url()))], 3)),
            ),
            ("categories", categories()),
            ("texts", texts()),
        ],
        10,
    )
}

// ---- the properties ---------------------------------------------------------------

const ID: &str = "0123456789abcdef0123456789abcdef";
const NOW: u64 = 1_767_225_600;

/// Checks every promise the reader makes about `v`.
fn check(v: &Value) -> Result<(), TestCaseError> {
    let (config, diags) = match Config::from_value(v) {
        Ok(found) => found,
        Err(d) => {
            prop_assert!(
                !matches!(v, Value::Object(_)),
                "only a non-object is refused"
            );
            prop_assert_eq!(d.severity, Severity::Error);
            prop_assert_eq!(d.path, "", "the root");
            return Ok(());
        }
    };

    // The banner module reads the banner's keys first: as the whole read does.
    let first = Config::banner_from_value(v).expect("an object");
    prop_assert_eq!(
        (
            &first.language,
            first.layout,
            first.theme,
            &first.policy_url,
            first.gpc
        ),
        (
            &config.language,
            config.layout,
            config.theme,
            &config.policy_url,
            config.gpc
        )
    );
    prop_assert_eq!(
        (
            first.block_page,
            first.hide_from_bots,
            &first.regions,
            &first.texts
        ),
        (
            config.block_page,
            config.hide_from_bots,
            &config.regions,
            &config.texts
        )
    );
    let defaults = Config::default();
    prop_assert_eq!(
        (
            &first.categories,
            &first.cookie,
            first.revision,
            &first.consent_log
        ),
        (
            &defaults.categories,
            &defaults.cookie,
            defaults.revision,
            &defaults.consent_log
        )
    );

    // Every diagnostic says where, in the input.
    for d in &diags {
        prop_assert!(!d.message().is_empty());
        if d.severity == Severity::Error {
            prop_assert!(!d.path.is_empty(), "an error without a path: {:?}", d);
        }
        prop_assert!(names_the_input(v, d), "{:?} names no place in the input", d);
    }

    // The config is within its documented ranges.
    prop_assert!((1..=1_000_000_000).contains(&config.revision));
    prop_assert!((1..=395).contains(&config.cookie.lifetime_days));
    prop_assert!(consent_gate::model::names::is_cookie_name(
        config.cookie.name.as_bytes()
    ));
    for url in config.policy_url.iter().chain(config.consent_log.iter()) {
        prop_assert!(is_safe_url(url), "{}", url);
    }
    let ids: Vec<&str> = config.services().map(|(_, s)| s.id.as_str()).collect();
    prop_assert!(ids.len() <= MAX_SERVICES);
    for (i, id) in ids.iter().enumerate() {
        prop_assert!(is_service_id(id) && Category::parse(id).is_none(), "{}", id);
        prop_assert!(!ids[..i].contains(id), "duplicate {}", id);
    }
    for c in Category::ALL {
        let cc = config.category(c);
        let lists = std::iter::once((&cc.cookies, &cc.local_storage))
            .chain(cc.services.iter().map(|s| (&s.cookies, &s.local_storage)));
        for (cookies, keys) in lists {
            prop_assert!(cookies.len() <= MAX_LIST && keys.len() <= MAX_LIST);
            for name in cookies.iter().map(|c| &c.name) {
                prop_assert!(is_cookie_pattern(name), "{}", name);
            }
            for k in keys {
                prop_assert!(is_storage_pattern(k), "{}", k);
            }
            if c.is_optional() {
                // A withdrawal must not delete the decision it has just stored.
                let own = config.cookie.name.as_str();
                prop_assert!(cookies.iter().all(|i| !pattern_matches(&i.name, own)));
                prop_assert!(keys.iter().all(|k| !pattern_matches(k, own)));
            }
        }
    }

    // Nothing is granted by the config alone: the dialog shows every
    // optional switch off, and a first decision that sets nothing, or
    // refuses all, grants nothing optional.
    for view in dialog(&config, &Texts::english(), None) {
        let optional = view.category.is_optional();
        prop_assert_eq!(view.checked, !optional);
        prop_assert_eq!(view.locked, !optional);
        for s in &view.services {
            prop_assert_eq!(s.checked, !optional, "{}", s.id);
        }
    }
    for gpc_signal in [false, true] {
        let ctx = Context {
            config: &config,
            now: NOW,
            new_id: ID,
            gpc_signal,
            opt_out: false,
        };
        for action in [Action::Set(vec![]), Action::RejectAll] {
            let out = decide(None, &action, &ctx);
            prop_assert_eq!(out.record.categories, [true, false, false, false]);
            prop_assert!(!out.newly_granted);
            for (id, on) in &out.record.services {
                let essential = config.service_category(id) == Some(Category::Essential);
                prop_assert_eq!(*on, essential, "{}", id);
            }
        }
        // Whatever the config, the decision it leads to fits the cookie and reads back.
        let all = decide(None, &Action::AcceptAll, &ctx).record;
        prop_assert_eq!(decode(&encode(&all)), Some(all.clone()), "{}", encode(&all));
        prop_assert_eq!(
            all.categories[3],
            !(gpc_signal && config.gpc),
            "GPC keeps marketing off"
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(384))]

    #[test]
    fn config_shaped_values(v in config_value()) {
        check(&v)?;
    }

    #[test]
    fn any_values(v in any_value()) {
        check(&v)?;
    }
}

// ---- the checks themselves, and the cases the generators found -----------------

#[test]
fn paths_are_resolved_every_way_they_can_be_read() {
    let v = consent_gate::model::json::parse(
        r#"{"a.b":{"c":[0,{"d[1]":1}]},"a":{"b":1},"":{"x":null}}"#,
    )
    .unwrap();
    for yes in ["a.b", "a.b.c", "a.b.c[1]", "a.b.c[1].d[1]", "a", ".x", ""] {
        assert!(path_exists(&v, yes), "{yes}");
    }
    for no in [
        "a.c",
        "a.b.c[2]",
        "a.b.c[1].d",
        "b",
        "a.b.c.0",
        "a.b.c[x]",
        "x",
    ] {
        assert!(!path_exists(&v, no), "{no}");
    }
}

fn read(json: &str) -> (Value, Config, Vec<Diagnostic>) {
    let v = consent_gate::model::json::parse(json).unwrap();
    let (c, d) = Config::from_value(&v).unwrap();
    (v, c, d)
}

#[test]
fn a_category_given_by_alias_is_named_so_in_diagnostics() {
    // Found by config_shaped_values: the consent-cookie guard named
    // `categories.marketing.cookies` when the config said `ads`.
    let (v, c, d) = read(
        r#"{"categories":{"ads":{"cookies":[{"name":"consent*"}],"services":{"px":{"localStorage":["consent_gate"]}}}}}"#,
    );
    let paths: Vec<&str> = d.iter().map(|d| d.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "categories.ads.cookies",
            "categories.ads.services.px.localStorage"
        ]
    );
    assert!(d.iter().all(|d| path_exists(&v, &d.path)));
    assert!(c.category(Category::Marketing).cookies.is_empty());
}

#[test]
fn a_repeated_categories_key_replaces_the_earlier_one() {
    // Found reading the reader (the properties hold either way): the services of a first `categories`
    // counted against the second, which lost them as "duplicate service id".
    let (_, c, d) = read(
        r#"{"categories":{"analytics":{"services":{"ga":{}}}},"categories":{"analytics":{"services":{"ga":{}}}}}"#,
    );
    assert!(d.is_empty(), "{d:?}");
    assert_eq!(c.service_category("ga"), Some(Category::Performance));
}

#[test]
fn services_whose_ids_overflow_the_cookie_are_refused() {
    // Found by config_shaped_values: 64 services with 64-character ids make a
    // decision of 4.3 KB, which the cookie (3072 bytes) cannot hold, so the
    // visitor's choice was never read back and the banner came back every time.
    let ids: Vec<String> = (0..64)
        .map(|i| format!("{i:02}{}", "x".repeat(62)))
        .collect();
    let services: Vec<String> = ids.iter().map(|id| format!("\"{id}\":{{}}")).collect();
    let (_, c, d) = read(&format!(
        r#"{{"categories":{{"marketing":{{"services":{{{}}}}}}}}}"#,
        services.join(",")
    ));
    let kept = c.services().count();
    assert_eq!(kept, 44, "the ids that fit");
    assert_eq!(d.len(), 64 - kept);
    assert!(d
        .iter()
        .all(|d| d.severity == Severity::Error && d.message().contains("too long together")));
    assert_eq!(
        d[0].path,
        format!("categories.marketing.services.{}", ids[kept])
    );
    let ctx = Context {
        config: &c,
        now: NOW,
        new_id: ID,
        gpc_signal: false,
        opt_out: false,
    };
    let all = decide(None, &Action::AcceptAll, &ctx).record;
    assert!(encode(&all).len() <= 3072);
    assert_eq!(decode(&encode(&all)), Some(all));
    // 64 ids of 43 bytes fit (the longest average that does is 43.48).
    let services: Vec<String> = (0..64)
        .map(|i| format!("\"{i:02}{}\":{{}}", "y".repeat(41)))
        .collect();
    let (_, c, d) = read(&format!(
        r#"{{"categories":{{"ads":{{"services":{{{}}}}}}}}}"#,
        services.join(",")
    ));
    assert!(d.is_empty(), "{d:?}");
    assert_eq!(c.services().count(), 64);
}
