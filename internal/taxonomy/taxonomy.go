// Package taxonomy owns the controlled vocabulary of clinician specialties: a
// curated subset of the NUCC Health Care Provider Taxonomy with the real codes
// and names, each with plain-language words a patient might search for.
//
// The vocabulary is read-only and compiled into the binary from
// data/specialties.csv. The package never invents codes and never accepts a
// code that is not in that file: a profile, an import or a search that names a
// specialty must go through ByCode or Validate.
package taxonomy

import (
	"fmt"
	"slices"
	"strings"

	"github.com/rounds-health/rounds/internal/errs"
)

// Kind is the kind of clinician a specialty belongs to.
type Kind string

const (
	Physician          Kind = "physician"
	NursePractitioner  Kind = "nurse_practitioner"
	PhysicianAssistant Kind = "physician_assistant"
	Nurse              Kind = "nurse"
	Midwife            Kind = "midwife"
	Psychologist       Kind = "psychologist"
	Counselor          Kind = "counselor"
	SocialWorker       Kind = "social_worker"
	Dentist            Kind = "dentist"
	DentalHygienist    Kind = "dental_hygienist"
	Pharmacist         Kind = "pharmacist"
	Therapist          Kind = "therapist"
	Audiologist        Kind = "audiologist"
	Chiropractor       Kind = "chiropractor"
	Optometrist        Kind = "optometrist"
	Podiatrist         Kind = "podiatrist"
	Dietitian          Kind = "dietitian"
	Other              Kind = "other"
)

type kindLabel struct {
	kind  Kind
	label string
}

// kindLabels names each kind for people, in the order forms list them.
var kindLabels = []kindLabel{
	{Physician, "Physician"},
	{NursePractitioner, "Nurse practitioner"},
	{PhysicianAssistant, "Physician assistant"},
	{Nurse, "Nurse"},
	{Midwife, "Midwife"},
	{Psychologist, "Psychologist"},
	{Counselor, "Counselor or therapist"},
	{SocialWorker, "Social worker"},
	{Dentist, "Dentist"},
	{DentalHygienist, "Dental hygienist"},
	{Pharmacist, "Pharmacist"},
	{Therapist, "Rehabilitation therapist"},
	{Audiologist, "Audiologist"},
	{Chiropractor, "Chiropractor"},
	{Optometrist, "Optometrist"},
	{Podiatrist, "Podiatrist"},
	{Dietitian, "Dietitian or nutritionist"},
	{Other, "Other clinician"},
}

// Kinds lists every kind, in the order forms show them.
func Kinds() []Kind {
	out := make([]Kind, len(kindLabels))
	for i, k := range kindLabels {
		out[i] = k.kind
	}
	return out
}

// Label is the kind's name for people.
func (k Kind) Label() string {
	for _, kl := range kindLabels {
		if kl.kind == k {
			return kl.label
		}
	}
	return string(k)
}

func (k Kind) known() bool {
	return slices.ContainsFunc(kindLabels, func(kl kindLabel) bool { return kl.kind == k })
}

// Specialty is one entry of the vocabulary. Grouping, Classification,
// Specialization and DisplayName are NUCC's own text; Terms are the words
// Rounds adds so that "heart doctor" finds a cardiologist.
type Specialty struct {
	Code           string // e.g. 207RC0000X
	Grouping       string // NUCC level I, e.g. "Allopathic & Osteopathic Physicians"
	Classification string // NUCC level II, e.g. "Internal Medicine"
	Specialization string // NUCC level III, e.g. "Cardiovascular Disease"; empty for a classification
	DisplayName    string // NUCC display name, e.g. "Cardiovascular Disease Physician"
	Kind           Kind
	Terms          []string // plain-language search terms, lower case
}

// Label is the specialty's name for people. It is NUCC's display name with a
// doubled word removed (one NUCC display name ends "Physician Physician").
func (s Specialty) Label() string {
	words := strings.Fields(s.DisplayName)
	kept := words[:0:0]
	for i, w := range words {
		if i > 0 && strings.EqualFold(w, words[i-1]) {
			continue
		}
		kept = append(kept, w)
	}
	if len(kept) > 0 {
		return strings.Join(kept, " ")
	}
	if s.Specialization != "" {
		return s.Classification + ", " + s.Specialization
	}
	return s.Classification
}

func (s Specialty) clone() Specialty {
	s.Terms = slices.Clone(s.Terms)
	return s
}

// All returns every specialty, physicians first, in NUCC order within each
// grouping.
func All() []Specialty {
	out := make([]Specialty, len(vocabulary.specialties))
	for i, s := range vocabulary.specialties {
		out[i] = s.clone()
	}
	return out
}

// ByCode returns the specialty with code. The code is compared after trimming
// spaces and upper-casing; store the returned Specialty.Code, not the input.
func ByCode(code string) (Specialty, bool) {
	i, ok := vocabulary.byCode[canonical(code)]
	if !ok {
		return Specialty{}, false
	}
	return vocabulary.specialties[i].clone(), true
}

// Validate reports the first code that is not in the vocabulary, as a field
// error on "specialties". No codes is valid: a profile may list none.
func Validate(codes ...string) error {
	for _, c := range codes {
		if _, ok := ByCode(c); !ok {
			return errs.Invalid("specialties", fmt.Sprintf(
				"Unknown taxonomy code %q; use a code from the NUCC Health Care Provider Taxonomy, e.g. 207RC0000X for cardiology", c))
		}
	}
	return nil
}

func canonical(code string) string { return strings.ToUpper(strings.TrimSpace(code)) }
