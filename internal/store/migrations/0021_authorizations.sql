-- HIPAA authorizations for testimonials (45 CFR 164.508): an organization
-- asks a patient, in Rounds, for permission to publish the patient's story;
-- the patient reads what would be published, for what purpose and until
-- when, and signs (typed full name) or declines; the patient may revoke at
-- any time. A patient-story post links to the authorization it relies on:
-- revocation or expiry takes those posts down and alerts the organization.
CREATE TABLE authorizations (
    id           BIGINT PRIMARY KEY, -- time-ordered
    -- No cascades: authorizations are kept six years (45 CFR 164.530(j)),
    -- so the organization and the patient cannot be deleted from under them.
    org_id       BIGINT NOT NULL REFERENCES organizations (id),
    patient_id   BIGINT NOT NULL REFERENCES users (id),
    requested_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    purpose      TEXT NOT NULL, -- why the organization wants to publish it
    content      TEXT NOT NULL, -- what may be published (the story, photos, first name…)
    expires_at   BIGINT NOT NULL, -- end of the authorization (ms)
    state        TEXT NOT NULL DEFAULT 'requested', -- requested | signed | declined | revoked
    signature    TEXT NOT NULL DEFAULT '', -- the patient's typed full legal name
    signed_at    BIGINT NOT NULL DEFAULT 0,
    revoked_at   BIGINT NOT NULL DEFAULT 0,
    ended_at     BIGINT NOT NULL DEFAULT 0, -- when its posts were taken down (revoked or expired)
    created_at   BIGINT NOT NULL
);
CREATE INDEX authorizations_org ON authorizations (org_id, id);
CREATE INDEX authorizations_patient ON authorizations (patient_id, id);
CREATE INDEX authorizations_expiry ON authorizations (state, ended_at, expires_at);

CREATE TABLE authorized_statuses (
    authorization_id BIGINT NOT NULL REFERENCES authorizations (id) ON DELETE CASCADE,
    status_id        BIGINT NOT NULL REFERENCES statuses (id) ON DELETE CASCADE,
    PRIMARY KEY (authorization_id, status_id)
);
CREATE INDEX authorized_statuses_status ON authorized_statuses (status_id);

-- What an organization's owners and compliance officers must know about
-- (an authorization revoked or expired and the posts taken down…), shown on
-- the compliance page.
CREATE TABLE org_alerts (
    id         BIGINT PRIMARY KEY,
    org_id     BIGINT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX org_alerts_org ON org_alerts (org_id, id);
