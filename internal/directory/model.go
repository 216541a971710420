// Package directory owns the public presence of clinicians and
// organizations: organizations with their locations and staff, clinician
// profiles with specialties, practice locations and affiliations, the
// verification of clinicians (NPI, registry match, exclusion list, a
// moderator's review) and the directory search.
//
// It is the only writer of its tables and of the search index. It never
// returns a profile's private fields (license numbers, unpublished
// profiles) to anyone but the clinician and moderators, and it records
// every staff action with both identities: the person and the organization.
package directory

import (
	"slices"
	"strings"
	"time"

	"github.com/rounds-health/rounds/internal/geo"
)

// OrgKind is what an organization is.
type OrgKind string

const (
	Hospital     OrgKind = "hospital"
	Clinic       OrgKind = "clinic"
	Practice     OrgKind = "practice"
	HealthSystem OrgKind = "health_system"
	Pharmacy     OrgKind = "pharmacy"
	Laboratory   OrgKind = "laboratory"
	OtherOrg     OrgKind = "other"
)

// OrgKinds lists the kinds in the order forms show them.
var OrgKinds = []OrgKind{Hospital, Clinic, Practice, HealthSystem, Pharmacy, Laboratory, OtherOrg}

// Label is the kind's name for people.
func (k OrgKind) Label() string {
	switch k {
	case HealthSystem:
		return "Health system"
	case OtherOrg:
		return "Other"
	}
	s := string(k)
	return strings.ToUpper(s[:1]) + s[1:]
}

// SchemaType is the schema.org type of the organization's public page.
func (k OrgKind) SchemaType() string {
	switch k {
	case Hospital:
		return "Hospital"
	case Pharmacy:
		return "Pharmacy"
	case Laboratory:
		return "DiagnosticLab"
	case Clinic, Practice:
		return "MedicalClinic"
	}
	return "MedicalOrganization"
}

// MemberRole is a staff member's role inside an organization.
type MemberRole string

const (
	Owner       MemberRole = "owner"
	SocialMedia MemberRole = "social_media"
	Compliance  MemberRole = "compliance"
	Member      MemberRole = "member"
)

// MemberRoles lists the roles in the order forms show them.
var MemberRoles = []MemberRole{Owner, SocialMedia, Compliance, Member}

// Label is the role's name for people.
func (r MemberRole) Label() string {
	switch r {
	case Owner:
		return "Owner"
	case SocialMedia:
		return "Social-media specialist"
	case Compliance:
		return "Compliance officer"
	}
	return "Member"
}

// Organization is a hospital, clinic, practice or other provider.
type Organization struct {
	ID          int64
	Slug        string
	Name        string
	Kind        OrgKind
	Description string
	Website     string
	LogoURL     string
	Phone       string
	Published   bool
	Locations   []Location
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Location is a place where an organization or clinician sees patients.
type Location struct {
	ID            int64
	OrgID         int64 // for a clinician's location: the organization it belongs to, if any
	OrgLocationID int64 // for a clinician's location: the organization location it is, if any
	Name          string
	Street        string
	City          string
	State         string
	PostalCode    string
	Phone         string
	Hours         string
	Point         geo.Point
}

// Address is the location's postal address on one line.
func (l Location) Address() string {
	var parts []string
	for _, p := range []string{l.Street, l.City, strings.TrimSpace(l.State + " " + l.PostalCode)} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, ", ")
}

// StaffMember is a person who runs an organization.
type StaffMember struct {
	OrgID       int64
	UserID      int64
	Username    string
	DisplayName string
	Role        MemberRole
}

// Status is where a clinician stands in verification.
type Status string

const (
	Unverified Status = "unverified" // nothing submitted
	Pending    Status = "pending"    // submitted, waiting for a moderator
	Verified   Status = "verified"
	Rejected   Status = "rejected"
	Suspended  Status = "suspended" // was verified; a later exclusion list names them
)

// Label is the status's name for people.
func (s Status) Label() string {
	switch s {
	case Pending:
		return "Verification pending"
	case Verified:
		return "Verified"
	case Rejected:
		return "Not verified"
	case Suspended:
		return "Verification suspended"
	}
	return "Not verified"
}

// Check is one verification step and its result, shown with the badge.
type Check struct {
	Name   string    `json:"name"` // "npi", "registry", "exclusions", "license"
	Passed bool      `json:"passed"`
	Detail string    `json:"detail"` // what was checked, in plain words
	At     time.Time `json:"at"`
	By     string    `json:"by"` // "system" or a moderator's username
}

// Specialty is one of a clinician's specialties.
type Specialty struct {
	Code    string
	Label   string
	Primary bool
}

// Affiliation links a clinician to an organization.
type Affiliation struct {
	ClinicianID   int64
	OrgID         int64
	OrgSlug       string
	OrgName       string
	ClinicianSlug string
	ClinicianName string
	Title         string
	Confirmed     bool
}

// Clinician is a clinician's profile.
type Clinician struct {
	ID            int64
	UserID        int64 // 0 while a profile seeded from the registry is unclaimed
	Claimed       bool  // seeded from the registry, then claimed: public only once verified
	Slug          string
	FirstName     string
	LastName      string
	Credentials   string // e.g. "MD", "DO, FACC"
	Bio           string
	Languages     []string
	Conditions    []string // conditions and treatments they focus on, for search
	PhotoURL      string
	NPI           string
	AcceptingNew  bool
	Published     bool
	Status        Status
	LicenseState  string
	LicenseNumber string // private: the clinician and moderators only
	Checks        []Check
	VerifiedBy    string
	VerifiedAt    time.Time
	StatusNote    string
	RatingAvg     float64
	RatingCount   int
	Specialties   []Specialty
	Locations     []Location
	Affiliations  []Affiliation
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// Name is the clinician's name with credentials, as patients read it.
func (c *Clinician) Name() string {
	n := strings.TrimSpace(c.FirstName + " " + c.LastName)
	if c.Credentials != "" {
		n += ", " + c.Credentials
	}
	return n
}

// DisplayName is "Dr. First Last" for physicians, the plain name otherwise.
func (c *Clinician) DisplayName() string {
	n := strings.TrimSpace(c.FirstName + " " + c.LastName)
	if c.IsPhysician() {
		return "Dr. " + n
	}
	return n
}

// IsPhysician reports whether the credentials include a physician degree.
func (c *Clinician) IsPhysician() bool {
	for _, cr := range credentialList(c.Credentials) {
		if slices.Contains([]string{"MD", "DO", "MBBS", "MBCHB"}, cr) {
			return true
		}
	}
	return false
}

// PrimarySpecialty returns the primary specialty, or the first, or nil.
func (c *Clinician) PrimarySpecialty() *Specialty {
	for i := range c.Specialties {
		if c.Specialties[i].Primary {
			return &c.Specialties[i]
		}
	}
	if len(c.Specialties) > 0 {
		return &c.Specialties[0]
	}
	return nil
}

// Public reports whether the profile is listed: published by its
// clinician, and, for a profile claimed from the registry, verified.
func (c *Clinician) Public() bool { return c.Published && (!c.Claimed || c.Status == Verified) }

// publicClinician is Public in SQL, for the clinicians table aliased c.
const publicClinician = "c.published = TRUE AND (c.claimed = FALSE OR c.status = 'verified')"

// IsVerified reports whether the badge shows.
func (c *Clinician) IsVerified() bool { return c.Status == Verified }

// credentialList splits "MD, FACC" into ["MD", "FACC"].
func credentialList(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == ';' }) {
		out = append(out, strings.ToUpper(strings.ReplaceAll(f, ".", "")))
	}
	return out
}

// Credentials the directory knows. Others are refused so that the field
// cannot carry arbitrary text (or claims) onto public pages.
var knownCredentials = []string{
	"MD", "DO", "MBBS", "MBCHB", "PHD", "PSYD", "NP", "APRN", "FNP", "FNP-BC", "DNP", "CNM", "CRNA", "CNS", "PA", "PA-C",
	"RN", "BSN", "MSN", "LPN", "LVN", "DDS", "DMD", "PHARMD", "RPH", "DPT", "PT", "OT", "OTR", "OTR/L", "DC", "OD", "DPM",
	"RD", "RDN", "LCSW", "LICSW", "LMFT", "LPC", "LMHC", "CCC-SLP", "AUD", "MPH", "MS", "MSC", "MBA", "FACC", "FACS",
	"FACP", "FAAP", "FAAFP", "FACOG", "FACEP", "FAHA", "FASN", "FCCP", "CDCES", "IBCLC",
}
