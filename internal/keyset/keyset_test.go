package keyset

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoad_CreatesPrivateKeysetOnceAndSealsRoundTrip(t *testing.T) {
	dir := t.TempDir()
	k1, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(filepath.Join(dir, FileName))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("keyset file mode = %v, %v; want 0600", fi.Mode().Perm(), err)
	}
	sealed := k1.Seal([]byte("JBSWY3DPEHPK3PXP"), "totp:user:1")
	k2, err := Load(dir) // a second process reads the same keys
	if err != nil {
		t.Fatal(err)
	}
	plain, err := k2.Open(sealed, "totp:user:1")
	if err != nil || string(plain) != "JBSWY3DPEHPK3PXP" {
		t.Fatalf("Open = %q, %v", plain, err)
	}
	if _, err := k2.Open(sealed, "totp:user:2"); err == nil {
		t.Fatal("a sealed value opened under another row's binding")
	}
	if _, err := k2.Open(sealed[:len(sealed)-2]+"AA", "totp:user:1"); err == nil {
		t.Fatal("a tampered sealed value opened")
	}
	if other, _ := Load(t.TempDir()); other != nil {
		if _, err := other.Open(sealed, "totp:user:1"); err == nil {
			t.Fatal("another keyset opened the value")
		}
	}
}

func TestLoad_RejectsCorruptKeyset(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, FileName), []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(dir); err == nil {
		t.Fatal("a corrupt keyset loaded")
	}
}

func TestDeriveKey_StablePerLabelAndKeyset(t *testing.T) {
	dir := t.TempDir()
	k1, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	k2, err := LoadExisting(dir)
	if err != nil {
		t.Fatal(err)
	}
	a, b := k1.DeriveKey("audit-log"), k2.DeriveKey("audit-log")
	if len(a) != 32 || string(a) != string(b) {
		t.Fatalf("the same keyset and label gave different keys (%d bytes)", len(a))
	}
	if string(k1.DeriveKey("other")) == string(a) {
		t.Fatal("two labels gave the same key")
	}
	other, err := Load(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if string(other.DeriveKey("audit-log")) == string(a) {
		t.Fatal("another keyset gave the same key")
	}
}

func TestLoad_RefusesKeysetWithoutKeyOne(t *testing.T) {
	dir := t.TempDir()
	body := `{"primary":2,"keys":[{"id":2,"secret":"` + strings.Repeat("A", 43) + `=","created":"2026-01-01T00:00:00Z"}]}`
	if err := os.WriteFile(filepath.Join(dir, FileName), []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), "key 1") {
		t.Fatalf("Load of a keyset without key 1 = %v; want a refusal naming key 1", err)
	}
}

func TestLoadExisting_NeverCreatesAKeyset(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "typo")
	if _, err := LoadExisting(dir); err == nil {
		t.Fatal("LoadExisting succeeded on a directory without a keyset")
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatalf("LoadExisting created %s (%v)", dir, err)
	}
}
