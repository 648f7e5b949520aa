package site

import (
	"bufio"
	"context"
	"fmt"
	"maps"
	"net/url"
	"os"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"golang.org/x/text/unicode/norm"

	"sxsh/generator/browser"
	"sxsh/generator/content"
	"sxsh/generator/testenv"
)

// TestMain runs the tests with their folders in memory, with each
// picture's copies made once (see madePictures), and stops the browser
// they share and removes the full builds they compared with (see testenv,
// browser.Shared and fullBuilds).
func TestMain(m *testing.M) {
	makePicture = madePictures.make
	testenv.Main(m, browser.StopShared, fullBuilds.clear)
}

// The tests below read the built site as a reader does, in headless
// Chromium, over HTTP with gzip; without Chromium they are skipped, except
// in CI (see browser.Require).

// served is a built site behind a local server, with a browser to read it.
type served struct {
	b   *browser.Browser
	srv *browser.Server
}

func serve(t *testing.T, dest string) *served {
	t.Helper()
	b := browser.Shared(t)
	return &served{b: b, srv: browser.Serve(t, dest)}
}

// results is what the search page shows once a query is answered.
type results struct {
	Status string   // the status region's text
	URLs   []string // every result link, in order, "more results" followed
	First  int      // how many were shown before "more results"
	Note   string   // the note under the status (too long, try …)
}

// collect clicks "more results" until there are no more, and returns what
// the page shows.
const collect = `(async function () {
  var app = document.querySelector('.search-app'), list = app.querySelector('.search-results');
  var more = app.querySelector('.search-more'), links = function () {
    return Array.from(list.querySelectorAll('.search-title a'), function (a) { return a.getAttribute('href'); });
  };
  var first = links().length;
  for (var i = 0; !more.hidden && i < 100; i++) {
    var n = links().length;
    more.click();
    for (var w = 0; (list.hasAttribute('aria-busy') || links().length === n) && w < 500; w++) {
      await new Promise(function (r) { setTimeout(r, 10); });
    }
  }
  var note = app.querySelector('.search-note');
  return { Status: app.querySelector('.search-status').textContent, URLs: links(), First: first,
    Note: note.hidden ? '' : note.textContent };
})()`

// search opens the search page at page (a path such as /tim-kiem/) with q
// in its URL and returns the answer. A tab already on that page searches
// in place, as a reader sending the form does: the page and the index
// files fetched stay loaded, which keeps the many searches of a test
// cheap. Tests of what the address alone does navigate themselves.
func (s *served) search(t *testing.T, tab *browser.Tab, page, q string) results {
	t.Helper()
	// Queries the page trims or cuts are sent by their address.
	if q == "" || q != strings.TrimSpace(q) || len([]rune(q)) > 100 || !s.on(t, tab, page) {
		return s.visit(t, tab, page, q)
	}
	must(t, tab.Eval(`(function (q) {
  var app = document.querySelector('.search-app');
  app.querySelector('#search-q').value = q;
  app.querySelector('form').requestSubmit();
  return true;
})(`+browser.JSString(q)+`)`, nil))
	return answer(t, tab)
}

// on tells whether the tab shows the page at path page of this server.
func (s *served) on(t *testing.T, tab *browser.Tab, page string) bool {
	t.Helper()
	var here string
	must(t, tab.Eval(`location.href`, &here))
	return strings.SplitN(here, "?", 2)[0] == s.srv.URL+page
}

// visit puts q in the address of the search page at page, as a link or a
// bookmark does, and returns the answer; see goTo.
func (s *served) visit(t *testing.T, tab *browser.Tab, page, q string) results {
	t.Helper()
	return s.goTo(t, tab, address(page, q))
}

// goTo gives the tab the address addr (a path and a query), and returns
// the search page's answer. A tab already on that path is given it as
// Back and Forward give it, without reloading: the page answers the
// address it opened with and the ones history gives it alike (it reads
// the query from the address), and the page and the index files fetched
// stay loaded. Tests of what a page load does use open.
func (s *served) goTo(t *testing.T, tab *browser.Tab, addr string) results {
	t.Helper()
	if !s.on(t, tab, strings.SplitN(addr, "?", 2)[0]) {
		must(t, tab.Navigate(s.srv.URL+addr))
		return answer(t, tab)
	}
	must(t, tab.Eval(`history.pushState(null, '', `+browser.JSString(addr)+`), dispatchEvent(new PopStateEvent('popstate')), true`, nil))
	return answer(t, tab)
}

// address is the search page at page with q in its address.
func address(page, q string) string {
	if q != "" {
		page += "?q=" + url.QueryEscape(q)
	}
	return page
}

// open opens the search page at page with q in its address, as a link or
// a bookmark does, and returns the answer.
func (s *served) open(t *testing.T, tab *browser.Tab, page, q string) results {
	t.Helper()
	must(t, tab.Navigate(s.srv.URL+address(page, q)))
	return answer(t, tab)
}

func answer(t *testing.T, tab *browser.Tab) results {
	t.Helper()
	must(t, tab.WaitFor(browser.SearchAnswered))
	var r results
	must(t, tab.Eval(collect, &r))
	if p := tab.Problems(); len(p) > 0 {
		t.Errorf("the page reported problems:\n%s", strings.Join(p, "\n"))
	}
	return r
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

// countIn tells whether the status announces n results, written either
// way ("1.234" in Vietnamese, "1,234" in English).
func countIn(status string, n int) bool {
	digits := strconv.Itoa(n)
	var vi, en strings.Builder
	for i, c := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			vi.WriteByte('.')
			en.WriteByte(',')
		}
		vi.WriteRune(c)
		en.WriteRune(c)
	}
	return strings.Contains(status, vi.String()) || strings.Contains(status, en.String())
}

func TestBrowserSearchWithoutMarks(t *testing.T) {
	t.Parallel() // one shared browser, a context per tab
	s := serve(t, exampleSite(t))
	tab := s.b.Tab(t)
	tests := []struct{ plain, marked string }{
		{"san xuat sach hon", "sản xuất sạch hơn"},
		{"tiet kiem dien", "tiết kiệm điện"},
		{"dong nai", "Đồng Nai"},
	}
	most := 0
	for _, tt := range tests {
		t.Run(tt.plain, func(t *testing.T) {
			plain := s.search(t, tab, "/tim-kiem/", tt.plain)
			most = max(most, len(plain.URLs))
			marked := s.search(t, tab, "/tim-kiem/", tt.marked)
			if len(marked.URLs) < 2 {
				t.Fatalf("%q found %d pages; the example site has more: %q", tt.marked, len(marked.URLs), marked.Status)
			}
			if !slices.Equal(sorted(plain.URLs), sorted(marked.URLs)) {
				t.Errorf("%q found %d pages, %q found %d; they differ:\n%v\n%v",
					tt.plain, len(plain.URLs), tt.marked, len(marked.URLs), sorted(plain.URLs), sorted(marked.URLs))
			}
			for _, r := range []results{plain, marked} {
				if !countIn(r.Status, len(r.URLs)) {
					t.Errorf("status %q does not announce the %d results shown", r.Status, len(r.URLs))
				}
				if r.First > 10 || r.First == 0 {
					t.Errorf("first page shows %d results, want 1..10", r.First)
				}
			}
		})
	}
	if most <= 10 {
		t.Errorf("no query found more than one page of results (%d at most), so \"more results\" went untested", most)
	}
}

// miniSite builds a site whose articles, named by the keys, differ only
// in their bodies; everything else about them is equal.
func miniSite(t *testing.T, bodies map[string]string) string {
	t.Helper()
	var b strings.Builder
	b.WriteString(siteTOML + `
-- content/articles/_index.vi.md --
+++
title = "Tin tức"
slug = "tin-tuc"
+++
`)
	for name, body := range bodies {
		fmt.Fprintf(&b, "-- content/articles/%s.vi.md --\n+++\ntitle = \"Trang thử\"\ndate = 2024-01-02\n+++\n%s\n", name, body)
	}
	return mustBuild(t, txtar(b.String()), nil)
}

func TestBrowserSearchExactMarksFirst(t *testing.T) {
	t.Parallel() // one shared browser, a context per tab
	// Each spelling has a short page and a long one that says it once;
	// the decoys say another spelling many times, so that without a tier
	// for the exact spelling they would score highest.
	filler := strings.Repeat("Chương trình hỗ trợ doanh nghiệp tiết kiệm năng lượng trong sản xuất. ", 40)
	spellings := map[string]string{"sac": "bán", "huyen": "bàn", "nang": "bạn", "ngang": "ban"}
	pages := map[string]string{}
	spelled := map[string][]string{} // spelling → the pages that have it
	for name, w := range spellings {
		pages[name] = "Hôm nay chúng tôi nói về " + w + "."
		pages[name+"-dai"] = filler + "Cuối cùng là " + w + ". " + filler
		o := other(spellings, w)
		pages[name+"-nhieu"] = strings.Repeat(o+" ", 30)
		spelled[w] = append(spelled[w], "/tin-tuc/"+name+"/", "/tin-tuc/"+name+"-dai/")
		spelled[o] = append(spelled[o], "/tin-tuc/"+name+"-nhieu/")
	}
	s := serve(t, miniSite(t, pages))
	tab := s.b.Tab(t)
	for _, w := range spellings {
		forms := map[string]string{"NFC": w, "NFD": norm.NFD.String(w), "mixed": windowsForm(w)}
		for form, q := range forms {
			t.Run(w+" "+form, func(t *testing.T) {
				r := s.search(t, tab, "/tim-kiem/", q)
				if len(r.URLs) != len(pages) {
					t.Fatalf("%q found %d pages, want all %d (marks fold away in matching)", q, len(r.URLs), len(pages))
				}
				want := spelled[w]
				if got := r.URLs[:len(want)]; !slices.Equal(sorted(got), sorted(want)) {
					t.Errorf("%q ranks %v first; want the pages spelled %q, %v", q, got, w, want)
				}
			})
		}
	}
}

// other is a spelling of spellings other than w, the same for each w.
func other(spellings map[string]string, w string) string {
	var all []string
	for _, x := range spellings {
		all = append(all, x)
	}
	slices.Sort(all)
	return all[(slices.Index(all, w)+1)%len(all)]
}

// TestBrowserSearchRecall puts one phrase in every place a page can hold
// text, and in the forms real Vietnamese text arrives in: every page that
// has it must be found, whichever way the reader types it.
func TestBrowserSearchRecall(t *testing.T) {
	t.Parallel() // one shared browser, a context per tab
	const w = "tiết kiệm điện"
	long := strings.Repeat("Doanh nghiệp đổi mới công nghệ. ", 400)
	pages := map[string]string{
		"bang":        "| Giải pháp | Kết quả |\n| --- | --- |\n| Đèn LED | " + w + " 20% |",
		"danh-sach":   "Các việc đã làm:\n\n- thay quạt\n- " + w + " ở xưởng",
		"danh-so":     "1. đo đạc\n2. " + w,
		"trich-dan":   "> " + w + " là việc của mọi người",
		"tieu-de-h5":  "##### " + w + "\n\nNội dung.",
		"anh":         "![Sơ đồ " + w + " tại nhà máy](/images/dao-tao.svg)",
		"lien-ket":    "Xem [" + w + "](https://moit.gov.vn/) để biết thêm.",
		"dam-nghieng": "Chúng tôi **tiết kiệm** *điện* mỗi ngày.",
		"ma":          "Lệnh `" + w + "` trong tài liệu.",
		"html":        "<div class=\"note\">\n<p>" + w + "</p>\n</div>",
		"gach-noi":    "Giai đoạn 2016-2020: tiết-kiệm-điện.",
		"nbsp":        "tiết\u00a0kiệm\u00a0điện cho hộ gia đình",
		"zwsp":        "tiết kiệm\u200b điện\u200b.",
		"soft-hyphen": "tiết ki\u00adệm điện",
		"nfd":         norm.NFD.String("Chương trình " + w + "."),
		"windows":     windowsForm("Chương trình " + w + "."),
		"cu-moi":      "Hòa mạng để " + w + " và hoà vốn.",
		"hoa":         "TIẾT KIỆM ĐIỆN TOÀN TỈNH",
		"ngoac":       "(“" + w + "”) – «" + w + "»",
		"dai":         long + w + ". " + long,
		"cuoi":        long + long + long + w,
		"so":          "Mã số thuế 3600259560, công suất 2.200 kWh: " + w + ".",
		"khac":        "Trang này nói về nước sạch.",
	}
	s := serve(t, miniSite(t, pages))
	tab := s.b.Tab(t)
	var want []string
	for name := range pages {
		if name != "khac" {
			want = append(want, "/tin-tuc/"+name+"/")
		}
	}
	slices.Sort(want)
	for form, q := range map[string]string{"NFC": w, "no marks": "tiet kiem dien", "NFD": norm.NFD.String(w), "mixed": windowsForm(w)} {
		t.Run(form, func(t *testing.T) {
			r := s.search(t, tab, "/tim-kiem/", q)
			got := sorted(r.URLs)
			if !slices.Equal(got, want) {
				var missing, extra []string
				for _, u := range want {
					if !slices.Contains(got, u) {
						missing = append(missing, u)
					}
				}
				for _, u := range got {
					if !slices.Contains(want, u) {
						extra = append(extra, u)
					}
				}
				t.Errorf("%q: missing %v, not wanted %v", q, missing, extra)
			}
		})
	}
	// Numbers as they are written: a tax code whole, a figure with a dot.
	for _, q := range []string{"3600259560", "2.200 kWh"} {
		if r := s.search(t, tab, "/tim-kiem/", q); !slices.Equal(r.URLs, []string{"/tin-tuc/so/"}) {
			t.Errorf("%q found %v, want /tin-tuc/so/", q, r.URLs)
		}
	}
}

// TestBrowserSearchOnlyContent: lists, term pages and the home page
// repeat other pages' summaries, so they are never results, even for
// their own titles.
func TestBrowserSearchOnlyContent(t *testing.T) {
	t.Parallel() // one shared browser, a context per tab
	b := exampleBuild(t)
	lists := map[string]bool{}
	queries := map[string]bool{"Đồng Nai": true, "sản xuất sạch hơn": true, "tin tức": true}
	for _, p := range b.site.Pages {
		if p.Kind != content.KindSingle {
			lists[b.rel(p.Path)] = true
			if p.Lang == "vi" && p.Title != "" {
				queries[p.Title] = true
			}
		}
	}
	if !lists["/"] || !lists["/tin-tuc/"] {
		t.Fatalf("the list pages are not named as results would name them: %v", lists)
	}
	s := serve(t, exampleSite(t))
	tab := s.b.Tab(t)
	found := 0
	// A dozen titles are enough: many lists share theirs (pages 2, 3…).
	for _, q := range slices.Sorted(maps.Keys(queries))[:min(12, len(queries))] {
		r := s.search(t, tab, "/tim-kiem/", q)
		found += len(r.URLs)
		for _, u := range r.URLs {
			if lists[u] {
				t.Errorf("%q gives the list page %s", q, u)
			}
		}
	}
	if found == 0 {
		t.Fatal("no query found anything")
	}
}

// TestBrowserSearchRounds counts the round trips of a first query on a
// cold cache over a slow link: the script (the page carries the manifest),
// then the shards and meta, then the results' files: three.
func TestBrowserSearchRounds(t *testing.T) {
	t.Parallel() // one shared browser, a context per tab
	s := serve(t, exampleSite(t))
	tab := s.b.Tab(t)
	// The latency keeps requests that wait for one another apart.
	must(t, tab.Throttle(100*time.Millisecond, 0))
	must(t, tab.Navigate(s.srv.URL+"/tim-kiem/?q="+url.QueryEscape("tiết kiệm điện")))
	must(t, tab.WaitFor(browser.SearchAnswered))
	var shown int
	must(t, tab.Eval(`document.querySelectorAll('.search-title a').length`, &shown))
	if shown == 0 {
		t.Fatal("nothing found")
	}
	var reqs []browser.Request
	for _, q := range tab.Requests() {
		u, err := url.Parse(q.URL)
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(u.Path, "/search/") || strings.HasPrefix(u.Path, "/js/search.") {
			reqs = append(reqs, q)
		}
	}
	// The page carries the manifest: the script has none to fetch.
	for _, q := range reqs {
		if strings.Contains(q.URL, "/manifest.") {
			t.Errorf("the script fetched the manifest %s, which the page carries", q.URL)
		}
	}
	rounds := browser.Rounds(reqs)
	var desc []string
	for _, g := range rounds {
		var names []string
		for _, q := range g {
			names = append(names, path.Base(strings.SplitN(q.URL, "?", 2)[0]))
		}
		desc = append(desc, strings.Join(names, " "))
	}
	if len(rounds) > 3 {
		t.Errorf("%d round trips, want at most 3:\n%s", len(rounds), strings.Join(desc, "\n"))
	}
	t.Logf("round trips:\n%s", strings.Join(desc, "\n"))
}

// TestBrowserSearchFromCache: a link to a search that the browser has
// answered before asks the server for nothing but the page: the index's
// parts come from the browser's cache. On a server that ignores Range, so
// do the whole packs, from the third page on (the first finds out, the
// second asks for each pack at its own address).
func TestBrowserSearchFromCache(t *testing.T) {
	t.Parallel() // one shared browser, a context per tab
	dest := exampleSite(t)
	for _, ranges := range []bool{true, false} {
		t.Run(fmt.Sprintf("ranges=%v", ranges), func(t *testing.T) {
			s := serve(t, dest)
			if !ranges {
				s.srv.IgnoreRanges()
			}
			tab := s.b.Tab(t)
			const q1, q2 = "tiết kiệm điện", "sản xuất sạch hơn"
			want := s.open(t, tab, "/tim-kiem/", q1)
			s.open(t, tab, "/tim-kiem/", q2)
			// The parts read are kept in local storage: a later page reads
			// them from there, without a request.
			s.srv.Reset()
			tab.ResetRequests()
			if got := s.open(t, tab, "/tim-kiem/", q1); !slices.Equal(got.URLs, want.URLs) || len(got.URLs) == 0 {
				t.Fatalf("from local storage: %v\nfirst: %v", got.URLs, want.URLs)
			}
			for _, r := range tab.Requests() {
				if strings.Contains(r.URL, "/search/") {
					t.Errorf("the page asked for %s; local storage has it", r.URL)
				}
			}
			// A kept part that does not read (damaged, or kept by another
			// version of the script) is let go and fetched again.
			must(t, tab.Eval(`Object.keys(localStorage).forEach(function (k) { if (k.indexOf('sxsh-search-kept ') === 0) localStorage.setItem(k, '\u00ff{'); })`, nil))
			if got := s.open(t, tab, "/tim-kiem/", q1); !slices.Equal(got.URLs, want.URLs) {
				t.Fatalf("with damaged parts kept: %v (%q)\nfirst: %v", got.URLs, got.Status, want.URLs)
			}
			// (Those of the query read again are kept anew.)
			must(t, tab.WaitFor(`Object.keys(localStorage).some(function (k) { return k.indexOf('sxsh-search-kept ') === 0 && localStorage.getItem(k) !== '\u00ff{'; })`))
			// Without them, the browser's cache serves the parts.
			must(t, tab.Eval(`Object.keys(localStorage).forEach(function (k) { if (k.indexOf('sxsh-search-kept') === 0) localStorage.removeItem(k); })`, nil))
			s.srv.Reset()
			if got := s.open(t, tab, "/tim-kiem/", q1); !slices.Equal(got.URLs, want.URLs) {
				t.Fatalf("from the cache: %v\nfirst: %v", got.URLs, want.URLs)
			}
			for _, r := range s.srv.Responses() {
				if r.Path != "/tim-kiem/" {
					t.Errorf("the server was asked for %s %s; the browser's cache has it", r.Path, r.Range)
				}
			}
		})
	}
}

// TestBrowserSearchKeepsLittle: what the search keeps in local storage
// stays within its room (KEPT_ROOM in search.js), the oldest let go
// first, and its list names exactly what is kept.
func TestBrowserSearchKeepsLittle(t *testing.T) {
	t.Parallel() // one shared browser, a context per tab
	js, err := os.ReadFile("../../static/js/search.js")
	must(t, err)
	m := regexp.MustCompile(`KEPT_ROOM = (\d+);`).FindSubmatch(js)
	if m == nil {
		t.Fatal("search.js names no KEPT_ROOM")
	}
	room, _ := strconv.Atoi(string(m[1]))
	s := serve(t, exampleSite(t))
	tab := s.b.Tab(t)
	s.open(t, tab, "/tim-kiem/", "")
	// Fill the room with others' parts, as earlier pages would have.
	const n = 8
	must(t, tab.Eval(fmt.Sprintf(`(function () {
  var list = [], size = Math.floor(%d / %d), fill = 'x'.repeat(size);
  for (var i = 0; i < %d; i++) { list.push(['old ' + i, size]); localStorage.setItem('sxsh-search-kept old ' + i, fill); }
  localStorage.setItem('sxsh-search-kept', JSON.stringify(list));
})()`, room, n, n), nil))
	if got := s.open(t, tab, "/tim-kiem/", "tiết kiệm điện"); len(got.URLs) == 0 {
		t.Fatalf("no results: %q", got.Status)
	}
	// The parts are written once the query is answered.
	must(t, tab.WaitFor(`JSON.parse(localStorage.getItem('sxsh-search-kept')).some(function (e) { return e[0].indexOf('docs.bin') >= 0; })`))
	var kept struct {
		List   [][2]any
		Stored []string
		Sizes  map[string]float64
	}
	must(t, tab.Eval(`(function () {
  var out = { List: JSON.parse(localStorage.getItem('sxsh-search-kept')), Stored: [], Sizes: {} };
  Object.keys(localStorage).forEach(function (k) {
    if (k.indexOf('sxsh-search-kept ') === 0) { out.Stored.push(k.slice(17)); out.Sizes[k.slice(17)] = localStorage.getItem(k).length; }
  });
  return out;
})()`, &kept))
	total, listed, fresh := 0, map[string]bool{}, 0
	for _, e := range kept.List {
		key, size := e[0].(string), int(e[1].(float64))
		listed[key] = true
		total += size
		if kept.Sizes[key] != float64(size) {
			t.Errorf("%s: listed as %d characters, %v kept", key, size, kept.Sizes[key])
		}
		if !strings.HasPrefix(key, "old ") {
			fresh++
		}
	}
	for _, k := range kept.Stored {
		if !listed[k] {
			t.Errorf("%s is kept but not listed", k)
		}
	}
	if total > room {
		t.Errorf("%d characters kept, more than the room of %d", total, room)
	}
	if listed["old 0"] || !listed[fmt.Sprintf("old %d", n-1)] {
		t.Errorf("the oldest should go first: %v", slices.Sorted(maps.Keys(listed)))
	}
	if fresh < 4 {
		t.Errorf("the query's parts were not kept: %v", slices.Sorted(maps.Keys(listed)))
	}
}

// TestBrowserSearchOwnLayout: a site's own search.html that names only
// the manifest's address, as search pages did before they carried the
// manifest, still searches: the script fetches the manifest.
func TestBrowserSearchOwnLayout(t *testing.T) {
	t.Parallel() // one shared browser, a context per tab
	dest := mustBuild(t, txtar(siteTOML+`
-- layouts/search.html --
{{ define "main" }}
<div class="search-app" data-search-manifest="{{ .SearchManifest }}" data-msg-results="{n} kết quả" data-msg-one="1 kết quả">
<form action="{{ .Site.Search }}" role="search"><label for="search-q">Tìm</label><input id="search-q" type="search" name="q"><button>Tìm</button></form>
<p class="search-status" role="status"></p><p class="search-note" hidden></p>
<ol class="search-results"></ol><button type="button" class="search-more" hidden>Thêm</button>
</div>
<script src="{{ asset "js/search.js" }}" defer></script>
{{ end }}
-- content/articles/_index.vi.md --
+++
title = "Tin tức"
slug = "tin-tuc"
+++
-- content/articles/a.vi.md --
+++
title = "Tiết kiệm điện trong sản xuất"
date = 2024-01-02
+++
Doanh nghiệp tiết kiệm điện.
-- content/articles/b.vi.md --
+++
title = "Trang khác"
date = 2024-01-03
+++
Nói về nước thải.
`), nil)
	if strings.Contains(read(t, dest, "tim-kiem/index.html"), "data-search-index") {
		t.Fatal("the site's own search.html carries the manifest; this test wants one that does not")
	}
	s := serve(t, dest)
	tab := s.b.Tab(t)
	if got := s.open(t, tab, "/tim-kiem/", "tiet kiem dien"); !slices.Equal(got.URLs, []string{"/tin-tuc/a/"}) {
		t.Fatalf("found %v (%q), want /tin-tuc/a/", got.URLs, got.Status)
	}
	manifests := 0
	for _, r := range tab.Requests() {
		if strings.Contains(r.URL, "/manifest.") {
			manifests++
		}
	}
	if manifests != 1 {
		t.Errorf("the manifest was fetched %d times, want once", manifests)
	}
}

// TestBrowserSearchWithoutRanges: on a server that ignores Range and sends
// whole files, the search finds what it finds elsewhere, keeping each pack
// it received whole rather than asking for it again.
func TestBrowserSearchWithoutRanges(t *testing.T) {
	t.Parallel() // one shared browser, a context per tab
	dest := exampleSite(t)
	ranged, whole := serve(t, dest), serve(t, dest)
	whole.srv.IgnoreRanges()
	const q1, q2 = "tiết kiệm điện", "sản xuất sạch hơn"
	rtab := ranged.b.Tab(t)
	want := ranged.open(t, rtab, "/tim-kiem/", q1)
	tab := whole.b.Tab(t)
	if got := whole.open(t, tab, "/tim-kiem/", q1); !slices.Equal(got.URLs, want.URLs) || len(got.URLs) == 0 {
		t.Fatalf("without ranges: %v\nwith ranges: %v", got.URLs, want.URLs)
	}
	// Counted as the page asks, not as the server answers: the
	// browser's cache may answer a request the script should not make.
	packs := func() (n int) {
		for _, r := range tab.Requests() {
			if u, err := url.Parse(r.URL); err == nil && strings.HasSuffix(u.Path, ".bin") {
				n++
			}
		}
		return n
	}
	before := packs()
	want = ranged.open(t, rtab, "/tim-kiem/", q2)
	if got := whole.search(t, tab, "/tim-kiem/", q2); !slices.Equal(got.URLs, want.URLs) || len(got.URLs) == 0 {
		t.Fatalf("without ranges: %v\nwith ranges: %v", got.URLs, want.URLs)
	}
	if after := packs(); after != before {
		t.Errorf("the second query asked for the packs %d more times; the first query's whole packs should serve it", after-before)
	}
}

// TestBrowserSearchFilters: the kind and year filters keep only pages of
// that kind or year; the kinds and years of all pages (meta) are fetched
// only once a filter asks for them, and the year list comes with the
// manifest.
func TestBrowserSearchFilters(t *testing.T) {
	t.Parallel() // one shared browser, a context per tab
	b := exampleBuild(t)
	kind, year := map[string]string{}, map[string]int{}
	years := map[int]bool{}
	for _, p := range b.site.Pages {
		if p.Kind == content.KindSingle && p.Lang == "vi" {
			kind[b.rel(p.Path)], year[b.rel(p.Path)] = p.Type, p.Date.Year()
			if !p.Date.IsZero() {
				years[p.Date.Year()] = true
			}
		}
	}
	s := serve(t, exampleSite(t))
	tab := s.b.Tab(t)
	const q = "sản xuất"
	metaFetched := func() bool {
		for _, r := range tab.Requests() {
			if strings.Contains(r.URL, "/meta.") {
				return true
			}
		}
		return false
	}
	all := s.search(t, tab, "/tim-kiem/", q)
	if len(all.URLs) == 0 {
		t.Fatal("nothing found")
	}
	if metaFetched() {
		t.Error("meta fetched for a query without filters")
	}
	var options []string
	must(t, tab.Eval(`Array.from(document.querySelectorAll('.search-app select[name=year] option'), function (o) { return o.value; }).filter(Boolean)`, &options))
	var want []string
	for y := range years {
		want = append(want, strconv.Itoa(y))
	}
	if !slices.Equal(sorted(options), sorted(want)) {
		t.Errorf("year choices %v, want %v", options, want)
	}
	filtered := func(filter string) results {
		must(t, tab.Navigate(s.srv.URL+"/tim-kiem/?q="+url.QueryEscape(q)+"&"+filter))
		return answer(t, tab)
	}
	byKind := filtered("kind=" + content.TypeNewsletter)
	if len(byKind.URLs) == 0 || len(byKind.URLs) >= len(all.URLs) {
		t.Errorf("kind filter: %d of %d results", len(byKind.URLs), len(all.URLs))
	}
	for _, u := range byKind.URLs {
		if kind[u] != content.TypeNewsletter {
			t.Errorf("kind filter gives %s, a %s", u, kind[u])
		}
	}
	if !metaFetched() {
		t.Error("meta not fetched for a filtered query")
	}
	y := year[all.URLs[0]]
	byYear := filtered("year=" + strconv.Itoa(y))
	if len(byYear.URLs) == 0 {
		t.Errorf("year filter %d found nothing", y)
	}
	for _, u := range byYear.URLs {
		if year[u] != y {
			t.Errorf("year filter %d gives %s, of %d", y, u, year[u])
		}
	}
}

// TestBrowserReadmeSearchExamples runs the README's table of example
// searches on the example site: each address must give the status the
// README says, so that the guide cannot drift from the site.
func TestBrowserReadmeSearchExamples(t *testing.T) {
	t.Parallel() // one shared browser, a context per tab
	readme := read(t, "../..", "README.md")
	row := regexp.MustCompile("^\\| `(/tim-kiem/\\?|/en/search/\\?)")
	code := regexp.MustCompile("`([^`]+)`")
	s := serve(t, exampleSite(t))
	tab := s.b.Tab(t)
	checked := 0
	for _, line := range strings.Split(readme, "\n") {
		if !row.MatchString(line) {
			continue
		}
		cols := strings.Split(line, "|")
		addrs, says := code.FindAllStringSubmatch(cols[1], -1), code.FindAllStringSubmatch(cols[2], -1)
		if len(addrs) != len(says) {
			t.Fatalf("README row %q: %d addresses, %d statuses", line, len(addrs), len(says))
		}
		for i, a := range addrs {
			r := s.goTo(t, tab, a[1])
			if r.Status != says[i][1] {
				t.Errorf("%s: the page says %q, the README %q", a[1], r.Status, says[i][1])
			}
			if m := regexp.MustCompile(`"(Thử tìm: [^"]+)"`).FindStringSubmatch(cols[2]); m != nil && !strings.Contains(r.Note, strings.TrimPrefix(m[1], "Thử tìm: ")) {
				t.Errorf("%s: the note %q does not offer %q", a[1], r.Note, m[1])
			}
			checked++
		}
	}
	if checked < 4 {
		t.Errorf("checked %d README examples, want at least 4", checked)
	}
}

func TestBrowserSearchPhraseFirst(t *testing.T) {
	t.Parallel() // one shared browser, a context per tab
	// Each page has one phrase whole and the other's syllables scattered,
	// with the same words otherwise, so only the pairs tell them apart.
	dest := miniSite(t, map[string]string{
		"dien": "Chúng tôi bàn về tiết kiệm điện hôm nay. Nghiệp vụ mới, công tác tốt, khu vực rộng.",
		"khu":  "Chúng tôi bàn về khu công nghiệp hôm nay. Điện áp mới, kiệm lời tốt, tiết trời rộng.",
	})
	s := serve(t, dest)
	tab := s.b.Tab(t)
	tests := []struct{ q, first string }{
		{"tiết kiệm điện", "/tin-tuc/dien/"},
		{"tiet kiem dien", "/tin-tuc/dien/"},
		{"khu công nghiệp", "/tin-tuc/khu/"},
		{"khu cong nghiep", "/tin-tuc/khu/"},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			r := s.search(t, tab, "/tim-kiem/", tt.q)
			if len(r.URLs) != 2 || r.URLs[0] != tt.first {
				t.Errorf("%q ranks %v; want both pages, %s first", tt.q, r.URLs, tt.first)
			}
		})
	}
}

// windowsForm writes s as the Windows Vietnamese keyboard does: each letter
// precomposed with its vowel mark (â, ơ, …) but followed by its tone mark
// as a combining character.
func windowsForm(s string) string {
	var b strings.Builder
	var base, tones []rune
	flush := func() {
		b.WriteString(norm.NFC.String(string(base)))
		b.WriteString(string(tones))
		base, tones = base[:0], tones[:0]
	}
	for _, r := range norm.NFD.String(s) {
		switch {
		case strings.ContainsRune("\u0300\u0301\u0303\u0309\u0323", r):
			tones = append(tones, r)
		case unicode.Is(unicode.Mn, r):
			base = append(base, r)
		default:
			flush()
			base = append(base, r)
		}
	}
	flush()
	return b.String()
}

// typeInto types s into the element key by key with chromedp.SendKeys,
// except the combining marks U+0301..U+0308, which chromedp's keyboard
// reserves for arrow and paging keys: those are committed as an input
// method commits text (Input.insertText).
func typeInto(tab *browser.Tab, sel, s string) error {
	if err := tab.Run(chromedp.Focus(chromedp.CSS(sel))); err != nil {
		return err
	}
	var keys strings.Builder
	flush := func() error {
		if keys.Len() == 0 {
			return nil
		}
		err := tab.Run(chromedp.SendKeys(chromedp.CSS(sel), keys.String()))
		keys.Reset()
		return err
	}
	for _, r := range s {
		if r < 0x301 || r > 0x308 {
			keys.WriteRune(r)
			continue
		}
		if err := flush(); err != nil {
			return err
		}
		err := tab.Run(chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			_, err := chromedp.Call(ctx, input.InsertText, input.InsertTextParams{Text: string(r)})
			return err
		}))
		if err != nil {
			return err
		}
	}
	return flush()
}

func TestBrowserSearchNormalForms(t *testing.T) {
	t.Parallel() // one shared browser, a context per tab
	s := serve(t, exampleSite(t))
	tab := s.b.Tab(t)
	for _, q := range []string{"Đồng Nai", "tiết kiệm điện", "sản xuất sạch hơn", "Biên Hòa"} {
		t.Run(q, func(t *testing.T) {
			want := s.search(t, tab, "/tim-kiem/", q)
			if len(want.URLs) == 0 {
				t.Fatalf("%q found nothing", q)
			}
			forms := map[string]string{"NFD": norm.NFD.String(q), "Windows": windowsForm(q)}
			for name, f := range forms {
				if f == q {
					t.Fatalf("%s form of %q is the NFC form", name, q)
				}
				// In the URL, percent-encoded from the other form.
				if got := s.visit(t, tab, "/tim-kiem/", f); got.Status != want.Status || !slices.Equal(got.URLs, want.URLs) {
					t.Errorf("%s form in the URL: %q, %v; NFC: %q, %v", name, got.Status, got.URLs, want.Status, want.URLs)
				}
				// Typed into the search box, on the page as it opens
				// without a query.
				if r := s.visit(t, tab, "/tim-kiem/", ""); r.Status == "" || len(r.URLs) > 0 {
					t.Fatalf("the page without a query says %q, %v", r.Status, r.URLs)
				}
				must(t, typeInto(tab, "#search-q", f))
				must(t, tab.WaitFor(`new URLSearchParams(location.search).get('q') === `+browser.JSString(f)))
				if got := answer(t, tab); got.Status != want.Status || !slices.Equal(got.URLs, want.URLs) {
					t.Errorf("%s form typed: %q, %v; NFC: %q, %v", name, got.Status, got.URLs, want.Status, want.URLs)
				}
			}
		})
	}
}

func TestBrowserSearchEnglish(t *testing.T) {
	t.Parallel() // one shared browser, a context per tab
	s := serve(t, exampleSite(t))
	tab := s.b.Tab(t)
	for _, q := range []string{"cleaner production", "energy saving", "Dong Nai"} {
		r := s.search(t, tab, "/en/search/", q)
		if len(r.URLs) == 0 {
			t.Errorf("/en/search/ %q found nothing", q)
		}
		for _, u := range r.URLs {
			if !strings.HasPrefix(u, "/en/") {
				t.Errorf("/en/search/ %q found %s, not an English page", q, u)
			}
		}
	}
	// A Vietnamese word that only the Vietnamese pages have.
	const vi = "doanh nghiệp"
	if r := s.search(t, tab, "/tim-kiem/", vi); len(r.URLs) == 0 {
		t.Fatalf("/tim-kiem/ %q found nothing, so it proves nothing in English", vi)
	}
	if r := s.search(t, tab, "/en/search/", vi); len(r.URLs) != 0 {
		t.Errorf("/en/search/ %q found %v, want nothing", vi, r.URLs)
	}
}

func TestBrowserSearchBadQueries(t *testing.T) {
	t.Parallel() // one shared browser, a context per tab
	s := serve(t, exampleSite(t))
	tab := s.b.Tab(t)
	tests := []struct {
		name, q string
		msg     string // the data-msg-* attribute the status should say, "" for any
		cut     bool
	}{
		{"empty", "", "prompt", false},
		{"spaces", "   \t ", "prompt", false},
		{"1000 characters", strings.Repeat("sạch ", 200), "", true},
		{"1000 letters", strings.Repeat("a", 1000), "", true},
		{"punctuation", `!?.,;:-–—"'()[]{}…«»`, "nowords", false},
		{"script", `<script>alert(1)</script>`, "", false},
		{"attribute", `"><img src=x onerror=alert(1)>`, "", false},
		{"template", `{n} {q} ${alert(1)}`, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := s.visit(t, tab, "/tim-kiem/", tt.q) // a link someone sent
			var got struct {
				Injected, StatusChildren int
				Msgs                     map[string]string
			}
			must(t, tab.Eval(`(function () {
  var app = document.querySelector('.search-app'), msgs = {};
  Array.from(app.attributes).forEach(function (a) { if (a.name.indexOf('data-msg-') === 0) msgs[a.name.slice(9)] = a.value; });
  return { Injected: document.querySelectorAll('.search-app script, .search-app img, script:not([src]):not([type="application/ld+json"]), [onerror]').length,
    StatusChildren: app.querySelector('.search-status').children.length, Msgs: msgs };
})()`, &got))
			if got.Injected != 0 {
				t.Errorf("%d injected elements in the page", got.Injected)
			}
			if got.StatusChildren != 0 || strings.TrimSpace(r.Status) == "" {
				t.Errorf("status %q with %d elements, want a plain message", r.Status, got.StatusChildren)
			}
			if tt.msg != "" && r.Status != got.Msgs[tt.msg] {
				t.Errorf("status %q, want %q", r.Status, got.Msgs[tt.msg])
			}
			if strings.Contains(r.Status, "{") && !strings.Contains(tt.q, "{") {
				t.Errorf("status %q has an unfilled placeholder", r.Status)
			}
			if cut := strings.Contains(r.Note, got.Msgs["cut"]); cut != tt.cut {
				t.Errorf("note %q: says the query was cut = %v, want %v", r.Note, cut, tt.cut)
			}
		})
	}
}

// foldVectors reads ../../testdata/fold.tsv, the vectors the Go tests of
// generator/vitext run, with escapes decoded.
func foldVectors(t *testing.T) [][5]string {
	t.Helper()
	const file = "../../testdata/fold.tsv"
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out [][5]string
	sc := bufio.NewScanner(f)
	header := false
	for line := 1; sc.Scan(); line++ {
		text := sc.Text()
		if strings.HasPrefix(text, "#") {
			continue
		}
		fields := strings.Split(text, "\t")
		if len(fields) != 5 {
			t.Fatalf("%s:%d: %d fields, want 5", file, line, len(fields))
		}
		if !header {
			header = true
			continue
		}
		var v [5]string
		for i, fld := range fields {
			d, err := unescapeU(fld)
			if err != nil {
				t.Fatalf("%s:%d: %v", file, line, err)
			}
			v[i] = d
		}
		out = append(out, v)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(out) < 60 {
		t.Fatalf("%s: %d vectors, want at least 60", file, len(out))
	}
	return out
}

// unescapeU decodes the vectors' \uXXXX escapes.
func unescapeU(s string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' {
			b.WriteByte(s[i])
			continue
		}
		if i+6 > len(s) || s[i+1] != 'u' {
			return "", fmt.Errorf("bad escape in %q", s)
		}
		n, err := strconv.ParseUint(s[i+2:i+6], 16, 32)
		if err != nil || n >= 0xD800 && n <= 0xDFFF {
			return "", fmt.Errorf("bad escape %q", s[i:i+6])
		}
		b.WriteRune(rune(n))
		i += 5
	}
	return b.String(), nil
}

func TestBrowserFoldVectors(t *testing.T) {
	t.Parallel() // one shared browser, a context per tab
	s := serve(t, exampleSite(t))
	tab := s.b.Tab(t)
	must(t, tab.Navigate(s.srv.URL+"/tim-kiem/"))
	must(t, tab.WaitFor(`!!window.sxshText`))
	vs := foldVectors(t)
	inputs := make([]string, len(vs))
	for i, v := range vs {
		inputs[i] = v[0]
	}
	var got [][4]string
	// One evaluation for all rows: the inputs go in as a JSON array.
	must(t, tab.Eval(`(function (inputs) {
  var x = window.sxshText;
  return inputs.map(function (s) {
    return [x.nfc(s), x.tokenize(s).tokens.map(function (t) { return t.exact; }).join(' '), x.fold(s), x.slug(s)];
  });
})(`+jsArray(inputs)+`)`, &got))
	if len(got) != len(vs) {
		t.Fatalf("%d answers for %d vectors", len(got), len(vs))
	}
	cols := []string{"nfc", "exact", "fold", "slug"}
	for i, v := range vs {
		for c, name := range cols {
			if got[i][c] != v[c+1] {
				t.Errorf("%s(%+q) = %+q in JS, want %+q", name, v[0], got[i][c], v[c+1])
			}
		}
	}
}

func jsArray(ss []string) string {
	parts := make([]string, len(ss))
	for i, s := range ss {
		parts[i] = browser.JSString(s)
	}
	return "[" + strings.Join(parts, ",") + "]"
}

func TestBrowserWithoutJavaScript(t *testing.T) {
	t.Parallel() // one shared browser, a context per tab
	dest := exampleSite(t)
	s := serve(t, dest)
	on := s.b.Tab(t)
	off := s.b.Tab(t)
	must(t, off.Run(chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return err
	})))

	must(t, off.Navigate(s.srv.URL+"/tim-kiem/?q=tiet+kiem"))
	must(t, off.WaitVisible(".search-nojs"))
	var page struct {
		Form, Input bool
		Note        string
		Status      string
	}
	must(t, off.Eval(`({ Form: !!document.querySelector('form.search-form[action]'),
  Input: !!document.querySelector('form.search-form input[name=q]'),
  Note: document.querySelector('.search-nojs').textContent,
  Status: document.querySelector('.search-status').textContent })`, &page))
	if !page.Form || !page.Input || strings.TrimSpace(page.Note) == "" {
		t.Errorf("search page without JavaScript: %+v; want the form and the note", page)
	}
	if page.Status != "" {
		t.Errorf("status %q without JavaScript: scripts ran", page.Status)
	}

	// An article reads the same with and without scripts.
	const article = "/tin-tuc/ket-qua-sxsh-2016-2020/"
	text := map[string]string{}
	for name, tab := range map[string]*browser.Tab{"on": on, "off": off} {
		must(t, tab.Navigate(s.srv.URL+article))
		var main string
		must(t, tab.Eval(`document.querySelector('main').textContent`, &main))
		text[name] = strings.Join(strings.Fields(main), " ")
	}
	if len(text["off"]) < 500 {
		t.Errorf("article without JavaScript has %d characters of text: %q", len(text["off"]), text["off"])
	}
	if text["off"] != text["on"] {
		t.Errorf("article differs without JavaScript:\n off: %.300s\n on:  %.300s", text["off"], text["on"])
	}
	for name, tab := range map[string]*browser.Tab{"on": on, "off": off} {
		if p := tab.Problems(); len(p) > 0 {
			t.Errorf("scripts %s: problems:\n%s", name, strings.Join(p, "\n"))
		}
	}
}

func TestBrowserLanguageSwitch(t *testing.T) {
	t.Parallel() // one shared browser, a context per tab
	dest := exampleSite(t)
	s := serve(t, dest)
	tab := s.b.Tab(t)
	const vi = "tin-tuc/ket-qua-sxsh-2016-2020/index.html"
	alt := find(tags(read(t, dest, vi)), "link", "rel", "alternate", "hreflang", "en")
	if len(alt) != 1 {
		t.Fatalf("%s: %d English alternates", vi, len(alt))
	}
	u, err := url.Parse(alt[0].attrs["href"])
	if err != nil {
		t.Fatal(err)
	}
	want := u.Path
	must(t, tab.Navigate(s.srv.URL+"/"+path.Dir(vi)+"/"))
	must(t, tab.Run(chromedp.Click(chromedp.CSS(`.lang-switch a[hreflang="en"]`))))
	must(t, tab.WaitFor(`location.pathname !== `+browser.JSString("/"+path.Dir(vi)+"/")+` && document.readyState === 'complete'`))
	var got struct{ Path, Lang, H1 string }
	must(t, tab.Eval(`({ Path: location.pathname, Lang: document.documentElement.lang, H1: document.querySelector('h1').textContent })`, &got))
	if got.Path != want || got.Lang != "en" || !strings.HasPrefix(want, "/en/") {
		t.Errorf("after the switch: %+v; want %s in English", got, want)
	}
	if strings.TrimSpace(got.H1) == "" {
		t.Errorf("English page has no heading")
	}
	if p := tab.Problems(); len(p) > 0 {
		t.Errorf("problems:\n%s", strings.Join(p, "\n"))
	}
}
