package devserver

import (
	"bufio"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// stream is an open event stream read line by line in the background.
type stream struct {
	lines  chan string
	cancel context.CancelFunc
	resp   *http.Response
}

func openStream(t *testing.T, url string) *stream {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	s := &stream{lines: make(chan string, 100), cancel: cancel, resp: resp}
	go func() {
		defer close(s.lines)
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			s.lines <- sc.Text()
		}
	}()
	t.Cleanup(func() {
		cancel()
		resp.Body.Close()
	})
	return s
}

// event waits for the named event and returns its data, lines joined.
func (s *stream) event(t *testing.T, name string) string {
	t.Helper()
	deadline := time.After(5 * time.Second)
	var cur string
	var data []string
	for {
		select {
		case line, ok := <-s.lines:
			if !ok {
				t.Fatalf("the stream ended before event %q", name)
			}
			switch {
			case strings.HasPrefix(line, "event: "):
				cur, data = strings.TrimPrefix(line, "event: "), nil
			case strings.HasPrefix(line, "data: "):
				data = append(data, strings.TrimPrefix(line, "data: "))
			case line == "" && cur != "":
				if cur == name {
					return strings.Join(data, "\n")
				}
				cur = ""
			}
		case <-deadline:
			t.Fatalf("no event %q within 5 s", name)
		}
	}
}

// line waits for a line with the prefix.
func (s *stream) line(t *testing.T, prefix string) {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		select {
		case line, ok := <-s.lines:
			if !ok {
				t.Fatalf("the stream ended before a line %q", prefix)
			}
			if strings.HasPrefix(line, prefix) {
				return
			}
		case <-deadline:
			t.Fatalf("no line %q within 5 s", prefix)
		}
	}
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("%s: not within 5 s", what)
}

func TestBrokerDeliversEvents(t *testing.T) {
	b := NewBroker(time.Hour)
	ts := httptest.NewServer(b)
	t.Cleanup(ts.Close)
	s := openStream(t, ts.URL)
	if ct := s.resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/event-stream") {
		t.Errorf("Content-Type %q", ct)
	}
	if cc := s.resp.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q", cc)
	}
	first := s.event(t, "hello")
	waitFor(t, "client registered", func() bool { return b.Clients() == 1 })

	tests := []struct{ name, data string }{
		{"reload", "3 pages"},
		{"error", "content/a.md:2:1: bad\ncontent/b.md:3: worse"},
		{"reload", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b.Publish(tt.name, tt.data)
			if got := s.event(t, tt.name); got != tt.data {
				t.Errorf("data %q, want %q", got, tt.data)
			}
		})
	}
	// A browser connecting now learns that builds happened since the first
	// one connected: that is how a reconnecting page knows it is stale.
	s2 := openStream(t, ts.URL)
	if second := s2.event(t, "hello"); second == first || second == "" {
		t.Errorf("hello %q after three builds, %q before", second, first)
	}
}

func TestBrokerHeartbeat(t *testing.T) {
	b := NewBroker(20 * time.Millisecond)
	ts := httptest.NewServer(b)
	t.Cleanup(ts.Close)
	s := openStream(t, ts.URL)
	s.line(t, ": heartbeat")
	s.line(t, ": heartbeat")
}

func TestBrokerForgetsClosedClients(t *testing.T) {
	b := NewBroker(time.Hour)
	ts := httptest.NewServer(b)
	t.Cleanup(ts.Close)
	a, c := openStream(t, ts.URL), openStream(t, ts.URL)
	a.event(t, "hello")
	c.event(t, "hello")
	waitFor(t, "two clients", func() bool { return b.Clients() == 2 })
	a.cancel()
	waitFor(t, "one client after a disconnect", func() bool { return b.Clients() == 1 })
	// The remaining browser still gets events.
	b.Publish("reload", "x")
	c.event(t, "reload")
	c.cancel()
	waitFor(t, "no client", func() bool { return b.Clients() == 0 })
	// Publishing to nobody must not block.
	done := make(chan struct{})
	go func() { b.Publish("reload", "y"); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Publish blocked")
	}
}

func TestBrokerSlowClientDoesNotBlock(t *testing.T) {
	b := NewBroker(time.Hour)
	c, _ := b.subscribe() // never read
	defer b.unsubscribe(c)
	done := make(chan struct{})
	go func() {
		for range 100 {
			b.Publish("reload", "")
		}
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Publish blocked on a client that does not read")
	}
}

func TestBrokerRejectsPost(t *testing.T) {
	b := NewBroker(time.Hour)
	rec := httptest.NewRecorder()
	b.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, EventsPath, nil))
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST: status %d", rec.Code)
	}
}

func TestFormat(t *testing.T) {
	tests := []struct {
		ev   Event
		want string
	}{
		{Event{"reload", ""}, "event: reload\ndata: \n\n"},
		{Event{"reload", "3 pages"}, "event: reload\ndata: 3 pages\n\n"},
		{Event{"error", "a\nb"}, "event: error\ndata: a\ndata: b\n\n"},
		{Event{"error", "a\r\nb\rc"}, "event: error\ndata: a\ndata: b\ndata: c\n\n"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := format(tt.ev); got != tt.want {
				t.Errorf("format(%v) = %q, want %q", tt.ev, got, tt.want)
			}
		})
	}
}
