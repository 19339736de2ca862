//! The receiver's behaviour, run against SQLite (tests/log_sqlite.rs) and
//! PostgreSQL (tests/log_pg.rs) alike.

use super::*;

fn json(r: &Resp) -> serde_json::Value {
    serde_json::from_slice(&r.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", r.text()))
}

/// Posts, reads back, refuses, exports, stops gracefully and verifies.
pub fn round_trip(db: &str) {
    let server = Server::start(
        db,
        &[
            "--allow-origin",
            "https://shop.example.com",
            "--rate-limit",
            "0",
        ],
    );
    let h = server.req("GET", "/healthz", &[], b"");
    assert_eq!((h.status, h.text().trim()), (200, "ok"));

    // The README's body, verbatim, as sendBeacon sends it (text/plain).
    let r = server.post(README_BODY);
    assert_eq!(r.status, 204, "{}", r.text());
    // A later decision of the same visitor, as JSON, in an opt-out region.
    let mut d = Decision::readme();
    d.updated += 3600;
    d.revision = 3;
    d.categories = [true, false, true, false];
    d.services = vec![("youtube".into(), true), ("google-analytics".into(), false)];
    d.gpc = true;
    d.mode = Some("opt-out");
    let r = server.req(
        "POST",
        "/consent-log",
        &[("Content-Type", "application/json")],
        d.body().as_bytes(),
    );
    assert_eq!(r.status, 204, "{}", r.text());
    // Another visitor, with no content type at all, from an allowed origin.
    let other = Decision::nth(7);
    let r = server.req(
        "POST",
        "/consent-log",
        &[("Origin", "https://shop.example.com")],
        other.body().as_bytes(),
    );
    assert_eq!(r.status, 204, "{}", r.text());
    assert_eq!(
        r.header("access-control-allow-origin"),
        Some("https://shop.example.com")
    );
    assert_eq!(count_rows(db), 3);

    // Refused: nothing stored.
    let bad = README_BODY.replace("\"essential\": true", "\"essential\": false");
    let r = server.post(&bad);
    assert_eq!(r.status, 400, "{}", r.text());
    assert!(
        r.text().contains("essential"),
        "the 400 says why: {}",
        r.text()
    );
    let r = server.post(&format!("{}{}", README_BODY, " ".repeat(9000)));
    assert_eq!(r.status, 413);
    let r = server.req(
        "POST",
        "/consent-log",
        &[("Origin", "https://evil.example.net")],
        README_BODY.as_bytes(),
    );
    assert_eq!(r.status, 403, "an origin not listed");
    assert_eq!(count_rows(db), 3, "refused bodies store nothing");

    // CORS preflight for fetch(keepalive) with a JSON content type.
    let r = server.req(
        "OPTIONS",
        "/consent-log",
        &[
            ("Origin", "https://shop.example.com"),
            ("Access-Control-Request-Method", "POST"),
            ("Access-Control-Request-Headers", "content-type"),
        ],
        b"",
    );
    assert!(r.status == 200 || r.status == 204, "preflight {}", r.status);
    assert_eq!(
        r.header("access-control-allow-origin"),
        Some("https://shop.example.com")
    );
    assert!(r
        .header("access-control-allow-methods")
        .unwrap_or("")
        .contains("POST"));

    // Every version of one consent id, in order, with the right content.
    let r = server.get_auth("/consents/9f86d081884c7d659a2feaa0c55ad015");
    assert_eq!(r.status, 200, "{}", r.text());
    let v = json(&r);
    let list = v.as_array().expect("an array");
    assert_eq!(list.len(), 2);
    let readme: serde_json::Value = serde_json::from_str(README_BODY).unwrap();
    assert_eq!(
        list[0]["record"], readme["record"],
        "the record as the banner sent it"
    );
    assert_eq!(list[0]["url"], readme["url"]);
    assert_eq!(list[0]["userAgent"], readme["userAgent"]);
    assert_eq!(list[0]["configRevision"], 2);
    assert_eq!(
        list[0]["ip"], "127.0.0.0/24",
        "the address truncated, never whole"
    );
    assert_eq!(list[1]["record"]["revision"], 3);
    assert_eq!(list[1]["record"]["mode"], "opt-out");
    assert_eq!(list[1]["record"]["gpc"], true);
    assert_eq!(list[1]["record"]["categories"]["functional"], true);
    assert_eq!(list[1]["record"]["services"]["youtube"], true);
    assert_eq!(list[1]["record"]["services"]["google-analytics"], false);
    assert_eq!(list[1]["prevHash"], list[0]["hash"], "chained");
    assert!(list[0]["seq"].as_i64() < list[1]["seq"].as_i64());
    let r = server.get_auth(&format!("/consents/{}", "0".repeat(32)));
    assert_eq!(r.status, 404);
    let r = server.get_auth("/consents/not-an-id");
    assert_eq!(r.status, 400);

    // CSV export by date range, streamed.
    let r = server.get_auth("/export.csv?from=2000-01-01&to=2999-01-01");
    assert_eq!(r.status, 200);
    assert!(r
        .header("content-type")
        .unwrap_or("")
        .starts_with("text/csv"));
    let csv = r.text();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 4, "{csv}");
    assert!(lines[0].starts_with("seq,received_at,consent_id,"));
    assert!(
        lines[1].contains(",9f86d081884c7d659a2feaa0c55ad015,2,2026-11-22T18:20:02.000Z,"),
        "{}",
        lines[1]
    );
    assert!(
        lines[2].contains(",google-analytics:0~youtube:1,true,opt-out,3,"),
        "{}",
        lines[2]
    );
    assert!(lines[3].contains(&other.id));
    let r = server.get_auth("/export.csv?from=2999-01-01");
    assert_eq!(
        r.text().lines().count(),
        1,
        "only the header for an empty range"
    );
    let r = server.get_auth("/export.csv?from=yesterday");
    assert_eq!(r.status, 400);

    assert!(server.stop(), "a graceful stop exits 0");
    let (code, out) = verify(db);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("ok: 3 rows"), "{out}");
}

/// Reads without the token, with a wrong one, or when the server has none: 401.
pub fn auth(db: &str) {
    let server = Server::start(db, &[]);
    assert_eq!(server.post(README_BODY).status, 204);
    for path in ["/consents/9f86d081884c7d659a2feaa0c55ad015", "/export.csv"] {
        assert_eq!(
            server.req("GET", path, &[], b"").status,
            401,
            "{path} without a token"
        );
        for wrong in [
            "Bearer wrong",
            "Bearer ",
            "bearer test-token-0123456789",
            "Basic dGVzdA==",
            &format!("Bearer {TOKEN}x"),
        ] {
            let r = server.req("GET", path, &[("Authorization", wrong)], b"");
            assert_eq!(r.status, 401, "{path} with {wrong:?}");
            assert_eq!(r.header("www-authenticate"), Some("Bearer"));
        }
        assert_eq!(server.get_auth(path).status, 200, "{path} with the token");
    }
    drop(server);
    // No CONSENT_GATE_LOG_TOKEN: reads are refused whatever is sent; posts still work.
    let server = Server::start_env(db, &[], &[]);
    assert_eq!(server.get_auth("/export.csv").status, 401);
    assert_eq!(
        server
            .req(
                "GET",
                "/consents/9f86d081884c7d659a2feaa0c55ad015",
                &[("Authorization", "Bearer ")],
                b""
            )
            .status,
        401
    );
    assert_eq!(server.post(README_BODY).status, 204);
}

/// A row changed behind the receiver's back: log-verify names it.
pub fn tamper(db: &str) {
    let server = Server::start(db, &["--rate-limit", "0"]);
    for n in 0..6 {
        assert_eq!(server.post(&Decision::nth(n).body()).status, 204);
    }
    assert!(server.stop());
    assert_eq!(verify(db).0, 0);
    exec(
        db,
        "UPDATE consent_log SET categories = '1111' WHERE seq = 4",
    );
    let (code, out) = verify(db);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("broken at seq 4"), "{out}");
    exec(
        db,
        "UPDATE consent_log SET categories = '1100' WHERE seq = 4",
    );
    exec(db, "DELETE FROM consent_log WHERE seq = 2");
    let (code, out) = verify(db);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("broken at seq 3"), "{out}");
}

/// `--retain-days`: old rows go, the chain still verifies and grows on.
pub fn retention(db: &str) {
    use consent_gate::native::log::{body, chain::Row, store::Store};
    let now = consent_gate::native::log::writer::now_ms();
    block_on(async {
        let store = Store::open(db).await.unwrap();
        let mut rows: Vec<Row> = (0..5u64)
            .map(|n| {
                let e = body::parse(Decision::nth(n).body().as_bytes()).unwrap();
                let age_days = if n < 3 { 40 } else { 1 };
                Row::new(&e, now - age_days * 86_400_000, "192.0.2.0/24".into())
            })
            .collect();
        store.append(&mut rows).await.unwrap();
        store.close().await;
    });
    let server = Server::start(db, &["--retain-days", "30"]);
    let deadline = Instant::now() + Duration::from_secs(20);
    while count_rows(db) != 2 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(
        count_rows(db),
        2,
        "the three rows older than 30 days are purged at start"
    );
    assert_eq!(server.post(README_BODY).status, 204);
    assert!(server.stop());
    let (code, out) = verify(db);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("ok: 3 rows"), "{out}");
    // Removing the first kept row is still caught.
    exec(db, "DELETE FROM consent_log WHERE seq = 4");
    let (code, out) = verify(db);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("broken at seq 5"), "{out}");
}

/// Posts unique decisions from `clients` kept-alive connections until the
/// server goes away; returns the ids that got a 204.
fn load_until_gone(
    addr: SocketAddr,
    clients: u64,
    stop_after: Duration,
    stop: impl FnOnce(),
) -> Vec<String> {
    let acked = Arc::new(Mutex::new(Vec::new()));
    let threads: Vec<_> = (0..clients)
        .map(|t| {
            let acked = acked.clone();
            std::thread::spawn(move || {
                let Ok(mut c) = Conn::open(addr) else { return };
                for i in 0.. {
                    let d = Decision::nth(t * 1_000_000 + i);
                    match c.post(&d.body()) {
                        Ok(204) => acked.lock().unwrap().push(d.id),
                        Ok(s) => panic!("unexpected status {s}"),
                        Err(_) => return,
                    }
                }
            })
        })
        .collect();
    std::thread::sleep(stop_after);
    stop();
    for t in threads {
        t.join().unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    acked
}

fn stored_ids(server: &Server) -> std::collections::HashSet<String> {
    let r = server.get_auth("/export.csv");
    assert_eq!(r.status, 200);
    r.text()
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').nth(2).map(str::to_string))
        .collect()
}

/// Under load, SIGKILL: after a restart every answered decision is there and
/// the chain verifies.
pub fn crash(db: &str) {
    let server = Server::start(db, &["--rate-limit", "0"]);
    let pid = server.child.id();
    let acked = load_until_gone(server.addr, 16, Duration::from_millis(1500), move || {
        let _ = Command::new("kill")
            .args(["-KILL", &pid.to_string()])
            .status();
    });
    server.kill();
    assert!(
        acked.len() > 100,
        "the load got going: {} answered",
        acked.len()
    );

    let server = Server::start(db, &["--rate-limit", "0"]);
    let stored = stored_ids(&server);
    let lost: Vec<&String> = acked.iter().filter(|id| !stored.contains(*id)).collect();
    assert!(
        lost.is_empty(),
        "{} of {} answered decisions lost, e.g. {:?}",
        lost.len(),
        acked.len(),
        lost.first()
    );
    assert!(stored.len() >= acked.len());
    assert_eq!(
        server.post(README_BODY).status,
        204,
        "the chain grows on after the crash"
    );
    assert!(server.stop());
    let (code, out) = verify(db);
    assert_eq!(code, 0, "{out}");
    println!(
        "crash: {} answered before SIGKILL, {} stored, chain intact",
        acked.len(),
        stored.len()
    );
}

/// SIGTERM under load: requests in flight finish, the process exits 0, and
/// every answered decision is stored.
pub fn graceful(db: &str) {
    let server = Server::start(db, &["--rate-limit", "0"]);
    let pid = server.child.id();
    let acked = load_until_gone(server.addr, 16, Duration::from_millis(800), move || {
        let _ = Command::new("kill")
            .args(["-TERM", &pid.to_string()])
            .status();
    });
    assert!(server.stop(), "exit status 0 after SIGTERM");
    assert!(acked.len() > 50, "{}", acked.len());
    let server = Server::start(db, &["--rate-limit", "0"]);
    let stored = stored_ids(&server);
    assert!(
        acked.iter().all(|id| stored.contains(id)),
        "every answered decision is stored"
    );
    assert_eq!(
        stored.len(),
        acked.len(),
        "and nothing was stored without its answer"
    );
    assert!(server.stop());
    assert_eq!(verify(db).0, 0);
}
