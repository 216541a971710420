// Package guard finds protected health information (the HIPAA Safe Harbor
// identifiers of 45 CFR 164.514(b)(2)), patient-relationship disclosures and
// misleading claims in free text. It is pure Go: no I/O beyond its embedded
// dictionaries, no network, no models to download. It reports; it never
// decides who may publish (the publish service applies policy).
package guard

import "sync"

// Type is the kind of identifier a span holds; the names are the CLI
// contract of `rounds phi scan`.
type Type string

// The Safe Harbor identifier types.
const (
	Name       Type = "NAME"
	Date       Type = "DATE"
	Age        Type = "AGE"
	Location   Type = "LOCATION"
	Phone      Type = "PHONE"
	Fax        Type = "FAX"
	Email      Type = "EMAIL"
	SSN        Type = "SSN"
	MRN        Type = "MRN"
	HealthPlan Type = "HEALTH_PLAN"
	Account    Type = "ACCOUNT"
	License    Type = "LICENSE"
	Vehicle    Type = "VEHICLE"
	Device     Type = "DEVICE"
	URL        Type = "URL"
	IP         Type = "IP"
	ID         Type = "ID"
)

// Types lists every identifier type in a stable order.
var Types = []Type{Name, Date, Age, Location, Phone, Fax, Email, SSN, MRN, HealthPlan, Account, License, Vehicle, Device, URL, IP, ID}

// Span is one identifier found in a text: byte offsets into the UTF-8
// text, end exclusive.
type Span struct {
	Start int    `json:"start"`
	End   int    `json:"end"`
	Type  Type   `json:"type"`
	Text  string `json:"text"`
}

// Detector finds identifiers. It is safe for concurrent use; build it once
// (loading the dictionaries takes a moment) and share it.
type Detector struct {
	lex *lexicon
}

// New builds a detector with the embedded dictionaries.
func New() *Detector {
	return &Detector{lex: loadLexicon()}
}

var shared = sync.OnceValue(New)

// Default returns a process-wide detector, built on first use.
func Default() *Detector { return shared() }

// Scan returns the identifiers in text, sorted by start, not overlapping.
func (d *Detector) Scan(text string) []Span {
	var spans []Span
	spans = append(spans, scanPatterns(text)...)
	spans = append(spans, d.lex.scan(text)...)
	return resolve(text, spans)
}
