package social

import (
	"context"
	"slices"
	"strings"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/errs"
)

// canSee reports whether viewer may read s. It is the one visibility rule;
// every read path goes through it or through SQL written to the same rule.
// ties answers the questions about the viewer's relationships to authors.
func canSee(ctx context.Context, viewer Viewer, st *Status, ties *ties) (bool, error) {
	if st == nil || !st.DeletedAt.IsZero() {
		return false, nil
	}
	if viewer.ID == st.AccountID {
		return true, nil
	}
	if st.Hidden || st.AuthorSuspended {
		return false, nil
	}
	if viewer.ID != 0 {
		if blocked, err := ties.blocked(ctx, st.AccountID); err != nil || blocked {
			return false, err
		}
	}
	switch st.Visibility {
	case Public, Unlisted:
		return true, nil
	case Members:
		return viewer.ID != 0, nil
	case Private:
		if viewer.ID == 0 {
			return false, nil
		}
		if slices.Contains(st.Mentions, viewer.ID) {
			return true, nil
		}
		state, err := ties.followState(ctx, st.AccountID)
		return state == "accepted", err
	case Direct:
		return viewer.ID != 0 && slices.Contains(st.Mentions, viewer.ID), nil
	}
	return false, nil
}

// ties are a viewer's blocks and follows towards a set of authors, read in
// two queries for a whole page instead of two per status.
type ties struct {
	st      socialStore
	viewer  int64
	blocks  map[int64]bool
	follows map[int64]string
}

// tiesFor prefetches the viewer's ties to the authors of list (and of the
// statuses they share). Authors not prefetched are looked up one by one.
func (s *Service) tiesFor(ctx context.Context, viewer Viewer, list []*Status) (*ties, error) {
	t := &ties{st: s.st, viewer: viewer.ID}
	if viewer.ID == 0 {
		return t, nil
	}
	var authors []int64
	for _, st := range list {
		for _, x := range []*Status{st, st.Reblog} {
			if x != nil && x.AccountID != viewer.ID && !slices.Contains(authors, x.AccountID) {
				authors = append(authors, x.AccountID)
			}
		}
	}
	if len(authors) == 0 {
		return t, nil
	}
	blocks, follows, err := s.st.tiesTo(ctx, viewer.ID, authors)
	if err != nil {
		return nil, err
	}
	t.blocks, t.follows = blocks, follows
	return t, nil
}

func (t *ties) blocked(ctx context.Context, author int64) (bool, error) {
	if t.blocks != nil {
		if _, ok := t.follows[author]; ok {
			return t.blocks[author], nil
		}
	}
	return t.st.blockedEitherWay(ctx, t.viewer, author)
}

func (t *ties) followState(ctx context.Context, author int64) (string, error) {
	if t.follows != nil {
		if state, ok := t.follows[author]; ok {
			return state, nil
		}
	}
	return t.st.followState(ctx, t.viewer, author)
}

var errNoStatus = errs.NotFound("Record not found")

// Status returns a status the viewer may read, with the shared status of a reblog.
func (s *Service) Status(ctx context.Context, viewer Viewer, id int64) (*Status, error) {
	list, err := s.st.statuses(ctx, []int64{id})
	if err != nil {
		return nil, internal(err, "load status")
	}
	if len(list) == 0 {
		return nil, errNoStatus
	}
	out, err := s.visible(ctx, viewer, list)
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, errNoStatus
	}
	return out[0], nil
}

// visible keeps the statuses viewer may read, loading each reblog's original
// (and dropping reblogs of statuses the viewer may not read).
func (s *Service) visible(ctx context.Context, viewer Viewer, list []*Status) ([]*Status, error) {
	if err := s.loadReblogged(ctx, list); err != nil {
		return nil, internal(err, "load reblogged status")
	}
	ties, err := s.tiesFor(ctx, viewer, list)
	if err != nil {
		return nil, internal(err, "check visibility")
	}
	var out []*Status
	for _, st := range list {
		ok, err := canSee(ctx, viewer, st, ties)
		if err != nil {
			return nil, internal(err, "check visibility")
		}
		if !ok {
			continue
		}
		if st.ReblogOfID != 0 {
			if st.Reblog == nil {
				continue
			}
			if ok, err := canSee(ctx, viewer, st.Reblog, ties); err != nil || !ok {
				if err != nil {
					return nil, internal(err, "check visibility")
				}
				st.Reblog = nil
				continue
			}
		}
		out = append(out, st)
	}
	return out, nil
}

// loadReblogged attaches, in one query, the shared status of each reblog.
func (s *Service) loadReblogged(ctx context.Context, list []*Status) error {
	var ids []int64
	for _, st := range list {
		if st.ReblogOfID != 0 && st.Reblog == nil {
			ids = append(ids, st.ReblogOfID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	orig, err := s.st.statuses(ctx, ids)
	if err != nil {
		return err
	}
	byID := make(map[int64]*Status, len(orig))
	for _, o := range orig {
		byID[o.ID] = o
	}
	for _, st := range list {
		if st.ReblogOfID != 0 && st.Reblog == nil {
			st.Reblog = byID[st.ReblogOfID]
		}
	}
	return nil
}

// ownOrModerated loads a status the actor wrote (or moderates).
func (s *Service) own(ctx context.Context, actor *account.User, id int64) (*Status, error) {
	st, err := s.Status(ctx, Viewer{ID: actor.ID}, id)
	if err != nil {
		return nil, err
	}
	if st.AccountID != actor.ID {
		return nil, errs.Forbidden("This is not your post.")
	}
	return st, nil
}

// DeleteStatus deletes the actor's status; its reblogs go with it.
// Moderators hide statuses instead (the moderation queue).
func (s *Service) DeleteStatus(ctx context.Context, actor *account.User, id int64) (*Status, error) {
	st, err := s.own(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		if st.ReblogOfID != 0 {
			if err := s.st.deleteStatus(ctx, st.ID); err != nil {
				return err
			}
			return s.st.bump(ctx, "reblogs_count", st.ReblogOfID, -1)
		}
		if err := s.st.markDeleted(ctx, st.ID, s.now()); err != nil {
			return err
		}
		if err := s.st.deleteReblogsOf(ctx, st.ID); err != nil {
			return err
		}
		if st.InReplyToID != 0 {
			return s.st.bump(ctx, "replies_count", st.InReplyToID, -1)
		}
		return nil
	})
	if err != nil {
		return nil, internal(err, "delete status")
	}
	if st.Reblog != nil && st.Reblog.AccountID != actor.ID { // deleting a share takes it back
		s.emit(ctx, Event{Type: EventUnreblog, ActorID: actor.ID, Recipient: st.Reblog.AccountID, StatusID: st.ReblogOfID})
	}
	s.emit(ctx, Event{Type: EventDelete, ActorID: actor.ID, StatusID: st.ID})
	return st, nil
}

// EditStatus replaces the text of the actor's status, keeping the earlier
// version in its history. Visibility and the reply target do not change.
func (s *Service) EditStatus(ctx context.Context, actor *account.User, id int64, in NewStatus) (*Status, error) {
	st, err := s.own(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if st.ReblogOfID != 0 {
		return nil, errs.Invalid("id", "A share cannot be edited.")
	}
	in.Kind, in.Visibility = st.Kind, st.Visibility
	if err := in.Validate(); err != nil {
		return nil, err
	}
	mentioned, known, err := s.resolveMentions(ctx, in.Text)
	if err != nil {
		return nil, err
	}
	now := s.now().UTC()
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.st.insertEdit(ctx, s.ids.Next(), st, st.CreatedAt); err != nil {
			return err
		}
		st.Title, st.Summary, st.Source, st.Sensitive = in.Title, in.Summary, in.Text, in.Sensitive || in.Summary != ""
		st.Content, st.EditedAt, st.Mentions, st.Tags = renderFor(st.Kind, in.Text, known), now, mentioned, parseTags(in.Text)
		if err := s.st.updateStatusText(ctx, st); err != nil {
			return err
		}
		if err := s.st.clearMentionsAndTags(ctx, st.ID); err != nil {
			return err
		}
		return s.writeMentionsAndTags(ctx, st)
	})
	if err != nil {
		return nil, internal(err, "edit status")
	}
	s.emit(ctx, Event{Type: EventUpdate, ActorID: actor.ID, StatusID: st.ID})
	return st, nil
}

// History returns the earlier versions of a status the viewer may read.
func (s *Service) History(ctx context.Context, viewer Viewer, id int64) ([]Edit, error) {
	if _, err := s.Status(ctx, viewer, id); err != nil {
		return nil, err
	}
	es, err := s.st.edits(ctx, id)
	return es, internal(err, "load history")
}

// Context returns the ancestors (oldest first) and descendants (in thread
// order) of a status that the viewer may read.
func (s *Service) Context(ctx context.Context, viewer Viewer, id int64) (ancestors, descendants []*Status, err error) {
	st, err := s.Status(ctx, viewer, id)
	if err != nil {
		return nil, nil, err
	}
	for parent := st.InReplyToID; parent != 0 && len(ancestors) < 100; {
		p, err := s.Status(ctx, viewer, parent)
		if errs.Is(err, errs.KindNotFound) {
			break
		}
		if err != nil {
			return nil, nil, err
		}
		ancestors = append([]*Status{p}, ancestors...)
		parent = p.InReplyToID
	}
	// Depth-first, oldest reply first: the order a thread is read in.
	var walk func(id int64, depth int) error
	walk = func(id int64, depth int) error {
		if depth > 50 || len(descendants) > 500 {
			return nil
		}
		kids, err := s.st.ids(ctx, "SELECT id FROM statuses WHERE in_reply_to_id = ? AND deleted_at = 0 ORDER BY id", id)
		if err != nil {
			return err
		}
		list, err := s.st.statuses(ctx, kids)
		if err != nil {
			return err
		}
		vis, err := s.visible(ctx, viewer, list)
		if err != nil {
			return err
		}
		for _, k := range vis {
			descendants = append(descendants, k)
			if err := walk(k.ID, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(st.ID, 0); err != nil {
		return nil, nil, internal(err, "load thread")
	}
	return ancestors, descendants, nil
}

// Favourite marks a status the actor may read as a favourite.
func (s *Service) Favourite(ctx context.Context, actor *account.User, id int64) (*Status, error) {
	st, err := s.Status(ctx, Viewer{ID: actor.ID}, id)
	if err != nil {
		return nil, err
	}
	if st.Reblog != nil {
		st = st.Reblog
	}
	added := false
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		var err error
		if added, err = s.st.favourite(ctx, actor.ID, st.ID, s.now()); err != nil || !added {
			return err
		}
		return s.st.bump(ctx, "favourites_count", st.ID, 1)
	})
	if err != nil {
		return nil, internal(err, "favourite")
	}
	if added {
		st.FavouritesCount++
		if st.AccountID != actor.ID {
			s.emit(ctx, Event{Type: EventFavourite, ActorID: actor.ID, Recipient: st.AccountID, StatusID: st.ID})
		}
	}
	return st, nil
}

// Unfavourite removes a favourite (of the shared status, given a share, as
// Favourite does); the author's notification of it goes too.
func (s *Service) Unfavourite(ctx context.Context, actor *account.User, id int64) (*Status, error) {
	st, err := s.Status(ctx, Viewer{ID: actor.ID}, id)
	if err != nil {
		return nil, err
	}
	if st.Reblog != nil {
		st = st.Reblog
	}
	removed := false
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		var err error
		if removed, err = s.st.unfavourite(ctx, actor.ID, st.ID); err != nil || !removed {
			return err
		}
		return s.st.bump(ctx, "favourites_count", st.ID, -1)
	})
	if err != nil {
		return nil, internal(err, "unfavourite")
	}
	if removed {
		st.FavouritesCount--
		if st.AccountID != actor.ID {
			s.emit(ctx, Event{Type: EventUnfavourite, ActorID: actor.ID, Recipient: st.AccountID, StatusID: st.ID})
		}
	}
	return st, nil
}

// Reblog shares a public or unlisted status; sharing twice returns the same share.
func (s *Service) Reblog(ctx context.Context, actor *account.User, id int64) (*Status, error) {
	orig, err := s.Status(ctx, Viewer{ID: actor.ID}, id)
	if err != nil {
		return nil, err
	}
	if orig.Reblog != nil {
		orig = orig.Reblog
	}
	if orig.Visibility != Public && orig.Visibility != Unlisted {
		return nil, errs.Invalid("id", "Only public posts can be shared.")
	}
	if existing, err := s.st.reblogBy(ctx, actor.ID, orig.ID); err != nil || existing != nil {
		if existing != nil {
			existing.Reblog = orig
		}
		return existing, internal(err, "load share")
	}
	rb := &Status{ID: s.ids.Next(), AccountID: actor.ID, Kind: Note, Visibility: Public, ReblogOfID: orig.ID,
		CreatedAt: s.now().UTC(), Reblog: orig}
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.st.insertStatus(ctx, rb); err != nil {
			return err
		}
		orig.ReblogsCount++
		return s.st.bump(ctx, "reblogs_count", orig.ID, 1)
	})
	if err != nil {
		return nil, internal(err, "reblog")
	}
	if orig.AccountID != actor.ID {
		s.emit(ctx, Event{Type: EventReblog, ActorID: actor.ID, Recipient: orig.AccountID, StatusID: orig.ID})
	}
	s.emit(ctx, Event{Type: EventStatus, ActorID: actor.ID, StatusID: rb.ID})
	return rb, nil
}

// Unreblog removes the actor's share of a status and returns the original.
func (s *Service) Unreblog(ctx context.Context, actor *account.User, id int64) (*Status, error) {
	orig, err := s.Status(ctx, Viewer{ID: actor.ID}, id)
	if err != nil {
		return nil, err
	}
	if orig.Reblog != nil {
		orig = orig.Reblog
	}
	rb, err := s.st.reblogBy(ctx, actor.ID, orig.ID)
	if err != nil || rb == nil {
		return orig, internal(err, "load share")
	}
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.st.deleteStatus(ctx, rb.ID); err != nil {
			return err
		}
		return s.st.bump(ctx, "reblogs_count", orig.ID, -1)
	})
	if err != nil {
		return nil, internal(err, "unreblog")
	}
	orig.ReblogsCount--
	if orig.AccountID != actor.ID {
		s.emit(ctx, Event{Type: EventUnreblog, ActorID: actor.ID, Recipient: orig.AccountID, StatusID: orig.ID})
	}
	// The share itself is gone from timelines, as a deleted status is.
	s.emit(ctx, Event{Type: EventDelete, ActorID: actor.ID, StatusID: rb.ID})
	return orig, nil
}

// Flags says, for the viewer, which statuses they favourited and shared.
func (s *Service) Flags(ctx context.Context, viewer Viewer, ids []int64) (fav, reblogged map[int64]bool, err error) {
	fav, reblogged, err = s.st.viewerFlags(ctx, viewer.ID, ids)
	return fav, reblogged, internal(err, "load flags")
}

// normalizeTag makes a hashtag name comparable.
func normalizeTag(t string) string {
	return strings.ToLower(strings.TrimPrefix(strings.TrimSpace(t), "#"))
}
