package csvimport

import (
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/segments/segments/server/bulk"
	"github.com/segments/segments/server/country"
)

// maxFieldChars bounds every text value (Magento's varchar(255)); it also
// keeps index entries well under PostgreSQL's btree row limit (about 2.7 kB),
// which a long name would otherwise hit as an internal error mid-import.
const maxFieldChars = 255

// lineFields reads and checks the values of one data row. Each getter trims
// the value, reports what is wrong with it as a problem of the line and
// returns ok=false then, so the caller stages NULL in its place.
type lineFields struct {
	rec  []string
	idx  []int // column index per known column, -1 when absent
	cols []column
	line int
	p    *problems
}

// text returns column k trimmed, "" when empty or absent.
func (f *lineFields) text(k int) (string, bool) {
	i := f.idx[k]
	if i < 0 {
		return "", true
	}
	v := strings.TrimSpace(f.rec[i])
	name := f.cols[k].name
	switch {
	case v == "":
		if f.cols[k].required {
			f.p.add(f.line, "%s is empty; it is required", name)
			return "", false
		}
		return "", true
	case !utf8.ValidString(v):
		f.p.add(f.line, "%s is not valid UTF-8 text; save the file as UTF-8", name)
		return "", false
	case strings.IndexByte(v, 0) >= 0:
		f.p.add(f.line, "%s contains a NUL character", name)
		return "", false
	}
	if n := utf8.RuneCountInString(v); n > maxFieldChars {
		f.p.add(f.line, "%s is %d characters long; at most %d are allowed", name, n, maxFieldChars)
		return "", false
	}
	return v, true
}

// id returns column k as a positive integer id.
func (f *lineFields) id(k int) (int64, bool) {
	v, ok := f.text(k)
	if !ok || v == "" {
		return 0, false
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n <= 0 || !isDigits(v) {
		f.p.add(f.line, "%s %s is not a positive whole number", f.cols[k].name, quoteShort(v))
		return 0, false
	}
	return n, true
}

// email returns column k as an email address: text, an @, text, no spaces.
// Deliverability is the store's business; this catches swapped columns and
// typos such as a name or a phone number in the email column.
func (f *lineFields) email(k int) (string, bool) {
	v, ok := f.text(k)
	if !ok || v == "" {
		return "", false
	}
	at := strings.LastIndexByte(v, '@')
	switch {
	case at <= 0 || at == len(v)-1:
		f.p.add(f.line, "%s %s is not an email address; it needs an @ with text on both sides", f.cols[k].name, quoteShort(v))
		return "", false
	case strings.IndexFunc(v, unicode.IsSpace) >= 0:
		f.p.add(f.line, "%s %s is not an email address; it contains a space", f.cols[k].name, quoteShort(v))
		return "", false
	}
	return v, true
}

// country returns column k as an upper-case ISO 3166-1 alpha-2 code.
func (f *lineFields) country(k int) (string, bool) {
	v, ok := f.text(k)
	if !ok || v == "" {
		return "", ok
	}
	if !country.Valid(v) {
		f.p.add(f.line, "%s %s is not an ISO 3166-1 alpha-2 country code (such as SE, NO or US)", f.cols[k].name, quoteShort(v))
		return "", false
	}
	return strings.ToUpper(v), true
}

// time returns column k as a time: RFC 3339, or "YYYY-MM-DD HH:MM:SS"
// (fractional seconds allowed) in the store's time zone loc.
func (f *lineFields) time(k int, loc *time.Location) (time.Time, bool) {
	v, ok := f.text(k)
	if !ok || v == "" {
		return time.Time{}, false
	}
	if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
		return t, true
	}
	if t, err := time.ParseInLocation(time.DateTime, v, loc); err == nil {
		return t, true
	}
	f.p.add(f.line, "%s %s is not a time; write 2025-03-01T09:30:00Z (RFC 3339, with its UTC offset) or 2025-03-01 09:30:00 (in the store's time zone, %s)",
		f.cols[k].name, quoteShort(v), loc)
	return time.Time{}, false
}

// money returns column k as a decimal with a dot, at most 16 digits before
// it and 4 after (numeric(20,4)), optionally negative. The text is staged
// as is and cast in SQL; this check makes sure the cast cannot fail.
func (f *lineFields) money(k int) (string, bool) {
	v, ok := f.text(k)
	if !ok || v == "" {
		return "", false
	}
	digits := strings.TrimPrefix(v, "-")
	ip, frac, hasDot := strings.Cut(digits, ".")
	switch {
	case !isDigits(ip) || (hasDot && !isDigits(frac)):
		f.p.add(f.line, "%s %s is not an amount; write digits with a dot before the decimals, like 1234.50", f.cols[k].name, quoteShort(v))
		return "", false
	case len(frac) > 4:
		f.p.add(f.line, "%s %s has more than 4 decimals", f.cols[k].name, quoteShort(v))
		return "", false
	case len(strings.TrimLeft(ip, "0")) > 16:
		f.p.add(f.line, "%s %s is too large; at most 16 digits before the dot", f.cols[k].name, quoteShort(v))
		return "", false
	}
	return v, true
}

// isDigits reports whether s is one or more ASCII digits.
func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// quoteShort quotes a value for a message, cut to 60 characters so a
// runaway field (a whole line in one quoted cell) stays readable.
func quoteShort(s string) string {
	if utf8.RuneCountInString(s) > 60 {
		r := []rune(s)
		return strconv.Quote(string(r[:60])) + "…"
	}
	return strconv.Quote(s)
}

// appendTextOrNull appends a text field, NULL when s is empty or ok false.
func appendTextOrNull(b []byte, s string, ok bool) []byte {
	if !ok || s == "" {
		return bulk.AppendNull(b)
	}
	return bulk.AppendText(b, s)
}
