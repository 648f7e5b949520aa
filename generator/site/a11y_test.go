package site

import (
	"strings"
	"testing"

	"sxsh/generator/browser"
)

// axeRun runs axe-core, already loaded in the page, with the WCAG 2 level
// A and AA rules, and returns each violation as one line per element.
const axeRun = `axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa']}, resultTypes: ['violations']})
  .then(function (r) {
    return r.violations.map(function (v) {
      return v.id + ' (' + v.impact + '): ' + v.help + '\n' + v.nodes.map(function (n) {
        return '    ' + n.target.join(' ') + ': ' + (n.failureSummary || '').replace(/\s+/g, ' ');
      }).join('\n');
    });
  })`

// axeViolations loads axe-core into the page the tab shows and returns
// what it finds wrong.
func axeViolations(t *testing.T, tab *browser.Tab) []string {
	t.Helper()
	src := read(t, "testdata/axe-core", "axe.min.js")
	must(t, tab.Eval(src+"\n;true", nil))
	var out []string
	must(t, tab.Eval(axeRun, &out))
	return out
}

// TestBrowserAccessibility runs axe-core on the pages Decree 42/2022/NĐ-CP
// asks for (the documents, a document, the organisation page), on the home
// pages and on an article, in both languages, and fails on any violation
// of WCAG 2 level A or AA. The pages are checked as served, with their
// scripts run: the documents' filter form is checked as readers with
// script see it, and once more after a filter is chosen.
func TestBrowserAccessibility(t *testing.T) {
	t.Parallel() // one shared browser, a context per tab
	s := serve(t, exampleSite(t))
	pages := []string{
		"/", "/en/",
		"/tin-tuc/ket-qua-sxsh-2016-2020/", "/en/news/cleaner-production-results-2016-2020/",
		"/van-ban/", "/en/documents/",
		"/van-ban/qd-1419-qd-ttg-2009/", "/en/documents/decree-42-2022/",
		"/co-cau-to-chuc/", "/en/organisation/",
		"/van-ban/?type=quyet-dinh&year=2020",
		"/hoi-dap-gop-y/", "/en/feedback/", // without an endpoint: the e-mail address
	}
	// One tab goes from page to page, as a reader does: the browser
	// compiles axe-core once, not once a page.
	tab := s.b.Tab(t)
	for _, page := range pages {
		t.Run(page, func(t *testing.T) {
			seen := len(tab.Problems())
			must(t, tab.Navigate(s.srv.URL+page))
			if v := axeViolations(t, tab); len(v) > 0 {
				t.Errorf("%s: %d WCAG 2 A/AA violations:\n%s", page, len(v), strings.Join(v, "\n"))
			}
			if p := tab.Problems()[seen:]; len(p) > 0 {
				t.Errorf("the page reported problems:\n%s", strings.Join(p, "\n"))
			}
		})
	}
}

// TestBrowserAccessibilityFeedbackForm runs axe-core on the questions and
// feedback form of a site with a counter endpoint: the form, the form
// showing an error that the service sent the reader back with, and the
// thank-you page.
func TestBrowserAccessibilityFeedbackForm(t *testing.T) {
	t.Parallel() // one shared browser, a context per tab
	s := serve(t, mustBuild(t, txtar(strings.Replace(siteTOML, "paginate = 2\n", "paginate = 2\n[counter]\nendpoint = \"/api/\"\n", 1)+"-- content/gioi-thieu.vi.md --\n+++\ntitle = \"Giới thiệu\"\n+++\nTrung tâm Khuyến công.\n"), nil))
	tab := s.b.Tab(t) // one for all the pages, as above
	for _, page := range []string{"/hoi-dap-gop-y/", "/hoi-dap-gop-y/?loi=thieu-noi-dung#loi-thieu-noi-dung", "/hoi-dap-gop-y/da-gui/", "/en/feedback/", "/en/feedback/sent/"} {
		t.Run(page, func(t *testing.T) {
			must(t, tab.Navigate(s.srv.URL+page))
			var form bool
			must(t, tab.Eval(`!!document.querySelector('form[method=post]') || !!document.querySelector('main h1')`, &form))
			if !form {
				t.Fatalf("%s: neither a form nor a heading", page)
			}
			if v := axeViolations(t, tab); len(v) > 0 {
				t.Errorf("%s: %d WCAG 2 A/AA violations:\n%s", page, len(v), strings.Join(v, "\n"))
			}
		})
	}
}

// TestBrowserAccessibilityCheckFinds: the check above finds what it is
// for. A site whose template leaves a picture without text, a form field
// without a label and grey text too light to read must give those three
// violations, or an empty result above would prove nothing.
func TestBrowserAccessibilityCheckFinds(t *testing.T) {
	t.Parallel() // one shared browser, a context per tab
	src := txtar(siteTOML + `
-- layouts/single.html --
{{ define "main" }}<h1>{{ .Page.Title }}</h1>
<img src="/images/x.png">
<input type="text" name="q">
<p class="light">Chữ quá nhạt</p>{{ end }}
-- static/images/x.png --
x
-- content/trang.vi.md --
+++
title = "Trang thử"
+++
`)
	dest := mustBuild(t, src, nil)
	s := serve(t, dest)
	tab := s.b.Tab(t)
	must(t, tab.Navigate(s.srv.URL+"/trang/"))
	// The light text gets its colour from a style element added here:
	// the site's own stylesheet has no such colour.
	must(t, tab.Eval(`(function () { var st = document.createElement('style'); st.textContent = '.light { color: #ccc; background: #fff; }'; document.head.appendChild(st); return true; })()`, nil))
	got := strings.Join(axeViolations(t, tab), "\n")
	for _, id := range []string{"image-alt", "label", "color-contrast"} {
		if !strings.Contains(got, id+" (") {
			t.Errorf("axe did not report %s; it reported:\n%s", id, got)
		}
	}
}
