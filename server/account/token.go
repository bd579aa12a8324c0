package account

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"github.com/segments/segments/server/apperr"
	"github.com/segments/segments/server/audit"
	"github.com/segments/segments/server/auth"
)

// TokenPrefix starts every API token secret, so a leaked one is easy to
// recognise (and to scan for).
const TokenPrefix = "seg_"

// tokenBytes is the secret's entropy: 32 random bytes, 43 base64url
// characters after the prefix.
const tokenBytes = 32

// MaxTokenName is the longest token name, in characters.
const MaxTokenName = 100

// lastUseEvery is how often a token's last_used_at is written at most: a
// busy client costs one write a minute, not one per request.
const lastUseEvery = time.Minute

// Token is a credential for scripts and BI tools. Its secret is shown
// once, at creation; only its SHA-256 is kept, and never leaves this
// package.
type Token struct {
	bun.BaseModel `bun:"table:api_tokens,alias:t"`

	ID   int64     `bun:"id,pk,autoincrement"`
	Name string    `bun:"name"`
	Role auth.Role `bun:"role"`
	// Websites limits the token to these website ids, sorted; empty: all.
	Websites []int64 `bun:"websites,array,scanonly"`
	// CreatedBy is who created the token, in actor form ("user:7", "cli").
	CreatedBy  string     `bun:"created_by"`
	CreatedAt  time.Time  `bun:"created_at,nullzero,default:now()"`
	LastUsedAt *time.Time `bun:"last_used_at"`
	ExpiresAt  *time.Time `bun:"expires_at"`
	RevokedAt  *time.Time `bun:"revoked_at"`
}

// NewToken is what CreateToken needs.
type NewToken struct {
	Name string
	Role auth.Role
	// Websites limits the token to these website ids; none: every website.
	Websites []int64
	// Expires, when set, is when the token stops working.
	Expires *time.Time
}

const tokenColumns = `t.id, t.name, t.role, t.created_by, t.created_at, t.last_used_at, t.expires_at, t.revoked_at,
	ARRAY(SELECT tw.website_id FROM api_token_websites tw WHERE tw.token_id = t.id ORDER BY tw.website_id) AS websites`

type tokenWebsite struct {
	bun.BaseModel `bun:"table:api_token_websites"`

	TokenID   int64 `bun:"token_id"`
	WebsiteID int64 `bun:"website_id"`
}

// CheckTokenName trims and validates a token's name.
func CheckTokenName(name string) (string, error) {
	n := strings.TrimSpace(name)
	switch {
	case n == "":
		return "", apperr.Invalid("a token needs a name")
	case !utf8.ValidString(n) || strings.ContainsFunc(n, unicode.IsControl):
		return "", apperr.Invalid("token name %q has control characters or is not UTF-8 text", n)
	case utf8.RuneCountInString(n) > MaxTokenName:
		return "", apperr.Invalid("token name is %d characters long: at most %d are allowed", utf8.RuneCountInString(n), MaxTokenName)
	case strings.Trim(n, "0123456789") == "":
		return "", apperr.Invalid("token name %q is only digits, which would read as a token id: add a letter", n)
	}
	return n, nil
}

func secretHash(secret string) []byte {
	sum := sha256.Sum256([]byte(secret))
	return sum[:]
}

// CreateToken creates an API token and returns it with its secret, which
// is shown this once: only its SHA-256 is stored.
func (s *Service) CreateToken(ctx context.Context, nt NewToken) (Token, string, error) {
	p, err := admin(ctx, "API tokens")
	if err != nil {
		return Token{}, "", err
	}
	name, err := CheckTokenName(nt.Name)
	if err != nil {
		return Token{}, "", err
	}
	if err := mayGrant(p, nt.Role, nt.Websites); err != nil {
		return Token{}, "", err
	}
	if nt.Expires != nil && !nt.Expires.After(s.now()) {
		return Token{}, "", apperr.Invalid("expiry %s is not in the future", nt.Expires.UTC().Format(time.RFC3339))
	}
	raw := make([]byte, tokenBytes)
	if _, err := rand.Read(raw); err != nil {
		return Token{}, "", fmt.Errorf("token secret: %w", err)
	}
	secret := TokenPrefix + base64.RawURLEncoding.EncodeToString(raw)
	var t Token
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		websites, err := normalizeWebsites(ctx, tx, nt.Websites)
		if err != nil {
			return err
		}
		taken, err := tx.NewSelect().Table("api_tokens").Where("name = ?", name).Exists(ctx)
		if err != nil {
			return fmt.Errorf("check token name: %w", err)
		}
		if taken {
			return apperr.Invalid("a token named %q exists", name)
		}
		t = Token{Name: name, Role: nt.Role, CreatedBy: p.Actor().String(), ExpiresAt: nt.Expires}
		if _, err := tx.NewInsert().Model(&t).Value("secret_sha256", "?", secretHash(secret)).Returning("id, created_at").Exec(ctx); err != nil {
			if isUniqueViolation(err) {
				return apperr.Invalid("a token named %q exists", name)
			}
			return fmt.Errorf("insert token: %w", err)
		}
		err = setWebsites(ctx, tx, "token_id", t.ID, websites, func(w int64) tokenWebsite { return tokenWebsite{TokenID: t.ID, WebsiteID: w} })
		if err != nil {
			return err
		}
		t.Websites = websites
		details := map[string]any{"name": name, "role": t.Role.String(), "websites": websites}
		if t.ExpiresAt != nil {
			details["expires_at"] = t.ExpiresAt.UTC().Format(time.RFC3339)
		}
		return audit.Record(ctx, tx, audit.TokenCreated, []int64{t.ID}, details)
	})
	if err != nil {
		return Token{}, "", err
	}
	return t, secret, nil
}

// Tokens returns the API tokens by id, without the revoked ones unless
// includeRevoked. A website-scoped admin sees only tokens within its
// websites.
func (s *Service) Tokens(ctx context.Context, includeRevoked bool) ([]Token, error) {
	p, err := admin(ctx, "API tokens")
	if err != nil {
		return nil, err
	}
	out := []Token{}
	q := s.db.NewSelect().Model(&out).ColumnExpr(tokenColumns).OrderExpr("t.id")
	if !includeRevoked {
		q = q.Where("t.revoked_at IS NULL")
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	return slices.DeleteFunc(out, func(t Token) bool { return !visible(p, t.Websites) }), nil
}

// RevokeToken ends an API token at once. Revoking a revoked token changes
// nothing.
func (s *Service) RevokeToken(ctx context.Context, id int64) (Token, error) {
	p, err := admin(ctx, "API tokens")
	if err != nil {
		return Token{}, err
	}
	var t Token
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		err := tx.NewSelect().Model(&t).ColumnExpr(tokenColumns).Where("t.id = ?", id).For("UPDATE OF t").Scan(ctx)
		if errors.Is(err, sql.ErrNoRows) || err == nil && !visible(p, t.Websites) {
			return apperr.Missing("API token %d does not exist", id)
		}
		if err != nil {
			return fmt.Errorf("read token: %w", err)
		}
		if err := mayManage(p, fmt.Sprintf("token %q", t.Name), t.Role, t.Websites); err != nil {
			return err
		}
		if t.RevokedAt != nil {
			return nil
		}
		now := s.stamp()
		t.RevokedAt = &now
		if _, err := tx.NewUpdate().Model(&t).Column("revoked_at").WherePK().Exec(ctx); err != nil {
			return fmt.Errorf("revoke token: %w", err)
		}
		return audit.Record(ctx, tx, audit.TokenRevoked, []int64{t.ID}, map[string]any{"name": t.Name})
	})
	if err != nil {
		return Token{}, err
	}
	// Refused here from the next request on; other instances drop it when
	// the notification of this commit reaches them.
	s.tokens.Invalidate()
	return t, nil
}

// token returns the token whose secret is secret, from the cache or read
// (and kept, if nothing changed meanwhile). Revoked and expired tokens are
// returned too: the caller refuses them with the time of the request.
func (s *Service) token(ctx context.Context, secret string) (*cachedToken, error) {
	hash := sha256.Sum256([]byte(secret))
	if ct, ok := s.tokens.Get(hash); ok {
		return ct, nil
	}
	gen := s.tokens.Generation()
	ct := &cachedToken{}
	err := s.db.NewSelect().Model(&ct.t).ColumnExpr(tokenColumns).Where("t.secret_sha256 = ?", hash[:]).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.Unknown("the API token is not known")
	}
	if err != nil {
		return nil, fmt.Errorf("read token: %w", err)
	}
	if ct.t.LastUsedAt != nil {
		ct.lastUse.Store(ct.t.LastUsedAt.UnixNano())
	}
	s.tokens.Add(gen, hash, ct)
	return ct, nil
}

// TokenPrincipal is the principal of an API token secret (as sent in
// "Authorization: Bearer seg_…"). Malformed, unknown, expired and revoked
// secrets are UNAUTHENTICATED. The token's last use is written at most
// once a minute. With CacheTokens, a token known to this instance costs no
// statement.
func (s *Service) TokenPrincipal(ctx context.Context, secret string) (*auth.Principal, error) {
	body, ok := strings.CutPrefix(secret, TokenPrefix)
	if !ok || base64.RawURLEncoding.DecodedLen(len(body)) != tokenBytes {
		return nil, apperr.Unknown("the API token is malformed: it should be %s followed by 43 characters", TokenPrefix)
	}
	if raw, err := base64.RawURLEncoding.Strict().DecodeString(body); err != nil || len(raw) != tokenBytes {
		return nil, apperr.Unknown("the API token is malformed: it should be %s followed by 43 characters", TokenPrefix)
	}
	ct, err := s.token(ctx, secret)
	if err != nil {
		return nil, err
	}
	t := &ct.t
	now := s.now()
	switch {
	case t.RevokedAt != nil:
		return nil, apperr.Unknown("the API token %q was revoked", t.Name)
	case t.ExpiresAt != nil && !t.ExpiresAt.After(now):
		return nil, apperr.Unknown("the API token %q expired at %s", t.Name, t.ExpiresAt.UTC().Format(time.RFC3339))
	}
	// One request of this instance at a time takes the minute's write.
	if last := ct.lastUse.Load(); (last == 0 || now.Sub(time.Unix(0, last)) >= lastUseEvery) && ct.lastUse.CompareAndSwap(last, now.UnixNano()) {
		// The condition repeats the check so instances racing on one
		// token write once between them.
		_, err := s.db.NewUpdate().Table("api_tokens").Set("last_used_at = ?", s.stamp()).
			Where("id = ? AND (last_used_at IS NULL OR last_used_at <= ?)", t.ID, now.Add(-lastUseEvery)).Exec(ctx)
		if err != nil {
			ct.lastUse.Store(last)
			return nil, fmt.Errorf("record token use: %w", err)
		}
	}
	p := &auth.Principal{Kind: auth.Token, ID: t.ID, Name: t.Name, Role: t.Role}
	if len(t.Websites) > 0 {
		p.Websites = slices.Clone(t.Websites)
	}
	return p, nil
}
