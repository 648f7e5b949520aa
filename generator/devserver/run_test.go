package devserver

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"sxsh/generator/diag"
)

// syncBuffer is a bytes.Buffer that Run's goroutine and the test can share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// fakeBuild turns content/page.md into index.html the way a real build
// would: a page with "BAD" in it fails with a diagnostic and leaves the
// last good output alone; one with "HALF" in it is published with a
// diagnostic, as a build publishes around a broken page.
type fakeBuild struct {
	src, out string
	mu       sync.Mutex
	changes  [][]string
}

func (f *fakeBuild) build(ctx context.Context, changed []string) (Outcome, error) {
	f.mu.Lock()
	f.changes = append(f.changes, changed)
	f.mu.Unlock()
	text, err := os.ReadFile(filepath.Join(f.src, "content", "page.md"))
	if err != nil {
		return Outcome{}, err
	}
	if i := bytes.Index(text, []byte("BAD")); i >= 0 {
		return Outcome{}, diag.List{diag.Errorf("content/page.md", 1, i+1, "%s", strings.TrimSpace(string(text)))}
	}
	page := "<!doctype html><html><body><p>" + string(text) + "</p></body></html>"
	if err := os.WriteFile(filepath.Join(f.out, "index.html"), []byte(page), 0o644); err != nil {
		return Outcome{}, err
	}
	if err := os.WriteFile(filepath.Join(f.out, "style.css"), []byte("p{}"), 0o644); err != nil {
		return Outcome{}, err
	}
	out := Outcome{Summary: "1 page"}
	if i := bytes.Index(text, []byte("HALF")); i >= 0 {
		d := diag.Errorf("content/other.md", 2, i+1, "%s", strings.TrimSpace(string(text)))
		out.Errors = diag.List{d}
		out.Broken = []Broken{{Path: "/other/", File: "content/other.md", Errors: out.Errors}}
	}
	return out, nil
}

func (f *fakeBuild) changed() [][]string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.changes)
}

func fetch(t *testing.T, url string) (int, string) {
	t.Helper()
	c := http.Client{Timeout: 5 * time.Second}
	resp, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(body)
}

func TestRun(t *testing.T) {
	src := newSite(t)
	write(t, src, "content/page.md", "v1")
	out := filepath.Join(t.TempDir(), "site")
	fb := &fakeBuild{src: src, out: out}
	ln, err := Listen("127.0.0.1", 0)
	if err != nil {
		t.Fatal(err)
	}
	base := URL(ln.Addr())
	var stdout, stderr syncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, Config{Listener: ln, Source: src, Output: out, Build: fb.build,
			Stdout: &stdout, Stderr: &stderr, Quiet: testQuiet, Heartbeat: time.Hour})
	}()
	waitFor(t, "the first page", func() bool {
		return strings.Contains(stdout.String(), "Serving")
	})
	if code, body := fetch(t, base); code != 200 || !strings.Contains(body, "<p>v1</p>"+ScriptTag) {
		t.Fatalf("first page: %d %q", code, body)
	}
	if got := fb.changed(); len(got) != 1 || got[0] != nil {
		t.Errorf("the first build got changes %q, want nil (everything)", got)
	}
	events := openStream(t, base+strings.TrimPrefix(EventsPath, "/"))
	events.event(t, "hello")

	write(t, src, "content/page.md", "v2")
	events.event(t, "reload")
	if code, body := fetch(t, base); code != 200 || !strings.Contains(body, "<p>v2</p>") {
		t.Fatalf("after an edit: %d %q", code, body)
	}
	if got := fb.changed(); len(got) != 2 || !slices.Equal(got[1], []string{"content/page.md"}) {
		t.Errorf("builds got changes %q, want the edited page the second time", got)
	}

	write(t, src, "content/page.md", "BAD <script>x</script>")
	if msg := events.event(t, "error"); !strings.Contains(msg, "content/page.md:1:1: BAD <script>") {
		t.Errorf("error event %q", msg)
	}
	code, body := fetch(t, base)
	if code != 500 || !strings.Contains(body, "content/page.md:1:1: BAD &lt;script&gt;") || !strings.Contains(body, errorTitle) {
		t.Fatalf("after a failed build: %d %q", code, body)
	}
	if code, _ := fetch(t, base+"style.css"); code != 200 {
		t.Errorf("style.css: %d after a failed build", code)
	}
	if !strings.Contains(stderr.String(), "content/page.md:1:1: BAD") {
		t.Errorf("stderr %q lacks the diagnostic", stderr.String())
	}

	write(t, src, "content/page.md", "v3")
	events.event(t, "reload")
	if code, body := fetch(t, base); code != 200 || !strings.Contains(body, "<p>v3</p>") {
		t.Fatalf("after the fix: %d %q", code, body)
	}

	// Published around a broken page: the page shows, with the error.
	write(t, src, "content/page.md", "HALF done")
	if msg := events.event(t, "error"); !strings.Contains(msg, "content/other.md:2:1: HALF done") {
		t.Errorf("error event %q", msg)
	}
	if code, body := fetch(t, base); code != 200 || !strings.Contains(body, "<p>HALF done</p>") || !strings.Contains(body, "content/other.md:2:1: HALF done") {
		t.Fatalf("after a build with a broken page: %d %q", code, body)
	}
	if code, body := fetch(t, base+"other/"); code != 500 || !strings.Contains(body, "This page (content/other.md)") {
		t.Fatalf("the broken page: %d %q", code, body)
	}
	if !strings.Contains(stderr.String(), "built with 1 error") {
		t.Errorf("stderr %q lacks the partial build's line", stderr.String())
	}
	write(t, src, "content/page.md", "v4")
	events.event(t, "reload")
	if code, body := fetch(t, base); code != 200 || !strings.Contains(body, "<p>v4</p>") || strings.Contains(body, "sxsh-errors") {
		t.Fatalf("after the second fix: %d %q", code, body)
	}
	if !strings.Contains(stdout.String(), "rebuilt in ") {
		t.Errorf("stdout %q lacks the rebuild line", stdout.String())
	}
	if want := "Serving " + base + " — Ctrl+C to stop\n"; !strings.Contains(stdout.String(), want) {
		t.Errorf("stdout %q lacks %q", stdout.String(), want)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not stop after its context ended")
	}
	// The open event stream ends with the server.
	for range events.lines {
	}
	if _, err := net.DialTimeout("tcp", ln.Addr().String(), time.Second); err == nil {
		t.Error("the port is still open")
	}
}

func TestRunFirstBuildFails(t *testing.T) {
	src := newSite(t)
	write(t, src, "content/page.md", "BAD from the start")
	out := filepath.Join(t.TempDir(), "site")
	fb := &fakeBuild{src: src, out: out}
	ln, err := Listen("127.0.0.1", 0)
	if err != nil {
		t.Fatal(err)
	}
	var stdout syncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, Config{Listener: ln, Source: src, Output: out, Build: fb.build, Stdout: &stdout, Quiet: testQuiet})
	}()
	defer func() {
		cancel()
		<-done
	}()
	waitFor(t, "serving", func() bool { return strings.Contains(stdout.String(), "Serving") })
	base := URL(ln.Addr())
	for _, p := range []string{"", "tin-tuc/"} {
		if code, body := fetch(t, base+p); code != 500 || !strings.Contains(body, "BAD from the start") {
			t.Errorf("/%s: %d %q", p, code, body)
		}
	}
	write(t, src, "content/page.md", "good")
	waitFor(t, "the fixed page", func() bool {
		code, body := fetch(t, base)
		return code == 200 && strings.Contains(body, "good")
	})
}

func TestRunNeedsItsParts(t *testing.T) {
	err := Run(context.Background(), Config{Source: t.TempDir()})
	if err == nil {
		t.Fatal("Run without a listener or build succeeded")
	}
}

func TestListenPortInUse(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	port := busy.Addr().(*net.TCPAddr).Port
	_, err = Listen("127.0.0.1", port)
	var inUse *PortInUseError
	if !errors.As(err, &inUse) || inUse.Port != port {
		t.Fatalf("Listen on a busy port: %v", err)
	}
	want := "is already in use: stop the other server or use --port "
	if !strings.Contains(err.Error(), want) {
		t.Errorf("message %q lacks %q", err, want)
	}
}

func TestListenBadArguments(t *testing.T) {
	for _, tt := range []struct {
		bind string
		port int
	}{
		{"127.0.0.1", -1},
		{"127.0.0.1", 70000},
		{"192.0.2.7", 0}, // not an address of this machine
	} {
		t.Run(tt.bind, func(t *testing.T) {
			if ln, err := Listen(tt.bind, tt.port); err == nil {
				ln.Close()
				t.Errorf("Listen(%q, %d) succeeded", tt.bind, tt.port)
			}
		})
	}
}

func TestURL(t *testing.T) {
	tests := []struct{ addr, want string }{
		{"127.0.0.1:1313", "http://127.0.0.1:1313/"},
		{"0.0.0.0:1313", "http://127.0.0.1:1313/"},
		{"[::]:1313", "http://127.0.0.1:1313/"},
		{"[::1]:8080", "http://[::1]:8080/"},
		{"192.0.2.7:80", "http://192.0.2.7:80/"},
	}
	for _, tt := range tests {
		t.Run(tt.addr, func(t *testing.T) {
			addr, err := net.ResolveTCPAddr("tcp", tt.addr)
			if err != nil {
				t.Fatal(err)
			}
			if got := URL(addr); got != tt.want {
				t.Errorf("URL(%s) = %q, want %q", tt.addr, got, tt.want)
			}
		})
	}
}
