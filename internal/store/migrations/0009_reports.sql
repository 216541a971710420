-- Reports of accounts and their statuses to the moderators, and how each
-- was resolved. The moderator's actions themselves (hiding a status,
-- suspending an account) live on the statuses and users rows and in the
-- audit log; a report only records that it was handled, by whom and how.
CREATE TABLE reports (
    id                BIGINT PRIMARY KEY, -- time-ordered
    reporter_id       BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    target_id         BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    category          TEXT NOT NULL, -- spam | legal | violation | other | phi
    comment           TEXT NOT NULL DEFAULT '',
    forward           BOOLEAN NOT NULL DEFAULT FALSE, -- no federation yet: always false
    state             TEXT NOT NULL DEFAULT 'open', -- open | resolved
    resolution        TEXT NOT NULL DEFAULT '', -- hide_status | restore_status | suspend | unsuspend | dismiss
    resolution_reason TEXT NOT NULL DEFAULT '',
    resolved_by       BIGINT REFERENCES users (id) ON DELETE SET NULL,
    resolved_at       BIGINT NOT NULL DEFAULT 0,
    created_at        BIGINT NOT NULL
);
CREATE INDEX reports_state ON reports (state, id);
CREATE INDEX reports_reporter ON reports (reporter_id, created_at);
CREATE INDEX reports_target ON reports (target_id, id);

CREATE TABLE report_statuses (
    report_id BIGINT NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    status_id BIGINT NOT NULL REFERENCES statuses (id) ON DELETE CASCADE,
    PRIMARY KEY (report_id, status_id)
);
CREATE INDEX report_statuses_status ON report_statuses (status_id);
