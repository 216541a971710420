package api_test

import (
	"context"
	"html"
	"regexp"
	"strings"
	"testing"

	"github.com/mattn/go-mastodon"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/testkit"
)

// TestGoMastodon_Journey drives the server with a third-party Mastodon
// client library (github.com/mattn/go-mastodon): register an app, obtain a
// token through OAuth, post, reply, follow, read
// the home timeline, favourite, share, read a thread.
func TestGoMastodon_Journey(t *testing.T) {
	srv := testkit.Start(t)
	ctx := context.Background()
	// Each person registers the app and grants it a token through the
	// OAuth consent page, as with any Mastodon client.
	client := func(name string, role account.Role) (*mastodon.Client, *testkit.Person) {
		p := testkit.NewPerson(t, srv.Accounts, name, role)
		browser := srv.Client()
		srv.SignIn(t, browser, p)
		app, err := mastodon.RegisterApp(ctx, &mastodon.AppConfig{Server: srv.URL, ClientName: "journey", Scopes: "read write follow"})
		if err != nil {
			t.Fatalf("RegisterApp: %v", err)
		}
		_, page := consent(t, srv, browser, app.AuthURI, "authorize")
		m := regexp.MustCompile(`id="oauth-code" value="([^"]+)"`).FindStringSubmatch(page)
		if m == nil {
			t.Fatalf("no authorization code on the consent page:\n%s", page)
		}
		c := mastodon.NewClient(&mastodon.Config{Server: srv.URL, ClientID: app.ClientID, ClientSecret: app.ClientSecret})
		if err := c.AuthenticateToken(ctx, html.UnescapeString(m[1]), app.RedirectURI); err != nil {
			t.Fatalf("AuthenticateToken: %v", err)
		}
		return c, p
	}
	doc, _ := client("dr_client", account.Clinician)
	fan, _ := client("fan_client", account.Clinician)

	me, err := doc.GetAccountCurrentUser(ctx)
	if err != nil || me.Username != "dr_client" {
		t.Fatalf("verify_credentials = %+v, %v", me, err)
	}
	post, err := doc.PostStatus(ctx, &mastodon.Toot{Status: "Flu shots are in. #vaccines", Visibility: "public"})
	if err != nil || !strings.Contains(post.Content, "Flu shots are in.") || len(post.Tags) != 1 || post.Tags[0].Name != "vaccines" {
		t.Fatalf("post = %+v, %v", post, err)
	}
	rel, err := fan.AccountFollow(ctx, me.ID)
	if err != nil || !rel.Following {
		t.Fatalf("follow = %+v, %v", rel, err)
	}
	home, err := fan.GetTimelineHome(ctx, nil)
	if err != nil || len(home) != 1 || home[0].ID != post.ID || home[0].Account.ID != me.ID {
		t.Fatalf("home timeline = %+v, %v", home, err)
	}
	reply, err := fan.PostStatus(ctx, &mastodon.Toot{Status: "@dr_client Thanks! Walk-ins?", InReplyToID: post.ID, Visibility: "public"})
	if err != nil || reply.InReplyToID != string(post.ID) || len(reply.Mentions) != 1 {
		t.Fatalf("reply = %+v, %v", reply, err)
	}
	fav, err := fan.Favourite(ctx, post.ID)
	if err != nil || fav.Favourited != true || fav.FavouritesCount != 1 {
		t.Fatalf("favourite = %+v, %v", fav, err)
	}
	rb, err := fan.Reblog(ctx, post.ID)
	if err != nil || rb.Reblog == nil || rb.Reblog.ID != post.ID {
		t.Fatalf("reblog = %+v, %v", rb, err)
	}
	thread, err := doc.GetStatusContext(ctx, post.ID)
	if err != nil || len(thread.Descendants) != 1 || thread.Descendants[0].ID != reply.ID {
		t.Fatalf("context = %+v, %v", thread, err)
	}
	pub, err := fan.GetTimelinePublic(ctx, true, nil)
	if err != nil || len(pub) != 2 {
		t.Fatalf("public timeline = %d statuses, %v; want the post and the reply", len(pub), err)
	}
	// Mastodon-style errors reach the client with their message.
	_, err = doc.PostStatus(ctx, &mastodon.Toot{Status: strings.Repeat("x", 501)})
	if err == nil || !strings.Contains(err.Error(), "at most 500 characters") {
		t.Fatalf("an over-long post = %v", err)
	}
	_, err = doc.AccountFollow(ctx, me.ID)
	if err == nil || !strings.Contains(err.Error(), "yourself") {
		t.Fatalf("following oneself = %v", err)
	}
}
