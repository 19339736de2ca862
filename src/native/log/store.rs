//! Storage: one code path for SQLite and PostgreSQL through sqlx's `Any`
//! driver. The SQL is portable (`$n` placeholders, `BIGINT`/`TEXT` columns);
//! the only backend-specific lines are how a write transaction takes the
//! chain's lock (`BEGIN IMMEDIATE` on SQLite, `LOCK TABLE` on PostgreSQL), the
//! SQLite pragmas (WAL, `synchronous=FULL`) and the bulk insert's placeholders
//! ([`insert_sql`]).
//!
//! Migrations in `migrations/` are embedded in the binary and run by
//! [`Store::open`].

use std::time::Duration;

use futures_util::TryStreamExt;
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, Executor, Row as _};

use super::chain::{Break, Row, Verifier, GENESIS};

/// Which database a URL names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// `sqlite:FILE` (created when missing).
    Sqlite,
    /// `postgres://…` or `postgresql://…`.
    Postgres,
}

impl Backend {
    /// The backend of `url`, or `None` for any other scheme.
    pub fn of(url: &str) -> Option<Backend> {
        if url.starts_with("sqlite:") {
            Some(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Some(Backend::Postgres)
        } else {
            None
        }
    }
}

/// Rows per `INSERT` statement (17 parameters each: 2,176, well under both databases' limits).
const INSERT_CHUNK: usize = 128;

const COLUMNS: &str =
    "seq, received_at, consent_id, revision, decided_at, updated_at, expires_at, \
    categories, services, gpc, mode, config_revision, url, user_agent, ip, prev_hash, hash";

/// The consent log's database.
#[derive(Clone, Debug)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
}

/// A storage error (the database's own message).
pub type Error = sqlx::Error;

impl Store {
    /// Connects to `url`, runs the migrations and returns the store.
    /// SQLite files are created when missing and switched to WAL with
    /// synchronous (fsync-on-commit) writes.
    pub async fn open(url: &str) -> Result<Store, Error> {
        Store::connect(url, true).await
    }

    /// As [`Store::open`], running the migrations only when `migrate` (the
    /// verifier does not: it must not turn an empty database into a log).
    pub async fn connect(url: &str, migrate: bool) -> Result<Store, Error> {
        sqlx::any::install_default_drivers();
        let backend = Backend::of(url).ok_or_else(|| {
            Error::Configuration("the database URL must start with sqlite: or postgres://".into())
        })?;
        let mut url = url.to_string();
        // A database that is down fails a write within seconds (the writer
        // retries a little), so visitors' requests get 503, not a long wait.
        let mut options = AnyPoolOptions::new().acquire_timeout(Duration::from_secs(2));
        match backend {
            Backend::Sqlite => {
                if !url.contains('?') {
                    url.push_str("?mode=rwc");
                }
                options = options.max_connections(4).after_connect(|conn, _| {
                    Box::pin(async move {
                        conn.execute("PRAGMA journal_mode = WAL").await?;
                        conn.execute("PRAGMA synchronous = FULL").await?;
                        conn.execute("PRAGMA busy_timeout = 10000").await?;
                        // Checkpoints run beside the writer (Store::checkpoint), not
                        // inside a commit, where they would stall every waiting request.
                        conn.execute("PRAGMA wal_autocheckpoint = 0").await?;
                        Ok(())
                    })
                });
            }
            Backend::Postgres => options = options.max_connections(8),
        }
        let pool = options.connect(&url).await?;
        if backend == Backend::Sqlite {
            restrict_sqlite_files(&url);
        }
        if migrate {
            sqlx::migrate!("./migrations").run(&pool).await?;
        }
        Ok(Store { pool, backend })
    }

    /// The backend in use.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Closes every connection (SQLite checkpoints its WAL).
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// SQLite: copies the WAL's committed pages into the database file
    /// (`wal_checkpoint(PASSIVE)`: never blocks the writer), so the WAL is
    /// reused instead of growing. The server calls it every half second;
    /// nothing to do on PostgreSQL.
    pub async fn checkpoint(&self) -> Result<(), Error> {
        if self.backend == Backend::Sqlite {
            sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
                .execute(&self.pool)
                .await?;
        }
        Ok(())
    }

    /// Whether the database answers.
    pub async fn ping(&self) -> Result<(), Error> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map(|_| ())
    }

    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>, Error> {
        match self.backend {
            // Take the write lock first, so no other writer can slip in between
            // reading the chain's head and appending after it.
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => {
                let mut tx = self.pool.begin().await?;
                // Blocks other writers (other receivers on the same database), not readers.
                tx.execute("LOCK TABLE consent_log IN SHARE ROW EXCLUSIVE MODE")
                    .await?;
                Ok(tx)
            }
        }
    }

    /// Appends `rows` in one transaction after the chain's current head,
    /// filling in their `seq` and hashes, and returns once the commit is
    /// durable. On error nothing is stored.
    pub async fn append(&self, rows: &mut [Row]) -> Result<(), Error> {
        if rows.is_empty() {
            return Ok(());
        }
        let mut tx = self.begin_write().await?;
        let (mut seq, mut hash) = head(&mut tx).await?;
        for row in rows.iter_mut() {
            row.link(seq, &hash);
            seq = row.seq;
            hash.clone_from(&row.hash);
        }
        for chunk in rows.chunks(INSERT_CHUNK) {
            let sql = insert_sql(self.backend, chunk.len());
            let q = crate::bind_rows!(sqlx::query(&sql), chunk);
            q.execute(&mut *tx).await?;
        }
        tx.commit().await
    }

    /// Every stored version of consent `id`, oldest first.
    pub async fn versions(&self, id: &str) -> Result<Vec<Row>, Error> {
        let sql = format!("SELECT {COLUMNS} FROM consent_log WHERE consent_id = $1 ORDER BY seq");
        let rows = sqlx::query(&sql)
            .bind(id.to_string())
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(row_from).collect()
    }

    /// Up to `limit` rows with `from_ms <= received_at < to_ms` and `seq > after`, in `seq` order.
    pub async fn page(
        &self,
        from_ms: i64,
        to_ms: i64,
        after: i64,
        limit: i64,
    ) -> Result<Vec<Row>, Error> {
        let sql = format!(
            "SELECT {COLUMNS} FROM consent_log WHERE received_at >= $1 AND received_at < $2 AND seq > $3 \
             ORDER BY seq LIMIT $4"
        );
        let rows = sqlx::query(&sql)
            .bind(from_ms)
            .bind(to_ms)
            .bind(after)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(row_from).collect()
    }

    /// How many rows are stored.
    pub async fn count(&self) -> Result<i64, Error> {
        sqlx::query("SELECT COUNT(*) AS n FROM consent_log")
            .fetch_one(&self.pool)
            .await?
            .try_get("n")
    }

    /// Checks the whole chain from its anchor (the last purge, or the genesis):
    /// `Ok(Ok(verifier))` when intact (its row count and head), `Ok(Err(break))`
    /// at the first bad row.
    pub async fn verify(&self) -> Result<Result<Verifier, Break>, Error> {
        let (seq, hash) = purge_anchor(&self.pool).await?;
        let mut v = Verifier::new(seq, &hash);
        let sql = format!("SELECT {COLUMNS} FROM consent_log ORDER BY seq");
        let mut rows = sqlx::query(&sql).fetch(&self.pool);
        while let Some(r) = rows.try_next().await? {
            if let Err(b) = v.check(&row_from(&r)?) {
                return Ok(Err(b));
            }
        }
        Ok(Ok(v))
    }

    /// Deletes the rows received before `cutoff_ms` (from the oldest end of
    /// the chain, so it stays verifiable) and records where the chain now
    /// starts. Returns how many rows went.
    pub async fn purge_before(&self, cutoff_ms: i64, now_ms: i64) -> Result<u64, Error> {
        let mut tx = self.begin_write().await?;
        // The newest row of the oldest run of rows older than the cutoff.
        let first_kept: Option<i64> =
            sqlx::query("SELECT MIN(seq) AS s FROM consent_log WHERE received_at >= $1")
                .bind(cutoff_ms)
                .fetch_one(&mut *tx)
                .await?
                .try_get("s")?;
        let last =
            match first_kept {
                Some(s) => sqlx::query(
                    "SELECT seq, hash FROM consent_log WHERE seq < $1 ORDER BY seq DESC LIMIT 1",
                )
                .bind(s)
                .fetch_optional(&mut *tx)
                .await?,
                None => {
                    sqlx::query("SELECT seq, hash FROM consent_log ORDER BY seq DESC LIMIT 1")
                        .fetch_optional(&mut *tx)
                        .await?
                }
            };
        let Some(last) = last else {
            tx.rollback().await?;
            return Ok(0);
        };
        let (last_seq, last_hash): (i64, String) = (last.try_get("seq")?, last.try_get("hash")?);
        let deleted = sqlx::query("DELETE FROM consent_log WHERE seq <= $1")
            .bind(last_seq)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        sqlx::query("INSERT INTO consent_log_purge (last_seq, last_hash, purged_at, rows) VALUES ($1, $2, $3, $4)")
            .bind(last_seq)
            .bind(last_hash)
            .bind(now_ms)
            .bind(deleted as i64)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(deleted)
    }
}

/// The log holds personal data: its SQLite file (and the WAL and shared-memory
/// files, which SQLite creates with the database's mode) is readable by its
/// owner only. Best effort: a failure leaves the umask's mode.
fn restrict_sqlite_files(url: &str) {
    use std::os::unix::fs::PermissionsExt;
    let Some(path) = sqlite_path(url) else { return };
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::set_permissions(
            format!("{path}{suffix}"),
            std::fs::Permissions::from_mode(0o600),
        );
    }
}

/// Binds every column of every [`Row`] in `rows`, in the order of
/// [`insert_sql`]'s placeholders, to a `sqlx::query` of any database (the
/// receiver's `Any` one, or a native driver's in `make bench-log`).
#[macro_export]
macro_rules! bind_rows {
    ($query:expr, $rows:expr) => {{
        let mut q = $query;
        for r in $rows.iter() {
            q = q
                .bind(r.seq)
                .bind(r.received_at)
                .bind(r.consent_id.clone())
                .bind(r.revision)
                .bind(r.decided_at)
                .bind(r.updated_at)
                .bind(r.expires_at)
                .bind(r.categories.clone())
                .bind(r.services.clone())
                .bind(r.gpc)
                .bind(r.mode.clone())
                .bind(r.config_revision)
                .bind(r.url.clone())
                .bind(r.user_agent.clone())
                .bind(r.ip.clone())
                .bind(r.prev_hash.clone())
                .bind(r.hash.clone());
        }
        q
    }};
}

/// `INSERT INTO consent_log (…) VALUES (…), …` for `rows` rows. PostgreSQL
/// takes `$1, $2, …`; SQLite gets anonymous `?`: sqlx's SQLite driver looks up
/// every parameter's name, and SQLite finds a name by a linear scan, so 2,176
/// named parameters cost a quadratic 22% of the server's CPU (measured with
/// perf under `make bench-log`).
pub fn insert_sql(backend: Backend, rows: usize) -> String {
    let mut sql = String::with_capacity(64 + rows * 17 * 7);
    sql.push_str("INSERT INTO consent_log (");
    sql.push_str(COLUMNS);
    sql.push_str(") VALUES ");
    for i in 0..rows {
        sql.push_str(if i == 0 { "(" } else { ", (" });
        for c in 0..17 {
            if c > 0 {
                sql.push_str(", ");
            }
            match backend {
                Backend::Sqlite => sql.push('?'),
                Backend::Postgres => {
                    sql.push('$');
                    sql.push_str(&(i * 17 + c + 1).to_string());
                }
            }
        }
        sql.push(')');
    }
    sql
}

/// The file of a `sqlite:` URL (`None` for other URLs and in-memory databases).
pub fn sqlite_path(url: &str) -> Option<&str> {
    let path = url.strip_prefix("sqlite:")?.trim_start_matches("//");
    let path = path.split('?').next().unwrap_or("");
    (!path.is_empty() && !path.starts_with(':')).then_some(path)
}

/// The chain's head: the newest row, else the last purge's anchor, else the genesis.
async fn head(tx: &mut sqlx::Transaction<'static, sqlx::Any>) -> Result<(i64, String), Error> {
    let last = sqlx::query("SELECT seq, hash FROM consent_log ORDER BY seq DESC LIMIT 1")
        .fetch_optional(&mut **tx)
        .await?;
    match last {
        Some(r) => Ok((r.try_get("seq")?, r.try_get("hash")?)),
        None => purge_anchor(&mut **tx).await,
    }
}

async fn purge_anchor<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(
    ex: E,
) -> Result<(i64, String), Error> {
    let r = sqlx::query(
        "SELECT last_seq, last_hash FROM consent_log_purge ORDER BY last_seq DESC LIMIT 1",
    )
    .fetch_optional(ex)
    .await?;
    match r {
        Some(r) => Ok((r.try_get("last_seq")?, r.try_get("last_hash")?)),
        None => Ok((0, GENESIS.to_string())),
    }
}

fn row_from(r: &AnyRow) -> Result<Row, Error> {
    Ok(Row {
        seq: r.try_get("seq")?,
        received_at: r.try_get("received_at")?,
        consent_id: r.try_get("consent_id")?,
        revision: r.try_get("revision")?,
        decided_at: r.try_get("decided_at")?,
        updated_at: r.try_get("updated_at")?,
        expires_at: r.try_get("expires_at")?,
        categories: r.try_get("categories")?,
        services: r.try_get("services")?,
        gpc: r.try_get("gpc")?,
        mode: r.try_get("mode")?,
        config_revision: r.try_get("config_revision")?,
        url: r.try_get("url")?,
        user_agent: r.try_get("user_agent")?,
        ip: r.try_get("ip")?,
        prev_hash: r.try_get("prev_hash")?,
        hash: r.try_get("hash")?,
    })
}
