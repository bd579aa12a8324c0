package rule

import (
	"slices"
	"strconv"
	"strings"

	"github.com/segments/segments/server/db"
)

// Shared holds what several rules compiled into one statement read of each
// customer, so that each is computed once per customer rather than once per
// condition: a text field lowered (see lowerText) and whether it is empty,
// and whether the customer's website is one of a segment's. A refresh
// evaluates a batch of rules in one pass; at a million customers, lowering
// the same country, group code and city for each of 20 rules took a third
// of a full refresh.
//
// Compile a batch's rules with CompileShared and one Shared, then select
// the customers, groups and websites with the columns of Columns("c"),
// Columns("g") and Columns("w") added, computed once per row (each in a
// subquery the planner keeps whole, OFFSET 0: were it flattened, every
// reference would compute its expression again).
type Shared struct {
	args  *db.Args
	space string
	// cols are each alias's shared columns, "expression AS name", in the
	// order first used; names maps an expression to its column.
	cols  map[string][]string
	names map[string]string
}

// NewShared returns an empty Shared whose parameters go to args, the
// statement's.
func NewShared(args *db.Args) *Shared {
	return &Shared{args: args, cols: map[string][]string{}, names: map[string]string{}}
}

// Columns returns ", expr AS name" for each shared column of alias (c, g
// or w), or "" when it has none: to append to that table's select list.
func (s *Shared) Columns(alias string) string {
	if s == nil || len(s.cols[alias]) == 0 {
		return ""
	}
	return ", " + strings.Join(s.cols[alias], ", ")
}

// column returns alias.name of the shared column computing expr() over
// alias's row, adding it on first use of key (what expr computes).
func (s *Shared) column(alias, key string, expr func() string, kind string) string {
	key = alias + "\x00" + key
	if name, ok := s.names[key]; ok {
		return alias + "." + name
	}
	name := "rule_" + kind + strconv.Itoa(len(s.names))
	s.names[key] = name
	s.cols[alias] = append(s.cols[alias], expr()+" AS "+name)
	return alias + "." + name
}

// InWebsites returns a boolean column that is true when c.website_id is one
// of ids (sorted, as the segment stores them): computed once per customer
// for every segment with the same websites.
func (s *Shared) InWebsites(ids []int64) string {
	ids = slices.Clone(ids)
	slices.Sort(ids)
	key := make([]string, len(ids))
	for i, id := range ids {
		key[i] = strconv.FormatInt(id, 10)
	}
	return s.column("c", "websites "+strings.Join(key, ","), func() string {
		return "(c.website_id = ANY (" + s.args.Add(ids) + "::bigint[]))"
	}, "in_websites_")
}

// CompileShared is Compile reading the customer values the rules of one
// statement share from sh's columns (see Shared).
func CompileShared(g *Group, windows []Window, now, tz string, args *db.Args, sh *Shared) (string, error) {
	return compile(g, windows, now, tz, args, sh, false)
}

// lowered is col lowered as lowerText does: sh's column when sharing.
func (c *compiler) lowered(col string) string {
	if c.shared == nil {
		return lowerText(col)
	}
	return c.shared.column(alias(col), "lower "+col, func() string { return lowerText(col) }, "lower_")
}

// empty is true when col is NULL or blank: sh's column when sharing.
func (c *compiler) empty(col string) string {
	if c.shared == nil {
		return blank(col, c.spaceSet())
	}
	return c.shared.column(alias(col), "blank "+col, func() string {
		if c.shared.space == "" {
			c.shared.space = c.shared.args.Add(whitespace) + "::text"
		}
		return blank(col, c.shared.space)
	}, "empty_")
}

// blank is true when col is NULL or holds only the characters of the text
// parameter space (whitespace). Trimming costs about 0.5 µs a value; a
// blank value starts with whitespace, whose code points are at most 32
// (ASCII) or at least 133 (U+0085), so a value starting with anything else
// (nearly every one) is known not blank from its first character.
func blank(col, space string) string {
	return "(" + col + " IS NULL OR (ascii(" + col + ") <= 32 OR ascii(" + col + ") >= 133) AND length(btrim(" + col + ", " + space + ")) = 0)"
}

// alias is the table alias col (as customerColumns names it) is read from.
func alias(col string) string {
	a, _, _ := strings.Cut(col, ".")
	return a
}
