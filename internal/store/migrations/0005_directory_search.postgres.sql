-- Full-text index of published clinician profiles (PostgreSQL tsvector).
-- The 'simple' configuration (no stemming) matches SQLite's unicode61.
CREATE TABLE clinician_search (
    clinician_id BIGINT PRIMARY KEY REFERENCES clinicians (id) ON DELETE CASCADE,
    doc          TEXT NOT NULL,
    tsv          tsvector NOT NULL
);
CREATE INDEX clinician_search_tsv ON clinician_search USING GIN (tsv);
