package social

import (
	"bytes"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer/html"
)

// markdown renders articles. goldmark escapes raw HTML unless told not to
// (we do not) and drops javascript: and similar links, so the output is
// safe to show; headings get no ids (no clashes with the page's own).
var markdown = goldmark.New(
	goldmark.WithExtensions(extension.Linkify, extension.Table, extension.Strikethrough),
	goldmark.WithRendererOptions(html.WithHardWraps()),
)

// renderFor renders a status body: Markdown for articles, plain text with
// links, mentions and hashtags for notes.
func renderFor(kind Kind, text string, known map[string]bool) string {
	if kind != Article {
		return render(text, known)
	}
	var b bytes.Buffer
	if err := markdown.Convert([]byte(text), &b); err != nil {
		return render(text, known) // goldmark does not fail on text; plain rendering is the safe fallback
	}
	return b.String()
}
