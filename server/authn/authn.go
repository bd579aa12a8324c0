package authn

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"github.com/alexedwards/scs/postgresstore"
	"github.com/alexedwards/scs/v2"
	"github.com/go-chi/httprate"

	"github.com/segments/segments/server/auth"
	"github.com/segments/segments/server/db"
	"github.com/segments/segments/server/ratelimit"
)

// Accounts is what the Gate asks of the users and tokens; *account.Service
// implements it. Each method answers apperr.Unknown (UNAUTHENTICATED) for
// credentials that do not, or no longer, name a principal.
type Accounts interface {
	// Authenticate checks an email and password (sign-in).
	Authenticate(ctx context.Context, email, password string) (*auth.Principal, error)
	// UserPrincipal is a signed-in user as they are now; it fails when the
	// user was disabled or changed after signedInAt.
	UserPrincipal(ctx context.Context, userID int64, signedInAt time.Time) (*auth.Principal, error)
	// TokenPrincipal is the holder of an API token's secret.
	TokenPrincipal(ctx context.Context, secret string) (*auth.Principal, error)
}

// Session lifetimes: a session ends after IdleTimeout without a request,
// and AbsoluteTimeout after sign-in whatever happens.
const (
	IdleTimeout     = 2 * time.Hour
	AbsoluteTimeout = 12 * time.Hour
	// CookieName is the session cookie.
	CookieName = "segments_session"
)

// Sign-in limits: attempts per account (the email asked for, known or
// not) and per client address, in any minute.
const (
	SignInsPerEmail   = 5
	SignInsPerAddress = 20
)

// DefaultTokenRate is TOKEN_RATE's default: requests per second per API
// token; a token may burst to twice as many.
const DefaultTokenRate = 20

// Config is what the Gate needs.
type Config struct {
	Accounts Accounts
	// DB holds the sessions table and the audit log, and names the
	// websites a signed-in user sees.
	DB *db.DB
	// PublicURL is where browsers reach the app: its origin is allowed, and
	// an https URL makes the cookie Secure.
	PublicURL string
	// Origins are CORS_ORIGINS: other browser origins allowed to call the
	// API with the cookie. "*" is not an origin and allows nothing here.
	Origins []string
	// TrustedProxies are the peers whose X-Forwarded-For is believed.
	TrustedProxies []netip.Prefix
	// TokenRate is the requests per second one API token may make (bursts
	// of twice as many); 0 turns the limit off.
	TokenRate int
	Logger    *slog.Logger
	// Now is the clock (tests move it); nil is time.Now.
	Now func() time.Time
}

// Gate authenticates requests; see the package comment.
type Gate struct {
	accounts Accounts
	db       *db.DB
	store    *postgresstore.PostgresStore
	sessions *scs.SessionManager
	origins  map[string]bool
	proxies  []netip.Prefix
	perEmail *httprate.RateLimiter
	perAddr  *httprate.RateLimiter
	tokens   *ratelimit.Keyed[int64]
	log      *slog.Logger
	now      func() time.Time
}

// New returns a Gate. Close it to stop the expired-session sweep.
func New(cfg Config) (*Gate, error) {
	if cfg.Accounts == nil || cfg.DB == nil {
		return nil, fmt.Errorf("authn: Accounts and DB are required")
	}
	pub, err := url.Parse(cfg.PublicURL)
	if err != nil || pub.Host == "" {
		return nil, fmt.Errorf("authn: public URL %q is not an absolute URL", cfg.PublicURL)
	}
	g := &Gate{
		accounts: cfg.Accounts,
		db:       cfg.DB,
		origins:  map[string]bool{},
		proxies:  cfg.TrustedProxies,
		log:      cfg.Logger,
		now:      cfg.Now,
		tokens:   tokenLimits(cfg.TokenRate),
	}
	if g.now == nil {
		g.now = time.Now
	}
	if g.log == nil {
		g.log = slog.Default()
	}
	for _, o := range append([]string{cfg.PublicURL}, cfg.Origins...) {
		if n, ok := origin(o); ok {
			g.origins[n] = true
		}
	}
	// Only Retry-After: the X-RateLimit headers would tell anyone how many
	// attempts an email has had.
	headers := httprate.WithResponseHeaders(httprate.ResponseHeaders{RetryAfter: "Retry-After"})
	g.perEmail = httprate.NewRateLimiter(SignInsPerEmail, time.Minute, headers)
	g.perAddr = httprate.NewRateLimiter(SignInsPerAddress, time.Minute, headers)

	// Expired rows are swept every 5 minutes (each instance sweeps; the
	// DELETE is idempotent).
	g.store = postgresstore.NewWithConfig(cfg.DB.SQL(), postgresstore.Config{CleanUpInterval: 5 * time.Minute, TableName: "sessions"})
	sm := scs.New()
	sm.Store = g.store
	// The store keeps a hash of the session token, so a read of the
	// sessions table hands out no cookie.
	sm.HashTokenInStore = true
	// scs's own IdleTimeout would rewrite the session row on every
	// request. Instead IdleTimeout stays 0, so scs writes a session only
	// when it changed, and the session's deadline (the expiry scs stores
	// and the store's lookups honour) is the idle deadline: the Gate moves
	// it to now+IdleTimeout, capped at sign-in+AbsoluteTimeout, when it has
	// moved by at least touchEvery (see touch). Lifetime only bounds a
	// session scs creates before the Gate sets its deadline.
	sm.IdleTimeout = 0
	sm.Lifetime = AbsoluteTimeout
	sm.Cookie = scs.SessionCookie{
		Name:     CookieName,
		HttpOnly: true,
		Path:     "/",
		SameSite: http.SameSiteLaxMode,
		Secure:   pub.Scheme == "https",
		// The cookie's Max-Age follows the session's deadline, so the
		// browser drops it when the server does.
		Persist: true,
	}
	g.sessions = sm
	return g, nil
}

// Close stops the expired-session sweep.
func (g *Gate) Close() { g.store.StopCleanup() }

// origin is the normalised origin (scheme://host[:port], lower case,
// without a default port) of an absolute URL or Origin header.
func origin(s string) (string, bool) {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", false
	}
	host := strings.ToLower(u.Host)
	if p := u.Port(); (u.Scheme == "http" && p == "80") || (u.Scheme == "https" && p == "443") {
		host = strings.ToLower(u.Hostname())
		if strings.Contains(host, ":") {
			host = "[" + host + "]"
		}
	}
	return strings.ToLower(u.Scheme) + "://" + host, true
}
