//! Native tools for site owners, built on the same [`crate::model`] as the
//! visitor's module (one copy of every rule). Host only: nothing here, and no
//! dependency of it, can reach the `.wasm` a visitor downloads.
//!
//! * [`check`]: the config checker (`consent-gate check FILE.json`).
//! * [`cookie`]: reading the consent cookie on a server ([`cookie::read_consent`]).
//! * `log`: the consent-log receiver (`consent-gate log-server`, `log-verify`).

pub mod check;
pub mod cookie;
pub mod log;
