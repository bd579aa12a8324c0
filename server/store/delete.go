package store

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/segments/segments/server/db"
)

// DeleteResult reports what DeleteCustomers did.
type DeleteResult struct {
	// Deleted counts the customers deleted, each with its orders and
	// segment memberships.
	Deleted int64
	// Missing lists, sorted and once each, the ids in the file that no
	// customer has (already deleted, or never imported).
	Missing []int64
}

// DeleteCustomers deletes the customers whose ids the file lists, for
// erasure requests; their orders and segment memberships go with them
// (ON DELETE CASCADE). Ids no customer has are reported in Missing, not as
// an error, so the same file can be run twice.
//
// The file is either one id per line (no header: the first line is a bare
// number), or a CSV file with a header row that has an "id" column (any
// case; other columns are ignored, so a customer import file or a CSV
// export of the report works as is, comma- or semicolon-separated). A
// UTF-8 byte-order mark is skipped. An id that is not a positive whole
// number makes it *ImportError, and nothing is deleted.
//
// It is one transaction that also bumps store_state.data_changed_at when it
// deleted anyone; segment counts update at the next refresh.
func DeleteCustomers(ctx context.Context, d *db.DB, r io.Reader) (DeleteResult, error) {
	res, err := deleteCustomers(ctx, d, r)
	if err != nil {
		if _, ok := err.(*ImportError); !ok {
			err = fmt.Errorf("delete customers: %w", err)
		}
	}
	return res, err
}

func deleteCustomers(ctx context.Context, d *db.DB, r io.Reader) (DeleteResult, error) {
	var res DeleteResult
	var p problems
	cr, br, err := newCSVReader(r)
	if err != nil {
		return res, err
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
		return res, p.err(r, "deleted")
	case errors.As(err, &pe):
		csvProblem(&p, pe)
		return res, p.err(r, "deleted")
	case err != nil:
		return res, err
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
			return res, p.err(r, "deleted")
		}
	}
	idColumn := []column{{"id", true}}
	f := lineFields{idx: []int{idCol}, cols: idColumn, p: &p}
	row := func(b []byte, line int, rec []string) []byte {
		f.rec, f.line = rec, line
		id, ok := f.id(0)
		b = appendFieldCount(b, 2)
		b = appendInt8(b, int64(line))
		return appendInt8OrNull(b, id, ok)
	}
	src := &stagedRows{cr: cr, fields: fields, p: &p, row: row}

	conn, tx, err := beginImport(ctx, d)
	if err != nil {
		return res, err
	}
	defer conn.Release()
	defer tx.Rollback(ctx) //nolint:errcheck // a no-op after Commit

	if _, err := tx.Exec(ctx, `CREATE TEMP TABLE import_delete (line bigint NOT NULL, id bigint) ON COMMIT DROP`); err != nil {
		return res, err
	}
	if headerless { // the first line is an id too: stage it ahead of the rest
		if _, err := tx.Exec(ctx, `INSERT INTO import_delete VALUES (1, $1)`, idOrNil(&f, first)); err != nil {
			return res, err
		}
	}
	if err := stage(ctx, tx, src, `COPY import_delete FROM STDIN (FORMAT binary)`); err != nil {
		return res, err
	}
	if err := p.err(r, "deleted"); err != nil {
		return res, err
	}

	// Imports of customers wait until this commits, so an id reported
	// missing is not imported halfway through.
	if _, err := tx.Exec(ctx, `LOCK TABLE customers IN SHARE ROW EXCLUSIVE MODE`); err != nil {
		return res, err
	}
	rows, err := tx.Query(ctx, `SELECT DISTINCT id FROM import_delete s
		WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.id = s.id) ORDER BY id`)
	if err != nil {
		return res, err
	}
	if res.Missing, err = pgx.CollectRows(rows, pgx.RowTo[int64]); err != nil {
		return res, err
	}
	tag, err := tx.Exec(ctx, `DELETE FROM customers c USING (SELECT DISTINCT id FROM import_delete) s WHERE c.id = s.id`)
	if err != nil {
		return res, err
	}
	res.Deleted = tag.RowsAffected()
	if res.Deleted > 0 {
		if err := bumpDataChanged(ctx, tx); err != nil {
			return res, err
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return res, fmt.Errorf("commit: %w", err)
	}
	return res, nil
}

// idOrNil checks the id of the first line of a headerless file (line 1)
// and returns it for staging, or nil when it is bad.
func idOrNil(f *lineFields, rec []string) any {
	f.rec, f.line = rec, 1
	if id, ok := f.id(0); ok {
		return id
	}
	return nil
}
