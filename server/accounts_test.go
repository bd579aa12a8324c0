package main

import (
	"bytes"
	"context"
	"log/slog"
	"maps"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/segments/segments/server/account"
	"github.com/segments/segments/server/auth"
	"github.com/segments/segments/server/catalog"
	"github.com/segments/segments/server/db"
	"github.com/segments/segments/server/db/dbtest"
)

// cli runs segments commands against one fresh database that has the
// websites "eu" and "us".
type cli struct {
	t   *testing.T
	url string
	d   *db.DB
	// env adds to (or overrides) the commands' environment.
	env map[string]string
}

func newCLI(t *testing.T) *cli {
	url := dbtest.URL(t)
	d, err := db.Open(context.Background(), url)
	require.NoError(t, err)
	t.Cleanup(d.Close)
	_, err = catalog.CreateWebsites(context.Background(), d, []string{"eu", "us"})
	require.NoError(t, err)
	return &cli{t: t, url: url, d: d}
}

// run runs one command with stdin and returns its stdout and stderr.
func (c *cli) run(stdin string, args ...string) (stdout, stderr string, err error) {
	var out, errs bytes.Buffer
	env := map[string]string{"DATABASE_URL": c.url, "LOG_LEVEL": "warn"}
	maps.Copy(env, c.env)
	err = runWith(context.Background(), args, func(k string) (string, bool) { v, ok := env[k]; return v, ok },
		stdio{in: strings.NewReader(stdin), out: &out, err: &errs})
	return out.String(), errs.String(), err
}

func (c *cli) ok(stdin string, args ...string) string {
	c.t.Helper()
	out, errs, err := c.run(stdin, args...)
	require.NoError(c.t, err, errs)
	return out
}

func TestUserCommands(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	c.ok("a long enough password\n", "user", "create", "--email", "Ann@example.com", "--role", "admin")
	c.ok("another long password\n", "user", "create", "--email", "bob@example.com", "--role", "viewer", "--website", "us", "--website", "eu")

	_, _, err := c.run("a long enough password\n", "user", "create", "--email", "ann@EXAMPLE.com", "--role", "viewer")
	require.ErrorContains(t, err, "a user with email ann@EXAMPLE.com exists")
	_, _, err = c.run("short\n", "user", "create", "--email", "cy@example.com", "--role", "viewer")
	require.ErrorContains(t, err, "use at least 12")
	_, _, err = c.run("a long enough password\n", "user", "create", "--email", "cy@example.com", "--role", "viewer", "--website", "mars")
	require.ErrorContains(t, err, `--website "mars" is not a website code; the codes are: eu, us`)
	_, _, err = c.run("a long enough password\n", "user", "create", "--email", "cy@example.com", "--role", "owner")
	require.ErrorContains(t, err, "analyst, viewer, editor, admin")
	_, _, err = c.run("", "user", "create", "--email", "cy@example.com", "--role", "viewer")
	require.ErrorContains(t, err, "no password on stdin")
	// --if-absent leaves an existing user (and its password) alone.
	c.ok("", "user", "create", "--email", "ann@example.com", "--role", "admin", "--if-absent")

	list := c.ok("", "user", "list")
	lines := strings.Split(strings.TrimSpace(list), "\n")
	require.Len(t, lines, 3, list)
	require.Regexp(t, `^ID\s+EMAIL\s+ROLE\s+WEBSITES`, lines[0])
	require.Regexp(t, `^1\s+Ann@example.com\s+admin\s+all websites\s`, lines[1])
	require.Regexp(t, `^2\s+bob@example.com\s+viewer\s+eu,us\s`, lines[2])

	svc := account.NewService(c.d)
	ctx := context.Background()
	_, err = svc.Authenticate(ctx, "bob@example.com", "another long password")
	require.NoError(t, err)
	c.ok("a new password for bob\n", "user", "set-password", "--email", "BOB@example.com")
	_, err = svc.Authenticate(ctx, "bob@example.com", "another long password")
	require.Error(t, err)
	_, err = svc.Authenticate(ctx, "bob@example.com", "a new password for bob")
	require.NoError(t, err)

	c.ok("", "user", "disable", "--email", "bob@example.com")
	_, err = svc.Authenticate(ctx, "bob@example.com", "a new password for bob")
	require.Error(t, err)
	c.ok("", "user", "enable", "--email", "bob@example.com")
	_, err = svc.Authenticate(ctx, "bob@example.com", "a new password for bob")
	require.NoError(t, err)

	// The last admin of every website cannot be disabled.
	_, _, err = c.run("", "user", "disable", "--email", "ann@example.com")
	require.ErrorContains(t, err, "last enabled admin")
	_, _, err = c.run("", "user", "disable", "--email", "nobody@example.com")
	require.ErrorContains(t, err, "no user has email nobody@example.com")
}

func TestTokenCommands(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	out, errs, err := c.run("", "token", "create", "--name", "nightly", "--role", "editor", "--website", "eu", "--expires", "90d")
	require.NoError(t, err, errs)
	// Exactly one line, the token: TOKEN=$(segments token create …) works.
	require.Regexp(t, `^seg_[A-Za-z0-9_-]{43}\n$`, out)
	secret := strings.TrimSpace(out)
	require.Contains(t, errs, `created token 1 "nightly": editor, eu, expires`)

	p, err := account.NewService(c.d).TokenPrincipal(context.Background(), secret)
	require.NoError(t, err)
	require.Equal(t, auth.Editor, p.Role)
	require.Len(t, p.Websites, 1)

	c.ok("", "token", "create", "--name", "bi", "--role", "analyst")
	_, _, err = c.run("", "token", "create", "--name", "bi", "--role", "analyst")
	require.ErrorContains(t, err, `a token named "bi" exists`)
	_, _, err = c.run("", "token", "create", "--name", "x", "--role", "viewer", "--expires", "soon")
	require.ErrorContains(t, err, "720h or 90d")
	_, _, err = c.run("", "token", "create", "--name", "x", "--role", "viewer", "--website", "asia")
	require.ErrorContains(t, err, `--website "asia" is not a website code`)

	list := c.ok("", "token", "list")
	require.NotContains(t, list, secret)
	require.NotContains(t, list, strings.TrimPrefix(secret, "seg_"))
	lines := strings.Split(strings.TrimSpace(list), "\n")
	require.Len(t, lines, 3, list)
	require.Regexp(t, `^ID\s+NAME\s+ROLE\s+WEBSITES\s+CREATED\s+LAST USED\s+EXPIRES\s+REVOKED$`, lines[0])
	require.Regexp(t, `^1\s+nightly\s+editor\s+eu\s+\S+ \S+\s+\S+ \S+\s+\S+ \S+\s+-$`, lines[1])
	require.Regexp(t, `^2\s+bi\s+analyst\s+all websites\s+\S+ \S+\s+-\s+-\s+-$`, lines[2])

	c.ok("", "token", "revoke", "nightly")
	c.ok("", "token", "revoke", "2")
	_, err = account.NewService(c.d).TokenPrincipal(context.Background(), secret)
	require.ErrorContains(t, err, "revoked")
	list = c.ok("", "token", "list")
	require.NotRegexp(t, `\s-\n`, list+"\n", "both tokens show their revocation time")
	_, _, err = c.run("", "token", "revoke", "nope")
	require.ErrorContains(t, err, `no token has id or name "nope"`)
}

func TestServeWithoutUsersSaysHowToCreateTheFirstAdmin(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	var logs bytes.Buffer
	e := &env{log: slog.New(slog.NewTextHandler(&logs, nil))}
	require.NoError(t, warnWithoutUsers(context.Background(), e, c.d))
	require.Contains(t, logs.String(), "level=WARN")
	require.Contains(t, logs.String(), "`segments user create --email you@example.com --role admin`")

	c.ok("a long enough password\n", "user", "create", "--email", "ann@example.com", "--role", "admin")
	logs.Reset()
	require.NoError(t, warnWithoutUsers(context.Background(), e, c.d))
	require.Empty(t, logs.String())
	has, err := account.NewService(c.d).HasUsers(context.Background())
	require.NoError(t, err)
	require.True(t, has)
}
