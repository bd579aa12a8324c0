package export

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/riverqueue/river"
	"github.com/uptrace/bun"
	"gocloud.dev/blob"
	"gocloud.dev/gcerrors"

	"github.com/segments/segments/server/account"
	"github.com/segments/segments/server/actor"
	"github.com/segments/segments/server/apperr"
	"github.com/segments/segments/server/audit"
	"github.com/segments/segments/server/auth"
	"github.com/segments/segments/server/catalog"
	"github.com/segments/segments/server/country"
	"github.com/segments/segments/server/customer"
	"github.com/segments/segments/server/db"
	"github.com/segments/segments/server/job"
	"github.com/segments/segments/server/segment"
)

// table holds the exports.
const table = "exports"

// Timeout bounds one attempt of an export: long enough for millions of
// rows, below job.DefaultRescueStuckJobsAfter.
const Timeout = 2 * time.Hour

// maxAttempts is how many times an export that fails is tried. An export
// interrupted by a shutdown is handed back without using one up.
const maxAttempts = 3

// sweepEvery is how often the elected leader deletes files past their
// retention.
const sweepEvery = 10 * time.Minute

// Request says what to export: exactly what the drill-down shows for the
// same segments, mode, excluded segments, filter and order.
type Request struct {
	SegmentIDs []int64
	Mode       customer.Mode
	// Exclude leaves out the members of any of these segments.
	Exclude []int64
	Filter  customer.Filter
	Order   customer.Order
	Format  Format
	// Delimiter is ',' or ';' (CSV only).
	Delimiter rune
}

// Export is one export and its file: a row of exports, a run of the job
// model (job.Status).
type Export struct {
	bun.BaseModel `bun:"table:exports,alias:e"`

	ID int64 `bun:"id,pk,autoincrement"`
	job.Status
	Format     Format          `bun:"format,notnull"`
	Delimiter  string          `bun:"csv_delimiter,notnull"`
	SegmentIDs []int64         `bun:"segment_ids,array,notnull"`
	Mode       customer.Mode   `bun:"mode,notnull"`
	Exclude    []int64         `bun:"exclude_segment_ids,array,notnull"`
	Filter     customer.Filter `bun:"filter,type:jsonb,notnull"`
	Order      customer.Order  `bun:"order_by,type:jsonb,notnull"`
	// RowsWritten counts the rows written so far by the current attempt.
	RowsWritten int64 `bun:"rows_written,notnull"`
	// RowCount is the rows the file will hold, known once it has started.
	RowCount *int64  `bun:"row_count"`
	FileName *string `bun:"file_name"`
	// FileKey is where the file is in the bucket; nil for a file the
	// command line wrote elsewhere, and once the file is past retention.
	FileKey *string `bun:"file_key"`
	// DeleteAfter ends the file's retention.
	DeleteAfter *time.Time `bun:"delete_after"`
	// Scope is the website ids of the principal who asked, under which the
	// file is written; nil for every website.
	Scope []int64 `bun:"scope_website_ids,array"`
}

// Files returns the Lookup the download handler needs, reading exports
// from d.
func Files(d *db.DB) Lookup {
	return func(ctx context.Context, id int64) (*File, error) {
		e, err := Get(ctx, d, id)
		if err != nil || e == nil {
			return nil, err
		}
		// A file in the bucket has a retention end, kept after the sweep
		// deletes the file and its key, so its links answer 410 Gone; a
		// file the command line wrote elsewhere has neither.
		f := &File{ID: e.ID, Format: e.Format, Succeeded: e.State == job.Succeeded && e.FileName != nil && e.DeleteAfter != nil}
		if f.Succeeded {
			f.FileName = *e.FileName
		}
		if f.Succeeded && e.FileKey != nil {
			f.Key = *e.FileKey
		}
		if e.DeleteAfter != nil {
			f.DeleteAfter = *e.DeleteAfter
		}
		f.Downloaded = func(ctx context.Context) error {
			return audit.RecordByLink(ctx, d, audit.ExportDownloaded, []int64{e.ID},
				map[string]any{"requestedBy": e.RequestedBy.String(), "rows": e.RowsWritten})
		}
		return f, nil
	}
}

// Service creates exports and writes their files.
type Service struct {
	DB        *db.DB
	Customers *customer.Lister
	Bucket    *blob.Bucket
	// Location is the store's time zone, for Customer Since and file names.
	Location *time.Location
	// Retention is how long a finished file is kept.
	Retention time.Duration
	// PartSize is the size of the parts a file is uploaded in, to a bucket
	// that takes multipart uploads (S3); zero means 8 MiB (see s3Upload).
	// S3 refuses parts under 5 MiB but the last, so only tests against a
	// server that allows them set it smaller.
	PartSize int
}

// exportArgs are an export's River job arguments.
type exportArgs struct {
	ID int64 `json:"export_id"`
}

func (exportArgs) Kind() string { return "export" }

func (a exportArgs) RunID() int64 { return a.ID }

func (exportArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: maxAttempts} }

// sweepArgs start a round of the retention sweep.
type sweepArgs struct{}

func (sweepArgs) Kind() string { return "export_cleanup" }

// Kinds are the jobs a job.Client works for s: exports, written into the
// bucket, and the periodic sweep of files past their retention.
func (s *Service) Kinds() []job.Kind {
	return []job.Kind{
		job.RunKind(job.Spec[exportArgs]{
			Table:   table,
			What:    "export",
			Timeout: Timeout,
			Args:    func(id int64) exportArgs { return exportArgs{ID: id} },
			Work: func(ctx context.Context, id int64) (job.Finish, error) {
				return s.write(ctx, id, s.toBucket)
			},
		}),
		job.Periodic(sweepEvery, sweepArgs{}, func(ctx context.Context, _ sweepArgs) error {
			_, err := s.DeleteExpired(ctx)
			return err
		}),
	}
}

// Enqueue checks req and creates its export, QUEUED, with its job, in tx,
// the caller's transaction; any started job.Client with s.Kinds works it
// once tx commits.
func (s *Service) Enqueue(ctx context.Context, tx bun.Tx, req Request, by actor.Actor) (int64, error) {
	id, err := s.create(ctx, tx, req, by)
	if err != nil {
		return 0, err
	}
	if err := job.Enqueue(ctx, tx, table, exportArgs{ID: id}); err != nil {
		return 0, err
	}
	return id, nil
}

// Start is Enqueue in a transaction of its own.
func (s *Service) Start(ctx context.Context, req Request, by actor.Actor) (id int64, err error) {
	err = s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		id, err = s.Enqueue(ctx, tx, req, by)
		return err
	})
	return id, err
}

// create checks req and saves its export, QUEUED, in tx.
func (s *Service) create(ctx context.Context, tx bun.Tx, req Request, by actor.Actor) (int64, error) {
	if req.Format != FormatCSV && req.Format != FormatExcelXML {
		return 0, apperr.Invalid("format must be CSV or EXCEL_XML, got %q", req.Format)
	}
	if req.Delimiter == 0 {
		req.Delimiter = ','
	}
	if req.Delimiter != ',' && req.Delimiter != ';' {
		return 0, apperr.Invalid("csvDelimiter must be COMMA or SEMICOLON")
	}
	if !by.Valid() {
		return 0, fmt.Errorf("create export: who asks (%q) is not a valid actor", by.String())
	}
	q, err := s.Customers.Check(ctx, customer.Query{SegmentIDs: req.SegmentIDs, Mode: req.Mode, Exclude: req.Exclude, Filter: req.Filter, Order: req.Order})
	if err != nil {
		return 0, err
	}
	e := &Export{Format: req.Format, Delimiter: string(req.Delimiter), SegmentIDs: q.SegmentIDs, Mode: q.Mode, Exclude: nonNil(q.Exclude),
		Filter: q.Filter, Order: q.Order, Scope: segment.ScopeKey(ctx)}
	e.RequestedBy = by
	if _, err := tx.NewInsert().Model(e).Returning("id").Exec(ctx); err != nil {
		return 0, fmt.Errorf("create export: %w", err)
	}
	if err := audit.Record(ctx, tx, audit.ExportCreated, []int64{e.ID}, map[string]any{
		"segments": q.SegmentIDs, "mode": q.Mode, "exclude": nonNil(q.Exclude), "format": req.Format,
		"filter": filterFields(q.Filter), "orderBy": q.Order.Field,
	}); err != nil {
		return 0, err
	}
	return e.ID, nil
}

// Find returns the export with the given id if ctx's principal may see it,
// or nil, nil: only the principal who asked for it sees an export, and
// admins; either only while their current scope covers the export's, so a
// requester whose websites were narrowed since cannot fetch (or mint links
// for) an old export of websites it no longer holds. Anyone else gets the
// answer an unknown id gets, so export ids cannot be enumerated.
func Find(ctx context.Context, d *db.DB, id int64) (*Export, error) {
	p := auth.From(ctx)
	if p == nil {
		return nil, nil
	}
	e, err := Get(ctx, d, id)
	if err != nil || e == nil {
		return nil, err
	}
	owner := e.RequestedBy == p.Actor() && p.Kind != auth.System
	if !owner && !p.Role.Includes(auth.Admin) {
		return nil, nil
	}
	if p.Scope().IsAll() || e.Scope != nil && p.Scope().Covers(e.Scope) {
		return e, nil
	}
	return nil, nil
}

// Get returns the export with the given id, or nil, nil when there is none,
// whoever asks: for download links and the job model. The API reads
// exports with Find.
func Get(ctx context.Context, d *db.DB, id int64) (*Export, error) {
	return job.Get[Export](ctx, d, id)
}

// Wait waits for export id as job.Wait does, so small exports come back
// finished from the mutation.
func Wait(ctx context.Context, d *db.DB, id int64, maxWait time.Duration) (*Export, error) {
	return job.Wait[Export](ctx, d, id, maxWait)
}

// ExportTo exports req into the file at path, in this process (the command
// line's `segments export -o FILE`): the file is written once, straight to
// path (through a temporary file beside it, renamed when complete, mode
// 0600), not into the bucket. The export is recorded like any other, as
// asked for by by; started, when set, is told its id before the writing
// begins. It returns the export as it ended.
func (s *Service) ExportTo(ctx context.Context, req Request, by actor.Actor, path string, cfg job.Config, started func(id int64)) (*Export, error) {
	var id int64
	err := s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) (err error) {
		id, err = s.create(ctx, tx, req, by)
		return err
	})
	if err != nil {
		return nil, err
	}
	if started != nil {
		started(id)
	}
	err = job.RunHere(ctx, s.DB, cfg, job.Local{Table: table, What: "export", ID: id, Timeout: Timeout,
		Work: func(ctx context.Context, id int64) (job.Finish, error) {
			return s.write(ctx, id, func(ctx context.Context, _ int64, _ string, _ Format) (sink, error) {
				return toFile(path)
			})
		},
	})
	e, gerr := Get(context.WithoutCancel(ctx), s.DB, id)
	if err == nil {
		err = gerr
	}
	return e, err
}

// opener opens where export id's file, named name, is written.
type opener func(ctx context.Context, id int64, name string, f Format) (sink, error)

// toBucket writes export files into the bucket, under ObjectKey.
func (s *Service) toBucket(ctx context.Context, id int64, name string, f Format) (sink, error) {
	// Cancelling wctx before Close discards the half-written file.
	wctx, cancel := context.WithCancel(ctx)
	bw, err := s.Bucket.NewWriter(wctx, ObjectKey(id, name), &blob.WriterOptions{ContentType: ContentType(f),
		BeforeWrite: s3Upload(s.Bucket, s.PartSize)})
	if err != nil {
		cancel()
		return nil, fmt.Errorf("open export file: %w", err)
	}
	return &bucketSink{Writer: bw, cancel: cancel, key: ObjectKey(id, name)}, nil
}

// write writes export id's file: the rows of one REPEATABLE READ snapshot,
// streamed from PostgreSQL into the file open returns. The file becomes
// visible only when complete; on any failure nothing is published. The
// Finish it returns records the file on the export.
func (s *Service) write(ctx context.Context, id int64, open opener) (job.Finish, error) {
	e := &Export{ID: id}
	if _, err := s.DB.NewUpdate().Model(e).Set("rows_written = 0").Set("row_count = NULL").WherePK().Returning("*").Exec(ctx); err != nil {
		return nil, fmt.Errorf("read export %d: %w", id, err)
	}
	held, err := account.CurrentScope(ctx, s.DB, e.RequestedBy)
	if err != nil {
		return nil, err
	}
	ctx, err = asRequester(ctx, e, held)
	if err != nil {
		return nil, err
	}
	q := customer.Query{SegmentIDs: e.SegmentIDs, Mode: e.Mode, Exclude: e.Exclude, Filter: e.Filter, Order: e.Order}
	name := FileName(e.SegmentIDs, e.Mode, e.CreatedAt.In(s.Location), e.Format)

	groups, err := catalog.CustomerGroups(ctx, s.DB)
	if err != nil {
		return nil, err
	}
	groupName := map[int64]string{}
	for _, g := range groups {
		groupName[g.ID] = g.Name
	}

	out, err := open(ctx, id, name, e.Format)
	if err != nil {
		return nil, err
	}
	file := &countingWriter{w: out}
	var w Writer
	if e.Format == FormatCSV {
		w = NewCSV(file, []rune(e.Delimiter)[0], s.Location)
	} else {
		w = NewSpreadsheetML(file, s.Location)
	}

	// The expected row count, for progress: kept counts make this cheap, and
	// membership changes only by refresh; the final count is what was written.
	var written int64
	total, err := s.Customers.Count(ctx, q)
	if err == nil {
		_, err = s.DB.NewUpdate().Model(e).Set("row_count = ?", total).WherePK().Exec(ctx)
	}
	if err == nil {
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
					if _, err := s.DB.NewUpdate().Model(e).Set("rows_written = ?", written).WherePK().Exec(ctx); err != nil {
						return err
					}
				}
				return nil
			})
		})
	}
	if err == nil {
		err = w.Close()
	}
	if err != nil {
		out.abort()
		return nil, fmt.Errorf("write export: %w", err)
	}
	if err := out.commit(); err != nil {
		return nil, fmt.Errorf("publish export file: %w", err)
	}
	key := out.bucketKey()
	job.Count(ctx, written, file.n)
	return func(ctx context.Context, tx bun.Tx) error {
		q := tx.NewUpdate().Model(e).WherePK().
			Set("rows_written = ?", written).Set("row_count = ?", written).Set("file_name = ?", name)
		if key != "" {
			q = q.Set("file_key = ?", key).Set("delete_after = now() + make_interval(secs => ?)", s.Retention.Seconds())
		}
		_, err := q.Exec(ctx)
		return err
	}, nil
}

// asRequester returns ctx acting for the principal who asked for e, with
// the scope stored on e narrowed to what that principal holds now (held):
// the worker reads no more than it might when asked, nor than it may now.
func asRequester(ctx context.Context, e *Export, held auth.Scope) (context.Context, error) {
	if e.Scope != nil && len(e.Scope) == 0 {
		// An empty list would read as every website: refuse it.
		return nil, fmt.Errorf("export %d has an empty website scope", e.ID)
	}
	websites := e.Scope
	if !held.IsAll() {
		websites = nil
		for _, id := range held.IDs() {
			if e.Scope == nil || slices.Contains(e.Scope, id) {
				websites = append(websites, id)
			}
		}
		if len(websites) == 0 {
			return nil, apperr.Denied("whoever asked for export %d no longer holds any of its websites", e.ID)
		}
	}
	p := &auth.Principal{Kind: auth.System, Name: "export " + strconv.FormatInt(e.ID, 10), Role: auth.Viewer, Websites: websites}
	switch e.RequestedBy.Kind {
	case actor.User:
		p.Kind, p.ID = auth.User, e.RequestedBy.ID
	case actor.Token:
		p.Kind, p.ID = auth.Token, e.RequestedBy.ID
	}
	return auth.With(ctx, p), nil
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
	var expired []Export
	if err := s.DB.NewSelect().Model(&expired).Column("id", "file_key").
		Where("file_key IS NOT NULL").Where("delete_after <= now()").Order("id").Scan(ctx); err != nil {
		return 0, err
	}
	n := 0
	for _, e := range expired {
		if err := s.Bucket.Delete(ctx, *e.FileKey); err != nil && gcerrors.Code(err) != gcerrors.NotFound {
			return n, fmt.Errorf("delete export file %s: %w", *e.FileKey, err)
		}
		if _, err := s.DB.NewUpdate().Model(&e).Set("file_key = NULL").WherePK().Exec(ctx); err != nil {
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

// filterFields names the fields a filter sets, never their values: an
// email filter's value is personal data, which the audit log never holds.
func filterFields(f customer.Filter) []string {
	b, err := json.Marshal(f) // omitempty: only the fields set
	if err != nil {
		return nil
	}
	var set map[string]json.RawMessage
	_ = json.Unmarshal(b, &set)
	fields := slices.Sorted(maps.Keys(set))
	if fields == nil {
		fields = []string{}
	}
	return fields
}

// nonNil keeps an empty id list an empty array, not NULL.
func nonNil(ids []int64) []int64 {
	if ids == nil {
		return []int64{}
	}
	return ids
}

// countingWriter counts the bytes of a file, for the metrics.
type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(b []byte) (int, error) {
	n, err := c.w.Write(b)
	c.n += int64(n)
	return n, err
}
