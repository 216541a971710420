package account

import (
	"context"
	"fmt"
	"strings"

	"github.com/rounds-health/rounds/internal/audit"
	"github.com/rounds-health/rounds/internal/errs"
)

func totpAAD(userID int64) string { return fmt.Sprintf("totp:user:%d", userID) }

// TOTPSetup is what the set-up page shows: the secret for manual entry and
// the otpauth URI the QR code carries.
type TOTPSetup struct {
	Secret string
	URI    string
}

// BeginTOTP makes a new pending secret for the actor. It replaces any
// earlier pending one and takes effect only once ConfirmTOTP sees a code.
func (s *Service) BeginTOTP(ctx context.Context, actor Actor) (TOTPSetup, error) {
	u := actor.User
	if u == nil {
		return TOTPSetup{}, errs.Unauthorized("Sign in first.")
	}
	secret := newTOTPSecret()
	if err := s.st.setTOTPPending(ctx, u.ID, s.keys.Seal([]byte(secret), totpAAD(u.ID))); err != nil {
		return TOTPSetup{}, errs.Internal(err, "store pending totp secret")
	}
	return TOTPSetup{Secret: secret, URI: OTPAuthURI(s.cfg.Issuer, u.Username, secret)}, nil
}

// PendingTOTP returns the set-up in progress, beginning one if there is none.
func (s *Service) PendingTOTP(ctx context.Context, actor Actor) (TOTPSetup, error) {
	u := actor.User
	if u == nil {
		return TOTPSetup{}, errs.Unauthorized("Sign in first.")
	}
	_, pending, _, err := s.st.totpState(ctx, u.ID)
	if err != nil {
		return TOTPSetup{}, errs.Internal(err, "load totp state")
	}
	if pending == "" {
		return s.BeginTOTP(ctx, actor)
	}
	secret, err := s.keys.Open(pending, totpAAD(u.ID))
	if err != nil {
		return s.BeginTOTP(ctx, actor)
	}
	return TOTPSetup{Secret: string(secret), URI: OTPAuthURI(s.cfg.Issuer, u.Username, string(secret))}, nil
}

// ConfirmTOTP turns the pending secret on once the user proves their app
// shows the same code. It returns the recovery codes, shown once. The
// confirming session counts as having passed the second factor.
func (s *Service) ConfirmTOTP(ctx context.Context, actor Actor, sess *Session, code string) ([]string, error) {
	u := actor.User
	if u == nil {
		return nil, errs.Unauthorized("Sign in first.")
	}
	_, pending, lastStep, err := s.st.totpState(ctx, u.ID)
	if err != nil {
		return nil, errs.Internal(err, "load totp state")
	}
	if pending == "" {
		return nil, errs.Invalid("code", "Start the set-up again: no authenticator is waiting to be confirmed.")
	}
	secret, err := s.keys.Open(pending, totpAAD(u.ID))
	if err != nil {
		return nil, errs.Internal(err, "open pending totp secret")
	}
	step := matchTOTP(string(secret), code, s.now(), lastStep)
	if step == 0 {
		_ = s.audit.Append(ctx, actor.event("account.totp_enable", userTarget(u.ID), audit.Failure, "wrong code"))
		return nil, errs.Invalid("code", "That code does not match. Check that your phone's clock is right and enter the 6 digits your app shows now.")
	}
	codes, hashes, ids := s.newRecoveryCodes()
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.st.enableTOTP(ctx, u.ID, pending, step, s.now()); err != nil {
			return err
		}
		if err := s.st.replaceRecoveryCodes(ctx, u.ID, ids, hashes); err != nil {
			return err
		}
		if sess != nil {
			if err := s.st.passSessionMFA(ctx, sess.ID, s.now()); err != nil {
				return err
			}
			// Other sessions were opened without the second factor: end them.
			if err := s.st.deleteSessionsOf(ctx, u.ID, sess.ID); err != nil {
				return err
			}
		}
		return s.audit.Append(ctx, actor.event("account.totp_enable", userTarget(u.ID), audit.Success, ""))
	})
	if err != nil {
		return nil, errs.Internal(err, "enable totp")
	}
	if sess != nil {
		sess.MFAPassed = true
	}
	u.TOTPEnabled = true
	return codes, nil
}

func (s *Service) newRecoveryCodes() (codes, hashes []string, ids []int64) {
	for range recoveryCodeCount {
		c := newRecoveryCode()
		codes = append(codes, c)
		hashes = append(hashes, hashSecret(normalizeCode(c)))
		ids = append(ids, s.ids.Next())
	}
	return
}

// VerifySecondFactor accepts a TOTP code or an unused recovery code for the
// session's user, marks the session as having passed and gives it a new
// token, returned for the cookie: the token that was known before the
// second factor no longer works. Wrong codes are counted per account on
// their own counter, which a right password does not reset; at the limit
// the account's second factor is locked and the session ended.
func (s *Service) VerifySecondFactor(ctx context.Context, sess *Session, u *User, code string) (string, error) {
	if strings.TrimSpace(code) == "" {
		return "", errs.Invalid("code", "Enter the 6-digit code from your authenticator app, or one of your recovery codes.")
	}
	ts := []throttle{s.secondFactorThrottle(u), s.addrThrottle(audit.ClientAddr(ctx))}
	e := audit.Event{ActorID: u.ID, Actor: u.Username, Action: "auth.second_factor", Target: userTarget(u.ID)}
	counts, lo, err := s.reserve(ctx, ts...)
	if err != nil {
		return "", err
	}
	if lo != nil {
		s.endSession(ctx, sess)
		return "", s.refuse(ctx, lo, e)
	}
	token := newToken()
	method, err := s.passSecondFactor(ctx, sess, u, code, hashSecret(token))
	if err != nil {
		s.release(ctx, ts...)
		return "", err
	}
	if method == "" {
		e.Detail = "wrong code"
		if err := s.failed(ctx, ts, counts, e); err != nil {
			if errs.Is(err, errs.KindTooMany) {
				s.endSession(ctx, sess)
			}
			return "", err
		}
		return "", errs.Invalid("code", "That code is not right, or was already used. Enter the code your app shows now.")
	}
	s.clear(ctx, ts[0].key)
	s.release(ctx, ts[1])
	sess.MFAPassed = true
	return token, nil
}

// passSecondFactor checks code and, if it is right, uses it up, passes the
// session and moves it to tokenHash, all in one transaction. It returns how
// the factor was proved, or "" for a wrong code.
func (s *Service) passSecondFactor(ctx context.Context, sess *Session, u *User, code, tokenHash string) (string, error) {
	secret, _, lastStep, err := s.st.totpState(ctx, u.ID)
	if err != nil {
		return "", errs.Internal(err, "load totp state")
	}
	plain, err := s.keys.Open(secret, totpAAD(u.ID))
	if err != nil {
		return "", errs.Internal(err, "open totp secret")
	}
	method := ""
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		if step := matchTOTP(string(plain), code, s.now(), lastStep); step != 0 {
			// Two requests racing with the same code: only one uses the step.
			ok, err := s.st.useTOTPStep(ctx, u.ID, step)
			if err != nil || !ok {
				return err
			}
			method = "totp"
		} else if ok, err := s.st.useRecoveryCode(ctx, u.ID, hashSecret(normalizeCode(code)), s.now()); err != nil {
			return err
		} else if ok {
			method = "recovery code"
		}
		if method == "" {
			return nil
		}
		if err := s.st.rotateSession(ctx, sess.ID, tokenHash, true, s.now()); err != nil {
			return err
		}
		return s.audit.Append(ctx, audit.Event{ActorID: u.ID, Actor: u.Username, Action: "auth.second_factor",
			Target: userTarget(u.ID), Outcome: audit.Success, Detail: method + "; session token renewed"})
	})
	if err != nil {
		return "", errs.Internal(err, "verify second factor")
	}
	return method, nil
}

// RotateSession gives sess a new token and returns it; the old token stops
// working. The web calls it when a session gains rights (two-factor set-up
// confirmed), so that a token known before cannot ride along.
func (s *Service) RotateSession(ctx context.Context, sess *Session) (string, error) {
	token := newToken()
	if err := s.st.rotateSession(ctx, sess.ID, hashSecret(token), false, s.now()); err != nil {
		return "", errs.Internal(err, "renew session")
	}
	return token, nil
}

// endSession ends sess, if there is one, after a lock: best effort, since
// the lock refuses what the session could do next anyway.
func (s *Service) endSession(ctx context.Context, sess *Session) {
	if sess != nil {
		_ = s.st.deleteSession(ctx, sess.ID)
	}
}

// RecoveryCodesLeft returns how many unused recovery codes the actor has.
func (s *Service) RecoveryCodesLeft(ctx context.Context, actor Actor) (int, error) {
	n, err := s.st.unusedRecoveryCodes(ctx, actor.User.ID)
	if err != nil {
		return 0, errs.Internal(err, "count recovery codes")
	}
	return n, nil
}

// RegenerateRecoveryCodes replaces the actor's recovery codes after checking
// their password (see checkOwnPassword for sess).
func (s *Service) RegenerateRecoveryCodes(ctx context.Context, actor Actor, sess *Session, password string) ([]string, error) {
	u := actor.User
	if err := s.checkOwnPassword(ctx, actor, sess, password, "account.recovery_codes", "password"); err != nil {
		return nil, err
	}
	if !u.TOTPEnabled {
		return nil, errs.Invalid("password", "Set up two-factor sign-in first.")
	}
	codes, hashes, ids := s.newRecoveryCodes()
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.st.replaceRecoveryCodes(ctx, u.ID, ids, hashes); err != nil {
			return err
		}
		return s.audit.Append(ctx, actor.event("account.recovery_codes", userTarget(u.ID), audit.Success, "regenerated"))
	})
	if err != nil {
		return nil, errs.Internal(err, "regenerate recovery codes")
	}
	return codes, nil
}

// DisableTOTP turns two-factor sign-in off. Only roles that do not require
// it may, and only with their password (see checkOwnPassword for sess).
func (s *Service) DisableTOTP(ctx context.Context, actor Actor, sess *Session, password string) error {
	u := actor.User
	if err := s.checkOwnPassword(ctx, actor, sess, password, "account.totp_disable", "password"); err != nil {
		return err
	}
	if u.Role.RequiresSecondFactor() {
		return errs.Invalid("password", fmt.Sprintf("Two-factor sign-in is required for %s accounts and cannot be turned off.", strings.ToLower(u.Role.Label())))
	}
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.st.disableTOTP(ctx, u.ID, s.now()); err != nil {
			return err
		}
		return s.audit.Append(ctx, actor.event("account.totp_disable", userTarget(u.ID), audit.Success, ""))
	})
	if err != nil {
		return errs.Internal(err, "disable totp")
	}
	return nil
}

// checkOwnPassword checks the signed-in actor's password before a change
// that needs it. Wrong passwords count on the same counter as failed
// sign-ins, so a borrowed session cannot guess the password without limit:
// when the counter locks, the session sess (the one guessing) is ended too.
// field names the form field the error belongs to.
func (s *Service) checkOwnPassword(ctx context.Context, actor Actor, sess *Session, password, action, field string) error {
	u := actor.User
	if u == nil {
		return errs.Unauthorized("Sign in first.")
	}
	ts := []throttle{s.userThrottle(s.userKey(u.Username))}
	e := actor.event(action, userTarget(u.ID), "", "wrong password")
	counts, lo, err := s.reserve(ctx, ts...)
	if err != nil {
		return err
	}
	if lo != nil {
		s.endSession(ctx, sess)
		return s.refuse(ctx, lo, e)
	}
	hash, err := s.st.passwordHash(ctx, u.ID)
	if err != nil {
		s.release(ctx, ts...)
		return errs.Internal(err, "load password")
	}
	ok, err := s.checkPassword(ctx, hash, password)
	if err != nil {
		s.release(ctx, ts...)
		return err
	}
	if !ok {
		if err := s.failed(ctx, ts, counts, e); err != nil {
			if errs.Is(err, errs.KindTooMany) {
				s.endSession(ctx, sess)
			}
			return err
		}
		return errs.Invalid(field, "Your password is not right.")
	}
	s.clear(ctx, ts[0].key)
	return nil
}
