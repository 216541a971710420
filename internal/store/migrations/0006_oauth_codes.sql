-- OAuth 2 authorization codes (RFC 6749 §4.1). Only the code's SHA-256 is
-- stored. A code lives 10 minutes and is used once; the row is kept for a
-- day after it expires so that a replayed code can still be recognized and
-- the token issued from it revoked (§4.1.2).
CREATE TABLE oauth_codes (
    id             BIGINT PRIMARY KEY,
    code_hash      TEXT NOT NULL UNIQUE,
    app_id         BIGINT NOT NULL REFERENCES oauth_apps (id) ON DELETE CASCADE,
    user_id        BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    redirect_uri   TEXT NOT NULL,
    scopes         TEXT NOT NULL,
    code_challenge TEXT NOT NULL DEFAULT '', -- PKCE S256 challenge; '' when none was given
    created_at     BIGINT NOT NULL,
    expires_at     BIGINT NOT NULL,
    used_at        BIGINT,
    token_id       BIGINT REFERENCES oauth_tokens (id) ON DELETE SET NULL
);
CREATE INDEX oauth_codes_expires ON oauth_codes (expires_at);

-- Revocation and the cascade from a deleted app look tokens up by app.
CREATE INDEX oauth_tokens_app ON oauth_tokens (app_id);
