// Package media owns uploaded images: it checks and re-encodes every upload
// (so that EXIF and GPS metadata never leave the uploader's device, and a
// file is exactly the image it claims to be), stores it under --data/media,
// and records who owns it, its alt text and the status that carries it.
//
// It never serves an upload as it came in, and it never writes a row for a
// file it could not store, nor leaves a file without its row.
package media

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"image"
	"image/draw"
	_ "image/gif" // decoders registered for image.Decode
	"image/jpeg"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	_ "golang.org/x/image/webp"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/errs"
	"github.com/rounds-health/rounds/internal/id"
	"github.com/rounds-health/rounds/internal/input"
	"github.com/rounds-health/rounds/internal/store"
)

// Limits of an upload.
const (
	MaxBytes       = 10 << 20 // 10 MiB as uploaded
	MaxPixels      = 40_000_000
	MaxSide        = 10_000
	MaxDescription = 1500
	MaxPerStatus   = 4
)

// Attachment is an uploaded image.
type Attachment struct {
	ID          int64
	AccountID   int64
	StatusID    int64
	FileName    string // under the media directory
	MimeType    string
	Width       int
	Height      int
	Size        int64
	Description string
	CreatedAt   time.Time
}

// Service stores and describes images.
type Service struct {
	db  *store.DB
	dir string
	ids *id.Generator
	now func() time.Time
}

// NewService keeps files under dir (created if missing).
func NewService(db *store.DB, dir string, ids *id.Generator) (*Service, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("media directory: %w", err)
	}
	return &Service{db: db, dir: dir, ids: ids, now: time.Now}, nil
}

// Dir is where the files are.
func (s *Service) Dir() string { return s.dir }

// Upload checks, re-encodes and stores an image for owner.
func (s *Service) Upload(ctx context.Context, owner *account.User, r io.Reader, description string) (*Attachment, error) {
	if owner == nil {
		return nil, errs.Unauthorized("Sign in first.")
	}
	if err := checkDescription(description); err != nil {
		return nil, err
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxBytes+1))
	if err != nil {
		return nil, errs.Invalid("file", "The file could not be read; try again.")
	}
	if len(data) > MaxBytes {
		return nil, errs.Invalid("file", fmt.Sprintf("Images are at most %d MB.", MaxBytes>>20))
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, errs.Invalid("file", "This is not an image we accept: upload a JPEG, PNG, GIF or WebP picture.")
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width > MaxSide || cfg.Height > MaxSide || cfg.Width*cfg.Height > MaxPixels {
		return nil, errs.Invalid("file", fmt.Sprintf("The image is %d×%d pixels; images are at most %d pixels on a side and %d megapixels.",
			cfg.Width, cfg.Height, MaxSide, MaxPixels/1_000_000))
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, errs.Invalid("file", "The image is damaged and could not be read.")
	}
	// Re-encoding writes only pixels: no EXIF, GPS, comments or trailing data.
	var out bytes.Buffer
	a := &Attachment{ID: s.ids.Next(), AccountID: owner.ID, Width: cfg.Width, Height: cfg.Height,
		Description: strings.TrimSpace(description), CreatedAt: s.now().UTC()}
	switch format {
	case "jpeg", "webp":
		rgba := image.NewRGBA(img.Bounds())
		draw.Draw(rgba, rgba.Bounds(), img, img.Bounds().Min, draw.Src)
		err, a.MimeType, a.FileName = jpeg.Encode(&out, rgba, &jpeg.Options{Quality: 88}), "image/jpeg", fmt.Sprintf("%d.jpg", a.ID)
	default: // png, gif (first frame)
		err, a.MimeType, a.FileName = png.Encode(&out, img), "image/png", fmt.Sprintf("%d.png", a.ID)
	}
	if err != nil {
		return nil, errs.Internal(err, "re-encode image")
	}
	a.Size = int64(out.Len())
	if err := s.writeFile(a.FileName, out.Bytes()); err != nil {
		return nil, errs.Internal(err, "store image")
	}
	if err := s.insert(ctx, a); err != nil {
		_ = os.Remove(filepath.Join(s.dir, a.FileName)) // no file without its row
		return nil, errs.Internal(err, "record image")
	}
	return a, nil
}

// writeFile writes atomically: a temporary file renamed into place.
func (s *Service) writeFile(name string, data []byte) error {
	tmp, err := os.CreateTemp(s.dir, ".upload-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), filepath.Join(s.dir, name))
}

func checkDescription(d string) error {
	if m := input.Problem(d); m != "" {
		return errs.Invalid("description", m)
	}
	if utf8.RuneCountInString(d) > MaxDescription {
		return errs.Invalid("description", fmt.Sprintf("Alt text is at most %d characters.", MaxDescription))
	}
	return nil
}

// Describe changes the alt text of an image the owner has not attached yet.
func (s *Service) Describe(ctx context.Context, owner *account.User, id int64, description string) (*Attachment, error) {
	if err := checkDescription(description); err != nil {
		return nil, err
	}
	a, err := s.Get(ctx, owner, id)
	if err != nil {
		return nil, err
	}
	if a.StatusID != 0 {
		return nil, errs.Invalid("description", "This image is already published; edit the post instead.")
	}
	a.Description = strings.TrimSpace(description)
	if _, err := s.db.Exec(ctx, "UPDATE media_attachments SET description = ? WHERE id = ?", a.Description, a.ID); err != nil {
		return nil, errs.Internal(err, "describe image")
	}
	return a, nil
}

// Get returns one of the owner's images.
func (s *Service) Get(ctx context.Context, owner *account.User, id int64) (*Attachment, error) {
	as, err := s.byIDs(ctx, []int64{id})
	if err != nil {
		return nil, errs.Internal(err, "load image")
	}
	if len(as) == 0 || owner == nil || as[0].AccountID != owner.ID {
		return nil, errs.NotFound("Record not found")
	}
	return as[0], nil
}

// ForAttach loads the images an author is about to attach, checking that
// they are theirs and not yet attached; publish runs the guard on their alt text.
func (s *Service) ForAttach(ctx context.Context, owner *account.User, ids []int64) ([]*Attachment, error) {
	if len(ids) > MaxPerStatus {
		return nil, errs.Invalid("media_ids", fmt.Sprintf("Attach at most %d images to a post.", MaxPerStatus))
	}
	as, err := s.byIDs(ctx, ids)
	if err != nil {
		return nil, errs.Internal(err, "load images")
	}
	if len(as) != len(ids) {
		return nil, errs.Invalid("media_ids", "One of the images does not exist; upload it again.")
	}
	for _, a := range as {
		if a.AccountID != owner.ID {
			return nil, errs.Invalid("media_ids", "One of the images is not yours.")
		}
		if a.StatusID != 0 {
			return nil, errs.Invalid("media_ids", "One of the images is already attached to another post.")
		}
	}
	return as, nil
}

// Attach links images to a status, inside the caller's transaction.
func (s *Service) Attach(ctx context.Context, ids []int64, statusID int64) error {
	for _, mid := range ids {
		res, err := s.db.Exec(ctx, "UPDATE media_attachments SET status_id = ? WHERE id = ? AND status_id IS NULL", statusID, mid)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return errs.Invalid("media_ids", "One of the images was attached to another post meanwhile.")
		}
	}
	return nil
}

// ForStatuses returns the images of statuses, by status, in upload order.
func (s *Service) ForStatuses(ctx context.Context, statusIDs []int64) (map[int64][]*Attachment, error) {
	out := map[int64][]*Attachment{}
	if len(statusIDs) == 0 {
		return out, nil
	}
	args := make([]any, len(statusIDs))
	for i, v := range statusIDs {
		args[i] = v
	}
	as, err := s.query(ctx, "SELECT "+columns+" FROM media_attachments WHERE status_id IN ("+
		strings.TrimSuffix(strings.Repeat("?, ", len(args)), ", ")+") ORDER BY id", args...)
	if err != nil {
		return nil, errs.Internal(err, "load images")
	}
	for _, a := range as {
		out[a.StatusID] = append(out[a.StatusID], a)
	}
	return out, nil
}

// File opens a stored file by name for serving; it refuses any name that
// is not one of ours.
func (s *Service) File(name string) (*os.File, string, error) {
	if strings.ContainsAny(name, `/\`) || strings.HasPrefix(name, ".") {
		return nil, "", errs.NotFound("Record not found")
	}
	mime := map[string]string{".jpg": "image/jpeg", ".png": "image/png"}[filepath.Ext(name)]
	if mime == "" {
		return nil, "", errs.NotFound("Record not found")
	}
	f, err := os.Open(filepath.Join(s.dir, name))
	if errors.Is(err, os.ErrNotExist) {
		return nil, "", errs.NotFound("Record not found")
	}
	return f, mime, err
}

const columns = "id, account_id, status_id, file_name, mime_type, width, height, size_bytes, description, created_at"

func (s *Service) insert(ctx context.Context, a *Attachment) error {
	_, err := s.db.Exec(ctx, `INSERT INTO media_attachments (id, account_id, file_name, mime_type, width, height, size_bytes,
		description, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, a.ID, a.AccountID, a.FileName, a.MimeType, a.Width,
		a.Height, a.Size, a.Description, a.CreatedAt.UnixMilli())
	return err
}

func (s *Service) byIDs(ctx context.Context, ids []int64) ([]*Attachment, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	args := make([]any, len(ids))
	for i, v := range ids {
		args[i] = v
	}
	return s.query(ctx, "SELECT "+columns+" FROM media_attachments WHERE id IN ("+
		strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", ")+") ORDER BY id", args...)
}

func (s *Service) query(ctx context.Context, q string, args ...any) ([]*Attachment, error) {
	rows, err := s.db.Query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Attachment
	for rows.Next() {
		var a Attachment
		var status sql.NullInt64
		var created int64
		if err := rows.Scan(&a.ID, &a.AccountID, &status, &a.FileName, &a.MimeType, &a.Width, &a.Height, &a.Size,
			&a.Description, &created); err != nil {
			return nil, err
		}
		a.StatusID, a.CreatedAt = status.Int64, time.UnixMilli(created).UTC()
		out = append(out, &a)
	}
	return out, rows.Err()
}
