package social

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/audit"
	"github.com/rounds-health/rounds/internal/errs"
	"github.com/rounds-health/rounds/internal/id"
	"github.com/rounds-health/rounds/internal/input"
)

// The bulk paths below write synthetic networks for load tests and
// benchmarks (rounds loadgen): thousands of rows per transaction, one audit
// record per transaction, no events and so no notifications or live
// messages. They are the operator's, never a person's: public words from
// people go through the publish service and its guard.

// FollowEdge is one accepted follow for BulkFollow.
type FollowEdge struct {
	Follower, Followee int64
	At                 time.Time
}

// BulkFollow writes accepted follows in transactions of batch rows; a
// follow that already exists is left as it is.
func (s *Service) BulkFollow(ctx context.Context, actor account.Actor, follows []FollowEdge, batch int) error {
	if err := s.operatorOnly(ctx, actor, "follows"); err != nil {
		return err
	}
	for i, f := range follows {
		if f.Follower <= 0 || f.Followee <= 0 || f.Follower == f.Followee {
			return errs.Invalid(fmt.Sprintf("follows[%d]", i), "A follow needs two different accounts.")
		}
	}
	return s.inBatches(ctx, actor, len(follows), batch, "follows", func(ctx context.Context, lo, hi int) error {
		return s.st.insertFollows(ctx, follows[lo:hi])
	})
}

// BulkStatus is one public note for BulkStatuses.
type BulkStatus struct {
	// ID must be time-ordered like every status ID, and in the millisecond
	// of CreatedAt (id.FloorOf(CreatedAt) plus a sequence), so that keyset
	// paging over old statuses behaves as over real ones.
	ID        int64
	AccountID int64
	Text      string // plain text, without mentions or hashtags
	Language  string
	CreatedAt time.Time // in the past
}

// BulkStatuses writes public notes in transactions of batch rows. The text
// is rendered as a status's text is; mentions and hashtags are refused
// because the bulk path writes neither mentions nor tags.
func (s *Service) BulkStatuses(ctx context.Context, actor account.Actor, sts []BulkStatus, batch int) error {
	if err := s.operatorOnly(ctx, actor, "statuses"); err != nil {
		return err
	}
	rows := make([]*Status, len(sts))
	now := s.now()
	for i, b := range sts {
		if err := checkBulkStatus(b, now); err != nil {
			return errs.Invalid(fmt.Sprintf("statuses[%d]", i), err.Error())
		}
		rows[i] = &Status{ID: b.ID, AccountID: b.AccountID, Kind: Note, Source: b.Text, Content: render(b.Text, nil),
			Visibility: Public, Language: b.Language, CreatedAt: b.CreatedAt}
	}
	return s.inBatches(ctx, actor, len(rows), batch, "statuses", func(ctx context.Context, lo, hi int) error {
		return s.st.insertStatuses(ctx, rows[lo:hi])
	})
}

func checkBulkStatus(b BulkStatus, now time.Time) error {
	n := utf8.RuneCountInString(b.Text)
	switch {
	case b.AccountID <= 0:
		return fmt.Errorf("a status needs an author")
	case b.ID <= 0 || id.Time(b.ID).UnixMilli() != b.CreatedAt.UnixMilli():
		return fmt.Errorf("id %d is not an ID made in the millisecond of created_at %s", b.ID, b.CreatedAt.UTC().Format(time.RFC3339Nano))
	case b.CreatedAt.After(now):
		return fmt.Errorf("created_at %s is in the future", b.CreatedAt.UTC().Format(time.RFC3339))
	case n == 0 || n > MaxNoteChars:
		return fmt.Errorf("a note has 1 to %d characters; this one has %d", MaxNoteChars, n)
	case input.Problem(b.Text) != "":
		return fmt.Errorf("%s", input.Problem(b.Text))
	case strings.ContainsAny(b.Text, "@#") && (len(parseMentions(b.Text)) > 0 || len(parseTags(b.Text)) > 0):
		return fmt.Errorf("bulk statuses carry no mentions or hashtags")
	case len(b.Language) > 8:
		return fmt.Errorf("use an ISO 639 language code, like en")
	}
	return nil
}

// operatorOnly refuses, and audits refusing, anyone but the operator.
func (s *Service) operatorOnly(ctx context.Context, actor account.Actor, what string) error {
	if actor.User == nil {
		return nil
	}
	err := s.audit.Append(ctx, audit.Event{ActorID: actor.User.ID, Actor: actor.User.Username, Action: "social.bulk_" + what,
		Outcome: audit.Denied, Detail: "not permitted"})
	if err != nil {
		return internal(err, "audit denial")
	}
	return errs.Forbidden(fmt.Sprintf("Only the operator can write %s in bulk.", what))
}

// inBatches runs write over [lo, hi) slices of n rows, one transaction and
// one audit record per slice.
func (s *Service) inBatches(ctx context.Context, actor account.Actor, n, batch int, what string,
	write func(ctx context.Context, lo, hi int) error) error {
	if batch <= 0 {
		batch = 5000
	}
	for lo := 0; lo < n; lo += batch {
		hi := min(lo+batch, n)
		err := s.db.WithTx(ctx, func(ctx context.Context) error {
			if err := write(ctx, lo, hi); err != nil {
				return err
			}
			return s.audit.Append(ctx, audit.Event{Actor: actor.Via, Action: "social.bulk_" + what, Outcome: audit.Success,
				Detail: fmt.Sprintf("%d synthetic %s", hi-lo, what)})
		})
		if err != nil {
			return internal(err, "bulk "+what)
		}
	}
	return nil
}

// Degree is an account's numbers in the graph, for load tests that sample
// accounts by how much they follow or post.
type Degree struct {
	AccountID int64
	Following int // accepted follows by the account
	Followers int // accepted follows of the account
	Statuses  int // statuses and shares, deleted ones included
}

// Degrees returns the degree of every account that follows, is followed or
// has posted, by account ID.
func (s *Service) Degrees(ctx context.Context) ([]Degree, error) {
	ds, err := s.st.degrees(ctx)
	return ds, internal(err, "degrees")
}

// AllFollowing returns every account accountID follows (accepted), unpaged:
// load tests check home timelines against it.
func (s *Service) AllFollowing(ctx context.Context, accountID int64) ([]int64, error) {
	ids, err := s.st.allFollowing(ctx, accountID)
	return ids, internal(err, "following")
}
