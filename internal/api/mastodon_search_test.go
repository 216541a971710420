package api_test

import (
	"context"
	"strings"
	"testing"

	"github.com/mattn/go-mastodon"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/testkit"
)

// TestGoMastodon_InstanceAndSearch reads the instance and searches through
// a third-party client library (github.com/mattn/go-mastodon), which decodes
// into its own types: a shape it does not expect fails here.
func TestGoMastodon_InstanceAndSearch(t *testing.T) {
	srv := testkit.Start(t)
	ctx := context.Background()
	client := func(name string) *mastodon.Client {
		testkit.NewPerson(t, srv.Accounts, name, account.Clinician)
		token, err := srv.Accounts.IssueToken(ctx, account.CLI, name, "read write follow")
		if err != nil {
			t.Fatal(err)
		}
		return mastodon.NewClient(&mastodon.Config{Server: srv.URL, AccessToken: token})
	}
	doc, fan := client("dr_gomasto"), client("fan_gomasto")
	anonymous := mastodon.NewClient(&mastodon.Config{Server: srv.URL})

	post, err := doc.PostStatus(ctx, &mastodon.Toot{Status: "Heart health tips #Cardiology", Visibility: "public"})
	if err != nil {
		t.Fatal(err)
	}
	secret, err := doc.PostStatus(ctx, &mastodon.Toot{Status: "Heart clinic notes for followers", Visibility: "private"})
	if err != nil {
		t.Fatal(err)
	}

	inst, err := anonymous.GetInstance(ctx)
	if err != nil {
		t.Fatalf("GetInstance: %v", err)
	}
	if inst.Title != "Rounds" || inst.URI != strings.TrimPrefix(srv.URL, "http://") || !strings.HasPrefix(inst.Version, "4.3.0") ||
		inst.Stats == nil || inst.Stats.UserCount != 2 || inst.Stats.StatusCount != 2 || inst.ContactAccount != nil {
		t.Fatalf("instance = %+v, stats %+v", inst, inst.Stats)
	}
	if c := inst.GetConfig(); c == nil || c.Statuses == nil || (*c.Statuses)["max_characters"] != 500.0 ||
		c.MediaAttachments["image_size_limit"] == nil || (*c.Polls)["max_options"] != 0.0 {
		t.Fatalf("configuration = %+v", c)
	}
	if inst.URLs["streaming_api"] != "ws://"+inst.URI {
		t.Fatalf("streaming = %q", inst.URLs["streaming_api"])
	}

	res, err := fan.Search(ctx, "heart", false)
	if err != nil {
		t.Fatalf("Search: %v", err)
	}
	if len(res.Statuses) != 1 || res.Statuses[0].ID != post.ID || len(res.Accounts) != 0 {
		t.Fatalf("a stranger's search for heart = %d statuses, %d accounts; want the public post only", len(res.Statuses), len(res.Accounts))
	}
	if _, err := fan.AccountFollow(ctx, post.Account.ID); err != nil {
		t.Fatal(err)
	}
	res, err = fan.Search(ctx, "heart", false)
	if err != nil || len(res.Statuses) != 2 || res.Statuses[0].ID != secret.ID {
		t.Fatalf("a follower's search for heart = %+v, %v; want both posts, newest first", res, err)
	}
	res, err = anonymous.Search(ctx, "cardio", false)
	if err != nil || len(res.Statuses) != 0 || len(res.Hashtags) != 1 || res.Hashtags[0].Name != "cardiology" ||
		res.Hashtags[0].URL != srv.URL+"/tags/cardiology" || len(res.Hashtags[0].History) != 7 || res.Hashtags[0].History[0].Uses != "1" {
		t.Fatalf("an anonymous search for cardio = %+v, %v", res, err)
	}
	res, err = anonymous.Search(ctx, "@dr_goMasto", false)
	if err != nil || len(res.Accounts) != 1 || res.Accounts[0].ID != post.Account.ID || res.Accounts[0].StatusesCount != 2 {
		t.Fatalf("an anonymous search for @dr_goMasto = %+v, %v", res, err)
	}
	if _, err := anonymous.Search(ctx, "heart", true); err == nil || !strings.Contains(err.Error(), "resolve remote resources") {
		t.Fatalf("an anonymous search with resolve = %v; want Mastodon's 401", err)
	}
}
