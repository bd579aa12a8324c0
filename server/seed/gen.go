package seed

import (
	"cmp"
	"math"
	"math/bits"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/segments/segments/server/bulk"
)

// The generator derives every customer from (seed, id) alone, with separate
// random streams for the parts that decide its orders ("core") and for its
// name and address, so the orders pass can re-derive a customer's
// created_at and buying habits without keeping a million of them in memory.
const (
	streamCore     = 1
	streamCustomer = 2
	streamOrders   = 3

	secondsPerDay = 24 * 60 * 60
	// newestCustomerAge keeps the newest customer a little older than Now, so
	// even it has room for an order placed after signing up.
	newestCustomerAge = 10 * 60
	// firstOrderDelay is how long after signing up a customer's first order
	// can come at the earliest.
	firstOrderDelay = 60
)

type seedGen struct {
	seed       uint64
	customers  int64
	now        int64 // opts.Now, Unix seconds (truncated)
	start      int64 // opts.Now less 3 years, Unix seconds
	span       int64 // seconds over which customers sign up
	tzOffset   int64 // the store's UTC offset at Now, seconds
	websiteIDs []int64
	groupIDs   []int64
	websiteW   int
	groupW     int

	src *rand.PCG
	r   *rand.Rand
}

func newSeedGen(opts Options, websiteIDs, groupIDs []int64) *seedGen {
	now := opts.Now.Truncate(time.Second)
	start := now.AddDate(-3, 0, 0)
	_, off := opts.Now.In(opts.Location).Zone()
	g := &seedGen{
		seed:       uint64(opts.Seed),
		customers:  int64(opts.Customers),
		now:        now.Unix(),
		start:      start.Unix(),
		span:       now.Unix() - newestCustomerAge - start.Unix(),
		tzOffset:   int64(off),
		websiteIDs: websiteIDs,
		groupIDs:   groupIDs,
		src:        rand.NewPCG(0, 0),
	}
	g.r = rand.New(g.src)
	for _, w := range seedWebsites {
		g.websiteW += w.share
	}
	for _, gr := range seedGroups {
		g.groupW += gr.share
	}
	return g
}

// splitmix64 scrambles x; it seeds the per-customer streams so that
// neighbouring ids get unrelated numbers.
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

func (g *seedGen) reseed(id int64, stream uint64) {
	g.src.Seed(splitmix64(g.seed^(stream*0x632be59bd9b4e019)), splitmix64(uint64(id)+stream<<56))
}

// customerCore is what decides a customer's orders.
type customerCore struct {
	createdAt int64 // Unix seconds
	website   int   // index into seedWebsites
	group     int   // index into seedGroups
	weight    uint64
	activeEnd int64 // the customer orders until then (Unix seconds)
	basket    int64 // median order total, cents
}

func (g *seedGen) core(id int64) customerCore {
	g.reseed(id, streamCore)
	r := g.r
	var c customerCore
	// Ids follow signup time. Signups grow over the years: twice as many a
	// day at Now as three years before (the inverse of the CDF of a density
	// rising linearly from 1 to 2).
	frac := (float64(id-1) + r.Float64()) / float64(g.customers)
	c.createdAt = g.start + int64((math.Sqrt(1+3*frac)-1)*float64(g.span))
	c.website = pickShare(r, g.websiteW, len(seedWebsites), func(i int) int { return seedWebsites[i].share })
	c.group = pickShare(r, g.groupW, len(seedGroups), func(i int) int { return seedGroups[i].share })

	age := g.now - c.createdAt
	c.activeEnd = g.now
	if r.IntN(100) < 35 { // churned: stopped buying some time ago
		c.activeEnd = c.createdAt + int64(float64(age)*(0.05+0.85*r.Float64()))
	}
	activeDays := uint64((c.activeEnd-c.createdAt)/secondsPerDay) + 1

	var base uint64
	p := r.IntN(1000)
	switch {
	case p < 100 || (age < 30*secondsPerDay && p < 500):
		base = 0 // never ordered
	case p >= 992:
		base = 12 + uint64(r.IntN(25)) // heavy buyer
	default:
		base = 1 + uint64(min(math.Exp(0.9*r.NormFloat64()), 25))
	}
	c.weight = base * uint64(seedGroups[c.group].orderWeight) * activeDays
	c.basket = int64(float64(seedGroups[c.group].basketCents) * math.Exp(0.4*r.NormFloat64()))
	return c
}

func pickShare(r *rand.Rand, total, n int, w func(int) int) int {
	x := r.IntN(total)
	for i := range n {
		x -= w(i)
		if x < 0 {
			return i
		}
	}
	return n - 1
}

func pickWeighted(r *rand.Rand, total int, list []weighted) string {
	x := r.IntN(total)
	for _, d := range list {
		x -= d.w
		if x < 0 {
			return d.s
		}
	}
	return list[len(list)-1].s
}

func pick(r *rand.Rand, list []string) string { return list[r.IntN(len(list))] }

// appendPattern fills a postcode or phone pattern: '#' a digit, '$' a
// non-zero digit, '@' an upper-case letter.
func appendPattern(b []byte, r *rand.Rand, pat string) []byte {
	const letters = "ABDEFGHJLNPQRSTUWXYZ"
	for i := 0; i < len(pat); i++ {
		switch c := pat[i]; c {
		case '#':
			b = append(b, byte('0'+r.IntN(10)))
		case '$':
			b = append(b, byte('1'+r.IntN(9)))
		case '@':
			b = append(b, letters[r.IntN(len(letters))])
		default:
			b = append(b, c)
		}
	}
	return b
}

// customerRow is one generated customer; empty optional fields are NULL.
type customerRow struct {
	id                                int64
	websiteID, groupID                int64
	email, firstName, lastName        string
	createdAt                         int64 // Unix seconds
	phone, zip, country, region, city string
}

func (g *seedGen) customer(id int64) customerRow {
	c := g.core(id)
	g.reseed(id, streamCustomer)
	r := g.r
	web := &seedWebsites[c.website]
	row := customerRow{
		id:        id,
		websiteID: g.websiteIDs[c.website],
		groupID:   g.groupIDs[c.group],
		createdAt: c.createdAt,
	}

	var country *seedCountry
	names := web.names
	doms, domW := commonDomains, 0
	if r.IntN(100) >= 3 { // 3% have no billing address at all
		cc := web.countries[pickShare(r, countriesW(web), len(web.countries), func(i int) int { return web.countries[i].w })]
		country = seedCountries[cc.code]
		row.country = cc.code
		names = country.names
		doms, domW = country.domains, country.domainW
	}
	if domW == 0 {
		for _, d := range doms {
			domW += d.w
		}
	}
	switch p := r.IntN(100); {
	case country != nil && country.altNames != nil && p < country.altNamesP:
		names = country.altNames
	case p >= 94: // names from anywhere
		names = allNamePools[r.IntN(len(allNamePools))]
	}
	female := r.IntN(2) == 0
	if female {
		row.firstName = pick(r, names.female)
	} else {
		row.firstName = pick(r, names.male)
	}
	li := r.IntN(len(names.last))
	row.lastName = names.last[li]
	if female && names.lastFemale != nil {
		row.lastName = names.lastFemale[li]
	}
	row.email = email(r, row.firstName, row.lastName, id, pickWeighted(r, domW, doms))

	if country != nil {
		pl := &country.places[placeIndex(r, country)]
		if r.IntN(100) < 82 {
			pat := pl.phone
			if pat == "" {
				pat = pick(r, country.phones)
			}
			row.phone = string(appendPattern(make([]byte, 0, 20), r, pat))
		}
		if r.IntN(100) < 95 {
			row.zip = string(appendPattern(make([]byte, 0, 10), r, pl.zip))
		}
		if pl.region != "" && r.IntN(100) < 92 {
			row.region = pl.region
		}
		if r.IntN(100) < 98 {
			row.city = pl.city
		}
	}
	return row
}

func countriesW(w *seedWebsite) int {
	t := 0
	for _, c := range w.countries {
		t += c.w
	}
	return t
}

func placeIndex(r *rand.Rand, c *seedCountry) int {
	x := r.IntN(c.placeW)
	for i, p := range c.places {
		x -= p.w
		if x < 0 {
			return i
		}
	}
	return len(c.places) - 1
}

// email builds a lower-case ASCII address from the name; the customer id
// at the end of the local part makes it unique (the rest holds no digits).
func email(r *rand.Rand, first, last string, id int64, domain string) string {
	f, l := foldASCII(first), foldASCII(last)
	var b strings.Builder
	b.Grow(len(f) + len(l) + len(domain) + 12)
	switch p := r.IntN(100); {
	case p < 45:
		b.WriteString(f)
		b.WriteByte('.')
		b.WriteString(l)
	case p < 60:
		b.WriteString(f)
		b.WriteString(l)
	case p < 72:
		b.WriteString(f[:1])
		b.WriteByte('.')
		b.WriteString(l)
	case p < 82:
		b.WriteString(f)
		b.WriteByte('_')
		b.WriteString(l)
	case p < 90:
		b.WriteString(f)
	default:
		b.WriteString(l)
		b.WriteByte('.')
		b.WriteString(f)
	}
	var num [20]byte
	b.Write(strconv.AppendInt(num[:0], id, 10))
	b.WriteByte('@')
	b.WriteString(domain)
	return b.String()
}

var asciiFold = map[rune]string{
	'à': "a", 'á': "a", 'â': "a", 'ã': "a", 'ä': "a", 'å': "a", 'ā': "a", 'ą': "a",
	'æ': "ae", 'ç': "c", 'ć': "c", 'č': "c", 'ð': "d", 'đ': "d",
	'è': "e", 'é': "e", 'ê': "e", 'ë': "e", 'ē': "e", 'ę': "e", 'ě': "e",
	'ì': "i", 'í': "i", 'î': "i", 'ï': "i", 'ł': "l", 'ñ': "n", 'ń': "n", 'ň': "n",
	'ò': "o", 'ó': "o", 'ô': "o", 'õ': "o", 'ö': "o", 'ø': "o", 'ō': "o", 'ő': "o", 'œ': "oe",
	'ß': "ss", 'ś': "s", 'š': "s", 'þ': "th", 'ù': "u", 'ú': "u", 'û': "u", 'ü': "u", 'ū': "u", 'ů': "u", 'ű': "u",
	'ý': "y", 'ÿ': "y", 'ź': "z", 'ż': "z", 'ž': "z",
}

// foldASCII lower-cases s and spells it in ASCII letters for an email
// address: Åsa → asa, Øystein → oystein, Þórður → thordur, O'Brien →
// obrien. Hyphens stay; spaces, apostrophes and anything else go.
func foldASCII(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, c := range s {
		c = unicode.ToLower(c)
		switch {
		case c >= 'a' && c <= 'z', c == '-':
			b.WriteRune(c)
		default:
			if f, ok := asciiFold[c]; ok {
				b.WriteString(f)
			}
		}
	}
	return b.String()
}

// orderCounts hands out exactly total orders over the customers in
// proportion to their weights, in id order and without storing a count per
// customer: customer i gets ⌊total·Cᵢ/W⌋ − ⌊total·Cᵢ₋₁/W⌋ orders, Cᵢ being
// the cumulative weight up to i. Integer arithmetic keeps it exact and the
// same on every platform.
type orderCounts struct {
	total, weight uint64 // orders to hand out, sum of all weights
	cum           uint64
	given         uint64
}

func (o *orderCounts) next(w uint64) int {
	o.cum += w
	hi, lo := bits.Mul64(o.total, o.cum)
	upto, _ := bits.Div64(hi, lo, o.weight)
	n := upto - o.given
	o.given = upto
	return int(n)
}

// orderRow is one generated order.
type orderRow struct {
	id, customerID int64
	status         string
	cents          int64
	createdAt      int64 // Unix seconds
}

// orderStatuses for orders placed in the last 3 days, the last 2 weeks, and
// earlier: recent orders are still being processed, old ones are done.
var orderStatuses = [3][]weighted{
	{{"complete", 30}, {"processing", 40}, {"pending", 25}, {"canceled", 5}},
	{{"complete", 75}, {"processing", 12}, {"pending", 3}, {"canceled", 6}, {"closed", 4}},
	{{"complete", 85}, {"processing", 1}, {"pending", 1}, {"canceled", 7}, {"closed", 6}},
}

// orders appends customer id's n orders to buf, oldest first, numbering
// them from firstID.
func (g *seedGen) orders(buf []orderRow, id int64, c customerCore, n int, firstID int64) []orderRow {
	g.reseed(id, streamOrders)
	r := g.r
	from := c.createdAt + firstOrderDelay
	to := c.activeEnd
	if to-from < 3600 {
		to = g.now
	}
	window := float64(to - from)
	start := len(buf)
	for range n {
		t := from + int64(r.Float64()*window)
		// Fewer orders at night in the store's time zone.
		if h := ((t + g.tzOffset) % secondsPerDay) / 3600; h < 7 && r.IntN(100) < 70 {
			if t2 := t + int64(7+r.IntN(12))*3600; t2 < to {
				t = t2
			}
		}
		st := 2
		switch age := g.now - t; {
		case age < 3*secondsPerDay:
			st = 0
		case age < 14*secondsPerDay:
			st = 1
		}
		cents := int64(float64(c.basket) * math.Exp(0.55*r.NormFloat64()))
		cents = max(cents, 495)
		buf = append(buf, orderRow{customerID: id, createdAt: t, cents: cents,
			status: pickWeighted(r, 100, orderStatuses[st])})
	}
	if n <= 100000 {
		slices.SortFunc(buf[start:], func(a, b orderRow) int { return cmp.Compare(a.createdAt, b.createdAt) })
	}
	for i := start; i < len(buf); i++ {
		buf[i].id = firstID + int64(i-start)
	}
	return buf
}

// customerRows generates customers 1..g.customers as COPY rows.
type customerRows struct {
	g  *seedGen
	id int64
}

func newCustomerRows(g *seedGen) *customerRows { return &customerRows{g: g} }

// AppendRow implements bulk.RowSource.
func (s *customerRows) AppendRow(b []byte) ([]byte, bool) {
	if s.id >= s.g.customers {
		return b, false
	}
	s.id++
	c := s.g.customer(s.id)
	b = bulk.AppendFieldCount(b, 12)
	b = bulk.AppendInt8(b, c.id)
	b = bulk.AppendInt8(b, c.websiteID)
	b = bulk.AppendInt8(b, c.groupID)
	b = bulk.AppendText(b, c.email)
	b = bulk.AppendText(b, c.firstName)
	b = bulk.AppendText(b, c.lastName)
	b = bulk.AppendTimestamptz(b, c.createdAt)
	b = bulk.AppendOptText(b, c.phone)
	b = bulk.AppendOptText(b, c.zip)
	b = bulk.AppendOptText(b, c.country)
	b = bulk.AppendOptText(b, c.region)
	b = bulk.AppendOptText(b, c.city)
	return b, true
}

// orderRows generates the orders, customer by customer, as COPY rows.
type orderRows struct {
	g      *seedGen
	counts orderCounts
	extra  uint64 // added to every weight
	cust   int64  // the last customer whose orders were generated
	nextID int64
	buf    []orderRow
	pos    int
}

func newOrderRows(g *seedGen, total uint64) *orderRows {
	var w uint64
	for id := int64(1); id <= g.customers; id++ {
		w += g.core(id).weight
	}
	s := &orderRows{g: g, nextID: 1}
	if w == 0 && total > 0 { // nobody would order (a tiny store): everyone does
		s.extra = 1
		w = uint64(g.customers)
	}
	s.counts = orderCounts{total: total, weight: w}
	return s
}

// next returns the next order, or nil after the last.
func (s *orderRows) next() *orderRow {
	for s.pos >= len(s.buf) {
		if s.cust >= s.g.customers {
			return nil
		}
		s.cust++
		c := s.g.core(s.cust)
		n := s.counts.next(c.weight + s.extra)
		s.buf = s.g.orders(s.buf[:0], s.cust, c, n, s.nextID)
		s.nextID += int64(n)
		s.pos = 0
	}
	o := &s.buf[s.pos]
	s.pos++
	return o
}

// AppendRow implements bulk.RowSource.
func (s *orderRows) AppendRow(b []byte) ([]byte, bool) {
	o := s.next()
	if o == nil {
		return b, false
	}
	b = bulk.AppendFieldCount(b, 5)
	b = bulk.AppendInt8(b, o.id)
	b = bulk.AppendInt8(b, o.customerID)
	b = bulk.AppendText(b, o.status)
	b = bulk.AppendNumericCents(b, o.cents)
	b = bulk.AppendTimestamptz(b, o.createdAt)
	return b, true
}
