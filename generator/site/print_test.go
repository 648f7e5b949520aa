package site

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// TestBrowserPrint prints one page of every kind, as a reader's browser
// would with the print stylesheet: the navigation, footer and buttons
// go, the content stays whole and fits the paper's width; and on the
// pages of one item, the print button shows once script runs.
func TestBrowserPrint(t *testing.T) {
	t.Parallel() // one shared browser, a context per tab
	dest := exampleSite(t)
	s := serve(t, dest)
	tab := s.b.Tab(t)
	pages := []struct {
		path   string
		button bool // a page of one item, with a print button
	}{
		{"/tin-tuc/ket-qua-sxsh-2016-2020/", true},
		{"/ban-tin/ban-tin-kcn-2020-11/", true},
		{"/phat-thanh-truyen-hinh/", false},
		{"/bang-ron-pano/", false},
		{"/gioi-thieu/", true},
		{"/en/news/cleaner-production-results-2016-2020/", true},
		{"/", false},
		{"/tin-tuc/", false},
		{"/chuyen-muc/", false},
		{"/van-ban/", false},
		{"/van-ban/qd-1419-qd-ttg-2009/", true},
		{"/co-cau-to-chuc/", true},
		{"/hoi-dap-gop-y/", false},
	}
	// Pages of a broadcast and a banner, found from their lists.
	for _, list := range []string{"phat-thanh-truyen-hinh", "bang-ron-pano"} {
		for _, a := range find(tags(read(t, dest, list+"/index.html")), "a") {
			if h := a.attrs["href"]; strings.HasPrefix(h, "/"+list+"/") && len(h) > len(list)+2 && !strings.Contains(h, "/trang/") {
				pages = append(pages, struct {
					path   string
					button bool
				}{h, true})
				break
			}
		}
	}
	if len(pages) < 15 {
		t.Fatalf("no broadcast or banner page found from their lists: %v", pages)
	}
	// A4 at 96 dpi, less the margins.
	must(t, tab.Run(chromedp.EmulateViewport(700, 1000)))
	for _, pg := range pages {
		media := func(m string) {
			must(t, tab.Run(chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
				_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: m})
				return err
			})))
		}
		media("")
		must(t, tab.Navigate(s.srv.URL+pg.path))
		must(t, tab.WaitFor(`document.readyState === 'complete'`))
		var screen struct{ Button bool }
		must(t, tab.Eval(`({ Button: !!document.querySelector('button[data-print]:not([hidden])') })`, &screen))
		if screen.Button != pg.button {
			t.Errorf("%s: print button shown = %v, want %v", pg.path, screen.Button, pg.button)
		}
		media("print")
		var got struct {
			Shown      []string // chrome that should not be printed but is
			Main       int      // characters of text in main
			H1         bool
			Overflow   int // pixels wider than the paper
			HiddenText bool
		}
		must(t, tab.Eval(`(function () {
  var shown = [];
  document.querySelectorAll('.main-nav, .lang-switch, .site-footer, .breadcrumbs, .skip-link, .print, .share, .header-search, .pager, .doc-filter, .feedback-form').forEach(function (e) {
    if (getComputedStyle(e).display !== 'none' && e.getClientRects().length) shown.push(e.className);
  });
  var main = document.querySelector('main'), h1 = document.querySelector('main h1, .hero h1');
  return { Shown: shown, Main: main ? main.innerText.trim().length : 0,
    H1: !!h1 && getComputedStyle(h1).display !== 'none' && h1.getClientRects().length > 0,
    Overflow: document.documentElement.scrollWidth - window.innerWidth };
})()`, &got))
		if len(got.Shown) > 0 {
			t.Errorf("%s: printed with %v", pg.path, got.Shown)
		}
		if got.Main < 40 || !got.H1 {
			t.Errorf("%s: printed %d characters of content, heading shown: %v", pg.path, got.Main, got.H1)
		}
		if got.Overflow > 0 {
			t.Errorf("%s: printed %d px wider than the paper", pg.path, got.Overflow)
		}
	}
	if p := tab.Problems(); len(p) > 0 {
		t.Errorf("problems:\n%s", strings.Join(p, "\n"))
	}
}
