package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"golang.org/x/term"

	"github.com/segments/segments/server/apperr"
	_ "github.com/segments/segments/server/audit" // records user and token changes
	"github.com/segments/segments/server/auth"
	"github.com/segments/segments/server/catalog"
	"github.com/segments/segments/server/db"
)

// firstAdminCommand is what serve suggests when nobody can sign in yet.
const firstAdminCommand = "segments user create --email you@example.com --role admin"

// warnWithoutUsers tells the operator, at every start until someone
// exists, how to create the first admin: serve never creates one itself.
func warnWithoutUsers(ctx context.Context, e *env, d *db.DB) error {
	ok, err := auth.NewService(d).HasUsers(ctx)
	if err != nil || ok {
		return err
	}
	e.log.Warn("there are no users yet, so nobody can sign in: create the first admin with `" + firstAdminCommand + "` (it reads the password from stdin)")
	return nil
}

// codeList is a repeatable --website flag of website codes.
type codeList []string

func (l *codeList) String() string { return strings.Join(*l, ",") }

func (l *codeList) Set(v string) error {
	for _, c := range strings.Split(v, ",") {
		if c = strings.TrimSpace(c); c != "" {
			*l = append(*l, c)
		}
	}
	return nil
}

// subcommand splits "create --email …" into its name and a flag set for
// its flags, which the caller declares and then parses with parse.
func subcommand(e *env, group string, args []string, usage string) (name string, fs *flag.FlagSet, err error) {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return "", nil, fmt.Errorf("usage: %s", usage)
	}
	fs = flag.NewFlagSet("segments "+group+" "+args[0], flag.ContinueOnError)
	fs.SetOutput(e.stdio.err)
	return args[0], fs, nil
}

// accounts opens the database and the user and token service, acting as
// the system, as every command does.
func accounts(ctx context.Context, e *env) (context.Context, *auth.Service, error) {
	d, err := e.database(ctx)
	if err != nil {
		return nil, nil, err
	}
	return auth.AsSystem(ctx), auth.NewService(d), nil
}

const userUsage = `segments user create --email E --role R [--website CODE]... [--if-absent]   (password on stdin)
       segments user list
       segments user set-password --email E   (password on stdin)
       segments user disable|enable --email E`

// userCmd is `segments user …`: create, list, set-password, disable, enable.
func userCmd(ctx context.Context, e *env, args []string) error {
	sub, fs, err := subcommand(e, "user", args, userUsage)
	if err != nil {
		return err
	}
	var email, role string
	var websites codeList
	var ifAbsent bool
	switch sub {
	case "create":
		fs.StringVar(&email, "email", "", "the user's email, used to sign in (required)")
		fs.StringVar(&role, "role", "", "analyst, viewer, editor or admin (required)")
		fs.Var(&websites, "website", "limit the user to this website code (repeat; none: every website)")
		fs.BoolVar(&ifAbsent, "if-absent", false, "do nothing when a user with this email exists (for make run)")
	case "set-password", "disable", "enable":
		fs.StringVar(&email, "email", "", "the user's email (required)")
	case "list":
	default:
		return fmt.Errorf("unknown command \"user %s\"; usage: %s", sub, userUsage)
	}
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("segments user %s takes no arguments, got %q", sub, fs.Args())
	}
	if sub != "list" && email == "" {
		return fmt.Errorf("segments user %s needs --email", sub)
	}
	ctx, svc, err := accounts(ctx, e)
	if err != nil {
		return err
	}
	switch sub {
	case "create":
		r, err := auth.ParseRole(role)
		if err != nil {
			return fmt.Errorf("--role: %w", err)
		}
		ids, err := websiteIDs(ctx, e, websites)
		if err != nil {
			return err
		}
		if ifAbsent {
			if _, err := svc.UserByEmail(ctx, email); err == nil {
				return nil
			} else if !isKind(err, apperr.NotFound) {
				return err
			}
		}
		pw, err := readPassword(e.stdio)
		if err != nil {
			return err
		}
		u, err := svc.CreateUser(ctx, auth.NewUser{Email: email, Password: pw, Role: r, Websites: ids})
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdio.err, "created user %d: %s, %s, %s\n", u.ID, u.Email, u.Role, websiteNames(ctx, e, u.Websites))
	case "list":
		return listUsers(ctx, e, svc)
	case "set-password":
		u, err := svc.UserByEmail(ctx, email)
		if err != nil {
			return err
		}
		pw, err := readPassword(e.stdio)
		if err != nil {
			return err
		}
		if _, err := svc.UpdateUser(ctx, u.ID, auth.UserChange{Password: &pw}); err != nil {
			return err
		}
		fmt.Fprintf(e.stdio.err, "password of %s changed; their sessions have ended\n", u.Email)
	case "disable", "enable":
		u, err := svc.UserByEmail(ctx, email)
		if err != nil {
			return err
		}
		off := sub == "disable"
		if _, err := svc.UpdateUser(ctx, u.ID, auth.UserChange{Disabled: &off}); err != nil {
			return err
		}
		fmt.Fprintf(e.stdio.err, "%s %sd\n", u.Email, sub)
	}
	return nil
}

func isKind(err error, k apperr.Kind) bool {
	ae, ok := apperr.As(err)
	return ok && ae.Kind == k
}

func listUsers(ctx context.Context, e *env, svc *auth.Service) error {
	w := tabwriter.NewWriter(e.stdio.out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tEMAIL\tROLE\tWEBSITES\tCREATED\tDISABLED\tMUST CHANGE PASSWORD")
	after := ""
	for {
		p, err := svc.Users(ctx, 200, after)
		if err != nil {
			return err
		}
		for _, u := range p.Users {
			must := "no"
			if u.MustChangePassword {
				must = "yes"
			}
			fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", u.ID, u.Email, u.Role, websiteNames(ctx, e, u.Websites),
				when(&u.CreatedAt), when(u.DisabledAt), must)
		}
		if !p.Info.HasNextPage {
			break
		}
		after = p.Cursors[len(p.Cursors)-1]
	}
	return w.Flush()
}

const tokenUsage = `segments token create --name N --role R [--website CODE]... [--expires DURATION]   (prints the token alone)
       segments token list
       segments token revoke NAME|ID`

// tokenCmd is `segments token …`: create, list, revoke.
func tokenCmd(ctx context.Context, e *env, args []string) error {
	sub, fs, err := subcommand(e, "token", args, tokenUsage)
	if err != nil {
		return err
	}
	var name, role, expires string
	var websites codeList
	nargs := 0
	switch sub {
	case "create":
		fs.StringVar(&name, "name", "", "a name saying who uses the token (required, unique)")
		fs.StringVar(&role, "role", "", "analyst, viewer, editor or admin (required)")
		fs.Var(&websites, "website", "limit the token to this website code (repeat; none: every website)")
		fs.StringVar(&expires, "expires", "", "stop working after this long: 720h, 90d (default: never)")
	case "list":
	case "revoke":
		nargs = 1
	default:
		return fmt.Errorf("unknown command \"token %s\"; usage: %s", sub, tokenUsage)
	}
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() != nargs {
		return fmt.Errorf("usage: %s", tokenUsage)
	}
	var expiry *time.Time
	var r auth.Role
	if sub == "create" {
		if r, err = auth.ParseRole(role); err != nil {
			return fmt.Errorf("--role: %w", err)
		}
		if expires != "" {
			d, err := parseDays(expires)
			if err != nil {
				return err
			}
			t := time.Now().Add(d)
			expiry = &t
		}
	}
	ctx, svc, err := accounts(ctx, e)
	if err != nil {
		return err
	}
	switch sub {
	case "create":
		ids, err := websiteIDs(ctx, e, websites)
		if err != nil {
			return err
		}
		t, secret, err := svc.CreateToken(ctx, auth.NewToken{Name: name, Role: r, Websites: ids, Expires: expiry})
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdio.err, "created token %d %q: %s, %s, expires %s; it is shown once, below\n",
			t.ID, t.Name, t.Role, websiteNames(ctx, e, t.Websites), when(t.ExpiresAt))
		// The token alone on stdout: TOKEN=$(segments token create …).
		_, err = fmt.Fprintln(e.stdio.out, secret)
		return err
	case "list":
		ts, err := svc.Tokens(ctx, true)
		if err != nil {
			return err
		}
		w := tabwriter.NewWriter(e.stdio.out, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "ID\tNAME\tROLE\tWEBSITES\tCREATED\tLAST USED\tEXPIRES\tREVOKED")
		for _, t := range ts {
			fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.Name, t.Role, websiteNames(ctx, e, t.Websites),
				when(&t.CreatedAt), when(t.LastUsedAt), when(t.ExpiresAt), when(t.RevokedAt))
		}
		return w.Flush()
	default: // revoke
		t, err := findToken(ctx, svc, fs.Arg(0))
		if err != nil {
			return err
		}
		if t, err = svc.RevokeToken(ctx, t.ID); err != nil {
			return err
		}
		fmt.Fprintf(e.stdio.err, "token %d %q revoked at %s\n", t.ID, t.Name, when(t.RevokedAt))
		return nil
	}
}

// findToken finds a token by id or name (names cannot be only digits).
func findToken(ctx context.Context, svc *auth.Service, ref string) (auth.APIToken, error) {
	ts, err := svc.Tokens(ctx, true)
	if err != nil {
		return auth.APIToken{}, err
	}
	id, numErr := strconv.ParseInt(ref, 10, 64)
	for _, t := range ts {
		if numErr == nil && t.ID == id || numErr != nil && t.Name == ref {
			return t, nil
		}
	}
	return auth.APIToken{}, fmt.Errorf("no token has id or name %q (see segments token list)", ref)
}

// parseDays reads a positive duration: Go's (720h, 90m) or whole days (90d).
func parseDays(s string) (time.Duration, error) {
	bad := fmt.Errorf("--expires %q is not a duration: use hours or days, such as 720h or 90d", s)
	var d time.Duration
	if n, ok := strings.CutSuffix(s, "d"); ok {
		days, err := strconv.Atoi(n)
		if err != nil || days > 100*365 {
			return 0, bad
		}
		d = time.Duration(days) * 24 * time.Hour
	} else {
		var err error
		if d, err = time.ParseDuration(s); err != nil {
			return 0, bad
		}
	}
	if d <= 0 {
		return 0, fmt.Errorf("--expires %q: use a positive duration", s)
	}
	return d, nil
}

// websiteIDs resolves website codes.
func websiteIDs(ctx context.Context, e *env, codes []string) ([]int64, error) {
	if len(codes) == 0 {
		return nil, nil
	}
	ws, err := catalog.Websites(ctx, e.db)
	if err != nil {
		return nil, err
	}
	byCode := make(map[string]int64, len(ws))
	known := make([]string, len(ws))
	for i, w := range ws {
		byCode[w.Code] = w.ID
		known[i] = w.Code
	}
	ids := make([]int64, 0, len(codes))
	for _, c := range codes {
		id, ok := byCode[c]
		if !ok {
			if len(known) == 0 {
				return nil, fmt.Errorf("--website %q: there are no websites yet (import customers or seed first)", c)
			}
			return nil, fmt.Errorf("--website %q is not a website code; the codes are: %s", c, strings.Join(known, ", "))
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// websiteNames shows website ids as their codes; none: "all websites".
func websiteNames(ctx context.Context, e *env, ids []int64) string {
	if len(ids) == 0 {
		return "all websites"
	}
	ws, err := catalog.Websites(ctx, e.db)
	if err != nil {
		return fmt.Sprint(ids)
	}
	code := make(map[int64]string, len(ws))
	for _, w := range ws {
		code[w.ID] = w.Code
	}
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = code[id]
	}
	return strings.Join(out, ",")
}

// when shows a time in UTC to the minute, or "-".
func when(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return t.UTC().Format("2006-01-02 15:04Z")
}

// readPassword reads a password: typed twice without echo at a terminal,
// else the first line of stdin.
func readPassword(std stdio) (string, error) {
	if f, ok := std.in.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(std.err, "Password (at least 12 characters): ")
		first, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(std.err)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		fmt.Fprint(std.err, "Password again: ")
		again, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(std.err)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		if string(first) != string(again) {
			return "", errors.New("the passwords differ")
		}
		return string(first), nil
	}
	// A little more than the longest password, so one too long is
	// reported as such rather than cut.
	line, err := bufio.NewReader(io.LimitReader(std.in, auth.MaxPasswordBytes+2)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password from stdin: %w", err)
	}
	line = strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
	if line == "" {
		return "", errors.New("no password on stdin: pipe one line, e.g. segments user create … < password-file")
	}
	return line, nil
}
