package export

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/require"
)

type xWorkbook struct {
	XMLName    xml.Name     `xml:"urn:schemas-microsoft-com:office:spreadsheet Workbook"`
	Styles     []xStyle     `xml:"Styles>Style"`
	Worksheets []xWorksheet `xml:"Worksheet"`
}

type xStyle struct {
	ID   string `xml:"urn:schemas-microsoft-com:office:spreadsheet ID,attr"`
	Font struct {
		Bold string `xml:"urn:schemas-microsoft-com:office:spreadsheet Bold,attr"`
	} `xml:"Font"`
	NumberFormat struct {
		Format string `xml:"urn:schemas-microsoft-com:office:spreadsheet Format,attr"`
	} `xml:"NumberFormat"`
}

type xWorksheet struct {
	Name string `xml:"urn:schemas-microsoft-com:office:spreadsheet Name,attr"`
	Rows []xRow `xml:"Table>Row"`
}

type xRow struct {
	StyleID string  `xml:"urn:schemas-microsoft-com:office:spreadsheet StyleID,attr"`
	Cells   []xCell `xml:"Cell"`
}

type xCell struct {
	StyleID string `xml:"urn:schemas-microsoft-com:office:spreadsheet StyleID,attr"`
	Index   string `xml:"urn:schemas-microsoft-com:office:spreadsheet Index,attr"`
	Data    *struct {
		Type  string `xml:"urn:schemas-microsoft-com:office:spreadsheet Type,attr"`
		Value string `xml:",chardata"`
	} `xml:"Data"`
}

// value is the cell's text, "" for a blank <Cell/>.
func (c xCell) value() string {
	if c.Data == nil {
		return ""
	}
	return c.Data.Value
}

func (c xCell) typ() string {
	if c.Data == nil {
		return ""
	}
	return c.Data.Type
}

func writeXML(t testing.TB, rows []Row, loc *time.Location, limit int) []byte {
	var buf bytes.Buffer
	w := NewSpreadsheetML(&buf, loc)
	if limit > 0 {
		w.(*spreadsheetML).limit = limit
	}
	for _, r := range rows {
		require.NoError(t, w.Write(r))
	}
	require.NoError(t, w.Close())
	return buf.Bytes()
}

// parseXML decodes with encoding/xml in strict mode, which rejects
// characters outside XML 1.0's Char production and bad UTF-8.
func parseXML(t testing.TB, data []byte) xWorkbook {
	var wb xWorkbook
	require.NoError(t, xml.Unmarshal(data, &wb), "%q", data)
	return wb
}

// xmlAllowed is XML 1.0's Char production, written from the spec rather than
// shared with the code under test.
func xmlAllowed(r rune) bool {
	return r == 0x9 || r == 0xA || r == 0xD || (r >= 0x20 && r <= 0xD7FF) ||
		(r >= 0xE000 && r <= 0xFFFD) || (r >= 0x10000 && r <= 0x10FFFF)
}

// xmlClean is s without forbidden characters and invalid UTF-8 bytes.
func xmlClean(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !(r == utf8.RuneError && n == 1) && xmlAllowed(r) {
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

func headerOK(t testing.TB, r xRow) {
	require.Equal(t, "header", r.StyleID)
	require.Len(t, r.Cells, len(Columns))
	for i, c := range r.Cells {
		require.Equal(t, "String", c.typ())
		require.Equal(t, Columns[i], c.value())
	}
}

func rowValues(r Row) []string {
	return []string{r.Name, r.Email, r.Group, r.Phone, r.Zip, r.Country, r.Region}
}

func TestSpreadsheetMLRoundTrip(t *testing.T) {
	t.Parallel()
	rows := sampleRows()
	rows = append(rows, Row{ID: 9_007_199_254_740_993, Name: "ctl\x00\x01\x1f\x7f\ufffe\uffff\ufffd\xff\xc3(end", Email: "\U0010FFFF"})
	data := writeXML(t, rows, time.UTC, 0)

	require.True(t, bytes.HasPrefix(data, []byte(`<?xml version="1.0" encoding="UTF-8"?>`+"\r\n"+`<?mso-application progid="Excel.Sheet"?>`)))
	var procInsts []string
	d := xml.NewDecoder(bytes.NewReader(data))
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		if pi, ok := tok.(xml.ProcInst); ok {
			procInsts = append(procInsts, pi.Target+" "+string(pi.Inst))
		}
	}
	require.Equal(t, []string{`xml version="1.0" encoding="UTF-8"`, `mso-application progid="Excel.Sheet"`}, procInsts)

	wb := parseXML(t, data)
	styles := map[string]xStyle{}
	for _, s := range wb.Styles {
		styles[s.ID] = s
	}
	require.Equal(t, "1", styles["header"].Font.Bold)
	require.Equal(t, "yyyy-mm-dd hh:mm:ss", styles["dt"].NumberFormat.Format)

	require.Len(t, wb.Worksheets, 1)
	ws := wb.Worksheets[0]
	require.Equal(t, "Customers", ws.Name)
	require.Len(t, ws.Rows, len(rows)+1)
	headerOK(t, ws.Rows[0])
	for i, r := range rows {
		got := ws.Rows[i+1]
		require.Len(t, got.Cells, len(Columns), "row %d", i)
		require.Equal(t, "Number", got.Cells[0].typ())
		require.Equal(t, strconv.FormatInt(r.ID, 10), got.Cells[0].value())
		for j, v := range rowValues(r) {
			c := got.Cells[j+1]
			require.Empty(t, c.Index)
			if xmlClean(v) == "" {
				require.Nil(t, c.Data, "blank cell for %q", v)
				continue
			}
			require.Equal(t, "String", c.typ())
			require.Equal(t, xmlClean(v), c.value(), "row %d col %d", i, j+1)
		}
		dt := got.Cells[8]
		if r.CustomerSince.IsZero() {
			require.Nil(t, dt.Data)
			continue
		}
		require.Equal(t, "dt", dt.StyleID)
		require.Equal(t, "DateTime", dt.typ())
		require.Equal(t, r.CustomerSince.Format("2006-01-02T15:04:05.000"), dt.value())
	}
	// Values that must survive exactly (no formula prefix, CR kept).
	require.Equal(t, `=HYPERLINK("http://x","y")`, ws.Rows[1+10].Cells[1].value())
	require.Equal(t, "+46 70 123 45 67", ws.Rows[1+11].Cells[1].value())
	require.Equal(t, "\rleading cr", ws.Rows[1+15].Cells[1].value())
	require.Equal(t, "line1\r\nline2", ws.Rows[1+8].Cells[1].value())
	require.Equal(t, "ctl\x7f\ufffd(end", ws.Rows[len(rows)].Cells[1].value())
}

func TestSpreadsheetMLExactRow(t *testing.T) {
	t.Parallel()
	data := writeXML(t, []Row{{ID: 42, Name: `<a href="x">&'`, Phone: "+46 70", Region: "a\nb",
		CustomerSince: time.Date(2025, 3, 1, 9, 30, 0, 0, time.UTC)}}, nil, 0)
	require.Contains(t, string(data), `<Row><Cell><Data ss:Type="Number">42</Data></Cell>`+
		`<Cell><Data ss:Type="String">&lt;a href=&quot;x&quot;&gt;&amp;&apos;</Data></Cell><Cell/><Cell/>`+
		`<Cell><Data ss:Type="String">+46 70</Data></Cell><Cell/><Cell/>`+
		`<Cell><Data ss:Type="String">a&#10;b</Data></Cell>`+
		`<Cell ss:StyleID="dt"><Data ss:Type="DateTime">2025-03-01T09:30:00.000</Data></Cell></Row>`)
	require.True(t, bytes.HasSuffix(data, []byte("</Table>\r\n</Worksheet>\r\n</Workbook>\r\n")))
}

func TestSpreadsheetMLSheetSplit(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ limit, rows, sheets int }{
		{3, 0, 1}, {3, 1, 1}, {3, 3, 1}, {3, 4, 2}, {3, 6, 2}, {3, 7, 3}, {1, 5, 5}, {4, 10, 3},
	} {
		t.Run(fmt.Sprintf("limit%d_rows%d", tc.limit, tc.rows), func(t *testing.T) {
			t.Parallel()
			rows := make([]Row, tc.rows)
			for i := range rows {
				rows[i] = Row{ID: int64(i + 1), Name: fmt.Sprintf("n%d", i+1)}
			}
			wb := parseXML(t, writeXML(t, rows, nil, tc.limit))
			require.Len(t, wb.Worksheets, tc.sheets)
			var ids []int64
			for i, ws := range wb.Worksheets {
				name := "Customers"
				if i > 0 {
					name += " " + strconv.Itoa(i+1)
				}
				require.Equal(t, name, ws.Name)
				require.NotEmpty(t, ws.Rows)
				headerOK(t, ws.Rows[0])
				require.LessOrEqual(t, len(ws.Rows)-1, tc.limit)
				if i < len(wb.Worksheets)-1 {
					require.Len(t, ws.Rows, tc.limit+1, "only the last sheet may be short")
				}
				for _, r := range ws.Rows[1:] {
					id, err := strconv.ParseInt(r.Cells[0].value(), 10, 64)
					require.NoError(t, err)
					require.Equal(t, fmt.Sprintf("n%d", id), r.Cells[1].value())
					ids = append(ids, id)
				}
			}
			require.Len(t, ids, tc.rows, "no row lost or duplicated")
			for i, id := range ids {
				require.Equal(t, int64(i+1), id)
			}
		})
	}
}

func TestSpreadsheetMLDefaultLimit(t *testing.T) {
	t.Parallel()
	require.Equal(t, 1_048_575, maxSheetRows)
	require.Equal(t, maxSheetRows, NewSpreadsheetML(io.Discard, nil).(*spreadsheetML).limit)
}

func TestSpreadsheetMLTimeZone(t *testing.T) {
	t.Parallel()
	loc := stockholm(t)
	wb := parseXML(t, writeXML(t, []Row{
		{ID: 1, CustomerSince: time.Date(2025, 1, 15, 23, 30, 0, 0, time.UTC)},
		{ID: 2, CustomerSince: time.Date(2025, 7, 1, 10, 0, 5, 0, time.UTC)},
	}, loc, 0))
	require.Equal(t, "2025-01-16T00:30:00.000", wb.Worksheets[0].Rows[1].Cells[8].value())
	require.Equal(t, "2025-07-01T12:00:05.000", wb.Worksheets[0].Rows[2].Cells[8].value())
}

func TestSpreadsheetMLWriteAfterCloseAndCloseTwice(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	w := NewSpreadsheetML(&buf, nil)
	require.NoError(t, w.Close())
	require.NoError(t, w.Close())
	require.ErrorIs(t, w.Write(Row{}), ErrClosed)
	wb := parseXML(t, buf.Bytes())
	require.Len(t, wb.Worksheets, 1)
	require.Len(t, wb.Worksheets[0].Rows, 1)
}

func TestAppendXMLText(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"":                     "",
		"plain Åsa 😀":          "plain Åsa 😀",
		"&<>\"'":               "&amp;&lt;&gt;&quot;&apos;",
		"a\tb\nc\rd":           "a\tb&#10;c&#13;d",
		"\x00\x08\x0b\x0c\x1f": "",
		"\ufffe\uffff\ufffd":   "\ufffd",
		"\xed\xa0\x80":         "", // an encoded surrogate is not UTF-8
		"a\xffb\xc3":           "ab",
		"\u007f\u0085":         "\u007f\u0085", // allowed by XML 1.0
	} {
		require.Equal(t, want, string(appendXMLText(nil, in)), "%q", in)
	}
}

func FuzzSpreadsheetML(f *testing.F) {
	for i, v := range tricky {
		f.Add(int64(i), v, tricky[(i+1)%len(tricky)], int64(i)*86400*365)
	}
	f.Add(int64(-1), "\x00\xff\ufffe]]>", "\r\n\r", int64(-1))
	f.Fuzz(func(t *testing.T, id int64, a, b string, sec int64) {
		// Keep the year within 1..9999 so the DateTime stays in its layout.
		const minSec, maxSec = -62135596800, 253402300799
		if sec < minSec || sec > maxSec {
			sec = sec%maxSec + 1
			if sec < 0 {
				sec = -sec
			}
		}
		row := Row{ID: id, Name: a, Email: b, Group: a + b, Phone: b + a, Zip: a, Country: b, Region: a,
			CustomerSince: time.Unix(sec, 0)}
		wb := parseXML(t, writeXML(t, []Row{row}, time.UTC, 0))
		require.Len(t, wb.Worksheets, 1)
		require.Len(t, wb.Worksheets[0].Rows, 2)
		headerOK(t, wb.Worksheets[0].Rows[0])
		got := wb.Worksheets[0].Rows[1].Cells
		require.Len(t, got, len(Columns))
		require.Equal(t, strconv.FormatInt(id, 10), got[0].value())
		for j, v := range rowValues(row) {
			require.Equal(t, xmlClean(v), got[j+1].value(), "column %d", j+1)
		}
		require.Equal(t, row.CustomerSince.UTC().Format("2006-01-02T15:04:05.000"), got[8].value())
	})
}
