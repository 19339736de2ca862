//! The consent-log receiver against a real PostgreSQL server: a throwaway
//! cluster in a temp dir (as `nobody` when the tests run as root), one
//! database per scenario, removed afterwards.

mod log_support;

use log_support::*;

#[test]
fn postgres() {
    let Some(pg) = Postgres::start(false) else {
        return;
    };
    suite::round_trip(&pg.database("round_trip"));
    suite::auth(&pg.database("auth"));
    suite::tamper(&pg.database("tamper"));
    suite::retention(&pg.database("retention"));
    suite::crash(&pg.database("crash"));
    suite::graceful(&pg.database("graceful"));
}

#[test]
fn two_receivers_one_chain() {
    // Several stateless receivers behind a load balancer share one PostgreSQL
    // database: their concurrent writes still form one unbroken chain.
    let Some(pg) = Postgres::start(false) else {
        return;
    };
    let db = pg.database("shared");
    let a = Server::start(&db, &["--rate-limit", "0"]);
    let b = Server::start(&db, &["--rate-limit", "0"]);
    let threads: Vec<_> = [(a.addr, 0u64), (b.addr, 1), (a.addr, 2), (b.addr, 3)]
        .into_iter()
        .map(|(addr, t)| {
            std::thread::spawn(move || {
                let mut c = Conn::open(addr).unwrap();
                for i in 0..100 {
                    assert_eq!(c.post(&Decision::nth(t * 1000 + i).body()).unwrap(), 204);
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    assert!(a.stop() && b.stop());
    assert_eq!(count_rows(&db), 400);
    let (code, out) = verify(&db);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("ok: 400 rows"), "{out}");
}

#[test]
fn database_down_means_503_never_204() {
    let Some(pg) = Postgres::start(false) else {
        return;
    };
    let db = pg.database("down");
    let server = Server::start(&db, &["--rate-limit", "0"]);
    assert_eq!(server.post(&Decision::nth(1).body()).status, 204);
    pg.stop();
    let r = server.post(&Decision::nth(2).body());
    assert_eq!(r.status, 503, "no 204 without a commit: {}", r.text());
    assert_eq!(server.req("GET", "/healthz", &[], b"").status, 503);
    pg.restart();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while server.req("GET", "/healthz", &[], b"").status != 200
        && std::time::Instant::now() < deadline
    {
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert_eq!(
        server.post(&Decision::nth(3).body()).status,
        204,
        "back once the database is"
    );
    assert!(server.stop());
    assert_eq!(count_rows(&db), 2);
    let (code, out) = verify(&db);
    assert_eq!(code, 0, "{out}");
}
