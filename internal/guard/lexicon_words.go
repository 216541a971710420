package guard

import "strings"

// The curated lists: words whose role the census and frequency data cannot
// tell. Keys are lower case, apostrophes dropped, as the tokenizer makes them.
var curated = []struct {
	bit   uint32
	words string
}{
	{titleBit, `dr doctor mr mrs ms miss mx prof professor rev reverend fr pastor rabbi
		nurse sister attending dra sra sr sir madam maam imam chaplain
		commander captain capt sergeant sgt colonel col lieutenant lt admiral officer
		detective det trooper sheriff deputy judge coach`},
	{credBit, `md rn np pa pa-c phd dds dmd lpn cna bsn msn crna fnp dnp pharmd lcsw msw
		rrt facc facs mph aprn acnp anp dpt otr ccc-slp mbbs frcp mrcp`},
	{relateBit, `wife husband son daughter mother father mom mum dad sister brother
		friend grandson granddaughter grandmother grandfather grandma grandpa granny
		niece nephew aunt uncle cousin girlfriend boyfriend partner fiance fiancee
		spouse neighbor neighbour roommate hcp proxy guardian caregiver sibling
		stepson stepdaughter stepmother stepfather pt patient named nee aka bro sis
		babe baby hubby bf gf bff colleague coworker boss pcp attending resident intern
		fellow surgeon physician cardiologist oncologist neurologist nephrologist
		therapist daughters sons sisters brothers parents kids children
		grandchildren grandsons granddaughters friends cousins nieces nephews kid
		abuelo abuela nana nonna nonno tia tio bubbe zayde papa mama
		dtr dau dgtr husb neph gdtr grandniece grandnephew godson goddaughter
		godmother godfather stepsister stepbrother stepmom stepdad nan gran gramps
		grammy auntie aunty oma opa lola lolo yiayia bubbie in-law in-laws
		interpreter translator sponsor aide sitter counselor counsellor coordinator
		dietitian dietician pharmacist landlord landlady tech technician manager
		worker sw cm preceptor doula midwife housemate companion nanny babysitter
		bestie liaison advocate ot rt cde mgr pct pca lna twin hygienist receptionist
		reception stocker cashier phlebotomist scheduler`},
	{weakRelBit, `per by with and to from for see saw met told asked paged notified
		informed called contacted spoke discussed dw visited visit cc seen w`},
	{greetBit, `hi hello hey dear thanks thank thx congrats congratulations love
		regards cheers sincerely yours attn greetings welcome bye goodbye`},
	{funcBit, `a an the and or but nor if then than so as at by for from in into of off
		on onto out over per to up via with within without about above after again
		against along among around before behind below beneath beside between beyond
		down during except inside near since through till toward towards under until
		upon i me my mine myself we us our ours you your yours he him his himself she
		her hers herself it its itself they them their theirs this that these those who
		whom whose which what when where why how all any both each either neither every
		few more most other some such no not only own same too very can could may might
		must shall should will would do does did done am is are was were be been being
		have has had having here there now just also well still yet ever never again
		once soon today tonight tomorrow yesterday yes ok okay oh lol please pls let
		get got go going went come came say said one two three four five six seven
		eight nine ten new old good bad big little long great last next first see
		seen make made take took give gave tell told ask asked call called know knew
		think thought want wanted need needed feel felt look looked keep kept put
		like just really much many lot lots day days week weeks month months year
		years time times night morning evening afternoon am pm hr hrs min mins sec
		states stated reports reported denies denied remains appears re`},
	{stopBit, `january february march april may june july august september october
		november december jan feb mar apr jun jul aug sep sept oct nov dec monday
		tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur
		thurs fri sat sun christmas easter thanksgiving halloween hanukkah ramadan
		god jesus christ lord allah
		parkinson parkinsons alzheimer alzheimers crohn crohns hodgkin hodgkins
		nonhodgkin raynaud
		raynauds kaposi tourette tourettes guillain barre 
		apgar foley gram doppler holter coombs heimlich valsalva babinski
		romberg trendelenburg kussmaul korotkoff wernicke korsakoff kernig brudzinski
		homan homans swan-ganz ganz whipple nissen broviac groshong penrose
		hemovac jackson-pratt mahurkar dobhoff bair hoyer kerlix tegaderm
		xeroform duoderm coban betadine braden gleason mallampati epley lachman
		mcmurray phalen tinel finkelstein cheyne cheyne-stokes bovie luer tenckhoff
		ommaya mediport portacath yankauer ambu venturi venti guedel fogarty hartmann
		roux billroth kocher pfannenstiel mcburney veress ilizarov colles glasgow
		rass gcs nyha killip ranson apache meld 
		child-pugh marfan ehlers-danlos danlos klinefelter down asperger
		aspergers bells sjogren sjogrens behcet behcets kawasaki
		wegener wegeners takayasu paget pagets hirschsprung meckel meckels
		zenker zenkers mallory-weiss boerhaave dupuytren dupuytrens
		schlatter perthes legg-calve-perthes bartholin
		bartholins wilms burkitt burkitts waldenstrom hurthle reed-sternberg
		charcot charcot-marie-tooth gehrig gehrigs tay-sachs gaucher
		fabry pompe niemann-pick krabbe menkes wolff-parkinson-white mobitz wenckebach
		brugada torsades stokes-adams adams-stokes graham-steell steell
		kerley virchow virchows grey-turner dressler dresslers
		lhermitte argyll brown-sequard sequard bell-palsy
		ramsay-hunt munchausen munchausens capgras cotard ganser korsakoffs
		lewy pick picks creutzfeldt creutzfeldt-jakob gerstmann landau-kleffner
		lennox-gastaut rett retts angelman prader-willi digeorge alport
		goodpasture goodpastures bartter gitelman fanconi fanconis
		wilson-disease kimmelstiel-wilson peyronie peyronies kegel kegels pap papanicolaou
		gram-negative gram-positive ziehl-neelsen giemsa tylenol motrin advil
		aleve coumadin warfarin lasix ativan haldol dilaudid percocet vicodin zofran
		protonix lovenox heparin insulin levophed neo neosynephrine precedex propofol
		versed fentanyl morphine vanco vancomycin zosyn flagyl cipro levaquin bactrim
		keppra dilantin digoxin lopressor norvasc lipitor plavix aspirin colace senna
		dulcolax miralax ensure boost jevity nepro glucerna pulmocare peptamen osmolite
		promote impact kayexalate albuterol atrovent combivent flovent advair spiriva
		xopenex mucomyst prednisone solumedrol decadron synthroid humalog lantus
		novolog nexium pepcid reglan compazine phenergan benadryl ambien seroquel
		zyprexa risperdal xanax valium klonopin librium narcan cardizem amiodarone
		lidocaine dopamine dobutamine milrinone nitro nipride vasopressin atropine
		adenosine cozaar zestril lisinopril hydralazine labetalol metoprolol toprol
		aldactone bumex diamox zaroxolyn mannitol integrilin aggrastat reopro angiomax
		argatroban thiamine folate zantac prilosec ceftriaxone cefazolin ancef kefzol
		unasyn augmentin keflex levofloxacin azithromycin zithromax cefepime meropenem
		linezolid zyvox daptomycin fluconazole diflucan acyclovir tamiflu oxycodone
		oxycontin tramadol ultram neurontin gabapentin lyrica celexa lexapro zoloft
		prozac paxil wellbutrin effexor cymbalta trazodone remeron lithium depakote
		tegretol lamictal topamax ritalin adderall xarelto eliquis pradaxa brilinta
		effient lotensin vasotec altace diovan atacand benicar tenormin coreg inderal
		imdur isordil nitroglycerin lanoxin pacerone tikosyn multaq crestor zocor
		pravachol zetia glucophage metformin januvia victoza actos avandia glipizide
		glyburide amaryl levemir novolin humulin flomax proscar avodart detrol
		ditropan pyridium macrobid keflex cleocin clindamycin doxycycline minocycline
		gentamicin tobramycin amikacin aztreonam imipenem primaxin tigecycline
		foscarnet ganciclovir valcyte bactroban silvadene xylocaine marcaine
		sensorcaine ketorolac toradol celebrex mobic naprosyn indocin medrol
		hydrocortisone solu-cortef dexamethasone florinef morse contin asa ama
		medicare medicaid masshealth fragmin levo lumen stokes apt suite ste unit bldg
		yeah yep yup nope wow lol omg haha hahaha lmao hep
		navy army marines military google internet webmd chatgpt hickman aline a-line`},
	// Clinical abbreviations, some of them also surnames ("Ng", "Le").
	{stopBit, `pt pts rn md np pa do bp hr rr sat sats spo nad icu ccu micu sicu cvicu
		csru nicu picu ed er or pacu ot slp iv po pr im sc sq ng ngt og ogt ett abg vbg
		cbc bmp lft lfts inr ptt cxr ct cta mri mra ekg ecg echo tee tte cabg pci mi
		chf copd cad htn dm dm2 iddm niddm ckd esrd arf aki uti pna dvt pe gi gu cv cvp
		map sbp dbp peep fio ps cpap bipap simv ac tv rsbi vap npo prn bid tid qid qd
		qhs hs qam qpm sob doe cp bm uop le rle lle rue lue rul rml rll lul lll rom
		aox mae perrl perrla oob hob bs ls dtr na cl mg ca phos hct hgb wbc plt lr ns
		kcl tpn tf peg jp picc cvl tlc hd cvvh cvvhd iabp vad lvad icd ppm afib svt
		vt vf nsr sb pvc pvcs pac rbbb lbbb dnr dni cmo snf ltc pcp ent id ir ep pmh
		hpi ros sp hx dx tx rx sx fx abx vs vss tmax af ivf prbc prbcs ffp gtt gtts
		mcg meq mmol mmhg cc ml dl kg lb lbs cm mm bpm neuro resp renal heme onc
		endo psych nsg ns osh rehab pod hd hod ivp ivpb sl pca pcas epi ng-tube
		ivdu etoh copd cabg avr mvr tvr asd vsd pda pfo ivc svc lv rv la ra lvef ef
		ms als cf cp tbi sah sdh ich cva tia ams loc gcs rass cam icp evd vp ok
		appt appts tmrw tmw tmrrw tomm tonite nite approx abt recd msg msgs mtg mtgs ofc hosp dept
		brady tachy peri perineal anesth anesthesia pacer quinton trialysis vas-cath
		surg nsurg pulm pulmonary pulmonologist mfm geri geriatrics lenis leni tol
		biba bka hashimoto hashimotos shiley outpt chrg note notes mgmt molst dunkin
		aetna cigna humana unitedhealthcare anthem bcbs kroger costco walmart safeway
		walgreens cvs camry corolla toyota honda chevy nissan subaru
		tesla humira ozempic mounjaro wegovy zepbound rinvoq skyrizi dupixent adhd`},
	{commonBit, `amber angel ash banner baron brook cedar chuck coral crane delta dew
		diamond dove drake duke echo elder ember fern finch flint ginger harmony
		honey jewel laurel marina mill nick opal pike skip sky swan wade wren
		bill mark rose grant sue brown white green black gray grey young hope
		faith joy dawn art will may june april august summer winter autumn spring
		baker major general frank hunter north south east west well wells english
		french german lord saint bay cliff glen grace hail hardy holly jack lance lane
		mason miller page park parker penny pearl ruby rich price king knight bishop
		dean judge marshal marshall mayor chance bliss bud buck cash chase chip clay
		crystal daisy destiny dusty earl early ernest fawn ford forest fox free gay
		gene gill glad guy hale heath herb honey ivy jade jay jewel jolly journey
		justice kitty lacy lark lily love lucky luck mercy merry misty miles moss
		noble pat patience penny pepper petty pierce poppy prince queen rain ray reed
		rex river robin rock rocky rusty sage sandy shade sharp shepherd sky
		sterling stone storm sunny sweet tempest trinity true verity
		violet ward wave wise wood woods yang bell bells gates hall hill hills house
		houses street street walker walls fields banks burns cross drew sharp short
		long little small hart hawk iris may olive ocean star sparks hunter
		cook cooks mills booth bond fisher fowler archer porter potter
		tanner turner weaver webb wolf wolfe fox swift frost snow rains
		brooks rivers lake pond field ridge dale vale meadow meadows moor marsh
		branch root roots bush bushes berry berries cherry apple hazel heather cotton
		paris london berlin vienna rainey summers winters sparrow rush
		eve christian christians baptist temple abbey chapel church priest deacon
		pope cardinal bishop angel angels devil saint saints`},
	{stateBit, `alabama alaska arizona arkansas california colorado connecticut
		delaware florida georgia hawaii idaho illinois indiana iowa kansas kentucky
		louisiana maine maryland massachusetts michigan minnesota mississippi missouri
		montana nebraska nevada ohio oklahoma oregon pennsylvania tennessee texas utah
		vermont virginia washington wisconsin wyoming usa america american americans
		canada canadian mexico mexican england british britain europe european africa
		african asia asian australia australian ireland irish scotland scottish wales
		welsh china chinese japan japanese india indian korea korean vietnam
		vietnamese russia russian italy italian spain spanish france germany
		brazil brazilian haiti haitian cuba cuban jamaica jamaican puerto rican
		latino latina hispanic caucasian puerto rico greek dutch polish swedish
		norwegian danish finnish turkish arab arabic persian croatian serbian
		hungarian czech portuguese thai filipino somali ethiopian nigerian kenyan
		egyptian moroccan lebanese syrian iraqi iranian afghan pakistani bengali
		nepali ukrainian romanian bulgarian albanian armenian jewish muslim
		catholic protestant methodist lutheran buddhist hindu sikh creole
		cape verdean dominican salvadoran guatemalan colombian peruvian
		venezuelan`},
	{streetBit, `street st avenue ave av road rd boulevard blvd drive dr lane ln way
		court ct place pl terrace ter parkway pkwy highway hwy circle cir square sq
		trail trl alley plaza turnpike tpke expressway expy freeway fwy pike crescent
		row`},
	{eponymBit, `disease diseases syndrome syndromes sign signs palsy phenomenon test
		tests maneuver manoeuvre reflex reflexes score scores scale scales criteria
		classification catheter catheters tube tubes drain drains stain stains staining
		procedure operation fracture fractures ulcer ulcers lymphoma sarcoma tumor
		tumour node nodes esophagus position solution law triad space cell cells body
		bodies filter filters collar collars bag blade bandage dressing lift bed
		anomaly malformation hernia cyst cysts disorder dementia ataxia chorea
		dystrophy angina gangrene phenomenon rule rules line lines stockings boots
		mask shunt valve ring method technique approach equation formula index
		paralysis vest vests restraint restraints belt bag hose wrap wraps chair chairs
		stedy mattress splint brace sling cushion pillow pump`},
	{placePrep, `in from near to at around outside visiting lives live living lived
		moved born resides reside residing raised based located relocated grew
		transferred transfer headed heading returning returned trip travel traveled
		travelled`},
	{facilityBit, `hospital hospitals clinic clinics infirmary hospice sanatorium rehab
		rehabilitation healthcare vna medical health nursing center centre manor
		institute associates dialysis pharmacy drug drugs inn shelter church parish
		tabernacle temple synagogue mosque chapel cathedral school academy college
		university company co inc corp llc restaurant trattoria cafe diner bakery
		market pizzeria grill pub hotel motel apartments village commons estates
		towers residence residences lodge club ymca ywca farm factory mall library
		prison jail penitentiary living care alliance partners practice physicians
		pediatrics cardiology orthopedics dermatology oncology surgical services
		offices office midwifery house dental medicine general childrens memorial
		comprehensive er ed high veterinary gardens va regional children ortho hosp ctr
		station island beach airport harbor harbour pier stadium arena fertility pavilion
		behavioral wellness`},
	{genericBit, `skilled greater law guest urgent senior assisted eye endocrine cardiology orthopedics
		dermatology oncology pediatrics physicians associates general community memorial regional medical university childrens
		children state county veterans va psychiatric rehabilitation rehab womens
		st saint the new england mount mt north south east west central city
		health healthcare care nursing home center centre clinic hospital outside
		local private public teaching area major main family urgent primary
		specialty surgical surgery memory comprehensive medicine er ed high
		cancer heart eye dental mental behavioral pediatric adult senior assisted
		living long term acute subacute skilled transitional day walk-in free
		national international american united hospital-based affiliated outpatient
		inpatient rehabilitation-center the and of`},
	{orgBit, `university college school academy institute foundation company inc
		corp corporation llc ltd group association society church hall building
		library museum park bridge airport station center centre hospital clinic
		county parish street avenue road boulevard lane drive highway square
		plaza mall store stores restaurant bank insurance pharmacy`},
}

// addCurated sets the curated bits on the lexicon's words.
func (l *lexicon) addCurated() {
	for _, c := range curated {
		for _, w := range strings.Fields(c.words) {
			l.words[w] |= c.bit
		}
	}
}

// lexStateCodes maps USPS codes of states and territories, as written in
// addresses, to nothing: a code after a city marks the city.
var lexStateCodes = map[string]bool{
	"AL": true, "AK": true, "AZ": true, "AR": true, "CA": true, "CO": true, "CT": true,
	"DE": true, "DC": true, "FL": true, "GA": true, "HI": true, "ID": true, "IL": true,
	"IN": true, "IA": true, "KS": true, "KY": true, "LA": true, "ME": true, "MD": true,
	"MA": true, "MI": true, "MN": true, "MS": true, "MO": true, "MT": true, "NE": true,
	"NV": true, "NH": true, "NJ": true, "NM": true, "NY": true, "NC": true, "ND": true,
	"OH": true, "OK": true, "OR": true, "PA": true, "RI": true, "SC": true, "SD": true,
	"TN": true, "TX": true, "UT": true, "VT": true, "VA": true, "WA": true, "WV": true,
	"WI": true, "WY": true, "PR": true, "GU": true, "VI": true,
}

// ambiguousStates are codes that are also words or credentials: a city
// before them must be in the gazetteer.
var ambiguousStates = map[string]bool{
	"MD": true, "PA": true, "DO": true, "IN": true, "OR": true, "OK": true, "ME": true, "CT": true,
	"HI": true, "OH": true, "DE": true, "ID": true, "LA": true, "MA": true, "CO": true,
	"VA": true, "MI": true, "NE": true, "GA": true, "SC": true, "AL": true,
}

// multiWordStates are state names of more than one word, lower case.
var multiWordStates = map[string]bool{
	"new york": true, "new jersey": true, "new hampshire": true, "new mexico": true,
	"north carolina": true, "south carolina": true, "north dakota": true,
	"south dakota": true, "west virginia": true, "rhode island": true,
	"district of columbia": true,
}

// knownFacilities are hospitals commonly named without a facility word.
var knownFacilities = map[string]bool{
	"mass general": true, "beth israel": true, "brigham": true, "mgh": true,
	"bidmc": true, "bwh": true, "nebh": true, "johns hopkins": true,
	"cedars-sinai": true, "cedars sinai": true, "mount sinai": true,
	"dana-farber": true, "dana farber": true, "sloan kettering": true,
	"mayo": true, "kaiser": true, "lahey": true, "spaulding": true,
	"faulkner": true, "deaconess": true, "ucsf": true, "ucla": true,
	"nyu langone": true, "presbyterian": true,
}

// usStateNames are the one-word state names, lower case.
var usStateNames = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`alabama alaska arizona arkansas california colorado
		connecticut delaware florida georgia hawaii idaho illinois indiana iowa kansas
		kentucky louisiana maine maryland massachusetts michigan minnesota mississippi
		missouri montana nebraska nevada ohio oklahoma oregon pennsylvania tennessee
		texas utah vermont virginia washington wisconsin wyoming`) {
		m[w] = true
	}
	return m
}()
