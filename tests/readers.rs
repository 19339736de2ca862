//! The server-side cookie readers of `pkg-template/server/` (JavaScript,
//! Python, PHP) against the golden vectors, `tests/vectors/cookies.json`.
//! Each runs under its own interpreter (`node`, `python3`, `php`; `make setup`
//! installs them) through a small harness in `tests/readers/` that prints its
//! results as JSON; this file compares them with the vectors and with the
//! Rust reader.
#![cfg(not(target_arch = "wasm32"))]

use std::process::Command;

use consent_gate::native::cookie::{read_consent, read_consent_now};
use serde_json::Value;

const VECTORS: &str = "tests/vectors/cookies.json";

fn vectors() -> Value {
    serde_json::from_str(&std::fs::read_to_string(VECTORS).unwrap()).unwrap()
}

fn run(interpreter: &str, script: &str) -> Value {
    let out = Command::new(interpreter)
        .arg(script)
        .arg(VECTORS)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {interpreter} ({e}): `make setup` installs it"));
    assert!(
        out.status.success(),
        "{interpreter} {script}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{interpreter} {script} printed no JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

/// Compares one reader's results with the vectors; returns what differs.
fn compare(language: &str, got: &Value) -> Vec<String> {
    let doc = vectors();
    let valid = doc["valid"].as_array().unwrap();
    let invalid = doc["invalid"].as_array().unwrap();
    let mut wrong = Vec::new();
    let results = |key: &str, len: usize| -> Vec<Value> {
        let list = got[key]
            .as_array()
            .unwrap_or_else(|| panic!("{language}: no {key}"))
            .clone();
        assert_eq!(list.len(), len, "{language}: {key}");
        list
    };
    for (v, r) in valid.iter().zip(results("valid", valid.len())) {
        if r != v["record"] {
            wrong.push(format!("{language} valid {}: got {r}", v["name"]));
        }
    }
    for (v, r) in invalid.iter().zip(results("invalid", invalid.len())) {
        if !r.is_null() {
            wrong.push(format!(
                "{language} invalid {} {:?}: got {r}",
                v["name"], v["value"]
            ));
        }
    }
    // Without `now`, the current time: the same answer as the Rust reader's.
    for (v, r) in valid.iter().zip(results("defaultNow", valid.len())) {
        let rust = read_consent_now(v["value"].as_str().unwrap())
            .map_or(Value::Null, |c| serde_json::from_str(&c.to_json()).unwrap());
        if r != rust {
            wrong.push(format!(
                "{language} at the current time {}: got {r}",
                v["name"]
            ));
        }
    }
    wrong
}

#[test]
fn javascript() {
    let got = run("node", "tests/readers/run.mjs");
    let mut wrong = compare("JavaScript", &got);
    if got["validAtDate"] != got["valid"] {
        wrong.push("JavaScript: `now` as a Date differs from Unix seconds".into());
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn python() {
    let wrong = compare("Python", &run("python3", "tests/readers/run.py"));
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn php() {
    let wrong = compare("PHP", &run("php", "tests/readers/run.php"));
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn some_vectors_are_valid_at_the_current_time() {
    // So that the default-`now` comparison above is not all nulls.
    let doc = vectors();
    let live = doc["valid"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| read_consent_now(v["value"].as_str().unwrap()).is_some())
        .count();
    assert!(live >= 1);
}

/// The README's example value ("The consent cookie") is a golden vector, and
/// the record it shows is the vector's.
#[test]
fn the_documented_example_is_a_golden_vector() {
    let doc = vectors();
    let readme = std::fs::read_to_string("README.md").unwrap();
    let md = readme
        .split("\n## The consent cookie\n")
        .nth(1)
        .and_then(|section| section.split("\n## ").next())
        .expect("README.md has a \"The consent cookie\" section");
    let example = md
        .lines()
        .find_map(|l| l.strip_prefix("Example: `")?.strip_suffix('`'))
        .expect("the section has an `Example: `…`` line");
    let vector = doc["valid"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["value"] == example)
        .expect("the example is a valid vector");
    let now = doc["now"].as_u64().unwrap();
    let record: Value =
        serde_json::from_str(&read_consent(example, now).unwrap().to_json()).unwrap();
    assert_eq!(record, vector["record"]);
    // The record the docs show is that record.
    let shown = md
        .split("```json\n")
        .nth(1)
        .and_then(|b| b.split("\n```").next())
        .expect("the section shows the record as a ```json block");
    assert_eq!(serde_json::from_str::<Value>(shown).unwrap(), record);
}

/// `import { readConsent } from "consent-gate/server"` resolves through the
/// package's `exports` (run from inside the package, as a self-reference).
#[test]
fn the_package_exports_the_javascript_reader() {
    let doc = vectors();
    let first = &doc["valid"][0];
    let script = format!(
        "const {{ readConsent }} = await import('consent-gate/server');\
         const schema = await import('consent-gate/consent-gate.schema.json', {{ with: {{ type: 'json' }} }});\
         console.log(JSON.stringify([readConsent({}, {}), schema.default.$schema]));",
        first["value"], doc["now"]
    );
    let out = Command::new("node")
        .current_dir("pkg-template")
        .args(["--no-warnings", "--input-type=module", "-e", &script])
        .output()
        .expect("node");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let got: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(got[0], first["record"]);
    assert_eq!(got[1], "https://json-schema.org/draft/2020-12/schema");
}
