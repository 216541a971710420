package demo

import (
	"context"
	"fmt"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/directory"
	"github.com/rounds-health/rounds/internal/registry"
)

type demoOrg struct {
	owner string
	in    directory.OrgInput
	locs  []directory.LocationInput
}

var orgs = []demoOrg{
	{"harborview_social", directory.OrgInput{Name: "Harborview Heart Institute", Kind: directory.Hospital, Phone: "(617) 555-0142",
		Website:     "https://harborview.example.org",
		Description: "A 120-bed cardiac hospital on the Boston waterfront: heart failure, rhythm disorders, cardiac surgery and rehabilitation."},
		[]directory.LocationInput{{Name: "Main campus", Street: "300 Harbor Street", City: "Boston", State: "MA", PostalCode: "02210",
			Phone: "(617) 555-0142", Hours: "Clinics Mon–Fri 8:00–18:00; emergency 24/7", Coordinates: "42.3467,-71.0400"}}},
	{"maple_street_team", directory.OrgInput{Name: "Maple Street Family Clinic", Kind: directory.Clinic, Phone: "(617) 555-0199",
		Website:     "https://maplestreet.example.org",
		Description: "Family medicine for all ages on the east side since 1998. Same-day appointments on weekdays; Spanish and Portuguese spoken."},
		[]directory.LocationInput{{Name: "Maple Street", Street: "18 Maple Street", City: "Somerville", State: "MA", PostalCode: "02143",
			Phone: "(617) 555-0199", Hours: "Mon–Fri 7:30–19:00, Sat 9:00–13:00", Coordinates: "42.3876,-71.0995"}}},
	{"riverside_kids", directory.OrgInput{Name: "Riverside Children's Hospital", Kind: directory.Hospital, Phone: "(617) 555-0110",
		Website:     "https://riverside-kids.example.org",
		Description: "Pediatric hospital: newborn to 21. Diabetes and endocrinology center, pediatric emergency, family support."},
		[]directory.LocationInput{{Name: "Riverside campus", Street: "2 Riverside Drive", City: "Cambridge", State: "MA", PostalCode: "02139",
			Phone: "(617) 555-0110", Hours: "24/7", Coordinates: "42.3626,-71.1030"}}},
}

type demoProfile struct {
	username, first, last, creds string
	specialties, languages       []string
	conditions                   []string
	org                          string // slug of the affiliated organization
	title                        string
	verify, accepting            bool
	npiStem                      string
}

var profiles = []demoProfile{
	{"dr_amara_osei", "Amara", "Osei", "MD, FACC", []string{"207RC0000X"}, []string{"en", "fr"},
		[]string{"heart failure", "hypertension", "preventive cardiology"}, "harborview-heart-institute", "Staff cardiologist", true, true, "190000001"},
	{"dr_lucas_moreau", "Lucas", "Moreau", "DO", []string{"207Q00000X"}, []string{"en", "es", "pt"},
		[]string{"diabetes", "vaccines", "asthma"}, "maple-street-family-clinic", "Family physician", true, true, "190000002"},
	{"dr_priya_raman", "Priya", "Raman", "MD", []string{"2080P0205X"}, []string{"en", "hi"},
		[]string{"type 1 diabetes", "growth disorders", "puberty"}, "riverside-childrens-hospital", "Pediatric endocrinologist", true, false, "190000003"},
	{"nina_kowalski_np", "Nina", "Kowalski", "NP", []string{"363LW0102X"}, []string{"en", "pl"},
		[]string{"contraception", "menopause", "prenatal care"}, "maple-street-family-clinic", "Nurse practitioner", false, true, "190000004"},
	{"dr_samuel_adeyemi", "Samuel", "Adeyemi", "MD", []string{"207XX0005X", "207X00000X"}, []string{"en", "yo"},
		[]string{"knee injuries", "ACL reconstruction", "running injuries"}, "harborview-heart-institute", "Sports medicine", false, true, "190000005"},
}

// seedDirectory lists the demo organizations and clinicians through the
// directory service, as their staff and the clinicians themselves would,
// and has the demo moderator verify some of them.
func seedDirectory(ctx context.Context, accounts *account.Service, dir *directory.Service) error {
	actor := func(username string) (account.Actor, error) {
		u, err := accounts.UserByUsername(ctx, username)
		return account.Actor{User: u, Via: "demo"}, err
	}
	for _, o := range orgs {
		owner, err := actor(o.owner)
		if err != nil {
			return err
		}
		created, err := dir.CreateOrganization(ctx, owner, o.in)
		if err != nil {
			return fmt.Errorf("organization %s: %w", o.in.Name, err)
		}
		for _, l := range o.locs {
			if _, err := dir.AddLocation(ctx, owner, created.Slug, l); err != nil {
				return fmt.Errorf("location of %s: %w", o.in.Name, err)
			}
		}
	}
	mod, err := actor("mod_jordan")
	if err != nil {
		return err
	}
	for _, p := range profiles {
		if err := seedProfile(ctx, dir, actor, mod, p); err != nil {
			return fmt.Errorf("profile %s: %w", p.username, err)
		}
	}
	return nil
}

func seedProfile(ctx context.Context, dir *directory.Service, actor func(string) (account.Actor, error), mod account.Actor, p demoProfile) error {
	a, err := actor(p.username)
	if err != nil {
		return err
	}
	o, err := dir.Organization(ctx, a, p.org)
	if err != nil {
		return err
	}
	in := directory.ProfileInput{FirstName: p.first, LastName: p.last, Credentials: p.creds,
		NPI: p.npiStem + string(registry.NPICheckDigit(p.npiStem)), Specialties: p.specialties, Languages: p.languages,
		Conditions: p.conditions, AcceptingNew: p.accepting, Published: true, LicenseState: "MA", LicenseNumber: "MA-" + p.npiStem[5:],
		Bio: "Sees patients at " + o.Name + "."}
	c, err := dir.SaveProfile(ctx, a, in)
	if err != nil {
		return err
	}
	if err := dir.RequestAffiliation(ctx, a, o.Slug, p.title); err != nil {
		return err
	}
	owner, err := actor(map[string]string{"harborview-heart-institute": "harborview_social",
		"maple-street-family-clinic": "maple_street_team", "riverside-childrens-hospital": "riverside_kids"}[o.Slug])
	if err != nil {
		return err
	}
	if err := dir.ConfirmAffiliation(ctx, owner, o.Slug, c.ID); err != nil {
		return err
	}
	// Once the organization has confirmed, the clinician lists its location as a practice place.
	in.OrgLocationIDs = []int64{o.Locations[0].ID}
	if c, err = dir.SaveProfile(ctx, a, in); err != nil {
		return err
	}
	if !p.verify {
		return nil
	}
	if _, err := dir.SubmitForVerification(ctx, a); err != nil {
		return err
	}
	_, err = dir.Review(ctx, mod, c.ID, directory.Decision{Approve: true,
		Note: "Demo data: license shown as active on the state board's site"})
	return err
}
