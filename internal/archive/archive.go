// Package archive keeps and exports an organization's record of what was
// published in its name, as JSON Lines: its legal holds; every draft of the
// publishing workflow, every version with what the guard found in it, every
// decision (voided ones too), each publication with its attribution; and
// every status its people (staff and affiliated clinicians) wrote — edited,
// hidden or deleted — with their earlier versions. Statuses are deleted
// softly, so the export shows deleted content too; the only removal for
// good is the operator's retention purge (PurgeDeleted), which skips
// everyone under an organization's legal hold.
//
// Only an organization's owners and compliance officers may export or
// place and lift legal holds; every export, hold and purge is audited.
package archive

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/audit"
	"github.com/rounds-health/rounds/internal/directory"
	"github.com/rounds-health/rounds/internal/drafts"
	"github.com/rounds-health/rounds/internal/errs"
	"github.com/rounds-health/rounds/internal/id"
	"github.com/rounds-health/rounds/internal/social"
	"github.com/rounds-health/rounds/internal/store"
)

// Format names the shape of the lines; it changes when a field's meaning does.
const Format = "rounds-archive/1"

// Service exports archives.
type Service struct {
	db     *store.DB
	ids    *id.Generator
	dir    *directory.Service
	drafts *drafts.Service
	social *social.Service
	audit  *audit.Log
	now    func() time.Time
}

// NewService wires the archive.
func NewService(db *store.DB, ids *id.Generator, dir *directory.Service, d *drafts.Service, soc *social.Service, log *audit.Log) *Service {
	return &Service{db: db, ids: ids, dir: dir, drafts: d, social: soc, audit: log, now: time.Now}
}

// Export is an authorized export, ready to be written.
type Export struct {
	s   *Service
	org *directory.Organization
	by  *account.User
	at  time.Time
}

// Filename is a name for the exported file.
func (e *Export) Filename() string {
	return "rounds-archive-" + e.org.Slug + "-" + e.at.Format("20060102-150405") + ".jsonl"
}

// Export authorizes actor to export the organization's record (its owners
// and compliance officers) and audits the export.
func (s *Service) Export(ctx context.Context, actor account.Actor, orgID int64) (*Export, error) {
	o, err := s.ownerOrCompliance(ctx, actor, orgID, "archive.export", "export its archive")
	if err != nil {
		return nil, err
	}
	if err := s.audit.Append(ctx, audit.Event{ActorID: actor.User.ID, Actor: actor.User.Username, Action: "archive.export",
		Target: fmt.Sprintf("org:%d", o.ID), OnBehalfOf: "org:" + o.Slug, Outcome: audit.Success, Detail: Format}); err != nil {
		return nil, err
	}
	return &Export{s: s, org: o, by: actor.User, at: s.now().UTC()}, nil
}

// ownerOrCompliance loads the organization when actor is one of its owners
// or compliance officers (and not suspended); a refusal is audited as action.
func (s *Service) ownerOrCompliance(ctx context.Context, actor account.Actor, orgID int64, action, what string) (*directory.Organization, error) {
	u := actor.User
	if u == nil {
		return nil, errs.Unauthorized("Sign in first.")
	}
	o, err := s.dir.OrganizationRecord(ctx, orgID)
	if err != nil {
		return nil, err
	}
	if o == nil {
		return nil, errs.NotFound("No organization has this id.")
	}
	role, err := s.dir.RoleIn(ctx, o.ID, u.ID)
	if err != nil {
		return nil, err
	}
	if u.Suspended || (role != directory.Owner && role != directory.Compliance) {
		_ = s.audit.Append(ctx, audit.Event{ActorID: u.ID, Actor: u.Username, Action: action, Target: fmt.Sprintf("org:%d", o.ID),
			OnBehalfOf: "org:" + o.Slug, Outcome: audit.Denied, Detail: "needs owner or compliance"})
		return nil, errs.Forbidden("Only an owner or a compliance officer of " + o.Name + " can " + what + ".")
	}
	return o, nil
}

// The lines. Every line has a "type"; ids are decimal strings, times RFC
// 3339 in UTC. The last line is {"type": "end", …}: an export without it
// was cut short.

type personLine struct {
	ID       string `json:"id"`
	Username string `json:"username"`
	Name     string `json:"name"`
}

type orgLine struct {
	ID   string `json:"id"`
	Slug string `json:"slug"`
	Name string `json:"name"`
}

type headerLine struct {
	Type         string     `json:"type"` // archive
	Format       string     `json:"format"`
	Organization orgLine    `json:"organization"`
	ExportedBy   personLine `json:"exported_by"`
	ExportedAt   time.Time  `json:"exported_at"`
}

type draftLine struct {
	Type         string      `json:"type"` // draft
	DraftID      string      `json:"draft_id"`
	Author       personLine  `json:"author"`
	For          *personLine `json:"for"`
	State        string      `json:"state"`
	Version      int         `json:"version"`
	Schedule     string      `json:"schedule"`
	PublishAt    *time.Time  `json:"publish_at"`
	ScheduleNote string      `json:"schedule_note"`
	StatusID     *string     `json:"status_id"`
	CreatedAt    time.Time   `json:"created_at"`
	UpdatedAt    time.Time   `json:"updated_at"`
}

type findingLine struct {
	Field         string `json:"field"`
	Start         int    `json:"start"`
	End           int    `json:"end"`
	Type          string `json:"type"`
	Text          string `json:"text"`
	Explanation   string `json:"explanation"`
	Blocking      bool   `json:"blocking"`
	NeedsApproval bool   `json:"needs_approval"`
}

type versionLine struct {
	Type      string         `json:"type"` // version
	DraftID   string         `json:"draft_id"`
	Version   int            `json:"version"`
	Author    personLine     `json:"author"`
	Content   drafts.Content `json:"content"`
	Findings  []findingLine  `json:"findings"`
	Blocking  int            `json:"blocking"`
	CreatedAt time.Time      `json:"created_at"`
}

type decisionLine struct {
	Type            string     `json:"type"` // decision
	DecisionID      string     `json:"decision_id"`
	DraftID         string     `json:"draft_id"`
	Version         int        `json:"version"`
	Decision        string     `json:"decision"`
	By              personLine `json:"by"`
	Body            string     `json:"body"`
	VoidedAt        *time.Time `json:"voided_at"`
	VoidedByVersion int        `json:"voided_by_version,omitempty"`
	CreatedAt       time.Time  `json:"created_at"`
}

type publicationLine struct {
	Type       string       `json:"type"` // publication
	DraftID    string       `json:"draft_id"`
	Version    int          `json:"version"`
	StatusID   string       `json:"status_id"`
	PreparedBy personLine   `json:"prepared_by"`
	ApprovedBy []personLine `json:"approved_by"`
	OnBehalfOf orgLine      `json:"on_behalf_of"`
	Text       string       `json:"text"`
	CreatedAt  time.Time    `json:"created_at"`
}

type statusLine struct {
	Type        string     `json:"type"` // status
	StatusID    string     `json:"status_id"`
	AccountID   string     `json:"account_id"`
	Kind        string     `json:"kind"`
	Title       string     `json:"title"`
	SpoilerText string     `json:"spoiler_text"`
	Text        string     `json:"text"`
	Visibility  string     `json:"visibility"`
	Hidden      bool       `json:"hidden"`
	CreatedAt   time.Time  `json:"created_at"`
	EditedAt    *time.Time `json:"edited_at"`
	DeletedAt   *time.Time `json:"deleted_at"`
}

type statusEditLine struct {
	Type        string    `json:"type"` // status_edit: an earlier version of a status
	StatusID    string    `json:"status_id"`
	Title       string    `json:"title"`
	SpoilerText string    `json:"spoiler_text"`
	Text        string    `json:"text"`
	CreatedAt   time.Time `json:"created_at"`
}

type legalHoldLine struct {
	Type       string     `json:"type"` // legal_hold
	HoldID     string     `json:"hold_id"`
	Reason     string     `json:"reason"`
	PlacedBy   string     `json:"placed_by"`
	PlacedAt   time.Time  `json:"placed_at"`
	LiftedBy   *string    `json:"lifted_by"`
	LiftedAt   *time.Time `json:"lifted_at"`
	LiftReason string     `json:"lift_reason"`
}

type endLine struct {
	Type    string `json:"type"` // end
	Drafts  int    `json:"drafts"`
	Records int    `json:"records"` // lines before this one
}

func idStr(v int64) string { return strconv.FormatInt(v, 10) }

func optID(v int64) *string {
	if v == 0 {
		return nil
	}
	s := idStr(v)
	return &s
}

func optTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}

func person(p drafts.Person) personLine {
	return personLine{ID: idStr(p.ID), Username: p.Username, Name: p.Name}
}

// WriteTo writes the archive as JSON Lines, oldest draft first.
func (e *Export) WriteTo(ctx context.Context, w io.Writer) error {
	// One snapshot: a draft decided or a post deleted during a long export
	// shows either before or after the change, never half of each.
	return e.s.db.WithSnapshot(ctx, func(ctx context.Context) error { return e.write(ctx, w) })
}

func (e *Export) write(ctx context.Context, w io.Writer) error {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	lines, count := 0, 0
	put := func(v any) error {
		lines++
		return enc.Encode(v)
	}
	err := put(headerLine{Type: "archive", Format: Format, Organization: orgLine{ID: idStr(e.org.ID), Slug: e.org.Slug, Name: e.org.Name},
		ExportedBy: personLine{ID: idStr(e.by.ID), Username: e.by.Username, Name: e.by.Name()}, ExportedAt: e.at})
	if err != nil {
		return err
	}
	holds, err := e.s.holds(ctx, "org_id = ?", e.org.ID)
	if err != nil {
		return err
	}
	for _, h := range holds {
		if err := put(legalHoldLine{Type: "legal_hold", HoldID: idStr(h.ID), Reason: h.Reason, PlacedBy: idStr(h.PlacedBy),
			PlacedAt: h.PlacedAt, LiftedBy: optID(h.LiftedBy), LiftedAt: optTime(h.LiftedAt), LiftReason: h.LiftReason}); err != nil {
			return err
		}
	}
	written := map[int64]bool{}
	err = e.s.drafts.Records(ctx, e.org.ID, func(r drafts.Record) error {
		count++
		if r.Draft.StatusID != 0 {
			written[r.Draft.StatusID] = true
		}
		if err := e.writeRecord(ctx, put, r); err != nil {
			return err
		}
		return bw.Flush()
	})
	if err != nil {
		return err
	}
	if err := e.writePeoplesStatuses(ctx, put, written); err != nil {
		return err
	}
	if err := put(endLine{Type: "end", Drafts: count, Records: lines}); err != nil {
		return err
	}
	return bw.Flush()
}

func (e *Export) writeRecord(ctx context.Context, put func(any) error, r drafts.Record) error {
	d := r.Draft
	dl := draftLine{Type: "draft", DraftID: idStr(d.ID), Author: person(d.Author), State: string(d.State), Version: d.Version,
		Schedule: string(d.Schedule), PublishAt: optTime(d.PublishAt), ScheduleNote: d.ScheduleNote, StatusID: optID(d.StatusID),
		CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt}
	if d.For != nil {
		p := person(*d.For)
		dl.For = &p
	}
	if err := put(dl); err != nil {
		return err
	}
	for _, v := range r.Versions {
		vl := versionLine{Type: "version", DraftID: idStr(d.ID), Version: v.Number, Author: person(v.Author), Content: v.Content,
			Findings: []findingLine{}, Blocking: v.Blocking, CreatedAt: v.CreatedAt}
		for _, f := range v.Findings {
			vl.Findings = append(vl.Findings, findingLine(f))
		}
		if err := put(vl); err != nil {
			return err
		}
	}
	for _, dec := range r.Decisions {
		if err := put(decisionLine{Type: "decision", DecisionID: idStr(dec.ID), DraftID: idStr(d.ID), Version: dec.Version,
			Decision: string(dec.Kind), By: person(dec.Actor), Body: dec.Body, VoidedAt: optTime(dec.VoidedAt),
			VoidedByVersion: dec.VoidedByVersion, CreatedAt: dec.CreatedAt}); err != nil {
			return err
		}
	}
	if a := r.Attribution; a != nil {
		pl := publicationLine{Type: "publication", DraftID: idStr(d.ID), Version: a.Version, StatusID: idStr(a.StatusID),
			PreparedBy: person(a.PreparedBy), ApprovedBy: []personLine{}, Text: a.Text, CreatedAt: a.CreatedAt,
			OnBehalfOf: orgLine{ID: idStr(a.OnBehalfOf.ID), Slug: a.OnBehalfOf.Slug, Name: a.OnBehalfOf.Name}}
		for _, p := range a.ApprovedBy {
			pl.ApprovedBy = append(pl.ApprovedBy, person(p))
		}
		if err := put(pl); err != nil {
			return err
		}
	}
	if d.StatusID == 0 {
		return nil
	}
	return e.writeStatus(ctx, put, d.StatusID)
}

// writeStatus writes the published status as it stands, and its earlier versions.
func (e *Export) writeStatus(ctx context.Context, put func(any) error, statusID int64) error {
	list, edits, err := e.s.social.Records(ctx, []int64{statusID})
	if err != nil {
		return err
	}
	for _, st := range list {
		if err := put(statusLine{Type: "status", StatusID: idStr(st.ID), AccountID: idStr(st.AccountID), Kind: string(st.Kind),
			Title: st.Title, SpoilerText: st.Summary, Text: st.Source, Visibility: string(st.Visibility), Hidden: st.Hidden,
			CreatedAt: st.CreatedAt, EditedAt: optTime(st.EditedAt), DeletedAt: optTime(st.DeletedAt)}); err != nil {
			return err
		}
		for _, ed := range edits[st.ID] {
			if err := put(statusEditLine{Type: "status_edit", StatusID: idStr(st.ID), Title: ed.Title, SpoilerText: ed.Summary,
				Text: ed.Source, CreatedAt: ed.CreatedAt}); err != nil {
				return err
			}
		}
	}
	return nil
}

// writePeoplesStatuses writes what the organization's people (its staff and
// affiliated clinicians) published outside the workflow since they joined
// it: every status but direct messages, hidden or deleted ones too, with
// its earlier versions.
func (e *Export) writePeoplesStatuses(ctx context.Context, put func(any) error, written map[int64]bool) error {
	people, err := e.s.dir.MembersOf(ctx, e.org.ID)
	if err != nil {
		return err
	}
	for _, m := range people {
		var after int64
		for {
			ids, err := e.s.social.RecordIDsBy(ctx, m.UserID, m.Since, after, 200)
			if err != nil {
				return err
			}
			if len(ids) == 0 {
				break
			}
			for _, id := range ids {
				if !written[id] {
					written[id] = true
					if err := e.writeStatus(ctx, put, id); err != nil {
						return err
					}
				}
			}
			after = ids[len(ids)-1]
		}
	}
	return nil
}
