package sitemap

import (
	"bytes"
	"encoding/xml"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

var ict = time.FixedZone("ICT", 7*60*60)

// urlsetDoc is what a crawler sees in a written sitemap; the namespaces in
// the tags check that the output declares them.
type urlsetDoc struct {
	XMLName xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []struct {
		Loc     string  `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 loc"`
		Lastmod *string `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 lastmod"`
		Links   []struct {
			Rel      string `xml:"rel,attr"`
			Hreflang string `xml:"hreflang,attr"`
			Href     string `xml:"href,attr"`
		} `xml:"http://www.w3.org/1999/xhtml link"`
	} `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 url"`
}

func write(t testing.TB, urls []URL) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := Write(&b, urls); err != nil {
		t.Fatalf("Write: %v", err)
	}
	return b.Bytes()
}

func parse(t testing.TB, out []byte) urlsetDoc {
	t.Helper()
	var doc urlsetDoc
	if err := xml.Unmarshal(out, &doc); err != nil {
		t.Fatalf("output is not well-formed XML: %v\n%s", err, out)
	}
	return doc
}

// sample is a translated page pair, a page with no translation and an
// address with a query string.
func sample() []URL {
	vi := "https://sxsh.dongnai.gov.vn/tin-tuc/hội-thảo/"
	en := "https://sxsh.dongnai.gov.vn/en/news/workshop/"
	alts := []Alternate{{"vi", vi}, {"en", en}, {"x-default", vi}}
	return []URL{
		{Loc: vi, Lastmod: time.Date(2026, 11, 28, 23, 30, 0, 0, ict), Alternates: alts},
		{Loc: en, Lastmod: time.Date(2026, 11, 28, 23, 30, 0, 0, ict), Alternates: alts},
		{Loc: "https://sxsh.dongnai.gov.vn/ban-tin/"},
		{Loc: "https://sxsh.dongnai.gov.vn/tim-kiem/?q=s%E1%BA%A1ch&page=2", Lastmod: time.Date(2025, 1, 2, 0, 0, 0, 0, time.UTC)},
	}
}

func TestGolden(t *testing.T) {
	tests := []struct {
		name string
		urls []URL
	}{
		{"basic", sample()},
		{"empty", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := write(t, tt.urls)
			parse(t, got)
			path := filepath.Join("testdata", tt.name+".xml")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("output differs from %s:\ngot:\n%s\nwant:\n%s", path, got, want)
			}
		})
	}
}

func TestRoundTrip(t *testing.T) {
	urls := sample()
	doc := parse(t, write(t, urls))
	if len(doc.URLs) != len(urls) {
		t.Fatalf("%d urls, want %d", len(doc.URLs), len(urls))
	}
	for i, got := range doc.URLs {
		want := urls[i]
		if got.Loc != want.Loc {
			t.Errorf("url %d loc = %q, want %q", i, got.Loc, want.Loc)
		}
		switch {
		case want.Lastmod.IsZero() && got.Lastmod != nil:
			t.Errorf("url %d lastmod = %q, want none", i, *got.Lastmod)
		case !want.Lastmod.IsZero() && (got.Lastmod == nil || *got.Lastmod != want.Lastmod.Format("2006-01-02")):
			t.Errorf("url %d lastmod = %v, want %s", i, got.Lastmod, want.Lastmod.Format("2006-01-02"))
		}
		if len(got.Links) != len(want.Alternates) {
			t.Fatalf("url %d has %d alternates, want %d", i, len(got.Links), len(want.Alternates))
		}
		for j, l := range got.Links {
			a := want.Alternates[j]
			if l.Rel != "alternate" || l.Hreflang != a.Lang || l.Href != a.Href {
				t.Errorf("url %d link %d = %+v, want alternate %q %q", i, j, l, a.Lang, a.Href)
			}
		}
	}
}

func TestWrite(t *testing.T) {
	tests := []struct {
		name  string
		urls  []URL
		check func(t *testing.T, doc urlsetDoc)
	}{
		{"no urls", nil, func(t *testing.T, doc urlsetDoc) {
			if len(doc.URLs) != 0 {
				t.Errorf("%d urls, want 0", len(doc.URLs))
			}
		}},
		{"zero lastmod omitted", []URL{{Loc: "https://x.vn/"}}, func(t *testing.T, doc urlsetDoc) {
			if doc.URLs[0].Lastmod != nil {
				t.Errorf("lastmod = %q, want none", *doc.URLs[0].Lastmod)
			}
		}},
		{"lastmod is the date in its own zone", []URL{{Loc: "https://x.vn/", Lastmod: time.Date(2026, 1, 1, 6, 0, 0, 0, ict)}},
			func(t *testing.T, doc urlsetDoc) {
				if got := doc.URLs[0].Lastmod; got == nil || *got != "2026-01-01" {
					t.Errorf("lastmod = %v, want 2026-01-01", got)
				}
			}},
		{"forbidden characters dropped", []URL{{Loc: "https://x.vn/\x00a\x0b", Alternates: []Alternate{{"v\x1fi", "https://x.vn/?a=1&b=\"2\"\n"}}}},
			func(t *testing.T, doc urlsetDoc) {
				u := doc.URLs[0]
				if u.Loc != "https://x.vn/a" || u.Links[0].Hreflang != "vi" || u.Links[0].Href != "https://x.vn/?a=1&b=\"2\"\n" {
					t.Errorf("got loc %q link %+v", u.Loc, u.Links[0])
				}
			}},
		{"exactly MaxURLs", make([]URL, MaxURLs), func(t *testing.T, doc urlsetDoc) {
			if len(doc.URLs) != MaxURLs {
				t.Errorf("%d urls, want %d", len(doc.URLs), MaxURLs)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.check(t, parse(t, write(t, tt.urls)))
		})
	}
}

func TestWriteErrors(t *testing.T) {
	tests := []struct {
		name string
		urls []URL
		want string
	}{
		{"too many urls", make([]URL, MaxURLs+1), fmt.Sprint(MaxURLs)},
		{"too many bytes", []URL{{Loc: strings.Repeat("a", MaxBytes)}}, fmt.Sprint(MaxBytes)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if testing.Short() && len(tt.urls) == 1 {
				t.Skip("builds a 50 MB file")
			}
			var b bytes.Buffer
			err := Write(&b, tt.urls)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Write = %v, want an error naming %s", err, tt.want)
			}
			if b.Len() != 0 {
				t.Errorf("wrote %d bytes before failing", b.Len())
			}
		})
	}
	t.Run("writer error", func(t *testing.T) {
		if err := Write(failWriter{}, sample()); err == nil || !strings.Contains(err.Error(), "disk full") {
			t.Errorf("Write to failing writer = %v, want its error", err)
		}
	})
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestRobots(t *testing.T) {
	tests := []struct {
		name, url, sitemap string
	}{
		{"absolute url", "https://sxsh.dongnai.gov.vn/sitemap.xml", "https://sxsh.dongnai.gov.vn/sitemap.xml"},
		{"surrounding space trimmed", "  https://x.vn/sitemap.xml\n", "https://x.vn/sitemap.xml"},
		{"no line injection", "https://x.vn/sitemap.xml\r\nDisallow: /", "https://x.vn/sitemap.xmlDisallow: /"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Robots(tt.url)
			lines := strings.Split(strings.TrimRight(got, "\n"), "\n")
			if len(lines) < 2 || lines[0] != "User-agent: *" || lines[1] != "Allow: /" {
				t.Fatalf("Robots(%q) = %q, want a group allowing all agents", tt.url, got)
			}
			var sitemaps []string
			for _, l := range lines[2:] {
				if strings.HasPrefix(l, "Disallow") {
					t.Errorf("Robots(%q) disallows: %q", tt.url, got)
				}
				if s, ok := strings.CutPrefix(l, "Sitemap: "); ok {
					sitemaps = append(sitemaps, s)
				}
			}
			switch {
			case tt.sitemap == "" && len(sitemaps) != 0:
				t.Errorf("Robots(%q) sitemaps = %q, want none", tt.url, sitemaps)
			case tt.sitemap != "" && (len(sitemaps) != 1 || sitemaps[0] != tt.sitemap):
				t.Errorf("Robots(%q) sitemaps = %q, want [%q]", tt.url, sitemaps, tt.sitemap)
			}
		})
	}
}

// validXML reports whether s can appear in XML 1.0 as it is.
func validXML(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r >= 0xD800 && r < 0xE000 || r == 0xFFFE || r == 0xFFFF {
			return false
		}
	}
	return true
}

func FuzzWrite(f *testing.F) {
	f.Add("https://x.vn/tin-tuc/hội-thảo/?a=1&b=2", "vi", "https://x.vn/en/", int64(1795000000))
	f.Add("\x00]]>", "x-default", "\"'<>&", int64(0))
	f.Add("\xff\xfe\r\n", "\ufffe", "\t", int64(-62135596800))
	f.Fuzz(func(t *testing.T, loc, lang, href string, sec int64) {
		urls := []URL{{Loc: loc, Lastmod: time.Unix(sec, 0).UTC(), Alternates: []Alternate{{lang, href}, {"x-default", loc}}}}
		doc := parse(t, write(t, urls))
		if len(doc.URLs) != 1 || len(doc.URLs[0].Links) != 2 {
			t.Fatalf("parsed %+v, want one url with two links", doc)
		}
		u := doc.URLs[0]
		for _, f := range []struct{ name, got, want string }{
			{"loc", u.Loc, loc},
			{"hreflang", u.Links[0].Hreflang, lang},
			{"href", u.Links[0].Href, href},
		} {
			if validXML(f.want) && f.got != f.want {
				t.Errorf("%s = %q, want %q", f.name, f.got, f.want)
			}
		}
	})
}
