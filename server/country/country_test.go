package country

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestCount(t *testing.T) {
	t.Parallel()
	// ISO 3166-1 has 249 officially assigned alpha-2 codes.
	require.Len(t, All(), 249)
}

func TestAllSortedAndWellFormed(t *testing.T) {
	t.Parallel()
	all := All()
	for i, c := range all {
		require.Len(t, c.Code, 2)
		require.Equal(t, strings.ToUpper(c.Code), c.Code)
		require.NotEmpty(t, c.Name)
		if i > 0 {
			require.Less(t, all[i-1].Code, c.Code)
		}
	}
}

func TestNameAndValid(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		code, name string
		ok         bool
	}{
		{"SE", "Sweden", true},
		{"se", "Sweden", true},
		{"Ax", "Åland Islands", true},
		{"US", "United States", true},
		{"GB", "United Kingdom", true},
		{"UK", "", false}, // exceptionally reserved, not assigned
		{"EU", "", false},
		{"XK", "", false}, // user-assigned, not ISO
		{"", "", false},
		{"SWE", "", false},
		{" SE", "", false},
	} {
		n, ok := Name(tc.code)
		require.Equal(t, tc.ok, ok, tc.code)
		require.Equal(t, tc.name, n, tc.code)
		require.Equal(t, tc.ok, Valid(tc.code), tc.code)
	}
}

func TestAllReturnsCopy(t *testing.T) {
	t.Parallel()
	a := All()
	a[0].Name = "changed"
	require.NotEqual(t, "changed", All()[0].Name)
}

func TestLookupSharesEntriesAndKeepsUnknownCodes(t *testing.T) {
	t.Parallel()
	se := Lookup("SE")
	require.Equal(t, &Country{Code: "SE", Name: "Sweden"}, se)
	require.Same(t, se, Lookup("se"), "one entry per country, any case")
	require.Equal(t, &Country{Code: "ZZ", Name: "ZZ"}, Lookup("ZZ"))
}
