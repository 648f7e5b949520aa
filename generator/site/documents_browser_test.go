package site

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"sxsh/generator/browser"
)

// listState is what the documents' list page shows a reader: the numbers
// in the visible rows, whether the filter form and the list by type show,
// and the filter's status line.
type listState struct {
	Rows   []string
	Form   bool
	ByType bool
	Status string
}

const readList = `(function () {
  var shown = function (e) { return !!e && e.offsetParent !== null; };
  return {
    Rows: Array.from(document.querySelectorAll('section.doc-year tbody tr')).filter(shown).map(function (tr) { return tr.querySelector('th').textContent; }),
    Form: shown(document.querySelector('form.doc-filter')),
    ByType: shown(document.querySelector('section.doc-types')),
    Status: document.querySelector('.doc-filter-status').textContent
  };
})()`

// TestBrowserDocumentsFilter: without script the documents' list shows
// every document, by year and by type, with no form that would do
// nothing; with script the form keeps the rows of the year and type
// chosen, says how many, and puts the choice in the address, which a
// reader opening it gets back.
func TestBrowserDocumentsFilter(t *testing.T) {
	t.Parallel() // one shared browser, a context per tab
	s := serve(t, exampleSite(t))
	all := []string{"42/2022/NĐ-CP", "889/QĐ-TTg", "280/QĐ-TTg", "50/2010/QH12", "1419/QĐ-TTg"}

	off := s.b.Tab(t)
	must(t, off.Run(chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return err
	})))
	must(t, off.Navigate(s.srv.URL+"/van-ban/?type=luat"))
	var st listState
	must(t, off.Eval(readList, &st))
	if !slices.Equal(st.Rows, all) || st.Form || !st.ByType {
		t.Errorf("without script: %+v; want every document newest first, the list by type and no form", st)
	}

	on := s.b.Tab(t)
	must(t, on.Navigate(s.srv.URL+"/van-ban/"))
	must(t, on.Eval(readList, &st))
	if !slices.Equal(st.Rows, all) || !st.Form || st.Status != "" {
		t.Errorf("with script, unfiltered: %+v", st)
	}
	choose := func(name, value string) {
		t.Helper()
		must(t, on.Eval(`(function () { var s = document.querySelector('form.doc-filter select[name=`+name+`]');
  s.value = `+browser.JSString(value)+`; s.dispatchEvent(new Event('change', {bubbles: true})); return true; })()`, nil))
	}
	choose("type", "quyet-dinh")
	must(t, on.Eval(readList, &st))
	if want := []string{"889/QĐ-TTg", "280/QĐ-TTg", "1419/QĐ-TTg"}; !slices.Equal(st.Rows, want) || st.ByType || st.Status != "Đang hiện 3 trong 5 văn bản." {
		t.Errorf("decisions: %+v, want %v and the count", st, want)
	}
	choose("year", "2019")
	must(t, on.Eval(readList, &st))
	if !slices.Equal(st.Rows, []string{"280/QĐ-TTg"}) {
		t.Errorf("decisions of 2019: %v", st.Rows)
	}
	var addr string
	must(t, on.Eval(`location.search`, &addr))
	q, _ := url.ParseQuery(strings.TrimPrefix(addr, "?"))
	if q.Get("year") != "2019" || q.Get("type") != "quyet-dinh" {
		t.Errorf("the address says %q", addr)
	}
	choose("type", "luat")
	must(t, on.Eval(readList, &st))
	if len(st.Rows) != 0 || !strings.Contains(st.Status, "Không có văn bản nào") {
		t.Errorf("laws of 2019: %+v, want none and a note saying so", st)
	}
	// The address brings the choice back; an English page speaks English.
	must(t, on.Navigate(s.srv.URL+"/en/documents/?year=2010&type=law"))
	must(t, on.Eval(readList, &st))
	if !slices.Equal(st.Rows, []string{"50/2010/QH12"}) || st.Status != "Showing 1 of 5 documents." {
		t.Errorf("English, from the address: %+v", st)
	}
	for name, tab := range map[string]*browser.Tab{"on": on, "off": off} {
		if p := tab.Problems(); len(p) > 0 {
			t.Errorf("scripts %s: problems:\n%s", name, strings.Join(p, "\n"))
		}
	}
}

// TestBrowserSearchFindsDocuments: a document is found by its number, its
// issuer, its type and its field, even where its title and text do not say
// them, and the kind filter "document" keeps documents only.
func TestBrowserSearchFindsDocuments(t *testing.T) {
	t.Parallel() // one shared browser, a context per tab
	s := serve(t, exampleSite(t))
	tab := s.b.Tab(t)
	if r := s.search(t, tab, "/tim-kiem/", "1419"); !slices.Contains(r.URLs, "/van-ban/qd-1419-qd-ttg-2009/") {
		t.Errorf("1419 finds %v, not the decision", r.URLs)
	}
	must(t, tab.Navigate(s.srv.URL+"/tim-kiem/?q=san+xuat&kind=document"))
	r := answer(t, tab)
	if len(r.URLs) == 0 {
		t.Fatal("no document found for «san xuat»")
	}
	for _, u := range r.URLs {
		if !strings.HasPrefix(u, "/van-ban/") {
			t.Errorf("the document filter gives %s", u)
		}
	}
	var label string
	must(t, tab.Eval(`document.querySelector('.search-kind').textContent`, &label))
	if label != "Văn bản" {
		t.Errorf("a document's result is labelled %q", label)
	}
	if r := s.search(t, tab, "/en/search/", "decree 42"); !slices.Contains(r.URLs, "/en/documents/decree-42-2022/") {
		t.Errorf("«decree 42» finds %v", r.URLs)
	}

	// Fields alone: a title and summary that say none of them, no text.
	mini := serve(t, mustBuild(t, txtar(documentsTOML+"-- content/documents/kh.vi.md --\n"+
		document("Trang thử", "77/KH-UBND", "Kế hoạch", "2021-03-01", "field = \"Khuyến công\"\n")), nil))
	mtab := mini.b.Tab(t)
	for _, q := range []string{"77/KH-UBND", "thu tuong", "ke hoach", "khuyen cong"} {
		if r := mini.search(t, mtab, "/tim-kiem/", q); !slices.Equal(r.URLs, []string{"/van-ban/kh/"}) {
			t.Errorf("%q finds %v, want the plan by its fields", q, r.URLs)
		}
	}
}
