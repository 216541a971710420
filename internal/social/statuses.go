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
func (s *Service) canSee(ctx context.Context, viewer Viewer, st *Status) (bool, error) {
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
		if blocked, err := s.st.blockedEitherWay(ctx, viewer.ID, st.AccountID); err != nil || blocked {
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
		state, err := s.st.followState(ctx, viewer.ID, st.AccountID)
		return state == "accepted", err
	case Direct:
		return viewer.ID != 0 && slices.Contains(st.Mentions, viewer.ID), nil
	}
	return false, nil
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
	var out []*Status
	for _, st := range list {
		ok, err := s.canSee(ctx, viewer, st)
		if err != nil {
			return nil, internal(err, "check visibility")
		}
		if !ok {
			continue
		}
		if st.ReblogOfID != 0 {
			orig, err := s.st.statuses(ctx, []int64{st.ReblogOfID})
			if err != nil {
				return nil, internal(err, "load reblogged status")
			}
			if len(orig) == 0 {
				continue
			}
			if ok, err := s.canSee(ctx, viewer, orig[0]); err != nil || !ok {
				if err != nil {
					return nil, internal(err, "check visibility")
				}
				continue
			}
			st.Reblog = orig[0]
		}
		out = append(out, st)
	}
	return out, nil
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

// Unfavourite removes a favourite.
func (s *Service) Unfavourite(ctx context.Context, actor *account.User, id int64) (*Status, error) {
	st, err := s.Status(ctx, Viewer{ID: actor.ID}, id)
	if err != nil {
		return nil, err
	}
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		removed, err := s.st.unfavourite(ctx, actor.ID, st.ID)
		if err != nil || !removed {
			return err
		}
		st.FavouritesCount--
		return s.st.bump(ctx, "favourites_count", st.ID, -1)
	})
	return st, internal(err, "unfavourite")
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
		orig.ReblogsCount--
		return s.st.bump(ctx, "reblogs_count", orig.ID, -1)
	})
	return orig, internal(err, "unreblog")
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
