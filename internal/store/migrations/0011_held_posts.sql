-- Drafts the compliance guard stopped, handed by their author to a
-- compliance officer of an organization they speak for. Only such an
-- officer may release one (it is then published as the author wrote it,
-- with the officer's justification kept here and in the audit log) or
-- decline it; the author may withdraw it. The draft is private: its author
-- and the organization's compliance officers read it, nobody else.
CREATE TABLE held_posts (
    id            BIGINT PRIMARY KEY, -- time-ordered
    author_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    org_id        BIGINT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    draft         TEXT NOT NULL, -- JSON: the status as submitted
    findings      TEXT NOT NULL, -- JSON: what the guard found when it was held
    note          TEXT NOT NULL DEFAULT '', -- the author's word to the officer
    state         TEXT NOT NULL DEFAULT 'held', -- held | released | declined | withdrawn
    decided_by    BIGINT REFERENCES users (id) ON DELETE SET NULL,
    decided_at    BIGINT NOT NULL DEFAULT 0,
    justification TEXT NOT NULL DEFAULT '', -- the officer's reason (release or decline)
    status_id     BIGINT, -- the status published on release
    created_at    BIGINT NOT NULL
);
CREATE INDEX held_posts_org ON held_posts (org_id, state, id);
CREATE INDEX held_posts_author ON held_posts (author_id, id);
