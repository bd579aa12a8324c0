package export_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/segments/segments/server/account"
	"github.com/segments/segments/server/actor"
	"github.com/segments/segments/server/apperr"
	"github.com/segments/segments/server/auth"
	"github.com/segments/segments/server/customer"
	"github.com/segments/segments/server/export"
	"github.com/segments/segments/server/job"
	"github.com/segments/segments/server/segment/scopetest"
)

func TestScopeLeakExports(t *testing.T) {
	t.Parallel()
	st := scopetest.New(t)
	ctx := context.Background()
	bucket, err := export.OpenBucket(ctx, "", t.TempDir())
	require.NoError(t, err)
	t.Cleanup(func() { _ = bucket.Close() })
	s := &export.Service{DB: st.DB, Customers: customer.NewLister(st.DB), Bucket: bucket, Location: time.UTC, Retention: time.Hour}
	// The workers' own context has no principal: they act for the export's.
	c, err := job.NewClient(st.DB, job.Config{Kinds: s.Kinds(), Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	require.NoError(t, err)
	require.NoError(t, c.Start(ctx))
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = c.Stop(ctx)
	})

	// The requesters are real users: the worker reads what they hold now.
	accounts := account.NewService(st.DB)
	sys := auth.AsSystem(ctx)
	ua, err := accounts.CreateUser(sys, account.NewUser{Email: "a@example.com", Password: "correct horse battery", Role: auth.Editor, Websites: []int64{st.A}})
	require.NoError(t, err)
	uall, err := accounts.CreateUser(sys, account.NewUser{Email: "all@example.com", Password: "correct horse battery", Role: auth.Editor})
	require.NoError(t, err)
	pa, pall := st.ScopedA(ua.ID), st.Everyone(uall.ID)
	a, all := scopetest.As(pa), scopetest.As(pall)
	run := func(ctx context.Context, p *auth.Principal, ids ...int64) (*export.Export, string) {
		t.Helper()
		id, err := s.Start(ctx, export.Request{SegmentIDs: ids, Mode: customer.Union, Format: export.FormatCSV}, p.Actor())
		require.NoError(t, err)
		e, err := export.Wait(ctx, st.DB, id, 30*time.Second)
		require.NoError(t, err)
		require.Equal(t, job.Succeeded, e.State, "%v", e.Error)
		r, err := bucket.NewReader(ctx, *e.FileKey, nil)
		require.NoError(t, err)
		defer r.Close()
		b, err := io.ReadAll(r)
		require.NoError(t, err)
		return e, string(b)
	}

	e, file := run(a, pa, st.MixedAB, st.All)
	require.Equal(t, []int64{st.A}, e.Scope, "the export keeps its requester's scope")
	require.Equal(t, int64(scopetest.PerWebsite), *e.RowCount)
	for i := range scopetest.PerWebsite {
		require.Contains(t, file, fmt.Sprintf("a%d@a.example.com", i))
	}
	require.NotContains(t, file, "@b.example.com")
	require.NotContains(t, file, "@c.example.com")
	require.Equal(t, scopetest.PerWebsite+1, strings.Count(file, "\n"), "a header and website a's customers")

	eAll, file := run(all, pall, st.MixedAB)
	require.Nil(t, eAll.Scope)
	require.Contains(t, file, "@b.example.com")

	// A hidden segment is as unknown to an export as anywhere.
	_, err = s.Start(a, export.Request{SegmentIDs: []int64{st.OnlyB}, Format: export.FormatCSV}, pa.Actor())
	ae, ok := apperr.As(err)
	require.True(t, ok, "%v", err)
	require.Equal(t, apperr.NotFound, ae.Kind)
	require.Equal(t, fmt.Sprintf("segment %d does not exist", st.OnlyB), ae.Message)

	// Only its requester, and admins whose scope covers it, see an export.
	find := func(p *auth.Principal, id int64) *export.Export {
		t.Helper()
		e, err := export.Find(scopetest.As(p), st.DB, id)
		require.NoError(t, err)
		return e
	}
	require.NotNil(t, find(pa, e.ID))
	require.Nil(t, find(st.ScopedA(9), e.ID), "another user of the same website")
	require.Nil(t, find(pa, eAll.ID), "someone else's export")
	require.Nil(t, find(&auth.Principal{Kind: auth.Token, ID: ua.ID, Role: auth.Editor}, e.ID), "a token with the user's id")
	admin := &auth.Principal{Kind: auth.User, ID: 1, Role: auth.Admin}
	require.NotNil(t, find(admin, e.ID))
	require.NotNil(t, find(admin, eAll.ID))
	scopedAdmin := &auth.Principal{Kind: auth.User, ID: 2, Role: auth.Admin, Websites: []int64{st.A}}
	require.NotNil(t, find(scopedAdmin, e.ID))
	require.Nil(t, find(scopedAdmin, eAll.ID), "an admin of website a does not see an export of every website")
	require.Nil(t, find(pa, 999_999))
	// A requester whose websites were narrowed since no longer sees its
	// old export of websites it lost (nor mints links for it).
	require.NotNil(t, find(pall, eAll.ID), "the unchanged requester")
	narrowed := *pall
	narrowed.Websites = []int64{st.A}
	require.Nil(t, find(&narrowed, eAll.ID), "the requester narrowed to website a")
	movedA := *pa
	movedA.Websites = []int64{st.B}
	require.Nil(t, find(&movedA, e.ID), "the requester moved from website a to b")
	none, err := export.Find(context.Background(), st.DB, e.ID)
	require.NoError(t, err)
	require.Nil(t, none)
	require.Equal(t, actor.Actor{Kind: actor.User, ID: ua.ID}, e.RequestedBy)

	// A queued export runs with what its requester holds when it runs:
	// asked for under every website, by a user narrowed to website a
	// before the worker ran (here: a stale session principal), it holds
	// website a's customers only.
	narrowTo := []int64{st.A}
	_, err = accounts.UpdateUser(sys, uall.ID, account.UserChange{Websites: &narrowTo})
	require.NoError(t, err)
	eStale, file := run(all, pall, st.MixedAB)
	require.Nil(t, eStale.Scope, "asked for under every website")
	require.Contains(t, file, "@a.example.com")
	require.NotContains(t, file, "@b.example.com")
	// A disabled requester's export fails, saying why.
	yes := true
	_, err = accounts.UpdateUser(sys, uall.ID, account.UserChange{Disabled: &yes})
	require.NoError(t, err)
	id, err := s.Start(all, export.Request{SegmentIDs: []int64{st.MixedAB}, Mode: customer.Union, Format: export.FormatCSV}, pall.Actor())
	require.NoError(t, err)
	failed, err := export.Wait(ctx, st.DB, id, 30*time.Second)
	require.NoError(t, err)
	require.Equal(t, job.Failed, failed.State)
	require.Contains(t, *failed.Error, "disabled or gone")
	require.Nil(t, failed.FileKey)
}
