package site

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"net/url"
	"path"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// The example site in the repository root is built once and shared by the
// tests below, which read it as a visitor's browser and a crawler would.
var example struct {
	once sync.Once
	b    *builder // the build's, for what it knows of the pages
	err  error
}

func exampleSite(t *testing.T) string {
	t.Helper()
	return exampleBuild(t).opts.Destination
}

// exampleBuild is the builder that built the example site, for tests that
// ask it about the site's pages; they must not change it.
func exampleBuild(t *testing.T) *builder {
	t.Helper()
	example.once.Do(func() {
		dest, err := exampleBuildDir()
		if err != nil {
			example.err = err
			return
		}
		example.b, _, example.err = run(context.Background(), Options{Source: repoRoot(), Defaults: defaults(), Destination: dest, Now: testNow}, false, nil)
	})
	if example.err != nil {
		t.Fatalf("building the example site: %v", example.err)
	}
	return example.b
}

func TestExampleBothLanguages(t *testing.T) {
	dest := exampleSite(t)
	for rel, lang := range map[string]string{"index.html": "vi", "en/index.html": "en", "tin-tuc/index.html": "vi", "en/news/index.html": "en"} {
		html := tags(read(t, dest, rel))
		if got := find(html, "html"); len(got) != 1 || got[0].attrs["lang"] != lang {
			t.Errorf("%s: <html lang> = %v, want %q", rel, got, lang)
		}
	}
	// Every page of the site says its language, and English pages are all
	// under /en/.
	for _, f := range files(t, dest, ".html") {
		if f == "404.html" || isAlias(read(t, dest, f)) {
			continue
		}
		h := find(tags(read(t, dest, f)), "html")
		want := "vi"
		if strings.HasPrefix(f, "en/") {
			want = "en"
		}
		if len(h) != 1 || h[0].attrs["lang"] != want {
			t.Errorf("%s: lang %v, want %s", f, h, want)
		}
	}
}

func isAlias(doc string) bool { return strings.Contains(doc, `http-equiv="refresh"`) }

// pagePath maps an absolute URL of the example site to its output file.
func pagePath(t *testing.T, abs string) string {
	t.Helper()
	u, err := url.Parse(abs)
	if err != nil || u.Host != "sxsh.dongnai.gov.vn" {
		t.Fatalf("%q is not an absolute URL of the site", abs)
	}
	return outFile(u.Path)
}

func TestExampleHreflang(t *testing.T) {
	dest := exampleSite(t)
	translated := 0
	for _, f := range files(t, dest, ".html") {
		doc := read(t, dest, f)
		if isAlias(doc) {
			continue
		}
		alts := find(tags(doc), "link", "rel", "alternate")
		langs := map[string]string{}
		for _, a := range alts {
			if a.attrs["hreflang"] != "" {
				langs[a.attrs["hreflang"]] = a.attrs["href"]
			}
		}
		if len(langs) == 0 {
			continue
		}
		translated++
		for _, want := range []string{"vi", "en", "x-default"} {
			if langs[want] == "" {
				t.Errorf("%s: no hreflang=%q alternate (has %v)", f, want, langs)
			}
		}
		if langs["x-default"] != langs["vi"] {
			t.Errorf("%s: x-default %s is not the Vietnamese page %s", f, langs["x-default"], langs["vi"])
		}
		// Alternates are reciprocal: each one lists this page back.
		self := ""
		for _, c := range find(tags(doc), "link", "rel", "canonical") {
			self = c.attrs["href"]
		}
		for lang, href := range langs {
			if lang == "x-default" {
				continue
			}
			other := read(t, dest, pagePath(t, href))
			if !strings.Contains(other, `hreflang="`+find(tags(doc), "html")[0].attrs["lang"]+`" href="`+self+`"`) {
				t.Errorf("%s: its %s alternate %s does not link back to %s", f, lang, href, self)
			}
		}
		// The switcher leads to the translation, not to the other home.
		for _, a := range find(tags(doc), "a", "rel", "alternate") {
			if want := langs[a.attrs["hreflang"]]; want != "" && !strings.HasSuffix(want, a.attrs["href"]) {
				t.Errorf("%s: language switch to %s goes to %s, want %s", f, a.attrs["hreflang"], a.attrs["href"], want)
			}
		}
	}
	// 7 articles, the about page, the news section and the home, each in
	// two languages, at the least.
	if translated < 20 {
		t.Errorf("only %d pages have hreflang alternates", translated)
	}
}

func TestExampleSwitcherWithoutTranslation(t *testing.T) {
	dest := exampleSite(t)
	// Term pages have no translation: the switch goes to the other home.
	doc := read(t, dest, "chuyen-muc/san-xuat-sach-hon/index.html")
	sw := find(tags(doc), "a", "hreflang", "en")
	if len(sw) != 1 || sw[0].attrs["href"] != "/en/" {
		t.Errorf("switch on an untranslated page = %v, want /en/", sw)
	}
}

type sitemapDoc struct {
	URLs []struct {
		Loc   string `xml:"loc"`
		Links []struct {
			Rel      string `xml:"rel,attr"`
			Hreflang string `xml:"hreflang,attr"`
			Href     string `xml:"href,attr"`
		} `xml:"http://www.w3.org/1999/xhtml link"`
	} `xml:"url"`
}

func TestExampleSitemap(t *testing.T) {
	dest := exampleSite(t)
	var sm sitemapDoc
	if err := xml.Unmarshal([]byte(read(t, dest, "sitemap.xml")), &sm); err != nil {
		t.Fatalf("sitemap.xml does not parse: %v", err)
	}
	withAlternates := 0
	seen := map[string]bool{}
	for _, u := range sm.URLs {
		if seen[u.Loc] {
			t.Errorf("%s listed twice", u.Loc)
		}
		seen[u.Loc] = true
		read(t, dest, pagePath(t, u.Loc)) // every URL is a page
		if len(u.Links) == 0 {
			continue
		}
		withAlternates++
		langs := map[string]bool{}
		self := false
		for _, l := range u.Links {
			langs[l.Hreflang] = true
			self = self || l.Href == u.Loc
		}
		if !langs["vi"] || !langs["en"] || !langs["x-default"] || !self {
			t.Errorf("%s: alternates %v lack vi, en, x-default or itself", u.Loc, u.Links)
		}
	}
	if withAlternates < 20 {
		t.Errorf("only %d sitemap URLs have alternates", withAlternates)
	}
	if robots := read(t, dest, "robots.txt"); !strings.Contains(robots, "Sitemap: https://sxsh.dongnai.gov.vn/sitemap.xml") {
		t.Errorf("robots.txt does not point to the sitemap:\n%s", robots)
	}
}

type rss struct {
	Version string `xml:"version,attr"`
	Channel struct {
		Title    string `xml:"title"`
		Link     string `xml:"link"`
		Language string `xml:"language"`
		Items    []struct {
			Title   string `xml:"title"`
			Link    string `xml:"link"`
			PubDate string `xml:"pubDate"`
		} `xml:"item"`
	} `xml:"channel"`
}

func TestExampleFeeds(t *testing.T) {
	dest := exampleSite(t)
	for _, f := range []string{"index.xml", "en/index.xml", "tin-tuc/index.xml", "en/news/index.xml"} {
		var r rss
		if err := xml.Unmarshal([]byte(read(t, dest, f)), &r); err != nil {
			t.Errorf("%s does not parse: %v", f, err)
			continue
		}
		lang := "vi"
		if strings.HasPrefix(f, "en/") {
			lang = "en"
		}
		if r.Version != "2.0" || r.Channel.Title == "" || r.Channel.Language != lang {
			t.Errorf("%s: version %q title %q language %q", f, r.Version, r.Channel.Title, r.Channel.Language)
		}
		if len(r.Channel.Items) < 7 {
			t.Errorf("%s: %d items, want the 7 articles", f, len(r.Channel.Items))
		}
		var prev time.Time
		for _, it := range r.Channel.Items {
			d, err := time.Parse(time.RFC1123Z, it.PubDate)
			if err != nil || it.Title == "" {
				t.Errorf("%s: item %q has pubDate %q: %v", f, it.Title, it.PubDate, err)
			}
			if !prev.IsZero() && d.After(prev) {
				t.Errorf("%s: items are not newest first", f)
			}
			prev = d
			read(t, dest, pagePath(t, it.Link))
		}
	}
}

var inlineHandler = regexp.MustCompile(`(?i)\son[a-z]+\s*=`)

func TestExampleNoInlineScriptAndMinified(t *testing.T) {
	dest := exampleSite(t)
	for _, f := range files(t, dest, ".html") {
		doc := read(t, dest, f)
		for _, s := range find(tags(doc), "script") {
			// JSON-LD is data that browsers never run: no script for the
			// CSP to block, as long as it parses as JSON.
			if s.attrs["type"] == "application/ld+json" && json.Valid([]byte(s.attrs["#text"])) {
				continue
			}
			if s.attrs["src"] == "" {
				t.Errorf("%s: inline <script>: %.80q", f, s.attrs["#text"])
			}
		}
		for _, tg := range tags(doc) {
			if _, ok := tg.attrs["style"]; ok {
				t.Errorf("%s: <%s style=...> would be blocked by the CSP", f, tg.name)
			}
			for k, v := range tg.attrs {
				if strings.HasPrefix(k, "on") || strings.HasPrefix(strings.ToLower(v), "javascript:") {
					t.Errorf("%s: <%s %s=%q> is script in markup", f, tg.name, k, v)
				}
			}
		}
		if inlineHandler.MatchString(strings.SplitN(doc, "<body", 2)[0]) {
			t.Errorf("%s: an inline event handler in the head", f)
		}
		if !strings.HasPrefix(doc, "<!doctype html>") || strings.Contains(doc, ">\n  <") || strings.Contains(doc, "\n\n") {
			t.Errorf("%s: not minified: %.120q", f, doc)
		}
	}
	for _, f := range files(t, dest, ".css") {
		if !regexp.MustCompile(`\.[0-9a-f]{8}\.css$`).MatchString(f) {
			t.Errorf("%s: CSS is not fingerprinted", f)
		}
		if strings.Contains(read(t, dest, f), "\n") {
			t.Errorf("%s: CSS is not minified", f)
		}
	}
}

func TestExampleSubpathBaseURL(t *testing.T) {
	dest := mustBuild(t, repoRoot(), func(o *Options) { o.BaseURL = "https://example.gov.vn/sxsh/" })
	checked := 0
	for _, f := range files(t, dest, ".html") {
		for _, tg := range tags(read(t, dest, f)) {
			for _, attr := range []string{"href", "src"} {
				v, ok := tg.attrs[attr]
				if !ok || v == "" || strings.HasPrefix(v, "#") || strings.HasPrefix(v, "mailto:") || strings.HasPrefix(v, "tel:") {
					continue
				}
				u, err := url.Parse(v)
				if err != nil {
					t.Errorf("%s: bad URL %q", f, v)
					continue
				}
				switch {
				case u.Host == "example.gov.vn" || (u.Host == "" && strings.HasPrefix(v, "/")):
					checked++
					if !strings.HasPrefix(u.Path, "/sxsh/") {
						t.Errorf("%s: <%s %s=%q> is outside /sxsh/", f, tg.name, attr, v)
						continue
					}
					// Every internal link leads to a file of the site.
					target := strings.TrimPrefix(u.Path, "/sxsh")
					if strings.HasSuffix(target, "/") {
						target += "index.html"
					}
					read(t, dest, path.Clean(target))
				case u.Host == "sxsh.dongnai.gov.vn":
					t.Errorf("%s: %q still points at site.toml's baseURL", f, v)
				}
			}
		}
	}
	if checked < 500 {
		t.Errorf("only %d internal links checked", checked)
	}
}

// TestExampleSearchPageCarriesManifest: each search page carries its
// index's manifest as written, beside its address, so that the search
// script has nothing to fetch before the shards.
func TestExampleSearchPageCarriesManifest(t *testing.T) {
	dest := exampleSite(t)
	for _, rel := range []string{"tim-kiem/index.html", "en/search/index.html"} {
		apps := find(tags(read(t, dest, rel)), "div", "class", "search-app")
		if len(apps) != 1 {
			t.Errorf("%s: %d search forms, want 1", rel, len(apps))
			continue
		}
		manifest := apps[0].attrs["data-search-manifest"]
		if !strings.HasPrefix(manifest, "/search/") {
			t.Errorf("%s: data-search-manifest %q, want the manifest's address", rel, manifest)
			continue
		}
		if got, want := apps[0].attrs["data-search-index"], read(t, dest, manifest); got != want {
			t.Errorf("%s: data-search-index is\n%.200s\nwant %s as written:\n%.200s", rel, got, manifest, want)
		}
	}
}
