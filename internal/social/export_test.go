package social

// SetHomeWindow shrinks the home query's window so that tests reach its
// later passes and its per-account fallback with a few statuses.
func SetHomeWindow(s *Service, n int) { s.homeWindow = n }
