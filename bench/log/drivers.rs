//! The storage layer alone: the receiver's one code path (sqlx `Any`) against
//! the same transactions written for each native sqlx driver, to measure
//! what `Any` costs. Same SQL, same pragmas, same batches, fresh databases.

use std::time::Instant;

use consent_gate::native::log::body;
use consent_gate::native::log::chain::Row;
use consent_gate::native::log::store::{insert_sql, Backend, Store};
use sqlx::Row as _;

use crate::log_support::Decision;

fn batch(n: usize, from: u64) -> Vec<Row> {
    (0..n as u64)
        .map(|i| {
            let e = body::parse(Decision::nth(from + i).body().as_bytes()).expect("valid body");
            Row::new(&e, 1_795_371_602_000, "127.0.0.0/24".into())
        })
        .collect()
}

macro_rules! link_after_head {
    ($tx:expr, $rows:expr) => {{
        let head = sqlx::query("SELECT seq, hash FROM consent_log ORDER BY seq DESC LIMIT 1")
            .fetch_optional(&mut *$tx)
            .await
            .expect("head");
        let (mut seq, mut hash): (i64, String) = match head {
            Some(r) => (r.get("seq"), r.get("hash")),
            None => (0, consent_gate::native::log::chain::GENESIS.to_string()),
        };
        for r in $rows.iter_mut() {
            r.link(seq, &hash);
            seq = r.seq;
            hash.clone_from(&r.hash);
        }
    }};
}

/// Rows per second through `Store` (Any) and through the native driver, for
/// `batches` transactions of `size` rows each.
pub async fn compare(any_url: &str, native_url: &str, batches: usize, size: usize) -> (f64, f64) {
    let store = Store::open(any_url).await.expect("open Any store");
    let t = Instant::now();
    for b in 0..batches {
        let mut rows = batch(size, (b * size) as u64);
        store.append(&mut rows).await.expect("append");
    }
    let any = (batches * size) as f64 / t.elapsed().as_secs_f64();
    store.close().await;

    let native = if native_url.starts_with("sqlite:") {
        use sqlx::sqlite::{
            SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous,
        };
        use std::str::FromStr;
        let opts = SqliteConnectOptions::from_str(native_url)
            .expect("url")
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .pragma("wal_autocheckpoint", "0");
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(opts)
            .await
            .expect("connect");
        sqlx::migrate!("./migrations")
            .run(&pool)
            .await
            .expect("migrate");
        let t = Instant::now();
        for b in 0..batches {
            let mut rows = batch(size, (b * size) as u64);
            let mut tx = pool.begin_with("BEGIN IMMEDIATE").await.expect("begin");
            link_after_head!(tx, rows);
            let sql = insert_sql(Backend::Sqlite, rows.len());
            consent_gate::bind_rows!(sqlx::query(&sql), rows)
                .execute(&mut *tx)
                .await
                .expect("insert");
            tx.commit().await.expect("commit");
        }
        let r = (batches * size) as f64 / t.elapsed().as_secs_f64();
        pool.close().await;
        r
    } else {
        let pool = sqlx::postgres::PgPoolOptions::new()
            .max_connections(8)
            .connect(native_url)
            .await
            .expect("connect");
        sqlx::migrate!("./migrations")
            .run(&pool)
            .await
            .expect("migrate");
        let t = Instant::now();
        for b in 0..batches {
            let mut rows = batch(size, (b * size) as u64);
            let mut tx = pool.begin().await.expect("begin");
            sqlx::query("LOCK TABLE consent_log IN SHARE ROW EXCLUSIVE MODE")
                .execute(&mut *tx)
                .await
                .expect("lock");
            link_after_head!(tx, rows);
            let sql = insert_sql(Backend::Postgres, rows.len());
            consent_gate::bind_rows!(sqlx::query(&sql), rows)
                .execute(&mut *tx)
                .await
                .expect("insert");
            tx.commit().await.expect("commit");
        }
        let r = (batches * size) as f64 / t.elapsed().as_secs_f64();
        pool.close().await;
        r
    };
    (any, native)
}
