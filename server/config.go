package main

import (
	"flag"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"
)

// config is every setting, from flags with environment defaults.
type config struct {
	DatabaseURL  string
	Addr         string
	PublicURL    string
	DataDir      string
	CORSOrigins  string
	TimeZone     string
	BaseCurrency string
	LogLevel     string
	// RefreshInterval is the schedule of the refresh of every active
	// segment; 0 turns it off.
	RefreshInterval time.Duration
	// RefreshWait is how long refreshSegmentData waits for its run.
	RefreshWait time.Duration
	Workers     int

	SigningKey       string
	ExportStorageURL string
	ExportLinkTTL    time.Duration
	ExportRetention  time.Duration
	ExportWait       time.Duration
}

func getenv(name, def string) string {
	if v, ok := os.LookupEnv(name); ok && v != "" {
		return v
	}
	return def
}

// getenvDuration and getenvInt read a default from the environment; a bad
// value is left for flag parsing to report, so it names the setting.
func getenvDuration(name string, def time.Duration) time.Duration {
	if d, err := time.ParseDuration(os.Getenv(name)); err == nil {
		return d
	}
	return def
}

func getenvInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil {
		return n
	}
	return def
}

func configFlags(fs *flag.FlagSet) *config {
	c := &config{}
	fs.StringVar(&c.DatabaseURL, "database-url", getenv("DATABASE_URL", ""), "PostgreSQL URL (env DATABASE_URL); empty starts a private PostgreSQL under -data-dir")
	fs.StringVar(&c.Addr, "addr", getenv("ADDR", "127.0.0.1:8080"), "listen address (env ADDR)")
	fs.StringVar(&c.PublicURL, "public-url", getenv("PUBLIC_URL", ""), "absolute URL clients reach the server at (env PUBLIC_URL); default http://ADDR")
	fs.StringVar(&c.DataDir, "data-dir", getenv("DATA_DIR", ".data"), "folder for the private PostgreSQL and local files (env DATA_DIR)")
	fs.StringVar(&c.CORSOrigins, "cors-origins", getenv("CORS_ORIGINS", ""), "comma-separated browser origins allowed to call /graphql (env CORS_ORIGINS)")
	fs.StringVar(&c.TimeZone, "store-timezone", getenv("STORE_TIMEZONE", "UTC"), "IANA time zone of the store, for day-based rules and display (env STORE_TIMEZONE)")
	fs.StringVar(&c.BaseCurrency, "base-currency", getenv("BASE_CURRENCY", "EUR"), "ISO 4217 code of the currency order totals are in (env BASE_CURRENCY)")
	fs.StringVar(&c.LogLevel, "log-level", getenv("LOG_LEVEL", "info"), "debug, info, warn or error (env LOG_LEVEL)")
	fs.DurationVar(&c.RefreshInterval, "refresh-interval", getenvDuration("REFRESH_INTERVAL", 24*time.Hour), "how often every active segment is refreshed, on one instance (env REFRESH_INTERVAL); 0 turns it off")
	fs.DurationVar(&c.RefreshWait, "refresh-wait", getenvDuration("REFRESH_WAIT", 3*time.Second), "how long refreshSegmentData waits for a refresh to finish before answering (env REFRESH_WAIT)")
	fs.IntVar(&c.Workers, "workers", getenvInt("WORKERS", 2), "background jobs this instance works at once (env WORKERS)")
	fs.StringVar(&c.SigningKey, "signing-key", getenv("SIGNING_KEY", ""), "key (32+ characters) signing download links (env SIGNING_KEY); default: one generated once and kept in the database")
	fs.StringVar(&c.ExportStorageURL, "export-storage", getenv("EXPORT_STORAGE_URL", ""), "gocloud.dev bucket URL for export files (env EXPORT_STORAGE_URL); default: DATA_DIR/exports")
	fs.DurationVar(&c.ExportLinkTTL, "export-link-ttl", getenvDuration("EXPORT_LINK_TTL", time.Hour), "how long a download link works (env EXPORT_LINK_TTL)")
	fs.DurationVar(&c.ExportRetention, "export-retention", getenvDuration("EXPORT_RETENTION", 24*time.Hour), "how long export files are kept; never shorter than the link (env EXPORT_RETENTION)")
	fs.DurationVar(&c.ExportWait, "export-wait", getenvDuration("EXPORT_WAIT", 3*time.Second), "how long exportSegmentCustomers waits for the file before answering (env EXPORT_WAIT)")
	return c
}

func (c *config) check() error {
	if _, err := time.LoadLocation(c.TimeZone); err != nil || c.TimeZone == "Local" {
		return fmt.Errorf("STORE_TIMEZONE %q is not an IANA time zone such as Europe/Stockholm", c.TimeZone)
	}
	if len(c.BaseCurrency) != 3 || strings.ToUpper(c.BaseCurrency) != c.BaseCurrency {
		return fmt.Errorf("BASE_CURRENCY %q is not an ISO 4217 code such as EUR or SEK", c.BaseCurrency)
	}
	if v := os.Getenv("REFRESH_INTERVAL"); v != "" {
		if _, err := time.ParseDuration(v); err != nil {
			return fmt.Errorf("REFRESH_INTERVAL %q is not a duration such as 24h or 30m", v)
		}
	}
	if v := os.Getenv("REFRESH_WAIT"); v != "" {
		if _, err := time.ParseDuration(v); err != nil {
			return fmt.Errorf("REFRESH_WAIT %q is not a duration such as 3s", v)
		}
	}
	for name, v := range map[string]string{"EXPORT_LINK_TTL": "1h", "EXPORT_RETENTION": "24h", "EXPORT_WAIT": "3s"} {
		if e := os.Getenv(name); e != "" {
			if _, err := time.ParseDuration(e); err != nil {
				return fmt.Errorf("%s %q is not a duration such as %s", name, e, v)
			}
		}
	}
	if c.ExportLinkTTL <= 0 || c.ExportRetention < c.ExportLinkTTL || c.ExportWait < 0 {
		return fmt.Errorf("export-link-ttl must be positive and export-retention (%s) at least as long as the link (%s)", c.ExportRetention, c.ExportLinkTTL)
	}
	if c.RefreshInterval < 0 || c.RefreshWait < 0 || c.Workers < 1 {
		return fmt.Errorf("refresh-interval and refresh-wait must not be negative, workers at least 1")
	}
	if c.PublicURL == "" {
		c.PublicURL = "http://" + c.Addr
	}
	c.PublicURL = strings.TrimRight(c.PublicURL, "/")
	return nil
}

func (c *config) origins() []string {
	var out []string
	for _, o := range strings.Split(c.CORSOrigins, ",") {
		if o = strings.TrimSpace(o); o != "" {
			out = append(out, o)
		}
	}
	return out
}

func (c *config) logLevel() slog.Level {
	var l slog.Level
	if err := l.UnmarshalText([]byte(c.LogLevel)); err != nil {
		return slog.LevelInfo
	}
	return l
}
