package account

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/rounds-health/rounds/internal/store"
)

// accountStore is the SQL of this package: one query, one method.
type accountStore struct{ db *store.DB }

const userColumns = `id, username, email, display_name, bio, role, verified, suspended, totp_enabled,
	age_attested_at, password_changed_at, created_at, locked`

func scanUser(s interface{ Scan(...any) error }) (*User, error) {
	var u User
	var role string
	var attested, pwChanged, created int64
	err := s.Scan(&u.ID, &u.Username, &u.Email, &u.DisplayName, &u.Bio, &role, &u.Verified, &u.Suspended,
		&u.TOTPEnabled, &attested, &pwChanged, &created, &u.Locked)
	if err != nil {
		return nil, err
	}
	u.Role = Role(role)
	u.AgeAttestedAt, u.PasswordChangedAt, u.CreatedAt = ms(attested), ms(pwChanged), ms(created)
	return &u, nil
}

func ms(v int64) time.Time { return time.UnixMilli(v).UTC() }

func (st accountStore) insertUser(ctx context.Context, u *User, passwordHash string) error {
	_, err := st.db.Exec(ctx, `INSERT INTO users (id, username, username_lower, email, email_lower, display_name, bio,
		role, verified, password_hash, age_attested_at, password_changed_at, created_at, updated_at, locked)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		u.ID, u.Username, strings.ToLower(u.Username), u.Email, strings.ToLower(u.Email), u.DisplayName, u.Bio,
		string(u.Role), u.Verified, passwordHash, u.AgeAttestedAt.UnixMilli(), u.PasswordChangedAt.UnixMilli(),
		u.CreatedAt.UnixMilli(), u.CreatedAt.UnixMilli(), u.Locked)
	return err
}

// userBy returns the user where column = value; column is a constant from this file.
func (st accountStore) userBy(ctx context.Context, column string, value any) (*User, error) {
	u, err := scanUser(st.db.QueryRow(ctx, "SELECT "+userColumns+" FROM users WHERE "+column+" = ?", value))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return u, err
}

// usersByIDs loads users by id in one query; missing ids are left out.
func (st accountStore) usersByIDs(ctx context.Context, ids []int64) (map[int64]*User, error) {
	out := make(map[int64]*User, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := st.db.Query(ctx, "SELECT "+userColumns+" FROM users WHERE id IN ("+
		strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", ")+")", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out[u.ID] = u
	}
	return out, rows.Err()
}

func (st accountStore) userByID(ctx context.Context, id int64) (*User, error) {
	return st.userBy(ctx, "id", id)
}

func (st accountStore) userByUsername(ctx context.Context, username string) (*User, error) {
	return st.userBy(ctx, "username_lower", strings.ToLower(username))
}

func (st accountStore) emailTaken(ctx context.Context, email string) (bool, error) {
	var n int
	err := st.db.QueryRow(ctx, "SELECT COUNT(*) FROM users WHERE email_lower = ?", strings.ToLower(email)).Scan(&n)
	return n > 0, err
}

func (st accountStore) passwordHash(ctx context.Context, userID int64) (string, error) {
	var h string
	err := st.db.QueryRow(ctx, "SELECT password_hash FROM users WHERE id = ?", userID).Scan(&h)
	return h, err
}

func (st accountStore) setPassword(ctx context.Context, userID int64, hash string, at time.Time) error {
	_, err := st.db.Exec(ctx, "UPDATE users SET password_hash = ?, password_changed_at = ?, updated_at = ? WHERE id = ?",
		hash, at.UnixMilli(), at.UnixMilli(), userID)
	return err
}

func (st accountStore) setRole(ctx context.Context, userID int64, role Role, at time.Time) error {
	_, err := st.db.Exec(ctx, "UPDATE users SET role = ?, updated_at = ? WHERE id = ?", string(role), at.UnixMilli(), userID)
	return err
}

func (st accountStore) setProfile(ctx context.Context, userID int64, displayName, bio string, at time.Time) error {
	_, err := st.db.Exec(ctx, "UPDATE users SET display_name = ?, bio = ?, updated_at = ? WHERE id = ?",
		displayName, bio, at.UnixMilli(), userID)
	return err
}

// totpState returns the sealed active secret, the sealed pending secret and the last used step.
func (st accountStore) totpState(ctx context.Context, userID int64) (secret, pending string, lastStep int64, err error) {
	err = st.db.QueryRow(ctx, "SELECT totp_secret, totp_pending, totp_last_step FROM users WHERE id = ?", userID).
		Scan(&secret, &pending, &lastStep)
	return
}

func (st accountStore) setTOTPPending(ctx context.Context, userID int64, sealed string) error {
	_, err := st.db.Exec(ctx, "UPDATE users SET totp_pending = ? WHERE id = ?", sealed, userID)
	return err
}

func (st accountStore) enableTOTP(ctx context.Context, userID int64, sealed string, step int64, at time.Time) error {
	_, err := st.db.Exec(ctx, `UPDATE users SET totp_secret = ?, totp_pending = '', totp_enabled = TRUE,
		totp_last_step = ?, updated_at = ? WHERE id = ?`, sealed, step, at.UnixMilli(), userID)
	return err
}

func (st accountStore) disableTOTP(ctx context.Context, userID int64, at time.Time) error {
	_, err := st.db.Exec(ctx, `UPDATE users SET totp_secret = '', totp_pending = '', totp_enabled = FALSE,
		totp_last_step = 0, updated_at = ? WHERE id = ?`, at.UnixMilli(), userID)
	if err == nil {
		_, err = st.db.Exec(ctx, "DELETE FROM recovery_codes WHERE user_id = ?", userID)
	}
	return err
}

// useTOTPStep records step as used, only if it is newer than the last one,
// so that two requests racing with the same code cannot both pass.
func (st accountStore) useTOTPStep(ctx context.Context, userID, step int64) (bool, error) {
	res, err := st.db.Exec(ctx, "UPDATE users SET totp_last_step = ? WHERE id = ? AND totp_last_step < ?", step, userID, step)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

func (st accountStore) replaceRecoveryCodes(ctx context.Context, userID int64, ids []int64, hashes []string) error {
	if _, err := st.db.Exec(ctx, "DELETE FROM recovery_codes WHERE user_id = ?", userID); err != nil {
		return err
	}
	for i, h := range hashes {
		if _, err := st.db.Exec(ctx, "INSERT INTO recovery_codes (id, user_id, code_hash) VALUES (?, ?, ?)", ids[i], userID, h); err != nil {
			return err
		}
	}
	return nil
}

// useRecoveryCode marks an unused code as used and reports whether there was one.
func (st accountStore) useRecoveryCode(ctx context.Context, userID int64, hash string, at time.Time) (bool, error) {
	res, err := st.db.Exec(ctx, "UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL",
		at.UnixMilli(), userID, hash)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

func (st accountStore) unusedRecoveryCodes(ctx context.Context, userID int64) (int, error) {
	var n int
	err := st.db.QueryRow(ctx, "SELECT COUNT(*) FROM recovery_codes WHERE user_id = ? AND used_at IS NULL", userID).Scan(&n)
	return n, err
}

// UserFilter selects users for ListUsers.
type UserFilter struct {
	Role   Role
	Query  string // matches username or display name, case-insensitive, substring
	Before int64  // keyset: users with id < Before
	Limit  int
}

func (st accountStore) listUsers(ctx context.Context, f UserFilter) ([]*User, error) {
	q := "SELECT " + userColumns + " FROM users WHERE suspended = FALSE"
	var args []any
	if f.Role != "" {
		q += " AND role = ?"
		args = append(args, string(f.Role))
	}
	if f.Query != "" {
		q += ` AND (username_lower LIKE ? ESCAPE '\' OR LOWER(display_name) LIKE ? ESCAPE '\')`
		like := "%" + likeEscaper.Replace(strings.ToLower(f.Query)) + "%"
		args = append(args, like, like)
	}
	if f.Before > 0 {
		q += " AND id < ?"
		args = append(args, f.Before)
	}
	q += " ORDER BY id DESC LIMIT ?"
	args = append(args, f.Limit)
	rows, err := st.db.Query(ctx, q, args...)
	return store.Collect(rows, err, scanUser)
}

// likeEscaper makes user text match itself in a LIKE pattern with ESCAPE '\':
// "dr_amara" finds dr_amara only, "100%" finds 100%.
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

func (st accountStore) countUsers(ctx context.Context) (int, error) {
	var n int
	err := st.db.QueryRow(ctx, "SELECT COUNT(*) FROM users").Scan(&n)
	return n, err
}

// Sessions.

func (st accountStore) insertSession(ctx context.Context, s *Session, tokenHash string) error {
	_, err := st.db.Exec(ctx, `INSERT INTO sessions (id, token_hash, user_id, mfa_passed, client_addr, user_agent, created_at, last_seen_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, s.ID, tokenHash, s.UserID, s.MFAPassed, s.ClientAddr, s.UserAgent,
		s.CreatedAt.UnixMilli(), s.LastSeenAt.UnixMilli())
	return err
}

func (st accountStore) sessionByTokenHash(ctx context.Context, tokenHash string) (*Session, error) {
	var s Session
	var created, seen int64
	err := st.db.QueryRow(ctx, `SELECT id, user_id, mfa_passed, client_addr, user_agent, created_at, last_seen_at
		FROM sessions WHERE token_hash = ?`, tokenHash).
		Scan(&s.ID, &s.UserID, &s.MFAPassed, &s.ClientAddr, &s.UserAgent, &created, &seen)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	s.CreatedAt, s.LastSeenAt = ms(created), ms(seen)
	return &s, err
}

func (st accountStore) touchSession(ctx context.Context, id int64, at time.Time) error {
	_, err := st.db.Exec(ctx, "UPDATE sessions SET last_seen_at = ? WHERE id = ?", at.UnixMilli(), id)
	return err
}

func (st accountStore) passSessionMFA(ctx context.Context, id int64, at time.Time) error {
	_, err := st.db.Exec(ctx, "UPDATE sessions SET mfa_passed = TRUE, last_seen_at = ? WHERE id = ?", at.UnixMilli(), id)
	return err
}

// rotateSession gives a session a new token hash: the old token stops working.
// With mfa it also marks the second factor as passed, in the same statement.
func (st accountStore) rotateSession(ctx context.Context, id int64, tokenHash string, mfa bool, at time.Time) error {
	_, err := st.db.Exec(ctx, "UPDATE sessions SET token_hash = ?, mfa_passed = (mfa_passed OR ?), last_seen_at = ? WHERE id = ?",
		tokenHash, mfa, at.UnixMilli(), id)
	return err
}

func (st accountStore) deleteSession(ctx context.Context, id int64) error {
	_, err := st.db.Exec(ctx, "DELETE FROM sessions WHERE id = ?", id)
	return err
}

// deleteSessionsOf ends every session of the user except keep (0 keeps none).
func (st accountStore) deleteSessionsOf(ctx context.Context, userID, keep int64) error {
	_, err := st.db.Exec(ctx, "DELETE FROM sessions WHERE user_id = ? AND id <> ?", userID, keep)
	return err
}

func (st accountStore) deleteIdleSessions(ctx context.Context, seenBefore time.Time) (int64, error) {
	res, err := st.db.Exec(ctx, "DELETE FROM sessions WHERE last_seen_at < ?", seenBefore.UnixMilli())
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// Sign-in throttling.

type attempt struct {
	failures    int64
	windowStart time.Time
	lockedUntil time.Time
}

func (st accountStore) attempt(ctx context.Context, key string) (attempt, error) {
	var a attempt
	var start, locked int64
	err := st.db.QueryRow(ctx, "SELECT failures, window_start, locked_until FROM login_attempts WHERE key = ?", key).
		Scan(&a.failures, &start, &locked)
	if errors.Is(err, sql.ErrNoRows) {
		return attempt{}, nil
	}
	a.windowStart, a.lockedUntil = ms(start), ms(locked)
	return a, err
}

// reserveAttempt counts one attempt against t.key in a single statement and
// returns the key's state after it. An expired window or lock starts the
// count again at 1; a key under lock keeps counting (refused attempts); the
// attempt that reaches t.limit sets the lock.
func (st accountStore) reserveAttempt(ctx context.Context, t throttle, now time.Time) (attempt, error) {
	nowMS := now.UnixMilli()
	staleMS := now.Add(-t.window).UnixMilli()
	lockMS := now.Add(t.lock).UnixMilli()
	firstLock := int64(0)
	if t.limit <= 1 {
		firstLock = lockMS
	}
	var a attempt
	var start, locked int64
	// A statement that writes must run on the writer: outside a transaction,
	// QueryRow would go to a read-only connection.
	err := st.db.WithTx(ctx, func(ctx context.Context) error {
		return st.db.QueryRow(ctx, `INSERT INTO login_attempts (key, failures, window_start, locked_until) VALUES (?, 1, ?, ?)
		ON CONFLICT (key) DO UPDATE SET
		failures = CASE
			WHEN login_attempts.locked_until > ? THEN login_attempts.failures + 1
			WHEN login_attempts.window_start <= ? OR login_attempts.locked_until > 0 THEN 1
			ELSE login_attempts.failures + 1 END,
		window_start = CASE
			WHEN login_attempts.locked_until > ? THEN login_attempts.window_start
			WHEN login_attempts.window_start <= ? OR login_attempts.locked_until > 0 THEN ?
			ELSE login_attempts.window_start END,
		locked_until = CASE
			WHEN login_attempts.locked_until > ? THEN login_attempts.locked_until
			WHEN login_attempts.window_start <= ? OR login_attempts.locked_until > 0 THEN ?
			WHEN login_attempts.failures + 1 >= ? THEN ?
			ELSE 0 END
		RETURNING failures, window_start, locked_until`,
			t.key, nowMS, firstLock,
			nowMS, staleMS,
			nowMS, staleMS, nowMS,
			nowMS, staleMS, firstLock, t.limit, lockMS).Scan(&a.failures, &start, &locked)
	})
	a.windowStart, a.lockedUntil = ms(start), ms(locked)
	return a, err
}

// releaseAttempt gives back one attempt that reserveAttempt counted, and
// lifts a lock that only that attempt had reached.
func (st accountStore) releaseAttempt(ctx context.Context, t throttle) error {
	_, err := st.db.Exec(ctx, `UPDATE login_attempts SET
		locked_until = CASE WHEN failures - 1 < ? THEN 0 ELSE locked_until END,
		failures = CASE WHEN failures > 0 THEN failures - 1 ELSE 0 END
		WHERE key = ?`, t.limit, t.key)
	return err
}

func (st accountStore) clearAttempts(ctx context.Context, key string) error {
	_, err := st.db.Exec(ctx, "DELETE FROM login_attempts WHERE key = ?", key)
	return err
}

// Password resets.

func (st accountStore) insertReset(ctx context.Context, id int64, tokenHash string, userID, createdBy int64, at, expires time.Time) error {
	_, err := st.db.Exec(ctx, `INSERT INTO password_resets (id, token_hash, user_id, created_by, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?)`, id, tokenHash, userID, createdBy, at.UnixMilli(), expires.UnixMilli())
	return err
}

// resetUser returns the user a live reset link belongs to, or 0.
func (st accountStore) resetUser(ctx context.Context, tokenHash string, now time.Time) (int64, error) {
	var userID int64
	err := st.db.QueryRow(ctx, `SELECT user_id FROM password_resets WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?`,
		tokenHash, now.UnixMilli()).Scan(&userID)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return userID, err
}

func (st accountStore) useReset(ctx context.Context, tokenHash string, at time.Time) (bool, error) {
	res, err := st.db.Exec(ctx, "UPDATE password_resets SET used_at = ? WHERE token_hash = ? AND used_at IS NULL", at.UnixMilli(), tokenHash)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// API tokens.

func (st accountStore) insertToken(ctx context.Context, id int64, tokenHash string, appID, userID int64, scopes string, at time.Time) error {
	_, err := st.db.Exec(ctx, `INSERT INTO oauth_tokens (id, token_hash, app_id, user_id, scopes, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, id, tokenHash, nullID(appID), nullID(userID), scopes, at.UnixMilli())
	return err
}

func (st accountStore) tokenByHash(ctx context.Context, tokenHash string) (*Token, int64, error) {
	var t Token
	var appID, userID sql.NullInt64
	var scopes string
	var lastUsed int64
	err := st.db.QueryRow(ctx, `SELECT id, app_id, user_id, scopes, last_used_at FROM oauth_tokens
		WHERE token_hash = ? AND revoked_at IS NULL`, tokenHash).Scan(&t.ID, &appID, &userID, &scopes, &lastUsed)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, 0, nil
	}
	if err != nil {
		return nil, 0, err
	}
	t.AppID, t.UserID, t.Scopes = appID.Int64, userID.Int64, strings.Fields(scopes)
	return &t, lastUsed, nil
}

func (st accountStore) touchToken(ctx context.Context, id int64, at time.Time) error {
	_, err := st.db.Exec(ctx, "UPDATE oauth_tokens SET last_used_at = ? WHERE id = ?", at.UnixMilli(), id)
	return err
}

func (st accountStore) revokeTokensOf(ctx context.Context, userID int64, at time.Time) error {
	_, err := st.db.Exec(ctx, "UPDATE oauth_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL", at.UnixMilli(), userID)
	return err
}

func nullID(v int64) any {
	if v == 0 {
		return nil
	}
	return v
}
