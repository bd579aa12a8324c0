package rule

import (
	"fmt"
	"math/big"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/segments/segments/server/apperr"
	"github.com/segments/segments/server/country"
)

// Limits on a rule tree. They keep the compiled SQL and the validation work
// bounded whatever a client sends.
const (
	// MaxDepth is how deeply groups may nest; the root group is depth 1, a
	// group inside it depth 2, and so on.
	MaxDepth = 5
	// MaxLeaves is the most customer and order conditions one rule may hold.
	MaxLeaves = 200
	// MaxGroups is the most groups one rule may hold below the root, so that
	// a tree of empty groups cannot grow without bound either.
	MaxGroups = 200
	// MaxValues is the most values one condition may list (IN and NOT_IN
	// lists; every other operator takes at most two).
	MaxValues = 1000
	// MaxRuleValues is the most values and statuses all of a rule's
	// conditions may list together, so that 200 leaves of 1,000 values each
	// cannot make one huge statement either.
	MaxRuleValues = 10000
	// MaxValueLength is the longest value accepted, in characters: longer
	// than any name, email or code the store holds.
	MaxValueLength = 255
	// MaxStatuses is the most order statuses one orders condition may list.
	MaxStatuses = 50
	// MaxStatusLength is the longest order status accepted, in characters
	// (Magento's are at most 32).
	MaxStatusLength = 64
	// MaxWithinDays is the largest withinDays accepted: a hundred years.
	MaxWithinDays = 36500
	// maxProblems caps the problems one Validate reports; past it the list
	// ends with a count of the rest.
	maxProblems = 100
	// maxNumberLen caps a number value's length so numeric stays cheap.
	maxNumberLen = 40
)

// Codes are the website and customer-group codes a rule may name, keyed in
// lower case (strings.ToLower of the stored code).
type Codes struct {
	Websites map[string]bool
	Groups   map[string]bool
}

// Problem is one thing wrong with a rule.
type Problem struct {
	// Path names the condition, relative to the root group, as in
	// "conditions[1].conditions[0]"; it is "" for the root group itself.
	Path    string
	Message string
}

// String renders the problem as "path: message".
func (p Problem) String() string {
	if p.Path == "" {
		return p.Message
	}
	return p.Path + ": " + p.Message
}

// ValidationError lists everything wrong with a rule, in tree order.
type ValidationError struct {
	Problems []Problem
}

// Error joins the problems with "; ".
func (e *ValidationError) Error() string {
	s := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		s[i] = p.String()
	}
	return strings.Join(s, "; ")
}

// AsProblems returns the problems as apperr problems of the input field that
// holds the rule (the API's "conditions"), so a caller can report them with
// its own, each naming its condition.
func (e *ValidationError) AsProblems(field string) []apperr.Problem {
	out := make([]apperr.Problem, len(e.Problems))
	for i, p := range e.Problems {
		out[i] = apperr.Problem{Field: field, Condition: p.Path, Message: p.Message}
	}
	return out
}

// kind is the type of a field or measure, which decides its operators and
// how its values parse.
type kind int

const (
	kindText  kind = iota // free text, compared ignoring case
	kindCode              // a code from a closed set (country, group, website)
	kindDate              // a calendar date, YYYY-MM-DD
	kindInt               // a whole number (counts, days)
	kindMoney             // a decimal amount in the base currency
)

var customerKinds = map[CustomerField]kind{
	FieldEmail:           kindText,
	FieldFirstName:       kindText,
	FieldLastName:        kindText,
	FieldPhone:           kindText,
	FieldZip:             kindText,
	FieldCity:            kindText,
	FieldRegion:          kindText,
	FieldCountry:         kindCode,
	FieldGroup:           kindCode,
	FieldWebsite:         kindCode,
	FieldCustomerSince:   kindDate,
	FieldDaysSinceSignup: kindInt,
}

var measureKinds = map[OrderMeasure]kind{
	MeasureOrderCount:         kindInt,
	MeasureSalesTotal:         kindMoney,
	MeasureAverageOrderValue:  kindMoney,
	MeasureDaysSinceLastOrder: kindInt,
}

var (
	textOps    = []Operator{OpEq, OpNeq, OpContains, OpNotContains, OpStartsWith, OpIn, OpNotIn, OpIsEmpty, OpIsNotEmpty}
	codeOps    = []Operator{OpEq, OpNeq, OpIn, OpNotIn, OpIsEmpty, OpIsNotEmpty}
	compareOps = []Operator{OpEq, OpNeq, OpGt, OpGte, OpLt, OpLte, OpBetween}
)

func operatorsFor(k kind) []Operator {
	switch k {
	case kindText:
		return textOps
	case kindCode:
		return codeOps
	default:
		return compareOps
	}
}

// knownOperator reports whether op is one of the API's operators at all.
func knownOperator(op Operator) bool {
	return slices.Contains(textOps, op) || slices.Contains(compareOps, op)
}

// Validate checks g against the rule semantics (docs/rules.md) and canonicalizes its values in place:
// country codes upper case, website and group codes lower case, dates
// YYYY-MM-DD, numbers without sign noise or needless zeros ("+007.50" →
// "7.5"), statuses trimmed, lower case, sorted and deduplicated (an empty
// list becomes nil, meaning every status). Text values are kept as given.
// It returns a *ValidationError listing every problem, or nil. On error g may
// be partly canonicalized and must not be saved.
func Validate(g *Group, codes Codes) error {
	return validate(g, &codes)
}

// validate is Validate with codes == nil meaning "don't check that codes
// exist", which Compile uses: it needs a well-formed tree, not a current one.
func validate(g *Group, codes *Codes) error {
	v := validator{codes: codes}
	if g == nil {
		v.add("", "the rule has no root group")
	} else {
		v.group(g, "", 1)
		v.totals()
	}
	return v.err()
}

// CheckSize reports the limits g exceeds (depth, conditions, groups,
// values and statuses per condition and in all) without reading a single
// value, so that an oversized rule is refused before anything else is done
// with it. Validate reports the same problems, with the same messages, among
// the rest.
func CheckSize(g *Group) error {
	var v validator
	if g != nil {
		v.size(g, "", 1)
		v.totals()
	}
	return v.err()
}

// size is group for CheckSize: sizes only.
func (v *validator) size(g *Group, path string, depth int) {
	if v.tooDeep(g, path, depth) {
		return
	}
	for i := range g.Conditions {
		c := &g.Conditions[i]
		p := join(path, i)
		if c.Group != nil {
			v.groups++
			v.size(c.Group, p, depth+1)
		}
		if c.Customer != nil {
			v.leaves++
			v.nvalues += len(c.Customer.Values)
			if len(c.Customer.Values) > MaxValues {
				v.valueCount(p, c.Customer.Operator, len(c.Customer.Values))
			}
		}
		if c.Orders != nil {
			v.leaves++
			v.nvalues += len(c.Orders.Values) + len(c.Orders.Statuses)
			if len(c.Orders.Values) > MaxValues {
				v.valueCount(p, c.Orders.Operator, len(c.Orders.Values))
			}
			v.tooManyStatuses(p, len(c.Orders.Statuses))
		}
	}
}

// totals reports the limits on the whole rule.
func (v *validator) totals() {
	if v.leaves > MaxLeaves {
		v.add("", fmt.Sprintf("the rule has %d conditions; at most %d are allowed", v.leaves, MaxLeaves))
	}
	if v.groups > MaxGroups {
		v.add("", fmt.Sprintf("the rule has %d groups; at most %d are allowed", v.groups, MaxGroups))
	}
	if v.nvalues > MaxRuleValues {
		v.add("", fmt.Sprintf("the rule lists %d values and statuses in all; at most %d are allowed", v.nvalues, MaxRuleValues))
	}
}

func (v *validator) err() error {
	if len(v.problems) == 0 {
		return nil
	}
	if v.dropped > 0 {
		v.problems = append(v.problems, Problem{Message: fmt.Sprintf("and %d more problems", v.dropped)})
	}
	return &ValidationError{Problems: v.problems}
}

type validator struct {
	codes    *Codes
	problems []Problem
	dropped  int
	leaves   int
	groups   int // below the root
	nvalues  int // values and statuses of every leaf
}

func (v *validator) add(path, msg string) {
	if len(v.problems) >= maxProblems {
		v.dropped++
		return
	}
	v.problems = append(v.problems, Problem{Path: path, Message: msg})
}

func join(path string, i int) string {
	s := fmt.Sprintf("conditions[%d]", i)
	if path == "" {
		return s
	}
	return path + "." + s
}

func (v *validator) group(g *Group, path string, depth int) {
	if g.Match != MatchAll && g.Match != MatchAny {
		v.add(path, fmt.Sprintf("match must be ALL or ANY, not %q", g.Match))
	}
	if v.tooDeep(g, path, depth) {
		return
	}
	for i := range g.Conditions {
		c := &g.Conditions[i]
		p := join(path, i)
		set := 0
		for _, b := range []bool{c.Group != nil, c.Customer != nil, c.Orders != nil} {
			if b {
				set++
			}
		}
		if set != 1 {
			v.add(p, fmt.Sprintf("a condition must set exactly one of group, customer, orders (this one sets %d)", set))
			v.count(g.Conditions[i])
			continue
		}
		switch {
		case c.Group != nil:
			v.groups++
			v.group(c.Group, p, depth+1)
		case c.Customer != nil:
			v.leaves++
			v.customer(c.Customer, p)
		case c.Orders != nil:
			v.leaves++
			v.orders(c.Orders, p)
		}
	}
}

// tooDeep reports a group nested past MaxDepth. It still counts what lies
// below, so the totals are right, but nothing else is reported from a
// subtree that is rejected as a whole.
func (v *validator) tooDeep(g *Group, path string, depth int) bool {
	if depth <= MaxDepth {
		return false
	}
	v.add(path, fmt.Sprintf("groups nest more than %d deep", MaxDepth))
	v.count(g)
	return true
}

// tooManyStatuses reports an orders condition with more than MaxStatuses.
func (v *validator) tooManyStatuses(path string, n int) bool {
	if n <= MaxStatuses {
		return false
	}
	v.add(path, fmt.Sprintf("at most %d statuses are allowed, not %d", MaxStatuses, n))
	return true
}

// count adds the groups, leaves and values under the given nodes to the
// totals without checking them.
func (v *validator) count(nodes ...any) {
	for _, n := range nodes {
		switch n := n.(type) {
		case *Group:
			for i := range n.Conditions {
				v.count(n.Conditions[i])
			}
		case Condition:
			if n.Customer != nil {
				v.leaves++
				v.nvalues += len(n.Customer.Values)
			}
			if n.Orders != nil {
				v.leaves++
				v.nvalues += len(n.Orders.Values) + len(n.Orders.Statuses)
			}
			if n.Group != nil {
				v.groups++
				v.count(n.Group)
			}
		}
	}
}

func (v *validator) customer(c *CustomerCondition, path string) {
	v.nvalues += len(c.Values)
	k, ok := customerKinds[c.Field]
	if !ok {
		v.add(path, fmt.Sprintf("unknown customer field %q", c.Field))
		return
	}
	v.values(path, string(c.Field), k, c.Field, c.Operator, c.Values)
}

func (v *validator) orders(o *OrderCondition, path string) {
	v.nvalues += len(o.Values) + len(o.Statuses)
	k, ok := measureKinds[o.Measure]
	if !ok {
		v.add(path, fmt.Sprintf("unknown order measure %q", o.Measure))
	} else {
		v.values(path, string(o.Measure), k, "", o.Operator, o.Values)
	}
	if o.WithinDays != nil && (*o.WithinDays < 1 || *o.WithinDays > MaxWithinDays) {
		v.add(path, fmt.Sprintf("withinDays must be between 1 and %d, not %d", MaxWithinDays, *o.WithinDays))
	}
	// An oversized list is refused whole, each status left unread.
	if !v.tooManyStatuses(path, len(o.Statuses)) && o.Statuses != nil {
		ok := true
		for i, s := range o.Statuses {
			switch {
			case strings.TrimSpace(s) == "":
				v.add(path, fmt.Sprintf("status %d is empty", i+1))
				ok = false
			case !cleanString(s):
				v.add(path, fmt.Sprintf("status %d contains a NUL character or invalid UTF-8", i+1))
				ok = false
			case tooLong(s, MaxStatusLength):
				v.add(path, fmt.Sprintf("status %d is longer than %d characters", i+1, MaxStatusLength))
				ok = false
			}
		}
		if ok {
			o.Statuses = canonicalStatuses(o.Statuses)
		}
	}
}

// canonicalStatuses trims and lower-cases statuses, drops blanks and
// duplicates and sorts them; it returns nil (every status) when none remain.
func canonicalStatuses(in []string) []string {
	var out []string
	for _, s := range in {
		s = strings.ToLower(strings.TrimSpace(s))
		if s != "" {
			out = append(out, s)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// tooLong reports whether s has more than n characters, without counting
// far past n.
func tooLong(s string, n int) bool {
	if len(s) <= n { // every character is at least one byte
		return false
	}
	return len(s) > utf8.UTFMax*n || utf8.RuneCountInString(s) > n
}

// cleanString reports whether s can be sent to PostgreSQL as text.
func cleanString(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsRune(s, 0)
}

// valueCount reports a wrong number of values for op.
func (v *validator) valueCount(path string, op Operator, n int) {
	switch op {
	case OpBetween:
		if n != 2 {
			v.add(path, fmt.Sprintf("BETWEEN needs two values, not %d", n))
		}
	case OpIn, OpNotIn:
		if n < 1 {
			v.add(path, fmt.Sprintf("%s needs at least one value", op))
		}
		if n > MaxValues {
			v.add(path, fmt.Sprintf("%s takes at most %d values, not %d", op, MaxValues, n))
		}
	case OpIsEmpty, OpIsNotEmpty:
		if n != 0 {
			v.add(path, fmt.Sprintf("%s takes no values, not %d", op, n))
		}
	default:
		if n != 1 {
			v.add(path, fmt.Sprintf("%s needs one value, not %d", op, n))
		}
	}
}

func (v *validator) values(path, name string, k kind, field CustomerField, op Operator, vals []string) {
	if !knownOperator(op) {
		v.add(path, fmt.Sprintf("unknown operator %q", op))
		return
	}
	allowed := operatorsFor(k)
	if !slices.Contains(allowed, op) {
		v.add(path, fmt.Sprintf("operator %s does not apply to %s (use one of %s)", op, name, joinOps(allowed)))
		return
	}
	v.valueCount(path, op, len(vals))
	if len(vals) > MaxValues {
		// Refused whole (valueCount said why): each value is left unread,
		// so an oversized list costs nothing more.
		return
	}
	var parsed []*big.Rat // for the BETWEEN order check
	for i, raw := range vals {
		if !cleanString(raw) {
			v.add(path, fmt.Sprintf("value %d contains a NUL character or invalid UTF-8", i+1))
			continue
		}
		if tooLong(raw, MaxValueLength) {
			v.add(path, fmt.Sprintf("value %d is longer than %d characters", i+1, MaxValueLength))
			continue
		}
		switch k {
		case kindText:
			// Text stays as given: leading and trailing spaces may matter to
			// CONTAINS and STARTS_WITH. A blank value can never equal a
			// non-empty field, so it is almost surely a mistake.
			if raw == "" || (strings.TrimSpace(raw) == "" && op != OpContains && op != OpNotContains && op != OpStartsWith) {
				v.add(path, fmt.Sprintf("value %d is empty (to test for an empty field use IS_EMPTY or IS_NOT_EMPTY)", i+1))
			}
		case kindCode:
			c, msg := v.code(field, raw)
			if msg != "" {
				v.add(path, fmt.Sprintf("value %d: %s", i+1, msg))
				continue
			}
			vals[i] = c
		default:
			canon, r, err := parseNumeric(k, raw)
			if err != nil {
				v.add(path, fmt.Sprintf("value %d: %v", i+1, err))
				continue
			}
			vals[i] = canon
			parsed = append(parsed, r)
		}
	}
	if op == OpBetween && len(vals) == 2 && len(parsed) == 2 && parsed[0].Cmp(parsed[1]) > 0 {
		v.add(path, fmt.Sprintf("BETWEEN's low value %s is greater than its high value %s", vals[0], vals[1]))
	}
}

func joinOps(ops []Operator) string {
	s := make([]string, len(ops))
	for i, o := range ops {
		s[i] = string(o)
	}
	return strings.Join(s, ", ")
}

// code canonicalizes one code value and checks that it exists (unless
// v.codes is nil); msg is non-empty when the value is rejected.
func (v *validator) code(field CustomerField, raw string) (canon, msg string) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return "", "is empty (to test for an empty field use IS_EMPTY or IS_NOT_EMPTY)"
	}
	switch field {
	case FieldCountry:
		s = strings.ToUpper(s)
		if !country.Valid(s) {
			return "", fmt.Sprintf("unknown country code %q (use an ISO 3166-1 alpha-2 code such as SE)", raw)
		}
	case FieldGroup:
		s = strings.ToLower(s)
		if v.codes != nil && !v.codes.Groups[s] {
			return "", fmt.Sprintf("unknown customer group code %q", raw)
		}
	case FieldWebsite:
		s = strings.ToLower(s)
		if v.codes != nil && !v.codes.Websites[s] {
			return "", fmt.Sprintf("unknown website code %q", raw)
		}
	}
	return s, ""
}

var (
	intRE   = regexp.MustCompile(`^[+-]?[0-9]+$`)
	moneyRE = regexp.MustCompile(`^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$`)
)

// parseNumeric parses a date, whole number or decimal value (surrounding
// spaces allowed) and returns its canonical text and its value as a
// rational; a date's value is its day number since 1970-01-01.
func parseNumeric(k kind, raw string) (string, *big.Rat, error) {
	s := strings.TrimSpace(raw)
	switch k {
	case kindDate:
		t, err := time.Parse(time.DateOnly, s)
		if err != nil || t.Year() < 1 {
			return "", nil, fmt.Errorf("%q is not a date (use YYYY-MM-DD)", raw)
		}
		return t.Format(time.DateOnly), big.NewRat(dayNumber(t), 1), nil
	case kindInt:
		if len(s) > maxNumberLen {
			return "", nil, fmt.Errorf("%q is too long a number", raw)
		}
		if !intRE.MatchString(s) {
			return "", nil, fmt.Errorf("%q is not a whole number", raw)
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return "", nil, fmt.Errorf("%q is out of range", raw)
		}
		return strconv.FormatInt(n, 10), big.NewRat(n, 1), nil
	case kindMoney:
		if len(s) > maxNumberLen {
			return "", nil, fmt.Errorf("%q is too long a number", raw)
		}
		if !moneyRE.MatchString(s) {
			return "", nil, fmt.Errorf("%q is not a number (use digits and a dot for decimals, like 1234.50)", raw)
		}
		canon := canonicalDecimal(s)
		r, ok := new(big.Rat).SetString(canon)
		if !ok { // cannot happen after the regexp; be safe
			return "", nil, fmt.Errorf("%q is not a number", raw)
		}
		return canon, r, nil
	}
	return "", nil, fmt.Errorf("%q: not a number field", raw)
}

// canonicalDecimal rewrites a decimal matched by moneyRE without a plus
// sign, leading zeros, trailing fraction zeros or a negative zero.
func canonicalDecimal(s string) string {
	neg := false
	switch s[0] {
	case '-':
		neg = true
		s = s[1:]
	case '+':
		s = s[1:]
	}
	ip, fp, _ := strings.Cut(s, ".")
	ip = strings.TrimLeft(ip, "0")
	fp = strings.TrimRight(fp, "0")
	if ip == "" {
		ip = "0"
	}
	out := ip
	if fp != "" {
		out += "." + fp
	}
	if neg && out != "0" {
		out = "-" + out
	}
	return out
}

// dayNumber is the civil date of t (in t's location) as days since
// 1970-01-01, so dates compare and subtract as integers.
func dayNumber(t time.Time) int64 {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400
}
