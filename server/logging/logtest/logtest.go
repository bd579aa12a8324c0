// Package logtest keeps JSON log lines in memory for tests to read back.
package logtest

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/segments/segments/server/logging"
)

// Buffer is a log destination safe for concurrent writers.
type Buffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// New returns a JSON logger at level writing into a new Buffer.
func New(t testing.TB, level slog.Level) (*slog.Logger, *Buffer) {
	t.Helper()
	b := &Buffer{}
	log, err := logging.New(b, "json", level)
	require.NoError(t, err)
	return log, b
}

func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String is everything written so far.
func (b *Buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// Lines decodes the JSON lines written so far.
func (b *Buffer) Lines(t testing.TB) []map[string]any {
	t.Helper()
	return Parse(t, b.String())
}

// Parse decodes JSON log lines, skipping lines that are not JSON objects.
func Parse(t testing.TB, text string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, line := range strings.Split(text, "\n") {
		var m map[string]any
		if json.Unmarshal([]byte(line), &m) == nil && m != nil {
			out = append(out, m)
		}
	}
	return out
}
