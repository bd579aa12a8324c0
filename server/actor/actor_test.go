package actor_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/segments/segments/server/actor"
)

func TestStoredFormRoundTrips(t *testing.T) {
	t.Parallel()
	for _, a := range []actor.Actor{actor.FromCLI, actor.FromAPI, actor.FromSchedule} {
		got, err := actor.Parse(a.String())
		require.NoError(t, err)
		require.Equal(t, a, got)
	}
	for _, bad := range []string{"", "robot", "api:x", "cli:0", "api:-3"} {
		_, err := actor.Parse(bad)
		require.Error(t, err, bad)
	}
}
