package account

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/rounds-health/rounds/internal/audit"
	"github.com/rounds-health/rounds/internal/errs"
)

// scopePattern accepts Mastodon's scopes: read, write, follow, push, profile,
// admin:read and admin:write, each optionally narrowed (read:statuses).
var scopePattern = regexp.MustCompile(`^(read|write|follow|push|profile|admin:read|admin:write)(:[a-z_]+)?$`)

// ParseScopes splits and checks a space-separated scope list.
func ParseScopes(s string) ([]string, error) {
	fields := strings.Fields(s)
	if len(fields) == 0 {
		return nil, errs.Invalid("scopes", `Give at least one scope, e.g. "read write follow".`)
	}
	seen := map[string]bool{}
	var out []string
	for _, f := range fields {
		if !scopePattern.MatchString(f) {
			return nil, errs.Invalid("scopes", fmt.Sprintf("Unknown scope %q; use read, write, follow, push, profile, admin:read or admin:write (optionally narrowed, like read:statuses).", f))
		}
		if !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	return out, nil
}

// IssueToken makes an API bearer token for username with scopes, at once
// and without the two-factor step: the operator's own scripts use it. It is
// stored hashed in the table the OAuth flow uses, and audited, refusals
// included. The admin:read and admin:write scopes are for administrator
// accounts only.
func (s *Service) IssueToken(ctx context.Context, actor Actor, username, scopes string) (string, error) {
	if actor.User != nil && !actor.User.IsAdmin() {
		return "", s.deny(ctx, actor, "admin.issue_token", "", "Only administrators can issue API tokens.")
	}
	sc, err := ParseScopes(scopes)
	if err != nil {
		return "", err
	}
	u, err := s.UserByUsername(ctx, username)
	if err != nil {
		return "", err
	}
	if u.Suspended {
		return "", errs.Invalid("username", "This account is suspended; it cannot have tokens.")
	}
	if !u.IsAdmin() && slices.ContainsFunc(sc, isAdminScope) {
		if err := s.audit.Append(ctx, actor.event("admin.issue_token", userTarget(u.ID), audit.Denied,
			"admin scope for a non-admin account")); err != nil {
			return "", errs.Internal(err, "audit denial")
		}
		return "", errs.Invalid("scopes", fmt.Sprintf("The admin:read and admin:write scopes are for administrator accounts; @%s is a %s account.",
			u.Username, strings.ToLower(u.Role.Label())))
	}
	token := newToken()
	tokenID := s.ids.Next()
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.st.insertToken(ctx, tokenID, hashSecret(token), 0, u.ID, strings.Join(sc, " "), s.now()); err != nil {
			return err
		}
		return s.audit.Append(ctx, actor.event("admin.issue_token", userTarget(u.ID), audit.Success,
			fmt.Sprintf("token:%d scopes=%s", tokenID, strings.Join(sc, " "))))
	})
	if err != nil {
		return "", errs.Internal(err, "issue token")
	}
	return token, nil
}

func isAdminScope(scope string) bool { return strings.HasPrefix(scope, "admin:") }

// AuthenticateToken returns the grant and user behind a bearer token.
// Refused tokens are audited, once per address per failure window: the
// rest are counted, so a client retrying a dead token cannot flood the log.
func (s *Service) AuthenticateToken(ctx context.Context, bearer string) (*Token, *User, error) {
	if bearer == "" {
		return nil, nil, errs.Unauthorized("The access token is missing.")
	}
	t, lastUsed, err := s.st.tokenByHash(ctx, hashSecret(bearer))
	if err != nil {
		return nil, nil, errs.Internal(err, "load token")
	}
	if t == nil {
		return nil, nil, s.refuseToken(ctx, "", "unknown or revoked token")
	}
	var u *User
	if t.UserID != 0 {
		if u, err = s.st.userByID(ctx, t.UserID); err != nil {
			return nil, nil, errs.Internal(err, "load token user")
		}
		if u == nil || u.Suspended {
			return nil, nil, s.refuseToken(ctx, fmt.Sprintf("token:%d", t.ID), "account unavailable")
		}
		if !u.IsAdmin() {
			// Role changes revoke tokens; this holds even for one issued before that rule.
			t.Scopes = slices.DeleteFunc(t.Scopes, isAdminScope)
		}
	}
	now := s.now()
	if now.Sub(time.UnixMilli(lastUsed)) > time.Minute {
		if err := s.st.touchToken(ctx, t.ID, now); err != nil {
			return nil, nil, errs.Internal(err, "touch token")
		}
	}
	return t, u, nil
}

// refuseToken audits the first refused token from the client's address in
// each failure window and returns the error to show.
func (s *Service) refuseToken(ctx context.Context, target, why string) error {
	counts, _, err := s.reserve(ctx, s.bearerThrottle(audit.ClientAddr(ctx)))
	if err != nil {
		return err
	}
	if counts[0].failures == 1 {
		if err := s.audit.Append(ctx, audit.Event{Action: "auth.token", Target: target, Outcome: audit.Failure,
			Detail: why + "; further refusals from this address in the next " + humanDuration(s.cfg.FailureWindow) + " are counted, not logged"}); err != nil {
			return errs.Internal(err, "audit refused token")
		}
	}
	return errs.Unauthorized("The access token is invalid.")
}
