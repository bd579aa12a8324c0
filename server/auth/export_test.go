package auth

import (
	"time"

	"github.com/alexedwards/argon2id"
)

// OnHash makes s call f, with the number of hashes running, each time one
// starts.
func OnHash(s *Service, f func(running int)) { s.onHash = f }

// SetClock makes s read the time from now.
func SetClock(s *Service, now func() time.Time) { s.now = now }

// DummyHashParams are the settings of the hash an unknown email is
// checked against, and HashParams those of new hashes.
func DummyHashParams() (dummy, current argon2id.Params) {
	p, _, _, err := argon2id.DecodeHash(dummyHash)
	if err != nil {
		panic(err)
	}
	return *p, *hashParams
}
