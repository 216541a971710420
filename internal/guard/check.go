package guard

import (
	"sort"
	"strings"
)

// Context names where a text is going; rules differ (a review reply must
// never confirm that someone is a patient).
type Context string

// Contexts a text can be checked in.
const (
	ContextPost        Context = "post"
	ContextArticle     Context = "article"
	ContextComment     Context = "comment"
	ContextReply       Context = "reply"
	ContextReviewReply Context = "review-reply"
	ContextAnswer      Context = "answer"
	ContextProfile     Context = "profile"
	ContextAltText     Context = "alt-text"
)

// Kinds of finding beyond the identifier types.
const (
	PatientRelationship Type = "PATIENT_RELATIONSHIP"
	RestatedDetail      Type = "RESTATED_DETAIL"
	Claim               Type = "CLAIM"
)

// Finding is something an author must see before publishing.
type Finding struct {
	Start       int    `json:"start"`
	End         int    `json:"end"`
	Type        Type   `json:"type"`
	Text        string `json:"text"`
	Explanation string `json:"explanation"`
	// Blocking: for a clinician or organization author in this context,
	// publication must stop. Patients are warned instead (publish policy).
	Blocking bool `json:"blocking"`
	// NeedsApproval: not blocking, but an organization whose policy asks
	// for it must have a compliance officer approve (claims).
	NeedsApproval bool `json:"needs_approval,omitempty"`
}

// Options say where a text goes and what it answers.
type Options struct {
	Context Context
	// Answering is the text being replied to (the review or comment), so
	// that a reply restating its details can be caught.
	Answering string
	// Allowed are public terms the author may use: their own name, their
	// organization's name, published phone numbers and addresses.
	Allowed []string
}

// Report is the result of a check.
type Report struct {
	Findings []Finding `json:"findings"`
	// SafeReply is offered when a review reply is blocked.
	SafeReply string `json:"safe_reply,omitempty"`
}

// Blocked reports whether any finding blocks publication.
func (r Report) Blocked() bool {
	for _, f := range r.Findings {
		if f.Blocking {
			return true
		}
	}
	return false
}

// SafeReviewReply confirms nothing about anyone: no visit, no care, no
// detail of the review. It is what a blocked review reply can say instead.
const SafeReviewReply = "Thank you for your feedback. We take every comment seriously and would welcome the chance to talk with you directly; please contact our office."

// Check runs every rule for the context and applies the publication
// policy for a clinician, staff or organization author: what blocks, what
// warns, what needs approval. Patients are downgraded to warnings by the
// publish service, not here.
func (d *Detector) Check(text string, opt Options) Report {
	scope := maskOf(opt.Context)
	words := policyWords(text)
	allow := newAllowList(opt.Allowed)
	spans := d.Scan(text)

	relationship := relationshipFindings(text, words, spans, scope)
	phi := identifierFindings(spans, scope, allow, relationship)
	restated := d.restatedFindings(text, words, opt, scope, allow)
	phi, restated = foldRestated(phi, restated, opt.Context)

	var findings []Finding
	findings = append(findings, phi...)
	findings = append(findings, relationship...)
	findings = append(findings, restated...)
	findings = append(findings, claimFindings(text, words)...)
	sortFindings(findings)

	r := Report{Findings: findings}
	if opt.Context == ContextReviewReply && r.Blocked() {
		r.SafeReply = SafeReviewReply
	}
	return r
}

// relationshipFindings: in a reply, phrases that confirm the person
// answered is a patient block; in any text, a particular patient described
// through specifics warns.
func relationshipFindings(text string, words []pword, spans []Span, scope ctxMask) []Finding {
	var confirm []Finding
	if scope&inReplies != 0 {
		why := relationshipExplanation(scope)
		for _, m := range findRelationship(words, scope) {
			confirm = append(confirm, findingOf(text, words, m, PatientRelationship, why, true))
		}
	}
	out := confirm
	for _, m := range findPatientInPost(words, spans) {
		f := findingOf(text, words, m, PatientRelationship, explainPatientInPost, false)
		if !overlapsAny(confirm, f.Start, f.End) {
			out = append(out, f)
		}
	}
	return out
}

func findingOf(text string, words []pword, m phraseMatch, t Type, why string, blocking bool) Finding {
	start, end := words[m.from].start, words[m.to-1].end
	return Finding{Start: start, End: end, Type: t, Text: text[start:end], Explanation: why, Blocking: blocking}
}

func relationshipExplanation(scope ctxMask) string {
	if scope == inReview {
		return "This confirms the reviewer is a patient. Replies must never confirm or deny that someone is a patient, or say anything about their care; thank them and invite them to contact the office."
	}
	return "This confirms the person you are answering is a patient, or tells of their care. Public replies must never confirm or deny that someone is a patient; invite them to contact the office instead."
}

const explainPatientInPost = "This describes one particular patient, with specifics (a day, an age, a room, a place) that can identify them even without a name. Remove the specifics, or publish only with the patient's written authorization."

// identifierFindings applies the policy to the identifiers found.
func identifierFindings(spans []Span, scope ctxMask, allow allowList, relationship []Finding) []Finding {
	blockingName := false
	for _, s := range spans {
		if s.Type == Name && !allow.permits(s) {
			blockingName = true
			break
		}
	}
	datesBlock := scope&inReplies != 0 || blockingName || len(relationship) > 0
	var out []Finding
	for _, s := range spans {
		if allow.permits(s) {
			continue
		}
		blocking := identifierBlocks(s, datesBlock)
		out = append(out, Finding{Start: s.Start, End: s.End, Type: s.Type, Text: s.Text,
			Explanation: identifierExplanation(s, blocking), Blocking: blocking})
	}
	return out
}

// identifierBlocks: identifiers of a person block; a date blocks when it
// can be tied to one (a reply, a name, a patient); a city, a facility or a
// web address only warns.
func identifierBlocks(s Span, datesBlock bool) bool {
	switch s.Type {
	case Date:
		return datesBlock
	case URL:
		return false
	case Location:
		return isStreetAddress(s.Text)
	}
	return true
}

var streetWords = wordSet(strings.Fields(`street st avenue ave road rd boulevard blvd lane ln drive way
	court ct place pl suite ste apt apartment unit highway hwy parkway pkwy circle cir terrace box
	route rte floor fl building bldg`))

// isStreetAddress tells a street address or ZIP code (a number, or a name
// ending in a street word: "12 Elm St", "02139", "Elm Street") from a lone
// city, state or facility ("Springfield", "our Main Street clinic").
func isStreetAddress(s string) bool {
	words := policyWords(s)
	for _, w := range words {
		if w.digit {
			return true
		}
	}
	return len(words) > 1 && streetWords[words[len(words)-1].w]
}

// identifierExplanations say, for each type, what it is and what to do.
var identifierExplanations = map[Type]string{
	Name:       "This looks like a person's name. Naming someone next to anything about care can identify a patient; remove it unless it is your own or your organization's name.",
	Age:        "This is an age. An exact age, with other details, can identify a patient (and any age over 89 always does); remove it or say \"older adult\".",
	Phone:      "This is a phone number. Phone numbers identify people; remove it or use the office's published number.",
	Fax:        "This is a fax number. Fax numbers identify people; remove it or use the office's published number.",
	Email:      "This is an e-mail address. E-mail addresses identify people; remove it or use the office's published address.",
	SSN:        "This looks like a Social Security number. Never publish one; remove it.",
	MRN:        "This looks like a medical record number. Record numbers identify patients; remove it.",
	HealthPlan: "This looks like a health plan or member number. It identifies a person; remove it.",
	Account:    "This looks like an account number. It identifies a person; remove it.",
	License:    "This looks like a licence or certificate number. It identifies a person; remove it.",
	Vehicle:    "This looks like a vehicle identifier (a plate or VIN). It identifies a person; remove it.",
	Device:     "This looks like a device identifier or serial number. It can identify a patient; remove it.",
	URL:        "This is a web address. Make sure it does not lead to a page about a patient.",
	IP:         "This is an IP address. It can identify a person's device; remove it.",
	ID:         "This looks like an identifying number. Numbers that identify a person must not be published; remove it.",
}

func identifierExplanation(s Span, blocking bool) string {
	switch s.Type {
	case Date:
		if blocking {
			return "This is a date. Next to a person or their care, a date can identify a patient's visit; remove it or leave it vague (\"recently\")."
		}
		return "This is a date. That is fine for an event or an announcement; make sure it is not the date of a patient's care."
	case Location:
		if blocking {
			return "This is a street address or ZIP code. Addresses identify people; remove it or use the office's published address."
		}
		return "This is a place. A town or facility with other details can point to a patient; make sure it is not about one."
	}
	if e, ok := identifierExplanations[s.Type]; ok {
		return e
	}
	return "This can identify a person; remove it."
}

// restatedFindings finds the specifics of the answered text that the reply
// repeats. Outside review replies they count only when the answered text
// tells of its writer's own care; a reply to a colleague may repeat the
// terms of the discussion. In an answer to a public question, repeating
// the clinical terms asked about is the answer, so those only warn.
func (d *Detector) restatedFindings(text string, words []pword, opt Options, scope ctxMask, allow allowList) []Finding {
	if scope&inReplies == 0 || strings.TrimSpace(opt.Answering) == "" {
		return nil
	}
	answered := policyWords(opt.Answering)
	if scope != inReview && !tellsOwnCare(answered) {
		return nil
	}
	spans := d.Scan(opt.Answering)
	why := restatedExplanation(opt.Context)
	var out []Finding
	for _, r := range findRestated(words, opt.Answering, answered, spans, true) {
		s := text[r.start:r.end]
		if allow.permitsText(s) {
			continue
		}
		blocking := !(r.clinical && scope == inAnswer)
		out = append(out, Finding{Start: r.start, End: r.end, Type: RestatedDetail, Text: s, Explanation: why, Blocking: blocking})
	}
	return out
}

func restatedExplanation(c Context) string {
	what := "the comment you are answering"
	if c == ContextReviewReply {
		what = "the review you are answering"
	}
	return "This repeats a detail from " + what + ". Repeating what someone wrote about their care confirms it happened and that they are a patient; reply without the specifics."
}

// foldRestated drops a restated detail that an identifier finding already
// covers, and makes that finding block, since the reply repeats it.
func foldRestated(phi, restated []Finding, c Context) ([]Finding, []Finding) {
	kept := restated[:0]
	for _, r := range restated {
		// phi is in text order without overlaps (Scan resolves them).
		k := sort.Search(len(phi), func(k int) bool { return phi[k].End > r.Start })
		folded := false
		for ; k < len(phi) && phi[k].Start < r.End; k++ {
			if !phi[k].Blocking && r.Blocking {
				phi[k].Blocking = true
				phi[k].Explanation += " " + restatedExplanation(c)
			}
			folded = true
		}
		if !folded {
			kept = append(kept, r)
		}
	}
	return phi, kept
}

// claimExplanations say what is wrong with each kind of claim.
var claimExplanations = map[string]string{
	claimGuarantee:   "This promises an outcome. No treatment's result can be guaranteed; say what it can do and for whom.",
	claimCure:        "This claims a cure. Say what the evidence shows the treatment does, without promising a cure.",
	claimPerfect:     "This claims perfect or near-perfect results. A success figure needs its source and context (which patients, which study), or should go.",
	claimSuperlative: "This is a superlative (\"best\", \"#1\", \"top-rated\") that cannot be substantiated. Describe your training, experience or services instead.",
	claimNoRisk:      "This says a treatment has no risk, pain or side effects. Every treatment has some; describe them fairly.",
	claimMiracle:     "This calls a result a miracle. Describe what the treatment does and how often it works.",
	claimPermanent:   "This promises permanent, instant or certain results. Results vary and may not last; say so.",
	claimProven:      "This says a treatment is proven. Name the evidence (the study and what it found) or soften the claim.",
	claimTestimonial: "This shows one person's result without saying whether it is typical. Add that individual results vary, or describe typical results.",
}

// claimFindings never block; they need a compliance officer's approval
// where the organization's policy asks for it.
func claimFindings(text string, words []pword) []Finding {
	var out []Finding
	for _, m := range findClaims(words) {
		f := findingOf(text, words, m, Claim, claimExplanations[m.p.kind], false)
		f.NeedsApproval = true
		out = append(out, f)
	}
	return out
}

// overlapsAny reports whether a finding of fs, which are in text order
// and do not overlap, overlaps [start, end).
func overlapsAny(fs []Finding, start, end int) bool {
	k := sort.Search(len(fs), func(k int) bool { return fs[k].End > start })
	return k < len(fs) && fs[k].Start < end
}

// sortFindings orders findings by position, then type, so that a report is
// the same on every run.
func sortFindings(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		if fs[i].Start != fs[j].Start {
			return fs[i].Start < fs[j].Start
		}
		if fs[i].End != fs[j].End {
			return fs[i].End > fs[j].End
		}
		return fs[i].Type < fs[j].Type
	})
}

// allowList holds the public terms an author may use, as words and, for
// phone numbers, digits.
type allowList struct {
	terms  [][]string
	joined []string
	digits []string
}

func newAllowList(terms []string) allowList {
	var a allowList
	for _, t := range terms {
		ws := allowWords(t)
		if len(ws) == 0 {
			continue
		}
		a.terms = append(a.terms, ws)
		a.joined = append(a.joined, strings.Join(ws, ""))
		if d := phoneDigits(t); len(d) >= 7 {
			a.digits = append(a.digits, d)
		}
	}
	return a
}

// allowTitles are left out when comparing a name with an allowed term.
var allowTitles = wordSet(strings.Fields(`dr doctor mr mrs ms miss mx prof professor md do rn np pa
	dds dmd phd the`))

// allowWords folds a term to its lower-case words, ignoring punctuation.
func allowWords(s string) []string {
	var out []string
	for _, w := range policyWords(s) {
		if w.w == "'s" || allowTitles[w.w] {
			continue
		}
		out = append(out, strings.Trim(w.w, "#%"))
	}
	return out
}

// phoneDigits returns the digits of s, without a leading US country code.
func phoneDigits(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			b.WriteByte(s[i])
		}
	}
	d := b.String()
	if len(d) == 11 && d[0] == '1' {
		d = d[1:]
	}
	return d
}

// permits reports whether an identifier is one of the allowed terms:
// phone and fax numbers by their digits, anything else when its words
// appear together in an allowed term ("Dr. Lee" in "Dr. Amy Lee, MD").
func (a allowList) permits(s Span) bool {
	if len(a.terms) == 0 {
		return false
	}
	if s.Type == Phone || s.Type == Fax {
		d := phoneDigits(s.Text)
		for _, ad := range a.digits {
			if d == ad {
				return true
			}
		}
		return false
	}
	return a.permitsText(s.Text)
}

func (a allowList) permitsText(text string) bool {
	ws := allowWords(text)
	if len(ws) == 0 {
		return false
	}
	joined := strings.Join(ws, "")
	for i, t := range a.terms {
		if containsRun(t, ws) || a.joined[i] == joined {
			return true
		}
	}
	return false
}

// containsRun reports whether run appears as consecutive words of t.
func containsRun(t, run []string) bool {
	for i := 0; i+len(run) <= len(t); i++ {
		if equalSeq(t[i:i+len(run)], run) {
			return true
		}
	}
	return false
}
