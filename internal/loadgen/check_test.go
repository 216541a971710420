package loadgen

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// TestCheckPage_RefusesWrongPages: the run's checks catch what a broken
// timeline would return.
func TestCheckPage_RefusesWrongPages(t *testing.T) {
	byFollowed := func(author int64) error {
		if author != 1 && author != 2 {
			return fmt.Errorf("not followed: %d", author)
		}
		return nil
	}
	page := func(ids ...string) string {
		s := "["
		for i, id := range ids {
			if i > 0 {
				s += ","
			}
			s += `{"id":"` + id + `","account":{"id":"1"}}`
		}
		return s + "]"
	}
	for _, tc := range []struct {
		name, body string
		full, ok   bool
	}{
		{"newest first by followed accounts", page("30", "20", "10"), true, true},
		{"empty where nothing exists", "[]", false, true},
		{"empty where statuses exist", "[]", true, false},
		{"oldest first", page("10", "20"), true, false},
		{"the same status twice", page("20", "20"), true, false},
		{"a stranger's status", `[{"id":"5","account":{"id":"3"}}]`, true, false},
		{"no account", `[{"id":"5"}]`, true, false},
		{"an error object", `{"error":"The access token is invalid."}`, true, false},
		{"more than the limit", page("21", "20", "19", "18", "17", "16", "15", "14", "13", "12", "11", "10", "9", "8", "7", "6", "5", "4", "3", "2", "1"), true, false},
	} {
		err := checkPage([]byte(tc.body), tc.full, byFollowed)
		if (err == nil) != tc.ok {
			t.Errorf("%s: checkPage = %v, want ok=%v", tc.name, err, tc.ok)
		}
	}
}

// TestNetwork_IsDeterministicAndSkewed: the same seed makes the same graph;
// a few accounts are followed by many, most follow between 20 and 200.
func TestNetwork_IsDeterministicAndSkewed(t *testing.T) {
	a, b := newNetwork(10_000, 180, 3, fixedNow), newNetwork(10_000, 180, 3, fixedNow)
	in := make([]int, 10_000)
	inRange := 0
	for i := range 10_000 {
		fa, fb := a.followingOf(i), b.followingOf(i)
		if fmt.Sprint(fa) != fmt.Sprint(fb) {
			t.Fatalf("account %d follows %v, then %v with the same seed", i, fa, fb)
		}
		if len(fa) >= minFollowing && len(fa) <= maxFollowing {
			inRange++
		}
		for _, j := range fa {
			in[j]++
		}
	}
	over1000 := 0
	for _, n := range in {
		if n >= 1000 {
			over1000++
		}
	}
	if inRange < 9000 || over1000 < 5 || over1000 > 200 {
		t.Errorf("%d of 10,000 follow 20–200 accounts, %d are followed by 1,000 or more; want most, and a few", inRange, over1000)
	}
}

// TestCheckLoopback: loadgen drives only servers on this machine.
func TestCheckLoopback(t *testing.T) {
	for _, tc := range []struct {
		url string
		ok  bool
	}{
		{"http://127.0.0.1:8080", true},
		{"http://127.1.2.3:8080/", true},
		{"https://localhost:8443", true},
		{"http://[::1]:8080", true},
		{"http://example.org", false},
		{"http://10.0.0.1:8080", false},
		{"http://[2001:db8::1]:80", false},
		{"http://0.0.0.0:8080", false},
		{"ftp://127.0.0.1", false},
		{"http://user:pw@127.0.0.1:80", false},
		{"http://127.0.0.1.example.org", false},
		{"http://127.0.0.1:8080/api", false},
		{"127.0.0.1:8080", false},
	} {
		_, err := checkLoopback(context.Background(), tc.url)
		if (err == nil) != tc.ok {
			t.Errorf("checkLoopback(%q) = %v, want ok=%v", tc.url, err, tc.ok)
		}
	}
}

var fixedNow = mustTime("2026-01-15T12:00:00Z")

func mustTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}
