package main

import (
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sxsh/generator/browser"
	"sxsh/generator/counter"
	"sxsh/generator/testenv"
)

// TestMain runs the tests with their folders in memory, and stops the
// browser they share (see testenv and browser.Shared).
func TestMain(m *testing.M) { testenv.Main(m, browser.StopShared) }

// A reader's view of the counter: a built page, served on loopback with the
// counter running, shows the count in the footer in its language's format;
// a site without an endpoint shows nothing and asks nothing.
func TestCounterInBrowser(t *testing.T) {
	b := browser.Shared(t)

	dir := writeSite(t, map[string]string{
		"site.toml":       "[languages.vi]\ntitle = \"Thử\"\n[languages.en]\ntitle = \"Test\"\nweight = 2\n",
		"content/a.vi.md": "+++\ntitle = \"A\"\n+++\nChào.\n",
		"content/a.en.md": "+++\ntitle = \"A\"\n+++\nHello.\n",
	})
	dest := filepath.Join(t.TempDir(), "public")
	site := browser.Serve(t, dest) // serves whatever the builds put there

	store, err := counter.Open(filepath.Join(t.TempDir(), "counter.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if err := store.SetOffset(760_000); err != nil {
		t.Fatal(err)
	}
	today := counter.DateOf(time.Now(), time.Local)
	for i := range 1245 {
		if _, err := store.Hit(today, "/", i%5 == 0); err != nil { // 249 visits today
			t.Fatal(err)
		}
	}
	api := httptest.NewServer(counter.NewServer(store, counter.Options{Origins: []string{site.URL}}).Handler())
	defer api.Close()

	build := func(toml string) {
		t.Helper()
		writeFile(t, dir, "site.toml", toml)
		if code, _, errs := runCmd("build", "--source", dir, "--destination", dest, "--quiet"); code != 0 {
			t.Fatalf("build: %s", errs)
		}
	}
	base := "[languages.vi]\ntitle = \"Thử\"\n[languages.en]\ntitle = \"Test\"\nweight = 2\n"
	build(base + "[counter]\nendpoint = \"" + api.URL + "/api/\"\n")

	tab := b.Tab(t)
	for _, c := range []struct{ path, want string }{
		{"/a/", "Lượt truy cập: 760.249 · Hôm nay: 249"},
		{"/en/a/", "Visits: 760,249 · Today: 249"},
	} {
		if err := tab.Navigate(site.URL + c.path); err != nil {
			t.Fatal(err)
		}
		if err := tab.WaitFor(`!document.querySelector("p.visits").hidden`); err != nil {
			t.Fatalf("%s: the count never showed: %v", c.path, err)
		}
		got, err := tab.Text("p.visits")
		if err != nil || strings.TrimSpace(got) != c.want {
			t.Errorf("%s: footer shows %q, want %q (%v)", c.path, got, c.want, err)
		}
	}
	if p := tab.Problems(); len(p) > 0 {
		t.Errorf("console problems: %v", p)
	}

	// Without an endpoint: no paragraph, no script, no request to a counter.
	// (A query string keeps the browser from showing its cached copy of the
	// page built with the endpoint.)
	build(base)
	tab.ResetRequests()
	if err := tab.Navigate(site.URL + "/a/?rebuilt"); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := tab.Eval(`document.querySelectorAll("p.visits, script[src*=counter]").length`, &n); err != nil || n != 0 {
		t.Errorf("without an endpoint the page has %d counter elements (%v)", n, err)
	}
	for _, r := range tab.Requests() {
		if strings.Contains(r.URL, "/api/") {
			t.Errorf("a page without an endpoint called %s", r.URL)
		}
	}
}
