package id

import (
	"sync"
	"testing"
	"time"
)

func TestNext_IncreasesAndEncodesTime(t *testing.T) {
	var g Generator
	before := time.Now().Add(-time.Millisecond)
	prev := int64(0)
	for range 10000 {
		n := g.Next()
		if n <= prev {
			t.Fatalf("ID %d after %d: not increasing", n, prev)
		}
		prev = n
	}
	if got := Time(prev); got.Before(before) || got.After(time.Now().Add(time.Millisecond)) {
		t.Fatalf("Time(id) = %v; want about now", got)
	}
	if FloorOf(Time(prev)) > prev {
		t.Fatal("FloorOf(Time(id)) is above id")
	}
}

func TestNext_UniqueAcrossGoroutines(t *testing.T) {
	var g Generator
	var mu sync.Mutex
	seen := map[int64]bool{}
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 2000 {
				n := g.Next()
				mu.Lock()
				if seen[n] {
					t.Errorf("duplicate ID %d", n)
				}
				seen[n] = true
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
}
