//! `make bench-log`: sustained decisions per second and latency of
//! `consent-gate log-server` at 64 concurrent clients, SQLite and PostgreSQL,
//! printed as a Markdown table. Loopback only; bounded in time (each backend:
//! a warm-up, then a fixed measuring window) and in rows.
//!
//! Environment: `LOG_BENCH_SECS` (measuring window, default 10),
//! `LOG_BENCH_CLIENTS` (default 64), `LOG_BENCH_ONLY` (`sqlite` or `postgres`).

mod drivers;
#[path = "../../tests/log_support/mod.rs"]
mod log_support;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use log_support::*;

struct Figures {
    backend: String,
    server_cpu_us: f64,
    client_cpu_us: f64,
    decisions: usize,
    per_sec: f64,
    p50: f64,
    p99: f64,
    max: f64,
    errors: usize,
    rows: i64,
    verified: bool,
}

/// utime + stime of process `pid` (`self` for this one), in microseconds.
fn cpu_us(pid: &str) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command name (which may hold spaces) start at ") ".
    let rest = stat.rsplit_once(") ").map_or("", |(_, r)| r);
    let f: Vec<f64> = rest.split(' ').filter_map(|x| x.parse().ok()).collect();
    // utime and stime are fields 14 and 15 of the whole line: 11 and 12 after the state.
    let ticks = f.get(10).copied().unwrap_or(0.0) + f.get(11).copied().unwrap_or(0.0);
    ticks * 10_000.0 // USER_HZ = 100
}

fn env_num(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn run(backend: &str, db: &str, clients: u64, secs: u64) -> Figures {
    let server = Server::start(db, &["--rate-limit", "0"]);
    let addr = server.addr;
    let warm = Arc::new(AtomicBool::new(true));
    let done = Arc::new(AtomicBool::new(false));
    let threads: Vec<_> = (0..clients)
        .map(|t| {
            let (warm, done) = (warm.clone(), done.clone());
            std::thread::spawn(move || {
                let mut c = Conn::open(addr).expect("connect");
                let mut lat = Vec::with_capacity(64 * 1024);
                let mut errors = 0usize;
                let mut i = 0u64;
                while !done.load(Ordering::Relaxed) {
                    let body = Decision::nth(t * 100_000_000 + i).body();
                    i += 1;
                    let t0 = Instant::now();
                    let ok = matches!(c.post(&body), Ok(204));
                    let us = t0.elapsed().as_micros() as u32;
                    if warm.load(Ordering::Relaxed) {
                        continue;
                    }
                    if ok {
                        lat.push(us);
                    } else {
                        errors += 1;
                        c = Conn::open(addr).expect("reconnect");
                    }
                }
                (lat, errors)
            })
        })
        .collect();
    let server_pid = server.child.id().to_string();
    std::thread::sleep(Duration::from_secs(2));
    warm.store(false, Ordering::Relaxed);
    let (server0, client0) = (cpu_us(&server_pid), cpu_us("self"));
    let t0 = Instant::now();
    std::thread::sleep(Duration::from_secs(secs));
    done.store(true, Ordering::Relaxed);
    let (server1, client1) = (cpu_us(&server_pid), cpu_us("self"));
    let elapsed = t0.elapsed().as_secs_f64();
    let mut lat = Vec::new();
    let mut errors = 0;
    for t in threads {
        let (l, e) = t.join().expect("client thread");
        lat.extend(l);
        errors += e;
    }
    assert!(server.stop(), "graceful stop");
    lat.sort_unstable();
    let pct = |p: f64| {
        lat.get(((lat.len() as f64 * p) as usize).min(lat.len().saturating_sub(1)))
            .map_or(0.0, |&u| f64::from(u) / 1000.0)
    };
    let (code, _) = verify(db);
    let n = lat.len().max(1) as f64;
    Figures {
        backend: backend.into(),
        server_cpu_us: (server1 - server0) / n,
        client_cpu_us: (client1 - client0) / n,
        decisions: lat.len(),
        per_sec: lat.len() as f64 / elapsed,
        p50: pct(0.50),
        p99: pct(0.99),
        max: pct(1.0),
        errors,
        rows: count_rows(db),
        verified: code == 0,
    }
}

/// The 1-minute load average: other work on the machine skews every figure.
fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split(' ').next().map(str::to_string))
        .unwrap_or_default()
}

fn main() {
    let load_before = load();
    let clients = env_num("LOG_BENCH_CLIENTS", 64);
    let secs = env_num("LOG_BENCH_SECS", 10).clamp(1, 120);
    let only = std::env::var("LOG_BENCH_ONLY").unwrap_or_default();
    let mut rows = Vec::new();
    let mut layer = Vec::new();
    let (batches, size) = (200, 64);
    if only.is_empty() || only == "sqlite" {
        let dir = TempDir::new("bench-sqlite");
        eprintln!("SQLite: {clients} clients, 2 s warm-up, {secs} s measured …");
        rows.push(run(
            "SQLite (WAL, synchronous=FULL)",
            &dir.sqlite("log.db"),
            clients,
            secs,
        ));
        eprintln!("SQLite: storage layer, Any against native …");
        let (any, native) = block_on(drivers::compare(
            &dir.sqlite("any.db"),
            &dir.sqlite("native.db"),
            batches,
            size,
        ));
        layer.push(("SQLite", any, native));
    }
    if only.is_empty() || only == "postgres" {
        match Postgres::start(true) {
            Some(pg) => {
                let db = pg.database("bench");
                eprintln!("PostgreSQL: {clients} clients, 2 s warm-up, {secs} s measured …");
                rows.push(run("PostgreSQL (fsync on)", &db, clients, secs));
                eprintln!("PostgreSQL: storage layer, Any against native …");
                let (any, native) = block_on(drivers::compare(
                    &pg.database("any"),
                    &pg.database("native"),
                    batches,
                    size,
                ));
                layer.push(("PostgreSQL", any, native));
            }
            None => eprintln!("PostgreSQL skipped: no binaries"),
        }
    }
    println!();
    println!("| backend | clients | decisions/s | p50 ms | p99 ms | max ms | server CPU µs/decision | client CPU µs/decision | answered | errors | rows | chain |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
    for f in &rows {
        println!(
            "| {} | {clients} | {:.0} | {:.2} | {:.2} | {:.2} | {:.0} | {:.0} | {} | {} | {} | {} |",
            f.backend,
            f.per_sec,
            f.p50,
            f.p99,
            f.max,
            f.server_cpu_us,
            f.client_cpu_us,
            f.decisions,
            f.errors,
            f.rows,
            if f.verified { "verified" } else { "BROKEN" }
        );
    }
    println!();
    println!("Storage layer alone, {batches} transactions of {size} rows (one writer, as the receiver's group commit):");
    println!();
    println!(
        "| backend | sqlx Any (the receiver) rows/s | native sqlx driver rows/s | Any / native |"
    );
    println!("|---|---:|---:|---:|");
    for (b, any, native) in &layer {
        println!("| {b} | {any:.0} | {native:.0} | {:.2} |", any / native);
    }
    println!();
    println!(
        "Loopback, clients and server on the same machine ({} cores; 1-minute load average {load_before} before, {} after); goal: ≥ 5,000/s and p99 < 20 ms with SQLite.",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        load()
    );
}
