// Package id makes 64-bit identifiers that sort by creation time:
// milliseconds since the Unix epoch shifted left 16 bits, plus a sequence.
// They are rendered as decimal strings in JSON, as Mastodon does, and make
// keyset paging (max_id, since_id) a plain comparison.
package id

import (
	"crypto/rand"
	"encoding/binary"
	"sync"
	"time"
)

// Generator hands out increasing IDs. The zero value is ready to use.
//
// Within one millisecond the low 16 bits start at a random value and count up,
// so two processes writing to the same database (a server and an admin
// command) are unlikely to collide; a collision fails the insert on its
// primary key rather than overwriting anything.
type Generator struct {
	mu   sync.Mutex
	last int64
}

// Next returns a new ID greater than every ID this generator returned before.
func (g *Generator) Next() int64 {
	g.mu.Lock()
	defer g.mu.Unlock()
	n := time.Now().UnixMilli()<<16 | int64(randomUint16()&0x7fff)
	if n <= g.last {
		n = g.last + 1
	}
	g.last = n
	return n
}

// Time returns the creation time encoded in an ID.
func Time(id int64) time.Time { return time.UnixMilli(id >> 16) }

// FloorOf returns the smallest ID that can be made at t, for paging by time.
func FloorOf(t time.Time) int64 { return t.UnixMilli() << 16 }

func randomUint16() uint16 {
	var b [2]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	return binary.LittleEndian.Uint16(b[:])
}
