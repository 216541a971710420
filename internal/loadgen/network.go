package loadgen

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/rounds-health/rounds/internal/account"
)

// The shape of the synthetic network. Popularity and activity follow Zipf
// laws over one ranking of the accounts, in which organizations' staff
// accounts and clinicians mostly come first: a few hospitals and clinicians
// are followed by thousands and post the most, most patients by a few dozen.
const (
	staffShare     = 0.03 // accounts that speak for an organization (a hospital, a clinic)
	clinicianShare = 0.20
	followZipf     = 0.8 // exponent of the followee distribution over popularity ranks
	authorZipf     = 0.9 // exponent of the author distribution over the same ranks
	minFollowing   = 20  // most accounts follow between these two numbers…
	maxFollowing   = 200 // …with a power law (density ∝ d⁻²), mean about 51
	newcomerShare  = 0.05
	usernameWidth  = 7 // lg0000000: up to 10,000,000 accounts
)

// MaxAccounts is the largest network the usernames can name.
const MaxAccounts = 10_000_000

// Username is the name of synthetic account i.
func Username(i int) string { return fmt.Sprintf("lg%0*d", usernameWidth, i) }

// network is the synthetic graph before it is written: who is who, the
// popularity ranking and the cumulative distributions drawn from.
type network struct {
	n        int
	roles    []account.Role
	byRank   []int     // account index at each popularity rank
	follow   []float64 // cumulative followee weights by rank
	author   []float64 // cumulative author weights by rank
	seed     uint64
	start    time.Time // the network's history runs from start…
	end      time.Time // …to end
	accounts []int64   // database IDs, by index, once written
}

func newNetwork(n int, days int, seed uint64, now time.Time) *network {
	rng := rand.New(rand.NewPCG(seed, 0x6c6f6164))
	nw := &network{n: n, roles: make([]account.Role, n), seed: seed,
		end: now.Add(-time.Hour).Truncate(time.Millisecond)}
	nw.start = nw.end.Add(-time.Duration(days) * 24 * time.Hour)
	keys := make([]float64, n)
	for i := range n {
		switch u := rng.Float64(); {
		case u < staffShare:
			nw.roles[i], keys[i] = account.Staff, rng.Float64()*0.05
		case u < staffShare+clinicianShare:
			nw.roles[i], keys[i] = account.Clinician, rng.Float64()*0.3
		default:
			nw.roles[i], keys[i] = account.Patient, rng.Float64()
		}
	}
	nw.byRank = make([]int, n)
	for i := range nw.byRank {
		nw.byRank[i] = i
	}
	slices.SortStableFunc(nw.byRank, func(a, b int) int {
		switch {
		case keys[a] < keys[b]:
			return -1
		case keys[a] > keys[b]:
			return 1
		}
		return 0
	})
	nw.follow, nw.author = zipfCDF(n, followZipf), zipfCDF(n, authorZipf)
	return nw
}

// zipfCDF returns the cumulative weights rank^-s, normalized to end at 1.
func zipfCDF(n int, s float64) []float64 {
	cdf := make([]float64, n)
	sum := 0.0
	for r := range n {
		sum += math.Pow(float64(r+1), -s)
		cdf[r] = sum
	}
	for r := range cdf {
		cdf[r] /= sum
	}
	return cdf
}

// draw returns a rank drawn from cdf.
func draw(rng *rand.Rand, cdf []float64) int {
	return min(sort.SearchFloat64s(cdf, rng.Float64()), len(cdf)-1)
}

// users returns the accounts to create.
func (nw *network) users() []account.BulkUser {
	rng := rand.New(rand.NewPCG(nw.seed, 0x75736572))
	out := make([]account.BulkUser, nw.n)
	for i := range out {
		name := Username(i)
		u := account.BulkUser{Username: name, Email: name + "@loadgen.invalid", Role: nw.roles[i],
			CreatedAt: nw.start.Add(-time.Duration(rng.IntN(365*24)) * time.Hour)}
		first, last := firstNames[rng.IntN(len(firstNames))], lastNames[rng.IntN(len(lastNames))]
		switch u.Role {
		case account.Staff:
			u.DisplayName = last + " " + orgKinds[rng.IntN(len(orgKinds))]
			u.Bio, u.Verified = "Synthetic organization account for load tests.", true
		case account.Clinician:
			u.DisplayName = "Dr. " + first + " " + last
			u.Bio, u.Verified = "Synthetic clinician account for load tests.", true
		default:
			u.DisplayName = first + " " + last[:1] + "."
			u.Verified = true // a patient is who they say they are; clinicians need checks
		}
		out[i] = u
	}
	return out
}

// followingOf returns the account indexes that account i follows: a
// power-law number of distinct accounts, drawn by popularity.
func (nw *network) followingOf(i int) []int {
	rng := rand.New(rand.NewPCG(nw.seed^uint64(i)*0x9e3779b97f4a7c15, 0x666f6c6c))
	var d int
	if rng.Float64() < newcomerShare {
		d = 1 + rng.IntN(minFollowing-1)
	} else {
		// Inverse CDF of a density ∝ d⁻² on [min, max].
		u := rng.Float64()
		d = int(1 / (1/float64(minFollowing) - u*(1/float64(minFollowing)-1/float64(maxFollowing))))
	}
	d = min(d, (nw.n-1)/2) // small test networks: keep the draws finite
	seen := make(map[int]bool, d)
	out := make([]int, 0, d)
	for tries := 0; len(out) < d && tries < 50*d; tries++ {
		j := nw.byRank[draw(rng, nw.follow)]
		if j != i && !seen[j] {
			seen[j] = true
			out = append(out, j)
		}
	}
	return out
}

// followedAt is when a follow was made: some time in the network's history.
func (nw *network) followedAt(rng *rand.Rand) time.Time {
	return nw.start.Add(time.Duration(rng.Int64N(int64(nw.end.Sub(nw.start)))))
}

// postTimes returns n creation times, in order, spread evenly at random
// over the network's history, at millisecond precision.
func (nw *network) postTimes(n int) []int64 {
	rng := rand.New(rand.NewPCG(nw.seed, 0x74696d65))
	lo, span := nw.start.UnixMilli(), nw.end.Sub(nw.start).Milliseconds()
	ts := make([]int64, n)
	for i := range ts {
		ts[i] = lo + rng.Int64N(span)
	}
	slices.Sort(ts)
	return ts
}

// Words for names and posts. Posts avoid @ and #: the bulk path writes no
// mentions or hashtags.
var (
	firstNames = []string{"Ana", "Ben", "Chloe", "David", "Elena", "Farid", "Grace", "Hiro", "Imani", "Jonas", "Kavya", "Liam",
		"Maya", "Noah", "Olga", "Priya", "Quinn", "Rosa", "Samir", "Tara", "Uma", "Victor", "Wen", "Yara", "Zoe"}
	lastNames = []string{"Okafor", "Garcia", "Nguyen", "Smith", "Kowalski", "Haddad", "Johnson", "Tanaka", "Mensah", "Schmidt",
		"Patel", "Rossi", "Cohen", "Silva", "Dubois", "Kim", "Larsen", "Moreau", "Novak", "Osei"}
	orgKinds  = []string{"General Hospital", "Medical Center", "Community Clinic", "Children's Hospital", "Health Network"}
	sentences = []string{
		"Flu shots are available at all our locations this week, no appointment needed.",
		"A reminder that regular blood pressure checks catch problems early.",
		"Our cardiology team is hosting a free heart health talk on Thursday evening.",
		"New research suggests that short walks after meals help with blood sugar.",
		"We are extending weekend hours at the urgent care clinic.",
		"Sleep matters: most adults need seven to nine hours a night.",
		"If you have questions about a new prescription, ask your pharmacist.",
		"Thank you to our nurses for another incredible week.",
		"Sun protection is not just for summer; wear sunscreen every day.",
		"Hand washing remains one of the best ways to prevent infections.",
		"Our pediatric clinic now offers evening appointments for school-age children.",
		"Staying hydrated helps your kidneys and your concentration.",
		"Screening guidelines for colorectal cancer now start at age 45.",
		"Physical therapy can make a real difference after a sports injury.",
		"We welcome three new family medicine physicians to the practice.",
		"Managing stress is part of managing your heart health.",
		"Vaccines are safe, effective and tested in large trials.",
		"Bring a list of your medicines to every appointment.",
		"Telehealth visits are available for many follow-up appointments.",
		"Eating more fiber is good for digestion and for the heart.",
		"Our blood drive is on Saturday; every donation can help three people.",
		"Ask us about quitting smoking: support doubles the chance of success.",
		"Migraines are more than headaches, and treatments have improved.",
		"Seasonal allergies are starting early this year.",
		"A healthy pregnancy starts with early prenatal care.",
		"Strength training twice a week helps keep bones strong.",
		"Mental health is health; talking to someone is a good first step.",
		"We have updated our visitor policy for the winter season.",
		"Diabetes education classes start again next month.",
		"Great discussion today about reducing antibiotic overuse.",
	}
)

// postText returns a post of two to four sentences.
func postText(rng *rand.Rand) string {
	n := 2 + rng.IntN(3)
	parts := make([]string, n)
	for i := range parts {
		parts[i] = sentences[rng.IntN(len(sentences))]
	}
	return strings.Join(parts, " ")
}
