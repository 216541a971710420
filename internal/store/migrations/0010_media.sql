-- Uploaded images. The file lives in --data/media; the row says who owns
-- it, what it shows (alt text) and which status carries it once attached.
CREATE TABLE media_attachments (
    id          BIGINT PRIMARY KEY,
    account_id  BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    status_id   BIGINT REFERENCES statuses (id) ON DELETE SET NULL,
    file_name   TEXT NOT NULL,
    mime_type   TEXT NOT NULL,
    width       BIGINT NOT NULL,
    height      BIGINT NOT NULL,
    size_bytes  BIGINT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    created_at  BIGINT NOT NULL
);
CREATE INDEX media_attachments_status ON media_attachments (status_id);
CREATE INDEX media_attachments_account ON media_attachments (account_id, id);
