package export

import (
	"testing"
	"time"
	_ "time/tzdata" // Europe/Stockholm wherever the tests run

	"github.com/stretchr/testify/require"
)

// tricky are values that break naive CSV or XML writers, or that a
// spreadsheet could run as formulas.
var tricky = []string{
	"Åsa Öberg", "Jörgen Ärlig", "Émile 😀 Zoë", "a,b", "a;b", `say "hi"`, `"quoted"`,
	"line1\nline2", "line1\r\nline2", "cr\rinside", `=HYPERLINK("http://x","y")`,
	"+46 70 123 45 67", "-5", "@x", "\tleading tab", "\rleading cr", "'=already", "''+two",
	"'plain", "'", " leading space", "trailing space ", "<b>&amp;</b>", "it's", "",
}

// sampleRows builds one row per tricky value, spreading it over every text
// column so each column sees every case.
func sampleRows() []Row {
	since := time.Date(2025, 3, 1, 8, 30, 0, 0, time.UTC)
	rows := make([]Row, 0, len(tricky))
	for i, v := range tricky {
		rows = append(rows, Row{
			ID:            int64(i + 1),
			Name:          v,
			Email:         tricky[(i+1)%len(tricky)],
			Group:         tricky[(i+2)%len(tricky)],
			Phone:         tricky[(i+3)%len(tricky)],
			Zip:           tricky[(i+4)%len(tricky)],
			Country:       tricky[(i+5)%len(tricky)],
			Region:        tricky[(i+6)%len(tricky)],
			CustomerSince: since.Add(time.Duration(i) * time.Hour),
		})
	}
	return rows
}

func stockholm(t testing.TB) *time.Location {
	loc, err := time.LoadLocation("Europe/Stockholm")
	require.NoError(t, err)
	return loc
}

func TestContentTypeAndExtension(t *testing.T) {
	t.Parallel()
	require.Equal(t, "text/csv; charset=utf-8", ContentType(FormatCSV))
	require.Equal(t, "application/xml", ContentType(FormatExcelXML))
	require.Equal(t, "application/octet-stream", ContentType("PDF"))
	require.Equal(t, "csv", Extension(FormatCSV))
	require.Equal(t, "xml", Extension(FormatExcelXML))
	require.Equal(t, "bin", Extension("PDF"))
}

func TestColumns(t *testing.T) {
	t.Parallel()
	require.Equal(t, []string{"ID", "Name", "Email", "Group", "Phone", "ZIP", "Country", "State/Province", "Customer Since"}, Columns)
}
