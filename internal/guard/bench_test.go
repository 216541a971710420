package guard

import (
	"strings"
	"testing"
)

// The benchmark texts are written for Rounds (no real patient): a shift of
// ICU nursing notes dense with vitals, doses and shorthand, and a run of
// social-media posts. Both hold a realistic share of identifiers.
const benchNote = `NPN 7a-7p
Neuro: A&Ox3, MAE, follows commands. PERRL 3mm brisk. Denies pain. RASS 0. CIWA 4.
CV: HR 88-96 SR, no ectopy. BP 118/64-132/78. K 3.4 repleted w/ 40 mEq KCl PO. Mg 2.0.
Resp: LS clear, dim bases. RR 18-22, SpO2 95% on 2L NC. Sats dip to 89% with activity.
GI: abd soft, +BS, tol clears. No BM. Colace/senna given. FS 142 at 1600, 2u RISS.
GU: foley draining clear yellow urine 40-60cc/hr. I/O +1.2L. Lasix 20mg IV x1 at 1400.
ID: Tmax 100.2, WBC 12.3 (11.8). Vanco 1gm IV q12h, trough 15.2 on 3/4. Zosyn 3.375g q6h.
Skin: stage 2 decub coccyx 3x4cm, mepilex changed. Braden 14. Turned q2h.
Social: wife Marguerite in to visit, updated by Dr. Oyelaran. Plan to call daughter Tamsin
at (508) 555-0147 if any change. Son Desmond is HCP, phone 617-555-0192, pager 4-5678.
Pt is a 92 yo F admitted 3/4 from Brightwater Commons nursing home w/ UTI and delirium.
Hx Alzheimer's, CHF (EF 35%), afib on coumadin. INR 2.8 this am, goal 2-3. PT 13.5. PTT 30.
MRN: 00481273. Admission Date: 04/17/2021. Discharge planned for Friday 4/23.
ABG 7.36/42/98. Vent: AC 500x14, FiO2 40%, PEEP 5, PS 10/5 trial at 1100 tolerated 2 hrs.
Labs: Na 135, K 4.1, Cl 102, HCO3 24, BUN 18, Cr 1.0, Glu 110. Hct 28.1->30.2 after 1u PRBC.
Plan: continue abx day 6/14, wean O2 as tol, PT/OT consult, f/u Dr. Nakashima on March 3rd.
Case management: insurance BCBS, subscriber ID XKJ884120337, group 0012248. Fax 617-555-0177.
Pain 4/10 R hip, medicated w/ 2mg morphine IV. 5/5 strength BUE, 4/5 BLE. 2/2 deconditioning.
Family meeting on the 14th with Dr. Priyamvada Raghunath; email rounds.team@example.org.
`

const benchSocial = `my grandma turns 96 tomorrow and she still beats everyone at cards 🎂 #blessed
day 3 of chemo round 2. tired but ok. thanks @sunny_days for the soup!! 10/10 would recommend
anyone else's kid get rsv this winter? 4 days of fever, finally broke last night. pedi said 2-3 more days
Shoutout to the night nurses on 7 West at Mercy General, you are angels. Nurse Priya especially ❤️
if you need the support group it meets tuesdays at 7pm, call 555-0142 or check www.caregivers-circle.org
dad (91!!) fell again last night, this time broke his hip. surgery on may 3 at st. luke's
lol my doctor's office put me on hold for 45 min just to tell me to call back on monday 🙄
PSA: flu shots are free at the pharmacy on Main St until Oct 31. bring your insurance card
We lost Grandpa Ignacy last night at 97. He survived a war, emigrated with nothing, raised 6 kids.
`

func benchText(base string, size int) string {
	return strings.Repeat(base, size/len(base)+1)
}

// BenchmarkScan measures the whole detector (patterns, lexicon, resolve)
// per byte of text.
func BenchmarkScan(b *testing.B) {
	d := Default()
	for _, c := range []struct{ name, text string }{
		{"clinical", benchText(benchNote, 64<<10)},
		{"social", benchText(benchSocial, 64<<10)},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.text)))
			b.ReportAllocs()
			for b.Loop() {
				d.Scan(c.text)
			}
		})
	}
}

// BenchmarkScanPatterns measures the pattern scanner alone.
func BenchmarkScanPatterns(b *testing.B) {
	for _, c := range []struct{ name, text string }{
		{"clinical", benchText(benchNote, 64<<10)},
		{"social", benchText(benchSocial, 64<<10)},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.text)))
			b.ReportAllocs()
			for b.Loop() {
				scanPatterns(c.text)
			}
		})
	}
}

// BenchmarkResolve measures overlap resolution over both scanners' spans.
func BenchmarkResolve(b *testing.B) {
	text := benchText(benchNote, 64<<10)
	d := Default()
	spans := append(scanPatterns(text), d.lex.scan(text)...)
	work := make([]Span, len(spans))
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		copy(work, spans)
		resolve(text, work)
	}
}
