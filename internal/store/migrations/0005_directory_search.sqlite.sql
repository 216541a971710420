-- Full-text index of published clinician profiles (SQLite FTS5). The rowid
-- is the clinician's id; the directory service writes the document.
-- unicode61 without stemming, so that SQLite and PostgreSQL ('simple')
-- match the same words.
CREATE VIRTUAL TABLE clinician_search USING fts5(doc, tokenize = 'unicode61 remove_diacritics 2');
