package api

import (
	"html"
	"strings"
)

// htmlParagraph renders plain text as Mastodon's HTML note: escaped,
// paragraphs split on blank lines, line breaks kept.
func htmlParagraph(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	var b strings.Builder
	for _, para := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n\n") {
		b.WriteString("<p>")
		b.WriteString(strings.ReplaceAll(html.EscapeString(strings.TrimSpace(para)), "\n", "<br>"))
		b.WriteString("</p>")
	}
	return b.String()
}
