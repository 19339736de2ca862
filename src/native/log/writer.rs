//! Group commit: one task owns every write. Requests queue their rows; the
//! task takes everything queued (up to [`MAX_BATCH`]), appends it in one
//! transaction and only then answers each request. One fsync serves many
//! decisions, the chain is extended in one order, and a request learns
//! "stored" only after its row is durable.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

use super::chain::Row;
use super::store::Store;

/// The most rows one transaction takes.
pub const MAX_BATCH: usize = 512;
/// Requests waiting for the writer before new ones are turned away (503).
pub const QUEUE: usize = 8192;

enum Job {
    Append(Box<Row>, oneshot::Sender<Result<i64, String>>),
    Purge(i64, oneshot::Sender<Result<u64, String>>),
    Stop,
}

/// A handle to the writer task; cheap to clone.
#[derive(Clone, Debug)]
pub struct Writer {
    tx: mpsc::Sender<Job>,
}

/// Why a row was not stored.
#[derive(Debug, PartialEq, Eq)]
pub enum WriteError {
    /// The queue is full or the writer has stopped: try again later.
    Busy,
    /// The database refused the transaction.
    Database(String),
}

impl Writer {
    /// Starts the writer task over `store`.
    pub fn start(store: Store) -> (Writer, JoinHandle<()>) {
        let (tx, rx) = mpsc::channel(QUEUE);
        let task = tokio::spawn(run(store, rx));
        (Writer { tx }, task)
    }

    /// Stores `row` and returns its `seq` once the commit is durable.
    pub async fn append(&self, row: Row) -> Result<i64, WriteError> {
        let (done, wait) = oneshot::channel();
        self.tx
            .try_send(Job::Append(Box::new(row), done))
            .map_err(|_| WriteError::Busy)?;
        match wait.await {
            Ok(r) => r.map_err(WriteError::Database),
            Err(_) => Err(WriteError::Busy),
        }
    }

    /// Deletes rows received before `cutoff_ms`, between two write batches.
    pub async fn purge(&self, cutoff_ms: i64) -> Result<u64, String> {
        let (done, wait) = oneshot::channel();
        self.tx
            .send(Job::Purge(cutoff_ms, done))
            .await
            .map_err(|_| "writer stopped".to_string())?;
        wait.await.map_err(|_| "writer stopped".to_string())?
    }

    /// Asks the writer to finish every job queued so far, then stop.
    pub async fn stop(&self) {
        let _ = self.tx.send(Job::Stop).await;
    }
}

/// Now, in Unix milliseconds.
pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

async fn run(store: Store, mut rx: mpsc::Receiver<Job>) {
    let mut rows = Vec::with_capacity(MAX_BATCH);
    let mut waiters = Vec::with_capacity(MAX_BATCH);
    while let Some(first) = rx.recv().await {
        let mut next = Some(first);
        let mut stop = false;
        let mut purge = None;
        while let Some(job) = next.take() {
            match job {
                Job::Append(row, done) => {
                    rows.push(*row);
                    waiters.push(done);
                }
                Job::Purge(cutoff, done) => {
                    purge = Some((cutoff, done));
                    break;
                }
                Job::Stop => {
                    stop = true;
                    break;
                }
            }
            if rows.len() < MAX_BATCH {
                next = rx.try_recv().ok();
            }
        }
        if !rows.is_empty() {
            let result = append_retrying(&store, &mut rows).await;
            for (row, done) in rows.drain(..).zip(waiters.drain(..)) {
                let _ = done.send(result.clone().map(|()| row.seq));
            }
        }
        if let Some((cutoff, done)) = purge {
            let _ = done.send(
                store
                    .purge_before(cutoff, now_ms())
                    .await
                    .map_err(|e| e.to_string()),
            );
        }
        if stop {
            break;
        }
    }
}

/// How long the writer keeps retrying one batch (a busy or restarting
/// database) before its requests get 503.
pub const RETRY_FOR: Duration = Duration::from_secs(5);

/// A failed transaction is retried with backoff for up to [`RETRY_FOR`].
async fn append_retrying(store: &Store, rows: &mut [Row]) -> Result<(), String> {
    let start = tokio::time::Instant::now();
    let mut delay = Duration::from_millis(20);
    loop {
        match store.append(rows).await {
            Ok(()) => return Ok(()),
            Err(e) if start.elapsed() + delay < RETRY_FOR => {
                eprintln!("consent-gate log-server: write failed ({e}), retrying");
                tokio::time::sleep(delay).await;
                delay = (delay * 2).min(Duration::from_secs(1));
            }
            Err(e) => {
                eprintln!(
                    "consent-gate log-server: write failed ({e}), giving up on {} rows",
                    rows.len()
                );
                return Err(e.to_string());
            }
        }
    }
}
