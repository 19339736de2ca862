//! The HTTP side (axum + tower): routes, CORS, the size limit, the per-IP
//! rate limit, the read token and the JSON/CSV answers.
//!
//! | route | answer |
//! |---|---|
//! | `POST <path>` (default `/consent-log`) | `204` once stored; `400` invalid body; `403` origin not allowed; `413` too large; `429` rate limited; `503` database down |
//! | `GET /consents/{id}` | every stored version of that consent id, oldest first (JSON); token |
//! | `GET /export.csv?from=&to=` | CSV of rows received in `[from, to)`, streamed; token |
//! | `GET /healthz` | `200 ok` when the database answers, else `503` |

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, DefaultBodyLimit, Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use hmac::{Hmac, Mac};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::timeout::TimeoutLayer;

use super::body::{self, iso_millis, parse_iso_millis};
use super::chain::{hex, Row};
use super::store::Store;
use super::writer::{now_ms, WriteError, Writer};
use crate::model::category::Category;
use crate::model::time::iso8601;

/// What is kept of the visitor's address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IpPolicy {
    /// The network only: IPv4 /24 (`203.0.113.0/24`), IPv6 /48 (`2001:db8:1::/48`).
    Truncate,
    /// `hmac:` + 32 hex digits of HMAC-SHA-256 of the whole address, keyed by the operator's salt.
    Hash(Vec<u8>),
    /// Nothing (an empty string).
    Drop,
}

impl IpPolicy {
    /// The stored form of `ip`.
    pub fn apply(&self, ip: IpAddr) -> String {
        let ip = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
            v4 => v4,
        };
        match self {
            IpPolicy::Drop => String::new(),
            IpPolicy::Truncate => match ip {
                IpAddr::V4(v4) => {
                    let [a, b, c, _] = v4.octets();
                    format!("{a}.{b}.{c}.0/24")
                }
                IpAddr::V6(v6) => {
                    let s = v6.segments();
                    let net = std::net::Ipv6Addr::new(s[0], s[1], s[2], 0, 0, 0, 0, 0);
                    format!("{net}/48")
                }
            },
            IpPolicy::Hash(salt) => {
                // HMAC accepts keys of any length, so this cannot fail.
                let mut mac =
                    <Hmac<Sha256> as Mac>::new_from_slice(salt).expect("HMAC takes any key length");
                mac.update(ip.to_string().as_bytes());
                let digest = mac.finalize().into_bytes();
                format!("hmac:{}", hex(&digest[..16]))
            }
        }
    }
}

/// Everything the server is told at start.
#[derive(Clone, Debug)]
pub struct Settings {
    /// The path decisions are posted to.
    pub path: String,
    /// The largest body accepted, in bytes.
    pub max_body: usize,
    /// Origins allowed to post from a browser (CORS). Empty: no CORS headers,
    /// and no `Origin` check.
    pub allow_origins: Vec<String>,
    /// Requests per minute per client address (`0`: no limit).
    pub rate_per_minute: u32,
    /// Requests a client may send at once before the per-minute rate applies.
    pub rate_burst: u32,
    /// What is kept of the visitor's address.
    pub ip: IpPolicy,
    /// Take the client's address from the last `X-Forwarded-For` entry (behind a proxy).
    pub trust_proxy: bool,
    /// The read token (`CONSENT_GATE_LOG_TOKEN`); `None`: reads refused.
    pub token: Option<String>,
}

/// A token bucket per client address, in memory only (never stored).
#[derive(Debug)]
pub struct RateLimiter {
    per_sec: f64,
    burst: f64,
    buckets: Mutex<HashMap<IpAddr, (f64, Instant)>>,
}

impl RateLimiter {
    /// `per_minute` requests a minute with bursts of `burst`; `per_minute == 0` disables it.
    pub fn new(per_minute: u32, burst: u32) -> RateLimiter {
        RateLimiter {
            per_sec: f64::from(per_minute) / 60.0,
            burst: f64::from(burst.max(1)),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// `Ok` when `ip` may make a request now, else the seconds until it may.
    pub fn check(&self, ip: IpAddr, now: Instant) -> Result<(), u64> {
        if self.per_sec <= 0.0 {
            return Ok(());
        }
        let mut map = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        let (tokens, at) = map.entry(ip).or_insert((self.burst, now));
        *tokens = (*tokens + now.saturating_duration_since(*at).as_secs_f64() * self.per_sec)
            .min(self.burst);
        *at = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Ok(())
        } else {
            Err(((1.0 - *tokens) / self.per_sec).ceil().max(1.0) as u64)
        }
    }

    /// Forgets clients whose bucket has refilled (keeps the map small).
    pub fn sweep(&self, now: Instant) {
        if self.per_sec <= 0.0 {
            return;
        }
        let full = Duration::from_secs_f64(self.burst / self.per_sec);
        let mut map = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        map.retain(|_, (_, at)| now.saturating_duration_since(*at) < full);
    }
}

/// Shared state of every handler.
#[derive(Clone, Debug)]
pub struct App {
    store: Store,
    writer: Writer,
    settings: Arc<Settings>,
    token_digest: Option<[u8; 32]>,
    limiter: Arc<RateLimiter>,
}

impl App {
    /// The state for `store`, `writer` and `settings`.
    pub fn new(store: Store, writer: Writer, settings: Settings) -> App {
        let token_digest = settings
            .token
            .as_deref()
            .map(|t| Sha256::digest(t.as_bytes()).into());
        let limiter = Arc::new(RateLimiter::new(
            settings.rate_per_minute,
            settings.rate_burst,
        ));
        App {
            store,
            writer,
            settings: Arc::new(settings),
            token_digest,
            limiter,
        }
    }

    /// The rate limiter (the server sweeps it on a timer).
    pub fn limiter(&self) -> Arc<RateLimiter> {
        self.limiter.clone()
    }
}

/// How long a request may take to arrive and be answered (a slow client's
/// body, a stalled database) before it gets `408`.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// The routes, with CORS on the posting path, the body limit and a timeout.
pub fn router(app: App) -> Router {
    let s = &app.settings;
    let mut post_route = post(receive).layer(DefaultBodyLimit::max(s.max_body));
    if !s.allow_origins.is_empty() {
        let origins: Vec<HeaderValue> = s
            .allow_origins
            .iter()
            .filter_map(|o| HeaderValue::from_str(o).ok())
            .collect();
        post_route = post_route.layer(
            CorsLayer::new()
                .allow_origin(AllowOrigin::list(origins))
                .allow_methods([Method::POST])
                .allow_headers([header::CONTENT_TYPE])
                .max_age(Duration::from_secs(86_400)),
        );
    }
    Router::new()
        .route(&s.path, post_route)
        .route("/consents/{id}", get(versions))
        .route("/export.csv", get(export))
        .route("/healthz", get(healthz))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .with_state(app)
}

fn text(status: StatusCode, msg: impl Into<String>) -> Response {
    let mut body = msg.into();
    body.push('\n');
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        body,
    )
        .into_response()
}

fn client_ip(app: &App, peer: SocketAddr, headers: &HeaderMap) -> IpAddr {
    if app.settings.trust_proxy {
        let last = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|s| s.trim().parse::<IpAddr>().ok())
            .next_back();
        if let Some(ip) = last {
            return ip;
        }
    }
    peer.ip()
}

fn limited(app: &App, ip: IpAddr) -> Option<Response> {
    let wait = app.limiter.check(ip, Instant::now()).err()?;
    let mut r = text(
        StatusCode::TOO_MANY_REQUESTS,
        "too many requests from this address; retry later",
    );
    r.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(wait));
    Some(r)
}

async fn receive(
    State(app): State<App>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let ip = client_ip(&app, peer, &headers);
    if let Some(r) = limited(&app, ip) {
        return r;
    }
    if let Some(origin) = headers.get(header::ORIGIN) {
        let allowed = &app.settings.allow_origins;
        if !allowed.is_empty() && !allowed.iter().any(|o| o.as_bytes() == origin.as_bytes()) {
            return text(StatusCode::FORBIDDEN, "origin not allowed");
        }
    }
    let entry = match body::parse(&body) {
        Ok(e) => e,
        Err(e) => return text(StatusCode::BAD_REQUEST, e.0),
    };
    let row = Row::new(&entry, now_ms(), app.settings.ip.apply(ip));
    match app.writer.append(row).await {
        Ok(_) => StatusCode::NO_CONTENT.into_response(),
        Err(WriteError::Busy) => {
            let mut r = text(StatusCode::SERVICE_UNAVAILABLE, "busy; retry later");
            r.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(1));
            r
        }
        Err(WriteError::Database(_)) => text(
            StatusCode::SERVICE_UNAVAILABLE,
            "not stored: the database failed",
        ),
    }
}

/// `None` when the request carries the read token; else the `401`.
fn unauthorized(app: &App, headers: &HeaderMap) -> Option<Response> {
    let deny = |msg: &str| {
        let mut r = text(StatusCode::UNAUTHORIZED, msg);
        r.headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        Some(r)
    };
    let Some(want) = app.token_digest else {
        return deny("reads are disabled: set CONSENT_GATE_LOG_TOKEN on the server");
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    // Compare digests in constant time: neither the content nor the length of
    // the token leaks through timing.
    let got: [u8; 32] = Sha256::digest(given.as_bytes()).into();
    if bool::from(got.ct_eq(&want)) && !given.is_empty() {
        None
    } else {
        deny("a valid bearer token is required")
    }
}

/// One stored version as JSON: the record as `ConsentGate.get()` showed it, and what the receiver added.
fn row_json(r: &Row) -> serde_json::Value {
    let mut categories = serde_json::Map::new();
    for (c, bit) in Category::ALL.iter().zip(r.categories.bytes()) {
        categories.insert(c.as_str().into(), (bit == b'1').into());
    }
    let mut services = serde_json::Map::new();
    for s in r.services.split('~').filter(|s| !s.is_empty()) {
        if let Some((id, on)) = s.split_once(':') {
            services.insert(id.into(), (on == "1").into());
        }
    }
    let mut record = serde_json::json!({
        "id": r.consent_id,
        "revision": r.revision,
        "decidedAt": iso8601(r.decided_at as u64),
        "updatedAt": iso8601(r.updated_at as u64),
        "expiresAt": iso8601(r.expires_at as u64),
        "categories": categories,
        "services": services,
        "gpc": r.gpc == 1,
    });
    if !r.mode.is_empty() {
        record["mode"] = r.mode.clone().into();
    }
    serde_json::json!({
        "seq": r.seq,
        "receivedAt": iso_millis(r.received_at),
        "record": record,
        "configRevision": r.config_revision,
        "url": r.url,
        "userAgent": r.user_agent,
        "ip": r.ip,
        "prevHash": r.prev_hash,
        "hash": r.hash,
    })
}

async fn versions(
    State(app): State<App>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    if let Some(r) = limited(&app, client_ip(&app, peer, &headers)) {
        return r;
    }
    if let Some(r) = unauthorized(&app, &headers) {
        return r;
    }
    if id.len() != 32 || !id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        return text(
            StatusCode::BAD_REQUEST,
            "a consent id is 32 lowercase hex digits",
        );
    }
    match app.store.versions(&id).await {
        Ok(rows) if rows.is_empty() => {
            text(StatusCode::NOT_FOUND, "no stored decision with this id")
        }
        Ok(rows) => {
            let list: Vec<serde_json::Value> = rows.iter().map(row_json).collect();
            let body = serde_json::to_vec_pretty(&list).unwrap_or_default();
            (
                StatusCode::OK,
                [(header::CONTENT_TYPE, "application/json")],
                body,
            )
                .into_response()
        }
        Err(e) => text(
            StatusCode::SERVICE_UNAVAILABLE,
            format!("database error: {e}"),
        ),
    }
}

/// `from` and `to` of the export: a date (`2026-11-01`) or the banner's ISO shape.
#[derive(Deserialize)]
struct Range {
    from: Option<String>,
    to: Option<String>,
}

/// The CSV header; one line per stored row follows.
pub const CSV_HEADER: &str = "seq,received_at,consent_id,revision,decided_at,updated_at,expires_at,\
essential,performance,functional,marketing,services,gpc,mode,config_revision,url,user_agent,ip,prev_hash,hash\n";

/// A CSV field (RFC 4180), with a leading `'` on text a spreadsheet would
/// run as a formula (`=`, `+`, `-`, `@`).
fn csv_field(out: &mut String, s: &str) {
    let formula = s.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if formula || s.contains([',', '"', '\n', '\r']) {
        out.push('"');
        if formula {
            out.push('\'');
        }
        out.push_str(&s.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(s);
    }
}

/// One row as a CSV line.
pub fn csv_line(r: &Row) -> String {
    let mut out = String::with_capacity(256 + r.user_agent.len());
    let cats: Vec<&str> = r
        .categories
        .bytes()
        .map(|b| if b == b'1' { "true" } else { "false" })
        .collect();
    let fields: [&str; 20] = [
        &r.seq.to_string(),
        &iso_millis(r.received_at),
        &r.consent_id,
        &r.revision.to_string(),
        &iso8601(r.decided_at as u64),
        &iso8601(r.updated_at as u64),
        &iso8601(r.expires_at as u64),
        cats.first().copied().unwrap_or(""),
        cats.get(1).copied().unwrap_or(""),
        cats.get(2).copied().unwrap_or(""),
        cats.get(3).copied().unwrap_or(""),
        &r.services,
        if r.gpc == 1 { "true" } else { "false" },
        if r.mode.is_empty() { "opt-in" } else { &r.mode },
        &r.config_revision.to_string(),
        &r.url,
        &r.user_agent,
        &r.ip,
        &r.prev_hash,
        &r.hash,
    ];
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        csv_field(&mut out, f);
    }
    out.push('\n');
    out
}

/// Rows per database round trip while exporting.
const EXPORT_PAGE: i64 = 1000;

async fn export(
    State(app): State<App>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Query(range): Query<Range>,
) -> Response {
    if let Some(r) = limited(&app, client_ip(&app, peer, &headers)) {
        return r;
    }
    if let Some(r) = unauthorized(&app, &headers) {
        return r;
    }
    let bound = |v: &Option<String>, default: i64| match v.as_deref() {
        None | Some("") => Some(default),
        Some(s) => parse_iso_millis(s),
    };
    let (Some(from), Some(to)) = (bound(&range.from, 0), bound(&range.to, i64::MAX)) else {
        return text(
            StatusCode::BAD_REQUEST,
            "from and to are dates: 2026-11-01 or 2026-11-01T00:00:00.000Z",
        );
    };
    // Pages by seq (keyset), so a long export holds no transaction open and
    // memory stays at one page whatever the range.
    let store = app.store.clone();
    let pages = futures_util::stream::unfold(Some(0i64), move |after| {
        let store = store.clone();
        async move {
            let after = after?;
            match store.page(from, to, after, EXPORT_PAGE).await {
                Ok(rows) if rows.is_empty() => None,
                Ok(rows) => {
                    let last = rows.last().map_or(after, |r| r.seq);
                    let chunk: String = rows.iter().map(csv_line).collect();
                    let more = (rows.len() as i64 == EXPORT_PAGE).then_some(last);
                    Some((Ok::<_, sqlx::Error>(Bytes::from(chunk)), more))
                }
                // The status line is gone by now: cutting the stream short is
                // how a client learns the export is incomplete.
                Err(e) => Some((Err(e), None)),
            }
        }
    });
    let header =
        futures_util::stream::once(async { Ok(Bytes::from_static(CSV_HEADER.as_bytes())) });
    let stream = futures_util::StreamExt::chain(header, pages);
    let name = format!(
        "attachment; filename=\"consent-log-{}-{}.csv\"",
        range
            .from
            .as_deref()
            .unwrap_or("start")
            .get(..10)
            .unwrap_or("start"),
        range
            .to
            .as_deref()
            .unwrap_or("now")
            .get(..10)
            .unwrap_or("now"),
    );
    let mut r = Response::new(Body::from_stream(stream));
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(&name) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    r
}

async fn healthz(State(app): State<App>) -> Response {
    match app.store.ping().await {
        Ok(()) => text(StatusCode::OK, "ok"),
        Err(e) => text(StatusCode::SERVICE_UNAVAILABLE, format!("database: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ip_is_never_whole() {
        let v4: IpAddr = "203.0.113.77".parse().unwrap();
        let v6: IpAddr = "2001:db8:abcd:12:1:2:3:4".parse().unwrap();
        let mapped: IpAddr = "::ffff:203.0.113.77".parse().unwrap();
        assert_eq!(IpPolicy::Truncate.apply(v4), "203.0.113.0/24");
        assert_eq!(IpPolicy::Truncate.apply(mapped), "203.0.113.0/24");
        assert_eq!(IpPolicy::Truncate.apply(v6), "2001:db8:abcd::/48");
        assert_eq!(IpPolicy::Drop.apply(v4), "");
        let a = IpPolicy::Hash(b"salt-1".to_vec()).apply(v4);
        let b = IpPolicy::Hash(b"salt-2".to_vec()).apply(v4);
        assert!(a.starts_with("hmac:") && a.len() == 37, "{a}");
        assert_ne!(a, b, "the salt changes the hash");
        assert!(!a.contains("203"));
        assert_eq!(
            a,
            IpPolicy::Hash(b"salt-1".to_vec()).apply(mapped),
            "same address, same hash"
        );
    }

    #[test]
    fn rate_limit_buckets() {
        let l = RateLimiter::new(60, 3);
        let ip: IpAddr = "192.0.2.1".parse().unwrap();
        let other: IpAddr = "192.0.2.2".parse().unwrap();
        let t = Instant::now();
        for _ in 0..3 {
            assert_eq!(l.check(ip, t), Ok(()));
        }
        assert_eq!(l.check(ip, t), Err(1));
        assert_eq!(l.check(other, t), Ok(()), "per address");
        assert_eq!(
            l.check(ip, t + Duration::from_millis(1100)),
            Ok(()),
            "one token a second"
        );
        assert!(RateLimiter::new(0, 1).check(ip, t).is_ok());
        l.sweep(t + Duration::from_secs(10));
        assert!(l.buckets.lock().unwrap().is_empty());
    }

    #[test]
    fn csv_quoting() {
        let mut s = String::new();
        csv_field(&mut s, "a,\"b\"");
        s.push('|');
        csv_field(&mut s, "=HYPERLINK(1)");
        s.push('|');
        csv_field(&mut s, "plain");
        assert_eq!(s, "\"a,\"\"b\"\"\"|\"'=HYPERLINK(1)\"|plain");
    }
}
