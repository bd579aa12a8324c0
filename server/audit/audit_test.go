package audit_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/segments/segments/server/audit"
	"github.com/segments/segments/server/auth"
	"github.com/segments/segments/server/db/dbtest"
)

func TestRecordKeepsWhoWhatAndWhereAndCannotBeEdited(t *testing.T) {
	t.Parallel()
	d := dbtest.New(t)
	ctx := auth.WithClientAddr(auth.With(context.Background(),
		&auth.Principal{Kind: auth.User, ID: 7, Name: "ann@example.com", Role: auth.Editor}), "192.0.2.1")

	require.NoError(t, audit.Record(ctx, d, audit.SegmentDeleted, []int64{3, 4}, map[string]any{"count": 2}))
	require.NoError(t, audit.Record(context.Background(), d, audit.SignInFailed, nil, nil))

	var got []audit.Event
	require.NoError(t, d.NewSelect().Model(&got).Order("id").Scan(ctx))
	require.Len(t, got, 2)
	require.Equal(t, "user:7", got[0].Principal)
	require.Equal(t, "ann@example.com", got[0].PrincipalName)
	require.Equal(t, []int64{3, 4}, got[0].SubjectIDs)
	require.EqualValues(t, 2, got[0].Details["count"])
	require.Equal(t, "192.0.2.1", got[0].ClientAddr)
	require.Equal(t, "anonymous", got[1].Principal)

	_, err := d.NewUpdate().Model(&got[0]).Set("action = 'x'").WherePK().Exec(ctx)
	require.ErrorContains(t, err, "append-only")
}
