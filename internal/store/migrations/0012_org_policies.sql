-- An organization's compliance policy. claims_need_approval: posts by its
-- staff and affiliated clinicians that the guard finds making claims
-- (guaranteed outcomes, "best doctor", testimonials without typicality)
-- are held for a compliance officer instead of published with a warning.
CREATE TABLE org_policies (
    org_id               BIGINT PRIMARY KEY REFERENCES organizations (id) ON DELETE CASCADE,
    claims_need_approval BOOLEAN NOT NULL DEFAULT FALSE,
    updated_by           BIGINT REFERENCES users (id) ON DELETE SET NULL,
    updated_at           BIGINT NOT NULL
);
