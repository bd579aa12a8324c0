package export

import (
	"bytes"
	"encoding/csv"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// readCSV parses a written file with encoding/csv, checking and stripping the
// byte-order mark first.
func readCSV(t testing.TB, data []byte, delim rune) [][]string {
	require.True(t, bytes.HasPrefix(data, []byte(bom)), "BOM first")
	r := csv.NewReader(bytes.NewReader(data[len(bom):]))
	r.Comma = delim
	recs, err := r.ReadAll()
	require.NoError(t, err)
	return recs
}

func writeCSV(t testing.TB, rows []Row, delim rune, loc *time.Location) []byte {
	var buf bytes.Buffer
	w := NewCSV(&buf, delim, loc)
	for _, r := range rows {
		require.NoError(t, w.Write(r))
	}
	require.NoError(t, w.Close())
	return buf.Bytes()
}

// crlfToLF mirrors encoding/csv's reader, which turns CRLF inside a quoted
// field into LF (the file keeps the CRLF; other readers, Excel included, see
// it).
func crlfToLF(s string) string { return strings.ReplaceAll(s, "\r\n", "\n") }

func TestCSVRoundTrip(t *testing.T) {
	t.Parallel()
	rows := sampleRows()
	for _, delim := range []rune{',', ';'} {
		t.Run(string(delim), func(t *testing.T) {
			t.Parallel()
			data := writeCSV(t, rows, delim, time.UTC)
			require.True(t, bytes.HasSuffix(data, []byte("\r\n")))
			require.Equal(t, 1, bytes.Count(data, []byte(bom)), "exactly one BOM")
			recs := readCSV(t, data, delim)
			require.Len(t, recs, len(rows)+1)
			require.Equal(t, Columns, recs[0])
			for i, r := range rows {
				got := recs[i+1]
				require.Len(t, got, len(Columns))
				for j := range got {
					got[j] = UnescapeCSVCell(got[j])
				}
				want := []string{strconv.FormatInt(r.ID, 10), r.Name, r.Email, r.Group, r.Phone, r.Zip, r.Country, r.Region,
					r.CustomerSince.Format("2006-01-02 15:04:05")}
				for j := range want {
					want[j] = crlfToLF(want[j])
				}
				require.Equal(t, want, got, "row %d", i)
			}
		})
	}
}

func TestCSVExactBytes(t *testing.T) {
	t.Parallel()
	data := writeCSV(t, []Row{{
		ID: 7, Name: "Åsa, \"Å\" Öberg", Email: "a@x.se", Group: "General", Phone: "+46 70 123 45 67",
		Zip: "111 22", Country: "Sweden", Region: "", CustomerSince: time.Date(2025, 3, 1, 9, 30, 0, 0, time.UTC),
	}}, ';', nil)
	require.Equal(t, "\uFEFFID;Name;Email;Group;Phone;ZIP;Country;State/Province;Customer Since\r\n"+
		"7;\"Åsa, \"\"Å\"\" Öberg\";a@x.se;General;'+46 70 123 45 67;111 22;Sweden;;2025-03-01 09:30:00\r\n", string(data))

	data = writeCSV(t, []Row{{ID: 1, Name: "a;b", Email: "=1+1", Phone: "\rx", Region: "x\ny"}}, ',', nil)
	require.Equal(t, "\uFEFFID,Name,Email,Group,Phone,ZIP,Country,State/Province,Customer Since\r\n"+
		"1,a;b,'=1+1,,\"'\rx\",,,\"x\ny\",\r\n", string(data), "zero time is an empty cell")
}

func TestCSVInjectionPrefix(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, cell string }{
		{"=HYPERLINK(\"http://x\",\"y\")", "'=HYPERLINK(\"http://x\",\"y\")"},
		{"+46 70 123 45 67", "'+46 70 123 45 67"},
		{"-5", "'-5"},
		{"@x", "'@x"},
		{"\tx", "'\tx"},
		{"\rx", "'\rx"},
		{"'=x", "''=x"},
		{"''@", "'''@"},
		{"'x", "'x"},
		{"'", "'"},
		{"a=b", "a=b"},
		{"", ""},
		{" =x", " =x"},
	} {
		got := string(appendCSVCell(nil, tc.in, ','))
		// Quoting is not what this test is about; strip it when present.
		if strings.HasPrefix(got, `"`) {
			got = strings.ReplaceAll(got[1:len(got)-1], `""`, `"`)
		}
		require.Equal(t, tc.cell, got, "%q", tc.in)
		require.Equal(t, tc.in, UnescapeCSVCell(tc.cell), "%q", tc.in)
	}
	// Values that were never escaped pass through.
	for _, s := range []string{"'a", "'", "''", "x'=", "'  =", "Åsa"} {
		require.Equal(t, s, UnescapeCSVCell(s))
	}
}

func TestCSVNegativeIDPrefixed(t *testing.T) {
	t.Parallel()
	recs := readCSV(t, writeCSV(t, []Row{{ID: -5}}, ',', nil), ',')
	require.Equal(t, "'-5", recs[1][0])
	require.Equal(t, "-5", UnescapeCSVCell(recs[1][0]))
}

func TestCSVTimeZone(t *testing.T) {
	t.Parallel()
	loc := stockholm(t)
	rows := []Row{
		{ID: 1, CustomerSince: time.Date(2025, 1, 15, 23, 30, 0, 0, time.UTC)}, // CET, +1: next day
		{ID: 2, CustomerSince: time.Date(2025, 7, 1, 10, 0, 5, 0, time.UTC)},   // CEST, +2
	}
	recs := readCSV(t, writeCSV(t, rows, ',', loc), ',')
	require.Equal(t, "2025-01-16 00:30:00", recs[1][8])
	require.Equal(t, "2025-07-01 12:00:05", recs[2][8])
	// The same instant given in another zone prints the same local time.
	recs = readCSV(t, writeCSV(t, []Row{{CustomerSince: rows[1].CustomerSince.In(time.FixedZone("X", -7*3600))}}, ',', loc), ',')
	require.Equal(t, "2025-07-01 12:00:05", recs[1][8])
}

func TestCSVEmpty(t *testing.T) {
	t.Parallel()
	data := writeCSV(t, nil, ',', nil)
	require.Equal(t, [][]string{Columns}, readCSV(t, data, ','))
}

func TestCSVBadDelimiterPanics(t *testing.T) {
	t.Parallel()
	require.Panics(t, func() { NewCSV(&bytes.Buffer{}, '\t', nil) })
}

func TestCSVWriteAfterCloseAndCloseTwice(t *testing.T) {
	t.Parallel()
	w := NewCSV(&bytes.Buffer{}, ',', nil)
	require.NoError(t, w.Close())
	require.NoError(t, w.Close())
	require.ErrorIs(t, w.Write(Row{}), ErrClosed)
}

type failWriter struct{}

var errDisk = errors.New("disk full")

func (failWriter) Write([]byte) (int, error) { return 0, errDisk }

func TestWriterErrorsSurface(t *testing.T) {
	t.Parallel()
	for name, w := range map[string]Writer{"csv": NewCSV(failWriter{}, ',', nil), "xml": NewSpreadsheetML(failWriter{}, nil)} {
		var err error
		for i := 0; i < 10000 && err == nil; i++ {
			err = w.Write(Row{ID: int64(i), Name: strings.Repeat("x", 100)})
		}
		require.ErrorIs(t, err, errDisk, name)
		require.ErrorIs(t, w.Close(), errDisk, name)
	}
	// A tiny export that never filled the buffer reports the error on Close.
	require.ErrorIs(t, NewCSV(failWriter{}, ',', nil).Close(), errDisk)
	require.ErrorIs(t, NewSpreadsheetML(failWriter{}, nil).Close(), errDisk)
}

func FuzzCSVRoundTrip(f *testing.F) {
	for i, v := range tricky {
		f.Add(int64(i), v, tricky[(i+1)%len(tricky)], byte(','))
	}
	f.Add(int64(-1), "\r\n=x", "\"\r", byte(';'))
	f.Add(int64(0), "\xff\xfe", "\x00", byte(';'))
	f.Fuzz(func(t *testing.T, id int64, a, b string, d byte) {
		delim := ','
		if d%2 == 1 {
			delim = ';'
		}
		row := Row{ID: id, Name: a, Email: b, Group: a + b, Phone: b + a, Zip: a, Country: b, Region: a}
		recs := readCSV(t, writeCSV(t, []Row{row}, delim, nil), delim)
		require.Len(t, recs, 2)
		require.Equal(t, Columns, recs[0])
		got := recs[1]
		require.Len(t, got, len(Columns))
		want := []string{strconv.FormatInt(id, 10), row.Name, row.Email, row.Group, row.Phone, row.Zip, row.Country, row.Region, ""}
		for j, v := range want {
			if !strings.Contains(v, "\r\n") {
				require.Equal(t, v, UnescapeCSVCell(got[j]), "column %d", j)
				continue
			}
			// encoding/csv reads CRLF inside a field as LF, so compare the
			// cell text, and check the escaping is reversible on its own.
			cell := string(appendCSVCell(nil, v, byte(delim)))
			if needsQuotes(v, byte(delim)) {
				cell = strings.ReplaceAll(cell[1:len(cell)-1], `""`, `"`)
			}
			require.Equal(t, crlfToLF(cell), got[j], "column %d", j)
			require.Equal(t, v, UnescapeCSVCell(cell), "column %d", j)
		}
	})
}
