package social

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/audit"
	"github.com/rounds-health/rounds/internal/errs"
	"github.com/rounds-health/rounds/internal/id"
	"github.com/rounds-health/rounds/internal/input"
	"github.com/rounds-health/rounds/internal/media"
	"github.com/rounds-health/rounds/internal/store"
)

// urlPlaceholder is what a link counts as in the length of a note.
const urlPlaceholder = "https://xxxxxxxxxxxxxxx"

// Limits of a status.
const (
	MaxNoteChars    = 500
	MaxArticleChars = 100_000
	MaxTitleChars   = 200
	MaxSummaryChars = 500
	MaxMentions     = 20
)

// Service is the only writer of the social tables.
type Service struct {
	db       *store.DB
	st       socialStore
	audit    *audit.Log
	accounts *account.Service
	media    *media.Service
	ids      *id.Generator
	now      func() time.Time

	homeWindow int // rows per pass of the home query (see homeFollowed)
	listeners  []Listener
}

// NewService wires the social service.
func NewService(db *store.DB, log *audit.Log, accounts *account.Service, images *media.Service, ids *id.Generator) *Service {
	return &Service{db: db, st: socialStore{db}, audit: log, accounts: accounts, media: images, ids: ids, now: time.Now, homeWindow: defaultHomeWindow}
}

func internal(err error, what string) error {
	if err == nil || errs.As(err) != nil {
		return err
	}
	return errs.Internal(err, "%s", what)
}

// target loads the account acted upon, refusing oneself where it makes no sense.
func (s *Service) target(ctx context.Context, actor *account.User, targetID int64, verb string) (*account.User, error) {
	if actor == nil {
		return nil, errs.Unauthorized("Sign in first.")
	}
	if actor.ID == targetID {
		return nil, errs.Invalid("id", fmt.Sprintf("You cannot %s yourself.", verb))
	}
	u, err := s.accounts.UserByID(ctx, targetID)
	if err == nil && u.Suspended && verb == "follow" {
		return nil, errs.NotFound("Record not found")
	}
	return u, err
}

// Follow follows target; a locked account gets a follow request instead.
func (s *Service) Follow(ctx context.Context, actor *account.User, targetID int64) (Relationship, error) {
	t, err := s.target(ctx, actor, targetID, "follow")
	if err != nil {
		return Relationship{}, err
	}
	if blocked, err := s.st.blockedEitherWay(ctx, actor.ID, t.ID); err != nil || blocked {
		if err != nil {
			return Relationship{}, internal(err, "check block")
		}
		return Relationship{}, errs.Forbidden("You cannot follow this account.")
	}
	state := "accepted"
	if t.Locked {
		state = "requested"
	}
	before, err := s.st.followState(ctx, actor.ID, t.ID)
	if err != nil {
		return Relationship{}, internal(err, "follow")
	}
	if err := s.st.follow(ctx, actor.ID, t.ID, state, s.now()); err != nil {
		return Relationship{}, internal(err, "follow")
	}
	if before == "" {
		typ := EventFollow
		if state == "requested" {
			typ = EventFollowRequest
		}
		s.emit(ctx, Event{Type: typ, ActorID: actor.ID, Recipient: t.ID})
	}
	return s.Relationship(ctx, actor.ID, t.ID)
}

// Unfollow stops following target (or withdraws a request).
func (s *Service) Unfollow(ctx context.Context, actor *account.User, targetID int64) (Relationship, error) {
	t, err := s.target(ctx, actor, targetID, "unfollow")
	if err != nil {
		return Relationship{}, err
	}
	var was string
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		var err error
		was, err = s.st.removeFollow(ctx, actor.ID, t.ID)
		return err
	})
	if err != nil {
		return Relationship{}, internal(err, "unfollow")
	}
	if was == "requested" {
		s.emit(ctx, Event{Type: EventRequestWithdrawn, ActorID: actor.ID, Recipient: t.ID})
	}
	return s.Relationship(ctx, actor.ID, t.ID)
}

// AnswerFollowRequest accepts or rejects a request to follow the actor.
func (s *Service) AnswerFollowRequest(ctx context.Context, actor *account.User, followerID int64, accept bool) (Relationship, error) {
	if actor == nil {
		return Relationship{}, errs.Unauthorized("Sign in first.")
	}
	answered, err := s.st.answerRequest(ctx, followerID, actor.ID, accept)
	if err != nil {
		return Relationship{}, internal(err, "answer request")
	}
	if !answered {
		return Relationship{}, errs.NotFound("This account has not asked to follow you.")
	}
	if accept {
		s.emit(ctx, Event{Type: EventFollow, ActorID: followerID, Recipient: actor.ID})
	} else {
		s.emit(ctx, Event{Type: EventRequestRejected, ActorID: actor.ID, Recipient: followerID})
	}
	return s.Relationship(ctx, actor.ID, followerID)
}

// FollowRequestCount is how many accounts wait for the actor's approval.
func (s *Service) FollowRequestCount(ctx context.Context, actor *account.User) (int, error) {
	if actor == nil {
		return 0, errs.Unauthorized("Sign in first.")
	}
	n, err := s.st.count(ctx, `SELECT COUNT(*) FROM follows f JOIN users u ON u.id = f.follower_id
		WHERE f.followee_id = ? AND f.state = 'requested' AND u.suspended = FALSE`, actor.ID)
	return n, internal(err, "count follow requests")
}

// Block blocks target: no follows either way, no statuses either way.
func (s *Service) Block(ctx context.Context, actor *account.User, targetID int64) (Relationship, error) {
	t, err := s.target(ctx, actor, targetID, "block")
	if err != nil {
		return Relationship{}, err
	}
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.st.block(ctx, actor.ID, t.ID, s.now()); err != nil {
			return err
		}
		if err := s.st.unfollow(ctx, actor.ID, t.ID); err != nil {
			return err
		}
		return s.st.unfollow(ctx, t.ID, actor.ID)
	})
	if err != nil {
		return Relationship{}, internal(err, "block")
	}
	return s.Relationship(ctx, actor.ID, t.ID)
}

// Unblock lifts a block.
func (s *Service) Unblock(ctx context.Context, actor *account.User, targetID int64) (Relationship, error) {
	t, err := s.target(ctx, actor, targetID, "unblock")
	if err != nil {
		return Relationship{}, err
	}
	if err := s.st.unblock(ctx, actor.ID, t.ID); err != nil {
		return Relationship{}, internal(err, "unblock")
	}
	return s.Relationship(ctx, actor.ID, t.ID)
}

// Mute hides target's statuses from the actor's timelines.
func (s *Service) Mute(ctx context.Context, actor *account.User, targetID int64) (Relationship, error) {
	t, err := s.target(ctx, actor, targetID, "mute")
	if err != nil {
		return Relationship{}, err
	}
	if err := s.st.mute(ctx, actor.ID, t.ID, s.now()); err != nil {
		return Relationship{}, internal(err, "mute")
	}
	return s.Relationship(ctx, actor.ID, t.ID)
}

// Unmute lifts a mute.
func (s *Service) Unmute(ctx context.Context, actor *account.User, targetID int64) (Relationship, error) {
	t, err := s.target(ctx, actor, targetID, "unmute")
	if err != nil {
		return Relationship{}, err
	}
	if err := s.st.unmute(ctx, actor.ID, t.ID); err != nil {
		return Relationship{}, internal(err, "unmute")
	}
	return s.Relationship(ctx, actor.ID, t.ID)
}

// Relationship says how viewer relates to other.
func (s *Service) Relationship(ctx context.Context, viewer, other int64) (Relationship, error) {
	r := Relationship{ID: other}
	out, err := s.st.followState(ctx, viewer, other)
	if err != nil {
		return r, internal(err, "relationship")
	}
	in, err := s.st.followState(ctx, other, viewer)
	if err != nil {
		return r, internal(err, "relationship")
	}
	r.Following, r.Requested, r.FollowedBy = out == "accepted", out == "requested", in == "accepted"
	for _, q := range []struct {
		dst         *bool
		table, a, b string
		x, y        int64
	}{
		{&r.Blocking, "blocks", "blocker_id", "blocked_id", viewer, other},
		{&r.BlockedBy, "blocks", "blocker_id", "blocked_id", other, viewer},
		{&r.Muting, "mutes", "muter_id", "muted_id", viewer, other},
	} {
		if *q.dst, err = s.st.pair(ctx, q.table, q.a, q.b, q.x, q.y); err != nil {
			return r, internal(err, "relationship")
		}
	}
	return r, nil
}

// Followers lists the accounts that follow accountID (accepted), newest first.
func (s *Service) Followers(ctx context.Context, accountID int64, limit int) ([]int64, error) {
	ids, err := s.st.ids(ctx, `SELECT f.follower_id FROM follows f JOIN users u ON u.id = f.follower_id
		WHERE f.followee_id = ? AND f.state = 'accepted' AND u.suspended = FALSE
		ORDER BY f.created_at DESC, f.follower_id DESC LIMIT ?`, accountID, clampLimit(limit))
	return ids, internal(err, "followers")
}

// Following lists the accounts accountID follows, newest first.
func (s *Service) Following(ctx context.Context, accountID int64, limit int) ([]int64, error) {
	ids, err := s.st.ids(ctx, `SELECT f.followee_id FROM follows f JOIN users u ON u.id = f.followee_id
		WHERE f.follower_id = ? AND f.state = 'accepted' AND u.suspended = FALSE
		ORDER BY f.created_at DESC, f.followee_id DESC LIMIT ?`, accountID, clampLimit(limit))
	return ids, internal(err, "following")
}

// FollowRequests lists accounts waiting for the actor's approval.
func (s *Service) FollowRequests(ctx context.Context, actor *account.User, limit int) ([]int64, error) {
	ids, err := s.st.ids(ctx, `SELECT f.follower_id FROM follows f JOIN users u ON u.id = f.follower_id
		WHERE f.followee_id = ? AND f.state = 'requested' AND u.suspended = FALSE
		ORDER BY f.created_at DESC, f.follower_id DESC LIMIT ?`, actor.ID, clampLimit(limit))
	return ids, internal(err, "follow requests")
}

func clampLimit(n int) int {
	if n <= 0 {
		return DefaultLimit
	}
	return min(n, 80)
}

// NewStatus is what an author submits. The publish service validates policy
// and runs the guard before calling CreateStatus.
type NewStatus struct {
	Kind        Kind
	Title       string
	Summary     string
	Text        string
	Visibility  Visibility
	Sensitive   bool
	Language    string
	InReplyToID int64
	MediaIDs    []int64 // uploaded images to attach (alt text already through the guard)
}

// Validate checks a new status without touching the database; the publish
// service calls it first so that a refused draft is refused before anything else.
func (in *NewStatus) Validate() error {
	if in.Kind == "" {
		in.Kind = Note
	}
	if in.Visibility == "" {
		in.Visibility = Public
	}
	in.Text, in.Title, in.Summary = strings.TrimSpace(in.Text), strings.TrimSpace(in.Title), strings.TrimSpace(in.Summary)
	var fs []errs.FieldError
	add := func(f, m string) { fs = append(fs, errs.FieldError{Field: f, Message: m}) }
	for f, v := range map[string]string{"status": in.Text, "title": in.Title, "spoiler_text": in.Summary, "language": in.Language} {
		if m := input.Problem(v); m != "" {
			add(f, m)
		}
	}
	if len(fs) > 0 {
		return errs.Fields(fs...)
	}
	if !slices.Contains(Visibilities, in.Visibility) {
		add("visibility", fmt.Sprintf("Unknown visibility %q; use public, unlisted, members, private or direct.", in.Visibility))
	}
	// Links count as 23 characters, whatever their length, as Mastodon
	// clients count them (the instance says so in characters_reserved_per_url).
	n := utf8.RuneCountInString(linkPattern.ReplaceAllString(in.Text, urlPlaceholder))
	switch {
	case n == 0 && len(in.MediaIDs) == 0:
		add("status", "Write something first: the post is empty.")
	case in.Kind == Note && n > MaxNoteChars:
		add("status", fmt.Sprintf("Posts are at most %d characters; this one has %d. Shorten it, or write an article.", MaxNoteChars, n))
	case in.Kind == Article && n > MaxArticleChars:
		add("status", fmt.Sprintf("Articles are at most %d characters.", MaxArticleChars))
	}
	switch in.Kind {
	case Note:
	case Article:
		if in.Title == "" {
			add("title", "An article needs a title.")
		}
	default:
		add("kind", "A status is a note or an article.")
	}
	if utf8.RuneCountInString(in.Title) > MaxTitleChars {
		add("title", fmt.Sprintf("Titles are at most %d characters.", MaxTitleChars))
	}
	if utf8.RuneCountInString(in.Summary) > MaxSummaryChars {
		add("spoiler_text", fmt.Sprintf("The content warning is at most %d characters.", MaxSummaryChars))
	}
	if len(in.Language) > 8 {
		add("language", "Use an ISO 639 language code, like en.")
	}
	return errs.Fields(fs...)
}

// CreateStatus stores a new status by author. Only the publish service
// calls it, after its policy and the guard.
func (s *Service) CreateStatus(ctx context.Context, author *account.User, in NewStatus) (*Status, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	now := s.now().UTC()
	st := &Status{ID: s.ids.Next(), AccountID: author.ID, Kind: in.Kind, Title: in.Title, Summary: in.Summary, Source: in.Text,
		Visibility: in.Visibility, Sensitive: in.Sensitive || in.Summary != "", Language: in.Language, CreatedAt: now}
	if in.InReplyToID != 0 {
		parent, err := s.Status(ctx, Viewer{ID: author.ID}, in.InReplyToID)
		if err != nil {
			if errs.Is(err, errs.KindNotFound) {
				return nil, errs.Invalid("in_reply_to_id", "The post you are replying to was deleted or is not visible to you.")
			}
			return nil, err
		}
		if parent.ReblogOfID != 0 {
			return nil, errs.Invalid("in_reply_to_id", "Reply to the original post, not to a share of it.")
		}
		st.InReplyToID, st.InReplyToAccountID = parent.ID, parent.AccountID
	}
	mentioned, known, err := s.resolveMentions(ctx, in.Text)
	if err != nil {
		return nil, err
	}
	if in.Visibility == Direct && len(mentioned) == 0 {
		return nil, errs.Invalid("visibility", "A direct message needs at least one @mention of who may read it.")
	}
	st.Content, st.Mentions, st.Tags = renderFor(in.Kind, in.Text, known), mentioned, parseTags(in.Text)
	if len(in.MediaIDs) > 0 {
		if _, err := s.media.ForAttach(ctx, author, in.MediaIDs); err != nil {
			return nil, err
		}
	}
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.st.insertStatus(ctx, st); err != nil {
			return err
		}
		if err := s.media.Attach(ctx, in.MediaIDs, st.ID); err != nil {
			return err
		}
		if err := s.writeMentionsAndTags(ctx, st); err != nil {
			return err
		}
		if st.InReplyToID != 0 {
			return s.st.bump(ctx, "replies_count", st.InReplyToID, 1)
		}
		return nil
	})
	if err != nil {
		return nil, internal(err, "create status")
	}
	events := []Event{{Type: EventStatus, ActorID: author.ID, StatusID: st.ID}}
	for _, m := range st.Mentions {
		if m != author.ID {
			events = append(events, Event{Type: EventMention, ActorID: author.ID, Recipient: m, StatusID: st.ID})
		}
	}
	if st.InReplyToAccountID != 0 && st.InReplyToAccountID != author.ID && !slices.Contains(st.Mentions, st.InReplyToAccountID) {
		events = append(events, Event{Type: EventReply, ActorID: author.ID, Recipient: st.InReplyToAccountID, StatusID: st.ID})
	}
	s.emit(ctx, events...)
	return st, nil
}

func (s *Service) writeMentionsAndTags(ctx context.Context, st *Status) error {
	for _, m := range st.Mentions {
		if err := s.st.addMention(ctx, st.ID, m); err != nil {
			return err
		}
	}
	for _, t := range st.Tags {
		if err := s.st.addTag(ctx, st.ID, s.ids.Next(), t); err != nil {
			return err
		}
	}
	return nil
}

// resolveMentions finds the accounts mentioned in text.
func (s *Service) resolveMentions(ctx context.Context, text string) ([]int64, map[string]bool, error) {
	names := parseMentions(text)
	if len(names) > MaxMentions {
		return nil, nil, errs.Invalid("status", fmt.Sprintf("Mention at most %d accounts in one post.", MaxMentions))
	}
	var ids []int64
	known := map[string]bool{}
	for _, n := range names {
		u, err := s.accounts.UserByUsername(ctx, n)
		if errs.Is(err, errs.KindNotFound) || (err == nil && u.Suspended) {
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		ids, known[n] = append(ids, u.ID), true
	}
	return ids, known, nil
}

// Counts are an account's public numbers.
type Counts struct {
	Followers, Following, Statuses int
	LastStatusAt                   int64 // Unix ms, 0 if none
}

// AccountCounts returns the follower, following and status counts of an account.
func (s *Service) AccountCounts(ctx context.Context, accountID int64) (Counts, error) {
	var c Counts
	err := s.st.counts(ctx, accountID, &c)
	return c, internal(err, "account counts")
}
