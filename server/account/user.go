package account

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/uptrace/bun"

	"github.com/segments/segments/server/apperr"
	"github.com/segments/segments/server/audit"
	"github.com/segments/segments/server/auth"
	"github.com/segments/segments/server/db"
	"github.com/segments/segments/server/page"
)

// User is a person who signs in with email and password. The password's
// hash never leaves this package.
type User struct {
	bun.BaseModel `bun:"table:users,alias:u"`

	ID    int64     `bun:"id,pk,autoincrement"`
	Email string    `bun:"email"`
	Role  auth.Role `bun:"role"`
	// Websites limits the user to these website ids, sorted; empty: all.
	Websites   []int64    `bun:"websites,array,scanonly"`
	DisabledAt *time.Time `bun:"disabled_at"`
	// MustChangePassword is set when someone else chose the password (an
	// admin creating the user or resetting it); the user's own change
	// clears it.
	MustChangePassword bool `bun:"must_change_password"`
	// CredentialsChangedAt is when the role, websites, password or disabled
	// state last changed: sessions signed in before it have ended.
	CredentialsChangedAt time.Time `bun:"credentials_changed_at"`
	CreatedAt            time.Time `bun:"created_at,nullzero,default:now()"`
	UpdatedAt            time.Time `bun:"updated_at,nullzero,default:now()"`
	// CreatedBy is who created the user, in actor form ("user:7", "cli").
	CreatedBy string `bun:"created_by"`
}

// Disabled reports whether the user may no longer sign in.
func (u *User) Disabled() bool { return u.DisabledAt != nil }

func (u *User) principal() *auth.Principal {
	p := &auth.Principal{Kind: auth.User, ID: u.ID, Name: u.Email, Email: u.Email, Role: u.Role,
		MustChangePassword: u.MustChangePassword}
	if len(u.Websites) > 0 {
		p.Websites = slices.Clone(u.Websites)
	}
	return p
}

// userColumns select a User, with its websites.
const userColumns = `u.id, u.email, u.role, u.disabled_at, u.must_change_password,
	u.credentials_changed_at, u.created_at, u.updated_at, u.created_by,
	ARRAY(SELECT uw.website_id FROM user_websites uw WHERE uw.user_id = u.id ORDER BY uw.website_id) AS websites`

// userWebsite is one row of user_websites.
type userWebsite struct {
	bun.BaseModel `bun:"table:user_websites"`

	UserID    int64 `bun:"user_id"`
	WebsiteID int64 `bun:"website_id"`
}

// withHash is a user read for checking a password.
type withHash struct {
	User         `bun:",extend"`
	PasswordHash string `bun:"password_hash"`
}

// NewUser is what CreateUser needs.
type NewUser struct {
	Email    string
	Password string
	Role     auth.Role
	// Websites limits the user to these website ids; none: every website.
	Websites []int64
}

// UserChange is an UpdateUser: nil fields stay as they are.
type UserChange struct {
	Role     *auth.Role
	Websites *[]int64
	Disabled *bool
	// Password is a new password chosen by the admin; the user is asked to
	// change it at their next sign-in.
	Password *string
}

// UserPage is one page of users, by id.
type UserPage struct {
	Users   []User
	Cursors []string
	Info    page.Info
}

// wrongCredentials is the one answer to a failed sign-in, whatever failed.
func wrongCredentials() error { return apperr.Unknown("Wrong email or password.") }

// sessionEnded is the answer for a session that no longer holds.
func sessionEnded() error { return apperr.Unknown("Your session has ended: sign in again.") }

// CheckEmail trims and validates an email address.
func CheckEmail(email string) (string, error) {
	e := strings.TrimSpace(email)
	if e == "" {
		return "", apperr.Invalid("email is required")
	}
	if len(e) > 254 {
		return "", apperr.Invalid("email is %d characters long: at most 254 are allowed", len(e))
	}
	a, err := mail.ParseAddress(e)
	if err != nil || a.Address != e {
		return "", apperr.Invalid("email %q is not an email address such as name@example.com", e)
	}
	return e, nil
}

// CreateUser creates a user. The acting principal must be an admin holding
// the role and websites it grants.
func (s *Service) CreateUser(ctx context.Context, nu NewUser) (User, error) {
	p, err := admin(ctx, "users")
	if err != nil {
		return User{}, err
	}
	email, err := CheckEmail(nu.Email)
	if err != nil {
		return User{}, err
	}
	if err := CheckPassword(nu.Password); err != nil {
		return User{}, err
	}
	if err := mayGrant(p, nu.Role, nu.Websites); err != nil {
		return User{}, err
	}
	// Hash before the transaction: no connection waits on the CPU.
	h, err := s.hash(ctx, nu.Password)
	if err != nil {
		return User{}, err
	}
	var u User
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		websites, err := normalizeWebsites(ctx, tx, nu.Websites)
		if err != nil {
			return err
		}
		taken, err := tx.NewSelect().Table("users").Where("lower(email) = lower(?)", email).Exists(ctx)
		if err != nil {
			return fmt.Errorf("check email: %w", err)
		}
		if taken {
			return emailTaken(email)
		}
		u = User{Email: email, Role: nu.Role, MustChangePassword: p.Kind != auth.System,
			CredentialsChangedAt: s.stamp(), CreatedBy: p.Actor().String()}
		if _, err := tx.NewInsert().Model(&u).Value("password_hash", "?", h).Returning("id, created_at, updated_at").Exec(ctx); err != nil {
			if isUniqueViolation(err) {
				return emailTaken(email)
			}
			return fmt.Errorf("insert user: %w", err)
		}
		if err := setUserWebsites(ctx, tx, u.ID, websites); err != nil {
			return err
		}
		u.Websites = websites
		return audit.Record(ctx, tx, audit.UserCreated, []int64{u.ID}, map[string]any{"role": u.Role.String(), "websites": websites})
	})
	if err != nil {
		return User{}, err
	}
	return u, nil
}

func emailTaken(email string) error { return apperr.Invalid("a user with email %s exists", email) }

func isUniqueViolation(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505"
}

func setUserWebsites(ctx context.Context, tx bun.Tx, userID int64, websites []int64) error {
	return setWebsites(ctx, tx, "user_id", userID, websites, func(w int64) userWebsite { return userWebsite{UserID: userID, WebsiteID: w} })
}

// setWebsites replaces the websites granted to one user or token (key is
// its column in the grant table T).
func setWebsites[T any](ctx context.Context, tx bun.Tx, key string, id int64, websites []int64, row func(website int64) T) error {
	if _, err := tx.NewDelete().Model((*T)(nil)).Where("? = ?", bun.Ident(key), id).Exec(ctx); err != nil {
		return fmt.Errorf("clear websites: %w", err)
	}
	if len(websites) == 0 {
		return nil
	}
	rows := make([]T, len(websites))
	for i, w := range websites {
		rows[i] = row(w)
	}
	if _, err := tx.NewInsert().Model(&rows).Exec(ctx); err != nil {
		return fmt.Errorf("grant websites: %w", err)
	}
	return nil
}

// readUser reads one user (nil when there is none), locking its row when
// lock is set.
func readUser(ctx context.Context, idb bun.IDB, where string, arg any, lock bool) (*withHash, error) {
	var u withHash
	q := idb.NewSelect().Model(&u).ColumnExpr(userColumns).ColumnExpr("u.password_hash").Where(where, arg)
	if lock {
		q = q.For("UPDATE OF u")
	}
	if err := q.Scan(ctx); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, nil
		}
		return nil, fmt.Errorf("read user: %w", err)
	}
	return &u, nil
}

// UpdateUser changes a user's role, websites, disabled state or password.
// Any change ends the user's sessions. The acting admin must hold what the
// user holds, before and after.
func (s *Service) UpdateUser(ctx context.Context, id int64, c UserChange) (User, error) {
	p, err := admin(ctx, "users")
	if err != nil {
		return User{}, err
	}
	if c.Role != nil && !c.Role.Valid() {
		return User{}, apperr.Invalid("role %v is not one of analyst, viewer, editor, admin", *c.Role)
	}
	var h string
	if c.Password != nil {
		if err := CheckPassword(*c.Password); err != nil {
			return User{}, err
		}
		if h, err = s.hash(ctx, *c.Password); err != nil {
			return User{}, err
		}
	}
	var out User
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		// One change to users at a time: two admins demoting each other at
		// once must not both see the other as the admin who stays.
		if _, err := db.Exec(ctx, tx, `SELECT pg_advisory_xact_lock($1)`, usersLock); err != nil {
			return fmt.Errorf("lock users: %w", err)
		}
		cur, err := readUser(ctx, tx, "u.id = ?", id, true)
		if err != nil {
			return err
		}
		if cur == nil || !visible(p, cur.Websites) {
			return apperr.Missing("user %d does not exist", id)
		}
		if err := mayManage(p, "user "+cur.Email, cur.Role, cur.Websites); err != nil {
			return err
		}
		next := cur.User
		var fields []string
		if c.Role != nil && *c.Role != cur.Role {
			next.Role = *c.Role
			fields = append(fields, "role")
		}
		if c.Websites != nil {
			ws, err := normalizeWebsites(ctx, tx, *c.Websites)
			if err != nil {
				return err
			}
			if !slices.Equal(ws, cur.Websites) {
				next.Websites = ws
				fields = append(fields, "websites")
			}
		}
		now := s.stamp()
		if c.Disabled != nil && *c.Disabled != cur.Disabled() {
			next.DisabledAt = nil
			if *c.Disabled {
				next.DisabledAt = &now
			}
			fields = append(fields, "disabled")
		}
		if c.Password != nil {
			next.MustChangePassword = p.Kind != auth.System && (p.Kind != auth.User || p.ID != id)
			fields = append(fields, "password")
		}
		if len(fields) == 0 {
			out = cur.User
			return nil
		}
		if err := mayGrant(p, next.Role, next.Websites); err != nil {
			return err
		}
		if err := keepAnAdmin(ctx, tx, &cur.User, &next); err != nil {
			return err
		}
		next.CredentialsChangedAt = now
		q := tx.NewUpdate().Model(&next).
			Column("role", "disabled_at", "must_change_password", "credentials_changed_at").
			Set("updated_at = now()").WherePK().Returning("updated_at")
		if h != "" {
			q = q.Set("password_hash = ?", h)
		}
		if _, err := q.Exec(ctx); err != nil {
			return fmt.Errorf("update user: %w", err)
		}
		if slices.Contains(fields, "websites") {
			if err := setUserWebsites(ctx, tx, id, next.Websites); err != nil {
				return err
			}
		}
		out = next
		return audit.Record(ctx, tx, audit.UserUpdated, []int64{id}, map[string]any{
			"fields": fields, "role": next.Role.String(), "websites": next.Websites, "disabled": next.Disabled(),
		})
	})
	if err != nil {
		return User{}, err
	}
	return out, nil
}

// fullAdmin reports whether u is an enabled admin of every website: who
// can manage everyone else.
func fullAdmin(u *User) bool {
	return u.Role == auth.Admin && !u.Disabled() && len(u.Websites) == 0
}

// usersLock is the advisory lock key that serialises changes to users.
const usersLock int64 = 0x5e6d_2e7a_0100

// keepAnAdmin refuses a change that would leave no enabled admin of every
// website, since nobody could then grant them back. The caller holds
// usersLock.
func keepAnAdmin(ctx context.Context, tx bun.Tx, cur, next *User) error {
	if !fullAdmin(cur) || fullAdmin(next) {
		return nil
	}
	var others []int64
	err := tx.NewSelect().Table("users").Column("id").
		Where("role = 'admin' AND disabled_at IS NULL AND id <> ?", cur.ID).
		Where("NOT EXISTS (SELECT 1 FROM user_websites uw WHERE uw.user_id = users.id)").
		Scan(ctx, &others)
	if err != nil {
		return fmt.Errorf("count admins: %w", err)
	}
	if len(others) == 0 {
		return apperr.Invalid("%s is the last enabled admin of every website: make another admin first", cur.Email)
	}
	return nil
}

// visible reports whether a website-scoped admin sees a user or token
// holding websites: only when all of them are in its scope. Admins of
// every website see everyone.
func visible(p *auth.Principal, websites []int64) bool {
	if p.Scope().IsAll() {
		return true
	}
	return len(websites) > 0 && p.Scope().Covers(websites)
}

// scopeWhere is the SQL condition for visible over a *_websites table.
func scopeWhere(p *auth.Principal, a *db.Args, table, key, id string) []string {
	if p.Scope().IsAll() {
		return nil
	}
	return []string{
		fmt.Sprintf("EXISTS (SELECT 1 FROM %s x WHERE x.%s = %s)", table, key, id),
		fmt.Sprintf("NOT EXISTS (SELECT 1 FROM %s x WHERE x.%s = %s AND NOT x.website_id = ANY(%s))", table, key, id, a.Add(p.Websites)),
	}
}

// Users returns a page of users by id: first (0: the default size) after
// the cursor after ("" for the first page). A website-scoped admin sees
// only users within its websites.
func (s *Service) Users(ctx context.Context, first int, after string) (UserPage, error) {
	p, err := admin(ctx, "users")
	if err != nil {
		return UserPage{}, err
	}
	var args page.Args
	if first != 0 {
		args.First = &first
	}
	if after != "" {
		args.After = &after
	}
	req, err := page.Parse(args, page.Binding("users", p.Websites))
	if err != nil {
		return UserPage{}, err
	}
	sort := page.Sort{Keys: []page.Key{{Expr: "u.id", Type: "bigint"}}}
	src := func(a *db.Args) (string, []string) {
		return "users u", scopeWhere(p, a, "user_websites", "user_id", "u.id")
	}
	// No guard: the listed users depend on nothing but the scope.
	st, err := req.Statement(userColumns, sort, src, nil)
	if err != nil {
		return UserPage{}, err
	}
	type row struct {
		User
		page.Head
	}
	all, info, _, err := page.One(ctx, s.db, req, st, func(r *row) *page.Head { return &r.Head })
	if err != nil {
		return UserPage{}, fmt.Errorf("list users: %w", err)
	}
	out := UserPage{Info: info, Users: make([]User, len(all)), Cursors: make([]string, len(all))}
	for i, r := range all {
		out.Users[i], out.Cursors[i] = r.User, req.Cursor(r.Cursor)
	}
	return out, nil
}

// User returns one user; NOT_FOUND when there is none (or the acting admin
// may not see it).
func (s *Service) User(ctx context.Context, id int64) (User, error) {
	p, err := admin(ctx, "users")
	if err != nil {
		return User{}, err
	}
	u, err := readUser(ctx, s.db, "u.id = ?", id, false)
	if err != nil {
		return User{}, err
	}
	if u == nil || !visible(p, u.Websites) {
		return User{}, apperr.Missing("user %d does not exist", id)
	}
	return u.User, nil
}

// UserByEmail returns the user with email (any case); NOT_FOUND when there
// is none. For the command line, which names users by email.
func (s *Service) UserByEmail(ctx context.Context, email string) (User, error) {
	p, err := admin(ctx, "users")
	if err != nil {
		return User{}, err
	}
	u, err := readUser(ctx, s.db, "lower(u.email) = lower(?)", strings.TrimSpace(email), false)
	if err != nil {
		return User{}, err
	}
	if u == nil || !visible(p, u.Websites) {
		return User{}, apperr.Missing("no user has email %s", strings.TrimSpace(email))
	}
	return u.User, nil
}

// Authenticate checks an email and password and returns the user's
// principal. Unknown email, wrong password and disabled user give the same
// error and cost the same hash.
func (s *Service) Authenticate(ctx context.Context, email, password string) (*auth.Principal, error) {
	if len(password) > MaxPasswordBytes {
		return nil, wrongCredentials() // no password is this long: nothing to compare
	}
	u, err := readUser(ctx, s.db, "lower(u.email) = lower(?)", strings.TrimSpace(email), false)
	if err != nil {
		return nil, err
	}
	h := ""
	if u != nil {
		h = u.PasswordHash
	}
	ok, err := s.verify(ctx, password, h)
	if err != nil {
		return nil, err
	}
	if !ok || u.Disabled() {
		return nil, wrongCredentials()
	}
	return u.principal(), nil
}

// UserPrincipal is a signed-in user's principal as it is now: its current
// role and websites. A session signed in at signedInAt has ended when the
// user is gone or disabled, or its role, websites or password changed
// since.
func (s *Service) UserPrincipal(ctx context.Context, userID int64, signedInAt time.Time) (*auth.Principal, error) {
	var u User
	err := s.db.NewSelect().Model(&u).ColumnExpr(userColumns).Where("u.id = ?", userID).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, sessionEnded()
	}
	if err != nil {
		return nil, fmt.Errorf("read user: %w", err)
	}
	if u.Disabled() || u.CredentialsChangedAt.After(signedInAt) {
		return nil, sessionEnded()
	}
	return u.principal(), nil
}

// ChangePassword sets the signed-in user's own password, given the
// current one. It ends the user's other sessions (and this one: the HTTP
// layer signs the user in again).
func (s *Service) ChangePassword(ctx context.Context, current, next string) error {
	p := auth.From(ctx)
	if p == nil {
		return apperr.Unknown("sign in to change your password")
	}
	if p.Kind != auth.User {
		return apperr.Denied("only a signed-in user has a password to change")
	}
	if err := CheckPassword(next); err != nil {
		return err
	}
	if current == next {
		return apperr.Invalid("the new password is the same as the current one")
	}
	u, err := readUser(ctx, s.db, "u.id = ?", p.ID, false)
	if err != nil {
		return err
	}
	if u == nil || u.Disabled() {
		return sessionEnded()
	}
	// Each try hashes: a few a minute per user, refused before hashing.
	if s.attempts.Wait(p.ID, s.now()) > 0 {
		return apperr.Denied("Too many password attempts; try again in a minute.")
	}
	ok := false
	if len(current) <= MaxPasswordBytes {
		if ok, err = s.verify(ctx, current, u.PasswordHash); err != nil {
			return err
		}
	}
	if !ok {
		return apperr.Invalid("the current password is wrong")
	}
	h, err := s.hash(ctx, next)
	if err != nil {
		return err
	}
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewUpdate().Table("users").
			Set("password_hash = ?", h).Set("must_change_password = false").
			Set("credentials_changed_at = ?", s.stamp()).Set("updated_at = now()").
			// The hash read above: a reset in between wins.
			Where("id = ? AND password_hash = ?", p.ID, u.PasswordHash).Exec(ctx)
		if err != nil {
			return fmt.Errorf("change password: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.Invalid("the password changed meanwhile: sign in again")
		}
		return audit.Record(ctx, tx, audit.UserPasswordChanged, []int64{p.ID}, nil)
	})
}

// HasUsers reports whether any user exists, for the first-run hint of
// serve. It needs no principal: it tells only whether the table is empty.
func (s *Service) HasUsers(ctx context.Context) (bool, error) {
	ok, err := s.db.NewSelect().Table("users").Exists(ctx)
	if err != nil {
		return false, fmt.Errorf("check users: %w", err)
	}
	return ok, nil
}
