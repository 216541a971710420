package main

import (
	"strings"
	"unicode"
)

// isStateOrLarger reports whether a place name is a country, a US state,
// a Canadian province or territory, a continent or wider region, or a
// demonym: places that Safe Harbor lets a text keep (it removes only
// geographic units smaller than a state). Spelling variants seen in the
// source sets count too.
func isStateOrLarger(place string) bool {
	if i := strings.IndexByte(place, '('); i > 0 {
		place = place[:i]
	}
	key := strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) {
			return unicode.ToLower(r)
		}
		return -1
	}, place)
	_, ok := largePlaces[key]
	return ok
}

var largePlaces = func() map[string]struct{} {
	m := map[string]struct{}{}
	for _, list := range []string{countries, usStates, provinces, regions, demonyms} {
		for _, p := range strings.Split(list, ",") {
			key := strings.Map(func(r rune) rune {
				if unicode.IsLetter(r) {
					return unicode.ToLower(r)
				}
				return -1
			}, p)
			if key != "" {
				m[key] = struct{}{}
			}
		}
	}
	return m
}()

const countries = `Afghanistan,Albania,Algeria,Andorra,Angola,Antigua and Barbuda,Argentina,Armenia,Australia,Austria,
Azerbaijan,Bahamas,Bahrain,Bangladesh,Barbados,Belarus,Belgium,Belize,Benin,Bhutan,Bolivia,Bosnia and Herzegovina,
Botswana,Brazil,Brunei,Bulgaria,Burkina Faso,Burundi,Cambodia,Cameroon,Canada,Cape Verde,Central African Republic,
Chad,Chile,China,Colombia,Comoros,Congo,Costa Rica,Croatia,Cuba,Cyprus,Czech Republic,Czechia,Denmark,Djibouti,
Dominica,Dominican Republic,Ecuador,Egypt,El Salvador,Equatorial Guinea,Eritrea,Estonia,Eswatini,Ethiopia,Fiji,
Finland,France,Gabon,Gambia,Georgia,Germany,Ghana,Greece,Greenland,Grenada,Guatemala,Guinea,Guinea-Bissau,Guyana,
Haiti,Honduras,Hungary,Iceland,India,Indonesia,Iran,Iraq,Ireland,Israel,Italy,Ivory Coast,Jamaica,Japan,Jordan,
Kazakhstan,Kenya,Kiribati,Korea,North Korea,South Korea,Kosovo,Kuwait,Kyrgyzstan,Laos,Latvia,Lebanon,Lesotho,
Liberia,Libya,Liechtenstein,Lithuania,Luxembourg,Madagascar,Malawi,Malaysia,Maldives,Mali,Malta,Marshall Islands,
Mauritania,Mauritius,Mexico,Micronesia,Moldova,Monaco,Mongolia,Montenegro,Morocco,Mozambique,Myanmar,Namibia,Nauru,
Nepal,Netherlands,The Netherlands,Holland,New Zealand,Nicaragua,Niger,Nigeria,North Macedonia,Norway,Oman,Pakistan,
Palau,Palestine,Panama,Papua New Guinea,Paraguay,Peru,Philippines,Poland,Portugal,Qatar,Romania,Russia,Rwanda,
Saint Lucia,Samoa,San Marino,Saudi Arabia,Senegal,Serbia,Seychelles,Sierra Leone,Singapore,Slovakia,Slovenia,
Solomon Islands,Somalia,South Africa,South Sudan,Spain,Sri Lanka,Sudan,Suriname,Sweden,Switzerland,Syria,Taiwan,
Tajikistan,Tanzania,Thailand,Timor-Leste,Togo,Tonga,Trinidad and Tobago,Tunisia,Turkey,Turkmenistan,Tuvalu,Uganda,
Ukraine,United Arab Emirates,UAE,United Kingdom,UK,U.K.,Great Britain,Britain,Britian,England,Scotland,Wales,
Northern Ireland,United States,United States of America,USA,US,U.S.,U.S.A.,America,Uruguay,Uzbekistan,Vanuatu,
Vatican,Venezuela,Vietnam,Yemen,Zambia,Zimbabwe,Puerto Rico,Hong Kong,Macau,Nederland,Nederlands,Rep of Ireland,
Republic of Ireland,Mzansi`

const usStates = `Alabama,Alaska,Arizona,Arkansas,California,Cali,Colorado,Connecticut,Delaware,Florida,Georgia,Hawaii,Idaho,
Illinois,Indiana,Iowa,Kansas,Kentucky,Louisiana,Maine,Maryland,Massachusetts,Michigan,Minnesota,Mississippi,Missouri,
Montana,Nebraska,Nevada,New Hampshire,New Jersey,New Mexico,New York State,North Carolina,North Dakota,Ohio,Oklahoma,
Oregon,Pennsylvania,Rhode Island,South Carolina,South Dakota,Tennessee,Texas,Utah,Vermont,Virginia,Washington State,
West Virginia,Wisconsin,Wyoming,District of Columbia,AL,AK,AZ,AR,CA,CO,CT,DE,FL,GA,HI,ID,IL,IN,IA,KS,KY,LA,ME,MD,MA,
MI,MN,MS,MO,MT,NE,NV,NH,NJ,NM,NY,NC,ND,OH,OK,OR,PA,RI,SC,SD,TN,TX,UT,VT,VA,WA,WV,WI,WY,DC`

const provinces = `Alberta,British Columbia,Manitoba,New Brunswick,Newfoundland,Newfoundland and Labrador,Nova Scotia,Ontario,
Prince Edward Island,Quebec,Saskatchewan,Yukon,Nunavut,Northwest Territories,AB,BC,MB,NB,NL,NS,ON,PE,QC,SK,YT,NU,NT,
Queensland,QLD,New South Wales,NSW,Victoria State,Tasmania,Merseyside,Bavaria,Catalonia,Scandinavia,Siberia`

const regions = `Europe,Asia,Africa,North America,South America,Latin America,Central America,Oceania,Antarctica,
Middle East,Caribbean,Balkans,Scandinavia,Earth,Planet,World,Universe,The West,Southeast Asia`

const demonyms = `American,Canadian,British,English,Greenlander,Mexican,European,Asian,African,Australian,Indian,
Chinese,Japanese,Korean,French,German,Italian,Spanish`
