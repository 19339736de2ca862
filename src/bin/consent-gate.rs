//! `consent-gate`: the command-line tools of Consent Gate.
//!
//! ```text
//! consent-gate check FILE.json      check a config; exit 1 on any error
//! consent-gate log-server [FLAGS]   receive and keep the consent log
//! consent-gate log-verify [FLAGS]   verify the consent log's hash chain
//! ```

use std::process::ExitCode;

fn usage() -> ExitCode {
    eprintln!("usage: consent-gate <check FILE.json | log-server [flags] | log-verify [flags]>");
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(command) = args.next() else {
        return usage();
    };
    let rest: Vec<String> = args.collect();
    match command.as_str() {
        // Each subcommand's arm is added by the tool that owns it (src/native/).
        "check" => consent_gate::native::check::main(&rest),
        "log-server" => consent_gate::native::log::server_main(&rest),
        "log-verify" => consent_gate::native::log::verify_main(&rest),
        _ => {
            let _ = rest;
            usage()
        }
    }
}
