package csvimport

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"io"
	"slices"
	"strings"

	"github.com/uptrace/bun"

	"github.com/segments/segments/server/bulk"
	"github.com/segments/segments/server/db"
)

// StageIDs reads a file of customer ids into a new TEMP table named table,
// (line bigint, id bigint), dropped at commit, in tx on conn (from Begin).
// It returns *Error, listing every bad line, when an id is not a positive
// whole number or the file cannot be read as ids; the caller rolls back.
//
// The file is either one id per line (no header: the first line is a bare
// number), or a CSV file with a header row that has an "id" column (any
// case; other columns are ignored, so a customer import file or a CSV
// export of the report works as is, comma- or semicolon-separated). A
// UTF-8 byte-order mark is skipped.
func StageIDs(ctx context.Context, conn bun.Conn, tx bun.Tx, r io.Reader, table string) error {
	var p problems
	cr, br, err := newCSVReader(r)
	if err != nil {
		return err
	}
	// The report's CSV export can be semicolon-separated (for Nordic
	// Excel): a first line with semicolons and no comma is read so.
	head, _ := br.Peek(64 << 10)
	if i := bytes.IndexByte(head, '\n'); i >= 0 {
		head = head[:i]
	}
	if bytes.IndexByte(head, ';') >= 0 && bytes.IndexByte(head, ',') < 0 {
		cr.Comma = ';'
	}

	first, err := cr.Read()
	var pe *csv.ParseError
	switch {
	case errors.Is(err, io.EOF):
		p.add(1, `the file is empty; it needs one customer id per line, or a CSV header row with an "id" column`)
		return p.err(r)
	case errors.As(err, &pe):
		csvProblem(&p, pe)
		return p.err(r)
	case err != nil:
		return err
	}
	first = slices.Clone(first) // the reader reuses its record slice
	idCol, fields := -1, len(first)
	headerless := len(first) == 1 && isDigits(strings.TrimSpace(first[0]))
	if headerless {
		idCol = 0
	} else {
		for i, name := range first {
			if strings.EqualFold(strings.TrimSpace(name), "id") {
				idCol = i
				break
			}
		}
		if idCol < 0 {
			p.add(1, `no "id" column: the file needs one customer id per line, or a CSV header row with an "id" column`)
			return p.err(r)
		}
	}
	f := lineFields{idx: []int{idCol}, cols: []column{{"id", true}}, p: &p}
	row := func(b []byte, line int, rec []string) []byte {
		f.rec, f.line = rec, line
		id, ok := f.id(0)
		b = bulk.AppendFieldCount(b, 2)
		b = bulk.AppendInt8(b, int64(line))
		return bulk.AppendInt8OrNull(b, id, ok)
	}
	src := &stagedRows{cr: cr, fields: fields, p: &p, row: row}

	if _, err := db.Exec(ctx, tx, `CREATE TEMP TABLE `+table+` (line bigint NOT NULL, id bigint) ON COMMIT DROP`); err != nil {
		return err
	}
	if headerless { // the first line is an id too: stage it ahead of the rest
		f.rec, f.line = first, 1
		var id any // NULL when bad
		if v, ok := f.id(0); ok {
			id = v
		}
		if _, err := db.Exec(ctx, tx, `INSERT INTO `+table+` VALUES (1, $1)`, id); err != nil {
			return err
		}
	}
	if err := stage(ctx, conn, src, `COPY `+table+` FROM STDIN (FORMAT binary)`); err != nil {
		return err
	}
	return p.err(r)
}
