package api

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/rounds-health/rounds/internal/errs"
	"github.com/rounds-health/rounds/internal/media"
)

// Mastodon's MediaAttachment entity.
type mediaJSON struct {
	ID          string    `json:"id"`
	Type        string    `json:"type"`
	URL         string    `json:"url"`
	PreviewURL  string    `json:"preview_url"`
	RemoteURL   *string   `json:"remote_url"`
	TextURL     *string   `json:"text_url"`
	Meta        mediaMeta `json:"meta"`
	Description *string   `json:"description"`
	Blurhash    *string   `json:"blurhash"`
}

type mediaMeta struct {
	Original mediaSize `json:"original"`
	Small    mediaSize `json:"small"`
}

type mediaSize struct {
	Width  int     `json:"width"`
	Height int     `json:"height"`
	Size   string  `json:"size"`
	Aspect float64 `json:"aspect"`
}

func toMediaJSON(r *http.Request, m *media.Attachment) mediaJSON {
	u := origin(r) + "/media/" + m.FileName
	size := mediaSize{Width: m.Width, Height: m.Height, Size: strconv.Itoa(m.Width) + "x" + strconv.Itoa(m.Height),
		Aspect: float64(m.Width) / float64(m.Height)}
	j := mediaJSON{ID: strconv.FormatInt(m.ID, 10), Type: "image", URL: u, PreviewURL: u, Meta: mediaMeta{Original: size, Small: size}}
	if m.Description != "" {
		d := m.Description
		j.Description = &d
	}
	return j
}

func (a *API) mediaRoutes(mux *http.ServeMux) {
	mux.HandleFunc("POST /api/v2/media", a.auth("write:media", a.uploadMedia))
	mux.HandleFunc("POST /api/v1/media", a.auth("write:media", a.uploadMedia))
	mux.HandleFunc("GET /api/v1/media/{id}", a.auth("write:media", a.getMedia))
	mux.HandleFunc("PUT /api/v1/media/{id}", a.auth("write:media", a.describeMedia))
}

// uploadMedia takes a multipart "file" and optional "description".
func (a *API) uploadMedia(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseMultipartForm(media.MaxBytes + 1<<20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeJSON(w, http.StatusRequestEntityTooLarge, errorBody{Error: "Images are at most 10 MB."})
			return
		}
		writeJSON(w, http.StatusUnprocessableEntity, errorBody{Error: "Validation failed: send the image as multipart/form-data in the field \"file\"."})
		return
	}
	f, _, err := r.FormFile("file")
	if err != nil {
		writeError(w, r, a.Log, errs.Invalid("file", "Attach the image in the field \"file\"."))
		return
	}
	defer f.Close()
	m, err := a.Media.Upload(r.Context(), grantOf(r.Context()).user, f, r.FormValue("description"))
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	writeJSON(w, http.StatusOK, toMediaJSON(r, m))
}

func (a *API) getMedia(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	var m *media.Attachment
	if err == nil {
		m, err = a.Media.Get(r.Context(), grantOf(r.Context()).user, id)
	}
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	writeJSON(w, http.StatusOK, toMediaJSON(r, m))
}

func (a *API) describeMedia(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	var p map[string]string
	if err == nil {
		var ok bool
		if p, ok = a.params(w, r); !ok {
			return
		}
	}
	var m *media.Attachment
	if err == nil {
		m, err = a.Media.Describe(r.Context(), grantOf(r.Context()).user, id, p["description"])
	}
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	writeJSON(w, http.StatusOK, toMediaJSON(r, m))
}
