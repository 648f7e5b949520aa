package site

import (
	"context"
	"fmt"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"sxsh/generator/browser"
)

// phoneBudget is what the home page may weigh on a phone, everything it
// loads counted: the HTML, the stylesheet, the scripts, the pictures.
const phoneBudget = 400_000

// A home page whose cards show phones' photos weighs, on a phone 360
// pixels wide at twice the density, less than phoneBudget: the cards load
// copies of the width the phone needs, and those further down wait until
// the reader scrolls to them. The photos are 1500×2000 pixels, 1.5 MB:
// wider than the largest copy, they get the copies a 12-megapixel photo
// gets (the picture package's tests decode one of those), and any of them
// alone is far over the budget, at a quarter of the cost of drawing and
// decoding 12 megapixels.
func TestBrowserPhoneHomeWeight(t *testing.T) {
	t.Parallel() // one shared browser, a context per tab
	b := browser.Shared(t)
	src := exampleSources(t)
	photos := 0
	var originals int
	for _, name := range slices.Sorted(func(yield func(string) bool) {
		for name := range src {
			if strings.HasPrefix(name, "content/articles/") && strings.HasSuffix(name, ".vi.md") && !strings.Contains(name, "_index") {
				if !yield(name) {
					return
				}
			}
		}
	}) {
		// Four photos, each shown by two articles: as many files to
		// publish, half as many to decode.
		n := photos % 4
		photos++
		pic := fmt.Sprintf("static/images/dien-thoai-%d.jpg", n)
		if src[pic] == nil {
			src[pic] = photoFile(1500, 2000, 6, uint64(n+1))
			if len(src[pic].Data) <= phoneBudget {
				t.Fatalf("a photo of %d bytes fits the budget: loading it whole would pass", len(src[pic].Data))
			}
		}
		originals += len(src[pic].Data)
		body := string(src[name].Data)
		body = regexp.MustCompile(`(?m)^image = .*\n`).ReplaceAllString(body, "")
		src[name].Data = []byte(strings.Replace(body, "+++\n", "+++\nimage = \"/"+strings.TrimPrefix(pic, "static/")+"\"\n", 1))
	}
	dest := filepath.Join(t.TempDir(), "public")
	if _, err := build(t, src, dest, nil); err != nil {
		t.Fatal(err)
	}
	srv := browser.Serve(t, dest)
	tab := b.Tab(t)
	must(t, tab.Run(chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{Width: 360, Height: 740, DeviceScaleFactor: 2, Mobile: true})
		return err
	})))
	must(t, tab.Navigate(srv.URL+"/"))
	settle(t, tab)
	total, pictures := 0, 0
	for _, r := range tab.Requests() {
		total += int(r.Encoded)
		if strings.HasSuffix(r.URL, ".jpg") {
			pictures++
			if !regexp.MustCompile(`\.\d+w\.[0-9a-f]{8}\.jpg$`).MatchString(r.URL) {
				t.Errorf("the page loads the original %s", path.Base(r.URL))
			}
		}
	}
	t.Logf("the home page loads %d bytes in %d requests, %d of them pictures; the originals of the %d articles' photos weigh %d bytes", total, len(tab.Requests()), pictures, photos, originals)
	if pictures == 0 {
		t.Error("the home page loads no picture: the test measures nothing")
	}
	if total > phoneBudget {
		t.Errorf("the home page weighs %d bytes on a phone, want at most %d", total, phoneBudget)
	}
	// Scrolled to the end, the reader has fetched the other cards too:
	// still a fraction of one original.
	tab.ResetRequests()
	must(t, tab.Eval(`window.scrollTo(0, document.body.scrollHeight), true`, nil))
	settle(t, tab)
	more := 0
	for _, r := range tab.Requests() {
		more += int(r.Encoded)
	}
	t.Logf("scrolled to the end, it loads %d bytes more in %d requests", more, len(tab.Requests()))
	if p := tab.Problems(); len(p) > 0 {
		t.Errorf("problems:\n%s", strings.Join(p, "\n"))
	}
}

// settle waits until the tab's requests have all ended and no new one has
// started for half a second: lazy pictures start after the layout.
func settle(t *testing.T, tab *browser.Tab) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	last, quiet := -1, time.Now()
	for time.Now().Before(deadline) {
		reqs := tab.Requests()
		busy := slices.ContainsFunc(reqs, func(r browser.Request) bool { return r.End == 0 })
		if len(reqs) != last || busy {
			last, quiet = len(reqs), time.Now()
		} else if time.Since(quiet) > 500*time.Millisecond {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("the page's requests did not settle in 20 seconds")
}
