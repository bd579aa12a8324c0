// Command segments is the Customer Segments report: the GraphQL API, the
// embedded web app, and the commands that maintain its data.
//
//	segments [serve]        serve the app (default)
//	segments migrate        apply database migrations
//	segments seed           fill an empty store with demo data and refresh it
//	segments refresh [--full] [ID…]  refresh segment membership (no ids: every active segment; incremental unless --full)
//	segments import customers|orders FILE   import store data (CSV)
//	segments delete customers FILE          erase customers with their orders
//	segments export --segment ID … -o FILE  export the customers of segments (CSV or Excel XML)
//	segments user create|list|set-password|disable|enable   manage who signs in
//	segments token create|list|revoke       manage API tokens
//
// Configuration comes from flags and the environment; see the README.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/segments/segments/server/auth"
	"github.com/segments/segments/server/logging"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:])
	stop()
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(os.Stderr, "segments:", err)
		os.Exit(1)
	}
}

var commands = map[string]func(ctx context.Context, env *env, args []string) error{
	"serve":   serve,
	"migrate": migrateCmd,
	"seed":    seedCmd,
	"refresh": refresh,
	"import":  importCmd,
	"delete":  deleteCmd,
	"export":  exportCmd,
	"user":    userCmd,
	"token":   tokenCmd,
}

func run(ctx context.Context, args []string) error {
	return runWith(ctx, args, os.LookupEnv, stdio{in: os.Stdin, out: os.Stdout, err: os.Stderr})
}

// stdio is where a command reads input and writes its output and
// messages; tests pass their own.
type stdio struct {
	in       io.Reader
	out, err io.Writer
}

// runWith runs the command in args with settings from lookupEnv.
func runWith(ctx context.Context, args []string, lookupEnv func(string) (string, bool), std stdio) error {
	name := "serve"
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		name, args = args[0], args[1:]
	}
	cmd, ok := commands[name]
	if !ok {
		return fmt.Errorf("unknown command %q: use serve, migrate, seed, refresh, import, delete, export, user or token", name)
	}
	fs := flag.NewFlagSet("segments "+name, flag.ContinueOnError)
	fs.SetOutput(std.err)
	cfg := configFlags(fs, lookupEnv)
	extra := commandFlags[name]
	var set func()
	if extra != nil {
		set = extra(fs)
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if set != nil {
		set()
	}
	if err := cfg.check(fs); err != nil {
		return err
	}
	log, err := logging.New(std.err, cfg.LogFormat, cfg.logLevel())
	if err != nil {
		return err
	}
	e := &env{cfg: cfg, log: log, stdio: std, setsLocale: name == "serve" || name == "migrate", readsReplica: name == "serve", lookupEnv: lookupEnv}
	defer e.close()
	if name != "serve" {
		// The command line acts for the system, on every website; requests
		// to the server act for their own principal.
		ctx = auth.AsSystem(ctx)
	}
	return cmd(ctx, e, fs.Args())
}
