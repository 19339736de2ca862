//! Crash safety of the receiver on SQLite: SIGKILL under load, then SIGTERM
//! under load (graceful shutdown). PostgreSQL runs the same in tests/log_pg.rs.

mod log_support;

use log_support::*;

#[test]
fn sigkill_under_load_loses_no_answered_decision() {
    let dir = TempDir::new("crash");
    suite::crash(&dir.sqlite("log.db"));
}

#[test]
fn sigterm_finishes_in_flight_writes() {
    let dir = TempDir::new("graceful");
    suite::graceful(&dir.sqlite("log.db"));
}
