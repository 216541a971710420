-- Notifications: someone followed, asked to follow, mentioned, replied to,
-- favourited or shared. Dismissed ones stay until purged, out of every list.
CREATE TABLE notifications (
    id              BIGINT PRIMARY KEY, -- time-ordered, so paging is by id
    account_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE, -- the recipient
    type            TEXT NOT NULL, -- mention | reply | reblog | favourite | follow | follow_request
    from_account_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    status_id       BIGINT REFERENCES statuses (id) ON DELETE CASCADE,
    created_at      BIGINT NOT NULL,
    read            BOOLEAN NOT NULL DEFAULT FALSE,
    dismissed       BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX notifications_account ON notifications (account_id, dismissed, id);
CREATE INDEX notifications_status ON notifications (status_id);
