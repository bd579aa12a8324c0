package main

import (
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/segments/segments/graph"
	"github.com/segments/segments/server/audit"
	"github.com/segments/segments/server/authn"
	"github.com/segments/segments/server/db"
	"github.com/segments/segments/server/export"
	"github.com/segments/segments/server/job"
	"github.com/segments/segments/server/logging"
)

// config is every setting, from flags with environment defaults. A setting
// has one flag and one environment variable; the flag wins. A bad value,
// from either, stops the command with a message that names the variable
// (and flag) and says what it accepts.
type config struct {
	DatabaseURL  string
	Addr         string
	PublicURL    string
	DataDir      string
	CORSOrigins  string
	AllowedHosts string
	TimeZone     string
	// StoreLocale is the BCP 47 tag whose ICU collation orders text
	// (STORE_LOCALE), canonical after check.
	StoreLocale  string
	BaseCurrency string
	LogLevel     string
	// RefreshInterval is the schedule of the refresh of every active
	// segment; 0 turns it off.
	RefreshInterval time.Duration
	// RefreshWait is how long refreshSegmentData waits for its run.
	RefreshWait time.Duration
	// RefreshStatementTimeout bounds each statement of a refresh.
	RefreshStatementTimeout time.Duration
	// RefreshOnChange makes an import or a deletion of customers queue an
	// incremental refresh of every active segment with its change
	// (REFRESH_ON_CHANGE).
	RefreshOnChange bool
	Workers         int

	SigningKey string
	// SigningKeyPrevious is the key SIGNING_KEY replaced: links and
	// cursors signed with it keep working for their lifetime.
	SigningKeyPrevious string
	ExportStorageURL   string
	ExportLinkTTL      time.Duration
	ExportRetention    time.Duration
	ExportWait         time.Duration

	// AuditRetention is how long audit events are kept.
	AuditRetention time.Duration
	// TrustedProxies are the peers whose X-Forwarded-For gives the client
	// address (comma-separated IPs and CIDR ranges).
	TrustedProxies string
	// TokenRate is the requests per second one API token may make.
	TokenRate int
	// RequestTimeout bounds one GraphQL request's work; RequestConns the
	// pool connections it holds at once.
	RequestTimeout time.Duration
	RequestConns   int
	// RequestConcurrency is how many GraphQL requests run at once (0: no
	// limit).
	RequestConcurrency int

	// LogFormat is text or json.
	LogFormat string
	// MetricsAddr is the metrics listener's host:port; "" or "off" for
	// none.
	MetricsAddr string
	// SlowRequest is the duration past which a request is logged as slow
	// (0: never).
	SlowRequest time.Duration
	// ShutdownDelay is how long serve keeps answering, with /readyz at
	// 503, after SIGTERM; ShutdownTimeout how long it then waits for
	// requests in flight.
	ShutdownDelay   time.Duration
	ShutdownTimeout time.Duration

	// DatabaseReadURL is a streaming replica of DatabaseURL for the
	// report's reads (DATABASE_READ_URL); empty: none.
	DatabaseReadURL string

	// defaultPublicURL says PUBLIC_URL was not set (check fills it in).
	defaultPublicURL bool

	// env reads the environment: os.LookupEnv, or a map in tests.
	env func(string) (string, bool)
	// envErrs are the environment values that did not parse, by flag name;
	// check reports those the command line did not override.
	envErrs map[string]error
	// vars maps each flag name to its environment variable.
	vars map[string]string
}

// setting names one setting for messages: "WORKERS (-workers)".
func (c *config) setting(flagName string) string {
	return fmt.Sprintf("%s (-%s)", c.vars[flagName], flagName)
}

// str reads a text setting; an empty variable counts as unset.
func (c *config) str(fs *flag.FlagSet, p *string, flagName, envName, def, usage string) {
	c.vars[flagName] = envName
	if v, ok := c.env(envName); ok && v != "" {
		def = v
	}
	fs.StringVar(p, flagName, def, usage+" (env "+envName+")")
}

// fromEnv returns the environment's value of a setting parsed by parse, or
// def when the variable is unset or empty. A value that does not parse is
// kept for check to report, saying what the variable accepts.
func fromEnv[T any](c *config, flagName, envName string, def T, parse func(string) (T, error), accepts string) T {
	c.vars[flagName] = envName
	v, ok := c.env(envName)
	if !ok || v == "" {
		return def
	}
	x, err := parse(strings.TrimSpace(v))
	if err != nil {
		c.envErrs[flagName] = fmt.Errorf("%s %q is not %s", envName, v, accepts)
		return def
	}
	return x
}

// duration reads a duration setting such as 90s, 30m or 24h.
func (c *config) duration(fs *flag.FlagSet, p *time.Duration, flagName, envName string, def time.Duration, usage string) {
	def = fromEnv(c, flagName, envName, def, time.ParseDuration, "a duration: use a number with a unit, such as 90s, 30m or 24h")
	fs.DurationVar(p, flagName, def, usage+" (env "+envName+")")
}

// days reads a long duration setting: whole days such as 400d, or a
// duration such as 9600h.
func (c *config) days(fs *flag.FlagSet, p *time.Duration, flagName, envName string, def time.Duration, usage string) {
	def = fromEnv(c, flagName, envName, def, parseDays, "a number of days such as 400d, or a duration such as 9600h")
	fs.Func(flagName, usage+" (env "+envName+"; default "+formatDays(def)+")", func(v string) error {
		d, err := parseDays(v)
		if err != nil {
			return errors.New("use a number of days such as 400d, or a duration such as 9600h")
		}
		*p = d
		return nil
	})
	*p = def
}

func formatDays(d time.Duration) string {
	if d%(24*time.Hour) == 0 {
		return strconv.Itoa(int(d/(24*time.Hour))) + "d"
	}
	return d.String()
}

// boolean reads an on/off setting: true or false (also 1 or 0).
func (c *config) boolean(fs *flag.FlagSet, p *bool, flagName, envName string, def bool, usage string) {
	def = fromEnv(c, flagName, envName, def, strconv.ParseBool, "true or false")
	fs.BoolVar(p, flagName, def, usage+" (env "+envName+")")
}

// integer reads a whole-number setting.
func (c *config) integer(fs *flag.FlagSet, p *int, flagName, envName string, def int, usage string) {
	def = fromEnv(c, flagName, envName, def, strconv.Atoi, "a whole number such as 4")
	fs.IntVar(p, flagName, def, usage+" (env "+envName+")")
}

// configFlags declares every setting on fs, with defaults from the
// environment that env reads.
func configFlags(fs *flag.FlagSet, env func(string) (string, bool)) *config {
	c := &config{env: env, envErrs: map[string]error{}, vars: map[string]string{}}
	c.str(fs, &c.DatabaseURL, "database-url", "DATABASE_URL", "", "PostgreSQL URL; empty starts a private PostgreSQL under -data-dir")
	c.str(fs, &c.DatabaseReadURL, "database-read-url", "DATABASE_READ_URL", "", "PostgreSQL URL of a streaming replica of DATABASE_URL for the report's reads (segments grid, drill-down pages, counts), used when it has replayed the latest change; empty: every read on DATABASE_URL")
	c.str(fs, &c.Addr, "addr", "ADDR", "127.0.0.1:8080", "listen address, host:port")
	c.str(fs, &c.PublicURL, "public-url", "PUBLIC_URL", "", "absolute URL clients reach the server at; default http://ADDR")
	c.str(fs, &c.DataDir, "data-dir", "DATA_DIR", ".data", "folder for the private PostgreSQL and local files")
	c.str(fs, &c.CORSOrigins, "cors-origins", "CORS_ORIGINS", "", "comma-separated browser origins (scheme://host[:port]) allowed to call /graphql from other sites, with credentials; empty: none")
	c.str(fs, &c.AllowedHosts, "allowed-hosts", "ALLOWED_HOSTS", "", "comma-separated host names (host or host:port) the server answers to besides PUBLIC_URL's host; others get 421")
	c.str(fs, &c.TimeZone, "store-timezone", "STORE_TIMEZONE", "UTC", "IANA time zone of the store, for day-based rules and display")
	c.str(fs, &c.StoreLocale, "store-locale", "STORE_LOCALE", db.DefaultStoreLocale, "BCP 47 language tag, such as sv-SE, whose alphabetical order every text sort and export follows (serve and migrate rebuild the sort indexes when it changes); und: Unicode's default order")
	c.str(fs, &c.BaseCurrency, "base-currency", "BASE_CURRENCY", "EUR", "ISO 4217 code of the currency order totals are in")
	c.str(fs, &c.LogLevel, "log-level", "LOG_LEVEL", "info", "debug, info, warn or error")
	c.duration(fs, &c.RefreshInterval, "refresh-interval", "REFRESH_INTERVAL", 24*time.Hour, "how often every active segment is refreshed, on one instance; 0 turns it off")
	c.duration(fs, &c.RefreshWait, "refresh-wait", "REFRESH_WAIT", 3*time.Second, "how long refreshSegmentData waits for a refresh to finish before answering")
	c.boolean(fs, &c.RefreshOnChange, "refresh-on-change", "REFRESH_ON_CHANGE", false, "queue an incremental refresh of every active segment with each customers or orders import and each deletion of customers that changes anything (deduplicated: while one is queued, later changes share it)")
	c.duration(fs, &c.RefreshStatementTimeout, "refresh-statement-timeout", "REFRESH_STATEMENT_TIMEOUT", job.DefaultRefreshStatementTimeout, "longest one statement of a refresh may run (PostgreSQL statement_timeout); a segment whose rule takes longer keeps its old members and the run fails naming it")
	c.integer(fs, &c.Workers, "workers", "WORKERS", 2, "background jobs this instance works at once")
	c.str(fs, &c.SigningKey, "signing-key", "SIGNING_KEY", "", "key (32+ characters) signing download links; default: one generated once and kept in the database")
	c.str(fs, &c.ExportStorageURL, "export-storage", "EXPORT_STORAGE_URL", "", "gocloud.dev bucket URL for export files; default: DATA_DIR/exports")
	c.duration(fs, &c.ExportLinkTTL, "export-link-ttl", "EXPORT_LINK_TTL", time.Hour, "how long a download link works")
	c.duration(fs, &c.ExportRetention, "export-retention", "EXPORT_RETENTION", 24*time.Hour, "how long export files are kept; never shorter than the link")
	c.duration(fs, &c.ExportWait, "export-wait", "EXPORT_WAIT", 3*time.Second, "how long exportSegmentCustomers waits for the file before answering")
	c.days(fs, &c.AuditRetention, "audit-retention", "AUDIT_RETENTION", audit.DefaultRetention, "how long audit events are kept, such as 400d or 9600h; older ones are deleted hourly")
	c.str(fs, &c.TrustedProxies, "trusted-proxies", "TRUSTED_PROXIES", "", "comma-separated IPs and CIDR ranges of reverse proxies whose X-Forwarded-For names the client; default none")
	c.integer(fs, &c.TokenRate, "token-rate", "TOKEN_RATE", authn.DefaultTokenRate, "requests per second one API token may make, in bursts of up to twice as many; 0 turns the limit off")
	c.duration(fs, &c.RequestTimeout, "request-statement-timeout", "REQUEST_STATEMENT_TIMEOUT", graph.DefaultRequestTimeout, "how long one GraphQL request's database work may take; its running statements are then cancelled")
	c.integer(fs, &c.RequestConns, "request-connections", "REQUEST_CONNECTIONS", graph.DefaultRequestConns, "how many pool connections one GraphQL request may hold at once")
	c.str(fs, &c.LogFormat, "log-format", "LOG_FORMAT", "text", "log lines as text (key=value) or json (one object per line)")
	c.metricsAddr(fs)
	c.duration(fs, &c.SlowRequest, "slow-request", "SLOW_REQUEST", time.Second, "requests taking longer are logged as slow (WARN); 0 turns it off")
	c.duration(fs, &c.ShutdownDelay, "shutdown-delay", "SHUTDOWN_DELAY", 0, "after SIGTERM, how long to keep serving with /readyz at 503 so load balancers stop sending requests (a few seconds, such as 5s, behind one)")
	c.duration(fs, &c.ShutdownTimeout, "shutdown-timeout", "SHUTDOWN_TIMEOUT", 10*time.Second, "after SIGTERM and SHUTDOWN_DELAY, how long requests in flight may take to finish before their connections are closed")
	c.str(fs, &c.SigningKeyPrevious, "signing-key-previous", "SIGNING_KEY_PREVIOUS", "", "the signing key SIGNING_KEY replaced: download links and page cursors signed with it keep working until they expire; new ones use SIGNING_KEY")
	c.integer(fs, &c.RequestConcurrency, "request-concurrency", "REQUEST_CONCURRENCY", graph.DefaultRequestConcurrency(), "how many GraphQL requests run at once, the others waiting their turn (at most 250 ms) in arrival order; 0 for no limit")
	return c
}

// check reports every bad setting at once, each naming its variable and
// flag and what it accepts, then fills in derived defaults. fs is the parsed
// flag set: a setting given on the command line overrides a bad variable.
func (c *config) check(fs *flag.FlagSet) error {
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	var errs []error
	fail := func(flagName, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s %s", c.setting(flagName), fmt.Sprintf(format, args...)))
	}
	fs.VisitAll(func(f *flag.Flag) { // in flag order, so messages come out stable
		if err := c.envErrs[f.Name]; err != nil && !set[f.Name] {
			errs = append(errs, err)
		}
	})
	if c.DatabaseURL != "" {
		if _, err := pgconn.ParseConfig(c.DatabaseURL); err != nil {
			fail("database-url", "is not a PostgreSQL URL such as postgres://user:password@localhost:5432/segments (or leave it empty for the private PostgreSQL)")
		}
	}
	if c.DatabaseReadURL != "" {
		if _, err := pgconn.ParseConfig(c.DatabaseReadURL); err != nil {
			fail("database-read-url", "is not a PostgreSQL URL such as postgres://user:password@replica:5432/segments (or leave it empty to read from DATABASE_URL)")
		} else if c.DatabaseURL == "" {
			fail("database-read-url", "needs DATABASE_URL: a read replica replicates a PostgreSQL server of your own, not the private one")
		}
	}
	if _, port, err := net.SplitHostPort(c.Addr); err != nil || !validPort(port) {
		fail("addr", "%q is not a listen address: use host:port, such as 127.0.0.1:8080 or :8080", c.Addr)
	}
	if c.PublicURL != "" {
		if u, err := url.Parse(c.PublicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			fail("public-url", "%q is not an absolute http(s) URL such as https://segments.example.com", c.PublicURL)
		}
	}
	if c.DataDir == "" {
		fail("data-dir", "is empty: name a folder, such as .data")
	}
	for _, o := range c.origins() {
		if o == "*" || strings.Contains(o, "*") {
			fail("cors-origins", "has %q: list each origin allowed to call the API, such as https://app.example.com; a wildcard would let any web page use a signed-in browser's session", o)
		} else if u, err := url.Parse(o); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") {
			fail("cors-origins", "has %q, which is not an origin: list scheme://host[:port] values separated by commas, such as https://app.example.com", o)
		}
	}
	for _, h := range list(c.AllowedHosts) {
		if u, err := url.Parse("http://" + h); err != nil || u.Host != h || u.Hostname() == "" || strings.ContainsAny(h, "*/") {
			fail("allowed-hosts", "has %q, which is not a host name: list host or host:port values separated by commas, such as segments.internal,10.0.0.5:8080", h)
		}
	}
	if c.RequestTimeout <= 0 {
		fail("request-statement-timeout", "is %s: use a positive duration such as 15s", c.RequestTimeout)
	} else if w := max(c.RefreshWait, c.ExportWait); w >= c.RequestTimeout {
		fail("request-statement-timeout", "is %s, not longer than REFRESH_WAIT or EXPORT_WAIT (%s), which a mutation spends within it: make it longer, or the waits shorter", c.RequestTimeout, w)
	}
	if c.RequestConcurrency < 0 {
		fail("request-concurrency", "is %d: use 0 (no limit) or a whole number such as %d", c.RequestConcurrency, graph.DefaultRequestConcurrency())
	}
	if c.RequestConns < 1 {
		fail("request-connections", "is %d: use a whole number of at least 1, such as 4", c.RequestConns)
	}
	if _, err := time.LoadLocation(c.TimeZone); err != nil || c.TimeZone == "Local" || c.TimeZone == "" {
		fail("store-timezone", "%q is not an IANA time zone such as Europe/Stockholm or UTC", c.TimeZone)
	}
	if l, err := db.ParseStoreLocale(c.StoreLocale); err != nil {
		fail("store-locale", "%q is not a BCP 47 language tag such as sv-SE, de-DE, en-US or und (Unicode's default order)", c.StoreLocale)
	} else {
		c.StoreLocale = l
	}
	if len(c.BaseCurrency) != 3 || strings.ToUpper(c.BaseCurrency) != c.BaseCurrency || strings.ToLower(c.BaseCurrency) == c.BaseCurrency {
		fail("base-currency", "%q is not an ISO 4217 code such as EUR or SEK", c.BaseCurrency)
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.LogLevel)); err != nil {
		fail("log-level", "%q is not a log level: use debug, info, warn or error", c.LogLevel)
	}
	if c.RefreshInterval < 0 {
		fail("refresh-interval", "is %s: use a positive duration such as 24h, or 0 to turn the schedule off", c.RefreshInterval)
	}
	if c.RefreshWait < 0 {
		fail("refresh-wait", "is %s: use 0 or a positive duration such as 3s", c.RefreshWait)
	}
	if c.RefreshStatementTimeout < time.Second {
		fail("refresh-statement-timeout", "is %s: use a duration of at least 1s, such as 10m", c.RefreshStatementTimeout)
	}
	if c.Workers < 1 {
		fail("workers", "is %d: use a whole number of at least 1, such as 2", c.Workers)
	}
	if c.SigningKeyPrevious != "" && len(c.SigningKeyPrevious) < export.MinKeyLen {
		fail("signing-key-previous", "is %d characters long: use the whole previous SIGNING_KEY (at least %d characters), or leave it empty", len(c.SigningKeyPrevious), export.MinKeyLen)
	} else if c.SigningKeyPrevious != "" && c.SigningKeyPrevious == c.SigningKey {
		fail("signing-key-previous", "is the same as SIGNING_KEY: set it to the key SIGNING_KEY replaced, or leave it empty")
	}
	if c.SigningKey != "" && len(c.SigningKey) < export.MinKeyLen {
		fail("signing-key", "is %d characters long: use at least %d (such as the output of `openssl rand -hex 32`), or leave it empty for a key kept in the database", len(c.SigningKey), export.MinKeyLen)
	}
	if c.ExportStorageURL != "" {
		if u, err := url.Parse(c.ExportStorageURL); err != nil || u.Scheme == "" {
			fail("export-storage", "%q is not a bucket URL such as s3://bucket?region=eu-north-1 or file:///var/lib/segments/exports", c.ExportStorageURL)
		}
	}
	if c.ExportLinkTTL <= 0 {
		fail("export-link-ttl", "is %s: use a positive duration such as 1h", c.ExportLinkTTL)
	} else if c.ExportRetention < c.ExportLinkTTL {
		fail("export-retention", "is %s: use a duration at least as long as EXPORT_LINK_TTL (%s), such as 24h", c.ExportRetention, c.ExportLinkTTL)
	}
	if c.ExportWait < 0 {
		fail("export-wait", "is %s: use 0 or a positive duration such as 3s", c.ExportWait)
	}
	if c.AuditRetention < 24*time.Hour {
		fail("audit-retention", "is %s: keep audit events at least a day, such as 400d", formatDays(c.AuditRetention))
	}
	if _, err := authn.ParseProxies(c.TrustedProxies); err != nil {
		fail("trusted-proxies", "has a bad entry: %s; list IP addresses and CIDR ranges separated by commas, such as 10.0.0.0/8, 192.168.1.4", err)
	}
	if c.TokenRate < 0 {
		fail("token-rate", "is %d: use requests per second such as 20, or 0 to turn the limit off", c.TokenRate)
	}
	if !slices.Contains(logging.Formats, strings.ToLower(c.LogFormat)) {
		fail("log-format", "%q is not a log format: use text or json", c.LogFormat)
	}
	if a := c.metricsListen(); a != "" {
		if _, port, err := net.SplitHostPort(a); err != nil || !validPort(port) {
			fail("metrics-addr", "%q is not a listen address: use host:port, such as 127.0.0.1:9090, or off", a)
		} else if a == c.Addr {
			fail("metrics-addr", "is the same as ADDR (%s): metrics get a listener of their own, never the public one; use another port, such as 127.0.0.1:9090", c.Addr)
		}
	}
	if c.SlowRequest < 0 {
		fail("slow-request", "is %s: use a positive duration such as 1s, or 0 to log no request as slow", c.SlowRequest)
	}
	if c.ShutdownDelay < 0 {
		fail("shutdown-delay", "is %s: use 0 or a positive duration such as 5s", c.ShutdownDelay)
	}
	if c.ShutdownTimeout <= 0 {
		fail("shutdown-timeout", "is %s: use a positive duration such as 10s", c.ShutdownTimeout)
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	c.defaultPublicURL = c.PublicURL == ""
	if c.PublicURL == "" {
		c.PublicURL = "http://" + c.Addr
	}
	c.PublicURL = strings.TrimRight(c.PublicURL, "/")
	return nil
}

// hosts returns the Host header values the server answers to: PUBLIC_URL's
// host, or without PUBLIC_URL the listen address's port on this machine's
// own names, and ALLOWED_HOSTS.
func (c *config) hosts() []string {
	out := list(c.AllowedHosts)
	if !c.defaultPublicURL {
		if u, err := url.Parse(c.PublicURL); err == nil {
			return append(out, u.Host)
		}
	}
	host, port, _ := net.SplitHostPort(c.Addr)
	out = append(out, net.JoinHostPort("localhost", port), net.JoinHostPort("127.0.0.1", port), net.JoinHostPort("::1", port))
	if ip := net.ParseIP(host); host != "" && (ip == nil || !ip.IsUnspecified()) && !slices.Contains(out, net.JoinHostPort(host, port)) {
		out = append(out, net.JoinHostPort(host, port))
	}
	return out
}

// https says clients reach the server over https.
func (c *config) https() bool {
	return strings.HasPrefix(strings.ToLower(c.PublicURL), "https://")
}

func validPort(p string) bool {
	n, err := strconv.Atoi(p)
	return err == nil && n >= 0 && n <= 65535
}

func (c *config) origins() []string { return list(c.CORSOrigins) }

// list splits a comma-separated setting, dropping blanks.
func list(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// proxies is TRUSTED_PROXIES, parsed (check has vetted it).
func (c *config) proxies() []netip.Prefix {
	p, _ := authn.ParseProxies(c.TrustedProxies)
	return p
}

// metricsAddr declares METRICS_ADDR, which unlike other settings may be
// set empty on purpose: empty, like "off", turns the metrics listener off.
func (c *config) metricsAddr(fs *flag.FlagSet) {
	c.vars["metrics-addr"] = "METRICS_ADDR"
	def := "127.0.0.1:9090"
	if v, ok := c.env("METRICS_ADDR"); ok {
		def = strings.TrimSpace(v)
	}
	fs.StringVar(&c.MetricsAddr, "metrics-addr", def, "listen address, host:port, of the Prometheus /metrics endpoint, apart from ADDR; empty or off turns it off (env METRICS_ADDR)")
}

// metricsListen is the metrics listener's address, "" for none.
func (c *config) metricsListen() string {
	if strings.EqualFold(c.MetricsAddr, "off") {
		return ""
	}
	return c.MetricsAddr
}

func (c *config) logLevel() slog.Level {
	var l slog.Level
	if err := l.UnmarshalText([]byte(c.LogLevel)); err != nil {
		return slog.LevelInfo
	}
	return l
}

// listen opens the listening socket for serve. A taken port is the usual
// trouble, so it gets its own message naming the setting to change.
func (c *config) listen() (net.Listener, error) {
	return c.listenOn(c.Addr, "addr", "127.0.0.1:8081")
}

// listenMetrics opens the metrics listener, nil when it is off.
func (c *config) listenMetrics() (net.Listener, error) {
	if c.metricsListen() == "" {
		return nil, nil
	}
	return c.listenOn(c.metricsListen(), "metrics-addr", "127.0.0.1:9091")
}

func (c *config) listenOn(addr, flagName, example string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	switch {
	case errors.Is(err, syscall.EADDRINUSE):
		return nil, fmt.Errorf("cannot listen on %s: the address is already in use (another server, or another segments, is listening there); stop it or choose a free address with %s, such as %s", addr, c.setting(flagName), example)
	case err != nil:
		return nil, fmt.Errorf("cannot listen on %s (set by %s): %w", addr, c.setting(flagName), err)
	}
	return ln, nil
}
