package export

import (
	"io"
	"testing"
	"time"
)

// benchRow is a typical customer: mostly ASCII, some Swedish letters, a
// phone that needs the CSV formula prefix.
var benchRow = Row{
	ID: 1234567, Name: "Åsa Öberg", Email: "asa.oberg@example.se", Group: "Wholesale",
	Phone: "+46 70 123 45 67", Zip: "111 22", Country: "Sweden", Region: "Stockholms län",
	CustomerSince: time.Date(2024, 11, 3, 14, 5, 9, 0, time.UTC),
}

// benchWriter reports ns per row; multiply by 1e6 for a million-row export.
func benchWriter(b *testing.B, w Writer) {
	b.ReportAllocs()
	r := benchRow
	for i := 0; b.Loop(); i++ {
		r.ID = int64(i)
		if err := w.Write(r); err != nil {
			b.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
}

func BenchmarkCSV(b *testing.B) {
	loc, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		b.Fatal(err)
	}
	benchWriter(b, NewCSV(io.Discard, ';', loc))
}

func BenchmarkSpreadsheetML(b *testing.B) {
	loc, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		b.Fatal(err)
	}
	benchWriter(b, NewSpreadsheetML(io.Discard, loc))
}
