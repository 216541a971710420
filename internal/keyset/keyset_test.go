package keyset

import (
	"os"
	"path/filepath"
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
