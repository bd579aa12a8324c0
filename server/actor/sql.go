package actor

import (
	"database/sql/driver"
	"fmt"
)

// Value stores an Actor as its String form, so tables and bun models hold
// the typed value directly.
func (a Actor) Value() (driver.Value, error) {
	if !a.Valid() {
		return nil, fmt.Errorf("actor %q: unknown", a.String())
	}
	return a.String(), nil
}

// Scan reads the stored form written by Value.
func (a *Actor) Scan(src any) error {
	var s string
	switch v := src.(type) {
	case string:
		s = v
	case []byte:
		s = string(v)
	default:
		return fmt.Errorf("actor: cannot scan %T", src)
	}
	p, err := Parse(s)
	if err != nil {
		return err
	}
	*a = p
	return nil
}
