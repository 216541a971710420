package account

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Argon2id parameters: OWASP's recommended floor (19 MiB, 2 passes, 1 lane).
// They are stored in each hash, so raising them later leaves old hashes valid.
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
	argonSaltLen = 16
)

// hashPassword returns a PHC-format argon2id hash of password.
func hashPassword(password string) string {
	salt := make([]byte, argonSaltLen)
	_, _ = rand.Read(salt)
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key))
}

// checkPassword reports whether password matches a hash made by hashPassword.
func checkPassword(hash, password string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var version int
	var mem, iters uint32
	var threads uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &mem, &iters, &threads); err != nil {
		return false
	}
	salt, err := base64.RawStdEncoding.DecodeString(parts[4])
	if err != nil {
		return false
	}
	want, err := base64.RawStdEncoding.DecodeString(parts[5])
	if err != nil {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, iters, mem, threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// dummyHash is checked against when the username is unknown, so that a
// failed sign-in takes as long whether or not the account exists.
var dummyHash = hashPassword("rounds-timing-equalizer")

const (
	minPasswordLen = 12
	maxPasswordLen = 256
)

// commonPasswords are refused outright; attackers try them first.
var commonPasswords = map[string]bool{
	"password1234": true, "passwordpassword": true, "123456789012": true, "qwertyuiopas": true,
	"iloveyou1234": true, "letmein12345": true, "welcome12345": true, "administrator": true,
	"changeme1234": true, "password123!": true, "qwerty123456": true, "111111111111": true,
}

// passwordProblem returns why password is not acceptable for username, or "".
func passwordProblem(password, username string) string {
	n := len([]rune(password))
	switch {
	case n < minPasswordLen:
		return fmt.Sprintf("Use at least %d characters; a short phrase of several words is easy to remember and hard to guess.", minPasswordLen)
	case n > maxPasswordLen:
		return fmt.Sprintf("Use at most %d characters.", maxPasswordLen)
	case strings.EqualFold(password, username) || strings.Contains(strings.ToLower(password), strings.ToLower(username)) && len(username) >= 4:
		return "Your password must not contain your username."
	case commonPasswords[strings.ToLower(password)]:
		return "This password is among the most commonly used ones; choose another."
	}
	return ""
}
