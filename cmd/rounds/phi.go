package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/rounds-health/rounds/internal/guard"
	"github.com/rounds-health/rounds/internal/guard/score"
)

const phiUsage = `Usage:
  rounds phi scan    < in.jsonl > out.jsonl
      Reads {"id": ..., "text": "..."} a line; writes {"id": ..., "phi": [{"start","end","type","text"}]}
      a line, in input order (byte offsets, end exclusive). A line that cannot be read gets
      {"id": ..., "line": N, "error": "..."} instead, the rest is still scanned, and the command
      exits 1 at the end naming how many lines failed.
  rounds phi check --context CONTEXT [--answering FILE] [--allow TERM]...   < text
      Prints the guard's report as JSON; exits 0 when nothing blocks, 3 when something does.
      CONTEXT is one of: ` + contextList + `
  rounds phi eval [--show missed,spurious,type,boundary] [--markdown] FILE...
      Scores the detector on gold files (.jsonl with offsets, or [[TYPE|words]] markup) and prints
      recall and precision per type: strict, same-type overlap and any-type overlap.
Usage errors exit 2.
`

const contextList = "review-reply, post, comment, article, reply, answer, profile, alt-text"

func phiCmd(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, phiUsage)
		return &exitError{code: 2}
	}
	switch args[0] {
	case "scan":
		return phiScanCmd(ctx, args[1:], stdin, stdout, stderr)
	case "check":
		return phiCheckCmd(args[1:], stdin, stdout, stderr)
	case "eval":
		return phiEvalCmd(args[1:], stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, phiUsage)
		return nil
	}
	fmt.Fprintf(stderr, "rounds phi: unknown command %q\n\n%s", args[0], phiUsage)
	return &exitError{code: 2}
}

func phiScanCmd(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("rounds phi scan", flag.ContinueOnError)
	fs.SetOutput(stderr)
	workers := fs.Int("workers", runtime.GOMAXPROCS(0), "texts scanned in parallel")
	if err := fs.Parse(args); err != nil {
		return &exitError{code: 2}
	}
	if fs.NArg() > 0 {
		return &exitError{code: 2, msg: fmt.Sprintf("phi scan reads standard input; unexpected argument %q", fs.Arg(0))}
	}
	if *workers < 1 {
		return &exitError{code: 2, msg: "--workers must be at least 1"}
	}
	sc := lineScanner{scan: guard.Default().Scan, workers: *workers, maxLine: maxScanLine}
	return sc.run(ctx, stdin, stdout)
}

func phiCheckCmd(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("rounds phi check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	ctxName := fs.String("context", "", "where the text goes: "+contextList)
	answering := fs.String("answering", "", "file holding the text being replied to (the review or comment)")
	var allowed []string
	fs.Func("allow", "a public term the author may use (own name, organization, published phone); repeatable", func(s string) error {
		allowed = append(allowed, s)
		return nil
	})
	if err := fs.Parse(args); err != nil {
		return &exitError{code: 2}
	}
	if fs.NArg() > 0 {
		return &exitError{code: 2, msg: fmt.Sprintf("phi check reads the text on standard input; unexpected argument %q", fs.Arg(0))}
	}
	if !slices.Contains(strings.Split(contextList, ", "), *ctxName) {
		return &exitError{code: 2, msg: fmt.Sprintf("--context %q: choose one of %s", *ctxName, contextList)}
	}
	opt := guard.Options{Context: guard.Context(*ctxName), Allowed: allowed}
	if *answering != "" {
		b, err := os.ReadFile(*answering)
		if err != nil {
			return &exitError{code: 2, msg: fmt.Sprintf("--answering: %v", err)}
		}
		opt.Answering = string(b)
	}
	text, err := io.ReadAll(io.LimitReader(stdin, maxScanLine+1))
	if err != nil {
		return fmt.Errorf("reading the text: %w", err)
	}
	if len(text) > maxScanLine {
		return &exitError{code: 2, msg: fmt.Sprintf("the text is over %d MiB; check takes one post, not an export (use phi scan)", maxScanLine>>20)}
	}
	rep := guard.Default().Check(string(text), opt)
	if rep.Findings == nil {
		rep.Findings = []guard.Finding{}
	}
	out, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		return err
	}
	if _, err := fmt.Fprintf(stdout, "%s\n", out); err != nil {
		return err
	}
	if rep.Blocked() {
		n := 0
		for _, f := range rep.Findings {
			if f.Blocking {
				n++
			}
		}
		return &exitError{code: 3, msg: fmt.Sprintf("blocked: %d finding(s) must be fixed before publishing", n)}
	}
	return nil
}

func phiEvalCmd(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("rounds phi eval", flag.ContinueOnError)
	fs.SetOutput(stderr)
	show := fs.String("show", "", "list mismatches of these kinds before the tables: missed,spurious,type,boundary")
	markdown := fs.Bool("markdown", false, "print the tables as Markdown (for docs/PHI_GUARD.md)")
	if err := fs.Parse(args); err != nil {
		return &exitError{code: 2}
	}
	if fs.NArg() == 0 {
		return &exitError{code: 2, msg: "phi eval needs gold files, e.g. internal/guard/testdata/*.jsonl internal/guard/testdata/*.txt"}
	}
	kinds := map[string]bool{}
	for k := range strings.SplitSeq(*show, ",") {
		switch k = strings.TrimSpace(k); k {
		case "":
		case "missed", "spurious", "type", "boundary":
			kinds[k] = true
		default:
			return &exitError{code: 2, msg: fmt.Sprintf("--show %q: kinds are missed, spurious, type, boundary", k)}
		}
	}
	sets, err := scoreFiles(guard.Default(), fs.Args(), kinds, stdout)
	if err != nil {
		return err
	}
	if len(sets) > 1 {
		var all score.Score
		for _, set := range sets {
			all.Merge(set.Score)
		}
		sets = append(sets, score.Set{Name: "all files", Score: &all})
	}
	var out bytes.Buffer
	write := score.WriteTable
	if *markdown {
		write = score.WriteMarkdown
		if err := score.WriteSummary(&out, sets); err != nil {
			return err
		}
	}
	for _, set := range sets {
		if err := write(&out, set.Name, set.Score); err != nil {
			return err
		}
		out.WriteByte('\n')
	}
	_, err = stdout.Write(out.Bytes())
	return err
}

// scoreFiles scores the detector on each gold file, printing the
// mismatches of the kinds asked for as it goes.
func scoreFiles(det *guard.Detector, paths []string, kinds map[string]bool, w io.Writer) ([]score.Set, error) {
	var sets []score.Set
	for _, path := range paths {
		docs, err := score.LoadFile(path)
		if err != nil {
			return nil, err
		}
		s := &score.Score{}
		for _, d := range docs {
			pred := scoreSpans(det.Scan(d.Text))
			s.Add(d.Text, d.Gold, pred)
			for _, mm := range score.Diff(d.Gold, pred) {
				if kinds[mm.Kind] {
					fmt.Fprintf(w, "%s %s: %s\n", filepath.Base(path), d.ID, mm.Format(d.Text))
				}
			}
		}
		sets = append(sets, score.Set{Name: filepath.Base(path), Score: s})
	}
	return sets, nil
}

func scoreSpans(spans []guard.Span) []score.Span {
	out := make([]score.Span, len(spans))
	for i, s := range spans {
		out[i] = score.Span{Start: s.Start, End: s.End, Type: string(s.Type)}
	}
	return out
}

// maxScanLine bounds one input line; a longer one is reported, skipped
// without being held in memory, and the stream goes on.
const maxScanLine = 64 << 20

// Batches amortize the hand-offs between goroutines. A batch closes at
// batchBytes or batchLines, or as soon as the input has nothing more
// buffered, so that an interactive producer gets its answers at once.
const (
	batchBytes = 256 << 10
	batchLines = 512
)

// lineScanner runs `phi scan`: one goroutine reads lines into batches,
// workers scan batches in parallel, and the caller's goroutine writes
// them back in input order. At most 2×workers batches are in flight, so
// memory stays constant whatever the input's size.
type lineScanner struct {
	scan    func(string) []guard.Span
	workers int
	maxLine int
}

type scanBatch struct {
	data     []byte // the batch's lines, back to back
	lines    []batchLine
	out      []byte
	failed   int
	firstErr string
	done     chan struct{}
}

type batchLine struct {
	lineNo     int
	start, end int
	tooLong    bool
}

func (ls *lineScanner) run(ctx context.Context, in io.Reader, out io.Writer) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	queue := make(chan *scanBatch, 2*ls.workers)
	jobs := make(chan *scanBatch, ls.workers)
	readErr := make(chan error, 1)
	go func() { readErr <- ls.read(ctx, in, queue, jobs) }()
	for range ls.workers {
		go func() {
			for b := range jobs {
				ls.scanBatch(b)
				close(b.done)
			}
		}()
	}
	w, err := ls.write(ctx, queue, out)
	if err != nil {
		return err // the deferred cancel stops the reader at its next batch
	}
	if err := <-readErr; err != nil {
		return err
	}
	if w.failed > 0 {
		return &exitError{code: 1, msg: fmt.Sprintf("%d of %d lines could not be scanned (first: %s); each has an \"error\" line in the output", w.failed, w.lines, w.firstErr)}
	}
	return nil
}

type writeTally struct {
	lines, failed int
	firstErr      string
}

func (ls *lineScanner) write(ctx context.Context, queue <-chan *scanBatch, out io.Writer) (writeTally, error) {
	var t writeTally
	bw := bufio.NewWriterSize(out, 256<<10)
	for {
		var b *scanBatch
		select {
		case b = <-queue:
		case <-ctx.Done():
			return t, ctx.Err()
		}
		if b == nil {
			return t, bw.Flush()
		}
		select {
		case <-b.done:
		case <-ctx.Done():
			return t, ctx.Err()
		}
		if _, err := bw.Write(b.out); err != nil {
			return t, err
		}
		t.lines += len(b.lines)
		if b.failed > 0 && t.failed == 0 {
			t.firstErr = b.firstErr
		}
		t.failed += b.failed
		if len(queue) == 0 { // nothing ready behind it: let the reader see it now
			if err := bw.Flush(); err != nil {
				return t, err
			}
		}
	}
}

func (ls *lineScanner) read(ctx context.Context, in io.Reader, queue, jobs chan<- *scanBatch) error {
	defer close(jobs)
	defer close(queue)
	lr := newLineReader(in, ls.maxLine)
	b := newBatch()
	send := func() bool {
		select {
		case queue <- b:
		case <-ctx.Done():
			return false
		}
		jobs <- b
		b = newBatch()
		return true
	}
	for {
		line, tooLong, err := lr.next()
		if err != nil && err != io.EOF {
			if len(b.lines) > 0 {
				send()
			}
			return fmt.Errorf("reading line %d: %w", lr.lineNo+1, err)
		}
		if line != nil || tooLong {
			start := len(b.data)
			b.data = append(b.data, line...)
			b.lines = append(b.lines, batchLine{lineNo: lr.lineNo, start: start, end: len(b.data), tooLong: tooLong})
		}
		if err == io.EOF {
			if len(b.lines) > 0 {
				send()
			}
			return nil
		}
		if len(b.lines) > 0 && (len(b.data) >= batchBytes || len(b.lines) >= batchLines || lr.idle()) {
			if !send() {
				return ctx.Err()
			}
		}
	}
}

func newBatch() *scanBatch {
	return &scanBatch{done: make(chan struct{})}
}

// scanInput is one line of `phi scan` input. The id is kept as written
// (a string or a number) so that it can be echoed unchanged.
type scanInput struct {
	ID   json.RawMessage `json:"id"`
	Text *string         `json:"text"`
}

func (ls *lineScanner) scanBatch(b *scanBatch) {
	var enc bytes.Buffer
	je := json.NewEncoder(&enc)
	je.SetEscapeHTML(false)
	for _, l := range b.lines {
		lineNo := l.lineNo
		id, text, err := parseScanLine(b.data[l.start:l.end], l.tooLong, ls.maxLine)
		if err != nil {
			msg := fmt.Sprintf("line %d: %v", lineNo, err)
			if b.failed == 0 {
				b.firstErr = msg
			}
			b.failed++
			b.out = appendErrorLine(b.out, je, &enc, id, lineNo, msg)
			continue
		}
		spans := ls.scan(text)
		if spans == nil {
			spans = []guard.Span{}
		}
		b.out = append(b.out, `{"id":`...)
		b.out = append(b.out, id...)
		b.out = append(b.out, `,"phi":`...)
		enc.Reset()
		_ = je.Encode(spans) // []Span of ints and strings always encodes
		b.out = append(b.out, bytes.TrimRight(enc.Bytes(), "\n")...)
		b.out = append(b.out, "}\n"...)
	}
	b.data = nil // the input is not needed once scanned
}

func parseScanLine(raw []byte, tooLong bool, maxLine int) (id json.RawMessage, text string, err error) {
	if tooLong {
		return nil, "", fmt.Errorf("longer than %d MiB; skipped", maxLine>>20)
	}
	if id, text, ok := decodeScanLine(raw); ok {
		return id, text, nil
	}
	var in scanInput // the slow path, which also words the errors
	if err := json.Unmarshal(raw, &in); err != nil {
		return nil, "", fmt.Errorf("not a JSON object: %v", err)
	}
	if len(in.ID) == 0 || in.ID[0] == 'n' {
		return nil, "", errors.New(`no "id"; every line needs {"id": ..., "text": "..."}`)
	}
	if c := in.ID[0]; c != '"' && c != '-' && (c < '0' || c > '9') {
		return nil, "", fmt.Errorf(`"id" must be a string or a number, not %s`, in.ID)
	}
	if in.Text == nil {
		return in.ID, "", errors.New(`no "text"; every line needs {"id": ..., "text": "..."}`)
	}
	return in.ID, *in.Text, nil
}

func appendErrorLine(out []byte, je *json.Encoder, enc *bytes.Buffer, id json.RawMessage, lineNo int, msg string) []byte {
	out = append(out, '{')
	if len(id) > 0 {
		out = append(out, `"id":`...)
		out = append(out, id...)
		out = append(out, ',')
	}
	out = fmt.Appendf(out, `"line":%d,"error":`, lineNo)
	enc.Reset()
	_ = je.Encode(msg)
	out = append(out, bytes.TrimRight(enc.Bytes(), "\n")...)
	return append(out, "}\n"...)
}

// lineReader hands out input lines without their line ends. It holds at
// most one line (up to max bytes); a longer line is read through and
// reported as too long rather than buffered.
type lineReader struct {
	r      *bufio.Reader
	max    int
	buf    []byte
	lineNo int
}

func newLineReader(r io.Reader, max int) *lineReader {
	return &lineReader{r: bufio.NewReaderSize(r, 1<<20), max: max}
}

// idle reports whether the next read would wait on the producer.
func (lr *lineReader) idle() bool { return lr.r.Buffered() == 0 }

// next returns the next line, nil for a blank one, and io.EOF with (or
// after) the last line. The slice is valid until the next call.
func (lr *lineReader) next() (line []byte, tooLong bool, err error) {
	chunk, err := lr.r.ReadSlice('\n')
	if err == nil { // the usual case: the whole line is in the buffer
		lr.lineNo++
		if len(chunk) > lr.max+2 {
			return nil, true, nil
		}
		return content(chunk), false, nil
	}
	if cap(lr.buf) > 4<<20 {
		lr.buf = nil // let a past long line's memory go
	}
	lr.buf = lr.buf[:0]
	size := 0
	for {
		size += len(chunk)
		if size > lr.max+2 { // +2 for the line end
			tooLong = true
		} else {
			lr.buf = append(lr.buf, chunk...)
		}
		if err != bufio.ErrBufferFull {
			break
		}
		chunk, err = lr.r.ReadSlice('\n')
	}
	if err != nil && err != io.EOF {
		return nil, false, err
	}
	if size == 0 {
		return nil, false, io.EOF
	}
	lr.lineNo++
	if tooLong {
		return nil, true, err
	}
	return content(lr.buf), false, err
}

// content strips the line end and returns nil for a blank line.
func content(line []byte) []byte {
	line = bytes.TrimSuffix(line, []byte("\n"))
	line = bytes.TrimSuffix(line, []byte("\r"))
	if len(bytes.TrimSpace(line)) == 0 {
		return nil
	}
	return line
}

// decodeScanLine reads the usual line, {"id": "..." or 123, "text": "...",
// other scalar fields}, in one pass without reflection: encoding/json costs
// as much as a quarter of the detector's time on an export. Anything
// unusual (nested values, a key in another case, a lone surrogate, invalid
// UTF-8, a syntax error) returns ok=false and goes to encoding/json, which
// decides and words the error; so both paths accept exactly the same lines.
func decodeScanLine(b []byte) (id json.RawMessage, text string, ok bool) {
	i := skipBlank(b, 0)
	if i >= len(b) || b[i] != '{' {
		return nil, "", false
	}
	i = skipBlank(b, i+1)
	var haveText bool
	for i < len(b) && b[i] != '}' {
		key, j, ok := rawString(b, i)
		if !ok || bytes.IndexByte(key, '\\') >= 0 {
			return nil, "", false
		}
		j = skipBlank(b, j)
		if j >= len(b) || b[j] != ':' {
			return nil, "", false
		}
		j = skipBlank(b, j+1)
		var val []byte
		switch string(key[1 : len(key)-1]) {
		case "id":
			val, j, ok = rawScalar(b, j)
			if !ok || (val[0] != '"' && val[0] != '-' && (val[0] < '0' || val[0] > '9')) {
				return nil, "", false
			}
			id = val
		case "text":
			val, j, ok = rawString(b, j)
			if !ok {
				return nil, "", false
			}
			if text, ok = unquote(val); !ok {
				return nil, "", false
			}
			haveText = true
		default:
			if bytes.EqualFold(key, []byte(`"id"`)) || bytes.EqualFold(key, []byte(`"text"`)) {
				return nil, "", false // encoding/json matches keys without case
			}
			if _, j, ok = rawScalar(b, j); !ok {
				return nil, "", false
			}
		}
		i = skipBlank(b, j)
		if i < len(b) && b[i] == ',' {
			i = skipBlank(b, i+1)
			if i < len(b) && b[i] == '}' {
				return nil, "", false // trailing comma
			}
		} else if i >= len(b) || b[i] != '}' {
			return nil, "", false
		}
	}
	if i >= len(b) || skipBlank(b, i+1) != len(b) || id == nil || !haveText {
		return nil, "", false
	}
	return id, text, true
}

func skipBlank(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n') {
		i++
	}
	return i
}

// rawString returns the JSON string starting at b[i], quotes included.
func rawString(b []byte, i int) ([]byte, int, bool) {
	if i >= len(b) || b[i] != '"' {
		return nil, i, false
	}
	for j := i + 1; j < len(b); j++ {
		switch c := b[j]; {
		case c == '"':
			return b[i : j+1], j + 1, true
		case c == '\\':
			if j+1 >= len(b) {
				return nil, i, false
			}
			switch b[j+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				j++
			case 'u':
				if _, ok := hex4(b[j:]); !ok {
					return nil, i, false
				}
				j += 5
			default:
				return nil, i, false
			}
		case c < 0x20:
			return nil, i, false
		}
	}
	return nil, i, false
}

// rawScalar returns a string, number, true, false or null starting at
// b[i]; objects and arrays are left to encoding/json.
func rawScalar(b []byte, i int) ([]byte, int, bool) {
	if i >= len(b) {
		return nil, i, false
	}
	if b[i] == '"' {
		return rawString(b, i)
	}
	j := i
	for j < len(b) && (b[j] == '-' || b[j] == '+' || b[j] == '.' || b[j] >= '0' && b[j] <= '9' || b[j] >= 'a' && b[j] <= 'z' || b[j] >= 'A' && b[j] <= 'Z') {
		j++
	}
	if j == i || !json.Valid(b[i:j]) {
		return nil, i, false
	}
	return b[i:j], j, true
}

// unquote decodes a JSON string (quotes included). It refuses what
// encoding/json would repair (invalid UTF-8, lone surrogates) so that the
// slow path makes the same text.
func unquote(q []byte) (string, bool) {
	q = q[1 : len(q)-1]
	if bytes.IndexByte(q, '\\') < 0 {
		if !utf8.Valid(q) {
			return "", false
		}
		return string(q), true
	}
	out := make([]byte, 0, len(q))
	for i := 0; i < len(q); {
		c := q[i]
		if c != '\\' {
			j := i + 1
			for j < len(q) && q[j] != '\\' {
				j++
			}
			if !utf8.Valid(q[i:j]) {
				return "", false
			}
			out = append(out, q[i:j]...)
			i = j
			continue
		}
		if i+1 >= len(q) {
			return "", false
		}
		switch q[i+1] {
		case '"', '\\', '/':
			out = append(out, q[i+1])
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r, n, ok := unicodeEscape(q[i:])
			if !ok {
				return "", false
			}
			out = utf8.AppendRune(out, r)
			i += n
			continue
		default:
			return "", false
		}
		i += 2
	}
	return string(out), true
}

// unicodeEscape reads \uXXXX, or a surrogate pair \uD83D\uDE00.
func unicodeEscape(q []byte) (rune, int, bool) {
	r, ok := hex4(q)
	if !ok {
		return 0, 0, false
	}
	if r < 0xD800 || r > 0xDFFF {
		return r, 6, true
	}
	if r > 0xDBFF || len(q) < 12 || q[6] != '\\' || q[7] != 'u' {
		return 0, 0, false
	}
	lo, ok := hex4(q[6:])
	if !ok || lo < 0xDC00 || lo > 0xDFFF {
		return 0, 0, false
	}
	return 0x10000 + (r-0xD800)<<10 + (lo - 0xDC00), 12, true
}

// hex4 reads the four hex digits of \uXXXX at q.
func hex4(q []byte) (rune, bool) {
	if len(q) < 6 {
		return 0, false
	}
	var r rune
	for _, c := range q[2:6] {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}
