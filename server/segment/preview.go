package segment

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/segments/segments/server/apperr"
	"github.com/segments/segments/server/db"
	"github.com/segments/segments/server/rule"
)

// Preview counts the customers of websiteIDs that conds selects now: the
// members a segment with this definition would have after a refresh at
// now, in the store's time zone tz. The websites and rule are checked as
// Create checks them (the same problems), except that a website ctx's
// principal does not see, or that does not exist, is NOT_FOUND. It is one
// statement over current store data, cancelled with ctx (the request's
// time limit, a client going away).
func (m *Manager) Preview(ctx context.Context, websiteIDs []int64, conds rule.Group, now time.Time, tz string) (int64, error) {
	if p, oversized := checkSize(&conds); oversized {
		return 0, apperr.Invalids(p)
	}
	var unknown []int64
	problems, err := checkDefinition(ctx, m.db, &websiteIDs, &conds, &unknown)
	if err != nil {
		return 0, err
	}
	if len(unknown) > 0 {
		p := make([]apperr.Problem, len(unknown))
		msgs := make([]string, len(unknown))
		for i, id := range unknown {
			p[i] = apperr.Problem{Field: "websiteIds", Message: fmt.Sprintf("website %d does not exist", id)}
			msgs[i] = p[i].String()
		}
		return 0, &apperr.Error{Kind: apperr.NotFound, Message: strings.Join(msgs, "; "), Problems: p}
	}
	if len(problems) > 0 {
		return 0, apperr.Invalids(problems)
	}
	var a db.Args
	nowArg, tzArg := a.Add(now), a.Add(tz)
	windows := rule.Windows(&conds)
	pred, err := rule.Compile(&conds, windows, nowArg, tzArg, &a)
	if err != nil {
		return 0, fmt.Errorf("preview: %w", err)
	}
	from := `customers c LEFT JOIN customer_groups g ON g.id = c.group_id LEFT JOIN websites w ON w.id = c.website_id`
	if len(windows) > 0 {
		from += ` LEFT JOIN (` + rule.MeasuresSQL(windows, nowArg, tzArg, &a) + `) m ON m.customer_id = c.id`
	}
	var n int64
	if err := db.Get(ctx, m.db, `SELECT count(*) FROM `+from+` WHERE c.website_id = ANY(`+a.Add(websiteIDs)+`) AND (`+pred+`)`, a.Values(), &n); err != nil {
		return 0, fmt.Errorf("preview: %w", err)
	}
	return n, nil
}
