// Package auth holds what staff sign-in needs besides the store: password
// hashes (argon2id, golang.org/x/crypto) and random tokens whose hashes,
// never the tokens, are stored.
package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// argon2id parameters: RFC 9106's second recommended option (64 MiB, 3
// passes), with one lane because the server has few cores to spare and
// sign-ins are rare.
const (
	argonTime    = 3
	argonMemory  = 64 << 10 // KiB
	argonThreads = 1
	argonKeyLen  = 32
	saltLen      = 16
)

// MinPassword and MaxPassword bound a password's length in characters: long
// enough to resist guessing, short enough that hashing stays cheap.
const (
	MinPassword = 12
	MaxPassword = 256
)

// ErrWeak is a password outside the allowed length.
var ErrWeak = fmt.Errorf("a password has %d to %d characters", MinPassword, MaxPassword)

// Hash returns the PHC string of password: $argon2id$v=19$m=…,t=…,p=…$salt$key.
func Hash(password string) (string, error) {
	if n := utf8.RuneCountInString(password); n < MinPassword || n > MaxPassword {
		return "", ErrWeak
	}
	salt := make([]byte, saltLen)
	rand.Read(salt)
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// Verify reports whether password matches the PHC string hash, comparing in
// constant time. A malformed or empty hash matches nothing.
func Verify(hash, password string) bool {
	salt, key, m, t, p, err := parsePHC(hash)
	if err != nil || len(password) > 4*MaxPassword {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(key)))
	return subtle.ConstantTimeCompare(got, key) == 1
}

func parsePHC(hash string) (salt, key []byte, m, t uint32, p uint8, err error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" || parts[2] != fmt.Sprintf("v=%d", argon2.Version) {
		return nil, nil, 0, 0, 0, errors.New("auth: not an argon2id hash")
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m > 1<<20 || t > 10 || p == 0 {
		return nil, nil, 0, 0, 0, errors.New("auth: bad argon2id parameters")
	}
	b64 := base64.RawStdEncoding
	if salt, err = b64.DecodeString(parts[4]); err != nil {
		return nil, nil, 0, 0, 0, err
	}
	if key, err = b64.DecodeString(parts[5]); err != nil || len(key) == 0 {
		return nil, nil, 0, 0, 0, errors.New("auth: bad key")
	}
	return salt, key, m, t, p, nil
}

// NewToken returns a random token to give out (in a cookie, a link) and the
// hash to store: a stolen database holds no usable token.
func NewToken() (token, hash string) {
	token = rand.Text() + rand.Text() // 52 base32 characters, 260 bits
	return token, TokenHash(token)
}

// TokenHash is what the store keeps of a token.
func TokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
