package auth_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/segments/segments/server/auth"
)

func TestRolesIncludeTheOnesBefore(t *testing.T) {
	t.Parallel()
	require.True(t, auth.Admin.Includes(auth.Viewer))
	require.True(t, auth.Viewer.Includes(auth.Viewer))
	require.False(t, auth.Analyst.Includes(auth.Viewer))
	r, err := auth.ParseRole("EDITOR")
	require.NoError(t, err)
	require.Equal(t, auth.Editor, r)
	_, err = auth.ParseRole("owner")
	require.ErrorContains(t, err, "analyst, viewer, editor, admin")
}

func TestAContextWithoutPrincipalSeesNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	require.True(t, auth.ScopeOf(ctx).IsNone())
	require.False(t, auth.ScopeOf(ctx).Has(1))
	require.NotNil(t, auth.ScopeOf(ctx).IDs())

	require.True(t, auth.ScopeOf(auth.AsSystem(ctx)).IsAll())
	scoped := auth.With(ctx, &auth.Principal{Kind: auth.User, ID: 1, Role: auth.Viewer, Websites: []int64{2}})
	require.True(t, auth.ScopeOf(scoped).Has(2))
	require.False(t, auth.ScopeOf(scoped).Has(3))
	require.False(t, auth.ScopeOf(scoped).Covers([]int64{2, 3}))
}
