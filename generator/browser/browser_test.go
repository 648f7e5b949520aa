package browser

import (
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestRoundTrips(t *testing.T) {
	ms := func(a, b int) Request {
		return Request{Start: time.Duration(a) * time.Millisecond, End: time.Duration(b) * time.Millisecond}
	}
	tests := []struct {
		name string
		reqs []Request
		want int
	}{
		{"none", nil, 0},
		{"one", []Request{ms(0, 5)}, 1},
		{"parallel", []Request{ms(0, 5), ms(1, 4), ms(2, 9)}, 1},
		{"chain", []Request{ms(0, 5), ms(6, 8), ms(9, 12)}, 3},
		{"chain out of order", []Request{ms(9, 12), ms(0, 5), ms(6, 8)}, 3},
		{"fan out after one", []Request{ms(0, 5), ms(6, 8), ms(6, 9), ms(7, 10)}, 2},
		{"bridged by a long one", []Request{ms(0, 20), ms(6, 8), ms(9, 12)}, 1},
		{"in flight lasts to the end", []Request{ms(0, 5), {Start: 6 * time.Millisecond}, ms(7, 9)}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := RoundTrips(tt.reqs); got != tt.want {
				t.Errorf("RoundTrips = %d, want %d", got, tt.want)
			}
		})
	}
}

// site writes a folder of files for the server to serve.
func site(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestServerGzip(t *testing.T) {
	text := strings.Repeat("tiết kiệm điện ", 500)
	s := Serve(t, site(t, map[string]string{
		"index.html": "<!doctype html><title>x</title><p>" + text,
		"a.json":     `{"t":"` + text + `"}`,
		"b.png":      text, // not text by its type: sent as is
	}))
	tests := []struct {
		path, accept string
		gzipped      bool
	}{
		{"/", "gzip, deflate", true},
		{"/a.json", "br;q=1, gzip;q=0.5", true},
		{"/a.json", "gzip;q=0", false},
		{"/a.json", "", false},
		{"/b.png", "gzip", false},
	}
	for _, tt := range tests {
		t.Run(tt.path+" "+tt.accept, func(t *testing.T) {
			s.Reset()
			req, _ := http.NewRequest("GET", s.URL+tt.path, nil)
			req.Header.Set("Accept-Encoding", tt.accept)
			// A transport of its own: the default one would ask for gzip
			// and decode it behind our back.
			res, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			raw, err := io.ReadAll(res.Body)
			if err != nil {
				t.Fatal(err)
			}
			if got := res.Header.Get("Content-Encoding") == "gzip"; got != tt.gzipped {
				t.Fatalf("gzipped = %v, want %v", got, tt.gzipped)
			}
			if csp := res.Header.Get("Content-Security-Policy"); csp != "script-src 'self'" {
				t.Errorf("Content-Security-Policy = %q", csp)
			}
			body := raw
			if tt.gzipped {
				zr, err := gzip.NewReader(strings.NewReader(string(raw)))
				if err != nil {
					t.Fatal(err)
				}
				if body, err = io.ReadAll(zr); err != nil {
					t.Fatal(err)
				}
				if len(raw) >= len(body)/4 {
					t.Errorf("%d bytes gzipped to %d: not compressed", len(body), len(raw))
				}
			}
			if !strings.Contains(string(body), text) {
				t.Errorf("body does not hold the file's text")
			}
			if st := s.Stats(); st.Requests != 1 || st.Bytes != int64(len(raw)) {
				t.Errorf("Stats = %+v, want 1 request of %d bytes", st, len(raw))
			}
			if rs := s.Responses(); len(rs) != 1 || rs[0].Path != tt.path || rs[0].Status != http.StatusOK {
				t.Errorf("Responses = %+v, want one 200 for %s", rs, tt.path)
			}
		})
	}
}

// TestMain stops the browser the tests share.
func TestMain(m *testing.M) {
	code := m.Run()
	StopShared()
	os.Exit(code)
}

func TestTab(t *testing.T) {
	b := Shared(t)
	s := Serve(t, site(t, map[string]string{
		"index.html": `<!doctype html><html lang="vi"><title>x</title><h1>Xin chào</h1>` +
			`<script>document.title = "inline ran"</script><script src="/a.js"></script>`,
		"a.js": `console.error("from a.js"); fetch("/missing.json"); document.body.dataset.done = "1";`,
	}))
	tab := b.Tab(t)
	if err := tab.Navigate(s.URL + "/"); err != nil {
		t.Fatal(err)
	}
	if err := tab.WaitFor(`document.body.dataset.done === "1"`); err != nil {
		t.Fatal(err)
	}
	if got, err := tab.Text("h1"); err != nil || got != "Xin chào" {
		t.Errorf("Text(h1) = %q, %v", got, err)
	}
	var title string
	if err := tab.Eval(`document.title`, &title); err != nil || title != "x" {
		t.Errorf("title = %q, %v: the inline script should be blocked", title, err)
	}
	// The fetch may still be in flight when the flag is set.
	if err := tab.WaitFor(`performance.getEntriesByType("resource").some(e => e.name.endsWith("/missing.json") && e.responseEnd > 0)`); err != nil {
		t.Fatal(err)
	}
	probs := strings.Join(tab.Problems(), "\n")
	for _, want := range []string{"from a.js", "Content Security Policy", "404"} {
		if !strings.Contains(probs, want) {
			t.Errorf("problems do not mention %q:\n%s", want, probs)
		}
	}
	var paths []string
	for _, r := range tab.Requests() {
		paths = append(paths, strings.TrimPrefix(r.URL, s.URL))
		if r.Failed == "" && r.End != 0 && r.End < r.Start { // End is zero while in flight
			t.Errorf("%s: ends before it starts", r.URL)
		}
	}
	if got := strings.Join(paths, " "); !strings.HasPrefix(got, "/ /a.js /missing.json") {
		t.Errorf("requests = %s", got)
	}
}

func TestThrottle(t *testing.T) {
	b := Shared(t) // a browser context of its own: the throttle stays in it
	s := Serve(t, site(t, map[string]string{
		"index.html": `<!doctype html><title>x</title><link rel="icon" href="data:,"><script src="/a.js"></script>`,
		// a.js fetches b.json only once it runs: a round trip of its own.
		"a.js":   `fetch("/b.json").then(function (r) { return r.json(); }).then(function (v) { document.title = v.t; });`,
		"b.json": `{"t":"done"}`,
	}))
	tab := b.Tab(t)
	const latency = 150 * time.Millisecond
	if err := tab.Throttle(latency, 0); err != nil {
		t.Fatal(err)
	}
	if err := tab.Navigate(s.URL + "/"); err != nil {
		t.Fatal(err)
	}
	if err := tab.WaitFor(`document.title === "done"`); err != nil {
		t.Fatal(err)
	}
	reqs := tab.Requests()
	if len(reqs) != 3 {
		t.Fatalf("%d requests, want 3: %+v", len(reqs), reqs)
	}
	for _, r := range reqs {
		if d := r.End - r.Start; d < latency {
			t.Errorf("%s took %v, less than the latency %v", r.URL, d, latency)
		}
	}
	if n := RoundTrips(reqs); n != 3 {
		t.Errorf("RoundTrips = %d, want 3", n)
	}
}

// TestTabKeptClean: the tab a test is done with comes to the next test as
// a new one would: the files its page read are asked of the server again,
// and the page's storage, its cookies and what the tab recorded are gone.
// A tab whose settings a test changed is not kept.
func TestTabKeptClean(t *testing.T) {
	b := Shared(t)
	s := Serve(t, site(t, map[string]string{
		"index.html": `<!doctype html><title>x</title><link rel="icon" href="data:,"><script src="/a.js" defer></script>`,
		"a.js": `document.body.dataset.before = (localStorage.getItem("k") || "no storage") + ", " + (document.cookie || "no cookie");` +
			`localStorage.setItem("k", "kept"); document.cookie = "c=kept"; console.error("from a.js"); document.body.dataset.done = "1";`,
	}))
	open := func(t *testing.T, tab *Tab) string {
		t.Helper()
		if err := tab.Navigate(s.URL + "/"); err != nil {
			t.Fatal(err)
		}
		if err := tab.WaitFor(`document.body.dataset.done === "1"`); err != nil {
			t.Fatal(err)
		}
		var before string
		if err := tab.Eval(`document.body.dataset.before`, &before); err != nil {
			t.Fatal(err)
		}
		return before
	}
	var first *Tab
	t.Run("first", func(t *testing.T) {
		first = b.Tab(t)
		first.Timeout = time.Minute
		if got := open(t, first); got != "no storage, no cookie" {
			t.Errorf("a new tab's page found %q", got)
		}
		// Within a test, the tab keeps what the page stored and read.
		s.Reset()
		if got := open(t, first); got != "kept, c=kept" {
			t.Errorf("the second visit found %q", got)
		}
		for _, r := range s.Responses() {
			if r.Path == "/a.js" {
				t.Error("the second visit asked for /a.js: the browser's cache should have it")
			}
		}
		// What the tab recorded is let go; what it visited is cleaned all the same.
		first.ResetRequests()
	})
	t.Run("second", func(t *testing.T) {
		tab := b.Tab(t)
		if tab != first {
			t.Fatal("the first test's tab was not kept for the next")
		}
		var href string
		if err := tab.Eval(`location.href`, &href); err != nil || href != "about:blank" {
			t.Errorf("the kept tab shows %q (%v), not a blank page", href, err)
		}
		if p, r := tab.Problems(), tab.Requests(); len(p) > 0 || len(r) > 0 || tab.Timeout != 0 {
			t.Errorf("the kept tab still has the first test's problems %q, %d requests and timeout %v", p, len(r), tab.Timeout)
		}
		s.Reset()
		if got := open(t, tab); got != "no storage, no cookie" {
			t.Errorf("the kept tab's page found %q", got)
		}
		asked := false
		for _, r := range s.Responses() {
			asked = asked || r.Path == "/a.js"
		}
		if !asked {
			t.Error("the kept tab took /a.js from a cache")
		}
		if err := tab.Throttle(0, 0); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("after a throttle", func(t *testing.T) {
		if b.Tab(t) == first {
			t.Error("a tab whose network a test throttled was kept")
		}
	})
}

// outcome records how Require ended a test instead of ending it.
type outcome struct {
	testing.TB
	skipped, failed string
}

func (o *outcome) Skip(args ...any)                  { o.skipped = fmt.Sprint(args...) }
func (o *outcome) Fatalf(format string, args ...any) { o.failed = fmt.Sprintf(format, args...) }

func TestRequire(t *testing.T) {
	// No browser on an empty PATH.
	t.Setenv("PATH", t.TempDir())
	tests := []struct {
		ci         string
		skip, fail bool
	}{
		{"", true, false},
		{"true", false, true},
		{"1", false, true},
	}
	for _, tt := range tests {
		t.Run("CI="+tt.ci, func(t *testing.T) {
			t.Setenv("CI", tt.ci)
			o := &outcome{TB: t}
			if got := Require(o); got != "" {
				t.Fatalf("Require = %q on an empty PATH", got)
			}
			if (o.skipped != "") != tt.skip || (o.failed != "") != tt.fail {
				t.Errorf("skipped %q, failed %q; want skip %v, fail %v", o.skipped, o.failed, tt.skip, tt.fail)
			}
			if tt.skip && o.skipped != "no Chromium installed: browser tests skipped" {
				t.Errorf("skip message %q", o.skipped)
			}
		})
	}
}

// TestTestFlags: the tests' browser runs without the features testFlags
// turns off, and a program's (Start) with them, as a reader's does.
func TestTestFlags(t *testing.T) {
	tab := Shared(t).Tab(t)
	if err := tab.Navigate("chrome://version"); err != nil {
		t.Fatal(err)
	}
	line, err := tab.Text("#command_line")
	if err != nil {
		t.Fatal(err)
	}
	const off = "--disable-features=RenderDocument,BackForwardCache,PaintHolding"
	if !slices.Contains(strings.Fields(line), off) {
		t.Errorf("the tests' browser runs without %s:\n%s", off, line)
	}
	for _, f := range flags() {
		if strings.HasPrefix(f, "disable-features") {
			t.Errorf("a program's browser runs with --%s", f)
		}
	}
}
