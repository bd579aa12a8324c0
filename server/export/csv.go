package export

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// csvTimeLayout is Customer Since in CSV: what Excel and LibreOffice parse as
// a date-time in every locale, and what the importer accepts.
const csvTimeLayout = "2006-01-02 15:04:05"

// bom is the UTF-8 byte-order mark; without it Excel reads CSV in the
// system code page and shows å, ä, ö as mojibake.
const bom = "\uFEFF"

// csvWriter is hand-written rather than encoding/csv because csv.Writer with
// UseCRLF drops a lone CR inside a field and turns LF into CRLF, which would
// change values (a CR-leading cell could not round-trip), and because it
// needs a []string per row, which costs allocations for ID and the date.
type csvWriter struct {
	w      *bufio.Writer
	buf    []byte
	delim  byte
	loc    *time.Location
	closed bool
}

// NewCSV returns a Writer that writes RFC 4180 CSV to w: a UTF-8 byte-order
// mark, the header row (Columns), then one record per Write, each ending in
// CRLF (what Excel expects). delimiter must be ',' or ';' (semicolon is what
// Excel expects in locales with a decimal comma); anything else panics,
// because it is a programming error and a silent fallback would hand users a
// file that does not open as asked. Customer Since is written as
// YYYY-MM-DD HH:MM:SS in loc (nil means UTC).
func NewCSV(w io.Writer, delimiter rune, loc *time.Location) Writer {
	if delimiter != ',' && delimiter != ';' {
		panic(fmt.Sprintf("export: CSV delimiter must be ',' or ';', got %q", delimiter))
	}
	c := &csvWriter{
		w:     bufio.NewWriterSize(w, bufSize),
		buf:   make([]byte, 0, 1024),
		delim: byte(delimiter),
		loc:   locOrUTC(loc),
	}
	// The header goes into the bufio buffer now; an I/O error surfaces on
	// the first Write or on Close, which is where callers look for it.
	b := append(c.buf[:0], bom...)
	for i, col := range Columns {
		if i > 0 {
			b = append(b, c.delim)
		}
		b = appendCSVCell(b, col, c.delim)
	}
	b = append(b, '\r', '\n')
	_, _ = c.w.Write(b)
	c.buf = b
	return c
}

// Write implements Writer.
func (c *csvWriter) Write(r Row) error {
	if c.closed {
		return ErrClosed
	}
	b := c.buf[:0]
	if r.ID < 0 {
		// The injection rule applies to every cell alike, so a reader can
		// unescape every cell without knowing its column.
		b = append(b, '\'')
	}
	b = strconv.AppendInt(b, r.ID, 10)
	b = append(b, c.delim)
	b = appendCSVCell(b, r.Name, c.delim)
	b = append(b, c.delim)
	b = appendCSVCell(b, r.Email, c.delim)
	b = append(b, c.delim)
	b = appendCSVCell(b, r.Group, c.delim)
	b = append(b, c.delim)
	b = appendCSVCell(b, r.Phone, c.delim)
	b = append(b, c.delim)
	b = appendCSVCell(b, r.Zip, c.delim)
	b = append(b, c.delim)
	b = appendCSVCell(b, r.Country, c.delim)
	b = append(b, c.delim)
	b = appendCSVCell(b, r.Region, c.delim)
	b = append(b, c.delim)
	if !r.CustomerSince.IsZero() {
		b = r.CustomerSince.In(c.loc).AppendFormat(b, csvTimeLayout)
	}
	b = append(b, '\r', '\n')
	c.buf = b
	_, err := c.w.Write(b)
	return err
}

// Close implements Writer.
func (c *csvWriter) Close() error {
	if c.closed {
		return nil
	}
	c.closed = true
	return c.w.Flush()
}

// isFormulaStart reports whether a cell starting with byte b could be taken
// for a formula (or a DDE payload) by a spreadsheet program; see the OWASP
// CSV injection page.
func isFormulaStart(b byte) bool {
	switch b {
	case '=', '+', '-', '@', '\t', '\r':
		return true
	}
	return false
}

// needsFormulaPrefix reports whether s gets a leading apostrophe: it starts
// with a formula character, or with apostrophes and then one. The second case
// is what makes the escaping reversible: without it "'=x" and "=x" would both
// be written as "'=x".
func needsFormulaPrefix(s string) bool {
	i := 0
	for i < len(s) && s[i] == '\'' {
		i++
	}
	return i < len(s) && isFormulaStart(s[i])
}

// UnescapeCSVCell undoes the CSV-injection prefix: if s is an apostrophe
// followed by text that would itself have been prefixed (text starting with
// '=', '+', '-', '@', TAB or CR, possibly after further apostrophes), it
// returns s without that one apostrophe; otherwise s unchanged. It exists for
// round-trip tests and to document the rule exactly; for every value v,
// UnescapeCSVCell of the written cell equals v.
func UnescapeCSVCell(s string) string {
	if len(s) >= 2 && s[0] == '\'' && needsFormulaPrefix(s[1:]) {
		return s[1:]
	}
	return s
}

// needsQuotes reports whether s must be quoted: it holds the delimiter, a
// quote, CR or LF (RFC 4180), or starts with a space, which some readers
// would otherwise trim. delim is ASCII, so a byte scan is safe in UTF-8.
func needsQuotes(s string, delim byte) bool {
	if s == "" {
		return false
	}
	if s[0] == ' ' {
		return true
	}
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case delim, '"', '\r', '\n':
			return true
		}
	}
	return false
}

// appendCSVCell appends s as one CSV field, with the injection prefix and
// RFC 4180 quoting as needed. Bytes are otherwise copied unchanged.
func appendCSVCell(b []byte, s string, delim byte) []byte {
	prefix := needsFormulaPrefix(s)
	if !needsQuotes(s, delim) {
		if prefix {
			b = append(b, '\'')
		}
		return append(b, s...)
	}
	b = append(b, '"')
	if prefix {
		b = append(b, '\'')
	}
	for {
		i := strings.IndexByte(s, '"')
		if i < 0 {
			break
		}
		b = append(b, s[:i+1]...)
		b = append(b, '"')
		s = s[i+1:]
	}
	b = append(b, s...)
	return append(b, '"')
}
