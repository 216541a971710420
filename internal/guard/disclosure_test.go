package guard

import (
	"strings"
	"testing"
)

// relationshipIn returns the texts of the patient-relationship findings of
// a check.
func relationshipIn(r Report) []string {
	var out []string
	for _, f := range r.Findings {
		if f.Type == PatientRelationship {
			out = append(out, f.Text)
		}
	}
	return out
}

func TestCheck_ReviewReplyBlocksPhrasesThatConfirmAPatient(t *testing.T) {
	d := Default()
	replies := []string{
		"Thanks for visiting us, we hope your knee surgery recovery goes well",
		"We hope your visit was pleasant.",
		"Sorry about your appointment being moved.",
		"We're glad your procedure went well!",
		"Hope your recovery is going smoothly.",
		"We apologize for the mix-up with your insurance claim.",
		"We reviewed your chart and everything was done correctly.",
		"We've looked into your file.",
		"I pulled up your records this morning.",
		"After reviewing your account, we found no error.",
		"Our records show you were seen on time.",
		"According to our records, the bill was paid.",
		"We have no record of you.",
		"As your doctor, I want you to know we care.",
		"I am your provider and I stand by the plan.",
		"When you came in, the clinic was very busy.",
		"When you were here we did everything we could.",
		"When you saw Dr. Nguyen, she explained the options.",
		"When you were admitted, the ward was full.",
		"During your stay we tried to keep you comfortable.",
		"You were seen by our urgent care team.",
		"You were treated according to protocol.",
		"You were admitted overnight for observation.",
		"We treated you with the same care as everyone.",
		"It was a pleasure taking care of you!",
		"Glad your surgery went well!",
		"We hope you're feeling better.",
		"Wishing you a speedy recovery!",
		"We're sorry you had to wait.",
		"Sorry for the long wait.",
		"Thanks for choosing us for your care.",
		"Thank you for trusting us with your care.",
		"Thank you for being a loyal patient.",
		"You have been our patient for years.",
		"This patient missed three appointments.",
		"Our patient was informed of the risks.",
		"The reviewer was discharged in stable condition.",
		"She was admitted after the fall.",
		"Your prescription was sent to the pharmacy.",
		"Your test results are normal.",
		"Your MRI showed no tear.",
		"Your bill reflects the contracted rate.",
		"Your copay is set by your insurer.",
		"Congratulations on your new baby!",
		"We're sorry your husband's surgery was postponed.",
		"Your daughter's asthma seems under control.",
		"You missed your follow-up.",
		"You no-showed twice.",
		"We look forward to seeing you again.",
		"Welcome back!",
		"See you at your next appointment.",
		"Your root canal went perfectly.",
		"Your dentures are ready.",
		"We're glad the medication is working.",
		"Thanks for coming in yesterday.",
		"We're sorry the anesthesia made you sick.",
		"We've forwarded your note to the surgeon who operated on you.",
		"Our nurse who gave you the shot apologizes.",
		"You should have received a bill by now.",
		"We have rescheduled you for Tuesday.",
		"We are glad to have been part of your weight loss journey.",
		"Hope the new glasses are working out.",
		"Enjoy your new smile!",
		"Your little one was so brave!",
		"Glad we could help with your back pain.",
		"Sorry you were in pain.",
		"We're glad to hear you're cancer free!",
		"Congrats on the baby!",
		"Happy to hear the pregnancy is going well.",
		"Our hygienist remembers you fondly!",
		"We're happy to hear our team made you feel comfortable.",
		"You were never a patient here.",
		"He was a beloved resident here for 8 years.",
		"We've looked into your complaint.",
		"Your vasectomy consult was rescheduled.",
		"We hope you'll visit us again.",
	}
	for _, text := range replies {
		t.Run(text, func(t *testing.T) {
			r := d.Check(text, Options{Context: ContextReviewReply})
			if len(relationshipIn(r)) == 0 {
				t.Fatalf("no patient-relationship finding in %q: %+v", text, r.Findings)
			}
			if !r.Blocked() {
				t.Fatalf("%q is not blocked", text)
			}
		})
	}
}

func TestCheck_ReviewReplyFindsDisclosureInAnyCase(t *testing.T) {
	d := Default()
	for _, text := range []string{
		"WE REVIEWED YOUR CHART AND YOU WERE SEEN ON TIME.",
		"we reviewed ur chart and u were seen on time",
		"We reviewed your chart and you were seen on time.",
		"we’ve reviewed your chart", // typographic apostrophe
		"we've looked into your chart",
		"Hope youre feeling better",
		"hope you’re feeling better",
	} {
		if r := d.Check(text, Options{Context: ContextReviewReply}); len(relationshipIn(r)) == 0 {
			t.Errorf("no patient-relationship finding in %q", text)
		}
	}
}

func TestCheck_ReviewReplyPassesGenericReplies(t *testing.T) {
	d := Default()
	replies := []string{
		"We take all feedback seriously; please contact our office",
		"Thank you for your feedback.",
		"Thank you for your kind words! We appreciate your feedback.",
		"Thank you for letting us know.",
		"Thank you for being so patient with us.",
		"Thank you for your patience.",
		"We're sorry to hear about your experience. Please contact our office manager.",
		"We're sorry to hear you were unhappy.",
		"Due to privacy laws, we cannot discuss any individual's care.",
		"We take privacy seriously and cannot confirm or deny whether anyone is a patient.",
		"We cannot discuss your care here, but please call us.",
		"If you have questions about your bill, please call our billing office.",
		"If you were a patient of ours, please call.",
		"Should you have concerns about your visit, our office is open daily.",
		"Please reach out to our Patient Relations department at your earliest convenience.",
		"Our patient experience team would love to hear from you.",
		"We are accepting new patients! New patient forms are online.",
		"We strive to provide excellent care to all our patients.",
		"We'd love the opportunity to make things right; please call us.",
		"Everyone deserves to feel respected when they visit a medical office.",
		"Privacy rules keep us from responding to the details here.",
		"Our goal is for every visit to be a good one.",
		"Thanks for visiting our website!",
		"We'd love to take care of you.",
		"We hope you have a wonderful day!",
		"We're glad you had a great experience!",
		"We're sorry you had trouble getting an appointment.",
		"We're sorry about the cold waiting room!",
		"Feel free to contact us directly so we can learn more.",
		"Your feedback helps us improve.",
		"THANK YOU FOR YOUR REVIEW. PLEASE CALL OUR OFFICE.",
		"thanks for the review, please call our office",
		"We hope to see you at our health fair.",
		"We look forward to serving you.",
		"We're glad to announce our new imaging center.",
		"We're sorry for the inconvenience.",
		"We hope the rest of your week is great.",
		"Thank you! Your kind words made our day.",
		"New patient slots open every Monday morning.",
	}
	for _, text := range replies {
		t.Run(text, func(t *testing.T) {
			if got := relationshipIn(d.Check(text, Options{Context: ContextReviewReply})); len(got) > 0 {
				t.Fatalf("%q flagged as confirming a patient: %q", text, got)
			}
		})
	}
}

func TestCheck_AnswerFlagsPastCareButNotAdviceAboutTheAskersHealth(t *testing.T) {
	d := Default()
	tests := []struct {
		text string
		want bool
	}{
		{"When you came in last week we discussed this.", true},
		{"Our records show a different dose.", true},
		{"As your doctor I would suggest waiting.", true},
		{"At your last visit your pressure was fine.", true},
		{"Your knee pain may come from the kneecap; talk to your doctor.", false},
		{"Your symptoms sound like a cold; rest and fluids help.", false},
		{"Bring your records to your next appointment with your own physician.", false},
	}
	for _, tc := range tests {
		got := len(relationshipIn(d.Check(tc.text, Options{Context: ContextAnswer}))) > 0
		if got != tc.want {
			t.Errorf("answer %q: relationship found = %v, want %v", tc.text, got, tc.want)
		}
	}
}

func TestCheck_RelationshipPhrasesDoNotApplyToPosts(t *testing.T) {
	d := Default()
	for _, text := range []string{
		"Your annual physical is the best time to ask about screening.",
		"Hope your week is going well! Flu shots are in.",
		"Talk to your doctor about your blood pressure.",
	} {
		if got := relationshipIn(d.Check(text, Options{Context: ContextPost})); len(got) > 0 {
			t.Errorf("post %q flagged: %q", text, got)
		}
	}
}

func TestCheck_PostAboutOnePatientWithSpecificsWarns(t *testing.T) {
	d := Default()
	tests := []struct {
		text string
		want bool
	}{
		{"My 94 yo patient in room 12 yesterday taught me something.", true},
		{"The patient in room 12 yesterday made my whole shift.", true},
		{"Had a patient this morning who drove two hours to see us.", true},
		{"One of my patients told me today she finally quit smoking.", true},
		{"Saw a 45-year-old man tonight with the worst sunburn of my career.", true},
		{"A patient with diabetes should check their feet daily.", false},
		{"Patients often ask me about statins.", false},
		{"The patient experience matters to us.", false},
		{"Remind every patient to bring a list of medicines.", false},
	}
	for _, tc := range tests {
		r := d.Check(tc.text, Options{Context: ContextPost})
		got := relationshipIn(r)
		if (len(got) > 0) != tc.want {
			t.Errorf("post %q: relationship findings %q, want found=%v", tc.text, got, tc.want)
		}
		for _, f := range r.Findings {
			if f.Type == PatientRelationship && f.Blocking {
				t.Errorf("post %q: a patient described in a post warns, it does not block on its own", tc.text)
			}
		}
	}
}

func TestCheck_ReplyRestatingTheReviewBlocks(t *testing.T) {
	d := Default()
	review := "Dr. Amy Lee left me waiting 3 hours for my root canal on Tuesday. My jaw still hurts and the ibuprofen does nothing."
	tests := []struct {
		reply string
		want  []string // restated texts expected among the findings
	}{
		{"We're sorry. Jaw pain after a root canal is normal; ibuprofen helps most people.", []string{"root canal", "ibuprofen"}},
		{"We're sorry about the 3 hours. We will talk to the team about Tuesday.", []string{"3 hours", "Tuesday"}},
		{"WE ARE SORRY ABOUT THE 3 HOURS.", []string{"3 HOURS"}},
		{"Thank you for your feedback. We take every comment seriously; please contact our office.", nil},
		{"We're sorry about your experience with our staff and the wait.", nil},
	}
	for _, tc := range tests {
		r := d.Check(tc.reply, Options{Context: ContextReviewReply, Answering: review})
		var got []string
		for _, f := range r.Findings {
			if f.Type == RestatedDetail {
				got = append(got, f.Text)
				if !f.Blocking {
					t.Errorf("%q: restated detail %q does not block", tc.reply, f.Text)
				}
			}
		}
		for _, w := range tc.want {
			if !containsString(got, w) {
				t.Errorf("reply %q: restated %q, want %q among them", tc.reply, got, w)
			}
		}
		if len(tc.want) == 0 && len(got) > 0 {
			t.Errorf("reply %q: restated %q, want none", tc.reply, got)
		}
	}
}

func TestCheck_RestatedStaffNameIsFoundWithoutNameDetection(t *testing.T) {
	d := Default()
	r := d.Check("We shared your note with Lee.", Options{Context: ContextReviewReply, Answering: "dr lee was rude"})
	found := false
	for _, f := range r.Findings {
		found = found || strings.EqualFold(f.Text, "Lee") && f.Blocking
	}
	if !found {
		t.Fatalf("the staff name from the review is not caught: %+v", r.Findings)
	}
}

func TestCheck_RestatedDetailsInConversationsNeedAPersonalAccount(t *testing.T) {
	d := Default()
	tests := []struct {
		name, answering, reply string
		ctx                    Context
		want                   bool
	}{
		{"colleague's remark", "Great article! We see a lot of ACL tears and metformin questions in clinic.",
			"ACL tears are indeed common; metformin is another story.", ContextReply, false},
		{"patient's own story", "My ACL surgery with you last March went great!",
			"So glad to hear! ACL surgery recovery takes time.", ContextComment, true},
		{"parent's question", "My 5 year old has had a fever of 103 since Monday, should I worry?",
			"A fever that high deserves a call to a pediatrician, especially after Monday.", ContextAnswer, true},
	}
	for _, tc := range tests {
		r := d.Check(tc.reply, Options{Context: tc.ctx, Answering: tc.answering})
		got := false
		for _, f := range r.Findings {
			got = got || f.Type == RestatedDetail && f.Blocking
		}
		if got != tc.want {
			t.Errorf("%s: blocking restated detail = %v, want %v (%+v)", tc.name, got, tc.want, r.Findings)
		}
	}
}

func TestCheck_AnswerRepeatingTheClinicalTermAskedAboutOnlyWarns(t *testing.T) {
	d := Default()
	r := d.Check("Knee pain after running is often the kneecap.", Options{Context: ContextAnswer, Answering: "My knee hurts after running."})
	for _, f := range r.Findings {
		if f.Blocking {
			t.Fatalf("an answer naming the condition asked about is blocked: %+v", f)
		}
	}
}

func TestCheck_RestatedAllowedTermPasses(t *testing.T) {
	d := Default()
	opt := Options{Context: ContextReviewReply, Answering: "Dr. Lee at Harbor Dental was great", Allowed: []string{"Dr. Amy Lee"}}
	for _, f := range d.Check("Thank you! Dr. Lee appreciates it.", opt).Findings {
		if f.Type == RestatedDetail || f.Type == Name {
			t.Fatalf("the author's own name is flagged: %+v", f)
		}
	}
}

func TestPolicyWords_FoldCaseContractionsAndShorthand(t *testing.T) {
	tests := []struct {
		text string
		want string
	}{
		{"We're SORRY you've waited", "we are sorry you have waited"},
		{"didn’t can't won't", "did not can not will not"},
		{"ur appt", "your appointment"},
		{"mother's knee", "mother 's knee"},
		{"BP 120/80 at 10:30, 3.5mg, 100%", "bp 120 80 at 10:30 3.5mg 100%"},
		{"#1 dentist", "#1 dentist"},
		{"follow-up", "follow up"},
	}
	for _, tc := range tests {
		var got []string
		for _, w := range policyWords(tc.text) {
			got = append(got, w.w)
		}
		if strings.Join(got, " ") != tc.want {
			t.Errorf("policyWords(%q) = %q, want %q", tc.text, strings.Join(got, " "), tc.want)
		}
	}
}

func TestPolicyWords_EndSentencesButNotAtTitles(t *testing.T) {
	words := policyWords("Dr. Lee saw him. Then J. Smith left")
	var breaks []string
	for _, w := range words {
		if w.brk {
			breaks = append(breaks, w.w)
		}
	}
	if strings.Join(breaks, " ") != "dr then" {
		t.Fatalf("sentences start at %q, want [dr then]", breaks)
	}
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func FuzzPolicyRules_MatchesStayInsideTheText(f *testing.F) {
	for _, s := range []string{
		"Thanks for visiting us, we hope your knee surgery recovery goes well",
		"my 94 yo patient in room 12 yesterday",
		"WE'RE SO GLAD YOUR ROOT CANAL WENT WELL! #1 dentist, 100% success",
		"it’s 10:30 ’ ' # % ; ... y/o",
		"\xff\xfe your visit",
	} {
		f.Add(s, "My root canal on Monday with Dr. Lee took 3 hours")
	}
	f.Fuzz(func(t *testing.T, text, answering string) {
		words := policyWords(text)
		for i, w := range words {
			if w.start < 0 || w.end > len(text) || w.start >= w.end || i > 0 && w.start < words[i-1].start {
				t.Fatalf("word %+v is outside %q", w, text)
			}
		}
		check := func(ms []phraseMatch) {
			for _, m := range ms {
				if m.from < 0 || m.to > len(words) || m.from >= m.to {
					t.Fatalf("match %d..%d outside %d words", m.from, m.to, len(words))
				}
			}
		}
		check(findRelationship(words, inReview|inAnswer))
		check(findPatientInPost(words, nil))
		check(findClaims(words))
		answered := policyWords(answering)
		tellsOwnCare(answered)
		for _, r := range findRestated(words, answering, answered, nil, true) {
			if r.start < 0 || r.end > len(text) || r.start >= r.end {
				t.Fatalf("restated %+v outside %q", r, text)
			}
		}
	})
}
