-- Accounts, sign-in state, password resets and API tokens.
-- Times are Unix milliseconds (BIGINT) so that one query path serves both engines.
CREATE TABLE users (
    id                  BIGINT PRIMARY KEY,
    username            TEXT NOT NULL,
    username_lower      TEXT NOT NULL UNIQUE,
    email               TEXT NOT NULL,
    email_lower         TEXT NOT NULL UNIQUE,
    display_name        TEXT NOT NULL DEFAULT '',
    bio                 TEXT NOT NULL DEFAULT '',
    role                TEXT NOT NULL,
    verified            BOOLEAN NOT NULL DEFAULT FALSE,
    suspended           BOOLEAN NOT NULL DEFAULT FALSE,
    password_hash       TEXT NOT NULL,
    totp_secret         TEXT NOT NULL DEFAULT '',
    totp_pending        TEXT NOT NULL DEFAULT '',
    totp_enabled        BOOLEAN NOT NULL DEFAULT FALSE,
    totp_last_step      BIGINT NOT NULL DEFAULT 0,
    age_attested_at     BIGINT NOT NULL,
    password_changed_at BIGINT NOT NULL,
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL
);
CREATE INDEX users_role ON users (role, id);

CREATE TABLE recovery_codes (
    id        BIGINT PRIMARY KEY,
    user_id   BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    used_at   BIGINT
);
CREATE INDEX recovery_codes_user ON recovery_codes (user_id);

CREATE TABLE sessions (
    id           BIGINT PRIMARY KEY,
    token_hash   TEXT NOT NULL UNIQUE,
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    mfa_passed   BOOLEAN NOT NULL DEFAULT FALSE,
    client_addr  TEXT NOT NULL DEFAULT '',
    user_agent   TEXT NOT NULL DEFAULT '',
    created_at   BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_last_seen ON sessions (last_seen_at);

-- Failed sign-ins, keyed by "user:<lowercase username>" or "ip:<address>".
-- Keyed by the name typed, not the account, so that lock-out does not reveal
-- whether an account exists.
CREATE TABLE login_attempts (
    key          TEXT PRIMARY KEY,
    failures     BIGINT NOT NULL,
    window_start BIGINT NOT NULL,
    locked_until BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE password_resets (
    id         BIGINT PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_by BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT
);

-- OAuth 2 clients and bearer tokens. The admin CLI issues tokens into the same
-- table that the OAuth flow uses.
CREATE TABLE oauth_apps (
    id                 BIGINT PRIMARY KEY,
    name               TEXT NOT NULL,
    website            TEXT NOT NULL DEFAULT '',
    redirect_uris      TEXT NOT NULL,
    scopes             TEXT NOT NULL,
    client_id          TEXT NOT NULL UNIQUE,
    client_secret_hash TEXT NOT NULL,
    created_at         BIGINT NOT NULL
);

CREATE TABLE oauth_tokens (
    id           BIGINT PRIMARY KEY,
    token_hash   TEXT NOT NULL UNIQUE,
    app_id       BIGINT REFERENCES oauth_apps (id) ON DELETE CASCADE,
    user_id      BIGINT REFERENCES users (id) ON DELETE CASCADE,
    scopes       TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    last_used_at BIGINT NOT NULL DEFAULT 0,
    revoked_at   BIGINT
);
CREATE INDEX oauth_tokens_user ON oauth_tokens (user_id);
