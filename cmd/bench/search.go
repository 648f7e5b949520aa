package main

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"sxsh/generator/browser"
	"sxsh/generator/corpus"
)

// With -search, bench measures the search instead of the build: the index's
// size on disk, and what the real client (static/js/search.js) costs a
// reader in headless Chromium against a local gzip server.

// The queries a reader types, in order: the first on a cold cache, the
// second on the same page, the third timed once everything is cached.
const (
	firstQuery  = "san xuat sach hon"
	secondQuery = "tiết kiệm điện"
	warmQuery   = "khu cong nghiep"
)

// Targets printed beside the figures.
const (
	targetFirstBytes  = 60_000 // uncompressed
	targetFirstTrips  = 3
	targetLaterBytes  = 40_000 // as served: text gzipped, packs as they are
	targetManifest    = 10_000
	targetWarm        = 50 * time.Millisecond
	targetNavigate    = 100 * time.Millisecond
	warmRuns          = 5
	searchPage        = "/tim-kiem/"
	searchDataPrefix  = "/search/"
	searchScript      = "/js/search."
	answerWaitTimeout = 2 * time.Minute
	// The link of a reader on a phone: the latency also keeps apart
	// requests that wait for one another, which on loopback would finish
	// before the next one starts and blur the round-trip count.
	linkLatency = 100 * time.Millisecond
	linkDown    = 200_000 // bytes/s: 1.6 Mbit/s
)

// langIndex is the size of one language's index on disk.
type langIndex struct {
	lang                 string
	files, docs, shards  int
	bytes, sent          int64 // on disk; as the server sends them
	manifest, manifestGz int64
	meta, metaGz         int64
	maxShard             int64 // compressed, as in the pack
}

// fetchCost is what one step cost over the network, as the browser and the
// server saw it.
type fetchCost struct {
	requests   int
	encoded    int64 // Chromium's encodedDataLength: gzipped bodies and headers
	served     int64 // the server's count: bodies only, gzipped where sent gzipped
	raw        int64 // the files' own sizes: uncompressed bodies
	roundTrips int
	rounds     string // what each round trip fetched
}

// clientCost is what the client cost a reader.
type clientCost struct {
	page        fetchCost // the search page itself: HTML, CSS, JS, images
	first       fetchCost // the first query's script and search data, cold cache
	firstData   int64     // of which search data, uncompressed, with the manifest
	manifest    int64     // the manifest, which the page carries
	second      fetchCost // a different query on the same page
	firstStatus string
	firstTime   time.Duration   // from navigating to the results shown
	secondTime  time.Duration   // from typing to the results shown
	warmStatus  []time.Duration // from submitting to the status region
	warmResults []time.Duration // from submitting to the results shown
	navigate    []time.Duration // from navigating to the results shown, loopback, files cached
	// navigateSent is what the server sent during those navigations:
	// the search pages (HTML has a short cache), and nothing of the
	// index when the browser's cache serves it.
	navigateSent []browser.Response
}

func runSearch(ctx context.Context, c config, tmp string, stdout, stderr io.Writer) error {
	chromium := browser.Find()
	if chromium == "" {
		return errors.New("-search needs Chromium (apt-get install chromium)")
	}
	sx := sxshTool(ctx, c, tmp, stderr)
	if sx.err != nil {
		return sx.err
	}
	for _, n := range c.counts {
		site := filepath.Join(tmp, fmt.Sprintf("site-%d", n))
		fmt.Fprintf(stderr, "bench: writing %d articles to %s\n", n, site)
		if _, err := corpus.Write(site, corpus.Options{Articles: n, Seed: c.seed, BytesPerPage: c.bytes}); err != nil {
			return fmt.Errorf("writing corpus of %d articles: %w", n, err)
		}
		dest := sx.dest(site)
		args := sx.args(site, dest)
		fmt.Fprintf(stderr, "bench: %s\n", strings.Join(args, " "))
		built, err := runChild(ctx, args)
		if err != nil {
			return err
		}
		pages, err := countFiles(dest, ".html")
		if err != nil {
			return err
		}
		idx, err := indexSizes(filepath.Join(dest, "search"))
		if err != nil {
			return err
		}
		fmt.Fprintln(stderr, "bench: driving the search client in Chromium")
		cost, err := measureClient(ctx, chromium, dest, tmp)
		if err != nil {
			return fmt.Errorf("%d articles: %w", n, err)
		}
		if err := printSearch(stdout, n, pages, built, idx, cost); err != nil {
			return err
		}
		if !c.keep {
			if err := os.RemoveAll(site); err != nil {
				return err
			}
		}
	}
	return nil
}

// indexSizes measures each language's folder under dir (public/search).
// Sent sizes are each JSON file gzipped alone at the default level, as the
// benchmark's server sends it, and the packs as they are.
func indexSizes(dir string) ([]langIndex, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("the build wrote no search index: %w", err)
	}
	var out []langIndex
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		li := langIndex{lang: e.Name()}
		root := filepath.Join(dir, e.Name())
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			// The packs are sent as they are: their members are
			// compressed already.
			gz := int64(len(data))
			if !strings.HasSuffix(p, ".bin") {
				gz = gzipSize(data)
			}
			li.files++
			li.bytes += int64(len(data))
			li.sent += gz
			rel, _ := filepath.Rel(root, p)
			switch rel = filepath.ToSlash(rel); {
			case strings.HasPrefix(rel, "manifest."):
				li.manifest, li.manifestGz = int64(len(data)), gz
				var m struct {
					Docs  int    `json:"docs"`
					Sizes string `json:"sizes"`
				}
				if err := json.Unmarshal(data, &m); err != nil {
					return fmt.Errorf("%s: %w", p, err)
				}
				li.docs = m.Docs
				for _, n := range strings.Split(m.Sizes, "|") {
					size, err := strconv.ParseInt(n, 36, 64)
					if err != nil {
						return fmt.Errorf("%s: shard size %q: %w", p, n, err)
					}
					li.shards++
					li.maxShard = max(li.maxShard, size)
				}
			case strings.HasPrefix(rel, "meta."):
				li.meta, li.metaGz = int64(len(data)), gz
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		out = append(out, li)
	}
	return out, nil
}

func gzipSize(data []byte) int64 {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	_, _ = zw.Write(data) // a bytes.Buffer does not fail
	_ = zw.Close()
	return int64(b.Len())
}

// shownClock runs in every page before its own scripts and notes in
// window.sxshShown the page's time (ms from the navigation's start) at
// which the browser starts drawing the first frame that shows the
// search's answer with results (the next animation frame after they are
// in the page: the page's first drawing, when they come before it).
const shownClock = `(function () {
  var obs = new MutationObserver(function () {
    var app = document.querySelector('.search-app');
    var list = app && app.querySelector('.search-results');
    if (!list || list.hasAttribute('aria-busy') || !list.querySelector('.search-title a')) return;
    requestAnimationFrame(function () { window.sxshShown = performance.now(); });
    obs.disconnect();
  });
  obs.observe(document, { subtree: true, childList: true, attributes: true });
})();`

// warmTimes submits a query runs+1 times, the first to fill the caches,
// and returns for each later run the milliseconds from submitting the form
// (as Enter does; typing adds the client's 200 ms pause) to the status
// region changing and to the results being shown.
const warmTimes = `(async function (q, runs) {
  var app = document.querySelector('.search-app'), form = app.querySelector('form');
  var input = form.elements.q, status = app.querySelector('.search-status'), list = app.querySelector('.search-results');
  var out = { Status: [], Results: [] };
  for (var i = 0; i <= runs; i++) {
    status.textContent = '';
    var spoke = new Promise(function (res) {
      var mo = new MutationObserver(function () {
        if (status.textContent !== '') { mo.disconnect(); res(performance.now()); }
      });
      mo.observe(status, { childList: true, characterData: true, subtree: true });
    });
    var t0 = performance.now();
    input.value = q;
    form.requestSubmit();
    var t1 = await spoke;
    var t2 = await new Promise(function (res) {
      if (!list.hasAttribute('aria-busy')) return res(performance.now());
      var mo = new MutationObserver(function () {
        if (!list.hasAttribute('aria-busy')) { mo.disconnect(); res(performance.now()); }
      });
      mo.observe(list, { attributes: true, attributeFilter: ['aria-busy'] });
    });
    if (i > 0) { out.Status.push(t1 - t0); out.Results.push(t2 - t0); }
    await new Promise(function (r) { setTimeout(r, 50); });
  }
  return out;
})`

// measureClient serves dest on 127.0.0.1 and reads its Vietnamese search
// page in a browser with a fresh profile, so the first query meets a cold
// cache.
func measureClient(ctx context.Context, chromium, dest, tmp string) (clientCost, error) {
	var cost clientCost
	srv, err := browser.NewServer(dest)
	if err != nil {
		return cost, err
	}
	defer srv.Close()
	profile, err := os.MkdirTemp(tmp, "profile-")
	if err != nil {
		return cost, err
	}
	defer os.RemoveAll(profile)
	b, err := browser.Start(ctx, chromium, profile)
	if err != nil {
		return cost, err
	}
	defer b.Close()
	tab, err := b.NewTab()
	if err != nil {
		return cost, err
	}
	defer tab.Close()
	tab.Timeout = answerWaitTimeout
	if err := tab.Throttle(linkLatency, linkDown); err != nil {
		return cost, err
	}

	// First query: a reader lands on the search page with ?q=, as the
	// search box in every page's header sends them.
	tab.ResetRequests()
	srv.Reset()
	start := time.Now()
	if err := tab.Navigate(srv.URL + searchPage + "?q=" + url.QueryEscape(firstQuery)); err != nil {
		return cost, err
	}
	if err := tab.WaitFor(browser.SearchAnswered); err != nil {
		return cost, err
	}
	cost.firstTime = time.Since(start)
	reqs, sent := tab.Requests(), srv.Responses()
	// The first query's chain starts with the script that runs it: the
	// page carries the manifest.
	first := func(p string) bool {
		return strings.HasPrefix(p, searchDataPrefix) || strings.HasPrefix(p, searchScript)
	}
	data := func(p string) bool { return strings.HasPrefix(p, searchDataPrefix) }
	var firstData fetchCost
	for _, c := range []struct {
		into *fetchCost
		keep func(string) bool
	}{{&cost.page, func(p string) bool { return !data(p) }}, {&cost.first, first}, {&firstData, data}} {
		if *c.into, err = costOf(dest, reqs, sent, c.keep); err != nil {
			return cost, err
		}
	}
	// The page carries the manifest, which the first query reads as
	// surely as if it were fetched: it counts as search data.
	manifests, err := filepath.Glob(filepath.Join(dest, "search", "vi", "manifest.*.json"))
	if err != nil || len(manifests) != 1 {
		return cost, fmt.Errorf("want one Vietnamese manifest, found %d (%v)", len(manifests), err)
	}
	fi, err := os.Stat(manifests[0])
	if err != nil {
		return cost, err
	}
	cost.manifest = fi.Size()
	cost.firstData = firstData.raw + cost.manifest
	if cost.firstStatus, err = tab.Text(".search-status"); err != nil {
		return cost, err
	}

	// Second query, typed into the same page and sent with Enter.
	if err := tab.Eval(`(function () { var a = document.querySelector('.search-app');
  a.querySelector('#search-q').value = ''; a.querySelector('.search-status').textContent = ''; })()`, nil); err != nil {
		return cost, err
	}
	tab.ResetRequests()
	srv.Reset()
	start = time.Now()
	if err := tab.Run(chromedp.SendKeys(chromedp.CSS("#search-q"), secondQuery+"\r")); err != nil {
		return cost, err
	}
	if err := tab.WaitFor(browser.SearchAnswered); err != nil {
		return cost, err
	}
	cost.secondTime = time.Since(start)
	if cost.second, err = costOf(dest, tab.Requests(), srv.Responses(), func(string) bool { return true }); err != nil {
		return cost, err
	}

	// Third query, timed in the page once its data is cached: the link
	// no longer matters.
	if err := tab.Throttle(0, 0); err != nil {
		return cost, err
	}
	var warm struct{ Status, Results []float64 }
	if err := tab.Eval(fmt.Sprintf("%s(%s, %d)", warmTimes, browser.JSString(warmQuery), warmRuns), &warm); err != nil {
		return cost, err
	}
	for i := range warm.Status {
		cost.warmStatus = append(cost.warmStatus, time.Duration(warm.Status[i]*float64(time.Millisecond)))
		cost.warmResults = append(cost.warmResults, time.Duration(warm.Results[i]*float64(time.Millisecond)))
	}

	// A reader following a link to a search, with the site's files in
	// the browser's cache: navigation to results shown, on loopback, as
	// the page's own clock tells (performance.now() counts from the
	// navigation's start).
	err = tab.Run(chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: shownClock})
		return err
	}))
	if err != nil {
		return cost, err
	}
	srv.Reset()
	for _, q := range []string{firstQuery, secondQuery, warmQuery, firstQuery, secondQuery} {
		if err := tab.Navigate(srv.URL + searchPage + "?q=" + url.QueryEscape(q)); err != nil {
			return cost, err
		}
		if err := tab.WaitFor(browser.SearchAnswered + ` && window.sxshShown > 0`); err != nil {
			return cost, err
		}
		var shown float64
		if err := tab.Eval(`window.sxshShown || 0`, &shown); err != nil {
			return cost, err
		}
		if shown == 0 {
			return cost, fmt.Errorf("query %q: the search page showed no results, or did not note when", q)
		}
		cost.navigate = append(cost.navigate, time.Duration(shown*float64(time.Millisecond)))
	}
	cost.navigateSent = srv.Responses()
	if p := tab.Problems(); len(p) > 0 {
		return cost, fmt.Errorf("the search page reported problems:\n%s", strings.Join(p, "\n"))
	}
	return cost, nil
}

// costOf adds up the requests and responses whose URL path keep accepts;
// dest is the folder served, for the files' uncompressed sizes.
func costOf(dest string, reqs []browser.Request, sent []browser.Response, keep func(path string) bool) (fetchCost, error) {
	var fc fetchCost
	var kept []browser.Request
	for _, r := range reqs {
		u, err := url.Parse(r.URL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || !keep(u.Path) {
			continue
		}
		kept = append(kept, r)
		fc.requests++
		fc.encoded += r.Encoded
		if fi, err := os.Stat(filepath.Join(dest, filepath.FromSlash(u.Path))); err == nil && !fi.IsDir() && !isPack(u.Path) {
			fc.raw += fi.Size()
		}
	}
	for _, s := range sent {
		if keep(s.Path) {
			fc.served += s.Bytes
			if isPack(s.Path) {
				n, err := packRaw(dest, s)
				if err != nil {
					return fc, err
				}
				fc.raw += n
			}
		}
	}
	rounds := browser.Rounds(kept)
	fc.roundTrips = len(rounds)
	var parts []string
	for _, g := range rounds {
		kinds, size := map[string]int{}, map[string]int64{}
		var order []string
		for _, r := range g {
			k := fileKind(r.URL)
			if kinds[k] == 0 {
				order = append(order, k)
			}
			kinds[k]++
			size[k] += r.Encoded
		}
		var desc []string
		for _, k := range order {
			desc = append(desc, fmt.Sprintf("%d %s (%s)", kinds[k], k, kB(size[k])))
		}
		parts = append(parts, strings.Join(desc, " + "))
	}
	fc.rounds = strings.Join(parts, " | ")
	return fc, nil
}

// isPack tells the search index's packs, read by byte range.
func isPack(path string) bool {
	return strings.HasPrefix(path, searchDataPrefix) && strings.HasSuffix(path, ".bin")
}

// packRaw is the uncompressed size of what a response sent of a pack: the
// inflated shard or tail, or the document's JSON, in its range (a document's slot
// starts with the length of its data), or, when the request asked for no
// range, the whole file as it is (its parts are compressed).
func packRaw(dest string, s browser.Response) (int64, error) {
	f, err := os.Open(filepath.Join(dest, filepath.FromSlash(s.Path)))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return 0, err
	}
	var from, to int64
	if n, _ := fmt.Sscanf(s.Range, "bytes=%d-%d", &from, &to); n != 2 || from > to || to >= fi.Size() {
		return fi.Size(), nil
	}
	member := make([]byte, to+1-from)
	if _, err := f.ReadAt(member, from); err != nil {
		return 0, fmt.Errorf("%s, %s: %w", s.Path, s.Range, err)
	}
	if strings.HasSuffix(s.Path, "/docs.bin") && len(member) >= 2 {
		member = member[2:][:min(len(member)-2, int(member[0])<<8|int(member[1]))]
	}
	n, err := io.Copy(io.Discard, flate.NewReader(bytes.NewReader(member)))
	if err != nil {
		return 0, fmt.Errorf("%s, %s: not one compressed part of the pack: %w", s.Path, s.Range, err)
	}
	return n, nil
}

// fileKind names what a URL is for the round-trip summary: a kind of
// index file, or the file's extension.
func fileKind(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "?"
	}
	p := u.Path
	switch {
	case strings.HasPrefix(p, searchDataPrefix) && strings.Contains(p, "/manifest."):
		return "manifest"
	case strings.HasPrefix(p, searchDataPrefix) && strings.Contains(p, "/meta."):
		return "meta"
	case strings.HasPrefix(p, searchDataPrefix) && strings.HasSuffix(p, "/terms.bin"):
		return "shard"
	case strings.HasPrefix(p, searchDataPrefix) && strings.HasSuffix(p, "/docs.bin"):
		return "doc"
	case strings.HasSuffix(p, "/"):
		return "page"
	}
	if ext := filepath.Ext(p); ext != "" {
		return ext[1:]
	}
	return p
}

func kB(n int64) string { return fmt.Sprintf("%.1f kB", float64(n)/1000) }

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond)) }

// verdict compares a figure with its target.
func verdict(ok bool) string {
	if ok {
		return "ok"
	}
	return "OVER"
}

func printSearch(w io.Writer, articles, pages int, built result, idx []langIndex, c clientCost) error {
	fmt.Fprintf(w, "\n== search: %d articles, %d pages\n", articles, pages)
	fmt.Fprintf(w, "build (whole site, index included): %.2f s wall, %.2f s CPU, %.0f MB peak RSS\n",
		built.wall.Seconds(), built.cpu.Seconds(), float64(built.rssKiB)/1024)
	fmt.Fprintln(w, "  the site package times no step alone, so the index's share is not measured here;")
	fmt.Fprintln(w, "  go test -bench . ./generator/search times its Analyze and Write steps")

	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "\nindex on disk\tfiles\tbytes\tas sent\tshards\tlargest shard\tdocuments\tmanifest\tmanifest gz\tmeta gz\t")
	var total langIndex
	for _, l := range idx {
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%d\t%s\t%d\t%s\t%s\t%s\t\n", l.lang, l.files, kB(l.bytes), kB(l.sent),
			l.shards, kB(l.maxShard), l.docs, kB(l.manifest), kB(l.manifestGz), kB(l.metaGz))
		total.files += l.files
		total.bytes += l.bytes
		total.sent += l.sent
	}
	fmt.Fprintf(tw, "total\t%d\t%s\t%s\t\t\t\t\t\t\t\n", total.files, kB(total.bytes), kB(total.sent))
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, l := range idx {
		fmt.Fprintf(w, "manifest %s: %s (target ≤ %s) %s\n", l.lang, kB(l.manifest), kB(targetManifest), verdict(l.manifest <= targetManifest))
	}

	fmt.Fprintf(w, "\nclient, %s in Chromium, gzip server on 127.0.0.1, fresh profile, link of %v latency and %.1f Mbit/s\n",
		searchPage, linkLatency, linkDown*8/1e6)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "step\trequests\tuncompressed\ttransferred (browser)\tserved (text gzipped)\tround trips\ttarget\t\t")
	row := func(name string, f fetchCost, target string, over ...string) {
		v := ""
		if target != "" {
			v = verdict(len(over) == 0)
		}
		if len(over) > 0 {
			v += ": " + strings.Join(over, ", ")
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%d\t%s\t%s\t\n", name, f.requests, kB(f.raw), kB(f.encoded), kB(f.served), f.roundTrips, target, v)
	}
	var firstOver, secondOver []string
	if c.firstData > targetFirstBytes {
		firstOver = append(firstOver, "bytes")
	}
	if c.first.roundTrips > targetFirstTrips {
		firstOver = append(firstOver, "round trips")
	}
	if c.second.served > targetLaterBytes {
		secondOver = append(secondOver, "bytes")
	}
	row("search page (HTML, CSS, JS)", c.page, "")
	row(fmt.Sprintf("first query %q, script and search data", firstQuery), c.first,
		fmt.Sprintf("data ≤ %s uncompressed in ≤ %d round trips", kB(targetFirstBytes), targetFirstTrips), firstOver...)
	row(fmt.Sprintf("second query %q", secondQuery), c.second, "≤ "+kB(targetLaterBytes)+" as served", secondOver...)
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "first query's search data, uncompressed: %s (of which the manifest, in the page, %s)\n", kB(c.firstData), kB(c.manifest))
	fmt.Fprintf(w, "round trips, transferred: page: %s\n  first query: %s\n  second query: %s\n", c.page.rounds, c.first.rounds, c.second.rounds)
	fmt.Fprintf(w, "first query answered: %s\n", c.firstStatus)
	fmt.Fprintf(w, "on that link: first visit to results shown %s (page and first query), second query %s (from typing)\n",
		ms(c.firstTime), ms(c.secondTime))
	fmt.Fprintf(w, "warm query %q, median of %d: status %s, results shown %s (target < %s) %s\n",
		warmQuery, len(c.warmStatus), ms(median(c.warmStatus)), ms(median(c.warmResults)), ms(targetWarm),
		verdict(median(c.warmStatus) < targetWarm))
	fmt.Fprintf(w, "  all runs: status %v, results %v\n", roundAll(c.warmStatus), roundAll(c.warmResults))
	fmt.Fprintf(w, "link to a search, files cached, loopback, median of %d: navigation to results shown %s (target ≤ %s) %s\n  all runs: %v\n",
		len(c.navigate), ms(median(c.navigate)), ms(targetNavigate), verdict(median(c.navigate) <= targetNavigate), roundAll(c.navigate))
	sent := map[string]int{}
	for _, r := range c.navigateSent {
		sent[fileKind(r.Path)]++
	}
	fmt.Fprintf(w, "  asked of the server meanwhile (the rest came from the browser's cache): %v\n", sent)
	return nil
}

func roundAll(ds []time.Duration) []time.Duration {
	out := slices.Clone(ds)
	for i := range out {
		out[i] = out[i].Round(100 * time.Microsecond)
	}
	return out
}
