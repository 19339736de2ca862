//! The configurator's developer-tool module (`www/configure.html`): the config
//! checker of `consent-gate check` ([`crate::check`]) compiled to WebAssembly.
//!
//! Built only with `--no-default-features --features devtool` by
//! `scripts/build-devtool.sh` into `www/devtool/`; it is never part of `pkg/`,
//! so no visitor downloads it. Its answers cross into JavaScript through
//! `serde` + `serde-wasm-bindgen`:
//!
//! ```text
//! checkText(text) / check(config) -> {
//!   json: true,                      // false: the text is not JSON (the module would not start)
//!   errors: 1, warnings: 1,
//!   problems: [{ severity: "warning", path: "revison", message: "unknown key",
//!                didYouMean: "revision", notYetSupported: false,
//!                line: "warning: config `revison`: unknown key; did you mean `revision`?" }, …]
//! }
//! languages() -> ["af", "ar", …]     // the built-in languages, as the module knows them
//! categories() -> [{ id: "essential", aliases: ["necessary"] }, …]
//! ```

use alloc::string::String;
use alloc::vec::Vec;

use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::check::{check_text as check_json, Hint, Outcome, Problem, NOT_JSON};
use crate::model::category::Category;
use crate::model::config::Severity;
use crate::model::i18n::BUILT_IN;

/// One problem, as the configurator shows it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Diagnostic {
    /// `"error"` (a bad value, replaced by its default) or `"warning"` (an unknown key).
    severity: &'static str,
    /// The JSON path (`cookie.lifetimeDays`), empty for the config as a whole.
    path: String,
    /// What the browser console says after the path.
    message: String,
    /// For an unknown key: the known key it is probably a typo of.
    did_you_mean: Option<String>,
    /// For an unknown key the schema lists but this version does not read yet.
    not_yet_supported: bool,
    /// The whole line, exactly as `consent-gate check` prints it.
    line: String,
}

/// Everything the checker found in one config.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Report {
    /// Whether the text is JSON at all (if not, the module fails closed).
    json: bool,
    /// How many problems are errors.
    errors: usize,
    /// How many problems are warnings.
    warnings: usize,
    /// Every problem, in the order the module reports them.
    problems: Vec<Diagnostic>,
}

impl Report {
    fn new(outcome: Outcome) -> Report {
        let problems: Vec<Diagnostic> = match outcome {
            Outcome::NotJson => {
                return Report {
                    json: false,
                    errors: 1,
                    warnings: 0,
                    problems: alloc::vec![Diagnostic {
                        severity: "error",
                        path: String::new(),
                        message: NOT_JSON.trim_start_matches("error: ").into(),
                        did_you_mean: None,
                        not_yet_supported: false,
                        line: NOT_JSON.into(),
                    }],
                };
            }
            Outcome::Checked(problems) => problems.iter().map(diagnostic).collect(),
        };
        let errors = problems.iter().filter(|p| p.severity == "error").count();
        Report {
            json: true,
            errors,
            warnings: problems.len() - errors,
            problems,
        }
    }

    fn into_js(self) -> Result<JsValue, JsValue> {
        // JSON-compatible: `None` becomes `null` and the objects plain objects.
        self.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
            .map_err(JsValue::from)
    }
}

fn diagnostic(p: &Problem) -> Diagnostic {
    let d = &p.diagnostic;
    Diagnostic {
        severity: match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        },
        path: d.path.clone(),
        message: d.message.clone(),
        did_you_mean: match &p.hint {
            Some(Hint::DidYouMean(key)) => Some(key.clone()),
            _ => None,
        },
        not_yet_supported: p.hint == Some(Hint::NotYetSupported),
        line: p.line(),
    }
}

/// Checks a config given as JSON text, as `consent-gate check` reads a file.
#[wasm_bindgen(js_name = checkText)]
pub fn check_text(text: &str) -> Result<JsValue, JsValue> {
    Report::new(check_json(text)).into_js()
}

/// Checks a config given as a JavaScript value (what `window.ConsentGateConfig`
/// holds), read as the loader reads it: through `JSON.stringify`, so members
/// that are `undefined` or functions are left out, and `undefined` itself is
/// the empty config. A value `JSON.stringify` refuses (a BigInt, a cycle) is a
/// `TypeError` naming the argument.
#[wasm_bindgen]
pub fn check(config: JsValue) -> Result<JsValue, JsValue> {
    if config.is_undefined() {
        return check_text("{}");
    }
    let text = js_sys::JSON::stringify(&config).map_err(|e| {
        let mut message = String::from("check: `config` cannot be written as JSON");
        if let Some(reason) = js_sys::Error::from(e).message().as_string() {
            message.push_str(" (");
            message.push_str(&reason);
            message.push(')');
        }
        JsValue::from(js_sys::TypeError::new(&message))
    })?;
    match text.as_string() {
        Some(text) => check_text(&text),
        // A function or a symbol: no JSON at all, so the module would not start.
        None => Report::new(Outcome::NotJson).into_js(),
    }
}

/// The languages with built-in texts (English and every `lang/<tag>.json`).
#[wasm_bindgen]
pub fn languages() -> Result<JsValue, JsValue> {
    serde_wasm_bindgen::to_value(&BUILT_IN[..]).map_err(JsValue::from)
}

/// One consent category as a config may name it.
#[derive(Serialize)]
struct CategoryNames {
    /// The canonical id (`performance`).
    id: &'static str,
    /// The other names the config accepts for it (`analytics`, `statistics`).
    aliases: &'static [&'static str],
}

/// The four categories with their aliases, in display order.
#[wasm_bindgen]
pub fn categories() -> Result<JsValue, JsValue> {
    let all: Vec<CategoryNames> = Category::ALL
        .iter()
        .map(|c| CategoryNames {
            id: c.as_str(),
            aliases: c.aliases(),
        })
        .collect();
    all.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(JsValue::from)
}
