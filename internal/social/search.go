package social

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/rounds-health/rounds/internal/errs"
	"github.com/rounds-health/rounds/internal/input"
)

// Search limits. A search loads and checks at most searchBatches ×
// searchBatch candidate statuses. Finding candidates is a scan of statuses,
// newest first, with LIKE: there is no full-text index on statuses yet (it
// needs a migration, as the directory's has), so a word that few statuses
// hold costs a scan of the table.
const (
	MaxSearchChars = 500
	maxSearchWords = 8
	searchBatch    = 200
	searchBatches  = 5
)

// StatusQuery asks for the statuses that contain some words.
type StatusQuery struct {
	Text      string
	AccountID int64 // only this author's statuses, when set
	MaxID     int64 // only statuses older than this, when set
	MinID     int64 // only statuses newer than this, when set
	Limit     int   // 0 means DefaultLimit; more than MaxLimit means MaxLimit
	Offset    int   // matches to skip
}

// validate returns the words to look for and the limit to apply.
func (q StatusQuery) validate() ([]string, int, error) {
	if err := checkSearchText(q.Text); err != nil {
		return nil, 0, err
	}
	for _, id := range []struct {
		name string
		v    int64
	}{{"account_id", q.AccountID}, {"max_id", q.MaxID}, {"min_id", q.MinID}} {
		if id.v < 0 {
			return nil, 0, errs.Invalid(id.name, id.name+" must be an id.")
		}
	}
	limit, err := searchLimit(q.Limit, q.Offset)
	return searchWords(q.Text), limit, err
}

func checkSearchText(text string) error {
	if m := input.Problem(text); m != "" {
		return errs.Invalid("q", m)
	}
	if utf8.RuneCountInString(text) > MaxSearchChars {
		return errs.Invalid("q", fmt.Sprintf("Search for at most %d characters at a time.", MaxSearchChars))
	}
	return nil
}

// searchLimit clamps limit as Mastodon does and refuses negative numbers.
func searchLimit(limit, offset int) (int, error) {
	switch {
	case limit < 0:
		return 0, errs.Invalid("limit", "limit must be a positive whole number.")
	case offset < 0:
		return 0, errs.Invalid("offset", "offset must be zero or a positive whole number.")
	case limit == 0:
		return DefaultLimit, nil
	}
	return min(limit, MaxLimit), nil
}

// searchWords splits text into its distinct lower-case runs of letters and
// digits, at most maxSearchWords of them: "#Flu-shot?" → flu, shot.
func searchWords(text string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(strings.ToLower(text), notWordRune) {
		if !slices.Contains(out, w) && len(out) < maxSearchWords {
			out = append(out, w)
		}
	}
	return out
}

func notWordRune(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }

// hasWords reports whether every word starts a word of the status's title,
// content warning or text. The SQL found the words anywhere inside the
// text ("flu" in "influenza"); this keeps the ones a person means.
func hasWords(st *Status, words []string) bool {
	tokens := strings.FieldsFunc(strings.ToLower(st.Title+" "+st.Summary+" "+st.Source), notWordRune)
	for _, w := range words {
		if !slices.ContainsFunc(tokens, func(t string) bool { return strings.HasPrefix(t, w) }) {
			return false
		}
	}
	return true
}

// SearchStatuses returns, newest first, the original statuses the viewer
// may read in which each word of the query starts a word. As on Mastodon,
// full-text search is for signed-in people: an anonymous viewer finds none.
func (s *Service) SearchStatuses(ctx context.Context, viewer Viewer, q StatusQuery) ([]*Status, error) {
	words, limit, err := q.validate()
	if err != nil || viewer.ID == 0 || len(words) == 0 {
		return nil, err
	}
	want := q.Offset + limit
	var found []*Status
	before := q.MaxID
	for range searchBatches {
		ids, err := s.st.searchStatusIDs(ctx, viewer.ID, words, q.AccountID, before, q.MinID, searchBatch)
		if err != nil {
			return nil, internal(err, "search statuses")
		}
		list, err := s.st.statuses(ctx, ids)
		if err != nil {
			return nil, internal(err, "search statuses")
		}
		visible, err := s.visible(ctx, viewer, list) // the SQL follows canSee; canSee has the last word
		if err != nil {
			return nil, err
		}
		for _, st := range visible {
			if hasWords(st, words) {
				found = append(found, st)
			}
		}
		if len(found) >= want || len(ids) < searchBatch {
			break
		}
		before = ids[len(ids)-1]
	}
	if len(found) <= q.Offset {
		return nil, nil
	}
	found = found[q.Offset:]
	return found[:min(len(found), limit)], nil
}

// Tag is a hashtag with its recent use.
type Tag struct {
	ID      int64
	Name    string
	History []TagDay // the last seven days, today (UTC) first
}

// TagDay is how often a hashtag was used on one day, in public and
// unlisted statuses, and by how many accounts.
type TagDay struct {
	Day            time.Time
	Uses, Accounts int
}

const tagHistoryDays = 7

// SearchTags returns the hashtags that start with q (a leading "#" is
// ignored), shortest first. Only hashtags of statuses anyone may read are
// listed: a tag used in followers-only or direct statuses alone stays private.
func (s *Service) SearchTags(ctx context.Context, q string, limit, offset int) ([]Tag, error) {
	if err := checkSearchText(q); err != nil {
		return nil, err
	}
	limit, err := searchLimit(limit, offset)
	if err != nil {
		return nil, err
	}
	prefix := normalizeTag(q)
	if prefix == "" || strings.ContainsFunc(prefix, func(r rune) bool { return notWordRune(r) && r != '_' }) {
		return nil, nil // no hashtag holds anything else
	}
	tags, err := s.st.searchTags(ctx, prefix, limit, offset)
	if err != nil {
		return nil, internal(err, "search hashtags")
	}
	if err := s.addTagHistory(ctx, tags); err != nil {
		return nil, internal(err, "hashtag history")
	}
	return tags, nil
}

// addTagHistory fills in the last seven days of each tag, zeros included.
func (s *Service) addTagHistory(ctx context.Context, tags []Tag) error {
	if len(tags) == 0 {
		return nil
	}
	today := s.now().UTC().Truncate(24 * time.Hour)
	since := today.AddDate(0, 0, 1-tagHistoryDays)
	ids := make([]int64, len(tags))
	for i, t := range tags {
		ids[i] = t.ID
	}
	uses, err := s.st.tagUses(ctx, ids, since)
	if err != nil {
		return err
	}
	for i := range tags {
		for d := range tagHistoryDays {
			day := today.AddDate(0, 0, -d)
			u := uses[tagDayKey{tags[i].ID, day.Unix()}]
			tags[i].History = append(tags[i].History, TagDay{Day: day, Uses: u.Uses, Accounts: u.Accounts})
		}
	}
	return nil
}
