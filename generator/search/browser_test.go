package search

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"sxsh/generator/browser"
)

// clientPage is a search page for the client, static/js/search.js, as the
// site's layout makes it, with plain messages: the status says the count
// and the kind of answer.
const clientPage = `<!doctype html><html lang="en"><meta charset="utf-8"><title>search</title><link rel="icon" href="data:,">
<div class="search-app" data-search-manifest="/search/%s"
  data-msg-prompt="prompt" data-msg-results="{n} results" data-msg-one="1 result"
  data-msg-partial="{n} partial" data-msg-none="none" data-msg-nowords="nowords"
  data-msg-cut="cut" data-msg-suggest="try" data-msg-error="error">
<form><input name="q"><select name="kind"><option value="">all</option>%s</select>
<select name="year"><option value="">all</option></select></form>
<p class="search-status"></p><p class="search-note" hidden></p>
<ol class="search-results"></ol><button class="search-more" hidden>more</button></div>
<script src="/search.js"></script>`

// clientSite writes an index and the search page beside the client into a
// folder, and returns the folder.
func clientSite(t *testing.T, fs files, manifest string) string {
	t.Helper()
	dir := t.TempDir()
	js, err := os.ReadFile("../../static/js/search.js")
	if err != nil {
		t.Fatal(err)
	}
	var kinds strings.Builder
	for _, k := range testKinds {
		fmt.Fprintf(&kinds, `<option value="%s">%s</option>`, k, k)
	}
	out := map[string][]byte{
		"search.js":  js,
		"index.html": fmt.Appendf(nil, clientPage, manifest, kinds.String()),
	}
	for name, data := range fs {
		out["search/"+name] = data
	}
	for name, data := range out {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// twoPages returns the status and the first two pages of results: the
// page's first ten, then, after "more", the next ten.
const twoPages = `(async function () {
  var app = document.querySelector('.search-app'), list = app.querySelector('.search-results');
  var more = app.querySelector('.search-more'), links = function () {
    return Array.from(list.querySelectorAll('a'), function (a) { return a.getAttribute('href'); });
  };
  var first = links().length;
  if (!more.hidden) {
    more.click();
    for (var w = 0; (list.hasAttribute('aria-busy') || links().length === first) && w < 1000; w++) {
      await new Promise(function (r) { setTimeout(r, 5); });
    }
  }
  return { Status: app.querySelector('.search-status').textContent, URLs: links(), First: first };
})()`

// inPlace puts the query of an address (its argument) in the address of
// the page already open, as Back and Forward do, without reloading, and
// once the page has answered it returns what twoPages returns.
var inPlace = `(async function (u) {
  history.pushState(null, '', u);
  dispatchEvent(new PopStateEvent('popstate'));
  while (!` + browser.SearchAnswered + `) await new Promise(function (r) { setTimeout(r, 2); });
  return await ` + twoPages + `;
})`

// TestBrowserTiersAsWhole runs the client on two indexes of the same pages:
// one whose long lists are split into heads and tails far more than the
// default limits would, so that most queries read some tails, and one with
// every list whole in its shard. For each query, with and without filters,
// both must say the same count and show the same first 20 results in the
// same order, which is the order the reference evaluator gives.
func TestBrowserTiersAsWhole(t *testing.T) {
	if testing.Short() {
		t.Skip("a browser")
	}
	// Most of its time is spent waiting for the browser: it runs beside
	// the tests that keep the processor busy.
	t.Parallel()
	c := newCorpus(t, 11)
	docs := c.docs(300, 1500)
	build := func(lim listLimits) (*index, *browser.Server) {
		fs, m := buildWith(t, lim, docs)
		return parseIndex(t, fs, m), browser.Serve(t, clientSite(t, fs, m))
	}
	split, splitSrv := build(listLimits{split: 40, head: 10})
	whole, wholeSrv := build(listLimits{split: 1 << 30})
	if len(split.tails) < 500 || len(whole.tails) != 0 {
		t.Fatalf("%d and %d lists split: want many, then none", len(split.tails), len(whole.tails))
	}
	b := browser.New(t)
	splitTab, wholeTab := b.Tab(t), b.Tab(t)
	type answer struct {
		Status string
		URLs   []string
		First  int
	}
	opened := map[*browser.Tab]bool{}
	ask := func(tab *browser.Tab, srv *browser.Server, s sampled) answer {
		v := url.Values{"q": {s.q}}
		if s.kind != "" {
			v.Set("kind", s.kind)
		}
		if s.year != 0 {
			v.Set("year", strconv.Itoa(s.year))
		}
		must := func(err error) {
			if err != nil {
				t.Fatalf("%+v: %v", s, err)
			}
		}
		// The first query opens the page; the next ones are answered in
		// it, which reads only the index parts no query read before.
		var a answer
		if opened[tab] {
			must(tab.Eval(inPlace+"("+browser.JSString("/?"+v.Encode())+")", &a))
		} else {
			must(tab.Navigate(srv.URL + "/?" + v.Encode()))
			must(tab.WaitFor(browser.SearchAnswered))
			must(tab.Eval(twoPages, &a))
			opened[tab] = true
		}
		if p := tab.Problems(); len(p) > 0 {
			t.Fatalf("%+v: the page reported problems:\n%s", s, strings.Join(p, "\n"))
		}
		return a
	}
	splitSrv.Reset()
	for _, s := range sampleQueries(docs, 60, 2) {
		want := whole.query(s.q, s.kind, s.year)
		urls := whole.urls(queryResult{docs: want.docs[:min(20, len(want.docs))]})
		got, plain := ask(splitTab, splitSrv, s), ask(wholeTab, wholeSrv, s)
		if got.Status != plain.Status || !slices.Equal(got.URLs, plain.URLs) || got.First != plain.First {
			t.Errorf("%+v:\nsplit lists: %q, %d first of %v\nwhole lists: %q, %d first of %v", s, got.Status, got.First, got.URLs, plain.Status, plain.First, plain.URLs)
		}
		if !slices.Equal(plain.URLs, urls) || !strings.HasPrefix(plain.Status, strconv.Itoa(len(want.docs))+" ") && len(want.docs) > 0 {
			t.Errorf("%+v: the client says %q, %v; the reference %d results, %v", s, plain.Status, plain.URLs, len(want.docs), urls)
		}
	}
	// The tails come after the shards in the terms pack.
	shards := 0
	for _, m := range split.members {
		shards += len(m)
	}
	tails := map[string]bool{}
	for _, r := range splitSrv.Responses() {
		var from int
		if _, err := fmt.Sscanf(r.Range, "bytes=%d-", &from); err == nil && strings.HasSuffix(r.Path, "/terms.bin") && from >= shards {
			tails[r.Range] = true
		}
	}
	if len(tails) < 50 {
		t.Errorf("the client read %d tails: too few for the test to prove much", len(tails))
	}
	t.Logf("the client read %d tails of %d", len(tails), len(split.tails))
}
