package job

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/riverqueue/river"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"github.com/segments/segments/server/actor"
	"github.com/segments/segments/server/auth"
	"github.com/segments/segments/server/db"
	"github.com/segments/segments/server/segment"
)

// refreshTable holds the refresh runs.
const refreshTable = "refresh_runs"

// refreshMaxAttempts is how many times a refresh run is tried.
const refreshMaxAttempts = 3

// enqueueLock is the advisory lock key that serialises refresh requests, so
// that of two requests at once the second sees the first's queued run.
const enqueueLock int64 = 0x5e6d_2e7a_0001

// Run is one refresh run: a row of refresh_runs.
type Run struct {
	bun.BaseModel `bun:"table:refresh_runs,alias:r"`

	ID int64 `bun:"id,pk,autoincrement"`
	Status
	// SegmentIDs are the segments the run refreshes, sorted; some may have
	// been deleted since.
	SegmentIDs []int64 `bun:"segment_ids,array"`
	// SegmentsDone counts the segments written by the current attempt;
	// SegmentsTotal is len(SegmentIDs).
	SegmentsDone  int `bun:"segments_done,notnull"`
	SegmentsTotal int `bun:"segments_total,notnull"`
	// AllActive says the run was asked for every active segment; the
	// schedule counts such runs as a refresh of everything.
	AllActive bool `bun:"all_active,notnull"`
	// Full says a full refresh was asked for: every customer of every
	// segment re-evaluated. Without it the run is incremental (see
	// segment.RefreshOptions.Full): a segment refreshed before re-evaluates
	// only the customers that can have changed since.
	Full bool `bun:"full_refresh,notnull"`
}

// RefreshRequest asks for a refresh run.
type RefreshRequest struct {
	// IDs are the segments to refresh (inactive ones included; duplicates
	// are dropped; the caller has checked that they exist), or nil for every
	// active segment, resolved now.
	IDs []int64
	// By is who asks.
	By actor.Actor
	// Full asks for every customer to be re-evaluated (see Run.Full).
	Full bool
}

// refreshArgs are a refresh run's River job arguments.
type refreshArgs struct {
	ID int64 `json:"run_id"`
}

func (refreshArgs) Kind() string { return "refresh_run" }

func (a refreshArgs) RunID() int64 { return a.ID }

func (refreshArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: refreshMaxAttempts}
}

// EnqueueRefresh asks for a refresh of the given segments (nil: every
// active one), full or incremental, in tx, the caller's transaction, and
// returns the run: it is segment.Enqueue. See RequestRefresh.
func EnqueueRefresh(ctx context.Context, tx bun.Tx, ids []int64, by actor.Actor, full bool) (runID int64, err error) {
	return RequestRefresh(ctx, tx, RefreshRequest{IDs: ids, By: by, Full: full})
}

// RequestRefresh creates a refresh run and its River job in tx, the
// caller's transaction, so the job exists if and only if the caller's change
// commits; it is worked once tx commits, by any started Client on the
// database. A run with no segments (no active segment exists) succeeds at
// once, 0 of 0, without a job.
//
// A request whose segments are all covered by a QUEUED run (one that is at
// least as full) returns that run instead: ten clicks of "refresh all" queue
// one run. An incremental request joins a queued full run; a full request
// never joins a queued incremental one. The queued run is locked until tx ends, so it cannot start
// before the caller's change is visible to it.
func RequestRefresh(ctx context.Context, tx bun.Tx, req RefreshRequest) (runID int64, err error) {
	if !req.By.Valid() {
		return 0, fmt.Errorf("enqueue refresh: who asks (%q) is not a valid actor", req.By.String())
	}
	if _, err := db.Exec(ctx, tx, `SELECT pg_advisory_xact_lock($1)`, enqueueLock); err != nil {
		return 0, fmt.Errorf("enqueue refresh: %w", err)
	}
	ids := req.IDs
	all := ids == nil
	if all {
		ids = []int64{}
		if err := tx.NewSelect().Table("segments").Column("id").Where("is_active").Order("id").Scan(ctx, &ids); err != nil {
			return 0, fmt.Errorf("enqueue refresh: list active segments: %w", err)
		}
	} else {
		if len(ids) == 0 {
			return 0, errors.New("enqueue refresh: an empty list of segments (nil means every active segment)")
		}
		ids = slices.Clone(ids)
		slices.Sort(ids)
		ids = slices.Compact(ids)
	}
	run := &Run{SegmentIDs: ids, SegmentsTotal: len(ids), AllActive: all, Full: req.Full}
	run.RequestedBy = req.By
	if len(ids) == 0 {
		run.State = Succeeded
		if _, err := tx.NewInsert().Model(run).Value("started_at", "now()").Value("finished_at", "now()").Returning("id").Exec(ctx); err != nil {
			return 0, fmt.Errorf("enqueue refresh: %w", err)
		}
		return run.ID, nil
	}

	queued := new(Run)
	err = tx.NewSelect().Model(queued).Column("id", "all_active").
		Where("state = ?", Queued).
		Where("segment_ids @> ?", pgdialect.Array(ids)).
		Where("full_refresh OR NOT ?", req.Full).
		Order("id").Limit(1).For("UPDATE").Scan(ctx)
	switch {
	case err == nil:
		if all && !queued.AllActive {
			// It covers every active segment: the schedule may count it.
			if _, err := tx.NewUpdate().Model(queued).Set("all_active = true").WherePK().Exec(ctx); err != nil {
				return 0, fmt.Errorf("enqueue refresh: %w", err)
			}
		}
		return queued.ID, nil
	case !errors.Is(err, sql.ErrNoRows):
		return 0, fmt.Errorf("enqueue refresh: find a queued run: %w", err)
	}

	if _, err := tx.NewInsert().Model(run).Returning("id").Exec(ctx); err != nil {
		return 0, fmt.Errorf("enqueue refresh: %w", err)
	}
	if err := Enqueue(ctx, tx, refreshTable, refreshArgs{ID: run.ID}); err != nil {
		return 0, err
	}
	return run.ID, nil
}

// GetRun returns the refresh run with the given id as ctx's principal sees
// it (see scopeRun), or nil, nil when there is none.
func GetRun(ctx context.Context, d *db.DB, id int64) (*Run, error) {
	r, err := Get[Run](ctx, d, id)
	if err != nil || r == nil {
		return r, err
	}
	return scopeRun(ctx, d, seen(d, r))
}

// WaitRun waits for refresh run id as Wait does, and returns it as GetRun
// does.
func WaitRun(ctx context.Context, d *db.DB, id int64, maxWait time.Duration) (*Run, error) {
	r, err := Wait[Run](ctx, d, id, maxWait)
	if err != nil || r == nil {
		return r, err
	}
	return scopeRun(ctx, d, seen(d, r))
}

// changeNotice bounds how long after a run finished its change
// notification may still be on its way to this instance.
const changeNotice = time.Minute

// seen returns r. A run another instance just finished may be read here
// before its change notification arrives; the next report read must see
// what it wrote, so it first reads the primary's position (db.Changed).
// A run that finished longer ago has been heard of: polling it costs the
// report reads nothing.
func seen(d *db.DB, r *Run) *Run {
	if r.FinishedAt != nil && time.Since(*r.FinishedAt) < changeNotice {
		d.Changed()
	}
	return r
}

// hiddenRunError is what a scoped principal reads of a failed run that
// also refreshed segments it does not see: the real message may name them.
const hiddenRunError = "the refresh did not complete"

// scopeRun returns r as ctx's principal sees it. A principal of every
// website sees it whole. A scoped one sees only the segments it sees, and
// counts and progress over those; a run of none of them (and not its own)
// is nil, as an unknown id is.
func scopeRun(ctx context.Context, d *db.DB, r *Run) (*Run, error) {
	scope := auth.ScopeOf(ctx)
	if scope.IsAll() {
		return r, nil
	}
	segs, err := segment.NewStore(d).Get(ctx, r.SegmentIDs)
	if err != nil {
		return nil, err
	}
	if len(segs) == len(r.SegmentIDs) {
		return r, nil
	}
	p := auth.From(ctx)
	if len(segs) == 0 && (p == nil || r.RequestedBy != p.Actor()) {
		return nil, nil
	}
	seen := make(map[int64]bool, len(segs))
	for _, s := range segs {
		seen[s.ID] = true
	}
	out := *r
	out.SegmentIDs, out.SegmentsDone = nil, 0
	for i, id := range r.SegmentIDs {
		if !seen[id] {
			continue
		}
		out.SegmentIDs = append(out.SegmentIDs, id)
		// Segments are refreshed in id order.
		if i < r.SegmentsDone {
			out.SegmentsDone++
		}
	}
	out.SegmentsTotal = len(out.SegmentIDs)
	if out.Error != nil {
		msg := hiddenRunError
		out.Error = &msg
	}
	return &out, nil
}

// refreshKind works refresh runs: one attempt of segment.Refresher over the
// run's segments, keeping its progress. Each segment is written in its own
// transaction, so an attempt interrupted anywhere leaves every segment with
// its old membership or its new one, and the next attempt simply runs again.
func refreshKind(d *db.DB, cfg Config) Kind {
	return RunKind(Spec[refreshArgs]{
		Table:   refreshTable,
		What:    "refresh",
		Timeout: cfg.RefreshTimeout,
		Args:    func(id int64) refreshArgs { return refreshArgs{ID: id} },
		Work: func(ctx context.Context, id int64) (Finish, error) {
			now := time.Now()
			run := &Run{ID: id}
			if _, err := d.NewUpdate().Model(run).Set("segments_done = 0").WherePK().Returning("segment_ids, full_refresh").Exec(ctx); err != nil {
				return nil, fmt.Errorf("start refresh run %d: %w", id, err)
			}
			opts := segment.RefreshOptions{
				Now:              now,
				TimeZone:         cfg.TimeZone,
				RunID:            &id,
				StatementTimeout: cfg.RefreshStatementTimeout,
				Full:             run.Full,
				Progress: func(done, _ int) {
					if _, err := d.NewUpdate().Model((*Run)(nil)).Set("segments_done = ?", done).
						Where("id = ?", id).Where("state = ?", Running).Exec(ctx); err != nil && ctx.Err() == nil {
						cfg.Logger.WarnContext(ctx, "record refresh progress", "run", id, "err", err)
					}
				},
			}
			if cfg.refreshing != nil {
				cfg.refreshing(run.SegmentIDs, opts)
			}
			results, err := segment.NewRefresher(d).Refresh(ctx, run.SegmentIDs, opts)
			if err != nil {
				return nil, err
			}
			for _, res := range results {
				Count(ctx, res.Added+res.Removed, 0)
			}
			cfg.Logger.InfoContext(ctx, "refresh run done", "run", id, "segments", len(run.SegmentIDs), "full", run.Full, "took", time.Since(now).Round(time.Millisecond))
			return func(ctx context.Context, tx bun.Tx) error {
				_, err := tx.NewUpdate().Model((*Run)(nil)).Set("segments_done = segments_total").Where("id = ?", id).Exec(ctx)
				return err
			}, nil
		},
	})
}
