package notify

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/rounds-health/rounds/internal/errs"
	"github.com/rounds-health/rounds/internal/live"
	"github.com/rounds-health/rounds/internal/social"
)

// handleTimeout bounds the work for one event, so that a stuck database
// cannot stall the queue forever.
const handleTimeout = 30 * time.Second

// followerPage is how many followers to ask social.Followers for at once.
const followerPage = 80

// handle turns one social event into notifications and live messages.
// It runs after the change committed; a failure is logged, never returned
// to the writer, whose change stands.
func (s *Service) handle(ctx context.Context, e social.Event) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), handleTimeout)
	defer cancel()
	var err error
	switch e.Type {
	case social.EventFollow:
		// An accepted request becomes a follow; the request itself is answered.
		if err = s.st.dismissRequests(ctx, e.Recipient, e.ActorID); err == nil {
			err = s.notify(ctx, e, Follow)
		}
	case social.EventFollowRequest:
		err = s.notify(ctx, e, FollowRequest)
	case social.EventMention:
		err = s.notify(ctx, e, Mention)
	case social.EventReply:
		err = s.notify(ctx, e, Reply)
	case social.EventFavourite:
		err = s.notify(ctx, e, Favourite)
	case social.EventReblog:
		err = s.notify(ctx, e, Reblog)
	case social.EventUnfavourite:
		err = s.st.withdraw(ctx, e.Recipient, e.ActorID, Favourite, e.StatusID)
	case social.EventUnreblog:
		err = s.st.withdraw(ctx, e.Recipient, e.ActorID, Reblog, e.StatusID)
	case social.EventRequestWithdrawn:
		err = s.st.withdraw(ctx, e.Recipient, e.ActorID, FollowRequest, 0)
	case social.EventRequestRejected: // the rejecting account is the one that was asked
		err = s.st.withdraw(ctx, e.ActorID, e.Recipient, FollowRequest, 0)
	case social.EventStatus:
		err = s.fanOut(ctx, e, EventUpdate)
	case social.EventUpdate:
		err = s.fanOut(ctx, e, EventStatusUpdate)
	case social.EventDelete:
		err = s.fanOutDelete(ctx, e)
	}
	if err != nil {
		s.log.Error("notify: event not handled", "type", string(e.Type), "status", e.StatusID, "err", err)
	}
}

// notify stores a notification for e.Recipient unless it would be about
// their own action, from an account they do not hear from, or about a
// status they may not read; then tells their open streams.
func (s *Service) notify(ctx context.Context, e social.Event, typ Type) error {
	if e.Recipient == 0 || e.ActorID == 0 || e.Recipient == e.ActorID {
		return nil
	}
	if ok, err := s.accepts(ctx, e.Recipient, e.ActorID); err != nil || !ok {
		return err
	}
	if e.StatusID != 0 {
		_, err := s.social.Status(ctx, social.Viewer{ID: e.Recipient}, e.StatusID)
		if errs.Is(err, errs.KindNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
	}
	n := &Notification{ID: s.ids.Next(), AccountID: e.Recipient, Type: typ, FromAccountID: e.ActorID, StatusID: e.StatusID,
		CreatedAt: s.now().UTC()}
	if err := s.st.insert(ctx, n); err != nil {
		return err
	}
	s.publish(ctx, UserStream(n.AccountID), EventNotification, n.ID)
	return nil
}

// fanOut sends a new or edited status to the home streams of the connected
// accounts that see it there, and a public one to the public and hashtag
// streams, where each reader's blocks and mutes are applied on delivery.
func (s *Service) fanOut(ctx context.Context, e social.Event, event string) error {
	st, err := s.social.Status(ctx, social.Viewer{ID: e.ActorID}, e.StatusID)
	if errs.Is(err, errs.KindNotFound) {
		return nil // deleted meanwhile
	}
	if err != nil {
		return err
	}
	viewers, err := s.homeViewers(ctx, st)
	if err != nil {
		return err
	}
	for _, v := range viewers {
		s.publish(ctx, UserStream(v), event, st.ID)
	}
	if st.Visibility == social.Public && st.ReblogOfID == 0 && !st.Hidden {
		s.publish(ctx, PublicStream, event, st.ID)
		for _, tag := range st.Tags {
			s.publish(ctx, TagStream(tag), event, st.ID)
		}
	}
	return nil
}

// homeViewers returns the connected accounts whose home timeline shows st:
// the author, followers (direct statuses: the mentioned accounts instead)
// who neither block nor mute the author and whom the social service lets
// read it.
func (s *Service) homeViewers(ctx context.Context, st *social.Status) ([]int64, error) {
	connected, err := s.connectedUsers(ctx)
	if err != nil || len(connected) == 0 {
		return nil, err
	}
	var candidates []int64
	if st.Visibility == social.Direct {
		candidates = st.Mentions
	} else if candidates, err = s.connectedFollowers(ctx, st.AccountID, connected); err != nil {
		return nil, err
	}
	var out []int64
	if connected[st.AccountID] {
		out = append(out, st.AccountID)
	}
	for _, v := range candidates {
		if v == st.AccountID || !connected[v] {
			continue
		}
		ok, err := s.seesInHome(ctx, v, st)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, v)
		}
	}
	return out, nil
}

func (s *Service) seesInHome(ctx context.Context, viewer int64, st *social.Status) (bool, error) {
	rel, err := s.social.Relationship(ctx, viewer, st.AccountID)
	if err != nil {
		return false, err
	}
	if rel.Muting || rel.Blocking || rel.BlockedBy || (st.Visibility != social.Direct && !rel.Following) {
		return false, nil
	}
	_, err = s.social.Status(ctx, social.Viewer{ID: viewer}, st.ID)
	if errs.Is(err, errs.KindNotFound) {
		return false, nil
	}
	return err == nil, err
}

// connectedUsers returns the accounts with an open user stream.
func (s *Service) connectedUsers(ctx context.Context) (map[int64]bool, error) {
	streams, err := s.broker.Active(ctx, userPrefix)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]bool, len(streams))
	for _, name := range streams {
		if id, err := strconv.ParseInt(strings.TrimPrefix(name, userPrefix), 10, 64); err == nil {
			out[id] = true
		}
	}
	return out, nil
}

// connectedFollowers returns the connected accounts that follow authorID.
// social.Followers returns one page only; when that page is not all of
// them (by the follower count), the connected accounts, usually far fewer
// than the followers of a popular author, are asked about one by one.
func (s *Service) connectedFollowers(ctx context.Context, authorID int64, connected map[int64]bool) ([]int64, error) {
	followers, err := s.social.Followers(ctx, authorID, followerPage)
	if err != nil {
		return nil, err
	}
	complete := len(followers) == 0
	if !complete {
		c, err := s.social.AccountCounts(ctx, authorID)
		if err != nil {
			return nil, err
		}
		complete = len(followers) >= c.Followers
	}
	var out []int64
	if complete {
		for _, f := range followers {
			if connected[f] {
				out = append(out, f)
			}
		}
		return out, nil
	}
	for v := range connected {
		if v == authorID {
			continue
		}
		rel, err := s.social.Relationship(ctx, v, authorID)
		if err != nil {
			return nil, err
		}
		if rel.Following {
			out = append(out, v)
		}
	}
	return out, nil
}

// fanOutDelete removes the notifications about a deleted status and tells
// the streams that may have shown it. The status can no longer be read, so
// its visibility and hashtags are unknown here: the public stream and every
// open hashtag stream get the deletion (only an ID, which clients that never
// saw the status ignore), as do the author's, the connected followers' and
// the notified accounts' streams.
func (s *Service) fanOutDelete(ctx context.Context, e social.Event) error {
	recipients, err := s.st.deleteForStatus(ctx, e.StatusID)
	if err != nil {
		return err
	}
	connected, err := s.connectedUsers(ctx)
	if err != nil {
		return err
	}
	followers, err := s.connectedFollowers(ctx, e.ActorID, connected)
	if err != nil {
		return err
	}
	sent := map[int64]bool{}
	for _, v := range append(append([]int64{e.ActorID}, recipients...), followers...) {
		if connected[v] && !sent[v] {
			sent[v] = true
			s.publish(ctx, UserStream(v), EventDelete, e.StatusID)
		}
	}
	tags, err := s.broker.Active(ctx, tagPrefix)
	if err != nil {
		return err
	}
	for _, stream := range append(tags, PublicStream) {
		s.publish(ctx, stream, EventDelete, e.StatusID)
	}
	return nil
}

func (s *Service) publish(ctx context.Context, stream, event string, id int64) {
	err := s.broker.Publish(ctx, live.Message{Stream: stream, Event: event, Data: strconv.AppendInt(nil, id, 10)})
	if err != nil && !errors.Is(err, live.ErrClosed) {
		s.log.Warn("notify: live message not published", "event", event, "err", err)
	}
}
