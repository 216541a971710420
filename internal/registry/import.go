package registry

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"github.com/rounds-health/rounds/internal/audit"
	"github.com/rounds-health/rounds/internal/errs"
)

// Audit actions.
const (
	ActionImportNPPES      = "admin.import_nppes"
	ActionImportExclusions = "admin.import_exclusions"
)

// ImportNPPES reads an NPPES dissemination file (npidata_pfile_….csv, or a
// weekly update in the same format) from r and inserts or replaces each
// NPI it lists. It streams: memory does not grow with the file.
//
// Rows are written in transactions of opt.BatchSize rows, so every row is
// either written whole or not at all. A malformed row (a bad NPI, a wrong
// number of fields, an unknown entity type, a person without a name, an
// impossible date) is skipped and reported with its line number; the
// import goes on. A file without the expected header fails with errs.Invalid
// before anything is written. One audit record describes the import; on
// success it commits with the last rows.
func (s *Service) ImportNPPES(ctx context.Context, r io.Reader, opt ImportOptions) (*Summary, error) {
	opt = opt.withDefaults()
	start := time.Now()
	sum := &Summary{}
	err := s.importNPPES(ctx, r, opt, sum, start)
	sum.Duration = time.Since(start)
	if err != nil {
		s.auditFailure(ActionImportNPPES, opt, sum, err)
		return sum, err
	}
	return sum, nil
}

// nppesBatch is the rows of one transaction.
type nppesBatch struct {
	full, deactivated [][]any
	npis              map[string]struct{}
	final             *readStats // set on the last batch
}

func newNPPESBatch(size int) *nppesBatch {
	return &nppesBatch{full: make([][]any, 0, size), npis: make(map[string]struct{}, size)}
}

func (b *nppesBatch) len() int { return len(b.full) + len(b.deactivated) }

// readStats is what the reading side of an import counted.
type readStats struct {
	rows, skipped int
	problems      []Problem
	err           error // a read error that ended the file early
}

func (rs *readStats) skip(line int, reason string) {
	rs.skipped++
	if len(rs.problems) < MaxProblems {
		rs.problems = append(rs.problems, Problem{Line: line, Reason: reason})
	}
}

// importNPPES parses in one goroutine and writes in this one, so that the
// CSV parsing of one batch overlaps the database work of the previous. At
// most three batches are in memory: one being written, one queued, one
// being parsed.
func (s *Service) importNPPES(ctx context.Context, r io.Reader, opt ImportOptions, sum *Summary, start time.Time) error {
	cr := newCSVReader(r)
	header, err := readHeader(cr)
	if err != nil {
		return err
	}
	cols, err := mapNPPESHeader(header)
	if err != nil {
		return err
	}
	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan *nppesBatch, 1)
	stats := &readStats{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer close(batches)
		s.readNPPES(ctx, cr, &cols, opt, stats, batches)
	}()

	var werr error
	for b := range batches {
		if b.final != nil {
			werr = s.writeFinalNPPES(ctx, b, opt, sum, start)
		} else {
			werr = s.db.WithTx(ctx, func(ctx context.Context) error {
				return s.st.upsertProviders(ctx, b.full, b.deactivated)
			})
		}
		if werr != nil {
			break
		}
		sum.Imported += b.len()
	}
	cancel()
	<-done
	sum.Rows, sum.Skipped, sum.Problems = stats.rows, stats.skipped, stats.problems
	switch {
	case werr != nil:
		return errs.Internal(werr, "write NPPES rows after %d were imported", sum.Imported)
	case stats.err != nil:
		return stats.err
	}
	return parent.Err()
}

// readNPPES parses records into batches until the file ends. It owns stats
// until done is closed.
func (s *Service) readNPPES(ctx context.Context, cr *csv.Reader, cols *nppesColumns, opt ImportOptions, stats *readStats, out chan<- *nppesBatch) {
	importedAt := s.now().UnixMilli()
	send := func(b *nppesBatch) bool {
		select {
		case out <- b:
			return true
		case <-ctx.Done():
			return false
		}
	}
	b := newNPPESBatch(opt.BatchSize)
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				stats.err = fmt.Errorf("read the file after line %d: %w", lastLine(cr), err)
				return
			}
			stats.rows++
			stats.skip(pe.StartLine, "is not valid CSV: "+pe.Err.Error())
			continue
		}
		stats.rows++
		if opt.Progress != nil && stats.rows%opt.ProgressEvery == 0 {
			opt.Progress(stats.rows)
		}
		line, _ := cr.FieldPos(0)
		row, reason := parseNPPESRow(cols, rec, importedAt)
		if reason != "" {
			stats.skip(line, reason)
			continue
		}
		if _, dup := b.npis[row.npi]; dup {
			// The same NPI twice in one statement is an error on PostgreSQL;
			// a new transaction keeps the file's order: the later row wins.
			if !send(b) {
				return
			}
			b = newNPPESBatch(opt.BatchSize)
		}
		b.npis[row.npi] = struct{}{}
		if row.undisclosed {
			b.deactivated = append(b.deactivated, row.args)
		} else {
			b.full = append(b.full, row.args)
		}
		if b.len() >= opt.BatchSize {
			if !send(b) {
				return
			}
			b = newNPPESBatch(opt.BatchSize)
		}
	}
	final := *stats
	b.final = &final
	send(b)
}

// writeFinalNPPES writes the last rows and the import's audit record in
// one transaction.
func (s *Service) writeFinalNPPES(ctx context.Context, b *nppesBatch, opt ImportOptions, sum *Summary, start time.Time) error {
	done := Summary{Rows: b.final.rows, Skipped: b.final.skipped, Imported: sum.Imported + b.len(), Duration: time.Since(start)}
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.st.upsertProviders(ctx, b.full, b.deactivated); err != nil {
			return err
		}
		return s.audit.Append(ctx, importEvent(ActionImportNPPES, opt, &done, audit.Success, ""))
	})
}

// ImportExclusions replaces the exclusion list with the LEIE file read from
// r (UPDATED.csv as the OIG publishes it). The list is published whole, so
// whoever a new file no longer lists has been reinstated: the old entries
// are deleted and the new ones inserted in one transaction, with the audit
// record. Malformed rows are skipped and reported with their line numbers;
// a file with no usable row changes nothing.
func (s *Service) ImportExclusions(ctx context.Context, r io.Reader, opt ImportOptions) (*Summary, error) {
	opt = opt.withDefaults()
	start := time.Now()
	sum := &Summary{}
	err := s.importExclusions(ctx, r, opt, sum, start)
	sum.Duration = time.Since(start)
	if err != nil {
		sum.Imported = 0 // rolled back
		s.auditFailure(ActionImportExclusions, opt, sum, err)
		return sum, err
	}
	return sum, nil
}

func (s *Service) importExclusions(ctx context.Context, r io.Reader, opt ImportOptions, sum *Summary, start time.Time) error {
	cr := newCSVReader(r)
	header, err := readHeader(cr)
	if err != nil {
		return err
	}
	cols, err := mapLEIEHeader(header)
	if err != nil {
		return err
	}
	importedAt := s.now().UnixMilli()
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		before, err := s.st.countExclusions(ctx)
		if err != nil {
			return errs.Internal(err, "count exclusions")
		}
		if err := s.st.deleteExclusions(ctx); err != nil {
			return errs.Internal(err, "clear exclusions")
		}
		pending := make([][]any, 0, chunkSizes[0])
		flush := func() error {
			if err := s.st.insertExclusions(ctx, pending); err != nil {
				return errs.Internal(err, "insert exclusions")
			}
			sum.Imported += len(pending)
			pending = pending[:0]
			return nil
		}
		for {
			rec, err := cr.Read()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				var pe *csv.ParseError
				if !errors.As(err, &pe) {
					return fmt.Errorf("read the file after line %d: %w", lastLine(cr), err)
				}
				sum.Rows++
				sum.skip(pe.StartLine, "is not valid CSV: %s", pe.Err.Error())
				continue
			}
			sum.Rows++
			if opt.Progress != nil && sum.Rows%opt.ProgressEvery == 0 {
				opt.Progress(sum.Rows)
			}
			line, _ := cr.FieldPos(0)
			row, reason := parseLEIERow(&cols, rec, importedAt)
			if reason != "" {
				sum.skip(line, "%s", reason)
				continue
			}
			if row.note != "" {
				sum.problem(line, "%s", row.note)
			}
			row.args[0] = s.ids.Next()
			pending = append(pending, row.args)
			if len(pending) == cap(pending) {
				if err := flush(); err != nil {
					return err
				}
			}
		}
		if err := flush(); err != nil {
			return err
		}
		if sum.Imported == 0 {
			return errs.Invalid("file", fmt.Sprintf("None of the file's %d rows could be used, so the exclusion list was left as it was.", sum.Rows))
		}
		// The list only grows by a few hundred a month: a file with far fewer
		// rows is more likely truncated than a mass reinstatement.
		if before >= 100 && sum.Imported < before/2 && !opt.Force {
			return errs.Invalid("file", fmt.Sprintf("The file lists %d exclusions where the current list has %d; it may be truncated, "+
				"so the list was left as it was. Import it with --force if it is right.", sum.Imported, before))
		}
		done := *sum
		done.Duration = time.Since(start)
		return s.audit.Append(ctx, importEvent(ActionImportExclusions, opt, &done, audit.Success, ""))
	})
}

// importEvent describes an import for the audit log: counts, never names.
func importEvent(action string, opt ImportOptions, sum *Summary, outcome, reason string) audit.Event {
	detail := fmt.Sprintf("rows=%d imported=%d skipped=%d seconds=%.1f", sum.Rows, sum.Imported, sum.Skipped, sum.Duration.Seconds())
	if reason != "" {
		detail += " error=" + reason
	}
	target := "registry"
	if opt.Source != "" {
		target = "file:" + filepath.Base(opt.Source)
	}
	return audit.Event{ActorID: opt.ActorID, Actor: opt.Actor, Action: action, Target: target, Outcome: outcome, Detail: detail}
}

// auditFailure records a failed import. It runs on its own context: the
// import's may be the reason it failed.
func (s *Service) auditFailure(action string, opt ImportOptions, sum *Summary, cause error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	reason := "internal error"
	if e := errs.As(cause); e != nil && e.Kind != errs.KindInternal {
		reason = "invalid file"
	} else if errors.Is(cause, context.Canceled) {
		reason = "interrupted"
	}
	// A failure to record the failure must not hide the import's own error.
	_ = s.audit.Append(ctx, importEvent(action, opt, sum, audit.Failure, reason))
}

func newCSVReader(r io.Reader) *csv.Reader {
	cr := csv.NewReader(bufio.NewReaderSize(r, 1<<20))
	cr.ReuseRecord = true
	cr.FieldsPerRecord = -1 // rows are checked against the header, and reported, not fatal
	return cr
}

// readHeader returns a copy of the first record.
func readHeader(cr *csv.Reader) ([]string, error) {
	rec, err := cr.Read()
	switch {
	case errors.Is(err, io.EOF):
		return nil, errs.Invalid("file", "The file is empty: expected a header row naming the columns.")
	case err != nil:
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, errs.Invalid("file", "The header row is not valid CSV: "+pe.Err.Error()+".")
		}
		return nil, fmt.Errorf("read the header: %w", err)
	}
	return append([]string(nil), rec...), nil
}

// lastLine is the line of the last record read, for messages about what
// came after. The header has always been read by then.
func lastLine(cr *csv.Reader) int {
	line, _ := cr.FieldPos(0)
	return line
}
