package job

import "github.com/segments/segments/server/segment"

// WatchRefresh makes the refresh runs of a Client made with cfg tell seen
// the segments and options each attempt passes to segment.Refresher.
func WatchRefresh(cfg *Config, seen func(ids []int64, opts segment.RefreshOptions)) {
	cfg.refreshing = seen
}
