// Package keyset holds the keys that encrypt secrets at rest (two-factor
// secrets now; private messages, appointment requests and authorizations
// later). The keyset lives in a file in --data, created on first start with
// mode 0600, never in the database and never in the repository.
//
// Sealed values are "k<id>:" followed by base64 of nonce||AES-256-GCM
// ciphertext, so that a rotation can add a key and still open old values.
//
// Key 1, the first key, must never be removed, even after a rotation makes
// another key primary: DeriveKey derives from it the keys of records that
// outlive any rotation (the audit log's chain), and without it those records
// can no longer be verified. Load refuses a keyset without key 1.
package keyset

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// FileName is the keyset file's name inside the data directory.
const FileName = "keyset.json"

type key struct {
	ID      int    `json:"id"`
	Secret  []byte `json:"secret"`
	Created string `json:"created"`
}

type file struct {
	Primary int   `json:"primary"`
	Keys    []key `json:"keys"`
}

// Keyset seals and opens small secrets.
type Keyset struct {
	primary int
	aeads   map[int]cipher.AEAD
	root    []byte // key 1's secret, the root of DeriveKey
}

// Load reads the keyset in dir, creating it with one fresh key if missing.
func Load(dir string) (*Keyset, error) {
	path := filepath.Join(dir, FileName)
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, err
		}
		f := file{Primary: 1, Keys: []key{{ID: 1, Secret: randomBytes(32), Created: time.Now().UTC().Format(time.RFC3339)}}}
		b, _ = json.MarshalIndent(f, "", "  ")
		// O_EXCL: two processes starting at once must not write two keysets.
		fh, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err == nil {
			_, err = fh.Write(b)
			err = errors.Join(err, fh.Close())
		}
		if err != nil && !errors.Is(err, os.ErrExist) {
			return nil, fmt.Errorf("create keyset: %w", err)
		}
		if errors.Is(err, os.ErrExist) {
			return Load(dir)
		}
	} else if err != nil {
		return nil, fmt.Errorf("read keyset: %w", err)
	}
	return parse(path, b)
}

// LoadExisting reads the keyset in dir and fails if there is none: for
// commands that check existing data and must never create a keyset.
func LoadExisting(dir string) (*Keyset, error) {
	path := filepath.Join(dir, FileName)
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("no keyset at %s: is --data the directory the server uses?", path)
	}
	if err != nil {
		return nil, fmt.Errorf("read keyset: %w", err)
	}
	return parse(path, b)
}

func parse(path string, b []byte) (*Keyset, error) {
	var f file
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("keyset %s is not valid: %w", path, err)
	}
	ks := &Keyset{primary: f.Primary, aeads: map[int]cipher.AEAD{}}
	for _, k := range f.Keys {
		if len(k.Secret) != 32 {
			return nil, fmt.Errorf("keyset %s: key %d must be 32 bytes", path, k.ID)
		}
		block, err := aes.NewCipher(k.Secret)
		if err != nil {
			return nil, err
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, err
		}
		ks.aeads[k.ID] = aead
		if k.ID == 1 {
			ks.root = k.Secret
		}
	}
	if ks.aeads[ks.primary] == nil {
		return nil, fmt.Errorf("keyset %s: primary key %d is missing", path, ks.primary)
	}
	if ks.root == nil {
		return nil, fmt.Errorf("keyset %s: key 1 is missing; it must never be removed, the audit log's key derives from it", path)
	}
	return ks, nil
}

// DeriveKey returns a 32-byte key for one purpose, named by label (e.g.
// "audit-log"), derived with HMAC-SHA256 from key 1. The same keyset and
// label always give the same key; different labels give unrelated keys, so
// a key handed to one package reveals nothing about the others or about
// the sealing keys.
func (k *Keyset) DeriveKey(label string) []byte {
	mac := hmac.New(sha256.New, k.root)
	mac.Write([]byte("rounds derived key\x00" + label))
	return mac.Sum(nil)
}

// Seal encrypts plaintext with the primary key. aad binds the value to its
// place (e.g. "totp:user:123"), so a sealed value cannot be moved to another row.
func (k *Keyset) Seal(plaintext []byte, aad string) string {
	aead := k.aeads[k.primary]
	nonce := randomBytes(aead.NonceSize())
	out := aead.Seal(nonce, nonce, plaintext, []byte(aad))
	return "k" + strconv.Itoa(k.primary) + ":" + base64.RawStdEncoding.EncodeToString(out)
}

// Open decrypts a value made by Seal with the same aad.
func (k *Keyset) Open(sealed, aad string) ([]byte, error) {
	prefix, body, ok := strings.Cut(sealed, ":")
	if !ok || !strings.HasPrefix(prefix, "k") {
		return nil, errors.New("keyset: not a sealed value")
	}
	id, err := strconv.Atoi(prefix[1:])
	if err != nil {
		return nil, errors.New("keyset: bad key id")
	}
	aead := k.aeads[id]
	if aead == nil {
		return nil, fmt.Errorf("keyset: key %d is not in the keyset", id)
	}
	raw, err := base64.RawStdEncoding.DecodeString(body)
	if err != nil || len(raw) < aead.NonceSize() {
		return nil, errors.New("keyset: malformed sealed value")
	}
	return aead.Open(nil, raw[:aead.NonceSize()], raw[aead.NonceSize():], []byte(aad))
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return b
}
