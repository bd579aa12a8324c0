package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"net/http"
	"strconv"
	"time"

	"github.com/segments/segments/frontend"
	"github.com/segments/segments/graph"
	"github.com/segments/segments/server/customer"
	"github.com/segments/segments/server/segment"
	"github.com/segments/segments/server/store"
	"github.com/segments/segments/server/web"
)

// commandFlags adds each command's own flags; the returned func runs after
// parsing.
var commandFlags = map[string]func(fs *flag.FlagSet) func(){
	"seed": func(fs *flag.FlagSet) func() {
		fs.IntVar(&seedOpts.Customers, "customers", 10_000, "number of customers to generate")
		fs.IntVar(&seedOpts.Orders, "orders", 50_000, "number of orders to generate")
		fs.Int64Var(&seedOpts.Seed, "seed", 1, "random seed: the same seed gives the same store")
		fs.BoolVar(&seedIfEmpty, "if-empty", false, "do nothing when the store already has customers (for make run)")
		return nil
	},
}

var (
	seedOpts    store.SeedOptions
	seedIfEmpty bool
)

func serve(ctx context.Context, e *env, args []string) error {
	if len(args) > 0 {
		return fmt.Errorf("serve takes no arguments, got %q", args)
	}
	d, err := e.database(ctx)
	if err != nil {
		return err
	}
	resolver := &graph.Resolver{
		DB:           d,
		Segments:     segment.NewStore(d),
		Customers:    customer.NewLister(d),
		TimeZone:     e.cfg.TimeZone,
		BaseCurrency: e.cfg.BaseCurrency,
	}
	dist, err := fs.Sub(frontend.Dist, "dist")
	if err != nil {
		return err
	}
	srv := &http.Server{
		Addr: e.cfg.Addr,
		Handler: web.Handler(web.Config{
			GraphQL:     graph.NewHandler(resolver, e.log),
			SPA:         dist,
			Ping:        d.Pool.Ping,
			CORSOrigins: e.cfg.origins(),
			Logger:      e.log,
		}),
		ReadHeaderTimeout: 10 * time.Second,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	e.log.Info("serving", "url", e.cfg.PublicURL, "graphiql", e.cfg.PublicURL+"/graphiql")
	select {
	case err := <-errc:
		return fmt.Errorf("listen on %s: %w", e.cfg.Addr, err)
	case <-ctx.Done():
	}
	e.log.Info("shutting down")
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func migrateCmd(ctx context.Context, e *env, args []string) error {
	if _, err := e.database(ctx); err != nil {
		return err
	}
	e.log.Info("database is up to date")
	return nil
}

func seed(ctx context.Context, e *env, args []string) error {
	d, err := e.database(ctx)
	if err != nil {
		return err
	}
	if seedIfEmpty {
		var any bool
		if err := d.Pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM customers)`).Scan(&any); err != nil {
			return err
		}
		if any {
			e.log.Info("store has data; not seeding")
			return nil
		}
	}
	loc, _ := time.LoadLocation(e.cfg.TimeZone)
	seedOpts.Location = loc
	seedOpts.Now = time.Now()
	start := time.Now()
	res, err := store.Seed(ctx, d, seedOpts)
	if err != nil {
		return err
	}
	e.log.Info("seeded", "customers", seedOpts.Customers, "orders", seedOpts.Orders, "took", time.Since(start).Round(time.Millisecond))
	_ = res
	return refreshSegments(ctx, e, nil)
}

func refresh(ctx context.Context, e *env, args []string) error {
	var ids []int64
	for _, a := range args {
		id, err := strconv.ParseInt(a, 10, 64)
		if err != nil || id < 1 {
			return fmt.Errorf("%q is not a segment id", a)
		}
		ids = append(ids, id)
	}
	return refreshSegments(ctx, e, ids)
}

// refreshSegments refreshes the given segments, or every active one.
func refreshSegments(ctx context.Context, e *env, ids []int64) error {
	d, err := e.database(ctx)
	if err != nil {
		return err
	}
	if len(ids) == 0 {
		if err := d.Pool.QueryRow(ctx, `SELECT COALESCE(array_agg(id ORDER BY id), '{}') FROM segments WHERE is_active`).Scan(&ids); err != nil {
			return err
		}
	} else if ids, err = segment.CheckIDs(ctx, d, ids); err != nil {
		return err
	}
	start := time.Now()
	results, err := segment.NewRefresher(d.Pool).Refresh(ctx, ids, segment.RefreshOptions{Now: time.Now(), TimeZone: e.cfg.TimeZone})
	if err != nil {
		return err
	}
	for _, r := range results {
		e.log.Info("refreshed segment", "id", r.SegmentID, "customers", r.CustomerCount, "added", r.Added, "removed", r.Removed, "took", r.Duration.Round(time.Millisecond))
	}
	e.log.Info("refresh done", "segments", len(results), "took", time.Since(start).Round(time.Millisecond))
	return nil
}
