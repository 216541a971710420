package testkit

import (
	"context"
	"testing"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/directory"
)

// Org is an organization fixture with its owner and compliance officer.
type Org struct {
	*directory.Organization
	Owner, Officer *Person
}

// Organization creates a clinic run by "<prefix>_owner", with
// "<prefix>_officer" as its compliance officer.
func Organization(t testing.TB, srv *Server, prefix, name string) *Org {
	t.Helper()
	ctx := context.Background()
	owner := NewPerson(t, srv.Accounts, prefix+"_owner", account.Staff)
	o, err := srv.Directory.CreateOrganization(ctx, account.Actor{User: owner.User, Via: "test"},
		directory.OrgInput{Name: name, Kind: directory.Clinic, Phone: "(617) 555-0142"})
	if err != nil {
		t.Fatalf("fixture organization %s: %v", name, err)
	}
	officer := NewPerson(t, srv.Accounts, prefix+"_officer", account.Staff)
	org := &Org{Organization: o, Owner: owner, Officer: officer}
	org.AddStaff(t, srv, officer, directory.Compliance)
	return org
}

// AddStaff gives a staff account a role in the organization.
func (o *Org) AddStaff(t testing.TB, srv *Server, p *Person, role directory.MemberRole) {
	t.Helper()
	if err := srv.Directory.SetMember(context.Background(), account.Actor{User: o.Owner.User, Via: "test"}, o.Slug,
		p.User.Username, role); err != nil {
		t.Fatalf("fixture staff %s: %v", p.User.Username, err)
	}
}

// Affiliate lists a clinician (who has a profile) with the organization,
// confirmed by its owner.
func (o *Org) Affiliate(t testing.TB, srv *Server, clinician *Person, profile *directory.Clinician) {
	t.Helper()
	ctx := context.Background()
	if err := srv.Directory.RequestAffiliation(ctx, account.Actor{User: clinician.User, Via: "test"}, o.Slug, "Physician"); err != nil {
		t.Fatalf("fixture affiliation: %v", err)
	}
	if err := srv.Directory.ConfirmAffiliation(ctx, account.Actor{User: o.Owner.User, Via: "test"}, o.Slug, profile.ID); err != nil {
		t.Fatalf("fixture affiliation confirm: %v", err)
	}
}
