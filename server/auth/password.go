package auth

import (
	"context"
	"fmt"
	"unicode/utf8"

	"github.com/alexedwards/argon2id"

	"github.com/segments/segments/server/apperr"
)

// Password limits. The upper one is in bytes: it bounds the work a hash
// is given, not what a person may type.
const (
	MinPasswordChars = 12
	MaxPasswordBytes = 1000
)

// hashParams are OWASP's argon2id settings: 46 MiB of memory, one pass,
// one thread, so each running hash takes one core.
var hashParams = &argon2id.Params{Memory: 46 * 1024, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}

// dummyHash is checked when no user has the email given, so an unknown
// email costs what a wrong password costs. It is made with hashParams (a
// test keeps them in step) and matches no password anyone can send.
const dummyHash = "$argon2id$v=19$m=47104,t=1,p=1$qCIFEwa29I4KvpqAtfMZNA$G336lAnkYRSDww3xgnqGs+RKd5k6Q6MYDPbUy+XAJO4"

// CheckPassword applies the password rules.
func CheckPassword(pw string) error {
	switch {
	case !utf8.ValidString(pw):
		return apperr.Invalid("password is not valid UTF-8 text")
	case len(pw) > MaxPasswordBytes:
		return apperr.Invalid("password is %d bytes long: at most %d are allowed", len(pw), MaxPasswordBytes)
	case utf8.RuneCountInString(pw) < MinPasswordChars:
		return apperr.Invalid("password has %d characters: use at least %d", utf8.RuneCountInString(pw), MinPasswordChars)
	}
	return nil
}

// withHashSlot runs fn, which hashes, once a hashing slot is free (or
// returns ctx's error while waiting).
func (s *Service) withHashSlot(ctx context.Context, fn func() error) error {
	if err := s.hashes.Acquire(ctx, 1); err != nil {
		return fmt.Errorf("wait to hash a password: %w", err)
	}
	defer s.hashes.Release(1)
	n := s.hashing.add(1)
	defer s.hashing.add(-1)
	if s.onHash != nil {
		s.onHash(n)
	}
	return fn()
}

// hash returns the argon2id PHC string of pw.
func (s *Service) hash(ctx context.Context, pw string) (string, error) {
	var h string
	err := s.withHashSlot(ctx, func() (err error) {
		h, err = argon2id.CreateHash(pw, hashParams)
		return err
	})
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	return h, nil
}

// verify reports whether pw matches the PHC string h. An empty h (no such
// user) is checked against a dummy hash, so it costs what a wrong
// password costs and always fails.
func (s *Service) verify(ctx context.Context, pw, h string) (bool, error) {
	real := h != ""
	if !real {
		h = dummyHash
	}
	var ok bool
	err := s.withHashSlot(ctx, func() (err error) {
		ok, err = argon2id.ComparePasswordAndHash(pw, h)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("verify password: %w", err)
	}
	return ok && real, nil
}
