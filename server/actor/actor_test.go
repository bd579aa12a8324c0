package actor_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/segments/segments/server/actor"
)

func TestStoredFormRoundTrips(t *testing.T) {
	t.Parallel()
	for _, a := range []actor.Actor{actor.FromCLI, actor.FromAPI, actor.FromSchedule, actor.FromChange, {Kind: actor.User, ID: 7}, {Kind: actor.Token, ID: 3}} {
		got, err := actor.Parse(a.String())
		require.NoError(t, err)
		require.Equal(t, a, got)
	}
	for _, bad := range []string{"", "robot", "api:x", "cli:0", "api:-3", "user", "token:0", "cli:4", "change:2"} {
		_, err := actor.Parse(bad)
		require.Error(t, err, bad)
	}
}
