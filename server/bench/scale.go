package main

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"time"
)

// scale is the operations load scenario: drill-down clients against one
// `segments serve` for a while, the same while a full refresh of every
// active segment runs on it, then spread over two instances on the same
// database. It prints req/s and p50/p95/p99 of each.
func (b *bench) scale(opts loadOptions, clients int, dur time.Duration) error {
	fmt.Printf("\n## Load: %d drill-down clients, one instance, during a full refresh, two instances\n\n", clients)
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return err
	}
	key := hex.EncodeToString(raw)
	var big, members int64
	if err := b.d.Pool.QueryRow(b.ctx, `SELECT id, customer_count FROM segments ORDER BY customer_count DESC, id LIMIT 1`).Scan(&big, &members); err != nil {
		return fmt.Errorf("the load scenario needs a seeded store: %w", err)
	}
	query := pageDuel("first", "", big, nil, nil, false).ours.body
	var servers []*server
	defer func() {
		for _, s := range servers {
			s.stop()
		}
	}()
	start := func() (*server, error) {
		dir, err := os.MkdirTemp("", "segments-bench-scale")
		if err != nil {
			return nil, err
		}
		s, err := startOurs(b.ctx, b.url, b.token, key, dir)
		if err != nil {
			return nil, err
		}
		servers = append(servers, s)
		return s, nil
	}
	a, err := start()
	if err != nil {
		return err
	}
	client := newLoadClient(clients)
	type point struct {
		label string
		res   loadResult
	}
	var points []point
	measure := func(label string, ts ...target) error {
		res, err := loadSpread(b.ctx, client, ts, query, clients, opts.warm, dur)
		if err != nil {
			return fmt.Errorf("%s: %w", label, err)
		}
		fmt.Fprintf(os.Stderr, "bench: load, %s: %.0f req/s, p99 %s\n", label, res.rps(), ms(res.p99))
		points = append(points, point{label, res})
		return nil
	}
	before := loadAverage()
	if err := measure("one instance", a.target); err != nil {
		return err
	}

	// A full refresh of every active segment, asked as a merchant asks it.
	var answer bytes.Buffer
	if err := post(b.ctx, client, a.target, []byte(`{"query":"mutation { refreshSegmentData { id state segmentsTotal } }"}`), &answer); err != nil {
		return err
	}
	var job struct {
		Data struct {
			Job struct {
				ID    string `json:"id"`
				State string `json:"state"`
				Total int    `json:"segmentsTotal"`
			} `json:"refreshSegmentData"`
		} `json:"data"`
	}
	if err := json.Unmarshal(answer.Bytes(), &job); err != nil {
		return fmt.Errorf("refreshSegmentData: %w: %s", err, snippet(answer.Bytes()))
	}
	asked := time.Now()
	if err := measure(fmt.Sprintf("one instance, during a full refresh of %d segments", job.Data.Job.Total), a.target); err != nil {
		return err
	}
	state, err := b.waitRefresh(client, a.target, job.Data.Job.ID)
	if err != nil {
		return err
	}
	refreshed := time.Since(asked)

	second, err := start()
	if err != nil {
		return err
	}
	if err := measure("two instances, clients split evenly", a.target, second.target); err != nil {
		return err
	}

	fmt.Printf("first page (50 rows, no totalCount) of the biggest segment (%d members), authenticated; %s per point after a %s warm-up, closed loop\n\n",
		members, dur, opts.warm)
	fmt.Println("| point | req/s | p50 | p95 | p99 | server CPU/request |")
	fmt.Println("| --- | ---: | ---: | ---: | ---: | ---: |")
	for _, p := range points {
		fmt.Printf("| %s | %.0f | %s | %s | %s | %s |\n", p.label, p.res.rps(), ms(p.res.p50), ms(p.res.p95), ms(p.res.p99), ms(p.res.cpuPerRequest()))
	}
	during := fmt.Sprintf("the clients ran during its first %s", dur)
	if refreshed < dur {
		during = "it ended before the clients stopped"
	}
	fmt.Printf("\nThe refresh %s %s after it was asked; %s.\n", state, refreshed.Round(time.Second), during)
	fmt.Printf("Load average %s before, %s after. Two instances share this machine's CPUs: the point shows they serve side by side, not that they scale on one host.\n",
		before, loadAverage())
	return nil
}

// waitRefresh polls the refresh run id through t until it ends, and
// returns its final state.
func (b *bench) waitRefresh(client *http.Client, t target, id string) (string, error) {
	q, err := json.Marshal(map[string]any{"query": `query($id: ID!) { refreshJob(id: $id) { state error } }`, "variables": map[string]any{"id": id}})
	if err != nil {
		return "", err
	}
	deadline := time.Now().Add(30 * time.Minute)
	for time.Now().Before(deadline) {
		var answer bytes.Buffer
		if err := post(b.ctx, client, t, q, &answer); err != nil {
			return "", err
		}
		var got struct {
			Data struct {
				Job *struct {
					State string  `json:"state"`
					Error *string `json:"error"`
				} `json:"refreshJob"`
			} `json:"data"`
		}
		if err := json.Unmarshal(answer.Bytes(), &got); err != nil || got.Data.Job == nil {
			return "", fmt.Errorf("refreshJob: %v: %s", err, snippet(answer.Bytes()))
		}
		switch got.Data.Job.State {
		case "SUCCEEDED":
			return "SUCCEEDED", nil
		case "FAILED":
			reason := "no reason given"
			if got.Data.Job.Error != nil {
				reason = *got.Data.Job.Error
			}
			return "", fmt.Errorf("the refresh failed: %s", reason)
		}
		time.Sleep(time.Second)
	}
	return "", fmt.Errorf("the refresh did not end within 30 minutes")
}
