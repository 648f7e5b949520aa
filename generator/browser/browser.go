// Package browser is the support code of the browser tests and of the search
// benchmark: it starts headless Chromium with a fresh profile, serves a
// built site on 127.0.0.1 the way a production web server would (gzip for
// text), and drives pages over the DevTools protocol (chromedp), recording
// what a reader's browser fetched and every console error on the way.
//
// Tests get a browser with Shared (one per test binary, each tab a fresh
// browser context) or New (one per test), which skip the test when no
// Chromium is installed, except under CI (the CI environment variable set),
// where a missing browser is a failure: CI must run these tests. A test
// reads:
//
//	b := browser.Shared(t)             // headless; fresh context per tab
//	srv := browser.Serve(t, publicDir) // http://127.0.0.1:PORT, gzip
//	tab := b.Tab(t)
//	if err := tab.Navigate(srv.URL + "/tim-kiem/?q=sxsh"); err != nil { … }
//	if err := tab.WaitFor(`document.querySelector(".search-status").textContent`); err != nil { … }
//	status, err := tab.Text(".search-status")
//	… tab.Problems() lists console errors and exceptions; tab.Requests()
//	and srv.Stats() tell what was fetched.
//
// Programs (the benchmark) use Start, NewServer and NewTab, which return
// errors instead of failing a test.
package browser

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"
)

// names are the executables Find looks for, in order.
func names() []string {
	return []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"}
}

// Find returns the path of the first installed Chromium (chromium,
// chromium-browser, google-chrome, google-chrome-stable), or "" if there is
// none.
func Find() string {
	for _, n := range names() {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	return ""
}

// Require returns the path of Chromium. Without one it skips the test, or
// fails it when the CI environment variable is set, so that a CI machine
// that lost its browser cannot pass the browser tests by skipping them.
func Require(t testing.TB) string {
	t.Helper()
	bin := Find()
	if bin != "" {
		return bin
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("no Chromium installed (looked for %s), and CI is set: CI must run the browser tests (apt-get install chromium)", strings.Join(names(), ", "))
		return ""
	}
	t.Skip("no Chromium installed: browser tests skipped")
	return ""
}

// Browser is one running headless Chromium with its own profile.
type Browser struct {
	ctx    context.Context // the browser's first tab; new tabs derive from it
	cancel context.CancelFunc
	// isolate opens each tab in a browser context of its own: its own
	// cache, cookies and storage, as in a fresh profile.
	isolate bool

	mu     sync.Mutex
	idle   []*Tab // cleaned tabs for the next tests (see Tab)
	closed bool
}

// flags are Chromium's switches besides the profile folder: headless, no
// sandbox (tests run as root in containers), and none of the background
// traffic that would spoil a count of requests.
func flags() []string {
	return []string{
		"headless", "no-sandbox", "disable-gpu", "disable-background-networking",
		"disable-component-update", "disable-sync", "no-first-run",
	}
}

// Start runs the Chromium at bin with profile as its --user-data-dir, which
// should be an empty folder: a fresh profile has a cold cache. Close stops
// the browser; so does cancelling ctx.
func Start(ctx context.Context, bin, profile string) (*Browser, error) {
	return start(ctx, bin, profile, flags())
}

// testFlags are the tests' switches besides flags: Chromium features that
// cost CPU on every navigation and that no test reads. RenderDocument makes
// a new document host for each navigation, even within one site;
// BackForwardCache keeps the page left alive for Back; PaintHolding holds a
// page's first paint during a navigation within a site. The browser tests
// navigate hundreds of times, and without these three they took about a
// tenth less CPU (Chromium's included) on a 2-core machine. Programs
// (the search benchmark) keep them, as a reader's browser has them.
func testFlags() []string {
	return append(flags(), "disable-features=RenderDocument,BackForwardCache,PaintHolding")
}

func start(ctx context.Context, bin, profile string, switches []string) (*Browser, error) {
	if bin == "" {
		return nil, errors.New("browser: no Chromium executable")
	}
	opts := []chromedp.ExecAllocatorOption{chromedp.ExecPath(bin), chromedp.UserDataDir(profile)}
	for _, f := range switches {
		name, value, ok := strings.Cut(f, "=")
		if !ok {
			opts = append(opts, chromedp.Flag(name, true))
		} else {
			opts = append(opts, chromedp.Flag(name, value))
		}
	}
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	bctx, bcancel := chromedp.NewContext(actx)
	// The first Run launches the browser.
	if err := chromedp.Do(bctx); err != nil {
		bcancel()
		acancel()
		return nil, fmt.Errorf("browser: starting %s: %w", bin, err)
	}
	return &Browser{ctx: bctx, cancel: func() { bcancel(); acancel() }}, nil
}

// New starts a browser for a test with a fresh profile under t.TempDir()
// and stops it when the test ends. See Require for when it skips.
func New(t testing.TB) *Browser {
	t.Helper()
	bin := Require(t)
	b, err := start(context.Background(), bin, t.TempDir(), testFlags())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Close)
	return b
}

// shared is the one browser of a test binary, started by Shared.
var shared struct {
	once    sync.Once
	b       *Browser
	err     error
	profile string
}

// Shared returns the test binary's one browser, starting it on first use,
// so that the tests of a package pay for one start rather than one each.
// Each of its tabs is a browser context of its own, with its own cache,
// cookies and storage, as in a fresh profile; tests may open tabs side by
// side. A package that uses it stops it in TestMain with StopShared. See
// Require for when it skips.
func Shared(t testing.TB) *Browser {
	t.Helper()
	bin := Require(t)
	shared.once.Do(func() {
		if shared.profile, shared.err = os.MkdirTemp("", "sxsh-browser-"); shared.err != nil {
			return
		}
		if shared.b, shared.err = start(context.Background(), bin, shared.profile, testFlags()); shared.err == nil {
			shared.b.isolate = true
		}
	})
	if shared.err != nil {
		t.Fatal(shared.err)
	}
	return shared.b
}

// StopShared stops the browser Shared started, if it did, and removes its
// profile.
func StopShared() {
	if shared.b != nil {
		shared.b.Close()
	}
	if shared.profile != "" {
		os.RemoveAll(shared.profile)
	}
}

// Close stops the browser and waits for it to exit.
func (b *Browser) Close() {
	b.mu.Lock()
	b.closed = true
	for _, t := range b.idle {
		t.Close()
	}
	b.idle = nil
	b.mu.Unlock()
	if b.cancel != nil {
		// Closing the first tab's context closes the browser gracefully
		// and waits for the process, so its profile folder can be removed.
		_ = chromedp.Cancel(b.ctx)
		b.cancel()
	}
}
