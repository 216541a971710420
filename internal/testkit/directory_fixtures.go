package testkit

import (
	"context"
	"testing"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/directory"
	"github.com/rounds-health/rounds/internal/registry"
)

// ValidNPI returns a valid NPI (Luhn check digit with the 80840 prefix)
// built from a 9-digit stem, for fixtures.
func ValidNPI(stem int) string {
	s := fmtStem(stem)
	return s + string(registry.NPICheckDigit(s))
}

func fmtStem(n int) string {
	b := []byte("100000000")
	for i := 8; i >= 1 && n > 0; i-- {
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b)
}

// ClinicianSpec describes a clinician fixture.
type ClinicianSpec struct {
	Username, First, Last, Credentials string
	Specialties                        []string // NUCC codes
	Languages                          []string
	Conditions                         []string
	City, State, Zip, Coordinates      string
	NPIStem                            int
	Accepting                          bool
	Verify                             bool // submit and have a moderator approve
}

// Clinician creates a clinician account and its published profile through
// the services, verified when spec.Verify (the moderator fixture "fixture_mod"
// approves).
func Clinician(t testing.TB, srv *Server, spec ClinicianSpec) (*Person, *directory.Clinician) {
	t.Helper()
	ctx := context.Background()
	p := NewPerson(t, srv.Accounts, spec.Username, account.Clinician)
	if spec.Credentials == "" {
		spec.Credentials = "MD"
	}
	in := directory.ProfileInput{FirstName: spec.First, LastName: spec.Last, Credentials: spec.Credentials,
		NPI: ValidNPI(spec.NPIStem), Specialties: spec.Specialties, Languages: spec.Languages, Conditions: spec.Conditions,
		AcceptingNew: spec.Accepting, Published: true, LicenseState: spec.State, LicenseNumber: "LIC" + fmtStem(spec.NPIStem)[3:],
		Locations: []directory.LocationInput{{Name: spec.Last + " practice", Street: "1 Main Street", City: spec.City,
			State: spec.State, PostalCode: spec.Zip, Coordinates: spec.Coordinates}}}
	actor := account.Actor{User: p.User, Via: "test"}
	c, err := srv.Directory.SaveProfile(ctx, actor, in)
	if err != nil {
		t.Fatalf("fixture profile %s: %v", spec.Username, err)
	}
	if !spec.Verify {
		return p, c
	}
	if _, err := srv.Directory.SubmitForVerification(ctx, actor); err != nil {
		t.Fatalf("fixture %s: submit: %v", spec.Username, err)
	}
	mod := moderator(t, srv)
	c, err = srv.Directory.Review(ctx, account.Actor{User: mod.User, Via: "test"}, c.ID,
		directory.Decision{Approve: true, Note: "License active on the state board's site"})
	if err != nil {
		t.Fatalf("fixture %s: approve: %v", spec.Username, err)
	}
	return p, c
}

// moderator returns the shared moderator fixture, creating it once per server.
func moderator(t testing.TB, srv *Server) *Person {
	t.Helper()
	if u, err := srv.Accounts.UserByUsername(context.Background(), "fixture_mod"); err == nil {
		return &Person{User: u, Password: Password}
	}
	return NewPerson(t, srv.Accounts, "fixture_mod", account.Moderator)
}

// Moderator returns the moderator fixture "fixture_mod".
func Moderator(t testing.TB, srv *Server) *Person { return moderator(t, srv) }
