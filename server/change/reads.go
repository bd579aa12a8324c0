package change

import "github.com/segments/segments/server/db"

// FollowReads has d's read side (a read replica, see db.DB.Read) follow
// the changes l hears: each change to what the report reads — the Report
// topic, and the catalogs its statements join — makes d read the
// primary's WAL position again before its next report read, and while l
// is not live d reads it before every one. Without a replica it does
// nothing.
func FollowReads(d *db.DB, l *Listener) {
	if !d.HasReplica() {
		return
	}
	for _, t := range []Topic{Report, Websites, CustomerGroups} {
		l.Subscribe(t, d.Changed)
	}
	d.FollowChanges(l.Live)
}
