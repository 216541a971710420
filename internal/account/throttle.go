package account

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"strings"
	"sync/atomic"
	"time"

	"github.com/rounds-health/rounds/internal/audit"
	"github.com/rounds-health/rounds/internal/errs"
)

// A throttle limits attempts counted under one key of login_attempts:
// "user:<digest of the name>" (passwords), "2fa:<username>" (second-factor codes),
// "ip:<address>" (both, from one client), "signup:<address>" (sign-ups) and
// "bearer:<address>" (bad API tokens, counted but never locked).
//
// An attempt is counted before the check it guards and in one statement
// (reserve), so that requests racing each other cannot all pass a check made
// before any of them was counted; the attempt that reaches the limit sets the
// lock itself. A check that succeeds gives its attempt back (release) or
// clears the key. While a key is locked, attempts keep being counted: the
// count over the limit is the number of refused requests, and only the first
// refusal of each lock is written to the audit log.
type throttle struct {
	key    string
	limit  int
	window time.Duration // attempts older than this are forgotten
	lock   time.Duration // how long reaching the limit locks the key
}

func (s *Service) userThrottle(key string) throttle {
	return throttle{key: key, limit: s.cfg.UserFailures, window: s.cfg.FailureWindow, lock: s.cfg.LockDuration}
}

func (s *Service) secondFactorThrottle(u *User) throttle {
	return throttle{key: "2fa:" + strings.ToLower(u.Username), limit: s.cfg.UserFailures, window: s.cfg.FailureWindow, lock: s.cfg.LockDuration}
}

func (s *Service) addrThrottle(addr string) throttle {
	return throttle{key: "ip:" + addr, limit: s.cfg.AddrFailures, window: s.cfg.FailureWindow, lock: s.cfg.LockDuration}
}

func (s *Service) signUpThrottle(addr string) throttle {
	return throttle{key: "signup:" + addr, limit: s.cfg.SignUpsPerAddr, window: s.cfg.SignUpWindow, lock: s.cfg.SignUpWindow}
}

// bearerThrottle counts bad API tokens from one address only to keep their
// audit rows to one per window: tokens are 256-bit, so there is nothing to
// guess and no reason to lock out a client behind a shared address.
func (s *Service) bearerThrottle(addr string) throttle {
	return throttle{key: "bearer:" + addr, limit: math.MaxInt32, window: s.cfg.FailureWindow, lock: s.cfg.FailureWindow}
}

// lockout is a refusal because a throttle is over its limit.
type lockout struct {
	throttle
	until time.Time
	first bool // the first refusal since the lock began: the one to audit
}

// reserve counts one attempt against each throttle, in order. When one is
// over its limit it gives back what it took from those before it and
// returns the lockout; otherwise it returns each key's count, this attempt
// included.
func (s *Service) reserve(ctx context.Context, ts ...throttle) ([]attempt, *lockout, error) {
	now := s.now()
	got := make([]attempt, 0, len(ts))
	for i, t := range ts {
		a, err := s.st.reserveAttempt(ctx, t, now)
		if err != nil {
			s.release(ctx, ts[:i]...)
			return nil, nil, errs.Internal(err, "count attempt")
		}
		if a.failures > int64(t.limit) {
			s.release(ctx, ts[:i]...)
			return nil, &lockout{throttle: t, until: a.lockedUntil, first: a.failures == int64(t.limit)+1}, nil
		}
		got = append(got, a)
	}
	return got, nil, nil
}

// release gives back attempts that reserve counted and that turned out not
// to be failures. It runs even when the request's context has ended (the
// client left while waiting for the password gate), and is otherwise best
// effort: a lost release only makes a lock come one attempt sooner.
func (s *Service) release(ctx context.Context, ts ...throttle) {
	ctx = context.WithoutCancel(ctx)
	for _, t := range ts {
		_ = s.st.releaseAttempt(ctx, t)
	}
}

// clear forgets every attempt counted against keys, after a check that
// passed; like release, it runs even when the client has gone.
func (s *Service) clear(ctx context.Context, keys ...string) {
	ctx = context.WithoutCancel(ctx)
	for _, k := range keys {
		_ = s.st.clearAttempts(ctx, k)
	}
}

// refuse audits the first refusal of a lock (the rest are only counted)
// and returns the error to show.
func (s *Service) refuse(ctx context.Context, lo *lockout, e audit.Event) error {
	if lo.first {
		e.Outcome = audit.Denied
		e.Detail = "locked (" + strings.SplitN(lo.key, ":", 2)[0] + "); further refusals during this lock are counted, not logged"
		if err := s.audit.Append(ctx, e); err != nil {
			return errs.Internal(err, "audit refusal")
		}
	}
	return s.lockError(lo.throttle, lo.until)
}

// failed records a failed check that reserve counted, and returns the lock
// error when this failure reached a throttle's limit (reserve has locked it
// already), or nil. A check that ran is recorded even if the client has
// gone meanwhile.
func (s *Service) failed(ctx context.Context, ts []throttle, counts []attempt, e audit.Event) error {
	ctx = context.WithoutCancel(ctx)
	var locked *lockout
	for i, t := range ts {
		if counts[i].failures >= int64(t.limit) {
			locked = &lockout{throttle: t, until: counts[i].lockedUntil}
			break
		}
	}
	e.Outcome = audit.Failure
	if locked != nil {
		e.Detail += "; locked"
	}
	if err := s.audit.Append(ctx, e); err != nil {
		return errs.Internal(err, "record failed attempt")
	}
	if locked != nil {
		return s.lockError(locked.throttle, locked.until)
	}
	return nil
}

// lockError says what is locked, for how long, and what to do.
func (s *Service) lockError(t throttle, until time.Time) error {
	wait := until.Sub(s.now())
	if wait <= 0 {
		wait = t.lock
	}
	mins := int(math.Ceil(wait.Minutes()))
	span := fmt.Sprintf("%d more minute%s", mins, plural(mins))
	var msg string
	switch kind, _, _ := strings.Cut(t.key, ":"); kind {
	case "ip":
		msg = "Too many failed sign-in attempts from your network address. Sign-in is locked for " + span + "."
	case "2fa":
		msg = "Too many wrong codes for this account. Sign-in is locked for " + span +
			"; then sign in again, with a recovery code if your authenticator app is lost."
	case "signup":
		msg = "Too many sign-up attempts from your network address. Try again in " + span + "."
	default:
		msg = "Too many failed sign-in attempts for this account. Sign-in is locked for " + span +
			"; an administrator can issue a password reset link if you have forgotten your password."
	}
	return errs.TooMany(msg, wait)
}

// The password gate bounds the argon2id work running at once (19 MiB
// each), so that a flood of sign-ins or sign-ups queues instead of
// exhausting memory.
type passwordGate struct {
	slots  chan struct{}
	checks atomic.Int64 // argon2id computations run, for tests
}

// maxGateWait is how long a request waits for a slot before it is told to
// come back: longer than any burst a person causes, short enough that a
// flood does not pile up requests.
const maxGateWait = 10 * time.Second

func (g *passwordGate) enter(ctx context.Context) error {
	t := time.NewTimer(maxGateWait)
	defer t.Stop()
	select {
	case g.slots <- struct{}{}:
		g.checks.Add(1)
		return nil
	case <-ctx.Done():
	case <-t.C:
	}
	return errs.TooMany("Rounds is busy checking other passwords. Try again in a few seconds.", 5*time.Second)
}

func (g *passwordGate) leave() { <-g.slots }

// checkPassword checks password against hash through the gate.
func (s *Service) checkPassword(ctx context.Context, hash, password string) (bool, error) {
	if err := s.gate.enter(ctx); err != nil {
		return false, err
	}
	defer s.gate.leave()
	return checkPassword(hash, password), nil
}

// hashPassword hashes password through the gate.
func (s *Service) hashPassword(ctx context.Context, password string) (string, error) {
	if err := s.gate.enter(ctx); err != nil {
		return "", err
	}
	defer s.gate.leave()
	return hashPassword(password), nil
}

// userKey is the key of the password counter for a username as typed. It
// is a keyed digest: what is typed may be anything, a password typed in
// the wrong field or pasted text included, and is never stored.
func (s *Service) userKey(name string) string {
	return "user:" + s.nameDigest(strings.ToLower(name))
}

// typedName is what the audit log records for a name typed at sign-in that
// belongs to no account. Such a name is often something typed in the wrong
// field, a password among them, so it is never stored as typed: a keyed
// digest is enough to see the same name being tried again.
func (s *Service) typedName(name string) string {
	if !usernamePattern.MatchString(name) {
		return "(invalid username #" + s.nameDigest(name) + ")"
	}
	return "(unknown username #" + s.nameDigest(name) + ")"
}

func (s *Service) nameDigest(name string) string {
	m := hmac.New(sha256.New, s.nameKey)
	m.Write([]byte(name))
	return hex.EncodeToString(m.Sum(nil))[:12]
}
