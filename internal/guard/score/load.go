package score

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Span is one identifier: byte offsets into the UTF-8 text, end exclusive.
type Span struct {
	Start int    `json:"start"`
	End   int    `json:"end"`
	Type  string `json:"type"`
	Text  string `json:"text,omitempty"`
}

// Doc is a text with its gold spans.
type Doc struct {
	ID   string `json:"id"`
	Text string `json:"text"`
	Gold []Span `json:"phi"`
}

// LoadFile reads a development set. A .jsonl file holds one
// {"id","text","phi":[...]} object a line; any other file is read as
// markup (see ReadMarkup).
func LoadFile(path string) ([]Doc, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var docs []Doc
	if strings.HasSuffix(path, ".jsonl") {
		docs, err = ReadJSONL(f)
	} else {
		docs, err = ReadMarkup(f)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Base(path), err)
	}
	return docs, nil
}

// ReadJSONL reads gold documents, one JSON object a line, and checks that
// every span lies inside its text and, when the span carries its text,
// that the offsets point at it.
func ReadJSONL(r io.Reader) ([]Doc, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 16<<20)
	var docs []Doc
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var d Doc
		if err := json.Unmarshal(line, &d); err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		if err := checkSpans(d); err != nil {
			return nil, fmt.Errorf("line %d (id %q): %w", n, d.ID, err)
		}
		docs = append(docs, d)
	}
	return docs, sc.Err()
}

func checkSpans(d Doc) error {
	for i, s := range d.Gold {
		if s.Start < 0 || s.End > len(d.Text) || s.Start >= s.End {
			return fmt.Errorf("span %d [%d,%d) lies outside the %d-byte text", i, s.Start, s.End, len(d.Text))
		}
		if s.Text != "" && d.Text[s.Start:s.End] != s.Text {
			return fmt.Errorf("span %d [%d,%d) is %q, not %q", i, s.Start, s.End, d.Text[s.Start:s.End], s.Text)
		}
		if s.Type == "" {
			return fmt.Errorf("span %d [%d,%d) has no type", i, s.Start, s.End)
		}
	}
	return nil
}

// ReadMarkup reads documents written by hand. A line "### ID" starts a
// document; the lines up to the next such line are its text (trailing
// blank lines dropped). Lines before the first document are a header for
// people and are ignored. Identifiers are written inline as
// [[TYPE|words]], so the gold offsets are exact by construction.
func ReadMarkup(r io.Reader) ([]Doc, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 16<<20)
	var (
		docs  []Doc
		id    string
		body  []string
		first int
		open  bool
	)
	flush := func() error {
		if !open {
			return nil
		}
		for len(body) > 0 && strings.TrimSpace(body[len(body)-1]) == "" {
			body = body[:len(body)-1]
		}
		text, spans, err := ParseMarkup(strings.Join(body, "\n"))
		if err != nil {
			return fmt.Errorf("document %q (line %d): %w", id, first, err)
		}
		docs = append(docs, Doc{ID: id, Text: text, Gold: spans})
		return nil
	}
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if rest, ok := strings.CutPrefix(line, "### "); ok {
			if err := flush(); err != nil {
				return nil, err
			}
			id, body, first, open = strings.TrimSpace(rest), body[:0], n, true
			continue
		}
		if open {
			body = append(body, line)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if err := flush(); err != nil {
		return nil, err
	}
	return docs, nil
}

// ParseMarkup turns "Seen by [[NAME|Dr Okafor]]" into the plain text and
// its spans. TYPE is upper case letters and underscores; the words may not
// contain "]]" or another "[[".
func ParseMarkup(s string) (string, []Span, error) {
	var (
		b     strings.Builder
		spans []Span
	)
	b.Grow(len(s))
	for {
		i := strings.Index(s, "[[")
		if i < 0 {
			if strings.Contains(s, "]]") {
				return "", nil, fmt.Errorf("stray ]] near %q", excerpt(s, strings.Index(s, "]]")))
			}
			b.WriteString(s)
			return b.String(), spans, nil
		}
		if strings.Contains(s[:i], "]]") {
			return "", nil, fmt.Errorf("stray ]] near %q", excerpt(s, strings.Index(s, "]]")))
		}
		b.WriteString(s[:i])
		s = s[i+2:]
		end := strings.Index(s, "]]")
		if end < 0 {
			return "", nil, fmt.Errorf("unclosed [[ near %q", excerpt(s, 0))
		}
		inner := s[:end]
		s = s[end+2:]
		typ, words, ok := strings.Cut(inner, "|")
		if !ok || !isTypeName(typ) || words == "" || strings.Contains(words, "[[") {
			return "", nil, fmt.Errorf("bad markup [[%s]]: write [[TYPE|words]]", inner)
		}
		start := b.Len()
		b.WriteString(words)
		spans = append(spans, Span{Start: start, End: b.Len(), Type: typ, Text: words})
	}
}

func isTypeName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < 'A' || c > 'Z') && c != '_' {
			return false
		}
	}
	return true
}

func excerpt(s string, at int) string {
	end := min(at+40, len(s))
	return s[at:end]
}
