-- Legal holds: while an organization has one in force, nothing of its
-- people's record (their statuses, deleted or not, with every version) may
-- be purged, whatever the retention policy says. Placed and lifted by its
-- owners and compliance officers, with reasons; never deleted.
CREATE TABLE legal_holds (
    id          BIGINT PRIMARY KEY,
    org_id      BIGINT NOT NULL REFERENCES organizations (id),
    reason      TEXT NOT NULL,
    placed_by   BIGINT REFERENCES users (id) ON DELETE SET NULL,
    placed_at   BIGINT NOT NULL,
    lifted_by   BIGINT REFERENCES users (id) ON DELETE SET NULL,
    lifted_at   BIGINT NOT NULL DEFAULT 0,
    lift_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX legal_holds_org ON legal_holds (org_id, lifted_at);

-- Who a hold covers: the organization's people when it was placed (and
-- those who joined while it is in force, who are its people at purge time),
-- so that leaving the organization does not expose one's record to a purge.
CREATE TABLE legal_hold_people (
    hold_id BIGINT NOT NULL REFERENCES legal_holds (id),
    user_id BIGINT NOT NULL,
    PRIMARY KEY (hold_id, user_id)
);
