package audit

import (
	"context"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"github.com/segments/segments/server/apperr"
	"github.com/segments/segments/server/auth"
	"github.com/segments/segments/server/db"
	"github.com/segments/segments/server/page"
)

// Filter narrows List: an event must match every field set.
type Filter struct {
	// Actions keeps events with any of these actions.
	Actions []string
	// Principal keeps one principal's events, in Event.Principal form
	// ("user:7").
	Principal string
	// From keeps events at or after it; To, events before it.
	From, To *time.Time
}

// Limits on a Filter, so a request cannot make the statement arbitrarily
// large.
const (
	maxFilterActions = 50
	maxFilterText    = 200
)

func (f Filter) check() error {
	if len(f.Actions) > maxFilterActions {
		return apperr.Invalid("filter.actions: at most %d actions, got %d", maxFilterActions, len(f.Actions))
	}
	for _, a := range f.Actions {
		if utf8.RuneCountInString(a) > maxFilterText {
			return apperr.Invalid("filter.actions: an action is at most %d characters", maxFilterText)
		}
	}
	if utf8.RuneCountInString(f.Principal) > maxFilterText {
		return apperr.Invalid("filter.principal: at most %d characters", maxFilterText)
	}
	if f.From != nil && f.To != nil && f.To.Before(*f.From) {
		return apperr.Invalid("filter: to is before from")
	}
	return nil
}

// Page is one page of events, newest first.
type Page struct {
	Events []Event
	// Cursors are each event's cursor, for after.
	Cursors []string
	Info    page.Info
}

// newestFirst is the log's one order: by time, ties by id, newest first.
var newestFirst = page.Sort{Keys: []page.Key{
	{Expr: "ae.at", Type: "timestamptz"},
	{Expr: "ae.id", Type: "bigint"},
}, Desc: true}

const eventColumns = "ae.id, ae.at, ae.principal, ae.principal_name, ae.action, ae.subject_ids, ae.details, ae.client_addr"

// List returns a page of the events f selects, newest first: at most first
// (1 to 200; default 50), continuing after a cursor of an earlier page of
// the same filter. Only principals of every website read the log.
func List(ctx context.Context, idb bun.IDB, f Filter, first *int, after *string) (Page, error) {
	if !auth.ScopeOf(ctx).IsAll() {
		// The log names every website's segments, exports and people: it
		// is for admins of every website only.
		return Page{}, apperr.Denied("the audit log needs an admin of every website; yours is limited to some websites")
	}
	if err := f.check(); err != nil {
		return Page{}, err
	}
	req, err := page.Parse(page.Args{First: first, After: after}, page.Binding("audit", f))
	if err != nil {
		return Page{}, err
	}
	// No guard: the log's rows depend on nothing but the filter.
	st, err := req.Statement(eventColumns, newestFirst, f.source(), nil)
	if err != nil {
		return Page{}, err
	}
	type row struct {
		Event
		page.Head
	}
	rows, info, _, err := page.One(ctx, idb, req, st, func(r *row) *page.Head { return &r.Head })
	if err != nil {
		return Page{}, fmt.Errorf("list audit events: %w", err)
	}
	p := Page{Info: info, Events: make([]Event, len(rows)), Cursors: make([]string, len(rows))}
	for i, r := range rows {
		p.Events[i], p.Cursors[i] = r.Event, req.Cursor(r.Cursor)
	}
	return p, nil
}

// source is f as SQL: the statement's text depends only on which fields are
// set, never on their values.
func (f Filter) source() page.Source {
	return func(a *db.Args) (string, []string) {
		var where []string
		if len(f.Actions) > 0 {
			where = append(where, "ae.action = ANY("+a.Add(f.Actions)+"::text[])")
		}
		if f.Principal != "" {
			where = append(where, "ae.principal = "+a.Add(f.Principal))
		}
		if f.From != nil {
			where = append(where, "ae.at >= "+a.Add(*f.From))
		}
		if f.To != nil {
			where = append(where, "ae.at < "+a.Add(*f.To))
		}
		return "audit_events AS ae", where
	}
}
