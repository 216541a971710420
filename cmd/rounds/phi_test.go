package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rounds-health/rounds/internal/guard"
)

// findMRN stands in for the detector so that these tests are about the
// command, not about what the guard finds: it reports every "MRN" word.
func findMRN(text string) []guard.Span {
	var spans []guard.Span
	for off := 0; ; {
		i := strings.Index(text[off:], "MRN")
		if i < 0 {
			return spans
		}
		spans = append(spans, guard.Span{Start: off + i, End: off + i + 3, Type: guard.MRN, Text: "MRN"})
		off += i + 3
	}
}

type scanOutput struct {
	ID    json.RawMessage `json:"id"`
	PHI   []guard.Span    `json:"phi"`
	Line  int             `json:"line"`
	Error string          `json:"error"`
}

func runScanner(t *testing.T, ls lineScanner, in string) ([]scanOutput, string, error) {
	t.Helper()
	var out bytes.Buffer
	err := ls.run(context.Background(), strings.NewReader(in), &out)
	var lines []scanOutput
	for l := range strings.SplitSeq(strings.TrimSuffix(out.String(), "\n"), "\n") {
		if l == "" {
			continue
		}
		var o scanOutput
		if jerr := json.Unmarshal([]byte(l), &o); jerr != nil {
			t.Fatalf("output line %q is not JSON: %v", l, jerr)
		}
		lines = append(lines, o)
	}
	return lines, out.String(), err
}

func TestPhiScan_KeepsInputOrderAcrossWorkers(t *testing.T) {
	var in strings.Builder
	const n = 20000
	for i := range n {
		// Lengths vary so that batches finish out of order.
		fmt.Fprintf(&in, `{"id":"n%d","text":%q}`+"\n", i, strings.Repeat("x ", i%700)+"MRN")
	}
	out, _, err := runScanner(t, lineScanner{scan: findMRN, workers: 4, maxLine: 1 << 20}, in.String())
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != n {
		t.Fatalf("%d output lines for %d inputs", len(out), n)
	}
	for i, o := range out {
		if want := fmt.Sprintf(`"n%d"`, i); string(o.ID) != want {
			t.Fatalf("output line %d has id %s, want %s", i+1, o.ID, want)
		}
		if len(o.PHI) != 1 || o.PHI[0].Start != 2*(i%700) {
			t.Fatalf("line %d spans = %+v", i+1, o.PHI)
		}
	}
}

func TestPhiScan_GivesByteOffsetsAndEmptyArrays(t *testing.T) {
	in := `{"id":"a","text":"Zoë’s MRN"}` + "\n" + `{"id":7,"text":"nothing here"}` + "\n"
	out, raw, err := runScanner(t, lineScanner{scan: findMRN, workers: 2, maxLine: 1 << 20}, in)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 2 {
		t.Fatalf("output = %q", raw)
	}
	if s := out[0].PHI; len(s) != 1 || s[0].Start != 9 || s[0].End != 12 || s[0].Text != "MRN" {
		t.Errorf("spans = %+v; want bytes [9,12) of the UTF-8 text", s)
	}
	if !strings.Contains(raw, `{"id":7,"phi":[]}`) {
		t.Errorf("a text without PHI must give \"phi\": [] and keep a numeric id; got %q", raw)
	}
}

func TestPhiScan_ReportsBadLinesByNumberAndScansTheRest(t *testing.T) {
	in := strings.Join([]string{
		`{"id":"ok1","text":"MRN"}`,
		``, // blank lines are skipped but still counted
		`{"id":"broken", "text": `,
		`{"id":"notext"}`,
		`{"text":"no id"}`,
		`{"id":{"a":1},"text":"object id"}`,
		`{"id":"ok2","text":"fine"}`,
	}, "\n")
	out, raw, err := runScanner(t, lineScanner{scan: findMRN, workers: 3, maxLine: 1 << 20}, in)
	ee, ok := err.(*exitError)
	if !ok || ee.code != 1 || !strings.Contains(ee.msg, "4 of 6 lines could not be scanned (first: line 3:") {
		t.Fatalf("err = %v; want exit 1 counting the failed lines and naming the first", err)
	}
	want := []struct {
		id   string
		line int
		msg  string
	}{
		{`"ok1"`, 0, ""},
		{``, 3, "line 3: not a JSON object"},
		{`"notext"`, 5 - 1, `line 4: no "text"`},
		{``, 5, `line 5: no "id"`},
		{``, 6, `line 6: "id" must be a string or a number`},
		{`"ok2"`, 0, ""},
	}
	if len(out) != len(want) {
		t.Fatalf("output:\n%s", raw)
	}
	for i, w := range want {
		o := out[i]
		if string(o.ID) != w.id || o.Line != w.line || !strings.HasPrefix(o.Error, w.msg) {
			t.Errorf("output %d = id %s line %d error %q; want id %s line %d error %q…", i, o.ID, o.Line, o.Error, w.id, w.line, w.msg)
		}
		if w.msg != "" && o.PHI != nil {
			t.Errorf("output %d: a line that was not scanned must not claim \"phi\"", i)
		}
	}
}

func TestPhiScan_SkipsOverlongLineAndGoesOn(t *testing.T) {
	long := `{"id":"big","text":"` + strings.Repeat("a", 5000) + `"}`
	in := `{"id":"before","text":"MRN"}` + "\n" + long + "\n" + `{"id":"after","text":"MRN"}`
	out, raw, err := runScanner(t, lineScanner{scan: findMRN, workers: 2, maxLine: 1000}, in)
	if ee, ok := err.(*exitError); !ok || ee.code != 1 {
		t.Fatalf("err = %v, want exit 1", err)
	}
	if len(out) != 3 || string(out[0].ID) != `"before"` || out[1].Line != 2 || !strings.Contains(out[1].Error, "longer than") || string(out[2].ID) != `"after"` {
		t.Fatalf("output:\n%s", raw)
	}
}

func TestPhiScan_AnswersEachLineBeforeTheNextArrives(t *testing.T) {
	pr, pw := io.Pipe()
	outR, outW := io.Pipe()
	done := make(chan error, 1)
	go func() {
		ls := lineScanner{scan: findMRN, workers: 2, maxLine: 1 << 20}
		done <- ls.run(context.Background(), pr, outW)
		outW.Close()
	}()
	got := bufio.NewReader(outR)
	for i := range 3 {
		fmt.Fprintf(pw, `{"id":%d,"text":"MRN"}`+"\n", i)
		line := make(chan string, 1)
		go func() { l, _ := got.ReadString('\n'); line <- l }()
		select {
		case l := <-line:
			if !strings.HasPrefix(l, fmt.Sprintf(`{"id":%d,`, i)) {
				t.Fatalf("answer %d = %q", i, l)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("no answer to line %d while the producer waits: output is not flushed", i)
		}
	}
	pw.Close()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func TestPhiScan_StopsWhenOutputIsClosed(t *testing.T) {
	var in strings.Builder
	for i := range 5000 {
		fmt.Fprintf(&in, `{"id":%d,"text":"MRN MRN"}`+"\n", i)
	}
	ls := lineScanner{scan: findMRN, workers: 2, maxLine: 1 << 20}
	err := ls.run(context.Background(), strings.NewReader(in.String()), failingWriter{})
	if err == nil || !strings.Contains(err.Error(), "closed") {
		t.Fatalf("err = %v, want the write error", err)
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, fmt.Errorf("output closed") }

func TestPhiCLI_UsageErrorsExitTwo(t *testing.T) {
	tests := [][]string{
		{"phi"},
		{"phi", "frobnicate"},
		{"phi", "check"},
		{"phi", "check", "--context", "tweet"},
		{"phi", "check", "--context", "post", "extra"},
		{"phi", "check", "--context", "review-reply", "--answering", "/nonexistent/review.txt"},
		{"phi", "scan", "file.jsonl"},
		{"phi", "eval"},
		{"phi", "eval", "--show", "everything", "x.txt"},
	}
	for _, args := range tests {
		var out, errOut bytes.Buffer
		if code := run(context.Background(), args, strings.NewReader("hello"), &out, &errOut); code != 2 {
			t.Errorf("rounds %s = exit %d (%s); want 2", strings.Join(args, " "), code, errOut.String())
		}
	}
}

func TestPhiCheck_PrintsReportAndExitsZeroWhenNothingBlocks(t *testing.T) {
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"phi", "check", "--context", "post"},
		strings.NewReader("Great turnout at the journal club on heart failure guidelines tonight."), &out, &errOut)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	var rep guard.Report
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil || rep.Findings == nil {
		t.Fatalf("output is not a report with a findings list: %v\n%s", err, out.String())
	}
}

func TestPhiScan_CLIUsesTheDetector(t *testing.T) {
	in := `{"id":"r1","text":"Call me at 617-555-0142 or email jane.doe@example.com"}` + "\n"
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"phi", "scan"}, strings.NewReader(in), &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	var o scanOutput
	if err := json.Unmarshal(out.Bytes(), &o); err != nil {
		t.Fatalf("%v: %q", err, out.String())
	}
	if string(o.ID) != `"r1"` || o.PHI == nil {
		t.Fatalf("output = %q", out.String())
	}
}

func TestPhiEval_PrintsTablesForGoldFiles(t *testing.T) {
	dir := t.TempDir()
	gold := filepath.Join(dir, "tiny.txt")
	body := "### one\nPt [[NAME|Odessa Marchetti]] seen [[DATE|3/14/2021]], call [[PHONE|(617) 555-0199]].\n"
	if err := os.WriteFile(gold, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"phi", "eval", "--show", "missed,spurious", gold}, strings.NewReader(""), &out, &errOut)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	for _, want := range []string{"tiny.txt: 1 documents", "strict", "any-type overlap", "NAME", "DATE", "PHONE"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("eval output lacks %q:\n%s", want, out.String())
		}
	}
	if code := run(context.Background(), []string{"phi", "eval", filepath.Join(dir, "missing.txt")}, strings.NewReader(""), &out, &errOut); code != 1 {
		t.Errorf("a missing gold file = exit %d, want 1", code)
	}
}

func TestPhiCheck_ExitsThreeWhenAReviewReplyLeaks(t *testing.T) {
	dir := t.TempDir()
	review := filepath.Join(dir, "review.txt")
	if err := os.WriteFile(review, []byte("Waited two hours for my MRI on March 12. Never again."), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"phi", "check", "--context", "review-reply", "--answering", review},
		strings.NewReader("Hi Deborah, we're sorry your MRI on March 12 was delayed; Dr. Kaczmarek has reviewed your chart."), &out, &errOut)
	if code != 3 {
		t.Fatalf("exit %d, want 3 (blocked): %s %s", code, out.String(), errOut.String())
	}
	var rep guard.Report
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil || !rep.Blocked() {
		t.Fatalf("stdout is not a blocked report: %v\n%s", err, out.String())
	}
	if !strings.Contains(errOut.String(), "blocked") {
		t.Errorf("stderr = %q; want a one-line reason for people reading the terminal", errOut.String())
	}
}

func TestPhiScan_StopsWhenCancelledWhileInputWaits(t *testing.T) {
	pr, pw := io.Pipe()
	defer pw.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		ls := lineScanner{scan: findMRN, workers: 2, maxLine: 1 << 20}
		done <- ls.run(ctx, pr, io.Discard)
	}()
	fmt.Fprintln(pw, `{"id":1,"text":"MRN"}`)
	cancel()
	select {
	case err := <-done:
		if err != context.Canceled {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("scan kept waiting on its input after being cancelled (Ctrl-C would hang)")
	}
}

// slowScanLine is what encoding/json makes of a line.
func slowScanLine(raw []byte) (json.RawMessage, *string, error) {
	var in scanInput
	err := json.Unmarshal(raw, &in)
	return in.ID, in.Text, err
}

var scanLineSamples = []string{
	`{"id":"a","text":"plain"}`,
	`{"id": 42 , "text" : "esc \" \\ \/ \b \f \n \r \t \u00e9 \ud83d\ude00 end"}`,
	` {"text":"order reversed","id":"z"} `,
	`{"id":"x","text":"Zoë’s café ☕","author":"dr_k","n":3.5e2,"ok":true,"none":null}`,
	`{"id":-7,"text":""}`,
	`{"id":"dup","text":"first","text":"second"}`,
	`{"ID":"case","TEXT":"keys in another case"}`,
	`{"id":"nested","text":"t","meta":{"a":[1,2]}}`,
	`{"id":"lone","text":"\ud83d alone"}`,
	"{\"id\":\"bad utf8\",\"text\":\"\xff\xfe\"}",
	`{"id":"bad esc","text":"\x41"}`,
	`{"id":"trailing","text":"t",}`,
	`{"id":"garbage","text":"t"} x`,
	`{"id":01,"text":"leading zero"}`,
	`{"id":true,"text":"bool id"}`,
	`{"id":null,"text":"null id"}`,
	`{"id":"no text"}`,
	`{"text":"no id"}`,
	`["id","text"]`,
	`{"id":"ctl","text":"tab	inside"}`,
	`{"id":"open","text":"unterminated}`,
	`{"id":"x" "text":"no comma"}`,
	`{}`,
	`{"id":"esc key","te\u0078t":"escaped key"}`,
	`{"id":"\0","text":"bad escape in the id"}`,
	`{"id":"x","text":"t","note":"bad \q escape elsewhere"}`,
}

func TestDecodeScanLine_AgreesWithEncodingJSON(t *testing.T) {
	for _, line := range scanLineSamples {
		checkDecodeAgrees(t, []byte(line))
	}
	// The usual shape must take the fast path.
	for _, line := range scanLineSamples[:6] {
		if _, _, ok := decodeScanLine([]byte(line)); !ok {
			t.Errorf("%s: left to encoding/json; want the fast path", line)
		}
	}
}

func FuzzDecodeScanLine_AgreesWithEncodingJSON(f *testing.F) {
	for _, line := range scanLineSamples {
		f.Add([]byte(line))
	}
	f.Fuzz(func(t *testing.T, line []byte) { checkDecodeAgrees(t, line) })
}

func checkDecodeAgrees(t *testing.T, line []byte) {
	t.Helper()
	id, text, ok := decodeScanLine(line)
	if !ok {
		return
	}
	slowID, slowText, err := slowScanLine(line)
	if err != nil {
		t.Fatalf("%q: fast path accepted a line encoding/json rejects (%v)", line, err)
	}
	if !bytes.Equal(id, slowID) || slowText == nil || text != *slowText {
		t.Fatalf("%q: fast path = %s %q, encoding/json = %s %v", line, id, text, slowID, slowText)
	}
}

func TestPhiScan_ScansBatchesInParallel(t *testing.T) {
	var (
		mu       sync.Mutex
		inFlight int
		parallel bool
		release  = make(chan struct{}) // closed when two texts are in flight, or on giving up
		once     sync.Once
	)
	scan := func(text string) []guard.Span {
		mu.Lock()
		inFlight++
		if inFlight == 2 {
			parallel = true
			once.Do(func() { close(release) })
		}
		mu.Unlock()
		select { // hold this text until another worker is busy too
		case <-release:
		case <-time.After(5 * time.Second):
			once.Do(func() { close(release) })
		}
		mu.Lock()
		inFlight--
		mu.Unlock()
		return nil
	}
	var in strings.Builder
	for i := range 4 * batchLines {
		fmt.Fprintf(&in, `{"id":%d,"text":"t"}`+"\n", i)
	}
	ls := lineScanner{scan: scan, workers: 2, maxLine: 1 << 20}
	if _, _, err := runScanner(t, ls, in.String()); err != nil {
		t.Fatal(err)
	}
	if !parallel {
		t.Fatal("no two texts were ever scanned at the same time: the workers do not run in parallel")
	}
}
