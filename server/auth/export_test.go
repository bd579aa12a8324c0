package auth

import "time"

// OnHash makes s call f, with the number of hashes running, each time one
// starts.
func OnHash(s *Service, f func(running int)) { s.onHash = f }

// SetClock makes s read the time from now.
func SetClock(s *Service, now func() time.Time) { s.now = now }
