//! Shared by the consent-log tests (tests/log_*.rs) and the benchmark
//! (bench/log/main.rs): the built binary as a child process, a small HTTP/1.1
//! client over std (so malformed requests can be sent as they are), the
//! README's body, and a throwaway PostgreSQL cluster.
#![allow(dead_code)]

pub mod suite;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The built `consent-gate` binary.
pub const BIN: &str = env!("CARGO_BIN_EXE_consent-gate");
/// The read token the tests start servers with.
pub const TOKEN: &str = "test-token-0123456789";

/// A fresh directory under the system temp dir, removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    /// Creates `consent-gate-<tag>-<pid>-<n>`.
    pub fn new(tag: &str) -> TempDir {
        static N: AtomicU32 = AtomicU32::new(0);
        let p = std::env::temp_dir().join(format!(
            "consent-gate-{tag}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).expect("create temp dir");
        TempDir(p)
    }

    /// `sqlite:` URL of a file in this directory.
    pub fn sqlite(&self, name: &str) -> String {
        format!("sqlite:{}", self.0.join(name).display())
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A running `consent-gate log-server`.
pub struct Server {
    /// The child process.
    pub child: Child,
    /// Where it listens.
    pub addr: SocketAddr,
    /// Its stderr so far.
    pub log: Arc<Mutex<String>>,
}

impl Server {
    /// Starts the server on `database` with `args` (plus `--listen 127.0.0.1:0`),
    /// the read token set, and waits until it listens.
    pub fn start(database: &str, args: &[&str]) -> Server {
        Server::start_env(database, args, &[("CONSENT_GATE_LOG_TOKEN", TOKEN)])
    }

    /// As [`Server::start`] with exactly the environment variables `env` added.
    pub fn start_env(database: &str, args: &[&str], env: &[(&str, &str)]) -> Server {
        let mut cmd = Command::new(BIN);
        cmd.args([
            "log-server",
            "--listen",
            "127.0.0.1:0",
            "--database",
            database,
        ])
        .args(args)
        .env_remove("CONSENT_GATE_LOG_TOKEN")
        .env_remove("CONSENT_GATE_IP_SALT")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("spawn consent-gate log-server");
        let stderr = child.stderr.take().expect("piped stderr");
        let log = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = std::sync::mpsc::channel();
        let sink = log.clone();
        std::thread::spawn(move || {
            let mut tx = Some(tx);
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if let Some(rest) = line.split("listening on http://").nth(1) {
                    let addr: SocketAddr = rest
                        .split(' ')
                        .next()
                        .unwrap_or("")
                        .parse()
                        .expect("address");
                    if let Some(tx) = tx.take() {
                        let _ = tx.send(addr);
                    }
                }
                let mut l = sink.lock().unwrap();
                l.push_str(&line);
                l.push('\n');
            }
        });
        let addr = match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(a) => a,
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("log-server did not start: {}", log.lock().unwrap());
            }
        };
        Server { child, addr, log }
    }

    /// Sends a request, `Connection: close`.
    pub fn req(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Resp {
        request(self.addr, method, path, headers, body)
    }

    /// POSTs `body` to `/consent-log` as `text/plain` (as `sendBeacon` does).
    pub fn post(&self, body: &str) -> Resp {
        self.req(
            "POST",
            "/consent-log",
            &[("Content-Type", "text/plain;charset=UTF-8")],
            body.as_bytes(),
        )
    }

    /// GET with the read token.
    pub fn get_auth(&self, path: &str) -> Resp {
        let auth = format!("Bearer {TOKEN}");
        self.req("GET", path, &[("Authorization", &auth)], b"")
    }

    /// SIGTERM, then waits for the exit; returns whether it exited with 0.
    pub fn stop(mut self) -> bool {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok(Some(st)) = self.child.try_wait() {
                return st.success();
            }
            if Instant::now() > deadline {
                return false;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// SIGKILL, no goodbye.
    pub fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!(
                "--- log-server stderr ---\n{}",
                self.log.lock().map(|l| l.clone()).unwrap_or_default()
            );
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A response: status, lowercase header names, body.
#[derive(Debug)]
pub struct Resp {
    /// The status code (0 when the connection failed).
    pub status: u16,
    /// The headers, names lowercased.
    pub headers: Vec<(String, String)>,
    /// The body, de-chunked.
    pub body: Vec<u8>,
}

impl Resp {
    /// The first header named `name` (lowercase).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// One HTTP/1.1 request on a new connection (`Connection: close`).
pub fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Resp {
    let Ok(mut s) = TcpStream::connect(addr) else {
        return Resp {
            status: 0,
            headers: vec![],
            body: vec![],
        };
    };
    let _ = s.set_read_timeout(Some(Duration::from_secs(30)));
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    if !body.is_empty() || method == "POST" {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    head.push_str("\r\n");
    let mut out = head.into_bytes();
    out.extend_from_slice(body);
    // The server may answer (413) and close before reading all of a large body.
    let _ = s.write_all(&out);
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    parse_response(&raw)
}

/// Parses a whole response (`raw` read to the end of the connection).
pub fn parse_response(raw: &[u8]) -> Resp {
    let Some(end) = raw.windows(4).position(|w| w == b"\r\n\r\n") else {
        return Resp {
            status: 0,
            headers: vec![],
            body: raw.to_vec(),
        };
    };
    let head = String::from_utf8_lossy(&raw[..end]);
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let mut body = raw[end + 4..].to_vec();
    if headers
        .iter()
        .any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"))
    {
        body = dechunk(&body);
    }
    Resp {
        status,
        headers,
        body,
    }
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = b.windows(2).position(|w| w == b"\r\n") {
        let size =
            usize::from_str_radix(String::from_utf8_lossy(&b[..eol]).trim(), 16).unwrap_or(0);
        if size == 0 || b.len() < eol + 2 + size {
            break;
        }
        out.extend_from_slice(&b[eol + 2..eol + 2 + size]);
        b = &b[(eol + 4 + size).min(b.len())..];
    }
    out
}

/// A kept-alive connection for load: POSTs one body after another.
pub struct Conn {
    s: BufReader<TcpStream>,
    addr: SocketAddr,
}

impl Conn {
    /// Connects to `addr`.
    pub fn open(addr: SocketAddr) -> std::io::Result<Conn> {
        let s = TcpStream::connect(addr)?;
        s.set_nodelay(true)?;
        s.set_read_timeout(Some(Duration::from_secs(30)))?;
        Ok(Conn {
            s: BufReader::new(s),
            addr,
        })
    }

    /// POSTs `body` to `/consent-log`; returns the status once the whole
    /// response has been read.
    pub fn post(&mut self, body: &str) -> std::io::Result<u16> {
        let req = format!(
            "POST /consent-log HTTP/1.1\r\nHost: {}\r\nContent-Type: text/plain;charset=UTF-8\r\nContent-Length: {}\r\n\r\n{body}",
            self.addr,
            body.len()
        );
        self.s.get_mut().write_all(req.as_bytes())?;
        let mut line = String::new();
        self.s.read_line(&mut line)?;
        let status: u16 = line
            .split(' ')
            .nth(1)
            .and_then(|c| c.parse().ok())
            .ok_or_else(|| {
                std::io::Error::new(
                    std::io::ErrorKind::UnexpectedEof,
                    format!("bad status line {line:?}"),
                )
            })?;
        let mut len = 0usize;
        loop {
            line.clear();
            self.s.read_line(&mut line)?;
            if line == "\r\n" || line.is_empty() {
                break;
            }
            if let Some((k, v)) = line.split_once(':') {
                if k.eq_ignore_ascii_case("content-length") {
                    len = v.trim().parse().unwrap_or(0);
                }
            }
        }
        let mut rest = vec![0; len];
        self.s.read_exact(&mut rest)?;
        Ok(status)
    }
}

/// Fields of one decision, to build bodies from.
#[derive(Clone, Debug)]
pub struct Decision {
    /// 32 hex digits.
    pub id: String,
    /// record.revision.
    pub revision: u32,
    /// decidedAt, Unix seconds.
    pub decided: u64,
    /// updatedAt, Unix seconds.
    pub updated: u64,
    /// essential, performance, functional, marketing.
    pub categories: [bool; 4],
    /// Services in the order written.
    pub services: Vec<(String, bool)>,
    /// gpc.
    pub gpc: bool,
    /// record.mode, when sent.
    pub mode: Option<&'static str>,
    /// The page.
    pub url: String,
    /// The browser.
    pub user_agent: String,
}

impl Decision {
    /// The README's example decision.
    pub fn readme() -> Decision {
        Decision {
            id: "9f86d081884c7d659a2feaa0c55ad015".into(),
            revision: 2,
            decided: 1_795_371_602,
            updated: 1_795_371_940,
            categories: [true, true, false, false],
            services: vec![("google-analytics".into(), true)],
            gpc: false,
            mode: None,
            url: "https://www.example.com/courses/intro".into(),
            user_agent: "Mozilla/5.0 …".into(),
        }
    }

    /// The n-th of many distinct decisions.
    pub fn nth(n: u64) -> Decision {
        let mut d = Decision::readme();
        d.id = format!("{:032x}", 0xc0_ffee_0000_0000_u128 + u128::from(n));
        d.categories = [
            true,
            n.is_multiple_of(2),
            n.is_multiple_of(3),
            n.is_multiple_of(5),
        ];
        d.updated = d.decided + n % 1000;
        d
    }

    /// The body exactly as the banner sends it (README, "Proof of consent").
    pub fn body(&self) -> String {
        let iso = |s: u64| consent_gate::model::time::iso8601(s);
        let services: Vec<String> = self
            .services
            .iter()
            .map(|(id, on)| format!("\"{id}\": {on}"))
            .collect();
        let mode = self
            .mode
            .map(|m| format!(", \"mode\": \"{m}\""))
            .unwrap_or_default();
        let [e, p, f, m] = self.categories;
        format!(
            r#"{{"record":{{"id":"{}","revision":{},"decidedAt":"{}","updatedAt":"{}","expiresAt":"{}","categories":{{"essential":{e},"performance":{p},"functional":{f},"marketing":{m}}},"services":{{{}}},"gpc":{}{mode}}},"configRevision":{},"url":"{}","userAgent":"{}"}}"#,
            self.id,
            self.revision,
            iso(self.decided),
            iso(self.updated),
            iso(self.updated + 182 * 86_400),
            services.join(", "),
            self.gpc,
            self.revision,
            self.url,
            self.user_agent,
        )
    }
}

/// The README's example body, verbatim.
pub const README_BODY: &str = r#"{
  "record": { "id": "9f86d081884c7d659a2feaa0c55ad015", "revision": 2,
              "decidedAt": "2026-11-22T18:20:02.000Z", "updatedAt": "2026-11-22T18:25:40.000Z",
              "expiresAt": "2027-05-24T18:25:40.000Z",
              "categories": { "essential": true, "performance": true, "functional": false, "marketing": false },
              "services": { "google-analytics": true }, "gpc": false },
  "configRevision": 2,
  "url": "https://www.example.com/courses/intro",
  "userAgent": "Mozilla/5.0 …"
}"#;

/// Runs `consent-gate log-verify --database url`: (exit code, stdout).
pub fn verify(url: &str) -> (i32, String) {
    let out = Command::new(BIN)
        .args(["log-verify", "--database", url])
        .output()
        .expect("run log-verify");
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out.status.code().unwrap_or(-1), text)
}

/// Runs `f` on a fresh current-thread runtime (the tests are synchronous).
pub fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(f)
}

/// How many rows `url` holds.
pub fn count_rows(url: &str) -> i64 {
    block_on(async {
        let store = consent_gate::native::log::store::Store::open(url)
            .await
            .expect("open store");
        let n = store.count().await.expect("count");
        store.close().await;
        n
    })
}

/// Runs one SQL statement on `url` (to tamper with rows).
pub fn exec(url: &str, sql: &str) {
    block_on(async {
        sqlx::any::install_default_drivers();
        let pool = sqlx::any::AnyPoolOptions::new()
            .max_connections(1)
            .connect(url)
            .await
            .expect("connect");
        sqlx::query(sql).execute(&pool).await.expect("exec");
        pool.close().await;
    })
}

/// A throwaway PostgreSQL cluster in a temp dir, stopped and removed on drop.
/// Run as the current user, or as `nobody` through `runuser` when the tests
/// run as root (initdb and postgres refuse root).
pub struct Postgres {
    dir: TempDir,
    bin: PathBuf,
    port: u16,
    as_nobody: bool,
}

/// The newest `/usr/lib/postgresql/*/bin` holding `initdb`.
pub fn postgres_bin() -> Option<PathBuf> {
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let v: u32 = e.file_name().to_str()?.parse().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").exists().then_some((v, bin))
        })
        .collect();
    found.sort();
    found.pop().map(|(_, b)| b)
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| o.stdout.starts_with(b"0\n"))
        .unwrap_or(false)
}

impl Postgres {
    /// Starts a cluster; `None` (with the reason printed) only when no
    /// PostgreSQL binaries are installed. `fsync` off makes the tests faster;
    /// the benchmark keeps it on.
    pub fn start(fsync: bool) -> Option<Postgres> {
        let Some(bin) = postgres_bin() else {
            eprintln!("SKIPPED: no PostgreSQL binaries under /usr/lib/postgresql/*/bin (make setup installs Debian's postgresql)");
            return None;
        };
        let dir = TempDir::new("pg");
        let as_nobody = is_root();
        if as_nobody {
            std::os::unix::fs::chown(&dir.0, Some(65534), Some(65534))
                .expect("chown the cluster dir to nobody");
        }
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("free port")
            .port();
        let pg = Postgres {
            dir,
            bin,
            port,
            as_nobody,
        };
        let data = pg.dir.0.join("data");
        let st = pg
            .run(
                "initdb",
                &[
                    "-D",
                    &data.display().to_string(),
                    "-U",
                    "postgres",
                    "-A",
                    "trust",
                    "--no-sync",
                    "-E",
                    "UTF8",
                ],
            )
            .expect("initdb");
        assert!(st, "initdb failed");
        let opts = format!(
            "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync={} -c max_connections=50",
            pg.dir.0.display(),
            if fsync { "on" } else { "off" }
        );
        let log = pg.dir.0.join("postgres.log").display().to_string();
        let st = pg
            .run(
                "pg_ctl",
                &[
                    "-D",
                    &data.display().to_string(),
                    "-l",
                    &log,
                    "-o",
                    &opts,
                    "-w",
                    "-t",
                    "60",
                    "start",
                ],
            )
            .expect("pg_ctl start");
        assert!(
            st,
            "pg_ctl start failed: {}",
            std::fs::read_to_string(&log).unwrap_or_default()
        );
        Some(pg)
    }

    fn run(&self, tool: &str, args: &[&str]) -> std::io::Result<bool> {
        let exe = self.bin.join(tool);
        let mut cmd = if self.as_nobody {
            let mut c = Command::new("runuser");
            c.args(["-u", "nobody", "--"]).arg(&exe);
            c
        } else {
            Command::new(&exe)
        };
        let out = cmd
            .args(args)
            .current_dir(&self.dir.0)
            .stdin(Stdio::null())
            .output()?;
        if !out.status.success() {
            eprintln!(
                "{tool}: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        Ok(out.status.success())
    }

    /// Creates database `name` and returns its URL.
    pub fn database(&self, name: &str) -> String {
        let st = self
            .run(
                "createdb",
                &[
                    "-h",
                    "127.0.0.1",
                    "-p",
                    &self.port.to_string(),
                    "-U",
                    "postgres",
                    name,
                ],
            )
            .expect("createdb");
        assert!(st, "createdb {name} failed");
        format!("postgres://postgres@127.0.0.1:{}/{name}", self.port)
    }

    /// Stops the server (`pg_ctl stop -m fast`), keeping the cluster.
    pub fn stop(&self) {
        let data = self.dir.0.join("data").display().to_string();
        assert!(self
            .run("pg_ctl", &["-D", &data, "-m", "fast", "-w", "stop"])
            .expect("pg_ctl stop"));
    }

    /// Starts the stopped server again, on the same port.
    pub fn restart(&self) {
        let data = self.dir.0.join("data").display().to_string();
        let log = self.dir.0.join("postgres.log").display().to_string();
        // pg_ctl remembers the options of the first start in postmaster.opts.
        let opts = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1",
            self.port,
            self.dir.0.display()
        );
        assert!(self
            .run(
                "pg_ctl",
                &["-D", &data, "-l", &log, "-o", &opts, "-w", "-t", "60", "start"]
            )
            .expect("pg_ctl start"));
    }

    /// The cluster's directory.
    pub fn dir(&self) -> &Path {
        &self.dir.0
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let data = self.dir.0.join("data").display().to_string();
        let _ = self.run("pg_ctl", &["-D", &data, "-m", "immediate", "-w", "stop"]);
    }
}
