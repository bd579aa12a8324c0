package graph

import (
	"time"

	"github.com/segments/segments/server/account"
	"github.com/segments/segments/server/catalog"
	"github.com/segments/segments/server/customer"
	"github.com/segments/segments/server/db"
	"github.com/segments/segments/server/export"
	"github.com/segments/segments/server/metric"
	"github.com/segments/segments/server/segment"
	"github.com/segments/segments/server/trace"
)

// Resolver holds the resolvers' dependencies; it has no state of its own.
type Resolver struct {
	DB        *db.DB
	Segments  *segment.Store
	Customers *customer.Lister
	// Catalog keeps the websites and customer groups in memory; nil reads
	// them once per request.
	Catalog *catalog.Cache
	Manager *segment.Manager
	// RefreshWait is how long refreshSegmentData waits for its run to
	// finish before answering with the run still going.
	RefreshWait time.Duration
	Exports     *export.Service
	Signer      *export.Signer
	// PublicURL is where clients reach the server; download links start with it.
	PublicURL string
	// LinkTTL is how long a download link works (never past the file's retention).
	LinkTTL time.Duration
	// ExportWait is how long exportSegmentCustomers waits for its file.
	ExportWait time.Duration
	// TimeZone is the store's IANA time zone (STORE_TIMEZONE).
	TimeZone string
	// BaseCurrency is the ISO 4217 code order totals are in.
	BaseCurrency string
	// StoreLocale is the locale text sorts follow (STORE_LOCALE, as serve
	// applied it to the database); "" means db.DefaultStoreLocale.
	StoreLocale string
	// RequestTimeout is how long one request's work may take; its running
	// statements are then cancelled (REQUEST_STATEMENT_TIMEOUT). 0 means
	// DefaultRequestTimeout.
	RequestTimeout time.Duration
	// RequestConns is how many pool connections one request may hold at
	// once (REQUEST_CONNECTIONS). 0 means DefaultRequestConns.
	RequestConns int
	// RequestConcurrency is how many requests run at once, the others
	// waiting their turn (REQUEST_CONCURRENCY, see inTurn). 0 means
	// DefaultRequestConcurrency; below 0, no limit.
	RequestConcurrency int
	// Auth manages users and API tokens (the admin fields and
	// changePassword); it checks the acting principal itself.
	Auth *account.Service
	// Metrics, when set, counts every operation by name, outcome and code.
	Metrics *metric.Metrics
	// Traces, when on, gives every operation a span (package trace).
	Traces *trace.Provider
}

// The defaults of a request's database budget.
const (
	DefaultRequestTimeout = 15 * time.Second
	DefaultRequestConns   = 4
)

// catalog is Catalog, or one that keeps nothing.
func (r *Resolver) catalog() *catalog.Cache {
	if r.Catalog == nil {
		return catalog.NewCache(r.DB, nil)
	}
	return r.Catalog
}

// storeLocale is StoreLocale, or the default when unset.
func (r *Resolver) storeLocale() string {
	if r.StoreLocale == "" {
		return db.DefaultStoreLocale
	}
	return r.StoreLocale
}
