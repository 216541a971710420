// Package demo fills an empty database with a small, realistic network so
// that a newcomer running `rounds serve --demo` sees a living site. It goes
// through the services, like any other writer, so the demo data obeys every
// rule (and appears in the audit log). Every later capability extends it.
//
// The people and organizations are invented; any likeness is chance.
package demo

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/consent"
	"github.com/rounds-health/rounds/internal/directory"
	"github.com/rounds-health/rounds/internal/drafts"
	"github.com/rounds-health/rounds/internal/publish"
	"github.com/rounds-health/rounds/internal/registry"
	"github.com/rounds-health/rounds/internal/social"
)

type person struct {
	username, name, bio string
	role                account.Role
}

var people = []person{
	{"ops_admin", "Rounds Operations", "Runs this Rounds instance.", account.Admin},
	{"mod_jordan", "Jordan Ellis", "Community moderator. Keeps discussions kind and on topic.", account.Moderator},
	{"dr_amara_osei", "Dr. Amara Osei, MD", "Cardiologist at Harborview Heart Institute. Heart failure, prevention, and plain-language explanations of what your numbers mean.", account.Clinician},
	{"dr_lucas_moreau", "Dr. Lucas Moreau, DO", "Family medicine at Maple Street Family Clinic. Whole-family care, vaccines, and chronic disease management.", account.Clinician},
	{"dr_priya_raman", "Dr. Priya Raman, MD", "Pediatric endocrinologist at Riverside Children's Hospital. Type 1 diabetes, growth, and puberty questions.", account.Clinician},
	{"nina_kowalski_np", "Nina Kowalski, NP", "Nurse practitioner in women's health at Maple Street Family Clinic.", account.Clinician},
	{"dr_samuel_adeyemi", "Dr. Samuel Adeyemi, MD", "Orthopedic surgeon, sports medicine. Knees, shoulders and getting back to running.", account.Clinician},
	{"harborview_social", "Harborview Heart Institute — Communications", "The communications team of Harborview Heart Institute, a 120-bed cardiac hospital.", account.Staff},
	{"harborview_tessa", "Tessa Morgan", "Social-media specialist at Harborview Heart Institute: prepares the institute's posts and its clinicians'.", account.Staff},
	{"harborview_marcus", "Marcus Bell", "Compliance officer at Harborview Heart Institute: reviews what the institute and its clinicians publish.", account.Staff},
	{"maple_street_team", "Maple Street Family Clinic — Front Office", "Family clinic serving the east side since 1998. Same-day appointments on weekdays.", account.Staff},
	{"riverside_kids", "Riverside Children's Hospital — Community Team", "News and health tips from Riverside Children's Hospital.", account.Staff},
	{"runner_beth", "Beth", "Marathoner recovering from a knee injury.", account.Patient},
	{"type1_dad", "Marco", "Dad of a kid with type 1 diabetes. Learning as we go.", account.Patient},
	{"healthy_at_70", "June", "Retired teacher. Interested in heart health and staying active.", account.Patient},
}

// Result says what Seed did.
type Result struct {
	Created  int
	Password string // the password every demo account shares; shown once to the operator
	Admin    string
}

// Services are the services the demo writes through.
type Services struct {
	Accounts  *account.Service
	Directory *directory.Service
	Registry  *registry.Service
	Social    *social.Service
	Publish   *publish.Service
	Drafts    *drafts.Service
	Consent   *consent.Service
}

// Seed fills the database if it has no accounts; otherwise it does nothing.
// password may be empty, in which case a random one is made.
func Seed(ctx context.Context, svc Services, password string) (Result, error) {
	accounts := svc.Accounts
	n, err := accounts.CountUsers(ctx)
	if err != nil {
		return Result{}, err
	}
	if n > 0 {
		return Result{}, nil
	}
	if password == "" {
		b := make([]byte, 12)
		_, _ = rand.Read(b)
		password = "demo-" + base64.RawURLEncoding.EncodeToString(b)
	}
	res := Result{Password: password, Admin: people[0].username}
	for _, p := range people {
		_, err := accounts.CreateUser(ctx, account.Actor{Via: "demo"}, account.NewUser{
			Username: p.username, Email: p.username + "@demo.rounds.invalid", Password: password,
			DisplayName: p.name, Bio: p.bio, Role: p.role, AgeAttested: true,
		})
		if err != nil {
			return res, fmt.Errorf("demo account %s: %w", p.username, err)
		}
		res.Created++
	}
	if err := seedRegistry(ctx, svc.Registry); err != nil {
		return res, fmt.Errorf("demo registry: %w", err)
	}
	if err := seedDirectory(ctx, accounts, svc.Directory); err != nil {
		return res, fmt.Errorf("demo directory: %w", err)
	}
	if err := seedSocial(ctx, accounts, svc.Social, svc.Publish); err != nil {
		return res, fmt.Errorf("demo posts: %w", err)
	}
	if err := seedWorkflow(ctx, svc); err != nil {
		return res, fmt.Errorf("demo publishing workflow: %w", err)
	}
	return res, nil
}
