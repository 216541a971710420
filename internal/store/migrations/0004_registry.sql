-- The offline provider registry (internal/registry, its only writer): the
-- NPPES dissemination file, one row per NPI, and the OIG exclusion list.
-- Dates are Unix milliseconds at UTC midnight, NULL when the file gives none.
CREATE TABLE registry_providers (
    npi               TEXT PRIMARY KEY,
    entity_type       INTEGER NOT NULL, -- 1 individual, 2 organization, 0 undisclosed (deactivated)
    replacement_npi   TEXT NOT NULL DEFAULT '',
    organization_name TEXT NOT NULL DEFAULT '',
    last_name         TEXT NOT NULL DEFAULT '',
    first_name        TEXT NOT NULL DEFAULT '',
    middle_name       TEXT NOT NULL DEFAULT '',
    name_prefix       TEXT NOT NULL DEFAULT '',
    name_suffix       TEXT NOT NULL DEFAULT '',
    credential        TEXT NOT NULL DEFAULT '',
    primary_taxonomy  TEXT NOT NULL DEFAULT '',
    -- Up to 15 taxonomies with their licenses, as a JSON array: read whole
    -- with the provider, never queried inside, and one row per NPI keeps
    -- the import a single upsert per provider.
    taxonomies        TEXT NOT NULL DEFAULT '[]',
    address_line1     TEXT NOT NULL DEFAULT '',
    address_line2     TEXT NOT NULL DEFAULT '',
    city              TEXT NOT NULL DEFAULT '',
    state             TEXT NOT NULL DEFAULT '',
    postal_code       TEXT NOT NULL DEFAULT '',
    phone             TEXT NOT NULL DEFAULT '',
    enumerated_on     BIGINT,
    last_updated_on   BIGINT,
    deactivation_code TEXT NOT NULL DEFAULT '',
    deactivated_on    BIGINT,
    reactivated_on    BIGINT,
    imported_at       BIGINT NOT NULL
);

-- The LEIE is published whole; each import replaces this table. Dates of
-- birth, street addresses and UPINs in the file are not kept.
CREATE TABLE registry_exclusions (
    id             BIGINT PRIMARY KEY,
    npi            TEXT NOT NULL DEFAULT '', -- '' when the list gives none
    last_name      TEXT NOT NULL DEFAULT '',
    first_name     TEXT NOT NULL DEFAULT '',
    middle_name    TEXT NOT NULL DEFAULT '',
    business_name  TEXT NOT NULL DEFAULT '',
    last_key       TEXT NOT NULL DEFAULT '', -- normalized for matching
    first_key      TEXT NOT NULL DEFAULT '',
    general        TEXT NOT NULL DEFAULT '',
    specialty      TEXT NOT NULL DEFAULT '',
    city           TEXT NOT NULL DEFAULT '',
    state          TEXT NOT NULL DEFAULT '',
    exclusion_type TEXT NOT NULL,
    excluded_on    BIGINT NOT NULL,
    reinstated_on  BIGINT,
    waiver_on      BIGINT,
    waiver_state   TEXT NOT NULL DEFAULT '',
    imported_at    BIGINT NOT NULL
);
CREATE INDEX registry_exclusions_npi ON registry_exclusions (npi);
CREATE INDEX registry_exclusions_name ON registry_exclusions (last_key, first_key);
