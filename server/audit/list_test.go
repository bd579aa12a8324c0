package audit_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/segments/segments/server/apperr"
	"github.com/segments/segments/server/audit"
	"github.com/segments/segments/server/auth"
	"github.com/segments/segments/server/db"
	"github.com/segments/segments/server/db/dbtest"
	"github.com/segments/segments/server/page"
)

// insert writes events as they would have been recorded at the given times.
func insert(t *testing.T, d *db.DB, events ...audit.Event) {
	t.Helper()
	for i := range events {
		e := &events[i]
		if e.SubjectIDs == nil {
			e.SubjectIDs = []int64{}
		}
		if e.Details == nil {
			e.Details = map[string]any{}
		}
		_, err := d.NewInsert().Model(e).Exec(context.Background())
		require.NoError(t, err)
	}
}

func ids(p audit.Page) []int64 {
	out := make([]int64, len(p.Events))
	for i, e := range p.Events {
		out[i] = e.ID
	}
	return out
}

func ptr[T any](v T) *T { return &v }

func TestListPagesNewestFirstAndFilters(t *testing.T) {
	t.Parallel()
	ctx := auth.AsSystem(context.Background())
	d := dbtest.New(t)
	base := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	// Ten events, one a minute, alternating principals and actions; the
	// last two share a time, so ties must break by id.
	var evs []audit.Event
	for i := range 10 {
		at := base.Add(time.Duration(min(i, 8)) * time.Minute)
		who, action := "user:1", audit.SegmentCreated
		if i%2 == 1 {
			who, action = "token:2", audit.ExportCreated
		}
		evs = append(evs, audit.Event{At: at, Principal: who, PrincipalName: who, Action: action,
			SubjectIDs: []int64{int64(i)}, Details: map[string]any{"n": i}})
	}
	insert(t, d, evs...)

	// Newest first, every page exact, no overlap.
	var seen []int64
	var after *string
	for n := 0; ; n++ {
		p, err := audit.List(ctx, d, audit.Filter{}, ptr(4), after)
		require.NoError(t, err)
		seen = append(seen, ids(p)...)
		require.Equal(t, n > 0, p.Info.HasPreviousPage)
		if !p.Info.HasNextPage {
			break
		}
		after = &p.Cursors[len(p.Cursors)-1]
	}
	require.Equal(t, []int64{10, 9, 8, 7, 6, 5, 4, 3, 2, 1}, seen)

	p, err := audit.List(ctx, d, audit.Filter{}, ptr(1), nil)
	require.NoError(t, err)
	e := p.Events[0]
	require.Equal(t, "token:2", e.Principal)
	require.Equal(t, audit.ExportCreated, e.Action)
	require.Equal(t, []int64{9}, e.SubjectIDs)
	require.EqualValues(t, 9, e.Details["n"])
	require.True(t, e.At.Equal(base.Add(8*time.Minute)))

	for _, tc := range []struct {
		name string
		f    audit.Filter
		want []int64
	}{
		{"one action", audit.Filter{Actions: []string{audit.ExportCreated}}, []int64{10, 8, 6, 4, 2}},
		{"two actions", audit.Filter{Actions: []string{audit.ExportCreated, audit.SegmentCreated}}, []int64{10, 9, 8, 7, 6, 5, 4, 3, 2, 1}},
		{"unknown action", audit.Filter{Actions: []string{"nothing_like_it"}}, nil},
		{"principal", audit.Filter{Principal: "user:1"}, []int64{9, 7, 5, 3, 1}},
		{"from, inclusive", audit.Filter{From: ptr(base.Add(7 * time.Minute))}, []int64{10, 9, 8}},
		{"to, exclusive", audit.Filter{To: ptr(base.Add(2 * time.Minute))}, []int64{2, 1}},
		{"everything at once", audit.Filter{Principal: "token:2", Actions: []string{audit.ExportCreated},
			From: ptr(base.Add(time.Minute)), To: ptr(base.Add(5 * time.Minute))}, []int64{4, 2}},
	} {
		p, err := audit.List(ctx, d, tc.f, nil, nil)
		require.NoError(t, err, tc.name)
		if tc.want == nil {
			require.Empty(t, p.Events, tc.name)
			continue
		}
		require.Equal(t, tc.want, ids(p), tc.name)
	}
}

// Every page of the log is one statement: the events and whether any lie
// before the cursor. An empty log, and a page past the last event, are
// pages without events.
func TestListPageIsOneStatement(t *testing.T) {
	t.Parallel()
	ctx := auth.AsSystem(context.Background())
	d, statements := dbtest.Counted(t)
	list := func(first int, after *string) audit.Page {
		t.Helper()
		before := statements.Load()
		p, err := audit.List(ctx, d, audit.Filter{}, &first, after)
		require.NoError(t, err)
		require.Equal(t, int64(1), statements.Load()-before, "statements for a page")
		return p
	}
	p := list(2, nil)
	require.Empty(t, p.Events, "an empty log")
	require.Equal(t, page.Info{}, p.Info)

	base := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	for i := range 3 {
		insert(t, d, audit.Event{At: base.Add(time.Duration(i) * time.Minute), Principal: "user:1", PrincipalName: "u", Action: audit.SignIn})
	}
	p = list(2, nil)
	require.Equal(t, []int64{3, 2}, ids(p))
	require.Equal(t, page.Info{HasNextPage: true}, p.Info)
	p = list(2, &p.Cursors[1])
	require.Equal(t, []int64{1}, ids(p))
	require.Equal(t, page.Info{HasPreviousPage: true}, p.Info)
	p = list(2, &p.Cursors[0])
	require.Empty(t, p.Events, "past the oldest event")
	require.Equal(t, page.Info{HasPreviousPage: true}, p.Info)
}

func TestListRefusesBadArguments(t *testing.T) {
	t.Parallel()
	ctx := auth.AsSystem(context.Background())
	d := dbtest.New(t)
	insert(t, d, audit.Event{At: time.Now(), Principal: "user:1", Action: audit.SignIn},
		audit.Event{At: time.Now(), Principal: "user:1", Action: audit.SignIn})
	p, err := audit.List(ctx, d, audit.Filter{}, ptr(1), nil)
	require.NoError(t, err)
	cursor := p.Cursors[0]

	tooMany := make([]string, 51)
	for i := range tooMany {
		tooMany[i] = fmt.Sprint("a", i)
	}
	from := time.Now()
	for name, call := range map[string]func() error{
		"first 0":       func() error { _, err := audit.List(ctx, d, audit.Filter{}, ptr(0), nil); return err },
		"first 201":     func() error { _, err := audit.List(ctx, d, audit.Filter{}, ptr(201), nil); return err },
		"forged cursor": func() error { _, err := audit.List(ctx, d, audit.Filter{}, nil, ptr("bm9wZQ")); return err },
		"another filter": func() error {
			_, err := audit.List(ctx, d, audit.Filter{Principal: "user:1"}, nil, &cursor)
			return err
		},
		"to before from": func() error {
			_, err := audit.List(ctx, d, audit.Filter{From: &from, To: ptr(from.Add(-time.Hour))}, nil, nil)
			return err
		},
		"too many actions": func() error { _, err := audit.List(ctx, d, audit.Filter{Actions: tooMany}, nil, nil); return err },
	} {
		e, ok := apperr.As(call())
		require.True(t, ok, name)
		require.Equal(t, apperr.BadInput, e.Kind, name)
	}
}

func TestSweepDeletesOnlyEventsPastRetention(t *testing.T) {
	t.Parallel()
	ctx := auth.AsSystem(context.Background())
	d := dbtest.New(t)
	now := time.Now()
	insert(t, d,
		audit.Event{At: now.Add(-401 * 24 * time.Hour), Principal: "user:1", Action: audit.SignIn},
		audit.Event{At: now.Add(-400*24*time.Hour - time.Minute), Principal: "user:1", Action: audit.SignIn},
		audit.Event{At: now.Add(-399 * 24 * time.Hour), Principal: "user:1", Action: audit.SignIn},
		audit.Event{At: now, Principal: "user:1", Action: audit.SignIn},
	)
	n, err := audit.Sweep(ctx, d, audit.DefaultRetention)
	require.NoError(t, err)
	require.EqualValues(t, 2, n)
	p, err := audit.List(ctx, d, audit.Filter{}, nil, nil)
	require.NoError(t, err)
	require.Equal(t, []int64{4, 3}, ids(p))

	n, err = audit.Sweep(ctx, d, audit.DefaultRetention)
	require.NoError(t, err)
	require.Zero(t, n, "a second round finds nothing more")
}

// A website-limited admin cannot read the log: it names every website's
// segments, exports and people.
func TestListIsOnlyForPrincipalsOfEveryWebsite(t *testing.T) {
	t.Parallel()
	d := dbtest.New(t)
	insert(t, d, audit.Event{At: time.Now(), Principal: "user:1", Action: audit.SegmentDeleted, SubjectIDs: []int64{9}})
	scoped := auth.With(context.Background(), &auth.Principal{Kind: auth.User, ID: 2, Role: auth.Admin, Websites: []int64{1}})
	_, err := audit.List(scoped, d, audit.Filter{}, nil, nil)
	e, ok := apperr.As(err)
	require.True(t, ok, "%v", err)
	require.Equal(t, apperr.Forbidden, e.Kind)
	require.Contains(t, e.Message, "every website")

	_, err = audit.List(context.Background(), d, audit.Filter{}, nil, nil)
	require.Error(t, err, "no principal sees nothing")
}
