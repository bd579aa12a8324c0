package export

import (
	"bufio"
	"io"
	"strconv"
	"time"
	"unicode/utf8"
)

// maxSheetRows is the number of data rows per worksheet: Excel's 1,048,576
// rows minus the header; Excel refuses (or truncates) a longer sheet. Each
// writer copies it into its limit field, and tests lower that copy instead of
// this variable so parallel tests cannot race on it.
var maxSheetRows = 1_048_575

// sheetName is the first worksheet's name; later ones get " 2", " 3", ...
const sheetName = "Customers"

// xmlTimeLayout is the only DateTime form SpreadsheetML accepts: no zone, and
// the milliseconds Excel itself writes.
const xmlTimeLayout = "2006-01-02T15:04:05.000"

// xmlProlog opens the workbook. The mso-application instruction is what makes
// Windows open the .xml file in Excel on a double-click. The extra namespaces
// are the ones Excel writes; declaring them costs nothing and keeps older
// Excel versions from complaining.
const xmlProlog = `<?xml version="1.0" encoding="UTF-8"?>` + "\r\n" +
	`<?mso-application progid="Excel.Sheet"?>` + "\r\n" +
	`<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"` +
	` xmlns:o="urn:schemas-microsoft-com:office:office"` +
	` xmlns:x="urn:schemas-microsoft-com:office:excel"` +
	` xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"` +
	` xmlns:html="http://www.w3.org/TR/REC-html40">` + "\r\n" +
	`<Styles>` + "\r\n" +
	`<Style ss:ID="Default" ss:Name="Normal"/>` + "\r\n" +
	`<Style ss:ID="header"><Font ss:Bold="1"/></Style>` + "\r\n" +
	`<Style ss:ID="dt"><NumberFormat ss:Format="yyyy-mm-dd hh:mm:ss"/></Style>` + "\r\n" +
	`</Styles>` + "\r\n"

const (
	sheetEnd    = "</Table>\r\n</Worksheet>\r\n"
	workbookEnd = "</Workbook>\r\n"
	emptyCell   = "<Cell/>"
	stringOpen  = `<Cell><Data ss:Type="String">`
	cellClose   = "</Data></Cell>"
)

// spreadsheetML writes SpreadsheetML 2003 by hand: encoding/xml would need a
// struct or tokens per cell (allocations), and the format is small and fixed.
type spreadsheetML struct {
	w      *bufio.Writer
	buf    []byte
	loc    *time.Location
	limit  int // data rows per sheet; maxSheetRows except in tests
	sheets int // worksheets opened so far
	rows   int // data rows in the current worksheet
	closed bool
}

// NewSpreadsheetML returns a Writer that writes an Excel XML (SpreadsheetML
// 2003) workbook to w: worksheets "Customers", "Customers 2", ... of at most
// 1,048,575 data rows each, every one starting with a bold header row
// (Columns). ID is a Number cell, Customer Since a DateTime cell in loc (nil
// means UTC) shown as yyyy-mm-dd hh:mm:ss, every other value a String cell
// written unchanged except that characters XML 1.0 forbids are removed.
func NewSpreadsheetML(w io.Writer, loc *time.Location) Writer {
	x := &spreadsheetML{
		w:     bufio.NewWriterSize(w, bufSize),
		buf:   make([]byte, 0, 2048),
		loc:   locOrUTC(loc),
		limit: maxSheetRows,
	}
	// Buffered only; an I/O error surfaces on the first Write or on Close.
	_, _ = x.w.WriteString(xmlProlog)
	x.openSheet()
	return x
}

// openSheet starts the next worksheet with its header row. It is called
// eagerly (not on the first row) because a workbook needs at least one
// worksheet, and an empty export should still open in Excel with a header.
func (x *spreadsheetML) openSheet() {
	x.sheets++
	x.rows = 0
	b := append(x.buf[:0], `<Worksheet ss:Name="`+sheetName...)
	if x.sheets > 1 {
		b = append(b, ' ')
		b = strconv.AppendInt(b, int64(x.sheets), 10)
	}
	b = append(b, "\">\r\n<Table>\r\n<Row ss:StyleID=\"header\">"...)
	for _, col := range Columns {
		b = append(b, stringOpen...)
		b = appendXMLText(b, col)
		b = append(b, cellClose...)
	}
	b = append(b, "</Row>\r\n"...)
	x.buf = b
	_, _ = x.w.Write(b)
}

// Write implements Writer.
func (x *spreadsheetML) Write(r Row) error {
	if x.closed {
		return ErrClosed
	}
	if x.rows >= x.limit {
		_, _ = x.w.WriteString(sheetEnd)
		x.openSheet()
	}
	x.rows++
	b := append(x.buf[:0], `<Row><Cell><Data ss:Type="Number">`...)
	b = strconv.AppendInt(b, r.ID, 10)
	b = append(b, cellClose...)
	b = appendStringCell(b, r.Name)
	b = appendStringCell(b, r.Email)
	b = appendStringCell(b, r.Group)
	b = appendStringCell(b, r.Phone)
	b = appendStringCell(b, r.Zip)
	b = appendStringCell(b, r.Country)
	b = appendStringCell(b, r.Region)
	if r.CustomerSince.IsZero() {
		b = append(b, emptyCell...)
	} else {
		b = append(b, `<Cell ss:StyleID="dt"><Data ss:Type="DateTime">`...)
		b = r.CustomerSince.In(x.loc).AppendFormat(b, xmlTimeLayout)
		b = append(b, cellClose...)
	}
	b = append(b, "</Row>\r\n"...)
	x.buf = b
	_, err := x.w.Write(b)
	return err
}

// Close implements Writer.
func (x *spreadsheetML) Close() error {
	if x.closed {
		return nil
	}
	x.closed = true
	_, _ = x.w.WriteString(sheetEnd)
	_, _ = x.w.WriteString(workbookEnd)
	return x.w.Flush()
}

// appendStringCell appends s as a String cell, or as an empty <Cell/> when
// nothing is left after removing forbidden characters: a blank cell keeps the
// column position, and Excel treats it as truly empty (ISBLANK), unlike an
// empty string.
func appendStringCell(b []byte, s string) []byte {
	start := len(b)
	b = append(b, stringOpen...)
	textStart := len(b)
	b = appendXMLText(b, s)
	if len(b) == textStart {
		return append(b[:start], emptyCell...)
	}
	return append(b, cellClose...)
}

// appendXMLText appends s as XML character data. &, <, >, " and ' become
// entities (all five, so the text is safe in attributes as well); LF and CR
// become character references because XML parsers normalise literal line
// ends (CRLF and lone CR to LF) and the value must come back unchanged;
// characters outside the XML 1.0 Char production and bytes that are not
// UTF-8 are dropped, since any one of them makes the whole file unreadable.
func appendXMLText(b []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch c {
			case '&':
				b = append(b, "&amp;"...)
			case '<':
				b = append(b, "&lt;"...)
			case '>':
				b = append(b, "&gt;"...)
			case '"':
				b = append(b, "&quot;"...)
			case '\'':
				b = append(b, "&apos;"...)
			case '\n':
				b = append(b, "&#10;"...)
			case '\r':
				b = append(b, "&#13;"...)
			case '\t':
				b = append(b, c)
			default:
				if c >= 0x20 {
					b = append(b, c)
				}
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		// DecodeRune reports invalid bytes and encoded surrogates as
		// (RuneError, 1); a real U+FFFD has size 3 and is kept.
		if !(r == utf8.RuneError && size == 1) && r != 0xFFFE && r != 0xFFFF {
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return b
}
