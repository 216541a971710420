package directory

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/audit"
	"github.com/rounds-health/rounds/internal/errs"
	"github.com/rounds-health/rounds/internal/input"
)

// OrgInput is an organization as a person types it.
type OrgInput struct {
	Name, Description, Website, LogoURL, Phone string
	Kind                                       OrgKind
}

func (in *OrgInput) validate() error {
	in.Name, in.Description = strings.TrimSpace(in.Name), strings.TrimSpace(in.Description)
	in.Website, in.LogoURL, in.Phone = strings.TrimSpace(in.Website), strings.TrimSpace(in.LogoURL), strings.TrimSpace(in.Phone)
	var fs []errs.FieldError
	for field, v := range map[string]string{"name": in.Name, "description": in.Description, "website": in.Website,
		"logo_url": in.LogoURL, "phone": in.Phone} {
		if m := input.Problem(v); m != "" {
			fs = append(fs, errs.FieldError{Field: field, Message: m})
		}
	}
	if len(fs) > 0 {
		return errs.Fields(fs...)
	}
	if len([]rune(in.Name)) < 2 {
		fs = append(fs, errs.FieldError{Field: "name", Message: "Give the organization's name."})
	}
	checkLen(&fs, "name", in.Name, 160, "The name")
	checkLen(&fs, "description", in.Description, 4000, "The description")
	if !slices.Contains(OrgKinds, in.Kind) {
		fs = append(fs, errs.FieldError{Field: "kind", Message: "Choose what kind of organization this is."})
	}
	checkURL(&fs, "website", in.Website)
	checkURL(&fs, "logo_url", in.LogoURL)
	checkPhone(&fs, "phone", in.Phone)
	return errs.Fields(fs...)
}

// CreateOrganization creates an organization run by the actor, who becomes
// its owner. Staff accounts and administrators may.
func (s *Service) CreateOrganization(ctx context.Context, actor account.Actor, in OrgInput) (*Organization, error) {
	if actor.User == nil || (actor.User.Role != account.Staff && !actor.User.IsAdmin()) {
		return nil, errs.Forbidden("Only organization staff accounts can create an organization.")
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	if err := s.checkOrgText(ctx, actor.User, in); err != nil {
		return nil, err
	}
	now := s.now().UTC()
	o := &Organization{ID: s.ids.Next(), Name: in.Name, Kind: in.Kind, Description: in.Description, Website: in.Website,
		LogoURL: in.LogoURL, Phone: in.Phone, Published: true, CreatedAt: now, UpdatedAt: now}
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		// Two creations of the same name may race for a slug: the loser takes the next one.
		if err := s.db.Lock(ctx, "organization-slugs"); err != nil {
			return err
		}
		slug, err := s.newSlug(ctx, "organizations", in.Name)
		if err != nil {
			return err
		}
		o.Slug = slug
		if err := s.st.insertOrg(ctx, o, actor.User.ID); err != nil {
			return err
		}
		if err := s.st.upsertMember(ctx, o.ID, actor.User.ID, Owner, now); err != nil {
			return err
		}
		return s.audit.Append(ctx, event(actor, "org.create", "org:"+o.Slug, audit.Success, "", o))
	})
	if err != nil {
		return nil, internal(err, "create organization")
	}
	return o, nil
}

// Organization returns a published organization by slug with its
// locations; its staff see it unpublished too.
func (s *Service) Organization(ctx context.Context, actor account.Actor, slug string) (*Organization, error) {
	if !slugPattern.MatchString(slug) {
		return nil, errs.NotFound("No organization is listed at this address.")
	}
	o, err := s.st.orgBy(ctx, "slug", slug)
	if err != nil {
		return nil, internal(err, "load organization")
	}
	if o == nil {
		return nil, errs.NotFound("No organization is listed at this address.")
	}
	if !o.Published {
		if _, err := s.requireStaff(ctx, actor, o, Member); err != nil {
			return nil, errs.NotFound("No organization is listed at this address.")
		}
	}
	if o.Locations, err = s.st.orgLocations(ctx, o.ID); err != nil {
		return nil, internal(err, "load locations")
	}
	return o, nil
}

// OrganizationByID is Organization by id.
func (s *Service) OrganizationByID(ctx context.Context, actor account.Actor, id int64) (*Organization, error) {
	o, err := s.st.orgBy(ctx, "id", id)
	if err != nil {
		return nil, internal(err, "load organization")
	}
	if o == nil {
		return nil, errs.NotFound("No organization has this id.")
	}
	return s.Organization(ctx, actor, o.Slug)
}

// Organizations lists published organizations by name.
func (s *Service) Organizations(ctx context.Context, query string, page, perPage int) ([]*Organization, error) {
	if perPage < 1 || perPage > MaxPerPage {
		return nil, errs.Invalid("per_page", fmt.Sprintf("Results per page must be between 1 and %d; got %d.", MaxPerPage, perPage))
	}
	if page < 1 || page > MaxPage {
		return nil, errs.Invalid("page", fmt.Sprintf("Page must be between 1 and %d; got %d.", MaxPage, page))
	}
	if m := input.Problem(query); m != "" {
		return nil, errs.Invalid("q", m)
	}
	orgs, err := s.st.listOrgs(ctx, strings.TrimSpace(query), perPage, (page-1)*perPage)
	if err != nil {
		return nil, internal(err, "list organizations")
	}
	for _, o := range orgs {
		if o.Locations, err = s.st.orgLocations(ctx, o.ID); err != nil {
			return nil, internal(err, "load locations")
		}
	}
	return orgs, nil
}

// IsStaff reports whether actor runs the organization (or administers the
// instance), for showing management links; it records nothing.
func (s *Service) IsStaff(ctx context.Context, actor account.Actor, slug string) bool {
	if actor.User == nil {
		return false
	}
	if actor.User.IsAdmin() {
		return true
	}
	o, err := s.st.orgBy(ctx, "slug", slug)
	if err != nil || o == nil {
		return false
	}
	role, err := s.st.memberRole(ctx, o.ID, actor.User.ID)
	return err == nil && role != ""
}

// requireStaff checks that actor has at least role in o (owner > others);
// administrators always pass. It returns the actor's role.
func (s *Service) requireStaff(ctx context.Context, actor account.Actor, o *Organization, role MemberRole) (MemberRole, error) {
	if actor.User == nil {
		return "", errs.Unauthorized("Sign in first.")
	}
	if actor.User.IsAdmin() {
		return Owner, nil
	}
	got, err := s.st.memberRole(ctx, o.ID, actor.User.ID)
	if err != nil {
		return "", internal(err, "load membership")
	}
	if got == "" || (role == Owner && got != Owner) {
		_ = s.audit.Append(ctx, event(actor, "org.access", "org:"+o.Slug, audit.Denied, "needs "+string(role), o))
		if role == Owner {
			return "", errs.Forbidden("Only an owner of " + o.Name + " can do this.")
		}
		return "", errs.Forbidden("Only the staff of " + o.Name + " can do this.")
	}
	return got, nil
}

// UpdateOrganization changes an organization's public details; owners only.
func (s *Service) UpdateOrganization(ctx context.Context, actor account.Actor, slug string, in OrgInput, published bool) (*Organization, error) {
	o, err := s.orgForStaff(ctx, actor, slug, Owner)
	if err != nil {
		return nil, err
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	if err := s.checkOrgText(ctx, actor.User, in); err != nil {
		return nil, err
	}
	o.Name, o.Kind, o.Description, o.Website, o.LogoURL, o.Phone = in.Name, in.Kind, in.Description, in.Website, in.LogoURL, in.Phone
	o.Published, o.UpdatedAt = published, s.now().UTC()
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.st.updateOrg(ctx, o); err != nil {
			return err
		}
		if err := s.reindexAffiliated(ctx, o.ID); err != nil {
			return err
		}
		return s.audit.Append(ctx, event(actor, "org.update", "org:"+o.Slug, audit.Success, "", o))
	})
	if err != nil {
		return nil, internal(err, "update organization")
	}
	return s.Organization(ctx, actor, o.Slug)
}

func (s *Service) orgForStaff(ctx context.Context, actor account.Actor, slug string, role MemberRole) (*Organization, error) {
	if !slugPattern.MatchString(slug) {
		return nil, errs.NotFound("No organization is listed at this address.")
	}
	o, err := s.st.orgBy(ctx, "slug", slug)
	if err != nil {
		return nil, internal(err, "load organization")
	}
	if o == nil {
		return nil, errs.NotFound("No organization is listed at this address.")
	}
	if _, err := s.requireStaff(ctx, actor, o, role); err != nil {
		return nil, err
	}
	return o, nil
}

// AddLocation adds a location to an organization; owners only.
func (s *Service) AddLocation(ctx context.Context, actor account.Actor, slug string, in LocationInput) (*Location, error) {
	o, err := s.orgForStaff(ctx, actor, slug, Owner)
	if err != nil {
		return nil, err
	}
	l, fs := s.location(in, "")
	if err := errs.Fields(fs...); err != nil {
		return nil, err
	}
	l.ID, l.OrgID = s.ids.Next(), o.ID
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.st.insertOrgLocation(ctx, &l); err != nil {
			return err
		}
		return s.audit.Append(ctx, event(actor, "org.add_location", fmt.Sprintf("location:%d", l.ID), audit.Success, "", o))
	})
	if err != nil {
		return nil, internal(err, "add location")
	}
	return &l, nil
}

// RemoveLocation removes one of an organization's locations; owners only.
func (s *Service) RemoveLocation(ctx context.Context, actor account.Actor, slug string, locationID int64) error {
	o, err := s.orgForStaff(ctx, actor, slug, Owner)
	if err != nil {
		return err
	}
	return internal(s.db.WithTx(ctx, func(ctx context.Context) error {
		ok, err := s.st.deleteOrgLocation(ctx, o.ID, locationID)
		if err != nil {
			return err
		}
		if !ok {
			return errs.NotFound("This organization has no such location.")
		}
		return s.audit.Append(ctx, event(actor, "org.remove_location", fmt.Sprintf("location:%d", locationID), audit.Success, "", o))
	}), "remove location")
}

// Staff lists an organization's staff; its staff only.
func (s *Service) Staff(ctx context.Context, actor account.Actor, slug string) ([]StaffMember, error) {
	o, err := s.orgForStaff(ctx, actor, slug, Member)
	if err != nil {
		return nil, err
	}
	ms, err := s.st.members(ctx, o.ID)
	if err != nil {
		return nil, internal(err, "list staff")
	}
	return ms, nil
}

// MyOrganizations returns the organizations the actor is staff of, with roles.
func (s *Service) MyOrganizations(ctx context.Context, actor account.Actor) ([]*Organization, []MemberRole, error) {
	if actor.User == nil {
		return nil, nil, nil
	}
	orgs, roles, err := s.st.orgsOf(ctx, actor.User.ID)
	if err != nil {
		return nil, nil, internal(err, "list my organizations")
	}
	return orgs, roles, nil
}

// SetMember gives a staff account a role in the organization (adding them
// if needed); owners only. Members must have staff accounts: clinicians
// join through affiliations, patients never run an organization.
func (s *Service) SetMember(ctx context.Context, actor account.Actor, slug, username string, role MemberRole) error {
	o, err := s.orgForStaff(ctx, actor, slug, Owner)
	if err != nil {
		return err
	}
	if !slices.Contains(MemberRoles, role) {
		return errs.Invalid("role", "Choose owner, social-media specialist, compliance officer or member.")
	}
	u, err := s.accounts.UserByUsername(ctx, username)
	if err != nil {
		if errs.Is(err, errs.KindNotFound) {
			return errs.Invalid("username", fmt.Sprintf("No account is called %q.", strings.TrimPrefix(username, "@")))
		}
		return err
	}
	if u.Role != account.Staff {
		return errs.Invalid("username", fmt.Sprintf("@%s is not an organization staff account; only staff accounts can run an organization.", u.Username))
	}
	return internal(s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.db.Lock(ctx, "org-owners:"+o.Slug); err != nil { // never zero owners, even in a race
			return err
		}
		current, err := s.st.memberRole(ctx, o.ID, u.ID)
		if err != nil {
			return err
		}
		if current == Owner && role != Owner {
			if err := s.keepAnOwner(ctx, o); err != nil {
				return err
			}
		}
		if err := s.st.upsertMember(ctx, o.ID, u.ID, role, s.now()); err != nil {
			return err
		}
		return s.audit.Append(ctx, event(actor, "org.set_member", fmt.Sprintf("user:%d", u.ID), audit.Success, "role="+string(role), o))
	}), "set member")
}

func (s *Service) keepAnOwner(ctx context.Context, o *Organization) error {
	n, err := s.st.countOwners(ctx, o.ID)
	if err != nil {
		return err
	}
	if n <= 1 {
		return errs.Invalid("role", "An organization needs at least one owner; make someone else an owner first.")
	}
	return nil
}

// RemoveMember removes a staff member; owners only, and never the last owner.
func (s *Service) RemoveMember(ctx context.Context, actor account.Actor, slug, username string) error {
	o, err := s.orgForStaff(ctx, actor, slug, Owner)
	if err != nil {
		return err
	}
	u, err := s.accounts.UserByUsername(ctx, username)
	if err != nil {
		return err
	}
	return internal(s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.db.Lock(ctx, "org-owners:"+o.Slug); err != nil {
			return err
		}
		role, err := s.st.memberRole(ctx, o.ID, u.ID)
		if err != nil {
			return err
		}
		if role == "" {
			return errs.NotFound(fmt.Sprintf("@%s is not on the staff of %s.", u.Username, o.Name))
		}
		if role == Owner {
			if err := s.keepAnOwner(ctx, o); err != nil {
				return err
			}
		}
		if err := s.st.deleteMember(ctx, o.ID, u.ID); err != nil {
			return err
		}
		return s.audit.Append(ctx, event(actor, "org.remove_member", fmt.Sprintf("user:%d", u.ID), audit.Success, "", o))
	}), "remove member")
}

// Affiliations of an organization: confirmed ones for everyone, pending
// requests too for its staff.
func (s *Service) OrgAffiliations(ctx context.Context, actor account.Actor, slug string) ([]Affiliation, error) {
	if !slugPattern.MatchString(slug) {
		return nil, errs.NotFound("No organization is listed at this address.")
	}
	o, err := s.st.orgBy(ctx, "slug", slug)
	if err != nil {
		return nil, internal(err, "load organization")
	}
	if o == nil {
		return nil, errs.NotFound("No organization is listed at this address.")
	}
	where := "a.org_id = ? AND a.status = 'confirmed' AND " + publicClinician
	if actor.User != nil {
		if role, _ := s.st.memberRole(ctx, o.ID, actor.User.ID); role != "" || actor.User.IsAdmin() {
			where = "a.org_id = ?"
		}
	}
	affs, err := s.st.affiliations(ctx, where, o.ID)
	if err != nil {
		return nil, internal(err, "list affiliations")
	}
	return affs, nil
}

// ConfirmAffiliation confirms a clinician's request to be listed with the
// organization; owners only.
func (s *Service) ConfirmAffiliation(ctx context.Context, actor account.Actor, slug string, clinicianID int64) error {
	o, err := s.orgForStaff(ctx, actor, slug, Owner)
	if err != nil {
		return err
	}
	return internal(s.db.WithTx(ctx, func(ctx context.Context) error {
		ok, err := s.st.confirmAffiliation(ctx, clinicianID, o.ID, actor.User.ID, s.now())
		if err != nil {
			return err
		}
		if !ok {
			return errs.NotFound("This clinician has not asked to be affiliated with " + o.Name + ".")
		}
		if err := s.reindexByID(ctx, clinicianID); err != nil {
			return err
		}
		return s.audit.Append(ctx, event(actor, "org.confirm_affiliation", fmt.Sprintf("clinician:%d", clinicianID), audit.Success, "", o))
	}), "confirm affiliation")
}

// EndAffiliation removes an affiliation; an owner of the organization or
// the clinician may.
func (s *Service) EndAffiliation(ctx context.Context, actor account.Actor, slug string, clinicianID int64) error {
	o, err := s.st.orgBy(ctx, "slug", slug)
	if err != nil {
		return internal(err, "load organization")
	}
	if o == nil {
		return errs.NotFound("No organization is listed at this address.")
	}
	c, err := s.st.clinicianBy(ctx, "id", clinicianID)
	if err != nil {
		return internal(err, "load clinician")
	}
	if c == nil || actor.User == nil || c.UserID != actor.User.ID {
		if _, err := s.requireStaff(ctx, actor, o, Owner); err != nil {
			return err
		}
	}
	return internal(s.db.WithTx(ctx, func(ctx context.Context) error {
		ok, err := s.st.deleteAffiliation(ctx, clinicianID, o.ID)
		if err != nil {
			return err
		}
		if !ok {
			return errs.NotFound("There is no such affiliation.")
		}
		if err := s.reindexByID(ctx, clinicianID); err != nil {
			return err
		}
		return s.audit.Append(ctx, event(actor, "org.end_affiliation", fmt.Sprintf("clinician:%d", clinicianID), audit.Success, "", o))
	}), "end affiliation")
}

func (s *Service) reindexByID(ctx context.Context, clinicianID int64) error {
	cs, err := s.loadFull(ctx, []int64{clinicianID})
	if err != nil || len(cs) == 0 {
		return err
	}
	return s.reindex(ctx, cs[0])
}

// reindexAffiliated refreshes the documents of clinicians affiliated with
// an organization whose name changed.
func (s *Service) reindexAffiliated(ctx context.Context, orgID int64) error {
	affs, err := s.st.affiliations(ctx, "a.org_id = ? AND a.status = 'confirmed'", orgID)
	if err != nil {
		return err
	}
	for _, a := range affs {
		if err := s.reindexByID(ctx, a.ClinicianID); err != nil {
			return err
		}
	}
	return nil
}

// checkOrgText runs the compliance guard over an organization's public
// description; its own name, phone number and web site may appear.
func (s *Service) checkOrgText(ctx context.Context, u *account.User, in OrgInput) error {
	return s.accounts.CheckText(ctx, u, map[string]string{"description": in.Description}, in.Name, in.Phone, in.Website)
}
