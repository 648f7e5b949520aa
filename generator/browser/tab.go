package browser

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/cdproto/storage"
	"github.com/chromedp/chromedp"
)

// DefaultTimeout bounds each step of a Tab (a navigation, a wait, an
// evaluation), so that a broken page fails a test instead of hanging it.
const DefaultTimeout = 30 * time.Second

// Tab is one page of a Browser. It records the page's network requests and
// its problems: console errors, uncaught exceptions, error log entries
// (failed loads, Content-Security-Policy violations) and dialogs, which it
// dismisses.
type Tab struct {
	// Timeout bounds each method call; DefaultTimeout when zero.
	Timeout time.Duration

	ctx    context.Context
	cancel context.CancelFunc

	mu       sync.Mutex
	problems []string
	reqs     map[network.RequestID]*Request
	order    []network.RequestID
	origins  map[string]bool // of every request since the tab was opened or cleaned

	// altered is set once the tab's settings may have changed (Run,
	// Context, Throttle): a test's tab so altered is closed after the
	// test, not kept for the next one.
	altered atomic.Bool
}

// Request is one network request as the browser saw it. Times are on the
// browser's monotonic clock, comparable with each other only.
type Request struct {
	URL    string
	Status int64
	Start  time.Duration // sent
	End    time.Duration // finished or failed; zero while in flight
	// Encoded is Chromium's encodedDataLength: bytes received for the
	// request, headers included, before content decoding (gzipped bytes).
	Encoded int64
	// Cached tells that the response came from a cache, not the server.
	Cached bool
	// Failed is Chromium's error text when the load failed.
	Failed string
}

// NewTab opens a tab. Its recording starts at once, before any navigation.
func (b *Browser) NewTab() (*Tab, error) {
	t := &Tab{reqs: map[network.RequestID]*Request{}, origins: map[string]bool{}}
	opts := []chromedp.ContextOption{chromedp.WithListener(t.event)}
	if b.isolate {
		opts = append(opts, chromedp.WithNewBrowserContext())
	}
	t.ctx, t.cancel = chromedp.NewContext(b.ctx, opts...)
	if err := chromedp.Do(t.ctx); err != nil {
		t.cancel()
		return nil, fmt.Errorf("browser: opening a tab: %w", err)
	}
	return t, nil
}

// Tab opens a tab for a test, which is done with it when the test ends.
//
// In a browser whose tabs are each a browser context of their own
// (Shared), a tab that a test is done with is cleaned (see clean) and
// kept for the next test, unless the test changed its settings: opening
// a tab costs Chromium about half a second of CPU, a cleaned one a tenth
// of that.
func (b *Browser) Tab(t testing.TB) *Tab {
	t.Helper()
	tab := b.idleTab()
	if tab == nil {
		var err error
		if tab, err = b.NewTab(); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() { b.keep(tab) })
	return tab
}

// maxIdle is the number of cleaned tabs a browser keeps.
const maxIdle = 4

func (b *Browser) idleTab() *Tab {
	b.mu.Lock()
	defer b.mu.Unlock()
	if n := len(b.idle); n > 0 {
		t := b.idle[n-1]
		b.idle = b.idle[:n-1]
		return t
	}
	return nil
}

// keep cleans tab for the next test and keeps it, or closes it.
func (b *Browser) keep(tab *Tab) {
	if !b.isolate || tab.altered.Load() || tab.clean() != nil {
		tab.Close()
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed || len(b.idle) >= maxIdle {
		tab.Close()
		return
	}
	b.idle = append(b.idle, tab)
}

// clean makes the tab what a new one of its own browser context is: a
// blank page, an empty cache, no cookies, no storage for the origins it
// visited, nothing recorded, and the default timeout.
func (t *Tab) clean() error {
	t.mu.Lock()
	origins := maps.Clone(t.origins)
	t.mu.Unlock()
	err := t.run(chromedp.Navigate("about:blank"), chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		if _, err := chromedp.Call(ctx, network.ClearBrowserCache, cdp.Empty{}); err != nil {
			return err
		}
		if _, err := chromedp.Call(ctx, network.ClearBrowserCookies, cdp.Empty{}); err != nil {
			return err
		}
		for o := range origins {
			if _, err := chromedp.Call(ctx, storage.ClearDataForOrigin, storage.ClearDataForOriginParams{Origin: o, StorageTypes: "all"}); err != nil {
				return err
			}
		}
		return nil
	}))
	t.mu.Lock()
	defer t.mu.Unlock()
	t.problems, t.reqs, t.order, t.origins = nil, map[network.RequestID]*Request{}, nil, map[string]bool{}
	t.Timeout = 0
	return err
}

// Close closes the tab.
func (t *Tab) Close() { t.cancel() }

// Context is the tab's chromedp context, for actions the methods below do
// not cover; bound it with a timeout of your own.
func (t *Tab) Context() context.Context {
	t.altered.Store(true)
	return t.ctx
}

// event runs on chromedp's event loop: it must not block, so the dialog is
// answered from another goroutine.
func (t *Tab) event(ev any) {
	t.mu.Lock()
	defer t.mu.Unlock()
	switch e := ev.(type) {
	case *network.EventRequestWillBeSent:
		if r := t.reqs[e.RequestID]; r != nil {
			// A redirect reuses the id: the chain counts as one request
			// that ends at its last hop.
			r.URL = e.Request.URL
			return
		}
		t.reqs[e.RequestID] = &Request{URL: e.Request.URL, Start: mono(e.Timestamp)}
		t.order = append(t.order, e.RequestID)
		if u, err := url.Parse(e.Request.URL); err == nil && u.Host != "" {
			t.origins[u.Scheme+"://"+u.Host] = true
		}
	case *network.EventResponseReceived:
		if r := t.reqs[e.RequestID]; r != nil && e.Response != nil {
			r.Status = e.Response.Status
			r.Cached = e.Response.FromDiskCache || e.Response.FromPrefetchCache
		}
	case *network.EventRequestServedFromCache:
		if r := t.reqs[e.RequestID]; r != nil {
			r.Cached = true
		}
	case *network.EventLoadingFinished:
		if r := t.reqs[e.RequestID]; r != nil {
			r.End, r.Encoded = mono(e.Timestamp), int64(e.EncodedDataLength)
		}
	case *network.EventLoadingFailed:
		if r := t.reqs[e.RequestID]; r != nil {
			r.End, r.Failed = mono(e.Timestamp), e.ErrorText
		}
	case *runtime.EventConsoleAPICalled:
		if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeAssert {
			t.problems = append(t.problems, "console."+string(e.Type)+": "+args(e.Args))
		}
	case *runtime.EventExceptionThrown:
		t.problems = append(t.problems, "exception: "+exception(e.ExceptionDetails))
	case *cdplog.EventEntryAdded:
		if e.Entry != nil && e.Entry.Level == cdplog.EntryLevelError {
			t.problems = append(t.problems, fmt.Sprintf("log (%s): %s %s", e.Entry.Source, e.Entry.Text, e.Entry.URL))
		}
	case *page.EventJavascriptDialogOpening:
		t.problems = append(t.problems, fmt.Sprintf("dialog (%s): %s", e.Type, e.Message))
		go func() {
			ctx, cancel := context.WithTimeout(t.ctx, 5*time.Second)
			defer cancel()
			_, _ = chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{})
		}()
	}
}

func mono(m cdp.MonotonicTime) time.Duration {
	return time.Duration(m.Float64() * float64(time.Second))
}

func args(list []*runtime.RemoteObject) string {
	var parts []string
	for _, a := range list {
		switch {
		case a == nil:
		case len(a.Value) > 0:
			parts = append(parts, string(a.Value))
		default:
			parts = append(parts, a.Description)
		}
	}
	return strings.Join(parts, " ")
}

func exception(d *runtime.ExceptionDetails) string {
	if d == nil {
		return "(no details)"
	}
	msg := d.Text
	if d.Exception != nil && d.Exception.Description != "" {
		msg += " " + d.Exception.Description
	}
	return fmt.Sprintf("%s (%s:%d:%d)", msg, d.URL, d.LineNumber+1, d.ColumnNumber+1)
}

// Problems returns what went wrong in the page so far: console errors,
// exceptions, error log entries and dialogs, in order.
func (t *Tab) Problems() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]string(nil), t.problems...)
}

// Requests returns the requests since the tab opened or since the last
// ResetRequests, in the order they were sent.
func (t *Tab) Requests() []Request {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]Request, 0, len(t.order))
	for _, id := range t.order {
		out = append(out, *t.reqs[id])
	}
	return out
}

// ResetRequests forgets the requests recorded so far, so that the next
// Requests tells what one action fetched.
func (t *Tab) ResetRequests() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.reqs = map[network.RequestID]*Request{}
	t.order = nil
}

func (t *Tab) timeout() time.Duration {
	if t.Timeout > 0 {
		return t.Timeout
	}
	return DefaultTimeout
}

// Run runs chromedp actions in order with the tab's timeout.
func (t *Tab) Run(actions ...chromedp.Action[chromedp.Void]) error {
	t.altered.Store(true)
	return t.run(actions...)
}

func (t *Tab) run(actions ...chromedp.Action[chromedp.Void]) error {
	ctx, cancel := context.WithTimeout(t.ctx, t.timeout())
	defer cancel()
	return chromedp.Do(ctx, actions...)
}

// Throttle makes every later request of the tab wait latency for its
// response headers and share downBytesPerSec of bandwidth (0: unlimited),
// like a phone's link. On loopback it also keeps apart, in time, requests
// that wait for one another, which RoundTrips tells by overlap.
func (t *Tab) Throttle(latency time.Duration, downBytesPerSec float64) error {
	down := downBytesPerSec
	if down <= 0 {
		down = -1
	}
	return t.Run(chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
			MatchedNetworkConditions: []*network.Conditions{{
				Latency: float64(latency) / float64(time.Millisecond), DownloadThroughput: down, UploadThroughput: -1,
			}},
		})
		return err
	}))
}

// Navigate loads url and waits for its load event.
func (t *Tab) Navigate(url string) error {
	if err := t.run(chromedp.Navigate(url)); err != nil {
		return fmt.Errorf("navigating to %s: %w", url, err)
	}
	return nil
}

// WaitVisible waits until an element matching the CSS selector is shown.
func (t *Tab) WaitVisible(sel string) error {
	if err := t.run(chromedp.WaitVisible(chromedp.CSS(sel))); err != nil {
		return fmt.Errorf("waiting for %s: %w", sel, err)
	}
	return nil
}

// WaitFor waits until the JavaScript expression is truthy, polling on each
// animation frame. It may span a navigation: the poll starts again in the
// new page.
func (t *Tab) WaitFor(expr string) error {
	ctx, cancel := context.WithTimeout(t.ctx, t.timeout())
	defer cancel()
	for {
		_, err := chromedp.Run(ctx, chromedp.Poll[any](expr))
		if err == nil {
			return nil
		}
		// A navigation destroys the page's JavaScript context under
		// the poll; anything else, or the time running out, is final.
		if ctx.Err() != nil || !navigated(err) {
			return fmt.Errorf("waiting for %s: %w", expr, err)
		}
		select {
		case <-ctx.Done():
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// navigated reports whether err is a poll cut short by the page going
// away: its JavaScript context destroyed, or the target navigating.
func navigated(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "context") || strings.Contains(msg, "navigated or closed")
}

// Eval evaluates a JavaScript expression and stores its value, turned into
// JSON and back, in out (nil to ignore it). A promise is awaited.
func (t *Tab) Eval(expr string, out any) error {
	ctx, cancel := context.WithTimeout(t.ctx, t.timeout())
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[any](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		return fmt.Errorf("evaluating %.80s: %w", expr, err)
	}
	if out == nil {
		return nil
	}
	// The value came as JSON; going through JSON again lets out be any
	// type that encoding/json fills.
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, out)
}

// Text returns the text content of the first element matching the CSS
// selector, "" if there is none; it does not wait for one.
func (t *Tab) Text(sel string) (string, error) {
	var s string
	err := t.Eval(fmt.Sprintf(`(function(){var e=document.querySelector(%s);return e?e.textContent:""})()`, JSString(sel)), &s)
	return s, err
}

// JSString quotes s as a JavaScript string literal, for building
// expressions for Eval and WaitFor from test data.
func JSString(s string) string {
	b, _ := json.Marshal(s) // a string always marshals
	return string(b)
}

// RoundTrips counts the sequential round trips of a set of requests; see
// Rounds.
func RoundTrips(reqs []Request) int { return len(Rounds(reqs)) }

// Rounds groups requests into sequential round trips: requests that
// overlap in time are one round trip, so a group is what is left when
// overlapping requests are merged. A request still in flight is taken to
// last until the latest known time. Groups and their requests are in
// order of start.
func Rounds(reqs []Request) [][]Request {
	var last time.Duration
	for _, r := range reqs {
		last = max(last, r.Start, r.End)
	}
	sorted := slices.Clone(reqs)
	slices.SortStableFunc(sorted, func(a, b Request) int { return cmp.Compare(a.Start, b.Start) })
	var out [][]Request
	var reach time.Duration
	for _, r := range sorted {
		end := r.End
		if end < r.Start {
			end = last
		}
		if len(out) == 0 || r.Start > reach {
			out = append(out, []Request{r})
			reach = end
			continue
		}
		out[len(out)-1] = append(out[len(out)-1], r)
		reach = max(reach, end)
	}
	return out
}

// SearchAnswered is a JavaScript expression, for WaitFor, that is true
// once a search page (static/js/search.js) has answered the query in its
// address: its query field says what the address says, its status region
// has spoken, and no results are loading.
const SearchAnswered = `(function () {
  var app = document.querySelector('.search-app'), input = app && app.querySelector('input[name=q]');
  return !!input && (new URLSearchParams(location.search).get('q') || '') === input.value &&
    app.querySelector('.search-status').textContent !== '' && !app.querySelector('.search-results').hasAttribute('aria-busy');
})()`
