package logging_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/segments/segments/server/logging"
)

func TestFormats(t *testing.T) {
	t.Parallel()
	ctx := logging.WithRequestID(context.Background(), "req-1")

	var js bytes.Buffer
	log, err := logging.New(&js, "json", slog.LevelInfo)
	require.NoError(t, err)
	log.InfoContext(ctx, "refresh run done", "run", 4, "took", 1500*time.Millisecond)
	log.Debug("hidden")
	log.Info("no request")
	got := strings.Split(strings.TrimSpace(js.String()), "\n")
	require.Len(t, got, 2)
	var line map[string]any
	require.NoError(t, json.Unmarshal([]byte(got[0]), &line))
	require.Equal(t, "refresh run done", line["msg"])
	require.Equal(t, "req-1", line["request_id"])
	require.EqualValues(t, 4, line["run"])
	require.Equal(t, "1.5s", line["took"])
	require.NotContains(t, got[1], "request_id")

	var text bytes.Buffer
	log, err = logging.New(&text, "TEXT", slog.LevelDebug)
	require.NoError(t, err)
	log.With("part", "jobs").DebugContext(ctx, "hello")
	require.Contains(t, text.String(), "msg=hello part=jobs request_id=req-1")

	_, err = logging.New(&text, "xml", slog.LevelInfo)
	require.ErrorContains(t, err, "use text or json")
}

func TestRequestIDs(t *testing.T) {
	t.Parallel()
	for _, ok := range []string{"a", "lb-4f2a-77", "0f8c7e3a-1b2c-4d5e-8f90-123456789abc", strings.Repeat("z", 128), "Root=1-5f84c7a1;Sampled=1"} {
		require.True(t, logging.SaneRequestID(ok), ok)
		require.Equal(t, ok, logging.RequestIDFrom(ok))
	}
	for _, bad := range []string{"", " ", "a b", "line\nbreak", strings.Repeat("z", 129), "ünï", "nul\x00"} {
		require.False(t, logging.SaneRequestID(bad), bad)
		id := logging.RequestIDFrom(bad)
		require.True(t, logging.SaneRequestID(id))
		require.NotEqual(t, id, logging.RequestIDFrom(bad), "a new id each time")
	}
}

func TestNote(t *testing.T) {
	t.Parallel()
	var none *logging.Note
	none.SetOperation("x") // outside a request: nothing, no panic
	require.Empty(t, none.Operation())
	require.Nil(t, logging.NoteOf(context.Background()))

	ctx, n := logging.WithNote(context.Background())
	logging.NoteOf(ctx).SetOperation("SegmentList")
	logging.NoteOf(ctx).SetPrincipal("user:3")
	logging.NoteOf(ctx).SetRoute("/graphql")
	require.Equal(t, "SegmentList", n.Operation())
	require.Equal(t, "user:3", n.Principal())
	require.Equal(t, "/graphql", n.Route())
}
