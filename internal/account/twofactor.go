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
// session's user and marks the session as having passed. Wrong codes count
// toward the same lock-out as wrong passwords.
func (s *Service) VerifySecondFactor(ctx context.Context, sess *Session, u *User, code string) error {
	keys := []string{"user:" + strings.ToLower(u.Username), "ip:" + audit.ClientAddr(ctx)}
	if err := s.checkLock(ctx, keys); err != nil {
		return err
	}
	if strings.TrimSpace(code) == "" {
		return errs.Invalid("code", "Enter the 6-digit code from your authenticator app, or one of your recovery codes.")
	}
	secret, _, lastStep, err := s.st.totpState(ctx, u.ID)
	if err != nil {
		return errs.Internal(err, "load totp state")
	}
	plain, err := s.keys.Open(secret, totpAAD(u.ID))
	if err != nil {
		return errs.Internal(err, "open totp secret")
	}
	method := ""
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		if step := matchTOTP(string(plain), code, s.now(), lastStep); step != 0 {
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
		if err := s.st.passSessionMFA(ctx, sess.ID, s.now()); err != nil {
			return err
		}
		if err := s.st.clearAttempts(ctx, keys[0]); err != nil {
			return err
		}
		return s.audit.Append(ctx, audit.Event{ActorID: u.ID, Actor: u.Username, Action: "auth.second_factor",
			Target: userTarget(u.ID), Outcome: audit.Success, Detail: method})
	})
	if err != nil {
		return errs.Internal(err, "verify second factor")
	}
	if method == "" {
		if err := s.failSignIn(ctx, keys, u, u.Username, "wrong second-factor code"); errs.Is(err, errs.KindTooMany) {
			_ = s.st.deleteSession(ctx, sess.ID)
			return err
		}
		return errs.Invalid("code", "That code is not right, or was already used. Enter the code your app shows now.")
	}
	sess.MFAPassed = true
	return nil
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
// their password.
func (s *Service) RegenerateRecoveryCodes(ctx context.Context, actor Actor, password string) ([]string, error) {
	u := actor.User
	if err := s.checkOwnPassword(ctx, actor, password, "account.recovery_codes"); err != nil {
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
// it may, and only with their password.
func (s *Service) DisableTOTP(ctx context.Context, actor Actor, password string) error {
	u := actor.User
	if err := s.checkOwnPassword(ctx, actor, password, "account.totp_disable"); err != nil {
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

func (s *Service) checkOwnPassword(ctx context.Context, actor Actor, password, action string) error {
	if actor.User == nil {
		return errs.Unauthorized("Sign in first.")
	}
	hash, err := s.st.passwordHash(ctx, actor.User.ID)
	if err != nil {
		return errs.Internal(err, "load password")
	}
	if !checkPassword(hash, password) {
		_ = s.audit.Append(ctx, actor.event(action, userTarget(actor.User.ID), audit.Failure, "wrong password"))
		return errs.Invalid("password", "Your password is not right.")
	}
	return nil
}
