-- The durable job queue (internal/jobs). A job is enqueued in the same
-- transaction as the change that needs it, so it exists exactly when the
-- change does. Runners claim due jobs one at a time (PostgreSQL: FOR UPDATE
-- SKIP LOCKED; SQLite: the single writer), holding a lease (locked_until)
-- so that a job whose runner died is claimed again once the lease ends.
-- Handlers get the payload, which holds identifiers only, never PHI.
CREATE TABLE jobs (
    id           BIGINT PRIMARY KEY, -- time-ordered
    kind         TEXT NOT NULL, -- which handler runs it, e.g. drafts.publish
    payload      TEXT NOT NULL DEFAULT '{}', -- JSON
    run_at       BIGINT NOT NULL, -- not before (Unix ms)
    state        TEXT NOT NULL DEFAULT 'queued', -- queued | running | done | failed | cancelled
    attempts     INTEGER NOT NULL DEFAULT 0, -- claims so far
    max_attempts INTEGER NOT NULL DEFAULT 5,
    locked_until BIGINT NOT NULL DEFAULT 0, -- the running claim's lease
    claim        TEXT NOT NULL DEFAULT '', -- the running claim's token
    last_error   TEXT NOT NULL DEFAULT '',
    created_at   BIGINT NOT NULL,
    finished_at  BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX jobs_due ON jobs (state, run_at);
