package export

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/uptrace/bun"
	"gocloud.dev/blob"
	"gocloud.dev/gcerrors"

	"github.com/segments/segments/server/apperr"
	"github.com/segments/segments/server/catalog"
	"github.com/segments/segments/server/country"
	"github.com/segments/segments/server/customer"
	"github.com/segments/segments/server/db"
)

// The states of an export, as the API shows them.
const (
	StateQueued    = "QUEUED"
	StateRunning   = "RUNNING"
	StateSucceeded = "SUCCEEDED"
	StateFailed    = "FAILED"
)

// Request says what to export: exactly what the drill-down shows for the
// same segments, mode, filter and order.
type Request struct {
	SegmentIDs []int64
	Mode       customer.Mode
	Filter     customer.Filter
	Order      customer.Order
	Format     Format
	// Delimiter is ',' or ';' (CSV only).
	Delimiter rune
}

// Export is one export and its file.
type Export struct {
	ID          int64      `db:"id"`
	State       string     `db:"state"`
	Format      Format     `db:"format"`
	RowsWritten int64      `db:"rows_written"`
	RowCount    *int64     `db:"row_count"`
	FileName    *string    `db:"file_name"`
	FileKey     *string    `db:"file_key"`
	Error       *string    `db:"error"`
	CreatedAt   time.Time  `db:"created_at"`
	StartedAt   *time.Time `db:"started_at"`
	FinishedAt  *time.Time `db:"finished_at"`
	// DeleteAfter ends the file's retention.
	DeleteAfter *time.Time `db:"delete_after"`
}

// Files returns the Lookup the download handler needs, reading exports
// from pool.
func Files(pool *pgxpool.Pool) Lookup {
	return func(ctx context.Context, id int64) (*File, error) {
		e, err := Get(ctx, pool, id)
		if err != nil || e == nil {
			return nil, err
		}
		f := &File{ID: e.ID, Format: e.Format, Succeeded: e.State == StateSucceeded && e.FileName != nil}
		if f.Succeeded {
			f.FileName, f.Key = *e.FileName, *e.FileKey
		}
		if e.DeleteAfter != nil {
			f.DeleteAfter = *e.DeleteAfter
		}
		return f, nil
	}
}

// Finished reports whether the export SUCCEEDED or FAILED.
func (e *Export) Finished() bool { return e.State == StateSucceeded || e.State == StateFailed }

// Service creates exports and writes their files.
type Service struct {
	DB        *db.DB
	Customers *customer.Lister
	Bucket    *blob.Bucket
	// Location is the store's time zone, for Customer Since and file names.
	Location *time.Location
	// Retention is how long a finished file is kept.
	Retention time.Duration
}

// Create checks req and saves its export, QUEUED, in tx; the caller
// enqueues its job in the same transaction.
func (s *Service) Create(ctx context.Context, tx pgx.Tx, req Request, requestedBy string) (int64, error) {
	if req.Format != FormatCSV && req.Format != FormatExcelXML {
		return 0, apperr.Invalid("format must be CSV or EXCEL_XML, got %q", req.Format)
	}
	if req.Delimiter == 0 {
		req.Delimiter = ','
	}
	if req.Delimiter != ',' && req.Delimiter != ';' {
		return 0, apperr.Invalid("csvDelimiter must be COMMA or SEMICOLON")
	}
	q, err := s.Customers.Check(ctx, customer.Query{SegmentIDs: req.SegmentIDs, Mode: req.Mode, Filter: req.Filter, Order: req.Order})
	if err != nil {
		return 0, err
	}
	var id int64
	err = tx.QueryRow(ctx, `INSERT INTO exports (format, csv_delimiter, segment_ids, mode, filter, order_by, requested_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		req.Format, string(req.Delimiter), q.SegmentIDs, q.Mode, q.Filter, q.Order, requestedBy).Scan(&id)
	return id, err
}

const exportColumns = `id, state, format, rows_written, row_count, file_name, file_key, error, created_at, started_at, finished_at, delete_after`

// Get returns the export with the given id, or nil, nil when there is none.
func Get(ctx context.Context, pool *pgxpool.Pool, id int64) (*Export, error) {
	rows, err := pool.Query(ctx, `SELECT `+exportColumns+` FROM exports WHERE id = $1`, id)
	if err != nil {
		return nil, err
	}
	e, err := pgx.CollectExactlyOneRow(rows, pgx.RowToAddrOfStructByName[Export])
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	return e, err
}

// Wait polls until the export finishes or maxWait passes, then returns it
// as it stands, so small exports come back finished from the mutation.
func Wait(ctx context.Context, pool *pgxpool.Pool, id int64, maxWait time.Duration) (*Export, error) {
	deadline := time.Now().Add(maxWait)
	for {
		e, err := Get(ctx, pool, id)
		if err != nil || e == nil || e.Finished() || time.Now().After(deadline) {
			return e, err
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// Run writes export id's file: the rows of one REPEATABLE READ snapshot,
// streamed from PostgreSQL into the bucket. The file becomes visible only
// when complete; on any failure nothing is published and the export is
// FAILED with the reason.
func (s *Service) Run(ctx context.Context, id int64) error {
	err := s.run(ctx, id)
	if err != nil {
		msg := err.Error()
		if e, ok := apperr.As(err); ok {
			msg = e.Message
		}
		if _, uerr := s.DB.Pool.Exec(context.WithoutCancel(ctx), `UPDATE exports SET state = 'FAILED', error = $2, finished_at = now()
			WHERE id = $1`, id, msg); uerr != nil {
			return errors.Join(err, uerr)
		}
	}
	return err
}

// saved is an export's request as stored.
type saved struct {
	Format     Format          `db:"format"`
	Delimiter  string          `db:"csv_delimiter"`
	SegmentIDs []int64         `db:"segment_ids"`
	Mode       customer.Mode   `db:"mode"`
	Filter     customer.Filter `db:"filter"`
	Order      customer.Order  `db:"order_by"`
	CreatedAt  time.Time       `db:"created_at"`
}

func (s *Service) run(ctx context.Context, id int64) error {
	rows, err := s.DB.Pool.Query(ctx, `UPDATE exports SET state = 'RUNNING', started_at = now(), error = NULL WHERE id = $1
		RETURNING format, csv_delimiter, segment_ids, mode, filter, order_by, created_at`, id)
	if err != nil {
		return err
	}
	req, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[saved])
	if err != nil {
		return fmt.Errorf("read export %d: %w", id, err)
	}
	q := customer.Query{SegmentIDs: req.SegmentIDs, Mode: req.Mode, Filter: req.Filter, Order: req.Order}
	name := FileName(req.SegmentIDs, req.Mode, req.CreatedAt.In(s.Location), req.Format)
	key := ObjectKey(id, name)

	groups, err := catalog.CustomerGroups(ctx, s.DB)
	if err != nil {
		return err
	}
	groupName := map[int64]string{}
	for _, g := range groups {
		groupName[g.ID] = g.Name
	}

	// Cancelling wctx before Close discards the half-written file.
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	bw, err := s.Bucket.NewWriter(wctx, key, &blob.WriterOptions{ContentType: ContentType(req.Format)})
	if err != nil {
		return fmt.Errorf("open export file: %w", err)
	}
	var w Writer
	if req.Format == FormatCSV {
		w = NewCSV(bw, []rune(req.Delimiter)[0], s.Location)
	} else {
		w = NewSpreadsheetML(bw, s.Location)
	}

	// The expected row count, for progress: kept counts make this cheap, and
	// membership changes only by refresh; the final count is what was written.
	total, err := s.Customers.Count(ctx, q)
	if err != nil {
		return err
	}
	if _, err := s.DB.Pool.Exec(ctx, `UPDATE exports SET row_count = $2 WHERE id = $1`, id, total); err != nil {
		return err
	}
	var written int64
	err = s.DB.RunInTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}, func(ctx context.Context, tx bun.Tx) error {
		return s.Customers.Each(ctx, tx, q, func(c customer.Customer) error {
			countryName := ""
			if c.Country != nil {
				countryName, _ = country.Name(*c.Country)
			}
			if err := w.Write(Row{ID: c.ID, Name: c.Name(), Email: c.Email, Group: groupName[c.GroupID],
				Phone: deref(c.Phone), Zip: deref(c.Zip), Country: countryName, Region: deref(c.Region), CustomerSince: c.CreatedAt}); err != nil {
				return err
			}
			written++
			if written%10_000 == 0 {
				// Progress goes through the pool: the snapshot is read-only.
				if _, err := s.DB.Pool.Exec(ctx, `UPDATE exports SET rows_written = $2 WHERE id = $1`, id, written); err != nil {
					return err
				}
			}
			return nil
		})
	})
	if err == nil {
		err = w.Close()
	}
	if err != nil {
		cancel()
		_ = bw.Close() // with wctx cancelled, Close discards the file
		return fmt.Errorf("write export: %w", err)
	}
	if err := bw.Close(); err != nil {
		return fmt.Errorf("publish export file: %w", err)
	}
	_, err = s.DB.Pool.Exec(ctx, `UPDATE exports SET state = 'SUCCEEDED', rows_written = $2, row_count = $2, file_name = $3, file_key = $4,
		finished_at = now(), delete_after = now() + $5::interval WHERE id = $1`, id, written, name, key, s.Retention.String())
	return err
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// DeleteExpired removes the files of exports past their retention and
// forgets their keys; links to them answer 410. It returns how many it
// removed.
func (s *Service) DeleteExpired(ctx context.Context) (int, error) {
	rows, err := s.DB.Pool.Query(ctx, `SELECT id, file_key FROM exports WHERE file_key IS NOT NULL AND delete_after <= now()`)
	if err != nil {
		return 0, err
	}
	type expired struct {
		ID  int64  `db:"id"`
		Key string `db:"file_key"`
	}
	all, err := pgx.CollectRows(rows, pgx.RowToStructByName[expired])
	if err != nil {
		return 0, err
	}
	n := 0
	for _, e := range all {
		if err := s.Bucket.Delete(ctx, e.Key); err != nil && gcerrors.Code(err) != gcerrors.NotFound {
			return n, fmt.Errorf("delete export file %s: %w", e.Key, err)
		}
		if _, err := s.DB.Pool.Exec(ctx, `UPDATE exports SET file_key = NULL WHERE id = $1`, e.ID); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// FileName says what a file holds, e.g.
// customer-segments-3-5-union-20261129-1215.csv.
func FileName(ids []int64, mode customer.Mode, at time.Time, f Format) string {
	var parts []string
	for i, id := range ids {
		if i == 5 {
			parts = append(parts, fmt.Sprintf("and-%d-more", len(ids)-5))
			break
		}
		parts = append(parts, strconv.FormatInt(id, 10))
	}
	return fmt.Sprintf("customer-segments-%s-%s-%s.%s", strings.Join(parts, "-"), strings.ToLower(string(mode)), at.Format("20060102-1504"), Extension(f))
}
