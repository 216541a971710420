package account

import (
	"context"
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/rounds-health/rounds/internal/audit"
	"github.com/rounds-health/rounds/internal/errs"
	"github.com/rounds-health/rounds/internal/store"
)

// BulkUser is one account for BulkCreateUsers: synthetic people for load
// tests and benchmarks, not sign-ups.
type BulkUser struct {
	Username    string
	Email       string
	DisplayName string
	Bio         string
	Role        Role
	Verified    bool
	Locked      bool
	CreatedAt   time.Time // zero: now
}

// bulkUserRows is how many users one INSERT statement carries: 15 bound
// values each, well under SQLite's 32,766 and PostgreSQL's 65,535.
const bulkUserRows = 500

// BulkCreateUsers writes many accounts at once, all with the same password,
// in transactions of batch accounts with one audit record per transaction
// instead of one per account. The argon2id hash is computed once and shared:
// this is for the operator's synthetic networks (rounds loadgen), never for
// people, whose passwords each get their own salt. Only the operator may
// call it (an Actor without a User). It checks usernames, emails, roles and
// the password as account creation does, but not that the names are free:
// a taken one fails its whole transaction with a Conflict. It returns the
// accounts with their IDs, in the order given.
func (s *Service) BulkCreateUsers(ctx context.Context, actor Actor, in []BulkUser, password string, batch int) ([]*User, error) {
	if actor.User != nil {
		return nil, s.deny(ctx, actor, "admin.bulk_create_users", "", "Only the operator can create accounts in bulk.")
	}
	if batch <= 0 {
		batch = 2000
	}
	if err := validateBulkUsers(in, password); err != nil {
		return nil, err
	}
	hash, err := s.hashPassword(ctx, password) // once, for every account
	if err != nil {
		return nil, err
	}
	out := make([]*User, 0, len(in))
	for start := 0; start < len(in); start += batch {
		part, err := s.bulkUserBatch(ctx, actor, in[start:min(start+batch, len(in))], hash)
		if err != nil {
			return nil, err
		}
		out = append(out, part...)
	}
	return out, nil
}

// validateBulkUsers applies the rules of account creation to every row
// before anything is written or hashed.
func validateBulkUsers(in []BulkUser, password string) error {
	if p := passwordProblem(password, ""); p != "" {
		return errs.Invalid("password", p)
	}
	for i, u := range in {
		field := func(name string) string { return fmt.Sprintf("users[%d].%s", i, name) }
		switch {
		case !usernamePattern.MatchString(u.Username):
			return errs.Invalid(field("username"), fmt.Sprintf("%q: usernames are 3 to 30 characters: letters, digits and underscores, starting with a letter.", u.Username))
		case slices.Contains(reservedUsernames, strings.ToLower(u.Username)):
			return errs.Invalid(field("username"), fmt.Sprintf("%q is reserved.", u.Username))
		case !validEmail(u.Email):
			return errs.Invalid(field("email"), fmt.Sprintf("%q is not an email address like name@example.org.", u.Email))
		case !slices.Contains(Roles, u.Role):
			return errs.Invalid(field("role"), fmt.Sprintf("Unknown role %q.", u.Role))
		case utf8.RuneCountInString(u.DisplayName) > 80:
			return errs.Invalid(field("display_name"), "Display names are at most 80 characters.")
		case utf8.RuneCountInString(u.Bio) > 2000:
			return errs.Invalid(field("bio"), "The bio is at most 2,000 characters.")
		}
	}
	return nil
}

func validEmail(e string) bool {
	addr, err := mail.ParseAddress(e)
	return err == nil && addr.Address == e && len(e) <= 254 && strings.Contains(e[strings.LastIndex(e, "@"):], ".")
}

// bulkUserBatch writes one transaction's accounts and its audit record.
func (s *Service) bulkUserBatch(ctx context.Context, actor Actor, in []BulkUser, hash string) ([]*User, error) {
	now := s.now().UTC()
	us := make([]*User, len(in))
	roles := map[Role]int{}
	for i, b := range in {
		at := b.CreatedAt
		if at.IsZero() {
			at = now
		}
		us[i] = &User{ID: s.ids.Next(), Username: b.Username, Email: b.Email, DisplayName: b.DisplayName, Bio: b.Bio,
			Role: b.Role, Verified: b.Verified, Locked: b.Locked, AgeAttestedAt: at, PasswordChangedAt: at, CreatedAt: at}
		roles[b.Role]++
	}
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		for start := 0; start < len(us); start += bulkUserRows {
			if err := s.st.insertUsers(ctx, us[start:min(start+bulkUserRows, len(us))], hash); err != nil {
				return err
			}
		}
		return s.audit.Append(ctx, actor.event("admin.bulk_create_users", "", audit.Success,
			fmt.Sprintf("%d accounts (%s), %s to %s, one shared synthetic password", len(us), roleCounts(roles),
				us[0].Username, us[len(us)-1].Username)))
	})
	if store.IsUniqueViolation(err) {
		return nil, errs.Conflict("username", fmt.Sprintf("A username or email between %s and %s is taken; nothing in that batch was created.",
			us[0].Username, us[len(us)-1].Username))
	}
	if err != nil {
		return nil, errs.Internal(err, "bulk create users")
	}
	return us, nil
}

func roleCounts(m map[Role]int) string {
	var parts []string
	for _, r := range Roles {
		if m[r] > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", r, m[r]))
		}
	}
	return strings.Join(parts, ", ")
}

// insertUsers writes users in one multi-row INSERT.
func (st accountStore) insertUsers(ctx context.Context, us []*User, passwordHash string) error {
	var q strings.Builder
	q.WriteString(`INSERT INTO users (id, username, username_lower, email, email_lower, display_name, bio,
		role, verified, password_hash, age_attested_at, password_changed_at, created_at, updated_at, locked) VALUES `)
	args := make([]any, 0, len(us)*15)
	for i, u := range us {
		if i > 0 {
			q.WriteString(", ")
		}
		q.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
		args = append(args, u.ID, u.Username, strings.ToLower(u.Username), u.Email, strings.ToLower(u.Email), u.DisplayName,
			u.Bio, string(u.Role), u.Verified, passwordHash, u.AgeAttestedAt.UnixMilli(), u.PasswordChangedAt.UnixMilli(),
			u.CreatedAt.UnixMilli(), u.CreatedAt.UnixMilli(), u.Locked)
	}
	_, err := st.db.Exec(ctx, q.String(), args...)
	return err
}

// RevokeTokens revokes the given API bearer tokens (as handed out by
// IssueToken) in one transaction with one audit record: rounds loadgen
// issues tokens for its clients and revokes them when it is done. Only the
// operator may call it. It returns how many were still live.
func (s *Service) RevokeTokens(ctx context.Context, actor Actor, tokens []string) (int, error) {
	if actor.User != nil {
		return 0, s.deny(ctx, actor, "admin.revoke_tokens", "", "Only the operator can revoke tokens in bulk.")
	}
	if len(tokens) == 0 {
		return 0, nil
	}
	hashes := make([]any, len(tokens))
	for i, t := range tokens {
		hashes[i] = hashSecret(t)
	}
	var n int64
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		var err error
		if n, err = s.st.revokeTokenHashes(ctx, hashes, s.now()); err != nil {
			return err
		}
		return s.audit.Append(ctx, actor.event("admin.revoke_tokens", "", audit.Success,
			fmt.Sprintf("%d of %d tokens revoked", n, len(tokens))))
	})
	if err != nil {
		return 0, errs.Internal(err, "revoke tokens")
	}
	return int(n), nil
}

func (st accountStore) revokeTokenHashes(ctx context.Context, hashes []any, at time.Time) (int64, error) {
	var total int64
	for start := 0; start < len(hashes); start += 1000 {
		part := hashes[start:min(start+1000, len(hashes))]
		args := append([]any{at.UnixMilli()}, part...)
		res, err := st.db.Exec(ctx, "UPDATE oauth_tokens SET revoked_at = ? WHERE revoked_at IS NULL AND token_hash IN (?"+
			strings.Repeat(", ?", len(part)-1)+")", args...)
		if err != nil {
			return 0, err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return 0, err
		}
		total += n
	}
	return total, nil
}
