package main

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"os"
	"strings"
	"time"
)

// jwtVerifier checks RS256 tokens with the standard library only: the same checks the gateway's smallrye-jwt
// makes for the bench's tokens (signature, issuer, expiry, a subject).
type jwtVerifier struct {
	key    *rsa.PublicKey
	issuer string
}

func newJWTVerifier(path, issuer string) (*jwtVerifier, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, errors.New("no PEM block in " + path)
	}
	parsed, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		return nil, err
	}
	key, ok := parsed.(*rsa.PublicKey)
	if !ok {
		return nil, errors.New(path + " does not hold an RSA public key")
	}
	return &jwtVerifier{key: key, issuer: issuer}, nil
}

var errInvalidToken = errors.New("invalid token")

func (v *jwtVerifier) verify(token string, now time.Time) (string, error) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return "", errInvalidToken
	}
	var header struct {
		Alg string `json:"alg"`
	}
	if err := decodeSegment(parts[0], &header); err != nil || header.Alg != "RS256" {
		return "", errInvalidToken
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		return "", errInvalidToken
	}
	digest := signingDigest(token[:len(parts[0])+1+len(parts[1])])
	if rsa.VerifyPKCS1v15(v.key, crypto.SHA256, digest[:], sig) != nil {
		return "", errInvalidToken
	}
	var claims struct {
		Iss string   `json:"iss"`
		Sub string   `json:"sub"`
		Exp *float64 `json:"exp"`
	}
	if err := decodeSegment(parts[1], &claims); err != nil {
		return "", errInvalidToken
	}
	if claims.Iss != v.issuer || claims.Sub == "" || claims.Exp == nil || float64(now.Unix()) >= *claims.Exp {
		return "", errInvalidToken
	}
	return claims.Sub, nil
}

// signingDigest is what RS256 signs: SHA-256 of "<header>.<claims>" as sent.
func signingDigest(input string) [32]byte {
	return sha256.Sum256([]byte(input))
}

func decodeSegment(segment string, into interface{}) error {
	raw, err := base64.RawURLEncoding.DecodeString(segment)
	if err != nil {
		return err
	}
	return json.Unmarshal(raw, into)
}
