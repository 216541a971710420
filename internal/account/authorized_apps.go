package account

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rounds-health/rounds/internal/audit"
	"github.com/rounds-health/rounds/internal/errs"
)

// AuthorizedApp is an application that holds live tokens for a person, as
// the settings page lists it: what it may do and since when.
type AuthorizedApp struct {
	ID           int64
	Name         string
	Website      string
	Scopes       []string  // every scope of its live tokens, in the order first granted
	AuthorizedAt time.Time // the newest live token
	LastUsedAt   time.Time // zero when no token has been used yet
	Tokens       int
}

// AuthorizedApps lists the applications holding live tokens for the actor,
// most recently authorized first. Tokens the operator issued with `rounds
// admin token` belong to no application and are not listed.
func (s *Service) AuthorizedApps(ctx context.Context, actor Actor) ([]AuthorizedApp, error) {
	if actor.User == nil {
		return nil, errs.Unauthorized("Sign in first.")
	}
	apps, err := s.st.authorizedApps(ctx, actor.User.ID)
	if err != nil {
		return nil, errs.Internal(err, "list authorized apps")
	}
	return apps, nil
}

// RevokeApp takes back the actor's consent from an application: every live
// token it holds for them is revoked and its unused authorization codes are
// deleted, so it cannot act for them again without a new consent. It
// returns how many tokens were revoked; an application with none is not
// found, whether or not it exists.
func (s *Service) RevokeApp(ctx context.Context, actor Actor, appID int64) (int, error) {
	u := actor.User
	if u == nil {
		return 0, errs.Unauthorized("Sign in first.")
	}
	var n int
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		var err error
		if n, err = s.st.revokeAppTokens(ctx, u.ID, appID, s.now()); err != nil || n == 0 {
			return err
		}
		if err := s.st.deleteUnusedCodes(ctx, u.ID, appID); err != nil {
			return err
		}
		return s.audit.Append(ctx, actor.event("oauth.revoke_app", appTarget(appID), audit.Success,
			fmt.Sprintf("revoked by the user: %d tokens for %s", n, userTarget(u.ID))))
	})
	if err != nil {
		return 0, errs.Internal(err, "revoke app")
	}
	if n == 0 {
		return 0, errs.NotFound("This application has no access to your account.")
	}
	return n, nil
}

// authorizedApps reads the user's live app tokens, newest first, and folds
// them into one entry per app.
func (st accountStore) authorizedApps(ctx context.Context, userID int64) ([]AuthorizedApp, error) {
	rows, err := st.db.Query(ctx, `SELECT a.id, a.name, a.website, t.scopes, t.created_at, t.last_used_at
		FROM oauth_tokens t JOIN oauth_apps a ON a.id = t.app_id
		WHERE t.user_id = ? AND t.revoked_at IS NULL ORDER BY t.created_at DESC, t.id DESC`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []AuthorizedApp
	at := map[int64]int{} // app ID → index in out
	for rows.Next() {
		var a AuthorizedApp
		var scopes string
		var created, used int64
		if err := rows.Scan(&a.ID, &a.Name, &a.Website, &scopes, &created, &used); err != nil {
			return nil, err
		}
		i, seen := at[a.ID]
		if !seen {
			a.AuthorizedAt = ms(created)
			i, at[a.ID] = len(out), len(out)
			out = append(out, a)
		}
		e := &out[i]
		e.Tokens++
		for _, sc := range strings.Fields(scopes) {
			if !slices.Contains(e.Scopes, sc) {
				e.Scopes = append(e.Scopes, sc)
			}
		}
		if used > 0 && ms(used).After(e.LastUsedAt) {
			e.LastUsedAt = ms(used)
		}
	}
	return out, rows.Err()
}

func (st accountStore) revokeAppTokens(ctx context.Context, userID, appID int64, at time.Time) (int, error) {
	res, err := st.db.Exec(ctx, "UPDATE oauth_tokens SET revoked_at = ? WHERE user_id = ? AND app_id = ? AND revoked_at IS NULL",
		at.UnixMilli(), userID, appID)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// deleteUnusedCodes deletes the codes not yet exchanged, so that a consent
// given a moment before the revocation cannot still become a token. Used
// codes stay: a replay of one must still be recognized.
func (st accountStore) deleteUnusedCodes(ctx context.Context, userID, appID int64) error {
	_, err := st.db.Exec(ctx, "DELETE FROM oauth_codes WHERE user_id = ? AND app_id = ? AND used_at IS NULL", userID, appID)
	return err
}
