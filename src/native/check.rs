//! `consent-gate check FILE.json`: the command line over [`crate::check`]
//! (the checker itself is shared with the configurator's developer-tool
//! module, so both print the same words).

use std::io::Read;
use std::process::ExitCode;

pub use crate::check::{check_text, check_value, Hint, Outcome, Problem, NOT_JSON, SCHEMA};

/// `consent-gate check FILE.json` (`-` reads standard input): prints the
/// problems on standard output and a summary on standard error; returns the
/// exit status.
pub fn main(args: &[String]) -> ExitCode {
    let [file] = args else {
        eprintln!("usage: consent-gate check FILE.json   (- reads standard input)");
        return ExitCode::from(2);
    };
    let mut bytes = Vec::new();
    let read = if file == "-" {
        std::io::stdin().read_to_end(&mut bytes).map(|_| ())
    } else {
        std::fs::read(file).map(|b| bytes = b)
    };
    if let Err(e) = read {
        eprintln!("consent-gate check: cannot read {file}: {e}");
        return ExitCode::from(2);
    }
    let Ok(text) = String::from_utf8(bytes) else {
        eprintln!("consent-gate check: {file} is not UTF-8 text");
        return ExitCode::from(2);
    };
    let problems = match check_text(&text) {
        Outcome::NotJson => {
            println!("{NOT_JSON}");
            eprintln!("{file}: not JSON; the module would not start");
            return ExitCode::from(2);
        }
        Outcome::Checked(p) => p,
    };
    for p in &problems {
        println!("{}", p.line());
    }
    let errors = problems.iter().filter(|p| p.is_error()).count();
    let warnings = problems.len() - errors;
    eprintln!(
        "{file}: {errors} error{}, {warnings} warning{}",
        if errors == 1 { "" } else { "s" },
        if warnings == 1 { "" } else { "s" }
    );
    ExitCode::from(u8::from(errors > 0))
}
