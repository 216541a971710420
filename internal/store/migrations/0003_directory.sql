-- The directory: organizations with locations and staff, clinician profiles
-- with specialties, practice locations, affiliations and verification.
-- The search index differs per engine (FTS5 / tsvector): 0003 sets up the
-- portable tables; 0005_directory_search.{sqlite,postgres}.sql the index.
CREATE TABLE organizations (
    id          BIGINT PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    website     TEXT NOT NULL DEFAULT '',
    logo_url    TEXT NOT NULL DEFAULT '',
    phone       TEXT NOT NULL DEFAULT '',
    published   BOOLEAN NOT NULL DEFAULT TRUE,
    created_by  BIGINT NOT NULL,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);
CREATE INDEX organizations_name ON organizations (name);

CREATE TABLE org_locations (
    id          BIGINT PRIMARY KEY,
    org_id      BIGINT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    name        TEXT NOT NULL DEFAULT '',
    street      TEXT NOT NULL DEFAULT '',
    city        TEXT NOT NULL DEFAULT '',
    state       TEXT NOT NULL DEFAULT '',
    postal_code TEXT NOT NULL DEFAULT '',
    phone       TEXT NOT NULL DEFAULT '',
    hours       TEXT NOT NULL DEFAULT '',
    lat         DOUBLE PRECISION NOT NULL,
    lon         DOUBLE PRECISION NOT NULL
);
CREATE INDEX org_locations_org ON org_locations (org_id);

-- Staff accounts run an organization; each acts as themself on its behalf.
CREATE TABLE org_members (
    org_id     BIGINT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role       TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (org_id, user_id)
);
CREATE INDEX org_members_user ON org_members (user_id);

-- A clinician profile. user_id is NULL for profiles seeded from the NPPES
-- registry until the clinician claims them.
CREATE TABLE clinicians (
    id                  BIGINT PRIMARY KEY,
    user_id             BIGINT UNIQUE REFERENCES users (id) ON DELETE SET NULL,
    slug                TEXT NOT NULL UNIQUE,
    first_name          TEXT NOT NULL,
    last_name           TEXT NOT NULL,
    sort_name           TEXT NOT NULL,
    credentials         TEXT NOT NULL DEFAULT '',
    bio                 TEXT NOT NULL DEFAULT '',
    languages           TEXT NOT NULL DEFAULT '',
    conditions          TEXT NOT NULL DEFAULT '',
    photo_url           TEXT NOT NULL DEFAULT '',
    npi                 TEXT UNIQUE,
    accepting_new       BOOLEAN NOT NULL DEFAULT FALSE,
    published           BOOLEAN NOT NULL DEFAULT FALSE,
    claimed             BOOLEAN NOT NULL DEFAULT FALSE,
    status              TEXT NOT NULL DEFAULT 'unverified',
    license_state       TEXT NOT NULL DEFAULT '',
    license_number      TEXT NOT NULL DEFAULT '',
    checks              TEXT NOT NULL DEFAULT '',
    verified_by         TEXT NOT NULL DEFAULT '',
    verified_at         BIGINT NOT NULL DEFAULT 0,
    status_note         TEXT NOT NULL DEFAULT '',
    rating_avg          DOUBLE PRECISION NOT NULL DEFAULT 0,
    rating_count        BIGINT NOT NULL DEFAULT 0,
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL
);
CREATE INDEX clinicians_published_sort ON clinicians (published, sort_name);
CREATE INDEX clinicians_published_rating ON clinicians (published, rating_avg, rating_count);
CREATE INDEX clinicians_status ON clinicians (status, updated_at);

CREATE TABLE clinician_specialties (
    clinician_id BIGINT NOT NULL REFERENCES clinicians (id) ON DELETE CASCADE,
    code         TEXT NOT NULL,
    is_primary   BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (clinician_id, code)
);
CREATE INDEX clinician_specialties_code ON clinician_specialties (code, clinician_id);

CREATE TABLE clinician_locations (
    id           BIGINT PRIMARY KEY,
    clinician_id BIGINT NOT NULL REFERENCES clinicians (id) ON DELETE CASCADE,
    org_id       BIGINT REFERENCES organizations (id) ON DELETE SET NULL,
    org_location_id BIGINT,
    name         TEXT NOT NULL DEFAULT '',
    street       TEXT NOT NULL DEFAULT '',
    city         TEXT NOT NULL DEFAULT '',
    state        TEXT NOT NULL DEFAULT '',
    postal_code  TEXT NOT NULL DEFAULT '',
    phone        TEXT NOT NULL DEFAULT '',
    lat          DOUBLE PRECISION NOT NULL,
    lon          DOUBLE PRECISION NOT NULL
);
CREATE INDEX clinician_locations_clinician ON clinician_locations (clinician_id);
CREATE INDEX clinician_locations_geo ON clinician_locations (lat, lon);

-- An affiliation is requested by the clinician and confirmed by an owner
-- of the organization.
CREATE TABLE affiliations (
    clinician_id BIGINT NOT NULL REFERENCES clinicians (id) ON DELETE CASCADE,
    org_id       BIGINT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    title        TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL,
    confirmed_by BIGINT,
    confirmed_at BIGINT NOT NULL DEFAULT 0,
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (clinician_id, org_id)
);
CREATE INDEX affiliations_org ON affiliations (org_id, status);
