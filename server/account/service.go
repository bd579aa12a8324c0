package account

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/uptrace/bun"
	"golang.org/x/sync/semaphore"
	"golang.org/x/time/rate"

	"github.com/segments/segments/server/apperr"
	"github.com/segments/segments/server/auth"
	"github.com/segments/segments/server/change"
	"github.com/segments/segments/server/db"
	"github.com/segments/segments/server/ratelimit"
)

// Service manages users and API tokens and turns credentials into
// principals. Every method that changes something acts for the principal
// in its context (From): only admins manage users and tokens, and nobody
// grants more than they hold.
type Service struct {
	db *db.DB
	// hashes bounds how many password hashes run at once, so a flood of
	// sign-ins queues instead of taking every CPU.
	hashes *semaphore.Weighted
	// hashing counts the hashes running now; onHash, when set (tests),
	// sees the count each time one starts.
	hashing counter
	onHash  func(running int)
	now     func() time.Time
	// attempts limits how often each user may try its current password
	// in ChangePassword, which hashes every time.
	attempts *ratelimit.Keyed[int64]
	// tokens keeps resolved API tokens (CacheTokens); without a listener
	// it keeps nothing.
	tokens *change.LRU[[32]byte, *cachedToken]
}

type counter struct {
	mu sync.Mutex
	n  int
}

func (c *counter) add(d int) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n += d
	return c.n
}

// Password attempts per user in ChangePassword: a burst of
// passwordAttempts, refilled at that many a minute.
const passwordAttempts = 5

// MaxHashes is how many password hashes a Service runs at once: half the
// CPUs, at least two.
func MaxHashes() int { return max(2, runtime.NumCPU()/2) }

// NewService returns the service over d.
func NewService(d *db.DB) *Service {
	return &Service{db: d, hashes: semaphore.NewWeighted(int64(MaxHashes())), now: time.Now,
		attempts: ratelimit.New[int64](rate.Every(time.Minute/passwordAttempts), passwordAttempts),
		tokens:   change.NewLRU[[32]byte, *cachedToken](nil, 1)}
}

// admin returns ctx's principal when it may manage users and tokens.
func admin(ctx context.Context, what string) (*auth.Principal, error) {
	p := auth.From(ctx)
	if p == nil {
		return nil, apperr.Unknown("sign in to manage %s", what)
	}
	if !p.Role.Includes(auth.Admin) {
		return nil, apperr.Denied("managing %s needs the ADMIN role", what)
	}
	return p, nil
}

// mayGrant checks that p holds at least role and every one of websites
// (none: every website).
func mayGrant(p *auth.Principal, role auth.Role, websites []int64) error {
	if !role.Valid() {
		return apperr.Invalid("role %v is not one of analyst, viewer, editor, admin", role)
	}
	if !p.Role.Includes(role) {
		return apperr.Denied("you cannot grant the %s role: you hold %s", strings.ToUpper(role.String()), strings.ToUpper(p.Role.String()))
	}
	scope := p.Scope()
	if len(websites) == 0 && !scope.IsAll() {
		return apperr.Denied("you cannot grant every website: you hold only websites %v", p.Websites)
	}
	for _, id := range websites {
		if !scope.Has(id) {
			return apperr.Denied("you cannot grant website %d: it is outside your websites %v", id, p.Websites)
		}
	}
	return nil
}

// mayManage checks that p holds everything the subject holds, so a
// website-scoped admin cannot change (or disable) someone who sees more.
func mayManage(p *auth.Principal, what string, role auth.Role, websites []int64) error {
	if err := mayGrant(p, role, websites); err != nil {
		e, _ := apperr.As(err)
		if e != nil && e.Kind == apperr.Forbidden {
			return apperr.Denied("you cannot change %s: it holds more than you (%s)", what, strings.TrimPrefix(e.Message, "you cannot grant "))
		}
		return err
	}
	return nil
}

// normalizeWebsites sorts and de-duplicates ids and checks each exists.
func normalizeWebsites(ctx context.Context, idb bun.IDB, ids []int64) ([]int64, error) {
	ids = slices.Clone(ids)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	if len(ids) == 0 {
		return ids, nil
	}
	var found []int64
	if err := idb.NewSelect().Table("websites").Column("id").Where("id IN (?)", bun.List(ids)).Scan(ctx, &found); err != nil {
		return nil, fmt.Errorf("read websites: %w", err)
	}
	for _, id := range ids {
		if !slices.Contains(found, id) {
			return nil, apperr.Invalid("website %d does not exist", id)
		}
	}
	return ids, nil
}

// stamp is a time to store: the service's clock, to the microsecond
// PostgreSQL keeps, so a sign-in time from the same clock compares
// exactly with credentials_changed_at.
func (s *Service) stamp() time.Time { return s.now().Truncate(time.Microsecond) }
