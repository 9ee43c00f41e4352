package main

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// sign builds an RS256 token the way bench/lib/jwt.mjs does.
func sign(t *testing.T, key *rsa.PrivateKey, alg string, claims map[string]interface{}) string {
	enc := func(v interface{}) string {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return base64.RawURLEncoding.EncodeToString(b)
	}
	input := enc(map[string]string{"alg": alg, "typ": "JWT"}) + "." + enc(claims)
	digest := signingDigest(input)
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, digest[:])
	if err != nil {
		t.Fatal(err)
	}
	return input + "." + base64.RawURLEncoding.EncodeToString(sig)
}

func writeKey(t *testing.T, key *rsa.PrivateKey) string {
	der, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "jwt-public.pem")
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestVerify(t *testing.T) {
	key, _ := rsa.GenerateKey(rand.Reader, 2048)
	other, _ := rsa.GenerateKey(rand.Reader, 2048)
	v, err := newJWTVerifier(writeKey(t, key), "https://tocsin.dev/local")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Unix(1_800_000_000, 0)
	good := map[string]interface{}{"iss": "https://tocsin.dev/local", "sub": "bench-u7", "exp": now.Unix() + 60}
	if user, err := v.verify(sign(t, key, "RS256", good), now); err != nil || user != "bench-u7" {
		t.Fatalf("valid token: user %q, err %v", user, err)
	}
	with := func(k string, val interface{}) map[string]interface{} {
		c := map[string]interface{}{}
		for kk, vv := range good {
			c[kk] = vv
		}
		if val == nil {
			delete(c, k)
		} else {
			c[k] = val
		}
		return c
	}
	tampered := sign(t, key, "RS256", good)
	tampered = tampered[:len(tampered)-4] + "AAAA"
	refused := map[string]string{
		"other key":    sign(t, other, "RS256", good),
		"wrong issuer": sign(t, key, "RS256", with("iss", "https://evil")),
		"expired":      sign(t, key, "RS256", with("exp", now.Unix())),
		"no exp":       sign(t, key, "RS256", with("exp", nil)),
		"no sub":       sign(t, key, "RS256", with("sub", nil)),
		"alg HS256":    sign(t, key, "HS256", good),
		"tampered":     tampered,
		"not a jwt":    "abc.def",
		"empty":        "",
	}
	for name, token := range refused {
		if user, err := v.verify(token, now); err == nil {
			t.Errorf("%s: accepted as %q", name, user)
		}
	}
}
