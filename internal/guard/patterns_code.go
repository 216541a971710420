package guard

// Codes that carry their own check: VIN, DEA number, Medicare beneficiary
// identifier, card numbers (Luhn), IBAN (mod 97). A check digit lets a bare
// token be reported without a label.

// codeType classifies a token of letters and digits.
func codeTypeOf(tok string) (Type, bool) {
	digits := 0
	for k := 0; k < len(tok); k++ {
		if isASCIIDigit(tok[k]) {
			digits++
		}
	}
	switch {
	case digits == 0 || digits == len(tok):
		return "", false
	case len(tok) == 17 && isVIN(tok):
		return Vehicle, true
	case len(tok) == 11 && isMBI(tok):
		return HealthPlan, true
	case len(tok) == 9 && isDEA(tok):
		return License, true
	case digits >= 6 && len(tok) >= 7 && !unitTail(tok):
		return ID, true
	}
	return "", false
}

// unitTail reports a number glued to its unit: "1000000units", "250000U".
func unitTail(tok string) bool {
	k := skipDigits(tok, 0)
	if k == 0 {
		return false
	}
	var buf [24]byte
	w, ok := foldWord(&buf, tok[k:])
	return ok && isUnitWord(w)
}

var vinWeights = [17]int{8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2}

// isVIN checks the North American VIN check digit (position 9).
func isVIN(tok string) bool {
	sum := 0
	for k := 0; k < 17; k++ {
		v, ok := vinValue(tok[k])
		if !ok {
			return false
		}
		sum += v * vinWeights[k]
	}
	check := byte('0' + sum%11)
	if sum%11 == 10 {
		check = 'X'
	}
	return tok[8]|0x20 == check|0x20
}

// vinValue transliterates a VIN character; I, O and Q never appear.
func vinValue(c byte) (int, bool) {
	if isASCIIDigit(c) {
		return int(c - '0'), true
	}
	switch toLowerASCII(c) {
	case 'a', 'j':
		return 1, true
	case 'b', 'k', 's':
		return 2, true
	case 'c', 'l', 't':
		return 3, true
	case 'd', 'm', 'u':
		return 4, true
	case 'e', 'n', 'v':
		return 5, true
	case 'f', 'w':
		return 6, true
	case 'g', 'p', 'x':
		return 7, true
	case 'h', 'y':
		return 8, true
	case 'r', 'z':
		return 9, true
	}
	return 0, false
}

// isMBI checks the Medicare Beneficiary Identifier layout: C A AN N A AN N
// A A N N, letters never S, L, O, I, B or Z.
func isMBI(tok string) bool {
	const layout = "CAXNAXNAANN"
	for k := 0; k < len(layout); k++ {
		c := tok[k]
		letter := isASCIILetter(c) && !isMBIExcluded(toLowerASCII(c))
		switch layout[k] {
		case 'C':
			if c < '1' || c > '9' {
				return false
			}
		case 'N':
			if !isASCIIDigit(c) {
				return false
			}
		case 'A':
			if !letter {
				return false
			}
		case 'X':
			if !letter && !isASCIIDigit(c) {
				return false
			}
		}
	}
	return true
}

func isMBIExcluded(c byte) bool {
	return c == 's' || c == 'l' || c == 'o' || c == 'i' || c == 'b' || c == 'z'
}

// isDEA checks a DEA registration number: two letters, seven digits, the
// last a check on the other six.
func isDEA(tok string) bool {
	if !isASCIILetter(tok[0]) || !isASCIILetter(tok[1]) {
		return false
	}
	switch toLowerASCII(tok[0]) {
	case 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'j', 'k', 'l', 'm', 'p', 'r', 's', 't', 'u', 'x':
	default:
		return false
	}
	d := tok[2:]
	for k := 0; k < 7; k++ {
		if !isASCIIDigit(d[k]) {
			return false
		}
	}
	v := func(k int) int { return int(d[k] - '0') }
	sum := v(0) + v(2) + v(4) + 2*(v(1)+v(3)+v(5))
	return sum%10 == v(6)
}

// luhn checks a run of digits with the Luhn algorithm.
func luhnValid(d string) bool {
	sum, double := 0, false
	for k := len(d) - 1; k >= 0; k-- {
		v := int(d[k] - '0')
		if double {
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		sum += v
		double = !double
	}
	return sum%10 == 0
}

// iban matches an IBAN at i, solid or in groups of four
// ("GB82 WEST 1234 5698 7654 32"), and checks it modulo 97.
func (s *patternScan) iban(i int) (int, bool) {
	t := s.text
	if i+15 > len(t) || !isASCIILetter(t[i]) || !isASCIILetter(t[i+1]) || !isASCIIDigit(t[i+2]) || !isASCIIDigit(t[i+3]) {
		return 0, false
	}
	var buf [34]byte
	n, p := 0, i
	ends := [10]int{}
	ng := 0
	for p < len(t) && ng < len(ends) {
		e := skipAlnum(t, p)
		if n+e-p > len(buf) {
			break
		}
		n += copy(buf[n:], t[p:e])
		ends[ng] = e
		ng++
		if e-p == 4 && e+1 < len(t) && t[e] == ' ' && isASCIIAlnum(t[e+1]) && (ng > 1 || e-i == 4) {
			p = e + 1
			continue
		}
		break
	}
	// the last groups may be ordinary words after the number: try the
	// longest prefix that passes.
	for g := ng - 1; g >= 0; g-- {
		m := ibanLen(t, i, ends[g])
		if m >= 15 && endsToken(t, ends[g]) && mod97(buf[:m]) == 1 {
			return ends[g], true
		}
	}
	return 0, false
}

// ibanLen counts the alphanumerics between i and e.
func ibanLen(t string, i, e int) int {
	n := 0
	for k := i; k < e; k++ {
		if isASCIIAlnum(t[k]) {
			n++
		}
	}
	return n
}

// mod97 computes the IBAN check: the first four characters moved to the
// end, letters as 10..35, the whole read as a number modulo 97.
func mod97(b []byte) int {
	r := 0
	add := func(c byte) {
		if isASCIIDigit(c) {
			r = (r*10 + int(c-'0')) % 97
			return
		}
		v := int(toLowerASCII(c)-'a') + 10
		r = (r*100 + v) % 97
	}
	for _, c := range b[4:] {
		add(c)
	}
	for _, c := range b[:4] {
		add(c)
	}
	return r
}
