//! Facts that have one source but must be restated where that source cannot
//! be read (a type declaration, the loader before any module runs, a JSON
//! file other tools read): each restatement is checked against its source
//! here, so they cannot drift. (The schema's categories and texts are checked
//! in tests/schema.rs; the built package's version in tests/e2e/api.test.mjs.)
#![cfg(not(target_arch = "wasm32"))]

use std::fs;
use std::path::Path;

use consent_gate::model::category::Category;

fn read(path: &str) -> String {
    fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path))
        .unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Every name of `categories`, ids then aliases, sorted.
fn names(categories: &[Category]) -> Vec<String> {
    let mut all: Vec<String> = categories
        .iter()
        .flat_map(|c| std::iter::once(c.as_str()).chain(c.aliases().iter().copied()))
        .map(String::from)
        .collect();
    all.sort();
    all
}

/// The double-quoted strings in `text`.
fn quoted(text: &str) -> Vec<String> {
    text.split('"')
        .skip(1)
        .step_by(2)
        .map(String::from)
        .collect()
}

/// The text from `start` up to the first `end` after it.
fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text
        .find(start)
        .unwrap_or_else(|| panic!("`{start}` not found"))
        + start.len();
    let len = text[from..]
        .find(end)
        .unwrap_or_else(|| panic!("no `{end}` after `{start}`"));
    &text[from..from + len]
}

#[test]
fn the_type_declarations_name_every_category_and_alias() {
    let dts = read("pkg-template/consent-gate.d.ts");
    let mut declared = quoted(between(&dts, "export type Category =", ";"));
    declared.extend(quoted(between(&dts, "export type CategoryName =", ";")));
    declared.sort();
    assert_eq!(declared, names(&Category::ALL));
}

#[test]
fn the_loaders_grants_before_the_core_runs_are_essentials_names() {
    // `accepted()` answers from this until the core module's first answer.
    let loader = read("pkg-template/consent-gate.js");
    let object = between(&loader, "var ESSENTIAL = {", "}");
    let mut granted: Vec<String> = object
        .split(',')
        .map(|member| member.split(':').next().unwrap_or("").trim().to_string())
        .collect();
    granted.sort();
    assert_eq!(granted, names(&[Category::Essential]));
}

#[test]
fn the_version_is_stamped_from_cargo_toml_only() {
    // scripts/build.sh writes Cargo.toml's version into pkg/package.json and
    // defines the loader's CONSENT_GATE_VERSION; neither template has its own.
    let package: serde_json::Value =
        serde_json::from_str(&read("pkg-template/package.json")).expect("package.json is JSON");
    assert_eq!(package.get("version"), None, "pkg-template/package.json");
    let loader = read("pkg-template/consent-gate.js");
    assert!(loader.contains("version: CONSENT_GATE_VERSION,"));
    let build = read("scripts/build.sh");
    assert!(build.contains("--define:CONSENT_GATE_VERSION="));
    assert!(build.contains("Cargo.toml"));
}

#[test]
fn chromium_flags_are_read_from_webdriver_json_only() {
    let webdriver: serde_json::Value =
        serde_json::from_str(&read("webdriver.json")).expect("webdriver.json is JSON");
    let flags = webdriver["goog:chromeOptions"]["args"]
        .as_array()
        .expect("goog:chromeOptions.args");
    assert!(flags.iter().any(|f| f == "--no-sandbox"));
    // No launcher keeps a list of its own: each imports scripts/chromium.mjs.
    for path in [
        "tests/e2e/helpers.mjs",
        "bench/measure.mjs",
        "scripts/screenshots.mjs",
        "scripts/dev/shot.mjs",
    ] {
        let text = read(path);
        assert!(
            text.contains("chromium.mjs"),
            "{path} imports scripts/chromium.mjs"
        );
        assert!(
            !text.contains("\"--no-sandbox\""),
            "{path} lists flags of its own"
        );
    }
    assert!(read("scripts/chromium.mjs").contains("webdriver.json"));
}
