package account

import (
	"encoding/base32"
	"testing"
	"time"
)

// RFC 6238 appendix B, SHA-1 vectors, truncated to our 6 digits.
func TestTOTPCode_MatchesRFC6238Vectors(t *testing.T) {
	secret := base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString([]byte("12345678901234567890"))
	for unix, want := range map[int64]string{
		59: "287082", 1111111109: "081804", 1111111111: "050471", 1234567890: "005924", 2000000000: "279037",
	} {
		got, err := TOTPCode(secret, time.Unix(unix, 0))
		if err != nil || got != want {
			t.Errorf("TOTP at %d = %s, %v; want %s", unix, got, err, want)
		}
	}
}

func TestMatchTOTP_AcceptsOneStepOfDriftAndNoReplay(t *testing.T) {
	secret := newTOTPSecret()
	now := time.Unix(1_800_000_000, 0)
	cur := now.Unix() / totpPeriod
	for _, d := range []int64{-1, 0, 1} {
		code, _ := totpAt(secret, cur+d)
		if got := matchTOTP(secret, code[:3]+" "+code[3:], now, 0); got != cur+d {
			t.Errorf("drift %d: matched step %d; want %d", d, got, cur+d)
		}
		if got := matchTOTP(secret, code, now, cur+d); got != 0 {
			t.Errorf("drift %d: a code at or before the last used step matched (replay)", d)
		}
	}
	far, _ := totpAt(secret, cur+2)
	if matchTOTP(secret, far, now, 0) != 0 {
		t.Error("a code two steps ahead matched")
	}
}

func TestPasswordHash_RoundTripAndFormat(t *testing.T) {
	h := hashPassword("a long enough passphrase")
	if !checkPassword(h, "a long enough passphrase") || checkPassword(h, "a long enough passphrasE") {
		t.Fatal("argon2id hash does not verify its own password, or verifies another")
	}
	if h[:10] != "$argon2id$" || hashPassword("a long enough passphrase") == h {
		t.Fatalf("hash %q is not a salted argon2id PHC string", h)
	}
	for _, bad := range []string{"", "$argon2id$v=19$m=1,t=1,p=1$!!$!!", "$bcrypt$x"} {
		if checkPassword(bad, "x") {
			t.Errorf("malformed hash %q verified", bad)
		}
	}
}
