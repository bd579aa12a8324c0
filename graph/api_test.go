package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/stretchr/testify/require"

	"github.com/segments/segments/graph"
	"github.com/segments/segments/server/account"
	"github.com/segments/segments/server/auth"
	"github.com/segments/segments/server/authn"
	"github.com/segments/segments/server/catalog"
	"github.com/segments/segments/server/change/changetest"
	"github.com/segments/segments/server/customer"
	"github.com/segments/segments/server/db"
	"github.com/segments/segments/server/db/dbtest"
	"github.com/segments/segments/server/export"
	"github.com/segments/segments/server/job"
	"github.com/segments/segments/server/seed"
	"github.com/segments/segments/server/segment"
	"github.com/segments/segments/server/trace"
	"github.com/segments/segments/server/web"
)

// api is a real server over a seeded, refreshed database.
type api struct {
	t    *testing.T
	url  string
	db   *db.DB
	segs []int64
	// queries counts the statements run on the database.
	queries  *queryCounter
	resolver *graph.Resolver
	// token is an admin API token every request sends.
	token string
}

// queryCounter counts the SQL statements a pool runs. With a gate set, it
// holds the statements the gate matches until the gate opens (see
// TestOneRequestTakesOnlyItsShareOfThePool).
type queryCounter struct {
	n    atomic.Int64
	gate atomic.Pointer[gate]
}

func (c *queryCounter) TraceQueryStart(ctx context.Context, _ *pgx.Conn, data pgx.TraceQueryStartData) context.Context {
	c.n.Add(1)
	if g := c.gate.Load(); g != nil && g.match(data.SQL) {
		g.hold()
		return context.WithValue(ctx, gateKey{}, g)
	}
	return ctx
}

func (c *queryCounter) TraceQueryEnd(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryEndData) {
	if g, ok := ctx.Value(gateKey{}).(*gate); ok {
		g.running.Add(-1)
	}
}

func newAPI(t *testing.T) *api {
	t.Helper()
	return newTracedAPI(t, nil)
}

// newTracedAPI is newAPI with traces on when traces is not nil, wired as
// serve wires them.
func newTracedAPI(t *testing.T, traces *trace.Provider) *api {
	t.Helper()
	ctx := context.Background()
	url := dbtest.URL(t)
	cfg, err := pgxpool.ParseConfig(url)
	require.NoError(t, err)
	cfg.MaxConns = 20 // as db.Open's pool
	counter := &queryCounter{}
	cfg.ConnConfig.Tracer = counter
	traces.ConfigurePool(cfg)
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	require.NoError(t, err)
	d := db.FromPool(pool)
	t.Cleanup(d.Close)
	now := time.Now()
	res, err := seed.Run(ctx, d, seed.Options{Customers: 300, Orders: 1200, Seed: 3, Now: now, Location: time.UTC})
	require.NoError(t, err)
	_, err = segment.NewRefresher(d).Refresh(ctx, res.SegmentIDs, segment.RefreshOptions{Now: time.Now(), TimeZone: "Europe/Stockholm"})
	require.NoError(t, err)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	// The job client polls on a pool of its own, so the statement counts
	// below see only what requests run.
	jobPool, err := pgxpool.New(ctx, url)
	require.NoError(t, err)
	jobDB := db.FromPool(jobPool)
	t.Cleanup(jobDB.Close)
	bucket, err := export.OpenBucket(ctx, "", t.TempDir())
	require.NoError(t, err)
	stockholm, _ := time.LoadLocation("Europe/Stockholm")
	exports := &export.Service{DB: d, Customers: customer.NewLister(d), Bucket: bucket, Location: stockholm, Retention: 24 * time.Hour}
	key, err := export.SigningKey(ctx, d, "")
	require.NoError(t, err)
	signer := export.NewSigner(key)
	jobs, err := job.NewClient(jobDB, job.Config{TimeZone: "Europe/Stockholm", Logger: log, Kinds: exports.Kinds(), Middleware: traces.JobMiddleware()})
	require.NoError(t, err)
	require.NoError(t, jobs.Start(ctx))
	t.Cleanup(func() { _ = jobs.Stop(context.Background()) })
	// As serve wires them: the catalogs and tokens kept in memory, emptied
	// by change notifications.
	changes := changetest.Listen(t, d)
	catalogs := catalog.NewCache(d, changes)
	accounts := account.NewService(d).CacheTokens(changes)
	r := &graph.Resolver{DB: d, Segments: segment.NewStore(d).WithCatalog(catalogs), Customers: customer.NewLister(d).WithCatalog(catalogs), Catalog: catalogs,
		Manager: segment.NewManager(d, job.EnqueueRefresh), RefreshWait: 20 * time.Second,
		Exports: exports, Signer: signer, LinkTTL: time.Hour, ExportWait: 20 * time.Second,
		TimeZone: "Europe/Stockholm", BaseCurrency: "SEK", RequestTimeout: time.Minute, Auth: accounts, Traces: traces}
	_, secret, err := accounts.CreateToken(auth.AsSystem(ctx), account.NewToken{Name: "tests", Role: auth.Admin})
	require.NoError(t, err)
	gate, err := authn.New(authn.Config{Accounts: accounts, DB: d, PublicURL: "http://127.0.0.1", Logger: log})
	require.NoError(t, err)
	t.Cleanup(gate.Close)
	srv := httptest.NewServer(traces.Handler(web.Handler(web.Config{
		Auth:      gate,
		GraphQL:   graph.NewHandler(r, log),
		SPA:       fstest.MapFS{"index.html": {Data: []byte("<html>app</html>")}},
		Ping:      d.Pool.Ping,
		Downloads: export.DownloadHandler(signer, bucket, export.Files(d), nil),
		Logger:    log,
	})))
	t.Cleanup(srv.Close)
	r.PublicURL = srv.URL
	a := &api{t: t, url: srv.URL, db: d, segs: res.SegmentIDs, queries: counter, resolver: r, token: secret}
	// The token's first use records it (written at most once a minute), so
	// statement counts below see only what each request runs.
	a.ok(`{ __typename }`, nil, nil)
	return a
}

// withToken returns a client of the same server whose requests send a new
// API token made as nt, and the token's id.
func (a *api) withToken(t *testing.T, nt account.NewToken) (*api, int64) {
	t.Helper()
	tok, secret, err := account.NewService(a.db).CreateToken(auth.AsSystem(context.Background()), nt)
	require.NoError(t, err)
	c := *a
	c.t, c.token = t, secret
	return &c, tok.ID
}

// fewestStatements runs fn three times and returns the fewest statements one
// run took. The count covers the whole database handle, so background work
// (a token's once-a-minute last-use write, job polling) can add one to a
// run; a statement per row would show in every run.
func (a *api) fewestStatements(fn func()) int64 {
	fewest := a.statements(fn)
	for range 2 {
		fewest = min(fewest, a.statements(fn))
	}
	return fewest
}

// statements returns how many SQL statements fn ran.
func (a *api) statements(fn func()) int64 {
	before := a.queries.n.Load()
	fn()
	return a.queries.n.Load() - before
}

type gqlError struct {
	Message    string         `json:"message"`
	Extensions map[string]any `json:"extensions"`
}

// do posts a query and decodes data into out; it returns the errors.
func (a *api) do(query string, vars map[string]any, out any) []gqlError {
	a.t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, err := http.NewRequest(http.MethodPost, a.url+"/graphql", bytes.NewReader(body))
	require.NoError(a.t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+a.token)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(a.t, err)
	defer resp.Body.Close()
	require.Less(a.t, resp.StatusCode, 500, "errors are the client's or are masked, never a 500")
	var r struct {
		Data   json.RawMessage `json:"data"`
		Errors []gqlError      `json:"errors"`
	}
	require.NoError(a.t, json.NewDecoder(resp.Body).Decode(&r))
	if out != nil && len(r.Data) > 0 && string(r.Data) != "null" {
		require.NoError(a.t, json.Unmarshal(r.Data, out))
	}
	return r.Errors
}

func (a *api) ok(query string, vars map[string]any, out any) {
	a.t.Helper()
	errs := a.do(query, vars, out)
	require.Empty(a.t, errs)
}

func (a *api) fails(query string, vars map[string]any, code string) gqlError {
	a.t.Helper()
	errs := a.do(query, vars, nil)
	require.NotEmpty(a.t, errs, "want a %s error", code)
	require.Equal(a.t, code, errs[0].Extensions["code"], errs[0].Message)
	return errs[0]
}

func TestSegmentsGridPagesAndCounts(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	const q = `query($first: Int, $after: String, $order: SegmentOrder) {
		segments(first: $first, after: $after, orderBy: $order) {
			totalCount
			pageInfo { hasNextPage hasPreviousPage endCursor }
			nodes { id name status customerCount membershipStale refreshedAt websites { code name } }
		}
	}`
	type seg struct {
		ID              string
		Name            string
		Status          string
		CustomerCount   int
		MembershipStale bool
		RefreshedAt     *time.Time
		Websites        []struct{ Code, Name string }
	}
	var got []seg
	var after *string
	for {
		var r struct {
			Segments struct {
				TotalCount int
				PageInfo   struct {
					HasNextPage, HasPreviousPage bool
					EndCursor                    *string
				}
				Nodes []seg
			}
		}
		a.ok(q, map[string]any{"first": 5, "after": after, "order": map[string]any{"field": "CUSTOMER_COUNT", "direction": "DESC"}}, &r)
		require.Equal(t, len(a.segs), r.Segments.TotalCount)
		require.Equal(t, after != nil, r.Segments.PageInfo.HasPreviousPage)
		got = append(got, r.Segments.Nodes...)
		if !r.Segments.PageInfo.HasNextPage {
			break
		}
		after = r.Segments.PageInfo.EndCursor
	}
	require.Len(t, got, len(a.segs))
	for i, s := range got {
		if i > 0 {
			require.GreaterOrEqual(t, got[i-1].CustomerCount, s.CustomerCount, "sorted by customer count, descending")
		}
		require.NotEmpty(t, s.Websites, "segment %s lists its websites", s.ID)
		require.False(t, s.MembershipStale, "just refreshed")
		require.NotNil(t, s.RefreshedAt)
		require.Contains(t, []string{"ACTIVE", "INACTIVE"}, s.Status)
	}
	var sum int
	require.NoError(t, a.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM segment_customers WHERE segment_id = $1`, got[0].ID).Scan(&sum))
	require.Equal(t, sum, got[0].CustomerCount, "customerCount is the refreshed membership")
}

func TestDrillDownReturnsTheReportColumns(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	var r struct {
		SegmentCustomers struct {
			TotalCount int
			Edges      []struct {
				Cursor string
				Node   struct {
					ID, Name, FirstName, LastName, Email string
					Group                                struct{ Name string }
					Phone, Zip, Region                   *string
					Country                              *struct{ Code, Name string }
					Website                              struct{ Code string }
					CustomerSince                        string
				}
			}
		}
	}
	a.ok(`query($ids: [ID!]!) { segmentCustomers(segmentIds: $ids, mode: UNION, first: 200, orderBy: {field: NAME}) {
		totalCount edges { cursor node { id name firstName lastName email group { name } phone zip region
		country { code name } website { code } customerSince } } } }`, map[string]any{"ids": ids(a.segs)}, &r)
	require.NotEmpty(t, r.SegmentCustomers.Edges)
	var members int
	require.NoError(t, a.db.Pool.QueryRow(context.Background(),
		`SELECT count(DISTINCT customer_id) FROM segment_customers`).Scan(&members))
	require.Equal(t, members, r.SegmentCustomers.TotalCount)
	for _, e := range r.SegmentCustomers.Edges {
		n := e.Node
		require.Equal(t, n.FirstName+" "+n.LastName, n.Name)
		require.NotEmpty(t, n.Group.Name)
		require.NotEmpty(t, n.Website.Code)
		if n.Country != nil {
			require.Len(t, n.Country.Code, 2)
			require.NotEqual(t, n.Country.Code, n.Country.Name, "country by name")
		}
		ts, err := time.Parse(time.RFC3339Nano, n.CustomerSince)
		require.NoError(t, err)
		require.Equal(t, time.UTC, ts.Location(), "times are returned in UTC")
		require.NotEmpty(t, e.Cursor)
	}
}

func TestSegmentReadsBackItsRule(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	var r struct {
		Segment struct {
			Name       string
			Conditions struct {
				Match      string
				Expect     bool
				Conditions []map[string]any
			}
			RefreshHistory []struct {
				CustomerCount, Added, Removed, DurationMs int
				FinishedAt                                time.Time
			}
			Customers struct{ TotalCount int }
		}
	}
	a.ok(`query($id: ID!) { segment(id: $id) { name
		conditions { match expect conditions { __typename
			... on CustomerCondition { field operator values }
			... on OrderCondition { measure operator values withinDays statuses }
			... on ConditionGroup { match expect } } }
		refreshHistory(last: 5) { customerCount added removed durationMs finishedAt }
		customers(first: 1) { totalCount } } }`, map[string]any{"id": a.segs[0]}, &r)
	require.NotEmpty(t, r.Segment.Name)
	require.Contains(t, []string{"ALL", "ANY"}, r.Segment.Conditions.Match)
	require.NotEmpty(t, r.Segment.Conditions.Conditions)
	require.Len(t, r.Segment.RefreshHistory, 1)
	h := r.Segment.RefreshHistory[0]
	require.Equal(t, h.CustomerCount, h.Added, "the first refresh adds every member")
	require.Equal(t, r.Segment.Customers.TotalCount, h.CustomerCount)

	var none struct{ Segment *struct{ ID string } }
	a.ok(`{ segment(id: "999999") { id } }`, nil, &none)
	require.Nil(t, none.Segment, "an unknown segment is null")
}

func TestNoQueryPerRow(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	// The same query for 10 and for 200 rows runs the same statements: a
	// page's groups and websites come from the kept catalogs, and the page
	// (its segment check, rows and hasPreviousPage) is one statement.
	drill := func(n int) func() {
		return func() {
			var r struct {
				SegmentCustomers struct{ Nodes []struct{ ID string } }
			}
			a.ok(`query($ids: [ID!]!, $n: Int) { segmentCustomers(segmentIds: $ids, first: $n) {
				nodes { id group { name } website { name } country { name } } } }`, map[string]any{"ids": ids(a.segs), "n": n}, &r)
			require.Len(t, r.SegmentCustomers.Nodes, n)
		}
	}
	small, large := a.fewestStatements(drill(10)), a.fewestStatements(drill(200))
	require.Equal(t, small, large, "statements for 10 rows vs 200 rows")
	require.Equal(t, int64(1), large)

	grid := func(n int) func() {
		return func() {
			a.ok(`query($n: Int) { segments(first: $n) { nodes { id websites { name } } } }`, map[string]any{"n": n}, nil)
		}
	}
	require.Equal(t, int64(1), a.fewestStatements(grid(2)), "segments grid statements")
	require.Equal(t, int64(1), a.fewestStatements(grid(len(a.segs))), "segments grid statements")
}

func TestStoreCatalogs(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	var r struct {
		Websites       []struct{ ID, Code, Name string }
		CustomerGroups []struct{ ID, Code, Name string }
		Store          struct{ TimeZone, BaseCurrency, Locale string }
	}
	a.ok(`{ websites { id code name } customerGroups { id code name } store { timeZone baseCurrency locale } }`, nil, &r)
	require.Len(t, r.Websites, 3)
	require.Len(t, r.CustomerGroups, 4)
	require.Equal(t, "Europe/Stockholm", r.Store.TimeZone)
	require.Equal(t, "SEK", r.Store.BaseCurrency)
	require.Equal(t, "und", r.Store.Locale, "without STORE_LOCALE: Unicode's order")
}

func TestErrorsCarryCodesAndActionableMessages(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	list := `query($ids: [ID!]!, $first: Int, $last: Int, $after: String) {
		segmentCustomers(segmentIds: $ids, first: $first, last: $last, after: $after) { nodes { id } } }`
	e := a.fails(list, map[string]any{"ids": []string{"999999"}}, "NOT_FOUND")
	require.Contains(t, e.Message, "999999")
	a.fails(list, map[string]any{"ids": []string{}}, "BAD_USER_INPUT")
	e = a.fails(list, map[string]any{"ids": []string{"abc"}}, "BAD_USER_INPUT")
	require.Contains(t, e.Message, "abc")
	a.fails(list, map[string]any{"ids": ids(a.segs[:1]), "first": 2, "last": 2}, "BAD_USER_INPUT")
	a.fails(list, map[string]any{"ids": ids(a.segs[:1]), "first": 201}, "BAD_USER_INPUT")
	a.fails(list, map[string]any{"ids": ids(a.segs[:1]), "after": "bogus"}, "BAD_USER_INPUT")
	a.fails(`{ segments(first: 200) { nodes { customers(first: 200) { nodes { id name email } } } } }`, nil, "BAD_USER_INPUT")
	a.fails(`{ segments { nodes { nope } } }`, nil, "BAD_USER_INPUT")
	a.fails(`query($id: ID!) { segment(id: $id) { refreshHistory(last: 0) { added } } }`, map[string]any{"id": a.segs[0]}, "BAD_USER_INPUT")
}

func TestHealthAndDeepLinks(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	resp, err := http.Get(a.url + "/healthz")
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)

	resp, err = http.Get(a.url + "/segments/3,5/customers?mode=intersection")
	require.NoError(t, err)
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Contains(t, string(b), "app", "a client route reloads into the app")

	resp, err = http.Get(a.url + "/assets/missing.js")
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusNotFound, resp.StatusCode, "a missing file is not the app")
}

func ids(v []int64) []string {
	out := make([]string, len(v))
	for i, id := range v {
		out[i] = json.Number(itoa(id)).String()
	}
	return out
}

func itoa(v int64) string { b, _ := json.Marshal(v); return string(b) }
