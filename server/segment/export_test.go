package segment

import (
	"time"

	"github.com/segments/segments/server/db"
)

// SlowRefresher is a Refresher over d whose evaluation of the segments in
// delay takes that long, and which checks for deletions every check.
func SlowRefresher(d *db.DB, delay map[int64]time.Duration, check time.Duration) *Refresher {
	r := NewRefresher(d)
	r.slow, r.watchEvery = delay, check
	return r
}

// BeforeWrite makes r call f before writing each segment.
func BeforeWrite(r *Refresher, f func(id int64)) { r.beforeWrite = f }
