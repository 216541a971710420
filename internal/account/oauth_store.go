package account

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"
)

// OAuth 2 clients, authorization codes and token revocation. Tokens
// themselves are written by insertToken in store.go, shared with the
// operator's `rounds admin token`.

func (st accountStore) insertApp(ctx context.Context, a *App, secretHash string) error {
	_, err := st.db.Exec(ctx, `INSERT INTO oauth_apps (id, name, website, redirect_uris, scopes, client_id, client_secret_hash, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, a.ID, a.Name, a.Website, strings.Join(a.RedirectURIs, "\n"),
		strings.Join(a.Scopes, " "), a.ClientID, secretHash, a.CreatedAt.UnixMilli())
	return err
}

const appColumns = "id, name, website, redirect_uris, scopes, client_id, client_secret_hash, created_at"

// appBy returns the app where column = value and its secret's hash;
// column is a constant from this file.
func (st accountStore) appBy(ctx context.Context, column string, value any) (*App, string, error) {
	var a App
	var uris, scopes, secretHash string
	var created int64
	err := st.db.QueryRow(ctx, "SELECT "+appColumns+" FROM oauth_apps WHERE "+column+" = ?", value).
		Scan(&a.ID, &a.Name, &a.Website, &uris, &scopes, &a.ClientID, &secretHash, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", nil
	}
	if err != nil {
		return nil, "", err
	}
	a.RedirectURIs, a.Scopes, a.CreatedAt = strings.Split(uris, "\n"), strings.Fields(scopes), ms(created)
	return &a, secretHash, nil
}

func (st accountStore) appByClientID(ctx context.Context, clientID string) (*App, string, error) {
	return st.appBy(ctx, "client_id", clientID)
}

func (st accountStore) appByID(ctx context.Context, id int64) (*App, error) {
	a, _, err := st.appBy(ctx, "id", id)
	return a, err
}

// authCode is a stored authorization code, without the code itself.
type authCode struct {
	ID          int64
	AppID       int64
	UserID      int64
	RedirectURI string
	Scopes      []string
	Challenge   string
	ExpiresAt   time.Time
	Used        bool
	TokenID     int64 // the token issued from the code, 0 before the exchange
}

func (st accountStore) insertCode(ctx context.Context, c *authCode, codeHash string, at time.Time) error {
	_, err := st.db.Exec(ctx, `INSERT INTO oauth_codes (id, code_hash, app_id, user_id, redirect_uri, scopes, code_challenge,
		created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, c.ID, codeHash, c.AppID, c.UserID, c.RedirectURI,
		strings.Join(c.Scopes, " "), c.Challenge, at.UnixMilli(), c.ExpiresAt.UnixMilli())
	return err
}

func (st accountStore) codeByHash(ctx context.Context, codeHash string) (*authCode, error) {
	var c authCode
	var scopes string
	var expires int64
	var used, tokenID sql.NullInt64
	err := st.db.QueryRow(ctx, `SELECT id, app_id, user_id, redirect_uri, scopes, code_challenge, expires_at, used_at, token_id
		FROM oauth_codes WHERE code_hash = ?`, codeHash).
		Scan(&c.ID, &c.AppID, &c.UserID, &c.RedirectURI, &scopes, &c.Challenge, &expires, &used, &tokenID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	c.Scopes, c.ExpiresAt, c.Used, c.TokenID = strings.Fields(scopes), ms(expires), used.Valid, tokenID.Int64
	return &c, nil
}

// useCode marks an unused code as used and reports whether this call did,
// so that of two exchanges racing with one code only one succeeds.
func (st accountStore) useCode(ctx context.Context, id int64, at time.Time) (bool, error) {
	res, err := st.db.Exec(ctx, "UPDATE oauth_codes SET used_at = ? WHERE id = ? AND used_at IS NULL", at.UnixMilli(), id)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

func (st accountStore) setCodeToken(ctx context.Context, codeID, tokenID int64) error {
	_, err := st.db.Exec(ctx, "UPDATE oauth_codes SET token_id = ? WHERE id = ?", tokenID, codeID)
	return err
}

// codeTokenID reads the token issued from a code as committed now: after a
// lost race for the code, the winner's token.
func (st accountStore) codeTokenID(ctx context.Context, codeID int64) (int64, error) {
	var tokenID sql.NullInt64
	err := st.db.QueryRow(ctx, "SELECT token_id FROM oauth_codes WHERE id = ?", codeID).Scan(&tokenID)
	return tokenID.Int64, err
}

func (st accountStore) deleteCodesExpiredBefore(ctx context.Context, before time.Time) error {
	_, err := st.db.Exec(ctx, "DELETE FROM oauth_codes WHERE expires_at < ?", before.UnixMilli())
	return err
}

// revokeToken revokes one live token and reports whether it was live.
func (st accountStore) revokeToken(ctx context.Context, id int64, at time.Time) (bool, error) {
	res, err := st.db.Exec(ctx, "UPDATE oauth_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", at.UnixMilli(), id)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}
