package graph

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// held is a handler whose requests report their start and then wait until
// released, by name (the request's path).
type held struct {
	started chan string
	mu      sync.Mutex
	release map[string]chan struct{}
}

func newHeld() *held {
	return &held{started: make(chan string, 10), release: map[string]chan struct{}{}}
}

func (h *held) gate(name string) chan struct{} {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.release[name] == nil {
		h.release[name] = make(chan struct{})
	}
	return h.release[name]
}

func (h *held) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.started <- r.URL.Path
	<-h.gate(r.URL.Path)
}

func (h *held) send(handler http.Handler, name string, done *sync.WaitGroup) {
	done.Add(1)
	go func() {
		defer done.Done()
		handler.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodPost, name, nil))
	}()
}

// TestRequestsTakeTurns: beyond the limit, requests wait and start in the
// order they came as turns free up.
func TestRequestsTakeTurns(t *testing.T) {
	t.Parallel()
	h := newHeld()
	handler := inTurn(1, time.Minute, h)
	var done sync.WaitGroup
	h.send(handler, "/a", &done)
	require.Equal(t, "/a", <-h.started)
	h.send(handler, "/b", &done)
	time.Sleep(50 * time.Millisecond) // let /b queue before /c
	h.send(handler, "/c", &done)
	select {
	case name := <-h.started:
		t.Fatalf("%s started while /a held the only turn", name)
	case <-time.After(100 * time.Millisecond):
	}
	close(h.gate("/a"))
	require.Equal(t, "/b", <-h.started, "the request that waited longest goes first")
	close(h.gate("/b"))
	require.Equal(t, "/c", <-h.started)
	close(h.gate("/c"))
	done.Wait()
}

// TestSlowRequestsDoNotHoldTheServer: a request that waited its longest for
// a turn runs anyway, so requests that hold every turn (slow counts, exports
// waiting for their file) never stop the server answering.
func TestSlowRequestsDoNotHoldTheServer(t *testing.T) {
	t.Parallel()
	h := newHeld()
	handler := inTurn(1, 20*time.Millisecond, h)
	var done sync.WaitGroup
	h.send(handler, "/slow", &done)
	require.Equal(t, "/slow", <-h.started)
	h.send(handler, "/next", &done)
	require.Equal(t, "/next", <-h.started, "runs after waiting, while /slow still holds the turn")
	close(h.gate("/next"))
	close(h.gate("/slow"))
	done.Wait()
}
