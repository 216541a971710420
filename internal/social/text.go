package social

import (
	"context"
	"html"
	"regexp"
	"strings"
)

var (
	mentionPattern = regexp.MustCompile(`(?:^|[^\w@/])@([A-Za-z][A-Za-z0-9_]{2,29})\b`)
	tagPattern     = regexp.MustCompile(`(?:^|[^\w&/#])#([\p{L}\p{N}_]*\p{L}[\p{L}\p{N}_]*)`)
	linkPattern    = regexp.MustCompile(`https?://[^\s<>"]+[^\s<>".,;:!?)\]'"]`)
)

// parseMentions returns the usernames mentioned in text, lower case, once each.
func parseMentions(text string) []string {
	var out []string
	seen := map[string]bool{}
	for _, m := range mentionPattern.FindAllStringSubmatch(text, -1) {
		n := strings.ToLower(m[1])
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out
}

// parseTags returns the hashtags in text, lower case, once each.
func parseTags(text string) []string {
	var out []string
	seen := map[string]bool{}
	for _, m := range tagPattern.FindAllStringSubmatch(text, -1) {
		t := strings.ToLower(m[1])
		if len(t) <= 100 && !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}

// render turns plain text into the HTML Mastodon clients expect:
// escaped, paragraphs at blank lines, line breaks kept, links, mentions of
// existing accounts and hashtags as links. known says which mentioned
// usernames exist (lower case).
func render(text string, known map[string]bool) string {
	var b strings.Builder
	for _, para := range strings.Split(strings.ReplaceAll(strings.TrimSpace(text), "\r\n", "\n"), "\n\n") {
		para = strings.TrimSpace(para)
		if para == "" {
			continue
		}
		b.WriteString("<p>")
		lines := strings.Split(para, "\n")
		for i, line := range lines {
			if i > 0 {
				b.WriteString("<br>")
			}
			b.WriteString(renderLine(line, known))
		}
		b.WriteString("</p>")
	}
	return b.String()
}

// renderLine escapes one line and turns links, mentions and tags into anchors.
func renderLine(line string, known map[string]bool) string {
	type span struct {
		start, end int
		html       string
	}
	var spans []span
	for _, m := range linkPattern.FindAllStringIndex(line, -1) {
		u := line[m[0]:m[1]]
		spans = append(spans, span{m[0], m[1], `<a href="` + html.EscapeString(u) + `" rel="nofollow noopener noreferrer" target="_blank">` + html.EscapeString(u) + `</a>`})
	}
	inLink := func(i int) bool {
		for _, s := range spans {
			if i >= s.start && i < s.end {
				return true
			}
		}
		return false
	}
	for _, m := range mentionPattern.FindAllStringSubmatchIndex(line, -1) {
		name := line[m[2]:m[3]]
		if inLink(m[2]) || !known[strings.ToLower(name)] {
			continue
		}
		spans = append(spans, span{m[2] - 1, m[3], `<span class="h-card"><a href="/@` + html.EscapeString(name) +
			`" class="u-url mention">@<span>` + html.EscapeString(name) + `</span></a></span>`})
	}
	for _, m := range tagPattern.FindAllStringSubmatchIndex(line, -1) {
		tag := line[m[2]:m[3]]
		if inLink(m[2]) {
			continue
		}
		spans = append(spans, span{m[2] - 1, m[3], `<a href="/tags/` + html.EscapeString(strings.ToLower(tag)) +
			`" class="mention hashtag" rel="tag">#<span>` + html.EscapeString(tag) + `</span></a>`})
	}
	// Apply in order of position.
	for i := 1; i < len(spans); i++ {
		for j := i; j > 0 && spans[j].start < spans[j-1].start; j-- {
			spans[j], spans[j-1] = spans[j-1], spans[j]
		}
	}
	var b strings.Builder
	pos := 0
	for _, s := range spans {
		if s.start < pos {
			continue
		}
		b.WriteString(html.EscapeString(line[pos:s.start]))
		b.WriteString(s.html)
		pos = s.end
	}
	b.WriteString(html.EscapeString(line[pos:]))
	return b.String()
}

// Preview renders text as it would be published, for the composer.
func (s *Service) Preview(ctx context.Context, text string) (string, error) {
	_, known, err := s.resolveMentions(ctx, text)
	if err != nil {
		return "", err
	}
	return render(text, known), nil
}
