package guard

import "strings"

// Claims: promises and boasts that health advertising rules (and good
// sense) forbid in a clinician's or organization's public words:
// guaranteed outcomes, cures, perfect success, superlatives, "risk-free",
// miracles, and testimonials whose results are shown as if anyone would
// get them. They never block; an organization may require a compliance
// officer to approve them.

// Kinds of claim, each with its own explanation.
const (
	claimGuarantee   = "guarantee"
	claimCure        = "cure"
	claimPerfect     = "perfect"
	claimSuperlative = "superlative"
	claimNoRisk      = "no-risk"
	claimMiracle     = "miracle"
	claimPermanent   = "permanent"
	claimProven      = "proven"
	claimTestimonial = "testimonial"
)

var claimClasses = wordClasses{
	"guarantee": strings.Fields(`guarantee guarantees guaranteed guaranteeing guarantee's`),
	"cure":      strings.Fields(`cure cures cured curing`),
	"best":      strings.Fields(`best finest greatest top`),
	"provider": strings.Fields(`doctor doctors dr doc physician physicians surgeon surgeons dentist
		dentists hospital hospitals clinic clinics practice practices team staff nurse nurses
		specialist specialists orthodontist orthodontists chiropractor chiropractors dermatologist
		dermatologists cardiologist cardiologists practitioner practitioners provider providers center
		centers centre facility office medspa spa therapist therapists pediatrician pediatricians
		obgyn midwife pharmacy`),
	"mod": strings.Fields(`orthopedic orthopaedic pediatric cosmetic plastic dental medical family
		spine heart cardiac eye skin cancer weight loss sports primary urgent emergency physical
		chiropractic fertility womens mens kids childrens 's dentistry surgical health care`),
	"successWord": strings.Fields(`success successful effective effectiveness safe results result cure
		cured satisfaction painless guaranteed recovery accurate accuracy natural pain of`),
	"noRisk": strings.Fields(`risk risks side`),
	"zero":   strings.Fields(`no zero without`),
	"total":  strings.Fields(`completely totally absolutely 100% perfectly entirely`),
	"permanentThing": strings.Fields(`results result fix solution relief cure weight loss
		improvement correction`),
	"permanentVerb": strings.Fields(`fix fixes fixed cure cures cured remove removes removed eliminate
		eliminates eliminated gone resolve resolves resolved end ends ended`),
	"instant":    strings.Fields(`instant overnight immediate`),
	"proven":     strings.Fields(`clinically scientifically medically`),
	"weightVerb": strings.Fields(`lost lose losing dropped shed shedding down`),
	"weightUnit": strings.Fields(`lbs lb pounds pound kg kilos kilo kilograms sizes size inches stone`),
	"lighter":    strings.Fields(`lighter down gone lost`),
	"approx":     strings.Fields(`over almost nearly about around a whopping more than`),
	"meds": strings.Fields(`meds medications medication medicine medicines insulin opioids painkillers
		pills inhaler`),
	"again": strings.Fields(`walking running dancing golfing skiing working hiking playing driving
		swimming lifting biking cycling sleeping eating smiling`),
	"healed": strings.Fields(`healed recovered cured gone better results healthy`),
	"within": strings.Fields(`in within after`),
	"just":   strings.Fields(`just only`),
	"sessionUnit": strings.Fields(`session sessions treatment treatments visit visits week weeks day
		days month months appointment appointments injection injections shot shots`),
	"complaint": strings.Fields(`pain migraines migraine headaches headache back aches sciatica acne
		wrinkles snoring anxiety insomnia`),
	"condition": strings.Fields(`diabetes diabetic hypertension arthritis asthma depression obesity
		aging disease`),
	"his": strings.Fields(`his her my their your all`),
}

var claimPhrases = compilePhrases(claimClasses, []phraseSpec{
	{"@guarantee", inReplies | inPost, strengthNormal, claimGuarantee},
	{"@cure", inReplies | inPost, strengthNormal, claimCure},
	{"100% ~2 @successWord", inReplies | inPost, strengthNormal, claimPerfect},
	{"100 percent ~2 @successWord", inReplies | inPost, strengthNormal, claimPerfect},
	{"@best @mod* @provider", inReplies | inPost, strengthNormal, claimSuperlative},
	{"the @best in|around", inReplies | inPost, strengthNormal, claimSuperlative},
	{"#1 ~1 @mod* @provider|in", inReplies | inPost, strengthNormal, claimSuperlative},
	{"number one|1 @mod* @provider", inReplies | inPost, strengthNormal, claimSuperlative},
	{"world class", inReplies | inPost, strengthNormal, claimSuperlative},
	{"top rated|ranked", inReplies | inPost, strengthNormal, claimSuperlative},
	{"risk free", inReplies | inPost, strengthNormal, claimNoRisk},
	{"riskfree|painless|painfree|safest", inReplies | inPost, strengthNormal, claimNoRisk},
	{"pain free", inReplies | inPost, strengthNormal, claimNoRisk},
	{"@zero @noRisk effects?", inReplies | inPost, strengthNormal, claimNoRisk},
	{"@total safe|harmless|painless", inReplies | inPost, strengthNormal, claimNoRisk},
	{"miracle|miracles|miraculous|miraculously", inReplies | inPost, strengthNormal, claimMiracle},
	{"permanent @permanentThing", inReplies | inPost, strengthNormal, claimPermanent},
	{"permanently @permanentVerb", inReplies | inPost, strengthNormal, claimPermanent},
	{"@instant @permanentThing", inReplies | inPost, strengthNormal, claimPermanent},
	{"never fails", inReplies | inPost, strengthNormal, claimPermanent},
	{"always works", inReplies | inPost, strengthNormal, claimPermanent},
	{"works every time", inReplies | inPost, strengthNormal, claimPermanent},
	{"works for everyone|everybody", inReplies | inPost, strengthNormal, claimPermanent},
	{"@proven proven", inReplies | inPost, strengthNormal, claimProven},
	{"proven to", inReplies | inPost, strengthNormal, claimProven},
	// Testimonial results.
	{"@weightVerb @approx* @num @weightUnit", inReplies | inPost, strengthNormal, claimTestimonial},
	{"@num @weightUnit @lighter", inReplies | inPost, strengthNormal, claimTestimonial},
	{"off ~2 @meds", inReplies | inPost, strengthNormal, claimTestimonial},
	{"@again again", inReplies | inPost, strengthNormal, claimTestimonial},
	{"back to ~3 @within @just? @num", inReplies | inPost, strengthNormal, claimTestimonial},
	{"@healed @within @just? @num", inReplies | inPost, strengthNormal, claimTestimonial},
	{"after|in @just @num @sessionUnit", inReplies | inPost, strengthNormal, claimTestimonial},
	{"no more @complaint", inReplies | inPost, strengthNormal, claimTestimonial},
	{"@total healed|cured|gone|recovered|pain", inReplies | inPost, strengthNormal, claimTestimonial},
	{"reversed @his? @condition", inReplies | inPost, strengthNormal, claimTestimonial},
	{"years younger", inReplies | inPost, strengthNormal, claimTestimonial},
	{"like new", inReplies | inPost, strengthNormal, claimTestimonial},
})

// typicalityPhrases say that a result is not what everyone gets.
var typicalityPhrases = compilePhrases(wordClasses{
	"result": strings.Fields(`result results outcome outcomes experiences`),
	"vary":   strings.Fields(`vary varies differ`),
	"study":  strings.Fields(`study studies trial trials average median typical typically atypical`),
}, []phraseSpec{
	{"@result may|can|will|do|does? not? @vary", inReplies | inPost, strengthNormal, ""},
	{"individual|individuals @result?", inReplies | inPost, strengthNormal, ""},
	{"@study", inReplies | inPost, strengthNormal, ""},
	{"not guaranteed", inReplies | inPost, strengthNormal, ""},
})

var (
	claimNegations = wordSet(strings.Fields(`no not never nobody none without nothing nor cannot`))
	// cureAspirations before "cure" make it a hope, not a promise.
	cureAspirations = wordSet(strings.Fields(`find finding found search searching hope hoping research
		researching seek seeking toward towards quest until closer race fund funding funds raise
		raising potential possible develop developing working work looking is there any`))
	// guaranteeServices after "guarantee" are service promises, not outcomes.
	guaranteeServices = wordSet(strings.Fields(`privacy confidentiality security appointment
		appointments availability response callback price prices pricing parking same`))
)

// findClaims returns the claims in words with their kinds.
func findClaims(words []pword) []phraseMatch {
	var out []phraseMatch
	typicalityStated := len(typicalityPhrases.find(words, inPost)) > 0
	for _, m := range claimPhrases.find(words, inPost) {
		if claimExcluded(words, m, typicalityStated) {
			continue
		}
		out = append(out, m)
	}
	out = append(out, findRateClaims(words)...)
	return mergeClaims(out)
}

// claimExcluded reports whether a claim phrase is negated, a hope, or
// otherwise not a claim.
func claimExcluded(words []pword, m phraseMatch, typicalityStated bool) bool {
	switch m.p.kind {
	case claimTestimonial:
		return typicalityStated
	case claimGuarantee:
		return negatedBefore(words, m.from, claimNegations) || followedBy(words, m.to, 3, guaranteeServices)
	case claimCure:
		if m.to < len(words) && !words[m.to].brk && strings.HasPrefix(words[m.to].w, "rate") {
			return true // "cure rates in trials"
		}
		return negatedBefore(words, m.from, claimNegations) || negatedBefore(words, m.from, cureAspirations)
	case claimSuperlative:
		if last := words[m.to-1].w; (last == "practice" || last == "practices") && !followedBy(words, m.to, 1, superlativePlaces) {
			return true // "best practices for hand hygiene"
		}
		return negatedBefore(words, m.from, claimNegations)
	case claimNoRisk, claimPermanent, claimMiracle, claimProven:
		return negatedBefore(words, m.from, claimNegations)
	}
	return false
}

// negatedBefore reports whether one of set is among the four words before
// i in its sentence.
func negatedBefore(words []pword, i int, set map[string]bool) bool {
	start := sentenceStartAt(words, i)
	for j := i - 1; j >= start && j >= i-4; j-- {
		if set[words[j].w] {
			return true
		}
	}
	return false
}

func followedBy(words []pword, i, n int, set map[string]bool) bool {
	for j := i; j < len(words) && j < i+n && (j == i || !words[j].brk); j++ {
		if set[words[j].w] {
			return true
		}
	}
	return false
}

var superlativePlaces = wordSet(strings.Fields(`in around near on`))

var (
	rateWords    = wordSet(strings.Fields(`success cure satisfaction effective effectiveness`))
	rateCarriers = wordSet(strings.Fields(`rate rates`))
)

var rateKind = &phrase{kind: claimPerfect}

// findRateClaims finds success figures: "98% success", "a cure rate of
// 95%". A figure from a study is still a claim a compliance officer
// should see, unless the text says where it comes from.
func findRateClaims(words []pword) []phraseMatch {
	var out []phraseMatch
	for i, w := range words {
		if !strings.HasSuffix(w.w, "%") || w.w == "100%" {
			continue
		}
		if i+1 < len(words) && !words[i+1].brk && rateWords[words[i+1].w] {
			out = append(out, phraseMatch{from: i, to: i + 2, p: rateKind})
			continue
		}
		// "success rate of 97%"
		if i >= 3 && rateWords[words[i-3].w] && rateCarriers[words[i-2].w] && words[i-1].w == "of" && !words[i-1].brk && !words[i].brk {
			out = append(out, phraseMatch{from: i - 3, to: i + 1, p: rateKind})
		}
	}
	if len(out) > 0 && len(typicalityPhrases.find(words, inPost)) > 0 {
		return nil
	}
	return out
}

// mergeClaims orders claims and joins overlapping ones.
func mergeClaims(ms []phraseMatch) []phraseMatch {
	for i := 1; i < len(ms); i++ { // insertion sort: a handful of claims
		for j := i; j > 0 && ms[j].from < ms[j-1].from; j-- {
			ms[j], ms[j-1] = ms[j-1], ms[j]
		}
	}
	return mergeMatches(ms)
}
