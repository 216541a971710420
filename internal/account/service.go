package account

import (
	"context"
	"fmt"
	"net/mail"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/rounds-health/rounds/internal/audit"
	"github.com/rounds-health/rounds/internal/errs"
	"github.com/rounds-health/rounds/internal/id"
	"github.com/rounds-health/rounds/internal/input"
	"github.com/rounds-health/rounds/internal/keyset"
	"github.com/rounds-health/rounds/internal/store"
)

// Config tunes sign-in security. Zero fields take the defaults below.
type Config struct {
	IdleTimeout      time.Duration // automatic log-off after this long without a request (15 min)
	MaxSessionAge    time.Duration // a session ends after this long whatever its use (12 h)
	SecondFactorWait time.Duration // time allowed to enter the code after the password (5 min)
	UserFailures     int           // failures for one username before it is locked (5)
	AddrFailures     int           // failures from one client address before it is locked (30)
	FailureWindow    time.Duration // window in which failures are counted (15 min)
	LockDuration     time.Duration // how long a lock lasts (15 min)
	ResetLinkTTL     time.Duration // how long an admin-issued reset link works (24 h)
	SignUpsPerAddr   int           // sign-up attempts one client address may make per window (10)
	SignUpWindow     time.Duration // that window (1 h)
	PasswordWorkers  int           // password hashes computed at once (2 × GOMAXPROCS)
	Issuer           string        // name shown in authenticator apps ("Rounds")
}

func (c Config) withDefaults() Config {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&c.IdleTimeout, 15*time.Minute)
	def(&c.MaxSessionAge, 12*time.Hour)
	def(&c.SecondFactorWait, 5*time.Minute)
	def(&c.FailureWindow, 15*time.Minute)
	def(&c.LockDuration, 15*time.Minute)
	def(&c.ResetLinkTTL, 24*time.Hour)
	def(&c.SignUpWindow, time.Hour)
	if c.SignUpsPerAddr <= 0 {
		c.SignUpsPerAddr = 10
	}
	if c.UserFailures <= 0 {
		c.UserFailures = 5
	}
	if c.AddrFailures <= 0 {
		c.AddrFailures = 30
	}
	if c.PasswordWorkers <= 0 {
		c.PasswordWorkers = 2 * runtime.GOMAXPROCS(0)
	}
	if c.Issuer == "" {
		c.Issuer = "Rounds"
	}
	return c
}

// Service is the only writer of account tables.
type Service struct {
	db      *store.DB
	st      accountStore
	audit   *audit.Log
	keys    *keyset.Keyset
	ids     *id.Generator
	cfg     Config
	now     func() time.Time
	gate    *passwordGate
	nameKey []byte // keys the digests of names typed at sign-in

	textCheck TextCheck // the compliance guard on profile text
}

// NewService wires the account service.
func NewService(db *store.DB, log *audit.Log, keys *keyset.Keyset, ids *id.Generator, cfg Config) *Service {
	cfg = cfg.withDefaults()
	return &Service{db: db, st: accountStore{db}, audit: log, keys: keys, ids: ids, cfg: cfg, now: time.Now,
		gate: &passwordGate{slots: make(chan struct{}, cfg.PasswordWorkers)}, nameKey: keys.DeriveKey("signin-names")}
}

// Config returns the effective configuration.
func (s *Service) Config() Config { return s.cfg }

// SetClock replaces the clock, for tests of idle log-off and lock-out.
func (s *Service) SetClock(now func() time.Time) { s.now = now }

// Actor is who performs an action, for authorization and the audit log.
type Actor struct {
	User *User  // nil for the operator's command line or the system
	Via  string // "web", "api", "cli"
}

// CLI is the operator acting through the rounds command.
var CLI = Actor{Via: "cli"}

func (a Actor) event(action, target, outcome, detail string) audit.Event {
	e := audit.Event{Action: action, Target: target, Outcome: outcome, Detail: detail}
	if a.User != nil {
		e.ActorID, e.Actor = a.User.ID, a.User.Username
	} else {
		e.Actor = a.Via
	}
	return e
}

func userTarget(id int64) string { return fmt.Sprintf("user:%d", id) }

// NewUser is what sign-up and account creation take.
type NewUser struct {
	Username    string
	Email       string
	Password    string
	DisplayName string
	Bio         string
	Role        Role
	AgeAttested bool // the person confirms they are 18 or older
}

var usernamePattern = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]{2,29}$`)

// reservedUsernames would shadow routes or impersonate the instance.
var reservedUsernames = []string{"admin", "administrator", "root", "rounds", "api", "oauth", "settings", "signin",
	"signup", "signout", "support", "help", "security", "moderator", "system", "staff", "about", "static", "healthz",
	"well_known", "null", "undefined", "compliance", "privacy"}

func (in *NewUser) validate(roles []Role) error {
	in.Username = strings.TrimSpace(in.Username)
	in.Email = strings.TrimSpace(in.Email)
	in.DisplayName = strings.TrimSpace(in.DisplayName)
	var fs []errs.FieldError
	add := func(field, msg string) { fs = append(fs, errs.FieldError{Field: field, Message: msg}) }
	switch {
	case in.Username == "":
		add("username", "Choose a username.")
	case !usernamePattern.MatchString(in.Username):
		add("username", "Usernames are 3 to 30 characters: letters, digits and underscores, starting with a letter.")
	case slices.Contains(reservedUsernames, strings.ToLower(in.Username)):
		add("username", fmt.Sprintf("%q is reserved; choose another username.", in.Username))
	}
	if addr, err := mail.ParseAddress(in.Email); err != nil || addr.Address != in.Email || !strings.Contains(in.Email[strings.LastIndex(in.Email, "@"):], ".") {
		add("email", "Enter an email address like name@example.org.")
	} else if len(in.Email) > 254 {
		add("email", "Email addresses are at most 254 characters.")
	}
	if p := passwordProblem(in.Password, in.Username); p != "" {
		add("password", p)
	}
	if utf8.RuneCountInString(in.DisplayName) > 80 {
		add("display_name", "Display names are at most 80 characters.")
	}
	if utf8.RuneCountInString(in.Bio) > 2000 {
		add("bio", "The bio is at most 2,000 characters.")
	}
	if !slices.Contains(roles, in.Role) {
		names := make([]string, len(roles))
		for i, r := range roles {
			names[i] = string(r)
		}
		add("role", "Choose one of: "+strings.Join(names, ", ")+".")
	}
	if !in.AgeAttested {
		add("age", "You must be 18 or older to use Rounds; confirm it to continue.")
	}
	return errs.Fields(fs...)
}

// SignUp creates an account for a person signing themself up and opens
// its first session, in one transaction: either both exist afterwards or
// neither does. Patients may act at once; clinicians and staff start
// unverified until a moderator verifies them, and must set up two-factor
// sign-in first.
//
// Every sign-up attempt that passes the form checks counts against the
// client address (SignUpsPerAddr per SignUpWindow), before any password is
// hashed, so that nobody can mint accounts in bulk, probe which email
// addresses have accounts, or keep the server hashing. A taken username
// gives its attempt back: usernames are public anyway.
func (s *Service) SignUp(ctx context.Context, in NewUser, userAgent string) (*Session, *User, string, error) {
	if err := in.validate(SelfServiceRoles); err != nil {
		return nil, nil, "", err
	}
	t := s.signUpThrottle(audit.ClientAddr(ctx))
	_, lo, err := s.reserve(ctx, t)
	if err != nil {
		return nil, nil, "", err
	}
	if lo != nil {
		return nil, nil, "", s.lockError(lo.throttle, lo.until)
	}
	if err := s.checkUnique(ctx, in); err != nil {
		if errs.FieldMessage(err, "username") != "" {
			s.release(ctx, t)
		}
		return nil, nil, "", err
	}
	hash, err := s.hashPassword(ctx, in.Password)
	if err != nil {
		s.release(ctx, t)
		return nil, nil, "", err
	}
	var sess *Session
	var token string
	var u *User
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		var err error
		if u, err = s.insertNewUser(ctx, Actor{Via: "web"}, in, hash, "account.signup"); err != nil {
			return err
		}
		sess, _, token, err = s.openSession(ctx, u, userAgent, "new account")
		return err
	})
	if err != nil {
		if errs.As(err) != nil && !errs.Is(err, errs.KindInternal) {
			return nil, nil, "", err
		}
		return nil, nil, "", errs.Internal(err, "sign up")
	}
	return sess, u, token, nil
}

// CreateUser creates an account in any role; only admins and the operator may.
func (s *Service) CreateUser(ctx context.Context, actor Actor, in NewUser) (*User, error) {
	if actor.User != nil && !actor.User.IsAdmin() {
		return nil, s.deny(ctx, actor, "admin.create_user", "", "Only administrators can create accounts in another role.")
	}
	if err := in.validate(Roles); err != nil {
		return nil, err
	}
	if err := s.checkUnique(ctx, in); err != nil {
		return nil, err
	}
	hash, err := s.hashPassword(ctx, in.Password)
	if err != nil {
		return nil, err
	}
	var u *User
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		u, err = s.insertNewUser(ctx, actor, in, hash, "admin.create_user")
		return err
	})
	if err != nil {
		if errs.As(err) != nil {
			return nil, err
		}
		return nil, errs.Internal(err, "create user")
	}
	return u, nil
}

// emailUnusable is shown when an address already has an account. It cannot
// be told apart from a successful sign-up's answer until Rounds confirms
// addresses by mail, so it says no more than it must and the attempt counts
// toward the address's sign-up limit.
const emailUnusable = "This email address cannot be used for a new account. If you already have an account, sign in, " +
	"or ask an administrator for a reset link."

// checkUnique refuses a taken username or email before any password is
// hashed; insertNewUser checks again inside its transaction.
func (s *Service) checkUnique(ctx context.Context, in NewUser) error {
	taken, err := s.st.userByUsername(ctx, in.Username)
	if err != nil {
		return errs.Internal(err, "check username")
	}
	if taken != nil {
		return errs.Conflict("username", fmt.Sprintf("The username %q is taken.", in.Username))
	}
	used, err := s.st.emailTaken(ctx, in.Email)
	if err != nil {
		return errs.Internal(err, "check email")
	}
	if used {
		return errs.Conflict("email", emailUnusable)
	}
	return nil
}

// insertNewUser writes a validated account with its password hash and
// audits it; it must run in a transaction.
func (s *Service) insertNewUser(ctx context.Context, actor Actor, in NewUser, hash, action string) (*User, error) {
	if err := s.checkUnique(ctx, in); err != nil {
		return nil, err
	}
	now := s.now().UTC()
	u := &User{
		ID: s.ids.Next(), Username: in.Username, Email: in.Email, DisplayName: in.DisplayName, Bio: in.Bio,
		Role: in.Role, Verified: in.Role == Patient, Locked: in.Role == Patient, AgeAttestedAt: now, PasswordChangedAt: now, CreatedAt: now,
	}
	if err := s.st.insertUser(ctx, u, hash); err != nil {
		if store.IsUniqueViolation(err) {
			return nil, errs.Conflict("username", "This username or email address was taken a moment ago; choose another.")
		}
		return nil, err
	}
	e := actor.event(action, userTarget(u.ID), audit.Success, "role="+string(u.Role))
	if actor.User == nil && action == "account.signup" {
		e.ActorID, e.Actor = u.ID, u.Username
	}
	if err := s.audit.Append(ctx, e); err != nil {
		return nil, err
	}
	return u, nil
}

// deny records a refused action and returns the Forbidden error to show.
func (s *Service) deny(ctx context.Context, actor Actor, action, target, message string) error {
	if err := s.audit.Append(ctx, actor.event(action, target, audit.Denied, "not permitted")); err != nil {
		return errs.Internal(err, "audit denial")
	}
	return errs.Forbidden(message)
}

// UserByID returns a user, or a NotFound error.
func (s *Service) UserByID(ctx context.Context, id int64) (*User, error) {
	u, err := s.st.userByID(ctx, id)
	if err != nil {
		return nil, errs.Internal(err, "load user")
	}
	if u == nil {
		return nil, errs.NotFound("No such account.")
	}
	return u, nil
}

// UsersByIDs loads several users at once (a page's authors); ids with no
// user are simply absent from the map.
func (s *Service) UsersByIDs(ctx context.Context, ids []int64) (map[int64]*User, error) {
	m, err := s.st.usersByIDs(ctx, ids)
	if err != nil {
		return nil, errs.Internal(err, "load users")
	}
	return m, nil
}

// UserByUsername returns a user by case-insensitive username, or a NotFound error.
func (s *Service) UserByUsername(ctx context.Context, username string) (*User, error) {
	name := strings.TrimPrefix(strings.TrimSpace(username), "@")
	if !usernamePattern.MatchString(name) {
		return nil, errs.NotFound(fmt.Sprintf("No account is called %q.", name))
	}
	u, err := s.st.userByUsername(ctx, name)
	if err != nil {
		return nil, errs.Internal(err, "load user")
	}
	if u == nil {
		return nil, errs.NotFound(fmt.Sprintf("No account is called %q.", username))
	}
	return u, nil
}

// ListUsers returns active users, newest first.
func (s *Service) ListUsers(ctx context.Context, f UserFilter) ([]*User, error) {
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	us, err := s.st.listUsers(ctx, f)
	if err != nil {
		return nil, errs.Internal(err, "list users")
	}
	return us, nil
}

// CountUsers returns how many accounts exist.
func (s *Service) CountUsers(ctx context.Context) (int, error) {
	n, err := s.st.countUsers(ctx)
	if err != nil {
		return 0, errs.Internal(err, "count users")
	}
	return n, nil
}

// TextCheck checks public words an author writes outside posts (profiles,
// organization pages): field name → text; allowed are public terms the
// text may repeat. It returns field-level errors. The compliance policy
// provides it (internal/compliance); nil checks nothing.
type TextCheck func(ctx context.Context, author *User, fields map[string]string, allowed ...string) error

// SetTextCheck installs the compliance check on profile text.
func (s *Service) SetTextCheck(fn TextCheck) { s.textCheck = fn }

// CheckText runs the installed check (nil: none).
func (s *Service) CheckText(ctx context.Context, author *User, fields map[string]string, allowed ...string) error {
	if s.textCheck == nil {
		return nil
	}
	return s.textCheck(ctx, author, fields, allowed...)
}

// UpdateProfile changes the public display name and bio of the actor.
func (s *Service) UpdateProfile(ctx context.Context, actor Actor, displayName, bio string) (*User, error) {
	u := actor.User
	if u == nil {
		return nil, errs.Unauthorized("Sign in first.")
	}
	displayName, bio = strings.TrimSpace(displayName), strings.TrimSpace(bio)
	var fs []errs.FieldError
	if utf8.RuneCountInString(displayName) > 80 {
		fs = append(fs, errs.FieldError{Field: "display_name", Message: "Display names are at most 80 characters."})
	}
	if utf8.RuneCountInString(bio) > 2000 {
		fs = append(fs, errs.FieldError{Field: "bio", Message: "The bio is at most 2,000 characters."})
	}
	if err := errs.Fields(fs...); err != nil {
		return nil, err
	}
	// The display name is the person's own name: its words may appear, and
	// it must carry nothing else (a phone number in it would otherwise become
	// an "own public fact" the guard lets through in posts).
	if err := s.CheckText(ctx, u, map[string]string{"bio": bio, "display_name": displayName}, input.NameWords(displayName)); err != nil {
		return nil, err
	}
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.st.setProfile(ctx, u.ID, displayName, bio, s.now()); err != nil {
			return err
		}
		return s.audit.Append(ctx, actor.event("account.update_profile", userTarget(u.ID), audit.Success, ""))
	})
	if err != nil {
		return nil, errs.Internal(err, "update profile")
	}
	return s.UserByID(ctx, u.ID)
}

// SetRole changes a user's role. Only admins and the operator may; an admin
// cannot demote themself (so an instance always keeps the admin who acts).
func (s *Service) SetRole(ctx context.Context, actor Actor, username string, role Role) (*User, error) {
	if _, ok := ParseRole(string(role)); !ok {
		return nil, errs.Invalid("role", "Choose one of: patient, clinician, staff, moderator, admin.")
	}
	u, err := s.UserByUsername(ctx, username)
	if err != nil {
		return nil, err
	}
	if actor.User != nil && !actor.User.IsAdmin() {
		return nil, s.deny(ctx, actor, "admin.set_role", userTarget(u.ID), "Only administrators can change roles.")
	}
	if actor.User != nil && actor.User.ID == u.ID && role != Admin {
		return nil, errs.Invalid("role", "You cannot remove your own administrator role; ask another administrator.")
	}
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.st.setRole(ctx, u.ID, role, s.now()); err != nil {
			return err
		}
		// A changed role changes what a session or a token may do: sign the
		// user in again; tokens are issued again for the new role.
		if err := s.st.deleteSessionsOf(ctx, u.ID, 0); err != nil {
			return err
		}
		if err := s.st.revokeTokensOf(ctx, u.ID, s.now()); err != nil {
			return err
		}
		return s.audit.Append(ctx, actor.event("admin.set_role", userTarget(u.ID), audit.Success,
			fmt.Sprintf("role %s -> %s; sessions ended, API tokens revoked", u.Role, role)))
	})
	if err != nil {
		return nil, errs.Internal(err, "set role")
	}
	return s.UserByID(ctx, u.ID)
}

// DenyAdmin records that actor tried an administrator-only route and
// returns the error to show.
func (s *Service) DenyAdmin(ctx context.Context, actor Actor, route string) error {
	return s.deny(ctx, actor, "admin.access", route, "This page is for administrators.")
}

// AdminListUsers is ListUsers for the administrators' account page, which
// shows security state (roles, two-factor): only admins may, and each
// viewing is audited.
func (s *Service) AdminListUsers(ctx context.Context, actor Actor, f UserFilter) ([]*User, error) {
	if actor.User == nil || !actor.User.IsAdmin() {
		return nil, s.deny(ctx, actor, "admin.list_users", "", "This page is for administrators.")
	}
	if err := s.audit.Append(ctx, actor.event("admin.list_users", "", audit.Success, "")); err != nil {
		return nil, errs.Internal(err, "audit list users")
	}
	return s.ListUsers(ctx, f)
}
