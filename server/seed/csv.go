package seed

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"time"
)

// WriteCSV writes the customers and orders Run would create for opts as
// import files (docs/files.md), streaming: half the customers' times in
// RFC 3339, half in the store-time format (as UTC). orders may be nil when
// opts.Orders is 0. The files make the import benchmark's data set.
func WriteCSV(customers, orders io.Writer, opts Options) error {
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	// The generator picks ids from these lists; indexes stand in for ids
	// so the rows can be written with codes.
	webs, groups := make([]int64, len(seedWebsites)), make([]int64, len(seedGroups))
	for i := range webs {
		webs[i] = int64(i)
	}
	for i := range groups {
		groups[i] = int64(i)
	}
	g := newSeedGen(opts, webs, groups)
	w := csv.NewWriter(customers)
	if err := w.Write([]string{"id", "website", "group", "email", "first_name", "last_name", "phone", "zip", "country", "region", "city", "created_at"}); err != nil {
		return err
	}
	rec := make([]string, 12)
	for id := int64(1); id <= int64(opts.Customers); id++ {
		c := g.customer(id)
		at := time.Unix(c.createdAt, 0).UTC()
		created := at.Format(time.RFC3339)
		if id%2 == 0 {
			created = at.Format(time.DateTime)
		}
		rec[0], rec[1], rec[2], rec[3] = strconv.FormatInt(id, 10), seedWebsites[c.websiteID].code, seedGroups[c.groupID].code, c.email
		rec[4], rec[5], rec[6], rec[7], rec[8], rec[9], rec[10], rec[11] = c.firstName, c.lastName, c.phone, c.zip, c.country, c.region, c.city, created
		if err := w.Write(rec); err != nil {
			return err
		}
	}
	if w.Flush(); w.Error() != nil || opts.Orders == 0 {
		return w.Error()
	}

	src := newOrderRows(newSeedGen(opts, webs, groups), uint64(opts.Orders))
	w = csv.NewWriter(orders)
	if err := w.Write([]string{"id", "customer_id", "status", "grand_total", "created_at"}); err != nil {
		return err
	}
	rec = rec[:5]
	for o := src.next(); o != nil; o = src.next() {
		rec[0], rec[1], rec[2] = strconv.FormatInt(o.id, 10), strconv.FormatInt(o.customerID, 10), o.status
		rec[3] = fmt.Sprintf("%d.%02d", o.cents/100, o.cents%100)
		rec[4] = time.Unix(o.createdAt, 0).UTC().Format(time.DateTime)
		if err := w.Write(rec); err != nil {
			return err
		}
	}
	w.Flush()
	return w.Error()
}
