package account

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"

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
// may act. Failures are throttled per username and per client address.
func (s *Service) SignIn(ctx context.Context, c Credentials) (*Session, *User, string, error) {
	addr := audit.ClientAddr(ctx)
	name := strings.ToLower(strings.TrimPrefix(strings.TrimSpace(c.Username), "@"))
	if name == "" || c.Password == "" {
		return nil, nil, "", errs.Fields(
			nonEmpty("username", name, "Enter your username."),
			nonEmpty("password", c.Password, "Enter your password."))
	}
	keys := []string{"user:" + name, "ip:" + addr}
	if err := s.checkLock(ctx, keys); err != nil {
		_ = s.audit.Append(ctx, audit.Event{Actor: name, Action: "auth.signin", Outcome: audit.Denied, Detail: "locked"})
		return nil, nil, "", err
	}
	u, err := s.st.userByUsername(ctx, name)
	if err != nil {
		return nil, nil, "", errs.Internal(err, "sign in")
	}
	hash := dummyHash
	if u != nil {
		if hash, err = s.st.passwordHash(ctx, u.ID); err != nil {
			return nil, nil, "", errs.Internal(err, "sign in")
		}
	}
	if !checkPassword(hash, c.Password) || u == nil {
		return nil, nil, "", s.failSignIn(ctx, keys, u, name, "wrong username or password")
	}
	if u.Suspended {
		_ = s.audit.Append(ctx, audit.Event{ActorID: u.ID, Actor: u.Username, Action: "auth.signin", Target: userTarget(u.ID),
			Outcome: audit.Denied, Detail: "suspended"})
		return nil, nil, "", errs.Forbidden("This account is suspended. Contact the administrators of this Rounds instance.")
	}
	now := s.now().UTC()
	sess := &Session{ID: s.ids.Next(), UserID: u.ID, MFAPassed: false, ClientAddr: addr,
		UserAgent: truncate(c.UserAgent, 300), CreatedAt: now, LastSeenAt: now}
	token := newToken()
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.st.clearAttempts(ctx, keys[0]); err != nil {
			return err
		}
		if err := s.st.insertSession(ctx, sess, hashSecret(token)); err != nil {
			return err
		}
		detail := "password"
		if u.TOTPEnabled {
			detail = "password; second factor due"
		}
		return s.audit.Append(ctx, audit.Event{ActorID: u.ID, Actor: u.Username, Action: "auth.signin",
			Target: userTarget(u.ID), Outcome: audit.Success, Detail: detail})
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

// checkLock refuses while any of keys is locked.
func (s *Service) checkLock(ctx context.Context, keys []string) error {
	now := s.now()
	for _, k := range keys {
		a, err := s.st.attempt(ctx, k)
		if err != nil {
			return errs.Internal(err, "read sign-in attempts")
		}
		if a.lockedUntil.After(now) {
			wait := a.lockedUntil.Sub(now)
			mins := int(math.Ceil(wait.Minutes()))
			who := "this account"
			if strings.HasPrefix(k, "ip:") {
				who = "your network address"
			}
			return errs.TooMany(fmt.Sprintf("Too many failed sign-in attempts for %s. Sign-in is locked for %d more minute%s; "+
				"an administrator can issue a password reset link if you have forgotten your password.", who, mins, plural(mins)), wait)
		}
	}
	return nil
}

// failSignIn counts a failure against every key, locks keys over their
// limit, audits, and returns the error to show.
func (s *Service) failSignIn(ctx context.Context, keys []string, u *User, name, why string) error {
	now := s.now()
	locked := false
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		for i, k := range keys {
			a, err := s.st.attempt(ctx, k)
			if err != nil {
				return err
			}
			if now.Sub(a.windowStart) > s.cfg.FailureWindow {
				a = attempt{windowStart: now}
			}
			a.failures++
			limit := s.cfg.UserFailures
			if i > 0 {
				limit = s.cfg.AddrFailures
			}
			if a.failures >= int64(limit) {
				a.lockedUntil = now.Add(s.cfg.LockDuration)
				locked = locked || i == 0
			}
			if err := s.st.saveAttempt(ctx, k, a); err != nil {
				return err
			}
		}
		e := audit.Event{Actor: name, Action: "auth.signin", Outcome: audit.Failure, Detail: why}
		if u != nil {
			e.ActorID, e.Target = u.ID, userTarget(u.ID)
		}
		if locked {
			e.Detail += "; locked"
		}
		return s.audit.Append(ctx, e)
	})
	if err != nil {
		return errs.Internal(err, "record failed sign-in")
	}
	if locked {
		return s.checkLock(ctx, keys[:1])
	}
	return errs.Unauthorized("The username or password is not right.")
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
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
	hash, err := s.st.passwordHash(ctx, u.ID)
	if err != nil {
		return errs.Internal(err, "load password")
	}
	if !checkPassword(hash, current) {
		_ = s.audit.Append(ctx, actor.event("account.change_password", userTarget(u.ID), audit.Failure, "wrong current password"))
		return errs.Invalid("current_password", "Your current password is not right.")
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
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.st.setPassword(ctx, u.ID, hashPassword(next), s.now()); err != nil {
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
// session of the user and clears their sign-in lock.
func (s *Service) ResetPassword(ctx context.Context, token, password string) (*User, error) {
	u, err := s.ResetUser(ctx, token)
	if err != nil {
		return nil, err
	}
	if p := passwordProblem(password, u.Username); p != "" {
		return nil, errs.Invalid("password", p)
	}
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		ok, err := s.st.useReset(ctx, hashSecret(token), s.now())
		if err != nil {
			return err
		}
		if !ok {
			return errs.NotFound("This reset link was already used. Ask an administrator for a new one.")
		}
		if err := s.st.setPassword(ctx, u.ID, hashPassword(password), s.now()); err != nil {
			return err
		}
		if err := s.st.deleteSessionsOf(ctx, u.ID, 0); err != nil {
			return err
		}
		if err := s.st.clearAttempts(ctx, "user:"+strings.ToLower(u.Username)); err != nil {
			return err
		}
		return s.audit.Append(ctx, audit.Event{ActorID: u.ID, Actor: u.Username, Action: "account.reset_password",
			Target: userTarget(u.ID), Outcome: audit.Success, Detail: "through admin-issued link"})
	})
	if err != nil {
		if errs.As(err) != nil {
			return nil, err
		}
		return nil, errs.Internal(err, "reset password")
	}
	return u, nil
}
