// Package account owns people and how they prove who they are: users and
// their roles, passwords, two-factor secrets and recovery codes, web
// sessions, sign-in throttling, password resets and API tokens.
//
// It is the only code that writes those tables. It never logs a password,
// a code or a token, and it records every sign-in, failure and privilege
// change in the audit log.
package account

import (
	"slices"
	"time"
)

// Role is what a person is on Rounds.
type Role string

const (
	Patient   Role = "patient"
	Clinician Role = "clinician"
	Staff     Role = "staff" // acts for an organization, as themself
	Moderator Role = "moderator"
	Admin     Role = "admin"
)

// Roles lists every role, in the order forms show them.
var Roles = []Role{Patient, Clinician, Staff, Moderator, Admin}

// SelfServiceRoles are the roles a person may choose at sign-up.
var SelfServiceRoles = []Role{Patient, Clinician, Staff}

// ParseRole returns the role named s.
func ParseRole(s string) (Role, bool) {
	r := Role(s)
	return r, slices.Contains(Roles, r)
}

// Label is the role's name for people.
func (r Role) Label() string {
	switch r {
	case Patient:
		return "Patient"
	case Clinician:
		return "Clinician"
	case Staff:
		return "Organization staff"
	case Moderator:
		return "Moderator"
	case Admin:
		return "Administrator"
	}
	return string(r)
}

// RequiresSecondFactor reports whether people in this role must have
// two-factor sign-in before they can act. Everyone who can publish in an
// organization's or clinician's name, or see others' private data, must.
func (r Role) RequiresSecondFactor() bool { return r != Patient }

// User is a person with an account.
type User struct {
	ID                int64
	Username          string
	Email             string
	DisplayName       string
	Bio               string
	Role              Role
	Verified          bool // clinicians and staff start unverified
	Suspended         bool
	TOTPEnabled       bool
	Locked            bool // followers need approval; patients start locked
	AgeAttestedAt     time.Time
	PasswordChangedAt time.Time
	CreatedAt         time.Time
}

// Name is what to call the user in the interface.
func (u *User) Name() string {
	if u.DisplayName != "" {
		return u.DisplayName
	}
	return u.Username
}

// IsAdmin reports whether the user administers the instance.
func (u *User) IsAdmin() bool { return u.Role == Admin }

// Session is a signed-in browser.
type Session struct {
	ID         int64
	UserID     int64
	MFAPassed  bool
	ClientAddr string
	UserAgent  string
	CreatedAt  time.Time
	LastSeenAt time.Time
}

// Stage says what a signed-in session may do next.
type Stage int

const (
	// StageReady: the session may act.
	StageReady Stage = iota
	// StageSecondFactor: the password was right; the TOTP or recovery code is still due.
	StageSecondFactor
	// StageEnroll: the role needs two-factor sign-in and the user has not set it up.
	StageEnroll
)

// StageOf says what s may do for u.
func StageOf(u *User, s *Session) Stage {
	switch {
	case u.TOTPEnabled && !s.MFAPassed:
		return StageSecondFactor
	case !u.TOTPEnabled && u.Role.RequiresSecondFactor():
		return StageEnroll
	}
	return StageReady
}

// Token is an API bearer token's grant.
type Token struct {
	ID     int64
	UserID int64
	AppID  int64
	Scopes []string
}

// HasScope reports whether the token grants scope, directly or through its
// parent ("read" grants "read:accounts").
func (t *Token) HasScope(scope string) bool {
	for _, s := range t.Scopes {
		if s == scope || (len(scope) > len(s) && scope[:len(s)] == s && scope[len(s)] == ':') {
			return true
		}
	}
	return false
}
