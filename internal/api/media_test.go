package api_test

import (
	"bytes"
	"encoding/json"
	"image"
	"image/color"
	"image/jpeg"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/testkit"
)

// jpegWithGPS makes a small JPEG carrying an EXIF segment with GPS tags,
// as a phone photo would.
func jpegWithGPS(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 40, 30))
	for x := range 40 {
		img.Set(x, x%30, color.RGBA{200, 30, 30, 255})
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	payload := append([]byte("Exif\x00\x00"), []byte("MM\x00*GPSLatitude 42.3601 GPSLongitude -71.0589 Make PhonePhone")...)
	seg := []byte{0xFF, 0xE1, byte((len(payload) + 2) >> 8), byte(len(payload) + 2)}
	raw := b.Bytes()
	return append(append(append([]byte{}, raw[:2]...), append(seg, payload...)...), raw[2:]...)
}

func upload(t *testing.T, srv *testkit.Server, token string, file []byte, description string) (int, map[string]any) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "photo.jpg")
	fw.Write(file)
	mw.WriteField("description", description)
	mw.Close()
	req, _ := http.NewRequest("POST", srv.URL+"/api/v2/media", &body)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, raw := srv.Do(t, srv.Client(), req)
	var m map[string]any
	_ = json.Unmarshal([]byte(raw), &m)
	return resp.StatusCode, m
}

func TestMedia_ReencodedWithoutMetadataAndAttached(t *testing.T) {
	srv := testkit.Start(t)
	testkit.NewPerson(t, srv.Accounts, "dr_photo", account.Clinician)
	token, _ := srv.Accounts.IssueToken(t.Context(), account.CLI, "dr_photo", "read write")
	photo := jpegWithGPS(t)
	if !bytes.Contains(photo, []byte("GPSLatitude")) {
		t.Fatal("the test photo lacks its GPS tags")
	}
	status, m := upload(t, srv, token, photo, "A flu-shot clinic sign")
	if status != 200 || m["type"] != "image" || m["description"] != "A flu-shot clinic sign" {
		t.Fatalf("upload = %d %v", status, m)
	}
	resp, served := srv.Get(t, srv.Client(), strings.TrimPrefix(m["url"].(string), srv.URL))
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/jpeg" {
		t.Fatalf("GET the image = %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	for _, leak := range []string{"Exif", "GPSLatitude", "PhonePhone"} {
		if strings.Contains(served, leak) {
			t.Fatalf("the served image still contains %q", leak)
		}
	}
	if _, err := jpeg.Decode(strings.NewReader(served)); err != nil {
		t.Fatalf("the served image is not a JPEG: %v", err)
	}
	// Bad uploads: a 4xx and no row left behind.
	if status, m := upload(t, srv, token, []byte("<?php echo 1;"), ""); status != http.StatusUnprocessableEntity || !strings.Contains(m["error"].(string), "JPEG, PNG") {
		t.Fatalf("a non-image = %d %v", status, m)
	}
	if status, _ := upload(t, srv, token, bytes.Repeat([]byte{0xFF}, 11<<20), ""); status != http.StatusRequestEntityTooLarge {
		t.Fatalf("an 11 MB upload = %d; want 413", status)
	}
	// Attach it to a post.
	req, _ := http.NewRequest("POST", srv.URL+"/api/v1/statuses", strings.NewReader(`{"status":"Clinic today","media_ids":["`+m["id"].(string)+`"]}`))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, raw := srv.Do(t, srv.Client(), req)
	var st map[string]any
	_ = json.Unmarshal([]byte(raw), &st)
	atts, _ := st["media_attachments"].([]any)
	if resp.StatusCode != 200 || len(atts) != 1 {
		t.Fatalf("post with media = %d %s", resp.StatusCode, raw)
	}
	// Attaching it twice is refused.
	req, _ = http.NewRequest("POST", srv.URL+"/api/v1/statuses", strings.NewReader(`{"status":"Again","media_ids":["`+m["id"].(string)+`"]}`))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	if resp, _ := srv.Do(t, srv.Client(), req); resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("re-attaching = %d; want 422", resp.StatusCode)
	}
}
