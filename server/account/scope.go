package account

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/segments/segments/server/actor"
	"github.com/segments/segments/server/apperr"
	"github.com/segments/segments/server/auth"
)

// CurrentScope is the websites actor a holds now, for work queued in its
// name that runs later (an export): a user or token narrowed since asking
// must not get what it no longer sees. A user that is gone or disabled,
// or a token that is gone, revoked or expired, is a FORBIDDEN error. Any
// other actor (the command line, a schedule) holds every website.
func CurrentScope(ctx context.Context, idb bun.IDB, a actor.Actor) (auth.Scope, error) {
	var websites []int64
	switch a.Kind {
	case actor.User:
		var u User
		err := idb.NewSelect().Model(&u).ColumnExpr(userColumns).Where("u.id = ?", a.ID).Scan(ctx)
		if errors.Is(err, sql.ErrNoRows) || err == nil && u.Disabled() {
			return auth.Scope{}, apperr.Denied("user %d who asked for it is disabled or gone", a.ID)
		}
		if err != nil {
			return auth.Scope{}, fmt.Errorf("read user: %w", err)
		}
		websites = u.Websites
	case actor.Token:
		var t Token
		err := idb.NewSelect().Model(&t).ColumnExpr(tokenColumns).Where("t.id = ?", a.ID).Scan(ctx)
		if errors.Is(err, sql.ErrNoRows) || err == nil && (t.RevokedAt != nil || t.ExpiresAt != nil && !t.ExpiresAt.After(time.Now())) {
			return auth.Scope{}, apperr.Denied("API token %d that asked for it is revoked, expired or gone", a.ID)
		}
		if err != nil {
			return auth.Scope{}, fmt.Errorf("read token: %w", err)
		}
		websites = t.Websites
	default:
		return auth.All(), nil
	}
	if len(websites) == 0 {
		return auth.All(), nil
	}
	return auth.Websites(websites...), nil
}
