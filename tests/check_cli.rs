//! `consent-gate check`: the built binary, its output and exit statuses.
#![cfg(not(target_arch = "wasm32"))]

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use consent_gate::model::config::{Config, Severity};
use consent_gate::model::json;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_consent-gate"))
}

/// Writes `text` to a file of its own and runs `consent-gate check` on it.
fn check(name: &str, text: &[u8]) -> Output {
    let dir = std::env::temp_dir().join(format!("consent-gate-check-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file: PathBuf = dir.join(name);
    std::fs::write(&file, text).unwrap();
    let out = bin().arg("check").arg(&file).output().unwrap();
    std::fs::remove_file(&file).ok();
    out
}

fn stdout(o: &Output) -> Vec<String> {
    String::from_utf8(o.stdout.clone())
        .unwrap()
        .lines()
        .map(String::from)
        .collect()
}

/// What the browser console shows for `text`, as the checker prints it
/// (without hints), from the library's own diagnostics.
fn console_lines(text: &str) -> Vec<String> {
    let (_, diags) = Config::from_value(&json::parse(text).unwrap()).unwrap();
    diags
        .iter()
        .map(|d| {
            let level = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            format!("{level}: config `{}`: {}", d.path, d.message())
        })
        .collect()
}

#[test]
fn errors_exit_1_in_the_consoles_words() {
    let text = r#"{
        "revision": 0,
        "layout": "sidebar",
        "policyUrl": "javascript:alert(1)",
        "cookie": { "lifetimeDays": 400, "domain": "exa mple.com" },
        "categories": { "marketing": { "cookies": [ { "name": "a" }, { "name": "b" }, { "name": "*" } ] } },
        "texts": { "de": { "title": 5 } }
    }"#;
    let out = check("errors.json", text.as_bytes());
    assert_eq!(out.status.code(), Some(1));
    let lines = stdout(&out);
    assert_eq!(lines, console_lines(text));
    assert_eq!(lines.len(), 7, "{lines:#?}");
    assert!(lines.contains(
        &"error: config `cookie.lifetimeDays`: expected an integer from 1 to 395".to_string()
    ));
    assert!(lines.contains(
        &"error: config `categories.marketing.cookies[2].name`: expected a cookie name; '*' may only end it"
            .to_string()
    ));
    let summary = String::from_utf8(out.stderr).unwrap();
    assert!(
        summary.ends_with("errors.json: 7 errors, 0 warnings\n"),
        "{summary}"
    );
}

#[test]
fn warnings_only_exit_0_with_suggestions() {
    let text =
        r#"{ "revison": 3, "theme": "dark", "cookie": { "lifetimedays": 30 }, "zzz": true }"#;
    let out = check("warnings.json", text.as_bytes());
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        stdout(&out),
        [
            "warning: config `revison`: unknown key; did you mean `revision`?",
            "warning: config `cookie.lifetimedays`: unknown key; did you mean `lifetimeDays`?",
            "warning: config `zzz`: unknown key",
        ]
    );
    // The same lines as the console's, plus the hint.
    for (line, console) in stdout(&out).iter().zip(console_lines(text)) {
        assert!(line.starts_with(&console), "{line} / {console}");
    }
}

#[test]
fn a_clean_config_exits_0_silently() {
    let text = std::fs::read("www/config/lumen.json").unwrap();
    let out = check("lumen.json", &text);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out), Vec::<String>::new());
    let summary = String::from_utf8(out.stderr).unwrap();
    assert!(
        summary.ends_with("lumen.json: 0 errors, 0 warnings\n"),
        "{summary}"
    );
}

#[test]
fn not_an_object_is_an_error() {
    let out = check("array.json", b"[1, 2]");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out), ["error: the config must be a JSON object"]);
}

#[test]
fn usage_unreadable_and_not_json_exit_2() {
    let out = check("broken.json", br#"{ "revision": 2, "policyUrl": "#);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stdout(&out), ["error: the config is not valid JSON"]);

    let out = check("latin1.json", b"{ \"title\": \"caf\xe9\" }");
    assert_eq!(out.status.code(), Some(2));

    let out = bin()
        .args(["check", "/nonexistent/consent.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .contains("cannot read"));

    for args in [
        &["check"][..],
        &["check", "a.json", "b.json"],
        &[],
        &["chekc", "a.json"],
    ] {
        let out = bin().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            String::from_utf8(out.stderr).unwrap().contains("usage"),
            "{args:?}"
        );
    }
}

#[test]
fn reads_standard_input() {
    let mut child = bin()
        .args(["check", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(br#"{ "gpc": "yes" }"#)
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out), ["error: config `gpc`: expected a boolean"]);
}
