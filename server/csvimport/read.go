package csvimport

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/uptrace/bun"

	"github.com/segments/segments/server/bulk"
)

// column is one column a file may have.
type column struct {
	name     string
	required bool
}

// columnNames lists cols for messages.
func columnNames(cols []column) string {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.name
	}
	return strings.Join(names, ", ")
}

// newCSVReader returns a CSV reader for r with a UTF-8 byte-order mark, if
// any, skipped (Excel writes one), and the bufio.Reader under it for
// callers that want to peek further.
func newCSVReader(r io.Reader) (*csv.Reader, *bufio.Reader, error) {
	br := bufio.NewReaderSize(r, 256<<10)
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte("\xef\xbb\xbf")) {
		_, _ = br.Discard(3)
	} else if err != nil && !errors.Is(err, io.EOF) {
		return nil, nil, err
	}
	cr := csv.NewReader(br) // reuses br: it is already a large enough bufio.Reader
	cr.FieldsPerRecord = -1 // checked here, with a clearer message
	cr.ReuseRecord = true
	cr.TrimLeadingSpace = true // `a, "b"` is a quoted b, not a stray quote
	return cr, br, nil
}

// csvProblem explains a CSV syntax error. The problem's line is where the
// record starts; where the error was found is in the message when it differs
// (an unclosed quote is only noticed at the end of the file).
func csvProblem(p *problems, pe *csv.ParseError) {
	var why string
	switch {
	case errors.Is(pe.Err, csv.ErrBareQuote):
		why = `a " in a field that does not start with one; quote the whole field and double the " inside it ("")`
	case errors.Is(pe.Err, csv.ErrQuote) && pe.Line != pe.StartLine:
		why = `a quoted field runs on over several lines without a proper end; close it with " and double any " inside it ("")`
	case errors.Is(pe.Err, csv.ErrQuote):
		why = `a quoted field must end with " followed by a comma or the end of the line, and a " inside it must be doubled ("")`
	default:
		why = pe.Err.Error()
	}
	where := fmt.Sprintf("column %d", pe.Column)
	if pe.Line != pe.StartLine {
		where = fmt.Sprintf("line %d, column %d", pe.Line, pe.Column)
	}
	p.add(pe.StartLine, "bad CSV quoting at %s: %s", where, why)
}

// readHeader reads the header row and maps each known column to its index
// (-1 when absent). It returns ok=false, with the reasons in p, when the
// header is unusable: empty file, unknown, repeated or missing columns.
func readHeader(cr *csv.Reader, cols []column, p *problems, what string) (idx []int, ok bool, err error) {
	rec, err := cr.Read()
	if errors.Is(err, io.EOF) {
		p.add(1, "the file is empty; it needs a header row naming the %s columns: %s", what, columnNames(cols))
		return nil, false, nil
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		csvProblem(p, pe)
		return nil, false, nil
	} else if err != nil {
		return nil, false, err
	}
	idx = make([]int, len(cols))
	for i := range idx {
		idx[i] = -1
	}
	for i, raw := range rec {
		name := strings.ToLower(strings.TrimSpace(raw))
		k := slices.IndexFunc(cols, func(c column) bool { return c.name == name })
		switch {
		case name == "":
			p.add(1, "column %d has no name; the %s columns are: %s", i+1, what, columnNames(cols))
		case k < 0:
			p.add(1, "unknown column %q; the %s columns are: %s", strings.TrimSpace(raw), what, columnNames(cols))
		case idx[k] >= 0:
			p.add(1, "column %q appears twice (columns %d and %d)", name, idx[k]+1, i+1)
		default:
			idx[k] = i
		}
	}
	for k, c := range cols {
		if c.required && idx[k] < 0 {
			p.add(1, "missing required column %q", c.name)
		}
	}
	return idx, p.total == 0, nil
}

// countPresent is the number of columns the header has.
func countPresent(idx []int) int {
	n := 0
	for _, i := range idx {
		if i >= 0 {
			n++
		}
	}
	return n
}

// stagedRows feeds CSV data rows to binary COPY (a bulk.RowSource): for
// each record it checks the field count and lets row append the staged
// row. Records with a CSV syntax error or the wrong number of fields are
// reported and not staged (their fields cannot be trusted to be in the
// right columns).
type stagedRows struct {
	cr     *csv.Reader
	fields int // the header's field count
	p      *problems
	row    func(b []byte, line int, rec []string) []byte
	rows   int64 // data rows read
	err    error // a read error, which ends the COPY early

	// unsorted is set when a valid id is not greater than the one before
	// it; while it is unset the file cannot have duplicate ids.
	unsorted bool
	lastID   int64
}

// sawID records a valid id, in file order.
func (s *stagedRows) sawID(id int64) {
	if id <= s.lastID {
		s.unsorted = true
	}
	s.lastID = id
}

// AppendRow implements bulk.RowSource.
func (s *stagedRows) AppendRow(b []byte) ([]byte, bool) {
	for {
		rec, err := s.cr.Read()
		if errors.Is(err, io.EOF) {
			return b, false
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			s.rows++
			csvProblem(s.p, pe)
			continue
		}
		if err != nil {
			s.err = err
			return b, false
		}
		s.rows++
		line, _ := s.cr.FieldPos(0)
		if len(rec) != s.fields {
			s.p.add(line, "has %d fields but the header has %d; a field with a comma, quote or line break must be in double quotes", len(rec), s.fields)
			continue
		}
		return s.row(b, line, rec), true
	}
}

// stage COPYs the rows of src into the staging table with copySQL, on the
// connection of the import's transaction.
func stage(ctx context.Context, conn bun.Conn, src *stagedRows, copySQL string) error {
	if _, err := bulk.Copy(ctx, conn, copySQL, bulk.NewReader(src)); err != nil {
		if src.err != nil {
			return src.err
		}
		return err
	}
	return src.err
}
