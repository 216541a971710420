package drafts

import "time"

// SetClock makes the service read the time from now: tests move it to the
// moments a schedule cares about.
func SetClock(s *Service, now func() time.Time) { s.now = now }
