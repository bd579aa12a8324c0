package apperr_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/segments/segments/server/apperr"
)

func TestInvalidsKeepsEachProblemAndJoinsThemForOneLine(t *testing.T) {
	t.Parallel()
	problems := []apperr.Problem{
		{Field: "name", Message: "a segment needs a name"},
		{Field: "conditions", Condition: "conditions[1].conditions[0]", Message: "BETWEEN needs two values, not 1"},
		{Field: "conditions", Message: "the rule has 201 conditions; at most 200 are allowed"},
	}
	err := fmt.Errorf("create segment: %w", apperr.Invalids(problems))
	e, ok := apperr.As(err)
	require.True(t, ok)
	require.Equal(t, apperr.BadInput, e.Kind)
	require.Equal(t, problems, e.Problems)
	require.Equal(t, "name: a segment needs a name; "+
		"conditions.conditions[1].conditions[0]: BETWEEN needs two values, not 1; "+
		"conditions: the rule has 201 conditions; at most 200 are allowed", e.Message)
}
