package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/uptrace/bun"
	"golang.org/x/text/language"
)

// Collation is the database collation every text sort uses, quoted for SQL:
// ORDER BY, keyset cursor comparisons, exports and the indexes that serve
// them all say `x COLLATE "segments_store"`. The app owns it: its ICU
// locale is the store's (STORE_LOCALE, see [UseStoreLocale]), so names sort
// the way the store's merchants read them whoever is looking.
const Collation = `"segments_store"`

// collationName is [Collation] unquoted, as pg_collation has it.
const collationName = "segments_store"

// DefaultStoreLocale is ICU's root locale: Unicode's default alphabetical
// order, with no language's own letters (Å sorts with A).
const DefaultStoreLocale = "und"

// storeIndexes are the indexes whose keys use [Collation], the one list of
// their definitions: dropping the collation drops them, and they are built
// again from here. Each keeps a text sort of the report an index range scan.
var storeIndexes = []struct{ name, def string }{
	{"customers_name", `customers (last_name COLLATE "segments_store", first_name COLLATE "segments_store", id)`},
	{"customers_email", `customers (email COLLATE "segments_store", id)`},
	{"customers_phone", `customers (phone COLLATE "segments_store", id)`},
	{"customers_zip", `customers (zip COLLATE "segments_store", id)`},
	{"customers_region", `customers (region COLLATE "segments_store", id)`},
	{"segments_name", `segments (name COLLATE "segments_store", id)`},
}

// storeLocaleLock is the advisory lock key that serialises changes of the
// collation between processes starting at once.
const storeLocaleLock = 0x5e6d_2e7a_0002

// ParseStoreLocale checks a STORE_LOCALE value, a BCP 47 language tag such
// as sv-SE or und, and returns it in canonical form. (Whether the database's
// ICU knows the language is checked by [UseStoreLocale].)
func ParseStoreLocale(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return DefaultStoreLocale, nil
	}
	tag, err := language.Parse(s)
	if err != nil {
		return "", err
	}
	out := tag.String()
	// The tag goes into CREATE COLLATION as a literal; a canonical tag is
	// letters, digits and hyphens, and anything else is refused outright.
	if !localeChars.MatchString(out) {
		return "", fmt.Errorf("%q is not a plain language tag", s)
	}
	return out, nil
}

var localeChars = regexp.MustCompile(`^[A-Za-z0-9-]+$`)

// LocaleChange says what [UseStoreLocale] did.
type LocaleChange struct {
	// From is the collation's locale before ("" when it had none); To the
	// one it has now.
	From, To string
	// Rebuilt says the collation was (re)created and its indexes built
	// again; Took is how long that took.
	Rebuilt bool
	Took    time.Duration
	// Indexes are the indexes built.
	Indexes []string
}

// StoreLocale returns the ICU locale of [Collation] in the database.
func StoreLocale(ctx context.Context, idb bun.IDB) (string, error) {
	locale, _, err := collationState(ctx, idb)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("the database has no %s collation: run `segments migrate`", Collation)
	}
	return locale, err
}

// collationState reads the collation's locale and whether ICU's version of
// it has changed since it was created (an operating system upgrade), which
// leaves its indexes possibly out of order.
func collationState(ctx context.Context, idb bun.IDB) (locale string, stale bool, err error) {
	// pg_collation's locale column is colliculocale in PostgreSQL 15 and
	// 16, colllocale from 17: read whichever the row has.
	err = idb.NewRaw(`SELECT coalesce(to_jsonb(c)->>'colliculocale', to_jsonb(c)->>'colllocale', ''),
		       coalesce(c.collversion <> pg_collation_actual_version(c.oid), false)
		  FROM pg_collation c
		 WHERE c.collname = ? AND c.collnamespace = current_schema()::regnamespace`, collationName).
		Scan(ctx, &locale, &stale)
	return locale, stale, err
}

// UseStoreLocale makes [Collation] sort by locale (a tag from
// [ParseStoreLocale]; "" keeps the current one) and sees that its indexes
// exist. When the locale differs from the collation's, or ICU's version of
// the collation changed, it drops the collation with its indexes, creates
// it with locale and builds the indexes again, in one transaction under an
// advisory lock: readers of the tables wait for it, and a failure leaves
// everything as it was. Building the customers indexes is the cost, about
// proportional to the number of customers.
func UseStoreLocale(ctx context.Context, idb *bun.DB, locale string) (LocaleChange, error) {
	var ch LocaleChange
	err := idb.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(?)`, int64(storeLocaleLock)); err != nil {
			return err
		}
		from, stale, err := collationState(ctx, tx)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("read the %s collation: %w", Collation, err)
		}
		ch.From, ch.To = from, from
		if locale == "" {
			locale = from
		}
		if locale == "" {
			locale = DefaultStoreLocale
		}
		start := time.Now()
		if locale != from || stale {
			if err := knownLocale(ctx, tx, locale); err != nil {
				return err
			}
			// Creating the collation can take no bind parameter; locale is
			// a canonical tag of letters, digits and hyphens.
			if _, err := ParseStoreLocale(locale); err != nil {
				return fmt.Errorf("store locale %q: %w", locale, err)
			}
			if _, err := tx.ExecContext(ctx, `DROP COLLATION IF EXISTS `+Collation+` CASCADE`); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `CREATE COLLATION `+Collation+` (provider = icu, locale = '`+locale+`')`); err != nil {
				return fmt.Errorf("create the %s collation for %q: %w", Collation, locale, err)
			}
			ch.To, ch.Rebuilt = locale, true
			// The catalogs instances keep are in the old order: tell them
			// (package change; this package cannot name its topics).
			if _, err := tx.ExecContext(ctx, `SELECT pg_notify('segments_change', 'websites'), pg_notify('segments_change', 'customer_groups')`); err != nil {
				return err
			}
		}
		built, err := ensureStoreIndexes(ctx, tx)
		if err != nil {
			return err
		}
		ch.Indexes = built
		ch.Took = time.Since(start)
		return nil
	})
	if err != nil {
		return LocaleChange{}, err
	}
	return ch, nil
}

// knownLocale refuses a locale whose language PostgreSQL's ICU does not
// know (ICU would quietly sort it as the root locale): the server imports
// a "<language>-x-icu" collation for each language ICU has.
func knownLocale(ctx context.Context, idb bun.IDB, locale string) error {
	tag, err := language.Parse(locale)
	if err != nil {
		return err
	}
	base, conf := tag.Base()
	lang := base.String()
	if conf == language.No { // und: Base guesses a language
		lang = DefaultStoreLocale
	}
	var ok bool
	if err := idb.NewRaw(`SELECT EXISTS (SELECT 1 FROM pg_collation WHERE collprovider = 'i' AND collname IN (?, ?))`,
		locale+"-x-icu", lang+"-x-icu").Scan(ctx, &ok); err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("STORE_LOCALE %q: this PostgreSQL's ICU has no collation for the language %q (it has those of SELECT collname FROM pg_collation WHERE collprovider = 'i')", locale, lang)
	}
	return nil
}

// ensureStoreIndexes builds those of storeIndexes that are missing, or
// that sort by another collation (the ICU root collation "und-x-icu" of
// databases made before the store had its own), and returns their names.
func ensureStoreIndexes(ctx context.Context, tx bun.Tx) ([]string, error) {
	var built []string
	for _, ix := range storeIndexes {
		var exists, ours bool
		if err := tx.NewRaw(`SELECT i.indexrelid IS NOT NULL,
			       coalesce((SELECT c.oid FROM pg_collation c
			                  WHERE c.collname = ? AND c.collnamespace = current_schema()::regnamespace) = ANY (i.indcollation), false)
			  FROM (SELECT to_regclass(?) AS oid) r LEFT JOIN pg_index i ON i.indexrelid = r.oid`, collationName, ix.name).
			Scan(ctx, &exists, &ours); err != nil {
			return nil, err
		}
		if exists && ours {
			continue
		}
		if exists {
			if _, err := tx.ExecContext(ctx, `DROP INDEX `+ix.name); err != nil {
				return nil, fmt.Errorf("drop index %s: %w", ix.name, err)
			}
		}
		if _, err := tx.ExecContext(ctx, `CREATE INDEX `+ix.name+` ON `+ix.def); err != nil {
			return nil, fmt.Errorf("build index %s: %w", ix.name, err)
		}
		built = append(built, ix.name)
	}
	return built, nil
}
