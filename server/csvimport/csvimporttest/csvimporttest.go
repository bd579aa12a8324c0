// Package csvimporttest checks the problems a rejected file reports
// (csvimport.Error), for the tests of imports and erasure.
package csvimporttest

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/segments/segments/server/csvimport"
)

// Problem is a problem a test expects: its line, and text its message
// contains.
type Problem struct {
	Line int
	Text string
}

// RequireProblems fails t unless err is a *csvimport.Error listing exactly
// want, in order, with nothing more.
func RequireProblems(t testing.TB, err error, want []Problem) {
	t.Helper()
	var ie *csvimport.Error
	require.ErrorAs(t, err, &ie)
	require.Len(t, ie.Problems, len(want), "problems: %v", ie.Problems)
	for i, w := range want {
		require.Equal(t, w.Line, ie.Problems[i].Line, "problem %d: %v", i, ie.Problems[i])
		require.Contains(t, ie.Problems[i].Message, w.Text, "problem %d", i)
	}
	require.Zero(t, ie.More)
}
