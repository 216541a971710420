package store

import "time"

// Millis turns a stored Unix-milliseconds column into a UTC time; 0 (the
// columns' "never") is the zero time.
func Millis(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMilli(v).UTC()
}
