//! The consent-log receiver against SQLite: the built binary, over HTTP.

mod log_support;

use log_support::*;

#[test]
fn round_trip() {
    let dir = TempDir::new("sqlite-rt");
    suite::round_trip(&dir.sqlite("log.db"));
}

#[test]
fn auth() {
    let dir = TempDir::new("sqlite-auth");
    suite::auth(&dir.sqlite("log.db"));
}

#[test]
fn tamper() {
    let dir = TempDir::new("sqlite-tamper");
    suite::tamper(&dir.sqlite("log.db"));
}

#[test]
fn retention() {
    let dir = TempDir::new("sqlite-retain");
    suite::retention(&dir.sqlite("log.db"));
}

#[test]
fn wal_and_default_path() {
    let dir = TempDir::new("sqlite-wal");
    let db = dir.sqlite("log.db");
    let server = Server::start(&db, &["--path", "/cg/log"]);
    let r = server.req("POST", "/cg/log", &[], README_BODY.as_bytes());
    assert_eq!(r.status, 204, "{}", r.text());
    assert_eq!(
        server.post(README_BODY).status,
        404,
        "only the configured path takes posts"
    );
    assert!(
        dir.0.join("log.db-wal").exists(),
        "the database is in WAL mode"
    );
    assert!(server.stop());
    assert_eq!(count_rows(&db), 1);
}

#[test]
fn rate_limit() {
    let dir = TempDir::new("sqlite-rate");
    let db = dir.sqlite("log.db");
    let server = Server::start(&db, &["--rate-limit", "6", "--rate-burst", "3"]);
    for n in 0..3 {
        assert_eq!(server.post(&Decision::nth(n).body()).status, 204);
    }
    let r = server.post(&Decision::nth(3).body());
    assert_eq!(r.status, 429, "{}", r.text());
    let wait: u64 = r
        .header("retry-after")
        .and_then(|v| v.parse().ok())
        .expect("Retry-After");
    assert!((1..=10).contains(&wait), "{wait}");
    assert_eq!(
        server.get_auth("/export.csv").status,
        429,
        "reads count too"
    );
    assert_eq!(
        server.req("GET", "/healthz", &[], b"").status,
        200,
        "the health check is never limited"
    );
    assert_eq!(count_rows(&db), 3);
}

#[test]
fn hashed_addresses() {
    let dir = TempDir::new("sqlite-ip");
    let db = dir.sqlite("log.db");
    let salt = "a-long-operator-salt-0123456789";
    let server = Server::start_env(
        &db,
        &["--ip", "hash"],
        &[
            ("CONSENT_GATE_LOG_TOKEN", TOKEN),
            ("CONSENT_GATE_IP_SALT", salt),
        ],
    );
    assert_eq!(server.post(README_BODY).status, 204);
    let r = server.get_auth("/consents/9f86d081884c7d659a2feaa0c55ad015");
    let v: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
    let ip = v[0]["ip"].as_str().unwrap().to_string();
    assert!(
        ip.starts_with("hmac:") && ip.len() == 37 && !ip.contains("127"),
        "{ip}"
    );
    drop(server);
    // Without the salt the server refuses to start rather than keep whole addresses.
    let out = std::process::Command::new(BIN)
        .args([
            "log-server",
            "--listen",
            "127.0.0.1:0",
            "--database",
            &db,
            "--ip",
            "hash",
        ])
        .env_remove("CONSENT_GATE_IP_SALT")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("CONSENT_GATE_IP_SALT"));
}

#[test]
fn chunked_bodies_and_file_mode() {
    use std::os::unix::fs::PermissionsExt;
    let dir = TempDir::new("sqlite-chunked");
    let db = dir.sqlite("log.db");
    let server = Server::start(&db, &["--rate-limit", "0"]);
    // Transfer-Encoding: chunked, no Content-Length: the limit holds all the same.
    let chunked = |body: &[u8]| {
        let mut raw = Vec::new();
        for part in body.chunks(1000) {
            raw.extend_from_slice(format!("{:x}\r\n", part.len()).as_bytes());
            raw.extend_from_slice(part);
            raw.extend_from_slice(b"\r\n");
        }
        raw.extend_from_slice(b"0\r\n\r\n");
        let mut s = std::net::TcpStream::connect(server.addr).unwrap();
        use std::io::{Read, Write};
        let head = "POST /consent-log HTTP/1.1\r\nHost: x\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n";
        let _ = s.write_all(head.as_bytes());
        let _ = s.write_all(&raw);
        let mut out = Vec::new();
        let _ = s.read_to_end(&mut out);
        parse_response(&out).status
    };
    assert_eq!(chunked(README_BODY.as_bytes()), 204);
    let big = format!("{README_BODY}{}", " ".repeat(20_000));
    assert_eq!(chunked(big.as_bytes()), 413);
    assert_eq!(count_rows(&db), 1);
    let mode = std::fs::metadata(dir.0.join("log.db"))
        .unwrap()
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o600, "the log is personal data: owner only");
    assert!(server.stop());
    let (code, out) = verify(&db);
    assert_eq!(code, 0);
    assert!(out.contains("head: seq 1 hash "), "{out}");
    let (code, out) = verify(&dir.sqlite("typo.db"));
    assert_eq!(
        code, 2,
        "a missing file is an error, not an empty intact log: {out}"
    );
    assert!(!dir.0.join("typo.db").exists());
}

#[test]
fn behind_a_proxy() {
    let dir = TempDir::new("sqlite-proxy");
    let db = dir.sqlite("log.db");
    // Without --trust-proxy the header is ignored: the peer is what is kept.
    let server = Server::start(&db, &["--rate-limit", "0"]);
    let xff = [("X-Forwarded-For", "198.51.100.23")];
    assert_eq!(
        server
            .req(
                "POST",
                "/consent-log",
                &xff,
                Decision::nth(1).body().as_bytes()
            )
            .status,
        204
    );
    drop(server);
    let server = Server::start(&db, &["--rate-limit", "0", "--trust-proxy"]);
    // The proxy appends the address it saw: the last entry counts, not what the client claimed.
    let xff = [("X-Forwarded-For", "10.9.9.9, 2001:db8:abcd:12::7")];
    assert_eq!(
        server
            .req(
                "POST",
                "/consent-log",
                &xff,
                Decision::nth(2).body().as_bytes()
            )
            .status,
        204
    );
    let csv = server.get_auth("/export.csv").text();
    let ips: Vec<&str> = csv
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').nth(17))
        .collect();
    assert_eq!(ips, ["127.0.0.0/24", "2001:db8:abcd::/48"]);
}
