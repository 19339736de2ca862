#![cfg(not(target_arch = "wasm32"))]
//! What the dialog shows, and gating with services.

use consent_gate::model::category::Category;
use consent_gate::model::config::Config;
use consent_gate::model::gate::should_activate;
use consent_gate::model::i18n::{TextKey, Texts};
use consent_gate::model::record::Record;
use consent_gate::model::view::{dialog, CookieRow};

fn config() -> Config {
    let json = r#"{"categories":{
        "performance":{"label":"Stats","cookies":[{"name":"_ga","provider":"Google","purpose":"Counts","duration":"2 years"}],
            "services":{"ga":{"label":"Google Analytics","description":"Counts visits","cookies":[{"name":"_gid"}]},"matomo":{}}},
        "essential":{"services":{"login":{}}}
    }}"#;
    Config::from_value(&serde_json::from_str(json).unwrap())
        .unwrap()
        .0
}

fn record(categories: [bool; 4], services: &[(&str, bool)]) -> Record {
    Record {
        id: "a".repeat(32),
        revision: 1,
        decided_at: 1,
        updated_at: 1,
        expires_at: 100,
        categories,
        services: services
            .iter()
            .map(|(s, on)| (s.to_string(), *on))
            .collect(),
        gpc: false,
        opt_out: false,
    }
}

#[test]
fn dialog_without_a_record() {
    let c = config();
    let mut texts = Texts::english();
    texts.set(TextKey::MarketingLabel, "Werbung".into());
    let v = dialog(&c, &texts, None);
    assert_eq!(
        v.iter().map(|c| c.category).collect::<Vec<_>>(),
        Category::ALL.to_vec()
    );
    assert!(v[0].checked && v[0].locked);
    assert_eq!(v[0].label, "Essential");
    assert!(v[0].services[0].checked, "essential services are on");
    for c in &v[1..] {
        assert!(
            !c.checked && !c.locked,
            "{:?} is never pre-ticked",
            c.category
        );
        assert!(c.services.iter().all(|s| !s.checked));
    }
    assert_eq!(v[1].label, "Stats");
    assert_eq!(v[1].description, texts.get(TextKey::PerformanceDescription));
    assert_eq!(v[3].label, "Werbung");
    assert_eq!(
        v[1].cookies,
        vec![CookieRow {
            name: "_ga".into(),
            provider: "Google".into(),
            purpose: "Counts".into(),
            duration: "2 years".into()
        }]
    );
    let ga = &v[1].services[0];
    assert_eq!(
        (ga.id.as_str(), ga.label.as_str(), ga.description.as_str()),
        ("ga", "Google Analytics", "Counts visits")
    );
    assert_eq!(
        ga.cookies,
        vec![CookieRow {
            name: "_gid".into(),
            provider: String::new(),
            purpose: String::new(),
            duration: String::new()
        }]
    );
    let matomo = &v[1].services[1];
    assert_eq!(
        (matomo.label.as_str(), matomo.description.as_str()),
        ("matomo", "")
    );
}

#[test]
fn dialog_with_a_record() {
    let r = record(
        [true, true, false, true],
        &[("ga", false), ("login", true), ("matomo", true)],
    );
    let v = dialog(&config(), &Texts::english(), Some(&r));
    let checked: Vec<bool> = v.iter().map(|c| c.checked).collect();
    assert_eq!(checked, vec![true, true, false, true]);
    assert_eq!(
        v[1].services.iter().map(|s| s.checked).collect::<Vec<_>>(),
        vec![false, true]
    );
}

#[test]
fn gating_with_services() {
    let r = record(
        [true, true, false, false],
        &[("ga", false), ("matomo", true)],
    );
    assert!(should_activate("statistics", Some("matomo"), Some(&r)));
    assert!(!should_activate("performance", Some("ga"), Some(&r)));
    assert!(
        !should_activate("functional", Some("matomo"), Some(&r)),
        "the category must be granted too"
    );
    assert!(should_activate("performance", None, Some(&r)));
    assert!(!should_activate("marketing", None, Some(&r)));
    assert!(!should_activate("performance", None, None));
    assert!(should_activate("essential", None, None));
    assert!(!should_activate("unknown", None, Some(&r)));
}
