package demo

import (
	"context"
	"fmt"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/publish"
	"github.com/rounds-health/rounds/internal/social"
)

type demoPost struct {
	author, text string
	kind         social.Kind
	title        string
	replyTo      int // index of an earlier post, -1 for none
	visibility   social.Visibility
}

var posts = []demoPost{
	{"dr_amara_osei", "Blood pressure tip: measure at the same time each day, seated, arm at heart level, after five quiet minutes. Bring your log to your next visit. #hearthealth #hypertension", social.Note, "", -1, social.Public},
	{"harborview_social", "Our cardiac rehab program now runs evening sessions on Tuesdays and Thursdays. Ask your cardiologist whether it fits your recovery. #hearthealth", social.Note, "", -1, social.Public},
	{"healthy_at_70", "Is a home blood pressure cuff on the wrist as good as one on the upper arm?", social.Note, "", 0, social.Public},
	{"dr_amara_osei", "@healthy_at_70 Upper-arm cuffs are usually more reliable. If you use a wrist cuff, keep your wrist at heart level while it measures.", social.Note, "", 2, social.Public},
	{"dr_lucas_moreau", "Flu shots are in at Maple Street. Walk-ins welcome weekday mornings; no appointment needed. #vaccines #flu", social.Note, "", -1, social.Public},
	{"dr_priya_raman", "A short checklist for families:\n\n- a written **diabetes care plan** for the school nurse\n- snacks and glucose tablets in the backpack\n- who to call, and when\n\nQuestions are welcome in the replies.", social.Article, "Back to school with type 1 diabetes", -1, social.Public},
	{"type1_dad", "Thank you, this checklist helps. Our school asked for a plan last year and we were not sure what to include.", social.Note, "", 5, social.Public},
	{"riverside_kids", "Free car-seat checks this Saturday, 9–12, at the Riverside campus main entrance. #childsafety", social.Note, "", -1, social.Public},
	{"dr_samuel_adeyemi", "Runners: increase weekly distance by about 10% at most, and take knee pain that lasts more than a few days seriously. #running #sportsmedicine", social.Note, "", -1, social.Members},
}

// seedSocial has the demo people follow each other and talk, through the
// publishing service like any writer.
func seedSocial(ctx context.Context, accounts *account.Service, soc *social.Service, pub *publish.Service) error {
	user := func(name string) (*account.User, error) { return accounts.UserByUsername(ctx, name) }
	follows := map[string][]string{
		"healthy_at_70": {"dr_amara_osei", "harborview_social"}, "type1_dad": {"dr_priya_raman", "riverside_kids"},
		"runner_beth": {"dr_samuel_adeyemi", "dr_lucas_moreau"}, "dr_lucas_moreau": {"dr_amara_osei"},
	}
	for who, targets := range follows {
		u, err := user(who)
		if err != nil {
			return err
		}
		for _, t := range targets {
			target, err := user(t)
			if err != nil {
				return err
			}
			if _, err := soc.Follow(ctx, u, target.ID); err != nil {
				return fmt.Errorf("%s follows %s: %w", who, t, err)
			}
		}
	}
	var ids []int64
	for _, p := range posts {
		u, err := user(p.author)
		if err != nil {
			return err
		}
		in := social.NewStatus{Text: p.text, Kind: p.kind, Title: p.title, Visibility: p.visibility}
		if p.replyTo >= 0 {
			in.InReplyToID = ids[p.replyTo]
		}
		res, err := pub.Submit(ctx, account.Actor{User: u, Via: "demo"}, in)
		if err != nil {
			return fmt.Errorf("post by %s: %w", p.author, err)
		}
		ids = append(ids, res.Status.ID)
	}
	beth, err := user("runner_beth")
	if err != nil {
		return err
	}
	if _, err := soc.Favourite(ctx, beth, ids[4]); err != nil {
		return err
	}
	_, err = soc.Reblog(ctx, beth, ids[4])
	return err
}
