package main

import (
	"context"
	"flag"
	"io"
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// parseConfig reads settings from env and the command line args, as run
// does, and checks them.
func parseConfig(env map[string]string, args ...string) (*config, error) {
	fs := flag.NewFlagSet("segments", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	cfg := configFlags(fs, func(name string) (string, bool) {
		v, ok := env[name]
		return v, ok
	})
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	return cfg, cfg.check(fs)
}

func TestBadEnvironmentValuesStopTheCommandNamingTheVariable(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, value string
		says        string
	}{
		{"WORKERS", "abc", `WORKERS "abc" is not a whole number`},
		{"WORKERS", "0", "WORKERS (-workers) is 0: use a whole number of at least 1"},
		{"REFRESH_INTERVAL", "daily", `REFRESH_INTERVAL "daily" is not a duration: use a number with a unit, such as 90s, 30m or 24h`},
		{"REFRESH_INTERVAL", "-1h", "REFRESH_INTERVAL (-refresh-interval) is -1h0m0s: use a positive duration"},
		{"REFRESH_WAIT", "3", `REFRESH_WAIT "3" is not a duration`},
		{"REFRESH_ON_CHANGE", "yes", `REFRESH_ON_CHANGE "yes" is not true or false`},
		{"REFRESH_WAIT", "-3s", "REFRESH_WAIT (-refresh-wait) is -3s"},
		{"REFRESH_STATEMENT_TIMEOUT", "100ms", "REFRESH_STATEMENT_TIMEOUT (-refresh-statement-timeout) is 100ms: use a duration of at least 1s"},
		{"REFRESH_STATEMENT_TIMEOUT", "10", `REFRESH_STATEMENT_TIMEOUT "10" is not a duration`},
		{"EXPORT_LINK_TTL", "0s", "EXPORT_LINK_TTL (-export-link-ttl) is 0s: use a positive duration"},
		{"EXPORT_RETENTION", "30m", "EXPORT_RETENTION (-export-retention) is 30m0s: use a duration at least as long as EXPORT_LINK_TTL (1h0m0s)"},
		{"EXPORT_WAIT", "soon", `EXPORT_WAIT "soon" is not a duration`},
		{"AUDIT_RETENTION", "a year", `AUDIT_RETENTION "a year" is not a number of days such as 400d, or a duration such as 9600h`},
		{"AUDIT_RETENTION", "2h", "AUDIT_RETENTION (-audit-retention) is 2h0m0s: keep audit events at least a day, such as 400d"},
		{"LOG_LEVEL", "loud", `LOG_LEVEL (-log-level) "loud" is not a log level: use debug, info, warn or error`},
		{"LOG_FORMAT", "xml", `LOG_FORMAT (-log-format) "xml" is not a log format: use text or json`},
		{"METRICS_ADDR", "9090", `METRICS_ADDR (-metrics-addr) "9090" is not a listen address: use host:port, such as 127.0.0.1:9090, or off`},
		{"METRICS_ADDR", "127.0.0.1:8080", "METRICS_ADDR (-metrics-addr) is the same as ADDR (127.0.0.1:8080): metrics get a listener of their own"},
		{"SLOW_REQUEST", "-1s", "SLOW_REQUEST (-slow-request) is -1s: use a positive duration such as 1s, or 0"},
		{"SLOW_REQUEST", "fast", `SLOW_REQUEST "fast" is not a duration`},
		{"SHUTDOWN_DELAY", "-5s", "SHUTDOWN_DELAY (-shutdown-delay) is -5s"},
		{"SHUTDOWN_TIMEOUT", "0s", "SHUTDOWN_TIMEOUT (-shutdown-timeout) is 0s: use a positive duration"},
		{"SIGNING_KEY_PREVIOUS", "short", "SIGNING_KEY_PREVIOUS (-signing-key-previous) is 5 characters long: use the whole previous SIGNING_KEY"},
		{"STORE_TIMEZONE", "Mars/Olympus", `STORE_TIMEZONE (-store-timezone) "Mars/Olympus" is not an IANA time zone`},
		{"STORE_TIMEZONE", "Local", `STORE_TIMEZONE (-store-timezone) "Local" is not an IANA time zone`},
		{"BASE_CURRENCY", "euro", `BASE_CURRENCY (-base-currency) "euro" is not an ISO 4217 code`},
		{"STORE_LOCALE", "Swedish", `STORE_LOCALE (-store-locale) "Swedish" is not a BCP 47 language tag such as sv-SE`},
		{"STORE_LOCALE", "xx-SE", `STORE_LOCALE (-store-locale) "xx-SE" is not a BCP 47 language tag`},
		{"ADDR", "8080", `ADDR (-addr) "8080" is not a listen address: use host:port`},
		{"ADDR", "localhost:http-alt", `ADDR (-addr) "localhost:http-alt" is not a listen address`},
		{"PUBLIC_URL", "segments.example.com", `PUBLIC_URL (-public-url) "segments.example.com" is not an absolute http(s) URL`},
		{"CORS_ORIGINS", "https://a.example, b.example", `CORS_ORIGINS (-cors-origins) has "b.example", which is not an origin`},
		{"CORS_ORIGINS", "*", `CORS_ORIGINS (-cors-origins) has "*": list each origin`},
		{"CORS_ORIGINS", "https://*.example.com", `CORS_ORIGINS (-cors-origins) has "https://*.example.com": list each origin`},
		{"ALLOWED_HOSTS", "https://a.example", `ALLOWED_HOSTS (-allowed-hosts) has "https://a.example", which is not a host name`},
		{"REQUEST_STATEMENT_TIMEOUT", "0s", "REQUEST_STATEMENT_TIMEOUT (-request-statement-timeout) is 0s: use a positive duration"},
		{"REQUEST_STATEMENT_TIMEOUT", "2s", "REQUEST_STATEMENT_TIMEOUT (-request-statement-timeout) is 2s, not longer than REFRESH_WAIT or EXPORT_WAIT (3s)"},
		{"REQUEST_CONNECTIONS", "0", "REQUEST_CONNECTIONS (-request-connections) is 0: use a whole number of at least 1"},
		{"SIGNING_KEY", "short", "SIGNING_KEY (-signing-key) is 5 characters long: use at least 32"},
		{"EXPORT_STORAGE_URL", "bucket", `EXPORT_STORAGE_URL (-export-storage) "bucket" is not a bucket URL`},
		{"DATABASE_URL", "postgres://host:notaport/db", "DATABASE_URL (-database-url) is not a PostgreSQL URL"},
		{"DATABASE_READ_URL", "postgres://host:notaport/db", "DATABASE_READ_URL (-database-read-url) is not a PostgreSQL URL"},
		{"DATABASE_READ_URL", "postgres://replica/segments", "DATABASE_READ_URL (-database-read-url) needs DATABASE_URL"},
		{"TRUSTED_PROXIES", "10.0.0.0/8, proxy.local", `TRUSTED_PROXIES (-trusted-proxies) has a bad entry: "proxy.local" is not an IP address or CIDR range; list`},
		{"TOKEN_RATE", "-1", "TOKEN_RATE (-token-rate) is -1: use requests per second such as 20, or 0"},
		{"TOKEN_RATE", "fast", `TOKEN_RATE "fast" is not a whole number`},
	} {
		t.Run(tc.name+"="+tc.value, func(t *testing.T) {
			t.Parallel()
			_, err := parseConfig(map[string]string{tc.name: tc.value})
			require.Error(t, err)
			require.Contains(t, err.Error(), tc.says)
		})
	}
}

func TestEveryBadSettingIsReportedAtOnce(t *testing.T) {
	t.Parallel()
	_, err := parseConfig(map[string]string{"WORKERS": "abc", "EXPORT_WAIT": "soon", "LOG_LEVEL": "loud"})
	require.ErrorContains(t, err, "WORKERS")
	require.ErrorContains(t, err, "EXPORT_WAIT")
	require.ErrorContains(t, err, "LOG_LEVEL")
}

func TestGoodEnvironmentValuesAreUsedAndFlagsWin(t *testing.T) {
	t.Parallel()
	env := map[string]string{"WORKERS": " 4 ", "REFRESH_INTERVAL": "30m", "ADDR": ":9090", "CORS_ORIGINS": "https://a.example, http://localhost:5173", "LOG_LEVEL": "debug", "BASE_CURRENCY": "SEK"}
	cfg, err := parseConfig(env)
	require.NoError(t, err)
	require.Equal(t, 4, cfg.Workers)
	require.Equal(t, 30*time.Minute, cfg.RefreshInterval)
	require.Equal(t, "http://:9090", cfg.PublicURL)
	require.Equal(t, []string{"https://a.example", "http://localhost:5173"}, cfg.origins())
	require.Empty(t, cfg.proxies())
	require.Equal(t, 20, cfg.TokenRate)
	require.Equal(t, "und", cfg.StoreLocale, "the default: Unicode's order")
	require.False(t, cfg.RefreshOnChange, "off by default")

	cfg, err = parseConfig(map[string]string{"REFRESH_ON_CHANGE": "true"})
	require.NoError(t, err)
	require.True(t, cfg.RefreshOnChange)
	cfg, err = parseConfig(map[string]string{"REFRESH_ON_CHANGE": "true"}, "-refresh-on-change=false")
	require.NoError(t, err)
	require.False(t, cfg.RefreshOnChange, "the flag wins")

	// STORE_LOCALE is kept in canonical form.
	cfg, err = parseConfig(map[string]string{"STORE_LOCALE": "sv_se"})
	require.NoError(t, err)
	require.Equal(t, "sv-SE", cfg.StoreLocale)

	cfg, err = parseConfig(map[string]string{"TRUSTED_PROXIES": "10.0.0.0/8, 192.168.1.4", "TOKEN_RATE": "0"})
	require.NoError(t, err)
	require.Equal(t, []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("192.168.1.4/32")}, cfg.proxies())
	require.Equal(t, 0, cfg.TokenRate)

	// A flag overrides a bad variable: the command runs with the flag's value.
	cfg, err = parseConfig(map[string]string{"WORKERS": "abc"}, "-workers", "3")
	require.NoError(t, err)
	require.Equal(t, 3, cfg.Workers)

	// An empty variable counts as unset.
	cfg, err = parseConfig(map[string]string{"WORKERS": "", "EXPORT_WAIT": ""})
	require.NoError(t, err)
	require.Equal(t, 2, cfg.Workers)
	require.Equal(t, 3*time.Second, cfg.ExportWait)
	require.Equal(t, 10*time.Minute, cfg.RefreshStatementTimeout)
	cfg, err = parseConfig(map[string]string{"REFRESH_STATEMENT_TIMEOUT": "90s"})
	require.NoError(t, err)
	require.Equal(t, 90*time.Second, cfg.RefreshStatementTimeout)
}

// TestHostsFollowPublicURL: the Host check allows PUBLIC_URL's host and
// ALLOWED_HOSTS; without PUBLIC_URL, this machine's names on the port.
func TestHostsFollowPublicURL(t *testing.T) {
	t.Parallel()
	cfg, err := parseConfig(map[string]string{"PUBLIC_URL": "https://segments.example.com/", "ALLOWED_HOSTS": "segments.internal, 10.0.0.5:8080"})
	require.NoError(t, err)
	require.Equal(t, []string{"segments.internal", "10.0.0.5:8080", "segments.example.com"}, cfg.hosts())
	require.True(t, cfg.https())

	cfg, err = parseConfig(map[string]string{"ADDR": "0.0.0.0:9090"})
	require.NoError(t, err)
	require.Equal(t, []string{"localhost:9090", "127.0.0.1:9090", "[::1]:9090"}, cfg.hosts())
	require.False(t, cfg.https())

	cfg, err = parseConfig(map[string]string{"ADDR": "192.168.1.4:8080"})
	require.NoError(t, err)
	require.Contains(t, cfg.hosts(), "192.168.1.4:8080")
	require.Equal(t, 15*time.Second, cfg.RequestTimeout)
	require.Equal(t, 4, cfg.RequestConns)
}

func TestAuditRetentionTakesDays(t *testing.T) {
	t.Parallel()
	cfg, err := parseConfig(map[string]string{})
	require.NoError(t, err)
	require.Equal(t, 400*24*time.Hour, cfg.AuditRetention, "audit events are kept 400 days by default")

	cfg, err = parseConfig(map[string]string{"AUDIT_RETENTION": "730d"})
	require.NoError(t, err)
	require.Equal(t, 730*24*time.Hour, cfg.AuditRetention)
	cfg, err = parseConfig(map[string]string{"AUDIT_RETENTION": "730d"}, "-audit-retention", "2160h")
	require.NoError(t, err)
	require.Equal(t, 90*24*time.Hour, cfg.AuditRetention)
}

func TestServeOnATakenPortSaysSoAndNamesADDR(t *testing.T) {
	t.Parallel()
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { _ = taken.Close() })
	err = run(context.Background(), []string{"serve", "-addr", taken.Addr().String()})
	require.ErrorContains(t, err, "cannot listen on "+taken.Addr().String()+": the address is already in use")
	require.ErrorContains(t, err, "ADDR (-addr)")
}

// TestObservabilitySettings: the defaults, and METRICS_ADDR turned off by
// "off" or by an empty value (which other settings read as unset).
func TestObservabilitySettings(t *testing.T) {
	t.Parallel()
	cfg, err := parseConfig(nil)
	require.NoError(t, err)
	require.Equal(t, "127.0.0.1:9090", cfg.metricsListen())
	require.Equal(t, "text", cfg.LogFormat)
	require.Equal(t, time.Second, cfg.SlowRequest)
	require.Zero(t, cfg.ShutdownDelay)
	require.Equal(t, 10*time.Second, cfg.ShutdownTimeout)
	for _, off := range []string{"", "off", "OFF"} {
		cfg, err := parseConfig(map[string]string{"METRICS_ADDR": off})
		require.NoError(t, err, off)
		require.Empty(t, cfg.metricsListen(), off)
		ln, err := cfg.listenMetrics()
		require.NoError(t, err)
		require.Nil(t, ln)
	}
	cfg, err = parseConfig(map[string]string{"METRICS_ADDR": "0.0.0.0:9100", "LOG_FORMAT": "json"}, "-metrics-addr", "off")
	require.NoError(t, err)
	require.Empty(t, cfg.metricsListen(), "the flag wins")
	require.Equal(t, "json", cfg.LogFormat)

	key := "0123456789abcdef0123456789abcdef"
	_, err = parseConfig(map[string]string{"SIGNING_KEY": key, "SIGNING_KEY_PREVIOUS": key})
	require.ErrorContains(t, err, "SIGNING_KEY_PREVIOUS (-signing-key-previous) is the same as SIGNING_KEY")
	cfg, err = parseConfig(map[string]string{"SIGNING_KEY_PREVIOUS": key})
	require.NoError(t, err, "moving from a configured key to the one kept in the database")
	require.Equal(t, key, cfg.SigningKeyPrevious)
}
