package account

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base32"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// TOTP per RFC 6238: HMAC-SHA1, 30-second steps, 6 digits — what every
// authenticator app understands. One step of clock drift either way is
// accepted; a step, once used, is never accepted again (no replay).
const (
	totpPeriod = 30
	totpDigits = 6
	totpSkew   = 1
)

var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

func newTOTPSecret() string {
	b := make([]byte, 20)
	_, _ = rand.Read(b)
	return b32.EncodeToString(b)
}

// TOTPCode returns the code for secret at time t. Exported for tests and the
// test kit, which must act as an authenticator app.
func TOTPCode(secret string, t time.Time) (string, error) {
	return totpAt(secret, t.Unix()/totpPeriod)
}

func totpAt(secret string, step int64) (string, error) {
	key, err := b32.DecodeString(strings.ToUpper(strings.TrimSpace(secret)))
	if err != nil {
		return "", fmt.Errorf("totp secret is not base32: %w", err)
	}
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], uint64(step))
	mac := hmac.New(sha1.New, key)
	mac.Write(msg[:])
	sum := mac.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	v := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	return fmt.Sprintf("%06d", v%1_000_000), nil
}

// matchTOTP returns the step at which code is valid for secret around now,
// or 0 when it is not valid at any step after lastStep.
func matchTOTP(secret, code string, now time.Time, lastStep int64) int64 {
	code = normalizeCode(code)
	if len(code) != totpDigits {
		return 0
	}
	cur := now.Unix() / totpPeriod
	for s := cur - totpSkew; s <= cur+totpSkew; s++ {
		if s <= lastStep {
			continue
		}
		want, err := totpAt(secret, s)
		if err == nil && hmac.Equal([]byte(want), []byte(code)) {
			return s
		}
	}
	return 0
}

func normalizeCode(code string) string {
	return strings.ToLower(strings.NewReplacer(" ", "", "-", "").Replace(strings.TrimSpace(code)))
}

// OTPAuthURI is the otpauth:// URI an authenticator app reads from the QR code.
func OTPAuthURI(issuer, account, secret string) string {
	label := url.PathEscape(issuer + ":" + account)
	q := url.Values{}
	q.Set("secret", secret)
	q.Set("issuer", issuer)
	q.Set("algorithm", "SHA1")
	q.Set("digits", "6")
	q.Set("period", "30")
	return "otpauth://totp/" + label + "?" + q.Encode()
}

// Recovery codes: ten one-time codes of 10 base32 characters (50 bits each),
// shown once, stored only as hashes.
const recoveryCodeCount = 10

func newRecoveryCode() string {
	b := make([]byte, 7)
	_, _ = rand.Read(b)
	s := strings.ToLower(b32.EncodeToString(b))[:10]
	return s[:5] + "-" + s[5:]
}

// hashSecret hashes a high-entropy secret (token, recovery code) for storage.
// Such secrets need no slow hash: guessing 2^50 or more is out of reach.
func hashSecret(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// newToken returns a random 256-bit secret for cookies, links and bearer tokens.
func newToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
