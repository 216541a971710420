package nppesgen

// The vocabularies the generator draws from. Taxonomy codes are real NUCC
// codes; names, streets and organizations are common words, combined at
// random.

type taxonomy struct {
	code          string
	credentials   []string
	licensePrefix string
	doctor        bool   // may carry the "DR." prefix
	orgWord       string // for organizations: what the name says they are
}

var clinicianTaxonomies = []taxonomy{
	{code: "207RC0000X", credentials: []string{"MD", "M.D.", "DO"}, licensePrefix: "MD", doctor: true},
	{code: "207Q00000X", credentials: []string{"MD", "M.D.", "DO", "D.O."}, licensePrefix: "MD", doctor: true},
	{code: "207R00000X", credentials: []string{"MD", "M.D.", "DO"}, licensePrefix: "MD", doctor: true},
	{code: "208000000X", credentials: []string{"MD", "M.D."}, licensePrefix: "MD", doctor: true},
	{code: "207V00000X", credentials: []string{"MD", "M.D.", "DO"}, licensePrefix: "MD", doctor: true},
	{code: "207X00000X", credentials: []string{"MD", "M.D."}, licensePrefix: "MD", doctor: true},
	{code: "2084P0800X", credentials: []string{"MD", "M.D.", "DO"}, licensePrefix: "MD", doctor: true},
	{code: "2084N0400X", credentials: []string{"MD", "M.D."}, licensePrefix: "MD", doctor: true},
	{code: "207N00000X", credentials: []string{"MD", "M.D."}, licensePrefix: "MD", doctor: true},
	{code: "207P00000X", credentials: []string{"MD", "M.D.", "DO"}, licensePrefix: "MD", doctor: true},
	{code: "208600000X", credentials: []string{"MD", "M.D.", "M.D., F.A.C.S."}, licensePrefix: "MD", doctor: true},
	{code: "2085R0202X", credentials: []string{"MD", "M.D."}, licensePrefix: "MD", doctor: true},
	{code: "207RG0100X", credentials: []string{"MD", "M.D."}, licensePrefix: "MD", doctor: true},
	{code: "207RE0101X", credentials: []string{"MD", "M.D."}, licensePrefix: "MD", doctor: true},
	{code: "207W00000X", credentials: []string{"MD", "M.D."}, licensePrefix: "MD", doctor: true},
	{code: "207Y00000X", credentials: []string{"MD", "M.D."}, licensePrefix: "MD", doctor: true},
	{code: "208800000X", credentials: []string{"MD", "M.D."}, licensePrefix: "MD", doctor: true},
	{code: "207RN0300X", credentials: []string{"MD", "M.D."}, licensePrefix: "MD", doctor: true},
	{code: "207RP1001X", credentials: []string{"MD", "M.D."}, licensePrefix: "MD", doctor: true},
	{code: "207RH0003X", credentials: []string{"MD", "M.D."}, licensePrefix: "MD", doctor: true},
	{code: "207L00000X", credentials: []string{"MD", "M.D.", "DO"}, licensePrefix: "MD", doctor: true},
	{code: "363LF0000X", credentials: []string{"NP", "FNP-C", "APRN", "MSN, FNP-BC"}, licensePrefix: "NP"},
	{code: "363A00000X", credentials: []string{"PA-C", "PA", "P.A.-C"}, licensePrefix: "PA"},
	{code: "163W00000X", credentials: []string{"RN", "R.N.", "BSN, RN"}, licensePrefix: "RN"},
	{code: "1223G0001X", credentials: []string{"DDS", "D.D.S.", "DMD"}, licensePrefix: "DN", doctor: true},
	{code: "152W00000X", credentials: []string{"OD", "O.D."}, licensePrefix: "OD", doctor: true},
	{code: "183500000X", credentials: []string{"PHARMD", "RPH", "PharmD"}, licensePrefix: "RPH"},
	{code: "225100000X", credentials: []string{"PT", "DPT", "PT, DPT"}, licensePrefix: "PT"},
	{code: "103T00000X", credentials: []string{"PHD", "PSYD", "Ph.D."}, licensePrefix: "PSY", doctor: true},
	{code: "1041C0700X", credentials: []string{"LCSW", "LICSW", "MSW, LCSW"}, licensePrefix: "SW"},
	{code: "133V00000X", credentials: []string{"RD", "RDN", "MS, RD"}, licensePrefix: "DT"},
	{code: "111N00000X", credentials: []string{"DC", "D.C."}, licensePrefix: "DC", doctor: true},
	{code: "213E00000X", credentials: []string{"DPM", "D.P.M."}, licensePrefix: "PD", doctor: true},
}

var organizationTaxonomies = []taxonomy{
	{code: "282N00000X", orgWord: "GENERAL HOSPITAL"},
	{code: "261QP2300X", orgWord: "PRIMARY CARE CENTER"},
	{code: "261QU0200X", orgWord: "URGENT CARE"},
	{code: "193200000X", orgWord: "MEDICAL GROUP"},
	{code: "193400000X", orgWord: "CARDIOLOGY ASSOCIATES"},
	{code: "3336C0003X", orgWord: "PHARMACY"},
	{code: "332B00000X", orgWord: "MEDICAL SUPPLY"},
	{code: "251E00000X", orgWord: "HOME HEALTH"},
	{code: "314000000X", orgWord: "REHABILITATION AND NURSING CENTER"},
	{code: "291U00000X", orgWord: "CLINICAL LABORATORY"},
	{code: "261QR0200X", orgWord: "IMAGING CENTER"},
	{code: "261QM0801X", orgWord: "COUNSELING CENTER"},
}

var orgSuffixes = []string{"LLC", "INC", "INC.", "PC", "PLLC", "P.A.", "", ""}

type city struct{ name, state, zip3, area string }

var cities = []city{
	{"BOSTON", "MA", "021", "617"}, {"WORCESTER", "MA", "016", "508"}, {"PROVIDENCE", "RI", "029", "401"},
	{"HARTFORD", "CT", "061", "860"}, {"NEW YORK", "NY", "100", "212"}, {"BROOKLYN", "NY", "112", "718"},
	{"BUFFALO", "NY", "142", "716"}, {"ALBANY", "NY", "122", "518"}, {"NEWARK", "NJ", "071", "973"},
	{"PHILADELPHIA", "PA", "191", "215"}, {"PITTSBURGH", "PA", "152", "412"}, {"BALTIMORE", "MD", "212", "410"},
	{"WASHINGTON", "DC", "200", "202"}, {"RICHMOND", "VA", "232", "804"}, {"CHARLOTTE", "NC", "282", "704"},
	{"RALEIGH", "NC", "276", "919"}, {"ATLANTA", "GA", "303", "404"}, {"MIAMI", "FL", "331", "305"},
	{"TAMPA", "FL", "336", "813"}, {"ORLANDO", "FL", "328", "407"}, {"NASHVILLE", "TN", "372", "615"},
	{"BIRMINGHAM", "AL", "352", "205"}, {"NEW ORLEANS", "LA", "701", "504"}, {"HOUSTON", "TX", "770", "713"},
	{"DALLAS", "TX", "752", "214"}, {"AUSTIN", "TX", "787", "512"}, {"SAN ANTONIO", "TX", "782", "210"},
	{"OKLAHOMA CITY", "OK", "731", "405"}, {"DENVER", "CO", "802", "303"}, {"PHOENIX", "AZ", "850", "602"},
	{"ALBUQUERQUE", "NM", "871", "505"}, {"SALT LAKE CITY", "UT", "841", "801"}, {"LAS VEGAS", "NV", "891", "702"},
	{"LOS ANGELES", "CA", "900", "213"}, {"SAN DIEGO", "CA", "921", "619"}, {"SAN FRANCISCO", "CA", "941", "415"},
	{"SACRAMENTO", "CA", "958", "916"}, {"PORTLAND", "OR", "972", "503"}, {"SEATTLE", "WA", "981", "206"},
	{"CHICAGO", "IL", "606", "312"}, {"DETROIT", "MI", "482", "313"}, {"CLEVELAND", "OH", "441", "216"},
	{"COLUMBUS", "OH", "432", "614"}, {"INDIANAPOLIS", "IN", "462", "317"}, {"MILWAUKEE", "WI", "532", "414"},
	{"MINNEAPOLIS", "MN", "554", "612"}, {"SAINT LOUIS", "MO", "631", "314"}, {"KANSAS CITY", "MO", "641", "816"},
	{"OMAHA", "NE", "681", "402"}, {"LOUISVILLE", "KY", "402", "502"}, {"BOISE", "ID", "837", "208"},
	{"ANCHORAGE", "AK", "995", "907"}, {"HONOLULU", "HI", "968", "808"}, {"BURLINGTON", "VT", "054", "802"},
	{"PORTLAND", "ME", "041", "207"}, {"MANCHESTER", "NH", "031", "603"},
}

var streets = []string{
	"MAIN", "OAK", "MAPLE", "CEDAR", "PINE", "ELM", "WASHINGTON", "LAKE", "HILL", "PARK", "RIVER", "SPRING",
	"HIGHLAND", "FRANKLIN", "JEFFERSON", "LINCOLN", "MADISON", "CHESTNUT", "WALNUT", "CENTER", "CHURCH",
	"HARBOR", "UNIVERSITY", "MEDICAL CENTER", "HOSPITAL", "COMMONWEALTH", "MARKET", "BROAD", "SUMMIT", "VALLEY",
}

var streetTypes = []string{"ST", "AVE", "RD", "BLVD", "DR", "LN", "WAY", "PKWY", "CT", "PL"}

var firstNamesF = []string{
	"MARY", "PATRICIA", "JENNIFER", "LINDA", "ELIZABETH", "BARBARA", "SUSAN", "JESSICA", "SARAH", "KAREN",
	"LISA", "NANCY", "BETTY", "SANDRA", "MARGARET", "ASHLEY", "KIMBERLY", "EMILY", "DONNA", "MICHELLE",
	"CAROL", "AMANDA", "MELISSA", "DEBORAH", "STEPHANIE", "REBECCA", "SHARON", "LAURA", "CYNTHIA", "AMY",
	"ANGELA", "ANNA", "BRENDA", "PAMELA", "NICOLE", "SAMANTHA", "KATHERINE", "CHRISTINE", "RACHEL", "CATHERINE",
	"MARIA", "HEATHER", "DIANE", "JULIE", "OLIVIA", "GRACE", "PRIYA", "MEI", "FATIMA", "AISHA",
	"SOFIA", "CAMILA", "YUKI", "NGOZI", "ANA", "LUCIA", "HANNAH", "CHLOE", "ZOE", "LEAH",
}

var firstNamesM = []string{
	"JAMES", "ROBERT", "JOHN", "MICHAEL", "DAVID", "WILLIAM", "RICHARD", "JOSEPH", "THOMAS", "CHRISTOPHER",
	"CHARLES", "DANIEL", "MATTHEW", "ANTHONY", "MARK", "DONALD", "STEVEN", "ANDREW", "PAUL", "JOSHUA",
	"KENNETH", "KEVIN", "BRIAN", "GEORGE", "TIMOTHY", "RONALD", "JASON", "EDWARD", "JEFFREY", "RYAN",
	"JACOB", "GARY", "NICHOLAS", "ERIC", "JONATHAN", "STEPHEN", "LARRY", "JUSTIN", "SCOTT", "BRANDON",
	"SAMUEL", "RAJ", "WEI", "AHMED", "OMAR", "CARLOS", "JOSE", "LUIS", "HIROSHI", "CHUKWUEMEKA",
	"DMITRI", "PIOTR", "MATEO", "LUCAS", "NOAH", "ETHAN", "ARJUN", "KWAME", "TOMAS", "ELIJAH",
}

var lastNames = []string{
	"SMITH", "JOHNSON", "WILLIAMS", "BROWN", "JONES", "GARCIA", "MILLER", "DAVIS", "RODRIGUEZ", "MARTINEZ",
	"HERNANDEZ", "LOPEZ", "GONZALEZ", "WILSON", "ANDERSON", "THOMAS", "TAYLOR", "MOORE", "JACKSON", "MARTIN",
	"LEE", "PEREZ", "THOMPSON", "WHITE", "HARRIS", "SANCHEZ", "CLARK", "RAMIREZ", "LEWIS", "ROBINSON",
	"WALKER", "YOUNG", "ALLEN", "KING", "WRIGHT", "SCOTT", "TORRES", "NGUYEN", "HILL", "FLORES",
	"GREEN", "ADAMS", "NELSON", "BAKER", "HALL", "RIVERA", "CAMPBELL", "MITCHELL", "CARTER", "ROBERTS",
	"GOMEZ", "PHILLIPS", "EVANS", "TURNER", "DIAZ", "PARKER", "CRUZ", "EDWARDS", "COLLINS", "REYES",
	"STEWART", "MORRIS", "MORALES", "MURPHY", "COOK", "ROGERS", "GUTIERREZ", "ORTIZ", "MORGAN", "COOPER",
	"PETERSON", "BAILEY", "REED", "KELLY", "HOWARD", "RAMOS", "KIM", "COX", "WARD", "RICHARDSON",
	"PATEL", "SHAH", "CHEN", "WANG", "LI", "ZHANG", "LIU", "SINGH", "KUMAR", "KHAN",
	"O'BRIEN", "O'CONNOR", "MCDONALD", "SMITH-JONES", "VAN DER BERG", "DE LA CRUZ", "OKAFOR", "ADEYEMI", "OSEI", "MENSAH",
	"KOWALSKI", "NOWAK", "IVANOV", "MULLER", "SCHMIDT", "ROSSI", "RUSSO", "FERRARI", "TANAKA", "SATO",
	"YAMAMOTO", "PARK", "CHOI", "JUNG", "COHEN", "LEVI", "FRIEDMAN", "MORAN", "BYRNE", "WALSH",
}
