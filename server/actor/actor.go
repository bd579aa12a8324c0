// Package actor says who asked for something: the command line, an API
// request, the refresh schedule, a change to the store's data, a signed-in
// user or an API token. Refresh
// runs and exports record it, so a merchant can tell a scheduled refresh from
// one somebody asked for.
package actor

import (
	"fmt"
	"strconv"
	"strings"
)

// Kind is the kind of actor.
type Kind string

// The kinds of actor.
const (
	// CLI is a `segments` command run by hand or by cron.
	CLI Kind = "cli"
	// API is a GraphQL request.
	API Kind = "api"
	// Schedule is the periodic refresh of every active segment.
	Schedule Kind = "schedule"
	// Change is an import or a deletion of customers that, with
	// REFRESH_ON_CHANGE on, asks for a refresh of every active segment.
	Change Kind = "change"
	// User is a person signed in to the app; ID is the user's id.
	User Kind = "user"
	// Token is a client with an API token; ID is the token's id.
	Token Kind = "token"
)

// Actor is who asked. The zero value is invalid.
type Actor struct {
	Kind Kind
	// ID identifies the actor within its kind (a user's or token's id);
	// zero for the command line, the API, the schedule and a change.
	ID int64
}

// The actors that need no id.
var (
	FromCLI      = Actor{Kind: CLI}
	FromAPI      = Actor{Kind: API}
	FromSchedule = Actor{Kind: Schedule}
	FromChange   = Actor{Kind: Change}
)

// String is the stored form: the kind, then ":id" when there is one.
func (a Actor) String() string {
	if a.ID == 0 {
		return string(a.Kind)
	}
	return string(a.Kind) + ":" + strconv.FormatInt(a.ID, 10)
}

// Valid reports whether a names a known kind.
func (a Actor) Valid() bool {
	switch a.Kind {
	case CLI, API, Schedule, Change:
		return a.ID == 0
	case User, Token:
		return a.ID > 0
	}
	return false
}

// Parse reads the stored form written by String.
func Parse(s string) (Actor, error) {
	kind, id, hasID := strings.Cut(s, ":")
	a := Actor{Kind: Kind(kind)}
	if hasID {
		n, err := strconv.ParseInt(id, 10, 64)
		if err != nil || n <= 0 {
			return Actor{}, fmt.Errorf("actor %q: bad id", s)
		}
		a.ID = n
	}
	if !a.Valid() {
		return Actor{}, fmt.Errorf("actor %q: unknown", s)
	}
	return a, nil
}
