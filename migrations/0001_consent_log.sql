-- The consent log (consent-gate log-server). Portable SQL: the same file runs
-- on SQLite and PostgreSQL. Rows are only ever appended (and purged from the
-- oldest end by --retain-days); see src/native/log/chain.rs for the hash chain.
CREATE TABLE consent_log (
    seq             BIGINT PRIMARY KEY NOT NULL, -- 1, 2, 3, … no gaps
    received_at     BIGINT NOT NULL,             -- Unix milliseconds, receiver's clock
    consent_id      TEXT   NOT NULL,             -- record.id (32 hex)
    revision        BIGINT NOT NULL,             -- record.revision
    decided_at      BIGINT NOT NULL,             -- record.decidedAt, Unix seconds
    updated_at      BIGINT NOT NULL,             -- record.updatedAt, Unix seconds
    expires_at      BIGINT NOT NULL,             -- record.expiresAt, Unix seconds
    categories      TEXT   NOT NULL,             -- "1100": essential, performance, functional, marketing
    services        TEXT   NOT NULL,             -- "google-analytics:1~ads-pixel:0" (cookie grammar)
    gpc             BIGINT NOT NULL,             -- 0 / 1
    mode            TEXT   NOT NULL,             -- "opt-in", "opt-out", "" (not sent: opt-in)
    config_revision BIGINT NOT NULL,             -- configRevision
    url             TEXT   NOT NULL,             -- page origin + path
    user_agent      TEXT   NOT NULL,
    ip              TEXT   NOT NULL,             -- truncated or keyed hash, never the whole address
    prev_hash       TEXT   NOT NULL,
    hash            TEXT   NOT NULL
);
CREATE INDEX consent_log_by_id ON consent_log (consent_id, seq);
CREATE INDEX consent_log_by_time ON consent_log (received_at);

-- One row per retention purge: where the remaining chain starts.
CREATE TABLE consent_log_purge (
    last_seq   BIGINT PRIMARY KEY NOT NULL,      -- the newest row deleted
    last_hash  TEXT   NOT NULL,                  -- its hash: the prev_hash of the next row
    purged_at  BIGINT NOT NULL,                  -- Unix milliseconds
    rows       BIGINT NOT NULL                   -- how many rows this purge deleted
);
