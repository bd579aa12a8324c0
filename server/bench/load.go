package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"
)

// target is one GraphQL server the load generator posts to: ours (with its
// bearer token) or the peer.
type target struct {
	name   string
	url    string // http://127.0.0.1:port/graphql
	header http.Header
	pid    int // the serving process, for its CPU time and peak RSS
}

// loadResult is one point: conc clients posting one query for a while.
type loadResult struct {
	conc int
	// requests answered within the measured window; done also counts the
	// ones in flight at its end (answered after it), which the process's
	// CPU time over the point was spent on too.
	requests, done int
	window         time.Duration
	p50, p95, p99  time.Duration
	cpu            time.Duration // user + system time of the server process
}

func (r loadResult) rps() float64 {
	if r.window <= 0 {
		return 0
	}
	return float64(r.requests) / r.window.Seconds()
}

// cpuPerRequest is the server's CPU time per answered request.
func (r loadResult) cpuPerRequest() time.Duration {
	if r.done == 0 {
		return 0
	}
	return r.cpu / time.Duration(r.done)
}

// newLoadClient returns the HTTP client every load point shares: keep-alive
// connections, enough idle ones kept for the most concurrent point.
func newLoadClient(maxConc int) *http.Client {
	return &http.Client{
		Timeout: time.Minute,
		Transport: &http.Transport{
			MaxIdleConns:        2 * maxConc,
			MaxIdleConnsPerHost: 2 * maxConc,
			IdleConnTimeout:     time.Minute,
			DisableCompression:  true,
		},
	}
}

// load runs a closed loop: conc clients each post body to t, wait for the
// answer and post again, first for warm (not counted), then for dur. Only
// 200 answers without "errors" count; any other answer stops the run with
// an error showing it.
func load(ctx context.Context, client *http.Client, t target, body []byte, conc int, warm, dur time.Duration) (loadResult, error) {
	return loadSpread(ctx, client, []target{t}, body, conc, warm, dur)
}

// loadSpread is load over several instances of one server: client i posts to
// ts[i%len(ts)], and the CPU time is theirs together.
func loadSpread(ctx context.Context, client *http.Client, ts []target, body []byte, conc int, warm, dur time.Duration) (loadResult, error) {
	res := loadResult{conc: conc}
	if warm > 0 {
		if _, _, err := drive(ctx, client, ts, body, conc, time.Now().Add(warm)); err != nil {
			return res, err
		}
	}
	cpu := func() (time.Duration, error) {
		var sum time.Duration
		for _, t := range ts {
			c, err := procCPU(t.pid)
			if err != nil {
				return 0, err
			}
			sum += c
		}
		return sum, nil
	}
	cpu0, err := cpu()
	if err != nil {
		return res, err
	}
	start := time.Now()
	lat, tail, err := drive(ctx, client, ts, body, conc, start.Add(dur))
	if err != nil {
		return res, err
	}
	cpu1, err := cpu()
	if err != nil {
		return res, err
	}
	res.window, res.requests, res.done, res.cpu = dur, len(lat), len(lat)+tail, cpu1-cpu0
	if len(lat) == 0 {
		return res, fmt.Errorf("%s: no request was answered within %s", ts[0].name, dur)
	}
	res.p50, res.p95, res.p99 = percentile(lat, 50), percentile(lat, 95), percentile(lat, 99)
	return res, nil
}

// drive runs conc clients until deadline, client i posting to
// ts[i%len(ts)], and returns the latencies of the requests answered by
// then, and how many were answered after it.
func drive(ctx context.Context, client *http.Client, ts []target, body []byte, conc int, deadline time.Time) ([]time.Duration, int, error) {
	var (
		mu   sync.Mutex
		all  []time.Duration
		tail int
	)
	g, ctx := errgroup.WithContext(ctx)
	for i := range conc {
		t := ts[i%len(ts)]
		g.Go(func() error {
			var mine []time.Duration
			late := 0
			for ctx.Err() == nil && time.Now().Before(deadline) {
				start := time.Now()
				if err := post(ctx, client, t, body, nil); err != nil {
					return err
				}
				end := time.Now()
				if end.After(deadline) {
					late++
				} else {
					mine = append(mine, end.Sub(start))
				}
			}
			mu.Lock()
			all, tail = append(all, mine...), tail+late
			mu.Unlock()
			return nil
		})
	}
	err := g.Wait()
	return all, tail, err
}

// post sends one request and checks its answer; with out set, the answer
// is copied there.
func post(ctx context.Context, client *http.Client, t target, body []byte, out *bytes.Buffer) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	for k, v := range t.header {
		req.Header[k] = v
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("%s: %w", t.name, err)
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	if _, err := io.Copy(&buf, resp.Body); err != nil {
		return fmt.Errorf("%s: read the answer: %w", t.name, err)
	}
	if resp.StatusCode != http.StatusOK || bytes.Contains(buf.Bytes(), []byte(`"errors"`)) {
		return fmt.Errorf("%s answered %s: %s", t.name, resp.Status, snippet(buf.Bytes()))
	}
	if out != nil {
		*out = buf
	}
	return nil
}

func snippet(b []byte) string {
	const most = 600
	if len(b) > most {
		return string(b[:most]) + "…"
	}
	return string(b)
}

// clockTicks is USER_HZ, the unit of /proc/<pid>/stat's CPU times: 100 on
// every Linux the bench runs on (the kernel fixes it for user space).
const clockTicks = 100

// procCPU returns the user + system CPU time the process pid (all its
// threads) has used.
func procCPU(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	return parseStatCPU(string(b))
}

// parseStatCPU reads utime and stime (fields 14 and 15) from a
// /proc/<pid>/stat line; the command name (field 2) may hold spaces and
// parentheses, so fields are counted from its closing one.
func parseStatCPU(stat string) (time.Duration, error) {
	i := strings.LastIndexByte(stat, ')')
	if i < 0 {
		return 0, errors.New("/proc stat: no command name")
	}
	f := strings.Fields(stat[i+1:]) // f[0] is field 3, the state
	if len(f) < 13 {
		return 0, fmt.Errorf("/proc stat: %d fields after the command name", len(f))
	}
	var ticks int64
	for _, s := range f[11:13] {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("/proc stat: %w", err)
		}
		ticks += n
	}
	return time.Duration(ticks) * time.Second / clockTicks, nil
}

// procPeakRSS returns the peak resident set size of process pid in bytes
// (VmHWM in /proc/<pid>/status).
func procPeakRSS(pid int) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	return parseStatusKB(string(b), "VmHWM")
}

// parseStatusKB reads a "Name:   123 kB" line of /proc/<pid>/status, in bytes.
func parseStatusKB(status, name string) (int64, error) {
	for _, line := range strings.Split(status, "\n") {
		rest, ok := strings.CutPrefix(line, name+":")
		if !ok {
			continue
		}
		f := strings.Fields(rest)
		if len(f) != 2 || f[1] != "kB" {
			return 0, fmt.Errorf("/proc status: %q", line)
		}
		n, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil {
			return 0, fmt.Errorf("/proc status: %w", err)
		}
		return n * 1024, nil
	}
	return 0, fmt.Errorf("/proc status: no %s", name)
}

// loadAverage is /proc/loadavg's first three fields.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}
