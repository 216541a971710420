-- The social core: follows (with requests for locked accounts), blocks,
-- mutes, statuses (posts, replies, shares, articles) with edit history,
-- mentions, hashtags and favourites.
ALTER TABLE users ADD COLUMN locked BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE follows (
    follower_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    followee_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    state       TEXT NOT NULL, -- accepted | requested
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (follower_id, followee_id)
);
CREATE INDEX follows_followee ON follows (followee_id, state, created_at);

CREATE TABLE blocks (
    blocker_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    blocked_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (blocker_id, blocked_id)
);
CREATE INDEX blocks_blocked ON blocks (blocked_id, blocker_id);

CREATE TABLE mutes (
    muter_id   BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    muted_id   BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (muter_id, muted_id)
);

CREATE TABLE statuses (
    id                     BIGINT PRIMARY KEY,
    account_id             BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind                   TEXT NOT NULL DEFAULT 'note', -- note | article
    title                  TEXT NOT NULL DEFAULT '',
    summary                TEXT NOT NULL DEFAULT '',
    source                 TEXT NOT NULL DEFAULT '',
    content                TEXT NOT NULL DEFAULT '',
    visibility             TEXT NOT NULL, -- public | unlisted | private | members | direct
    sensitive              BOOLEAN NOT NULL DEFAULT FALSE,
    language               TEXT NOT NULL DEFAULT '',
    in_reply_to_id         BIGINT,
    in_reply_to_account_id BIGINT,
    reblog_of_id           BIGINT,
    replies_count          BIGINT NOT NULL DEFAULT 0,
    reblogs_count          BIGINT NOT NULL DEFAULT 0,
    favourites_count       BIGINT NOT NULL DEFAULT 0,
    hidden                 BOOLEAN NOT NULL DEFAULT FALSE,
    created_at             BIGINT NOT NULL,
    edited_at              BIGINT NOT NULL DEFAULT 0,
    deleted_at             BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX statuses_account ON statuses (account_id, id);
CREATE INDEX statuses_reply ON statuses (in_reply_to_id, id);
CREATE INDEX statuses_visibility ON statuses (visibility, id);
CREATE UNIQUE INDEX statuses_one_reblog ON statuses (account_id, reblog_of_id) WHERE reblog_of_id IS NOT NULL;

CREATE TABLE status_edits (
    id         BIGINT PRIMARY KEY,
    status_id  BIGINT NOT NULL REFERENCES statuses (id) ON DELETE CASCADE,
    title      TEXT NOT NULL DEFAULT '',
    summary    TEXT NOT NULL DEFAULT '',
    source     TEXT NOT NULL,
    content    TEXT NOT NULL,
    sensitive  BOOLEAN NOT NULL DEFAULT FALSE,
    created_at BIGINT NOT NULL
);
CREATE INDEX status_edits_status ON status_edits (status_id, id);

CREATE TABLE mentions (
    status_id  BIGINT NOT NULL REFERENCES statuses (id) ON DELETE CASCADE,
    account_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (status_id, account_id)
);
CREATE INDEX mentions_account ON mentions (account_id, status_id);

CREATE TABLE tags (
    id   BIGINT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

CREATE TABLE status_tags (
    status_id BIGINT NOT NULL REFERENCES statuses (id) ON DELETE CASCADE,
    tag_id    BIGINT NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    PRIMARY KEY (status_id, tag_id)
);
CREATE INDEX status_tags_tag ON status_tags (tag_id, status_id);

CREATE TABLE favourites (
    account_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    status_id  BIGINT NOT NULL REFERENCES statuses (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (account_id, status_id)
);
CREATE INDEX favourites_status ON favourites (status_id);
