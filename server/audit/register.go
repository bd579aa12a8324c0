package audit

import "github.com/segments/segments/server/auth"

// Package auth records its user and token changes through Record, but
// cannot import this package (this one reads the principal from auth), so
// Record is handed over here, as database/sql drivers register themselves.
func init() { auth.RegisterRecorder(Record) }
