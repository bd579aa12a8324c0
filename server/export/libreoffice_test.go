package export_test

import (
	"bytes"
	"encoding/csv"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/segments/segments/server/export"
)

// TestLibreOfficeReadsTheExcelExport is the proof that a real spreadsheet
// reads the SpreadsheetML file: LibreOffice converts it to CSV, which must
// hold what the CSV export holds. CI installs LibreOffice (.ci/run); on a
// machine without it the test is skipped, except under CI, where it fails.
func TestLibreOfficeReadsTheExcelExport(t *testing.T) {
	t.Parallel()
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("soffice is not installed: .ci/run installs libreoffice-calc")
		}
		t.Skip("LibreOffice (soffice) is not installed")
	}
	stockholm, _ := time.LoadLocation("Europe/Stockholm")
	rows := []export.Row{
		{ID: 1, Name: "Åsa Ångström", Email: "asa@example.se", Group: "Wholesale", Phone: "+46 70 123 45 67", Zip: "111 22",
			Country: "Sweden", Region: "Stockholms län", CustomerSince: time.Date(2025, 3, 1, 8, 30, 0, 0, time.UTC)},
		{ID: 22, Name: `Björn "Björne" Öberg, Jr.`, Email: "bjorn@example.se", Group: "General", Phone: "",
			Zip: "", Country: "", Region: "", CustomerSince: time.Date(2024, 12, 31, 23, 59, 59, 0, time.UTC)},
		{ID: 333, Name: `=HYPERLINK("http://x","y")`, Email: "@odd", Group: "VIP", Phone: "-5",
			Zip: "0150", Country: "Norway", Region: "Oslo", CustomerSince: time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC)},
	}
	dir := t.TempDir()
	var csvOut, xmlOut bytes.Buffer
	cw, xw := export.NewCSV(&csvOut, ',', stockholm), export.NewSpreadsheetML(&xmlOut, stockholm)
	for _, r := range rows {
		require.NoError(t, cw.Write(r))
		require.NoError(t, xw.Write(r))
	}
	require.NoError(t, cw.Close())
	require.NoError(t, xw.Close())
	xmlPath := filepath.Join(dir, "customers.xml")
	require.NoError(t, os.WriteFile(xmlPath, xmlOut.Bytes(), 0o600))

	// Filter options: comma, double quote, UTF-8 (76), first line 1.
	cmd := exec.Command(soffice, "--headless", "--norestore", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
		"--convert-to", `csv:Text - txt - csv (StarCalc):44,34,76,1`, "--outdir", filepath.Join(dir, "out"), xmlPath)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	converted, err := os.ReadFile(filepath.Join(dir, "out", "customers.csv"))
	require.NoError(t, err, "LibreOffice wrote no CSV: %s", out)

	fromLibreOffice, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(converted, []byte("\xef\xbb\xbf")))).ReadAll()
	require.NoError(t, err)
	fromCSV, err := csv.NewReader(bytes.NewReader(csvOut.Bytes()[3:])).ReadAll()
	require.NoError(t, err)
	for _, row := range fromCSV {
		for i := range row {
			row[i] = export.UnescapeCSVCell(row[i])
		}
	}
	require.Equal(t, fromCSV, fromLibreOffice)
}
