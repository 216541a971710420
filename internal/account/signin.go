package account

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/rounds-health/rounds/internal/audit"
	"github.com/rounds-health/rounds/internal/errs"
)

// Credentials are what a person types to sign in.
type Credentials struct {
	Username  string
	Password  string
	UserAgent string
}

// SignIn checks a username and password and opens a session. The returned
// token goes in the session cookie; only its hash is stored. When the user
// has two-factor sign-in, the session must pass VerifySecondFactor before it
// may act. Attempts are throttled per typed username and per client address,
// counted before the password is checked.
func (s *Service) SignIn(ctx context.Context, c Credentials) (*Session, *User, string, error) {
	name := strings.ToLower(strings.TrimPrefix(strings.TrimSpace(c.Username), "@"))
	if name == "" || c.Password == "" {
		return nil, nil, "", errs.Fields(
			nonEmpty("username", name, "Enter your username."),
			nonEmpty("password", c.Password, "Enter your password."))
	}
	ts := []throttle{s.userThrottle(s.userKey(name)), s.addrThrottle(audit.ClientAddr(ctx))}
	counts, lo, err := s.reserve(ctx, ts...)
	if err != nil {
		return nil, nil, "", err
	}
	if lo != nil {
		e := audit.Event{Action: "auth.signin"}
		if lo.first { // only then is the refusal written down: name its account
			e = s.signInEvent(ctx, name)
		}
		return nil, nil, "", s.refuse(ctx, lo, e)
	}
	u, ok, err := s.checkCredentials(ctx, name, c.Password)
	if err != nil {
		s.release(ctx, ts...)
		return nil, nil, "", err
	}
	if !ok {
		e := eventFor(u, s.typedName(name))
		e.Detail = "wrong username or password"
		if err := s.failed(ctx, ts, counts, e); err != nil {
			return nil, nil, "", err
		}
		return nil, nil, "", errs.Unauthorized("The username or password is not right.")
	}
	// The password was right: its counter starts again, the address gets
	// its attempt back. The second-factor counter is left as it is.
	s.clear(ctx, ts[0].key)
	s.release(ctx, ts[1])
	if err := s.mayOpenSession(ctx, u); err != nil {
		return nil, nil, "", err
	}
	return s.openSession(ctx, u, c.UserAgent, "password")
}

// signInEvent is the audit event of a sign-in as name: the account's, if
// there is one.
func (s *Service) signInEvent(ctx context.Context, name string) audit.Event {
	var u *User
	if usernamePattern.MatchString(name) {
		u, _ = s.st.userByUsername(ctx, name)
	}
	return eventFor(u, s.typedName(name))
}

func eventFor(u *User, typed string) audit.Event {
	if u == nil {
		return audit.Event{Actor: typed, Action: "auth.signin"}
	}
	return audit.Event{ActorID: u.ID, Actor: u.Username, Action: "auth.signin", Target: userTarget(u.ID)}
}

// checkCredentials returns the user called name and whether password is
// theirs. Unknown names are checked against a dummy hash, so that a failure
// takes as long whether or not the account exists; names that cannot be
// usernames need no check at all, since the pattern is public.
func (s *Service) checkCredentials(ctx context.Context, name, password string) (*User, bool, error) {
	if !usernamePattern.MatchString(name) {
		return nil, false, nil
	}
	u, err := s.st.userByUsername(ctx, name)
	if err != nil {
		return nil, false, errs.Internal(err, "sign in")
	}
	hash := dummyHash
	if u != nil {
		if hash, err = s.st.passwordHash(ctx, u.ID); err != nil {
			return nil, false, errs.Internal(err, "sign in")
		}
	}
	ok, err := s.checkPassword(ctx, hash, password)
	return u, ok && u != nil, err
}

// mayOpenSession refuses suspended accounts, and accounts whose second
// factor is locked: a session opened then could do nothing but wait.
func (s *Service) mayOpenSession(ctx context.Context, u *User) error {
	if u.Suspended {
		_ = s.audit.Append(ctx, audit.Event{ActorID: u.ID, Actor: u.Username, Action: "auth.signin", Target: userTarget(u.ID),
			Outcome: audit.Denied, Detail: "suspended"})
		return errs.Forbidden("This account is suspended. Contact the administrators of this Rounds instance.")
	}
	if !u.TOTPEnabled {
		return nil
	}
	t := s.secondFactorThrottle(u)
	a, err := s.st.attempt(ctx, t.key)
	if err != nil {
		return errs.Internal(err, "read second-factor attempts")
	}
	if a.lockedUntil.After(s.now()) {
		return s.lockError(t, a.lockedUntil)
	}
	return nil
}

// openSession starts a session for u, who has just proved their password.
func (s *Service) openSession(ctx context.Context, u *User, userAgent, how string) (*Session, *User, string, error) {
	now := s.now().UTC()
	sess := &Session{ID: s.ids.Next(), UserID: u.ID, ClientAddr: audit.ClientAddr(ctx),
		UserAgent: truncate(userAgent, 300), CreatedAt: now, LastSeenAt: now}
	token := newToken()
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.st.insertSession(ctx, sess, hashSecret(token)); err != nil {
			return err
		}
		if u.TOTPEnabled {
			how += "; second factor due"
		}
		return s.audit.Append(ctx, audit.Event{ActorID: u.ID, Actor: u.Username, Action: "auth.signin",
			Target: userTarget(u.ID), Outcome: audit.Success, Detail: how})
	})
	if err != nil {
		return nil, nil, "", errs.Internal(err, "open session")
	}
	return sess, u, token, nil
}

func nonEmpty(field, v, msg string) errs.FieldError {
	if v != "" {
		return errs.FieldError{}
	}
	return errs.FieldError{Field: field, Message: msg}
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// truncate cuts s to at most n bytes of valid UTF-8: PostgreSQL refuses
// text that is not, and a header can carry anything.
func truncate(s string, n int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// Authenticate returns the session and user for a cookie token. A session
// idle longer than the idle timeout, older than the maximum age, or waiting
// too long for its second factor is ended: that is the automatic log-off.
func (s *Service) Authenticate(ctx context.Context, token string) (*Session, *User, error) {
	if token == "" {
		return nil, nil, errs.Unauthorized("Sign in first.")
	}
	sess, err := s.st.sessionByTokenHash(ctx, hashSecret(token))
	if err != nil {
		return nil, nil, errs.Internal(err, "load session")
	}
	if sess == nil {
		return nil, nil, errs.Unauthorized("Your session has ended. Sign in again.")
	}
	now := s.now()
	u, err := s.st.userByID(ctx, sess.UserID)
	if err != nil {
		return nil, nil, errs.Internal(err, "load session user")
	}
	expired := ""
	switch {
	case u == nil || u.Suspended:
		expired = "account unavailable"
	case now.Sub(sess.LastSeenAt) > s.cfg.IdleTimeout:
		expired = "idle timeout"
	case now.Sub(sess.CreatedAt) > s.cfg.MaxSessionAge:
		expired = "maximum session age"
	case u.TOTPEnabled && !sess.MFAPassed && now.Sub(sess.CreatedAt) > s.cfg.SecondFactorWait:
		expired = "second factor not entered in time"
	}
	if expired != "" {
		err := s.db.WithTx(ctx, func(ctx context.Context) error {
			if err := s.st.deleteSession(ctx, sess.ID); err != nil {
				return err
			}
			return s.audit.Append(ctx, audit.Event{ActorID: sess.UserID, Actor: usernameOf(u), Action: "auth.session_expired",
				Target: fmt.Sprintf("session:%d", sess.ID), Outcome: audit.Success, Detail: expired})
		})
		if err != nil {
			return nil, nil, errs.Internal(err, "end session")
		}
		return nil, nil, errs.Unauthorized(fmt.Sprintf("You were signed out after %s without activity. Sign in again.", humanDuration(s.cfg.IdleTimeout)))
	}
	// Writing last_seen on every request would make every page a write;
	// a 30-second granularity costs at most 30 seconds of idle time.
	if now.Sub(sess.LastSeenAt) > 30*time.Second {
		if err := s.st.touchSession(ctx, sess.ID, now); err != nil {
			return nil, nil, errs.Internal(err, "touch session")
		}
		sess.LastSeenAt = now
	}
	return sess, u, nil
}

func usernameOf(u *User) string {
	if u == nil {
		return ""
	}
	return u.Username
}

func humanDuration(d time.Duration) string {
	if d >= time.Minute && d%time.Minute == 0 {
		m := int(d / time.Minute)
		return fmt.Sprintf("%d minute%s", m, plural(m))
	}
	return d.String()
}

// SignOut ends the session behind token. Unknown tokens are not an error.
func (s *Service) SignOut(ctx context.Context, token string) error {
	sess, err := s.st.sessionByTokenHash(ctx, hashSecret(token))
	if err != nil {
		return errs.Internal(err, "load session")
	}
	if sess == nil {
		return nil
	}
	u, _ := s.st.userByID(ctx, sess.UserID)
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.st.deleteSession(ctx, sess.ID); err != nil {
			return err
		}
		return s.audit.Append(ctx, audit.Event{ActorID: sess.UserID, Actor: usernameOf(u), Action: "auth.signout",
			Target: fmt.Sprintf("session:%d", sess.ID), Outcome: audit.Success})
	})
	if err != nil {
		return errs.Internal(err, "sign out")
	}
	return nil
}

// ExpireIdleSessions deletes sessions idle past the timeout; the server runs
// it periodically so that abandoned sessions do not linger in the table.
func (s *Service) ExpireIdleSessions(ctx context.Context) (int64, error) {
	return s.st.deleteIdleSessions(ctx, s.now().Add(-s.cfg.IdleTimeout))
}

// ChangePassword replaces the actor's password after checking the current
// one, and ends the actor's other sessions.
func (s *Service) ChangePassword(ctx context.Context, actor Actor, sess *Session, current, next string) error {
	u := actor.User
	if u == nil {
		return errs.Unauthorized("Sign in first.")
	}
	if err := s.checkOwnPassword(ctx, actor, sess, current, "account.change_password", "current_password"); err != nil {
		return err
	}
	if p := passwordProblem(next, u.Username); p != "" {
		return errs.Invalid("new_password", p)
	}
	if current == next {
		return errs.Invalid("new_password", "Choose a password different from your current one.")
	}
	keep := int64(0)
	if sess != nil {
		keep = sess.ID
	}
	hash, err := s.hashPassword(ctx, next)
	if err != nil {
		return err
	}
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.st.setPassword(ctx, u.ID, hash, s.now()); err != nil {
			return err
		}
		if err := s.st.deleteSessionsOf(ctx, u.ID, keep); err != nil {
			return err
		}
		return s.audit.Append(ctx, actor.event("account.change_password", userTarget(u.ID), audit.Success, "other sessions ended"))
	})
	if err != nil {
		return errs.Internal(err, "change password")
	}
	return nil
}

// IssueResetLink makes a one-time password reset token for username. There
// is no mail server yet: the admin hands the link over by a channel they trust.
func (s *Service) IssueResetLink(ctx context.Context, actor Actor, username string) (string, error) {
	u, err := s.UserByUsername(ctx, username)
	if err != nil {
		return "", err
	}
	if actor.User != nil && !actor.User.IsAdmin() {
		return "", s.deny(ctx, actor, "admin.issue_reset_link", userTarget(u.ID), "Only administrators can issue reset links.")
	}
	token := newToken()
	now := s.now()
	var by int64
	if actor.User != nil {
		by = actor.User.ID
	}
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.st.insertReset(ctx, s.ids.Next(), hashSecret(token), u.ID, by, now, now.Add(s.cfg.ResetLinkTTL)); err != nil {
			return err
		}
		return s.audit.Append(ctx, actor.event("admin.issue_reset_link", userTarget(u.ID), audit.Success,
			"valid for "+humanDuration(s.cfg.ResetLinkTTL)))
	})
	if err != nil {
		return "", errs.Internal(err, "issue reset link")
	}
	return token, nil
}

// ResetUser returns the user a live reset token belongs to.
func (s *Service) ResetUser(ctx context.Context, token string) (*User, error) {
	userID, err := s.st.resetUser(ctx, hashSecret(token), s.now())
	if err != nil {
		return nil, errs.Internal(err, "load reset link")
	}
	if userID == 0 {
		return nil, errs.NotFound("This reset link has expired or was already used. Ask an administrator for a new one.")
	}
	return s.UserByID(ctx, userID)
}

// ResetPassword sets a new password through a reset token, ends every
// session of the user, revokes their API tokens and clears their sign-in
// locks.
func (s *Service) ResetPassword(ctx context.Context, token, password string) (*User, error) {
	u, err := s.ResetUser(ctx, token)
	if err != nil {
		return nil, err
	}
	if p := passwordProblem(password, u.Username); p != "" {
		return nil, errs.Invalid("password", p)
	}
	hash, err := s.hashPassword(ctx, password)
	if err != nil {
		return nil, err
	}
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		ok, err := s.st.useReset(ctx, hashSecret(token), s.now())
		if err != nil {
			return err
		}
		if !ok {
			return errs.NotFound("This reset link was already used. Ask an administrator for a new one.")
		}
		if err := s.st.setPassword(ctx, u.ID, hash, s.now()); err != nil {
			return err
		}
		// Whoever knew the old password may have opened sessions or been
		// given tokens: both end with it.
		if err := s.st.deleteSessionsOf(ctx, u.ID, 0); err != nil {
			return err
		}
		if err := s.st.revokeTokensOf(ctx, u.ID, s.now()); err != nil {
			return err
		}
		for _, key := range []string{s.userKey(u.Username), s.secondFactorThrottle(u).key} {
			if err := s.st.clearAttempts(ctx, key); err != nil {
				return err
			}
		}
		return s.audit.Append(ctx, audit.Event{ActorID: u.ID, Actor: u.Username, Action: "account.reset_password",
			Target: userTarget(u.ID), Outcome: audit.Success, Detail: "through admin-issued link; sessions ended, API tokens revoked"})
	})
	if err != nil {
		if errs.As(err) != nil {
			return nil, err
		}
		return nil, errs.Internal(err, "reset password")
	}
	return u, nil
}
