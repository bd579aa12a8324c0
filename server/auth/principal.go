package auth

import (
	"context"
	"database/sql/driver"
	"fmt"
	"slices"
	"strings"

	"github.com/segments/segments/server/actor"
	"github.com/segments/segments/server/apperr"
)

// Role is what a principal may do. Each role includes the ones before it.
type Role int

// The roles, weakest first.
const (
	// Analyst sees segments, their counts, rules and history, but no
	// customer rows and no exports.
	Analyst Role = iota + 1
	// Viewer also sees customer rows (drill-downs).
	Viewer
	// Editor also refreshes, exports and manages segments.
	Editor
	// Admin also manages users and tokens and reads the audit log.
	Admin
)

var roleNames = map[Role]string{Analyst: "analyst", Viewer: "viewer", Editor: "editor", Admin: "admin"}

// String is the role's name as the CLI and the database write it.
func (r Role) String() string {
	if n, ok := roleNames[r]; ok {
		return n
	}
	return fmt.Sprintf("Role(%d)", int(r))
}

// Includes reports whether r may do what need may.
func (r Role) Includes(need Role) bool { return r >= need }

// Valid reports whether r is one of the four roles.
func (r Role) Valid() bool { _, ok := roleNames[r]; return ok }

// ParseRole reads a role name, in any case ("editor", "EDITOR").
func ParseRole(s string) (Role, error) {
	for r, n := range roleNames {
		if strings.EqualFold(s, n) {
			return r, nil
		}
	}
	return 0, apperr.Invalid("role %q is not one of analyst, viewer, editor, admin", s)
}

// Value stores a role as its name.
func (r Role) Value() (driver.Value, error) {
	if !r.Valid() {
		return nil, fmt.Errorf("store role: %v is not a role", r)
	}
	return r.String(), nil
}

// Scan reads a role stored by Value.
func (r *Role) Scan(src any) error {
	var s string
	switch v := src.(type) {
	case string:
		s = v
	case []byte:
		s = string(v)
	default:
		return fmt.Errorf("scan role: want text, got %T", src)
	}
	parsed, err := ParseRole(s)
	if err != nil {
		return fmt.Errorf("scan role: %w", err)
	}
	*r = parsed
	return nil
}

// Kind says what sort of principal is asking.
type Kind string

// The kinds of principal.
const (
	// User is a person signed in with email and password.
	User Kind = "user"
	// Token is a client holding an API token.
	Token Kind = "token"
	// System is the server acting on its own or for the command line.
	System Kind = "system"
)

// Principal is who is asking.
type Principal struct {
	Kind Kind
	// ID is the user's or token's id; 0 for System.
	ID int64
	// Name is what the audit log and the app show: a user's email, a
	// token's name.
	Name string
	// Email is a user's email; empty for tokens.
	Email string
	Role  Role
	// Websites limits the principal to these website ids; empty: all.
	Websites []int64
	// MustChangePassword is set for a user whose password an admin chose:
	// until the user picks a new one, its session reaches only the viewer
	// and changePassword (the GraphQL layer enforces it).
	MustChangePassword bool
}

// Scope is the websites a principal may see.
func (p *Principal) Scope() Scope { return Scope{websites: p.Websites, set: true} }

// Actor is how jobs and history record this principal as who asked.
func (p *Principal) Actor() actor.Actor {
	switch p.Kind {
	case User:
		return actor.Actor{Kind: actor.User, ID: p.ID}
	case Token:
		return actor.Actor{Kind: actor.Token, ID: p.ID}
	}
	return actor.FromCLI
}

// SystemPrincipal is the command line and the server's own work: every
// website, every role.
func SystemPrincipal() *Principal {
	return &Principal{Kind: System, Name: "system", Role: Admin}
}

// Scope is a set of website ids a principal may see. The zero Scope sees
// nothing (a context without a principal); All sees every website.
type Scope struct {
	websites []int64
	set      bool
}

// All is the scope of every website.
func All() Scope { return Scope{set: true} }

// Websites is the scope of the given websites; none given: every website.
func Websites(ids ...int64) Scope { return Scope{websites: ids, set: true} }

// IsAll reports whether the scope covers every website.
func (s Scope) IsAll() bool { return s.set && len(s.websites) == 0 }

// IsNone reports whether the scope sees nothing (no principal).
func (s Scope) IsNone() bool { return !s.set }

// IDs is the website ids of a limited scope: nil for All, and an empty,
// non-nil slice for none, so `website_id = ANY($1)` matches nothing.
func (s Scope) IDs() []int64 {
	if !s.set {
		return []int64{}
	}
	return s.websites
}

// Has reports whether website id is in the scope.
func (s Scope) Has(id int64) bool {
	return s.IsAll() || (s.set && slices.Contains(s.websites, id))
}

// Covers reports whether every one of ids is in the scope.
func (s Scope) Covers(ids []int64) bool {
	for _, id := range ids {
		if !s.Has(id) {
			return false
		}
	}
	return true
}

type ctxKey struct{}

// With returns ctx carrying p.
func With(ctx context.Context, p *Principal) context.Context {
	return context.WithValue(ctx, ctxKey{}, p)
}

// From returns the principal in ctx, or nil.
func From(ctx context.Context) *Principal {
	p, _ := ctx.Value(ctxKey{}).(*Principal)
	return p
}

// ScopeOf is the scope of ctx's principal; with no principal, nothing.
func ScopeOf(ctx context.Context) Scope {
	if p := From(ctx); p != nil {
		return p.Scope()
	}
	return Scope{}
}

// AsSystem returns ctx acting as the system (every website): for the CLI,
// scheduled work and tests.
func AsSystem(ctx context.Context) context.Context {
	return With(ctx, SystemPrincipal())
}

type addrKey struct{}

// WithClientAddr returns ctx carrying the client's address (after
// TRUSTED_PROXIES are taken into account), for the audit log.
func WithClientAddr(ctx context.Context, addr string) context.Context {
	return context.WithValue(ctx, addrKey{}, addr)
}

// ClientAddr is the client address in ctx, or "".
func ClientAddr(ctx context.Context) string {
	a, _ := ctx.Value(addrKey{}).(string)
	return a
}
