package loadgen

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/app"
	"github.com/rounds-health/rounds/internal/errs"
	"github.com/rounds-health/rounds/internal/social"
)

// actor is a sampled account with a bearer token.
type actor struct {
	id       int64
	token    string
	follows  map[int64]bool // readers: whom they follow (their home may show only these and themself)
	homeFull bool           // readers: someone they see in home has statuses, so the page cannot be empty
}

// author is an account with statuses, for the account timeline.
type author struct {
	id       int64
	statuses int
}

// fixture is what the scenarios draw from.
type fixture struct {
	readers  []*actor
	posters  []*actor
	authors  []author
	tokens   []string
	network  Network
	progress io.Writer
}

// prepare samples the accounts that act, loads whom the readers follow
// and issues their tokens.
func prepare(ctx context.Context, a *app.App, cfg RunConfig) (*fixture, error) {
	ds, err := a.Social.Degrees(ctx)
	if err != nil {
		return nil, err
	}
	f := &fixture{progress: cfg.Progress}
	statuses := map[int64]int{}
	var following, posting []social.Degree
	for _, d := range ds {
		f.network.Follows += d.Following
		f.network.Statuses += d.Statuses
		statuses[d.AccountID] = d.Statuses
		if d.Following > 0 {
			following = append(following, d)
		}
		if d.Statuses > 0 {
			posting = append(posting, d)
			f.authors = append(f.authors, author{d.AccountID, d.Statuses})
		}
	}
	f.network.Accounts = len(ds)
	if len(following) == 0 || len(posting) == 0 {
		return nil, errs.NotFound("This database holds no network to measure (no follows or no statuses): build one first, without --skip-build.")
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x72756e))
	// Readers are drawn in proportion to how many accounts they follow, so
	// that busy home timelines weigh as they do on a real network; posters
	// in proportion to how much they post.
	readers := sampleWeighted(rng, following, cfg.Readers, func(d social.Degree) float64 { return float64(d.Following) })
	posters := sampleWeighted(rng, posting, cfg.Posters, func(d social.Degree) float64 { return float64(d.Statuses) })
	fmt.Fprintf(cfg.Progress, "issuing tokens for %d readers and %d posters…\n", len(readers), len(posters))
	issued := map[int64]*actor{}
	for _, d := range append(readers, posters...) {
		if issued[d.AccountID] != nil {
			continue
		}
		ac, err := f.issue(ctx, a, d.AccountID)
		if err != nil {
			f.revoke(a)
			return nil, err
		}
		issued[d.AccountID] = ac
	}
	for _, d := range readers {
		ac := issued[d.AccountID]
		ids, err := a.Social.AllFollowing(ctx, d.AccountID)
		if err != nil {
			f.revoke(a)
			return nil, err
		}
		ac.follows = make(map[int64]bool, len(ids))
		ac.homeFull = statuses[ac.id] > 0
		for _, id := range ids {
			ac.follows[id] = true
			ac.homeFull = ac.homeFull || statuses[id] > 0
		}
		f.readers = append(f.readers, ac)
	}
	for _, d := range posters {
		f.posters = append(f.posters, issued[d.AccountID])
	}
	f.network.Readers, f.network.Posters = len(f.readers), len(f.posters)
	return f, nil
}

// issue makes a "read write" token for an account, as the operator.
func (f *fixture) issue(ctx context.Context, a *app.App, id int64) (*actor, error) {
	u, err := a.Accounts.UserByID(ctx, id)
	if err != nil {
		return nil, err
	}
	tok, err := a.Accounts.IssueToken(ctx, account.CLI, u.Username, "read write")
	if err != nil {
		return nil, fmt.Errorf("token for @%s: %w", u.Username, err)
	}
	f.tokens = append(f.tokens, tok)
	return &actor{id: id, token: tok}, nil
}

// sampleWeighted draws k distinct items with probability in proportion to
// weight (Efraimidis–Spirakis: the k smallest -ln(U)/w).
func sampleWeighted[T any](rng *rand.Rand, items []T, k int, weight func(T) float64) []T {
	type keyed struct {
		key  float64
		item T
	}
	ks := make([]keyed, len(items))
	for i, it := range items {
		ks[i] = keyed{-math.Log(1-rng.Float64()) / max(weight(it), 1e-9), it}
	}
	slices.SortFunc(ks, func(a, b keyed) int {
		switch {
		case a.key < b.key:
			return -1
		case a.key > b.key:
			return 1
		}
		return 0
	})
	out := make([]T, 0, min(k, len(ks)))
	for _, x := range ks[:min(k, len(ks))] {
		out = append(out, x.item)
	}
	return out
}

// scenario makes requests and the check of their answers.
type scenario struct {
	name string
	id   uint64
	next func(ctx context.Context, rng *rand.Rand) (*http.Request, func(body []byte) error, error)
}

func (r *runner) scenarioByName(name string) scenario {
	sc := scenario{name: name, id: uint64(slices.Index(Scenarios, name))}
	switch name {
	case "healthz":
		sc.next = r.healthz
	case "home":
		sc.next = r.home
	case "account":
		sc.next = r.account
	case "post":
		sc.next = r.post
	}
	return sc
}

func (r *runner) get(ctx context.Context, path, token string) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, r.base+path, nil)
	if err == nil && token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return req, err
}

// healthz is the ceiling: the HTTP stack, the middleware and a database ping.
func (r *runner) healthz(ctx context.Context, _ *rand.Rand) (*http.Request, func([]byte) error, error) {
	req, err := r.get(ctx, "/healthz", "")
	return req, func(body []byte) error {
		if string(body) != "ok\n" {
			return fmt.Errorf("body %.100q, want \"ok\\n\"", body)
		}
		return nil
	}, err
}

// home reads the first page of a reader's home timeline.
func (r *runner) home(ctx context.Context, rng *rand.Rand) (*http.Request, func([]byte) error, error) {
	ac := r.f.readers[rng.IntN(len(r.f.readers))]
	req, err := r.get(ctx, "/api/v1/timelines/home?limit="+strconv.Itoa(pageLimit), ac.token)
	return req, func(body []byte) error {
		return checkPage(body, ac.homeFull, func(author int64) error {
			if author != ac.id && !ac.follows[author] {
				return fmt.Errorf("home of account %d shows a status by %d, whom it does not follow", ac.id, author)
			}
			return nil
		})
	}, err
}

// account reads the first page of a random author's statuses, as a
// signed-in reader would.
func (r *runner) account(ctx context.Context, rng *rand.Rand) (*http.Request, func([]byte) error, error) {
	au := r.f.authors[rng.IntN(len(r.f.authors))]
	ac := r.f.readers[rng.IntN(len(r.f.readers))]
	req, err := r.get(ctx, "/api/v1/accounts/"+strconv.FormatInt(au.id, 10)+"/statuses?limit="+strconv.Itoa(pageLimit), ac.token)
	return req, func(body []byte) error {
		return checkPage(body, au.statuses > 0, func(author int64) error {
			if author != au.id {
				return fmt.Errorf("statuses of account %d include one by %d", au.id, author)
			}
			return nil
		})
	}, err
}

// post publishes a public note, through the publish service and the
// events that follow it (notifications, live fan-out) as the server does.
func (r *runner) post(ctx context.Context, rng *rand.Rand) (*http.Request, func([]byte) error, error) {
	ac := r.f.posters[rng.IntN(len(r.f.posters))]
	text := postText(rng)
	b, _ := json.Marshal(map[string]string{"status": text, "visibility": "public", "language": "en"})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, r.base+"/api/v1/statuses", bytes.NewReader(b))
	if err != nil {
		return nil, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+ac.token)
	req.Header.Set("Content-Type", "application/json")
	return req, func(body []byte) error {
		var s statusJSON
		if err := json.Unmarshal(body, &s); err != nil {
			return fmt.Errorf("the answer is not a status: %v", err)
		}
		if id, err := strconv.ParseInt(s.ID, 10, 64); err != nil || id <= 0 {
			return fmt.Errorf("the new status has no id (%q)", s.ID)
		}
		if s.Account.ID != strconv.FormatInt(ac.id, 10) || s.Visibility != "public" || s.Content == "" {
			return fmt.Errorf("the new status is by %s, %s, with content %.50q; want by %d, public, with the text", s.Account.ID,
				s.Visibility, s.Content, ac.id)
		}
		return nil
	}, nil
}

// statusJSON is the part of a Mastodon status the checks read.
type statusJSON struct {
	ID      string `json:"id"`
	Account struct {
		ID string `json:"id"`
	} `json:"account"`
	Visibility string `json:"visibility"`
	Content    string `json:"content"`
}

// checkPage checks a timeline page: a JSON array of at most pageLimit
// statuses, newest first, each by an author that may appear, and not empty
// when the timeline has statuses.
func checkPage(body []byte, full bool, allowed func(author int64) error) error {
	var page []statusJSON
	if err := json.Unmarshal(body, &page); err != nil {
		return fmt.Errorf("the answer is not a list of statuses: %v", err)
	}
	if len(page) > pageLimit {
		return fmt.Errorf("%d statuses for limit=%d", len(page), pageLimit)
	}
	if len(page) == 0 && full {
		return fmt.Errorf("an empty page where statuses exist")
	}
	var prev int64 = math.MaxInt64
	for _, s := range page {
		id, err := strconv.ParseInt(s.ID, 10, 64)
		if err != nil || id >= prev {
			return fmt.Errorf("status ids not strictly newest first (%q after %d)", s.ID, prev)
		}
		prev = id
		author, err := strconv.ParseInt(s.Account.ID, 10, 64)
		if err != nil {
			return fmt.Errorf("status %s has no account id", s.ID)
		}
		if err := allowed(author); err != nil {
			return err
		}
	}
	return nil
}
