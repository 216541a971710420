// Package synthetic makes invented clinician profiles for benchmarks and
// load tests: realistic spread over US metropolitan areas, specialties,
// languages and ratings. The people do not exist.
package synthetic

import (
	"math/rand/v2"

	"github.com/rounds-health/rounds/internal/directory"
	"github.com/rounds-health/rounds/internal/geo"
	"github.com/rounds-health/rounds/internal/taxonomy"
)

// Metro is a metropolitan area clinicians are spread around.
type Metro struct {
	City, State string
	Center      geo.Point
	Weight      int // relative number of clinicians
}

// Metros are the areas used, roughly weighted by population.
var Metros = []Metro{
	{"New York", "NY", geo.Point{Lat: 40.7128, Lon: -74.0060}, 20}, {"Los Angeles", "CA", geo.Point{Lat: 34.0522, Lon: -118.2437}, 13},
	{"Chicago", "IL", geo.Point{Lat: 41.8781, Lon: -87.6298}, 9}, {"Dallas", "TX", geo.Point{Lat: 32.7767, Lon: -96.7970}, 8},
	{"Houston", "TX", geo.Point{Lat: 29.7604, Lon: -95.3698}, 7}, {"Washington", "DC", geo.Point{Lat: 38.9072, Lon: -77.0369}, 6},
	{"Philadelphia", "PA", geo.Point{Lat: 39.9526, Lon: -75.1652}, 6}, {"Miami", "FL", geo.Point{Lat: 25.7617, Lon: -80.1918}, 6},
	{"Atlanta", "GA", geo.Point{Lat: 33.7490, Lon: -84.3880}, 6}, {"Boston", "MA", geo.Point{Lat: 42.3601, Lon: -71.0589}, 5},
	{"Phoenix", "AZ", geo.Point{Lat: 33.4484, Lon: -112.0740}, 5}, {"San Francisco", "CA", geo.Point{Lat: 37.7749, Lon: -122.4194}, 5},
	{"Seattle", "WA", geo.Point{Lat: 47.6062, Lon: -122.3321}, 4}, {"Minneapolis", "MN", geo.Point{Lat: 44.9778, Lon: -93.2650}, 4},
	{"San Diego", "CA", geo.Point{Lat: 32.7157, Lon: -117.1611}, 3}, {"Denver", "CO", geo.Point{Lat: 39.7392, Lon: -104.9903}, 3},
	{"St. Louis", "MO", geo.Point{Lat: 38.6270, Lon: -90.1994}, 3}, {"Baltimore", "MD", geo.Point{Lat: 39.2904, Lon: -76.6122}, 3},
	{"Portland", "OR", geo.Point{Lat: 45.5152, Lon: -122.6784}, 2}, {"Nashville", "TN", geo.Point{Lat: 36.1627, Lon: -86.7816}, 2},
	{"Cleveland", "OH", geo.Point{Lat: 41.4993, Lon: -81.6944}, 2}, {"Pittsburgh", "PA", geo.Point{Lat: 40.4406, Lon: -79.9959}, 2},
	{"Salt Lake City", "UT", geo.Point{Lat: 40.7608, Lon: -111.8910}, 1}, {"Albuquerque", "NM", geo.Point{Lat: 35.0844, Lon: -106.6504}, 1},
}

var firstNames = []string{"James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Elizabeth",
	"William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Wei", "Mei", "Priya", "Arjun", "Fatima",
	"Omar", "Sofia", "Mateo", "Aisha", "Kwame", "Yuki", "Hiroshi", "Olga", "Ivan", "Ana", "Luis", "Grace", "Daniel", "Nia", "Chen"}

var lastNames = []string{"Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
	"Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Nguyen",
	"Patel", "Kim", "Chen", "Wang", "Singh", "Okafor", "Mensah", "Cohen", "Rossi", "Novak", "Kowalski", "Haddad", "Tanaka", "Silva"}

var conditions = []string{"hypertension", "heart failure", "diabetes", "asthma", "arthritis", "back pain", "migraine", "depression",
	"anxiety", "obesity", "COPD", "atrial fibrillation", "thyroid disease", "sports injuries", "pregnancy", "menopause", "acne"}

// Clinicians returns n invented, published profiles, the same for the same seed.
func Clinicians(n int, seed uint64) []*directory.Clinician {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	specs := taxonomy.All()
	total := 0
	for _, m := range Metros {
		total += m.Weight
	}
	out := make([]*directory.Clinician, n)
	for i := range out {
		m := pickMetro(rng, total)
		// Within about 40 km of the center, denser near it.
		p := geo.Point{Lat: m.Center.Lat + rng.NormFloat64()*0.15, Lon: m.Center.Lon + rng.NormFloat64()*0.18}
		spec := specs[rng.IntN(len(specs))]
		if rng.IntN(3) > 0 { // two thirds physicians, as in a hospital directory
			spec = specs[rng.IntN(min(len(specs), 110))]
		}
		c := &directory.Clinician{
			FirstName: firstNames[rng.IntN(len(firstNames))], LastName: lastNames[rng.IntN(len(lastNames))],
			Credentials: "MD", AcceptingNew: rng.IntN(2) == 0, Published: true,
			Specialties: []directory.Specialty{{Code: spec.Code, Primary: true}},
			Languages:   []string{"en"}, Conditions: []string{conditions[rng.IntN(len(conditions))]},
			Locations: []directory.Location{{Name: m.City + " practice", City: m.City, State: m.State, Point: p}},
		}
		if rng.IntN(4) == 0 {
			c.Languages = append(c.Languages, []string{"es", "zh", "vi", "fr", "ar", "ko", "ru", "pt"}[rng.IntN(8)])
		}
		if rng.IntN(10) < 4 {
			c.Status = directory.Verified
		}
		if rng.IntN(2) == 0 {
			c.RatingCount = 1 + rng.IntN(200)
			c.RatingAvg = float64(int((3+rng.Float64()*2)*10)) / 10
		}
		out[i] = c
	}
	return out
}

func pickMetro(rng *rand.Rand, total int) Metro {
	r := rng.IntN(total)
	for _, m := range Metros {
		if r < m.Weight {
			return m
		}
		r -= m.Weight
	}
	return Metros[0]
}
