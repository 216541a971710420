-- The publishing workflow (internal/drafts): drafts that an organization's
-- social-media staff prepare for the organization or for a clinician
-- affiliated with it, reviewed by approval steps and published at a
-- scheduled time. Nothing here is ever deleted: every version with what the
-- guard found in it, and every decision with the version it was made on,
-- stay as the record of who approved what. Drafts are private to the
-- organization's staff and the clinician they are for.

-- An organization's approval steps, in order; none means the default
-- (the clinician the draft is for, then any compliance officer).
CREATE TABLE approval_steps (
    org_id     BIGINT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL, -- 1, 2, …
    approver   TEXT NOT NULL, -- clinician | compliance
    rule       TEXT NOT NULL, -- any | all
    updated_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (org_id, position)
);

CREATE TABLE drafts (
    id            BIGINT PRIMARY KEY, -- time-ordered
    org_id        BIGINT NOT NULL REFERENCES organizations (id),
    author_id     BIGINT NOT NULL REFERENCES users (id), -- who started it
    for_user_id   BIGINT REFERENCES users (id), -- the clinician it speaks for; NULL: the organization
    state         TEXT NOT NULL DEFAULT 'in_review', -- in_review | changes_requested | approved | published | rejected | withdrawn
    version       INTEGER NOT NULL DEFAULT 1, -- the current version
    approved_at   BIGINT NOT NULL DEFAULT 0, -- when the current version became fully approved
    schedule      TEXT NOT NULL DEFAULT 'none', -- none | scheduled | needs_new_time
    publish_at    BIGINT NOT NULL DEFAULT 0,
    job_id        BIGINT, -- the queued publication (jobs.id)
    schedule_note TEXT NOT NULL DEFAULT '', -- why a scheduled publication did not happen (no user text)
    status_id     BIGINT, -- the published status
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);
CREATE INDEX drafts_org ON drafts (org_id, id);
CREATE INDEX drafts_for ON drafts (for_user_id, id);

-- Every version as written, with the guard's findings for the account that
-- will publish it.
CREATE TABLE draft_versions (
    draft_id   BIGINT NOT NULL REFERENCES drafts (id),
    version    INTEGER NOT NULL,
    author_id  BIGINT NOT NULL REFERENCES users (id),
    content    TEXT NOT NULL, -- JSON: kind, title, spoiler_text, text, visibility, sensitive, language
    findings   TEXT NOT NULL, -- JSON: every finding of the guard
    blocking   INTEGER NOT NULL DEFAULT 0, -- how many findings block publication
    created_at BIGINT NOT NULL,
    PRIMARY KEY (draft_id, version)
);

-- Comments, requests for changes, approvals, rejections and releases of
-- blocking findings, each on the exact version it was made on. An edit
-- voids the approvals, requests and releases of the versions before it:
-- they stay, marked with the version that voided them.
CREATE TABLE draft_decisions (
    id                BIGINT PRIMARY KEY, -- time-ordered
    draft_id          BIGINT NOT NULL REFERENCES drafts (id),
    version           INTEGER NOT NULL,
    actor_id          BIGINT NOT NULL REFERENCES users (id),
    kind              TEXT NOT NULL, -- comment | request_changes | approve | reject | release
    body              TEXT NOT NULL DEFAULT '',
    voided_at         BIGINT NOT NULL DEFAULT 0,
    voided_by_version INTEGER NOT NULL DEFAULT 0,
    created_at        BIGINT NOT NULL
);
CREATE INDEX draft_decisions_draft ON draft_decisions (draft_id, id);

-- Who prepared and who approved a status published through the workflow,
-- fixed at publication ("Prepared by Sam Lee, approved by Dr. Ada Quill").
-- Kept when the status is deleted, like the draft it came from.
CREATE TABLE status_attributions (
    status_id     BIGINT PRIMARY KEY,
    draft_id      BIGINT NOT NULL REFERENCES drafts (id),
    version       INTEGER NOT NULL,
    prepared_by   BIGINT NOT NULL REFERENCES users (id),
    prepared_name TEXT NOT NULL,
    org_id        BIGINT NOT NULL REFERENCES organizations (id), -- on behalf of
    approvals     TEXT NOT NULL, -- JSON: [{"user_id", "username", "name", "as": clinician | compliance}]
    text          TEXT NOT NULL,
    created_at    BIGINT NOT NULL
);
CREATE INDEX status_attributions_draft ON status_attributions (draft_id);
