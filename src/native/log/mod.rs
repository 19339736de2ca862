//! The consent-log receiver (`consent-gate log-server`) and its verifier
//! (`consent-gate log-verify`): contract section 9, README "Consent log",
//! `docs/consent-log.md`.
//!
//! ```text
//!  banner ──POST──► http (axum: CORS, size limit, rate limit) ──► body (core rules)
//!                        │                                              │
//!                        │ reads: token                                 ▼
//!                        └──────► store (sqlx Any: SQLite | PostgreSQL) ◄── writer (group commit, chain)
//! ```
//!
//! * [`body`]: the posted JSON, validated with [`crate::model`]'s rules.
//! * [`chain`]: the rows and their hash chain.
//! * [`store`]: the database (one code path for SQLite and PostgreSQL).
//! * [`writer`]: one task owns every write and answers after the commit.
//! * [`http`]: routes, CORS, limits and the read token.

pub mod body;
pub mod chain;
pub mod http;
pub mod store;
pub mod writer;

use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use self::http::{IpPolicy, Settings};
use self::store::Store;
use self::writer::{now_ms, Writer};

/// The database used when `--database` is not given.
pub const DEFAULT_DATABASE: &str = "sqlite:consent-log.db";
/// The address used when `--listen` is not given.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8787";

const SERVER_HELP: &str = "\
usage: consent-gate log-server [FLAGS]

  --listen ADDR          address to listen on (default 127.0.0.1:8787)
  --database URL         sqlite:FILE (default sqlite:consent-log.db) or postgres://USER@HOST/DB
  --allow-origin ORIGIN  an origin allowed to post from a browser, e.g. https://www.example.com (repeatable)
  --path PATH            the path decisions are posted to (default /consent-log)
  --max-body BYTES       the largest body accepted (default 8192); larger gets 413
  --rate-limit N         requests per minute per client address (default 120; 0: no limit)
  --rate-burst N         requests a client may send at once (default 30)
  --retain-days N        delete rows older than N days, checked every hour (default: keep)
  --ip MODE              what is kept of the visitor's address: truncate (default: /24 or /48),
                         hash (HMAC-SHA-256 keyed by CONSENT_GATE_IP_SALT), none
  --trust-proxy          take the client address from the last X-Forwarded-For entry

environment:
  CONSENT_GATE_LOG_TOKEN  bearer token for GET /consents/{id} and /export.csv (unset: reads refused)
  CONSENT_GATE_IP_SALT    the key for --ip hash
";

const VERIFY_HELP: &str = "\
usage: consent-gate log-verify [--database URL]

Checks the hash chain of every stored row; prints the first row where it
breaks and exits 1, or prints the row count and exits 0.
";

/// What `log-server` was asked to do.
#[derive(Clone, Debug)]
pub struct ServerArgs {
    /// `--listen`.
    pub listen: SocketAddr,
    /// `--database`.
    pub database: String,
    /// `--retain-days`.
    pub retain_days: Option<u32>,
    /// Everything the HTTP side needs.
    pub settings: Settings,
}

fn value<'a>(it: &mut impl Iterator<Item = &'a String>, flag: &str) -> Result<&'a String, String> {
    it.next().ok_or_else(|| format!("{flag} needs a value"))
}

fn number<T: std::str::FromStr>(s: &str, flag: &str) -> Result<T, String> {
    s.parse().map_err(|_| format!("{flag}: not a number: {s}"))
}

/// Reads `log-server`'s flags; `env` looks up an environment variable.
pub fn parse_server_args(
    args: &[String],
    env: impl Fn(&str) -> Option<String>,
) -> Result<ServerArgs, String> {
    let mut listen = DEFAULT_LISTEN.to_string();
    let mut database = DEFAULT_DATABASE.to_string();
    let mut retain_days = None;
    let mut ip_mode = "truncate".to_string();
    let mut settings = Settings {
        path: "/consent-log".into(),
        max_body: 8192,
        allow_origins: Vec::new(),
        rate_per_minute: 120,
        rate_burst: 30,
        ip: IpPolicy::Truncate,
        trust_proxy: false,
        token: env("CONSENT_GATE_LOG_TOKEN").filter(|t| !t.is_empty()),
    };
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        match flag.as_str() {
            "--listen" => listen = value(&mut it, flag)?.clone(),
            "--database" => database = value(&mut it, flag)?.clone(),
            "--allow-origin" => {
                let o = value(&mut it, flag)?.trim_end_matches('/');
                let ok = (o.starts_with("https://") || o.starts_with("http://"))
                    && !o.contains(['?', '#', '@', ' '])
                    && o.split('/').count() == 3;
                if !ok {
                    return Err(format!(
                        "--allow-origin: not an origin (scheme://host[:port]): {o}"
                    ));
                }
                settings.allow_origins.push(o.to_string());
            }
            "--path" => {
                let p = value(&mut it, flag)?;
                if !p.starts_with('/') || p.contains(['{', '}', '?', '#', '*', ':']) {
                    return Err(format!(
                        "--path: must start with / and hold no pattern characters: {p}"
                    ));
                }
                if ["/healthz", "/export.csv"].contains(&p.as_str()) || p.starts_with("/consents/")
                {
                    return Err(format!("--path: {p} is one of the read routes"));
                }
                settings.path = p.clone();
            }
            "--max-body" => settings.max_body = number(value(&mut it, flag)?, flag)?,
            "--rate-limit" => settings.rate_per_minute = number(value(&mut it, flag)?, flag)?,
            "--rate-burst" => settings.rate_burst = number(value(&mut it, flag)?, flag)?,
            "--retain-days" => {
                let n: u32 = number(value(&mut it, flag)?, flag)?;
                if n == 0 {
                    return Err("--retain-days: at least 1".into());
                }
                retain_days = Some(n);
            }
            "--ip" => ip_mode = value(&mut it, flag)?.clone(),
            "--trust-proxy" => settings.trust_proxy = true,
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown flag: {other}")),
        }
    }
    settings.ip = match ip_mode.as_str() {
        "truncate" => IpPolicy::Truncate,
        "none" => IpPolicy::Drop,
        "hash" => match env("CONSENT_GATE_IP_SALT").filter(|s| s.len() >= 16) {
            Some(salt) => IpPolicy::Hash(salt.into_bytes()),
            None => {
                return Err("--ip hash needs CONSENT_GATE_IP_SALT (at least 16 characters)".into())
            }
        },
        other => return Err(format!("--ip: truncate, hash or none, not {other}")),
    };
    if store::Backend::of(&database).is_none() {
        return Err(format!(
            "--database: sqlite:FILE or postgres://…, not {database}"
        ));
    }
    if settings.max_body < 256 {
        return Err("--max-body: at least 256".into());
    }
    let listen = listen
        .parse()
        .map_err(|_| format!("--listen: not an address (host:port): {listen}"))?;
    Ok(ServerArgs {
        listen,
        database,
        retain_days,
        settings,
    })
}

fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
}

/// `consent-gate log-server [FLAGS]`.
pub fn server_main(args: &[String]) -> ExitCode {
    let parsed = match parse_server_args(args, |k| std::env::var(k).ok()) {
        Ok(a) => a,
        Err(e) if e.is_empty() => {
            print!("{SERVER_HELP}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("consent-gate log-server: {e}\n\n{SERVER_HELP}");
            return ExitCode::from(2);
        }
    };
    let rt = match runtime() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("consent-gate log-server: {e}");
            return ExitCode::FAILURE;
        }
    };
    match rt.block_on(serve(parsed)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("consent-gate log-server: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Resolves on SIGINT or SIGTERM.
async fn shutdown_signal() {
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term => {}
    }
}

/// Runs the receiver until SIGINT/SIGTERM, then stops taking connections,
/// lets every request in flight finish (its row committed), and closes the
/// database.
pub async fn serve(args: ServerArgs) -> Result<(), String> {
    let store = Store::open(&args.database)
        .await
        .map_err(|e| format!("database {}: {e}", redact(&args.database)))?;
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", args.listen))?;
    let local = listener.local_addr().map_err(|e| e.to_string())?;
    let (writer, writer_task) = Writer::start(store.clone());
    let reads = if args.settings.token.is_some() {
        "reads need the token"
    } else {
        "reads disabled (no CONSENT_GATE_LOG_TOKEN)"
    };
    let path = args.settings.path.clone();
    let app = http::App::new(store.clone(), writer.clone(), args.settings);

    let limiter = app.limiter();
    let sweeper = tokio::spawn(async move {
        let mut t = tokio::time::interval(Duration::from_secs(60));
        loop {
            t.tick().await;
            limiter.sweep(std::time::Instant::now());
        }
    });
    let checkpointer = (store.backend() == store::Backend::Sqlite).then(|| {
        let store = store.clone();
        tokio::spawn(async move {
            let mut t = tokio::time::interval(Duration::from_millis(500));
            t.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                t.tick().await;
                if let Err(e) = store.checkpoint().await {
                    eprintln!("consent-gate log-server: checkpoint failed: {e}");
                }
            }
        })
    });
    let purger = args.retain_days.map(|days| {
        let writer = writer.clone();
        tokio::spawn(async move {
            let mut t = tokio::time::interval(Duration::from_secs(3600));
            loop {
                t.tick().await;
                let cutoff = now_ms() - i64::from(days) * 86_400_000;
                match writer.purge(cutoff).await {
                    Ok(0) => {}
                    Ok(n) => {
                        eprintln!("consent-gate log-server: purged {n} rows older than {days} days")
                    }
                    Err(e) => eprintln!("consent-gate log-server: purge failed: {e}"),
                }
            }
        })
    });

    eprintln!(
        "consent-gate log-server: listening on http://{local} (POST {path}), database {}, {reads}",
        redact(&args.database)
    );
    let service = http::router(app).into_make_service_with_connect_info::<SocketAddr>();
    let served = axum::serve(listener, service)
        .with_graceful_shutdown(shutdown_signal())
        .await;

    // Every request in flight has had its answer (so its row is committed or
    // refused); now drain whatever is still queued and close.
    sweeper.abort();
    for task in [purger, checkpointer].into_iter().flatten() {
        task.abort();
    }
    writer.stop().await;
    drop(writer);
    let _ = writer_task.await;
    store.close().await;
    eprintln!("consent-gate log-server: stopped");
    served.map_err(|e| e.to_string())
}

/// `url` without its password, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let creds = &url[scheme + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// `consent-gate log-verify [--database URL]`: exit 0 when the chain is
/// intact, 1 at the first broken row, 2 on a usage or database error.
pub fn verify_main(args: &[String]) -> ExitCode {
    let mut database = DEFAULT_DATABASE.to_string();
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        match flag.as_str() {
            "--database" => match it.next() {
                Some(v) => database = v.clone(),
                None => {
                    eprintln!("consent-gate log-verify: --database needs a value\n\n{VERIFY_HELP}");
                    return ExitCode::from(2);
                }
            },
            "-h" | "--help" => {
                print!("{VERIFY_HELP}");
                return ExitCode::SUCCESS;
            }
            other => {
                eprintln!("consent-gate log-verify: unknown flag: {other}\n\n{VERIFY_HELP}");
                return ExitCode::from(2);
            }
        }
    }
    // Verifying a file that is not there must not create an empty, "intact" log.
    if let Some(path) = store::sqlite_path(&database) {
        if !std::path::Path::new(path).exists() {
            eprintln!("consent-gate log-verify: no such database file: {path}");
            return ExitCode::from(2);
        }
    }
    let result = runtime().map_err(|e| e.to_string()).and_then(|rt| {
        rt.block_on(async {
            let store = Store::connect(&database, false)
                .await
                .map_err(|e| format!("database {}: {e}", redact(&database)))?;
            let r = store.verify().await.map_err(|e| e.to_string());
            store.close().await;
            r
        })
    });
    match result {
        Ok(Ok(v)) => {
            let (seq, hash) = v.head();
            println!(
                "ok: {} rows, hash chain intact; head: seq {seq} hash {hash}",
                v.rows
            );
            ExitCode::SUCCESS
        }
        Ok(Err(b)) => {
            println!("broken at seq {}: {}", b.seq, b.reason);
            ExitCode::from(1)
        }
        Err(e) => {
            eprintln!("consent-gate log-verify: {e}");
            ExitCode::from(2)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn defaults_and_flags() {
        let a = parse_server_args(&[], |_| None).unwrap();
        assert_eq!(a.listen.to_string(), "127.0.0.1:8787");
        assert_eq!(a.database, "sqlite:consent-log.db");
        assert_eq!(a.settings.path, "/consent-log");
        assert_eq!(a.settings.max_body, 8192);
        assert_eq!(a.settings.token, None);
        let a = parse_server_args(
            &args(&[
                "--allow-origin",
                "https://a.example.com/",
                "--allow-origin",
                "http://localhost:8080",
                "--ip",
                "hash",
            ]),
            |k| match k {
                "CONSENT_GATE_IP_SALT" => Some("0123456789abcdef".into()),
                "CONSENT_GATE_LOG_TOKEN" => Some("t".into()),
                _ => None,
            },
        )
        .unwrap();
        assert_eq!(
            a.settings.allow_origins,
            ["https://a.example.com", "http://localhost:8080"]
        );
        assert_eq!(a.settings.ip, IpPolicy::Hash(b"0123456789abcdef".to_vec()));
        assert_eq!(a.settings.token.as_deref(), Some("t"));
        for bad in [
            &["--ip", "hash"][..],
            &["--allow-origin", "example.com"],
            &["--allow-origin", "https://a.com/path"],
            &["--database", "mysql://x"],
            &["--listen"],
            &["--retain-days", "0"],
            &["--path", "log"],
            &["--path", "/healthz"],
            &["--path", "/consents/x"],
            &["--nope"],
        ] {
            assert!(parse_server_args(&args(bad), |_| None).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn sqlite_paths() {
        assert_eq!(
            store::sqlite_path("sqlite:consent-log.db"),
            Some("consent-log.db")
        );
        assert_eq!(
            store::sqlite_path("sqlite:///var/lib/x.db?mode=rwc"),
            Some("/var/lib/x.db")
        );
        assert_eq!(store::sqlite_path("sqlite::memory:"), None);
        assert_eq!(store::sqlite_path("postgres://h/db"), None);
    }

    #[test]
    fn passwords_are_not_printed() {
        assert_eq!(redact("postgres://u:secret@h/db"), "postgres://u:***@h/db");
        assert_eq!(redact("sqlite:x.db"), "sqlite:x.db");
    }
}
