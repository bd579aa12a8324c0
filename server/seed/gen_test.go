package seed

import (
	"io"
	"math/rand/v2"
	"regexp"
	"testing"
	"testing/iotest"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/segments/segments/server/bulk"
)

func TestFoldASCII(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"Åsa":           "asa",
		"Ångström":      "angstrom",
		"Øystein":       "oystein",
		"Jürgen":        "jurgen",
		"Zoë":           "zoe",
		"María":         "maria",
		"Þórður":        "thordur",
		"Guðrún":        "gudrun",
		"Weiß":          "weiss",
		"Łukasz":        "lukasz",
		"O'Brien":       "obrien",
		"van 't Hof":    "vanthof",
		"Anna-Karin":    "anna-karin",
		"Bæk":           "baek",
		"IJzerman":      "ijzerman",
		"Dąbrowska":     "dabrowska",
		"Sæther Bråten": "saetherbraten",
	} {
		require.Equal(t, want, foldASCII(in), in)
	}
	// Every demo name folds to something an email can hold.
	ok := regexp.MustCompile(`^[a-z][a-z-]*$`)
	for _, p := range allNamePools {
		for _, list := range [][]string{p.male, p.female, p.last, p.lastFemale} {
			for _, n := range list {
				require.Regexp(t, ok, foldASCII(n), n)
			}
		}
	}
}

func TestOrderCountsAreExact(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(1, 2))
	for _, total := range []uint64{0, 1, 7, 1000, 5_000_000} {
		ws := make([]uint64, 1000)
		var sum uint64
		for i := range ws {
			if r.IntN(5) > 0 {
				ws[i] = uint64(r.IntN(1_000_000))
			}
			sum += ws[i]
		}
		oc := orderCounts{total: total, weight: sum}
		var got uint64
		for _, w := range ws {
			n := oc.next(w)
			require.GreaterOrEqual(t, n, 0)
			if w == 0 {
				require.Zero(t, n, "no weight, no orders")
			}
			got += uint64(n)
		}
		require.Equal(t, total, got)
	}
}

func TestAppendPattern(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(3, 4))
	for range 100 {
		require.Regexp(t, `^\+46 70 [0-9]{3} [0-9]{2} [0-9]{2}$`, string(appendPattern(nil, r, "+46 70 ### ## ##")))
		require.Regexp(t, `^SW[1-9] [0-9][A-Z]{2}$`, string(appendPattern(nil, r, "SW$ #@@")))
	}
}

func TestGeneratedOrdersFollowTheirCustomer(t *testing.T) {
	t.Parallel()
	opts := Options{Customers: 2000, Orders: 10000, Seed: 9, Now: time.Date(2026, 1, 2, 3, 4, 5, 6, time.UTC), Location: time.UTC}
	src := newOrderRows(newSeedGen(opts, []int64{1, 2, 3}, []int64{1, 2, 3, 4}), 10000)
	check := newSeedGen(opts, []int64{1, 2, 3}, []int64{1, 2, 3, 4})
	n := int64(0)
	last := int64(0)
	for o := src.next(); o != nil; o = src.next() {
		n++
		require.Equal(t, n, o.id, "ids are consecutive")
		require.GreaterOrEqual(t, o.customerID, last, "orders come customer by customer")
		last = o.customerID
		c := check.core(o.customerID)
		require.Greater(t, o.createdAt, c.createdAt)
		require.LessOrEqual(t, o.createdAt, opts.Now.Unix())
		require.Positive(t, o.cents)
	}
	require.EqualValues(t, 10000, n)
}

func TestCopyReaderStreamsEveryRow(t *testing.T) {
	t.Parallel()
	opts := Options{Customers: 300, Seed: 1, Now: time.Now(), Location: time.UTC}
	all, err := io.ReadAll(iotest.OneByteReader(bulk.NewReader(newCustomerRows(newSeedGen(opts, []int64{1, 2, 3}, []int64{1, 2, 3, 4})))))
	require.NoError(t, err)
	var want []byte
	want = append(want, "PGCOPY\n\xff\r\n\x00\x00\x00\x00\x00\x00\x00\x00\x00"...)
	rows := newCustomerRows(newSeedGen(opts, []int64{1, 2, 3}, []int64{1, 2, 3, 4}))
	for more := true; more; {
		want, more = rows.AppendRow(want)
	}
	want = append(want, 0xff, 0xff)
	require.Equal(t, want, all)
}
