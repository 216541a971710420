package notify

import (
	"context"
	"strconv"
	"strings"

	"github.com/rounds-health/rounds/internal/errs"
	"github.com/rounds-health/rounds/internal/live"
	"github.com/rounds-health/rounds/internal/social"
)

// Delivery is what a live message means to one reader of a stream.
type Delivery struct {
	Event        string
	Status       *social.Status // EventUpdate, EventStatusUpdate
	Notification *Notification  // EventNotification
	StatusID     int64          // EventDelete
}

// Deliver decides, at the moment a message reaches an open stream, what the
// stream's reader gets: ok is false when they must get nothing (the status
// is no longer visible to them, they block or mute its author, or the
// message is not theirs). Visibility can change between publishing and
// delivery, and the public and hashtag streams are shared by all readers,
// so this is where their blocks and mutes apply.
func (s *Service) Deliver(ctx context.Context, viewer social.Viewer, m live.Message) (d Delivery, ok bool, err error) {
	id, err := strconv.ParseInt(string(m.Data), 10, 64)
	if err != nil {
		return Delivery{}, false, nil
	}
	ownStream := viewer.ID != 0 && m.Stream == UserStream(viewer.ID)
	if strings.HasPrefix(m.Stream, userPrefix) && !ownStream {
		return Delivery{}, false, nil
	}
	d.Event = m.Event
	switch m.Event {
	case EventUpdate, EventStatusUpdate:
		d.Status, ok, err = s.deliverStatus(ctx, viewer, id, !ownStream)
	case EventNotification:
		if !ownStream {
			return Delivery{}, false, nil
		}
		d.Notification, err = s.get(ctx, viewer.ID, id)
		ok = err == nil
		if errs.Is(err, errs.KindNotFound) {
			err = nil
		}
	case EventDelete:
		d.StatusID, ok = id, true
	}
	return d, ok, err
}

// deliverStatus loads the status as viewer may read it; on shared streams
// it also leaves out authors the viewer mutes (their own streams were
// filtered when the message was published).
func (s *Service) deliverStatus(ctx context.Context, viewer social.Viewer, id int64, shared bool) (*social.Status, bool, error) {
	st, err := s.social.Status(ctx, viewer, id)
	if errs.Is(err, errs.KindNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	if shared && viewer.ID != 0 && viewer.ID != st.AccountID {
		rel, err := s.social.Relationship(ctx, viewer.ID, st.AccountID)
		if err != nil {
			return nil, false, err
		}
		if rel.Muting {
			return nil, false, nil
		}
	}
	return st, true, nil
}
