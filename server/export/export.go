package export

import (
	"errors"
	"time"
)

// Row is one customer as exported. Group and Country are names (not codes),
// because the file is read by people, not re-imported. Optional fields are ""
// when empty.
type Row struct {
	ID            int64
	Name          string
	Email         string
	Group         string
	Phone         string
	Zip           string
	Country       string
	Region        string
	CustomerSince time.Time
}

// Columns are the header, in order. The writers emit the Row fields in this
// order; docs/files.md fixes it, so clients may rely on positions.
var Columns = []string{"ID", "Name", "Email", "Group", "Phone", "ZIP", "Country", "State/Province", "Customer Since"}

// Format names an export file format; the values are the GraphQL enum values
// so they can pass through without a mapping table.
type Format string

const (
	// FormatCSV is RFC 4180 CSV, UTF-8 with a byte-order mark.
	FormatCSV Format = "CSV"
	// FormatExcelXML is SpreadsheetML 2003, which Excel opens on a
	// double-click without any library on our side.
	FormatExcelXML Format = "EXCEL_XML"
)

// Writer streams rows into a file format; memory stays flat whatever the row
// count.
type Writer interface {
	// Write appends one row. An error from the underlying io.Writer is
	// returned here or by a later call; after an error the file is unusable.
	Write(Row) error
	// Close writes the trailer and flushes. It does not close the underlying
	// io.Writer, because the caller owns it (a file, an HTTP body, a hash
	// tee...). Calling Close twice is harmless.
	Close() error
}

// ErrClosed is returned by Write after Close, since the trailer has already
// been written and a further row would corrupt the file.
var ErrClosed = errors.New("export: write after close")

// ContentType returns the MIME type a file of format f is served with. An
// unknown format gets application/octet-stream so a download still works.
func ContentType(f Format) string {
	switch f {
	case FormatCSV:
		return "text/csv; charset=utf-8"
	case FormatExcelXML:
		return "application/xml"
	}
	return "application/octet-stream"
}

// Extension returns the file-name extension (without the dot) for format f.
// Excel XML uses "xml", not "xls": the mso-application instruction routes the
// file to Excel, and an .xls name would make Excel warn that the content does
// not match the extension. An unknown format gets "bin".
func Extension(f Format) string {
	switch f {
	case FormatCSV:
		return "csv"
	case FormatExcelXML:
		return "xml"
	}
	return "bin"
}

// bufSize is the bufio buffer size: large enough that a syscall or network
// write carries many rows.
const bufSize = 64 << 10

// locOrUTC lets callers pass nil for UTC instead of every caller guarding.
func locOrUTC(loc *time.Location) *time.Location {
	if loc == nil {
		return time.UTC
	}
	return loc
}
