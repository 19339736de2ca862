#![cfg(not(target_arch = "wasm32"))]
//! Decisions and `set()` arguments.

use consent_gate::model::category::Category::{self, *};
use consent_gate::model::config::Config;
use consent_gate::model::decision::{
    decide, parse_choices, Action, ArgError, Context, Key, Outcome,
};
use consent_gate::model::record::Record;
use consent_gate::model::value::Value;

const ID: &str = "0123456789abcdef0123456789abcdef";
const OTHER_ID: &str = "ffffffffffffffffffffffffffffffff";
const NOW: u64 = 1_767_225_600;
const DAY: u64 = 86_400;

fn config() -> Config {
    let json = r#"{"revision":3,"categories":{
        "essential":{"services":{"login":{}}},
        "performance":{"services":{"ga":{},"matomo":{}}},
        "marketing":{"services":{"pixel":{}}}
    }}"#;
    let (c, d) = Config::from_value(&serde_json::from_str(json).unwrap()).unwrap();
    assert!(d.is_empty(), "{d:?}");
    c
}

fn run(config: &Config, previous: Option<&Record>, action: Action, now: u64, gpc: bool) -> Outcome {
    let ctx = Context {
        config,
        now,
        new_id: if previous.is_some() { OTHER_ID } else { ID },
        gpc_signal: gpc,
        opt_out: false,
    };
    decide(previous, &action, &ctx)
}

fn services(r: &Record) -> Vec<(&str, bool)> {
    r.services
        .iter()
        .map(|(id, on)| (id.as_str(), *on))
        .collect()
}

fn set(keys: &[(Key, bool)]) -> Action {
    Action::Set(keys.to_vec())
}

#[test]
fn first_accept_all() {
    let c = config();
    let o = run(&c, None, Action::AcceptAll, NOW, false);
    assert!(o.first && o.changed && o.newly_granted);
    assert!(o.withdrawn.is_empty() && o.withdrawn_services.is_empty());
    let r = &o.record;
    assert_eq!(r.id, ID);
    assert_eq!(r.revision, 3);
    assert_eq!(
        (r.decided_at, r.updated_at, r.expires_at),
        (NOW, NOW, NOW + 182 * DAY)
    );
    assert_eq!(r.categories, [true; 4]);
    assert_eq!(
        services(r),
        vec![
            ("ga", true),
            ("login", true),
            ("matomo", true),
            ("pixel", true)
        ]
    );
    assert!(!r.gpc);
}

#[test]
fn first_reject_all() {
    let o = run(&config(), None, Action::RejectAll, NOW, false);
    assert!(o.first && o.changed && !o.newly_granted);
    assert_eq!(o.record.categories, [true, false, false, false]);
    assert_eq!(
        services(&o.record),
        vec![
            ("ga", false),
            ("login", true),
            ("matomo", false),
            ("pixel", false)
        ]
    );
}

#[test]
fn partial_set_keeps_the_rest() {
    let c = config();
    let first = run(
        &c,
        None,
        set(&[(Key::Category(Performance), true)]),
        NOW,
        false,
    )
    .record;
    assert_eq!(first.categories, [true, true, false, false]);
    assert_eq!(
        services(&first),
        vec![
            ("ga", true),
            ("login", true),
            ("matomo", true),
            ("pixel", false)
        ]
    );

    let later = NOW + 10;
    let o = run(
        &c,
        Some(&first),
        set(&[(Key::Category(Functional), true)]),
        later,
        false,
    );
    assert!(!o.first && o.changed && o.newly_granted);
    assert_eq!(o.record.categories, [true, true, true, false]);
    assert_eq!(o.record.id, ID, "the id stays");
    assert_eq!(
        (
            o.record.decided_at,
            o.record.updated_at,
            o.record.expires_at
        ),
        (NOW, later, later + 182 * DAY)
    );
    assert!(o.withdrawn.is_empty());
}

#[test]
fn withdrawal_lists_what_was_refused() {
    let c = config();
    let all = run(&c, None, Action::AcceptAll, NOW, false).record;
    let o = run(
        &c,
        Some(&all),
        set(&[
            (Key::Category(Marketing), false),
            (Key::Service("ga".into()), false),
        ]),
        NOW + 1,
        false,
    );
    assert!(o.changed && !o.newly_granted);
    assert_eq!(o.withdrawn, vec![Marketing]);
    assert_eq!(
        o.withdrawn_services,
        vec!["ga".to_string(), "pixel".to_string()]
    );
    assert_eq!(
        o.record.categories,
        [true, true, true, false],
        "performance stays: matomo is still on"
    );

    let o = run(&c, Some(&all), Action::RejectAll, NOW + 1, false);
    assert_eq!(o.withdrawn, vec![Performance, Functional, Marketing]);
    assert_eq!(
        o.withdrawn_services,
        vec!["ga".to_string(), "matomo".to_string(), "pixel".to_string()]
    );
}

#[test]
fn same_choice_again_is_not_a_change() {
    let c = config();
    let r = run(&c, None, Action::RejectAll, NOW, false).record;
    let o = run(&c, Some(&r), Action::RejectAll, NOW + 5, false);
    assert!(!o.first && !o.changed && !o.newly_granted);
    assert_eq!(o.record.updated_at, NOW + 5);
    let o = run(&c, Some(&r), set(&[]), NOW + 5, false);
    assert!(!o.changed);
}

#[test]
fn services_drive_their_category() {
    let c = config();
    let r = run(
        &c,
        None,
        set(&[(Key::Service("ga".into()), true)]),
        NOW,
        false,
    )
    .record;
    assert_eq!(r.categories, [true, true, false, false]);
    assert_eq!(
        services(&r),
        vec![
            ("ga", true),
            ("login", true),
            ("matomo", false),
            ("pixel", false)
        ]
    );
    let o = run(
        &c,
        Some(&r),
        set(&[(Key::Service("ga".into()), false)]),
        NOW,
        false,
    );
    assert_eq!(
        o.record.categories,
        [true, false, false, false],
        "no service left on"
    );
    assert_eq!(o.withdrawn, vec![Performance]);
    assert_eq!(o.withdrawn_services, vec!["ga".to_string()]);
    // Unknown services in a Set are ignored; parse_choices refuses them earlier.
    let o = run(
        &c,
        Some(&r),
        set(&[(Key::Service("nope".into()), true)]),
        NOW,
        false,
    );
    assert!(!o.changed);
}

#[test]
fn essential_cannot_be_refused() {
    let c = config();
    let o = run(
        &c,
        None,
        set(&[
            (Key::Category(Essential), false),
            (Key::Service("login".into()), false),
        ]),
        NOW,
        false,
    );
    assert!(o.record.granted(Essential));
    assert!(o.record.categories[0]);
    assert_eq!(o.record.service("login"), Some(true));
}

#[test]
fn gpc_keeps_marketing_off_until_an_explicit_choice() {
    let c = config();
    let o = run(&c, None, Action::AcceptAll, NOW, true);
    assert_eq!(o.record.categories, [true, true, true, false]);
    assert_eq!(o.record.service("pixel"), Some(false));
    assert!(o.record.gpc);
    let o = run(
        &c,
        Some(&o.record),
        set(&[(Key::Category(Marketing), true)]),
        NOW + 1,
        true,
    );
    assert_eq!(o.record.categories, [true; 4], "an explicit opt-in wins");
    assert!(o.record.gpc);
    // A later accept-all keeps the explicit opt-in.
    let o = run(&c, Some(&o.record), Action::AcceptAll, NOW + 2, true);
    assert!(o.record.granted(Marketing));
    // A marketing service may be opted in on its own.
    let o = run(
        &c,
        None,
        set(&[(Key::Service("pixel".into()), true)]),
        NOW,
        true,
    );
    assert!(o.record.granted(Marketing));

    // The config may switch GPC handling off.
    let mut off = config();
    off.gpc = false;
    let o = run(&off, None, Action::AcceptAll, NOW, true);
    assert_eq!(o.record.categories, [true; 4]);
    assert!(!o.record.gpc);
}

#[test]
fn record_follows_the_config() {
    let c = config();
    let mut prev = run(&c, None, Action::AcceptAll, NOW, false).record;
    prev.services.push(("zz-removed".into(), true));
    prev.services.retain(|(id, _)| id != "matomo");
    prev.revision = 2;
    let o = run(&c, Some(&prev), set(&[]), NOW + 1, false);
    assert_eq!(
        services(&o.record),
        vec![
            ("ga", true),
            ("login", true),
            ("matomo", false),
            ("pixel", true)
        ],
        "a new service starts refused, a removed one goes"
    );
    assert_eq!(o.record.revision, 3);
    assert!(o.changed);
    assert!(o.withdrawn_services.is_empty());

    let mut short = config();
    short.cookie.lifetime_days = 1;
    assert_eq!(
        run(&short, None, Action::RejectAll, NOW, false)
            .record
            .expires_at,
        NOW + DAY
    );
}

#[test]
fn clock_going_backwards_still_gives_a_valid_record() {
    let c = config();
    let prev = run(&c, None, Action::RejectAll, NOW, false).record;
    let o = run(&c, Some(&prev), Action::AcceptAll, NOW - 100, false);
    assert!(o.record.decided_at <= o.record.updated_at);
    assert!(
        consent_gate::model::codec::decode(&consent_gate::model::codec::encode(&o.record))
            .is_some()
    );
}

/// `json`: an object of booleans, the shape the loader lets through.
fn choices(json: &str) -> Result<Vec<(Key, bool)>, ArgError> {
    let Value::Object(members) = serde_json::from_str::<Value>(json).unwrap() else {
        panic!("an object: {json}");
    };
    parse_choices(&members, &config())
}

fn arg_error(json: &str) -> (String, String) {
    let e = choices(json).unwrap_err();
    (e.argument, e.message)
}

#[test]
fn parsing_choices() {
    assert_eq!(choices("{}").unwrap(), vec![]);
    assert_eq!(
        choices(
            r#"{"analytics":true,"marketing":false,"pixel":true,"essential":true,"necessary":true}"#
        )
        .unwrap(),
        vec![
            (Key::Category(Performance), true),
            (Key::Category(Marketing), false),
            (Key::Service("pixel".into()), true),
            (Key::Category(Essential), true),
            (Key::Category(Essential), true),
        ]
    );
    // The shape (an object of booleans) is the loader's check: tests/e2e/api.test.mjs.
    assert_eq!(
        arg_error(r#"{"tracking":true}"#),
        (
            "choices.tracking".into(),
            "unknown category or service".into()
        )
    );
    assert_eq!(
        arg_error(r#"{"essential":false}"#),
        (
            "choices.essential".into(),
            "essential cannot be refused".into()
        )
    );
    assert_eq!(
        arg_error(r#"{"necessary":false}"#),
        (
            "choices.essential".into(),
            "essential cannot be refused".into()
        )
    );
    assert_eq!(
        arg_error(r#"{"login":false}"#),
        ("choices.login".into(), "essential cannot be refused".into())
    );
    assert_eq!(
        arg_error(r#"{"performance":true,"bad":true}"#).0,
        "choices.bad",
        "any bad key fails the whole call"
    );
}

#[test]
fn nothing_optional_without_an_action() {
    // Every action's record grants only what it names.
    let c = config();
    for cat in Category::OPTIONAL {
        let r = run(&c, None, set(&[(Key::Category(cat), true)]), NOW, false).record;
        for other in Category::OPTIONAL {
            assert_eq!(r.granted(other), other == cat);
        }
    }
}
