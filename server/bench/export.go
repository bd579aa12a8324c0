package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/segments/segments/server/customer"
)

// export measures exports of (about) every customer to CSV and Excel XML
// through `segments export` (the export job, in a process of its own so its
// peak memory can be read), against the floor: psql \copy of the same
// SELECT to a file.
func (b *bench) export() error {
	var ids []int64
	if err := b.d.Pool.QueryRow(b.ctx, `SELECT array_agg(id ORDER BY id) FROM segments`).Scan(&ids); err != nil {
		return err
	}
	q := customer.Query{SegmentIDs: ids, Mode: customer.Union, Order: customer.Order{Field: customer.OrderID}}
	n, err := b.lister.Count(b.ctx, q)
	if err != nil {
		return err
	}
	sql, args, err := b.lister.AllSQL(b.ctx, q)
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "segments-bench-export")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	// The floor: the same rows straight out of PostgreSQL as CSV.
	inlined := sql
	for i := len(args); i >= 1; i-- {
		inlined = strings.ReplaceAll(inlined, fmt.Sprintf("$%d", i), literal(args[i-1]))
	}
	start := time.Now()
	cmd := exec.CommandContext(b.ctx, "psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", b.url, "-c",
		fmt.Sprintf("\\copy (%s) TO '%s/floor.csv' CSV HEADER", strings.Join(strings.Fields(inlined), " "), dir))
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("psql copy: %v: %s", err, out)
	}
	floor := time.Since(start)

	fmt.Printf("\n## Export of %d customers (union of all %d segments, ID order)\n\n", n, len(ids))
	fmt.Println("| format | time | floor (psql \\copy of the same SELECT) | ratio | peak RSS of the exporting process |")
	fmt.Println("| --- | ---: | ---: | ---: | ---: |")
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	segs := make([]string, 0, 2*len(ids))
	for _, id := range ids {
		segs = append(segs, "--segment", strconv.FormatInt(id, 10))
	}
	for _, f := range []string{"csv", "excel-xml"} {
		args := append([]string{"export", "--database-url", b.url, "--data-dir", dir, "--format", f, "-o", dir + "/out." + f}, segs...)
		cmd := exec.CommandContext(b.ctx, segmentsBinary(exe), args...)
		start := time.Now()
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("segments export: %v: %s", err, out)
		}
		took := time.Since(start)
		rss := cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss // KiB on Linux
		fmt.Printf("| %s | %s | %s | %.2fx | %.0f MiB |\n", f, took.Round(time.Millisecond), floor.Round(time.Millisecond), float64(took)/float64(floor), float64(rss)/1024)
	}
	return nil
}

// segmentsBinary finds bin/segments (make bench builds it) from the
// working directory.
func segmentsBinary(string) string {
	if p, err := filepath.Abs("bin/segments"); err == nil {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return "segments"
}
