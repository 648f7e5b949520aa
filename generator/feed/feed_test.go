package feed

import (
	"bytes"
	"encoding/xml"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

var ict = time.FixedZone("ICT", 7*60*60)

// rssDoc is what a reader sees in a written feed.
type rssDoc struct {
	XMLName xml.Name `xml:"rss"`
	Version string   `xml:"version,attr"`
	Channel struct {
		// Self comes before Link: encoding/xml gives an element to the first
		// field that matches, and Link, having no namespace, matches both.
		Self struct {
			Href string `xml:"href,attr"`
			Rel  string `xml:"rel,attr"`
			Type string `xml:"type,attr"`
		} `xml:"http://www.w3.org/2005/Atom link"`
		Title         string    `xml:"title"`
		Link          string    `xml:"link"`
		Description   string    `xml:"description"`
		Language      string    `xml:"language"`
		Generator     string    `xml:"generator"`
		LastBuildDate *string   `xml:"lastBuildDate"`
		Items         []itemDoc `xml:"item"`
	} `xml:"channel"`
}

type itemDoc struct {
	Title       string   `xml:"title"`
	Link        string   `xml:"link"`
	Description string   `xml:"description"`
	Categories  []string `xml:"category"`
	GUID        struct {
		Value       string  `xml:",chardata"`
		IsPermaLink *string `xml:"isPermaLink,attr"`
	} `xml:"guid"`
	PubDate *string `xml:"pubDate"`
}

func write(t testing.TB, c *Channel) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := Write(&b, c); err != nil {
		t.Fatalf("Write: %v", err)
	}
	return b.Bytes()
}

func parse(t testing.TB, out []byte) rssDoc {
	t.Helper()
	var doc rssDoc
	if err := xml.Unmarshal(out, &doc); err != nil {
		t.Fatalf("output is not well-formed XML: %v\n%s", err, out)
	}
	return doc
}

func sample() *Channel {
	return &Channel{
		Title:       "Sản xuất sạch hơn & Tiết kiệm năng lượng",
		Link:        "https://sxsh.dongnai.gov.vn/",
		Description: "Tin tức <mới nhất> của chương trình",
		Language:    "vi",
		SelfURL:     "https://sxsh.dongnai.gov.vn/index.xml?lang=vi&v=2",
		Generator:   "sxsh",
		Items: []Item{
			{
				Title:       "Hội thảo \"SXSH\" tại KCN Biên Hòa 2",
				Link:        "https://sxsh.dongnai.gov.vn/tin-tuc/hoi-thao/?a=1&b=2",
				Description: `<p>Doanh nghiệp <b>giảm 20%</b> điện năng &amp; nước.</p>`,
				Published:   time.Date(2026, 11, 28, 8, 30, 0, 0, ict),
				Categories:  []string{"Tin tức", "Năng lượng & môi trường"},
			},
			{
				Title:       "Bản tin số 3",
				Link:        "https://sxsh.dongnai.gov.vn/ban-tin/so-3/",
				GUID:        "sxsh-ban-tin-3",
				Description: "Phát hành 2.200 bản",
				Published:   time.Date(2026, 10, 1, 0, 0, 0, 0, ict),
			},
		},
	}
}

func TestGolden(t *testing.T) {
	tests := []struct {
		name string
		c    *Channel
	}{
		{"full", sample()},
		{"empty", &Channel{}},
		{"nodates", &Channel{
			Title: "News", Link: "https://example.gov.vn/en/", Language: "en",
			Items: []Item{{Title: "Undated", Link: "https://example.gov.vn/en/news/undated/"}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := write(t, tt.c)
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
	c := sample()
	doc := parse(t, write(t, c))
	ch := doc.Channel
	if doc.Version != "2.0" {
		t.Errorf("version = %q, want 2.0", doc.Version)
	}
	for _, f := range []struct{ name, got, want string }{
		{"title", ch.Title, c.Title},
		{"link", ch.Link, c.Link},
		{"description", ch.Description, c.Description},
		{"language", ch.Language, c.Language},
		{"generator", ch.Generator, c.Generator},
		{"atom:link href", ch.Self.Href, c.SelfURL},
		{"atom:link rel", ch.Self.Rel, "self"},
		{"atom:link type", ch.Self.Type, "application/rss+xml"},
	} {
		if f.got != f.want {
			t.Errorf("channel %s = %q, want %q", f.name, f.got, f.want)
		}
	}
	if len(ch.Items) != len(c.Items) {
		t.Fatalf("%d items, want %d", len(ch.Items), len(c.Items))
	}
	for i, got := range ch.Items {
		want := c.Items[i]
		if got.Title != want.Title || got.Link != want.Link || got.Description != want.Description {
			t.Errorf("item %d = %q %q %q, want %q %q %q", i,
				got.Title, got.Link, got.Description, want.Title, want.Link, want.Description)
		}
		if strings.Join(got.Categories, "|") != strings.Join(want.Categories, "|") {
			t.Errorf("item %d categories = %q, want %q", i, got.Categories, want.Categories)
		}
		if got.PubDate == nil {
			t.Fatalf("item %d has no pubDate", i)
		}
		pub, err := time.Parse(time.RFC1123Z, *got.PubDate)
		if err != nil || !pub.Equal(want.Published) {
			t.Errorf("item %d pubDate = %q (%v), want %v", i, *got.PubDate, err, want.Published)
		}
	}
}

func TestWrite(t *testing.T) {
	newest := time.Date(2026, 3, 2, 9, 0, 0, 0, ict)
	older := time.Date(2025, 1, 2, 9, 0, 0, 0, ict)
	tests := []struct {
		name  string
		c     *Channel
		check func(t *testing.T, doc rssDoc)
	}{
		{"empty channel", &Channel{}, func(t *testing.T, doc rssDoc) {
			if len(doc.Channel.Items) != 0 || doc.Channel.LastBuildDate != nil || doc.Channel.Self.Href != "" {
				t.Errorf("empty channel wrote items, lastBuildDate or self link: %+v", doc.Channel)
			}
		}},
		{"no dates", &Channel{Items: []Item{{Title: "a"}, {Title: "b"}}}, func(t *testing.T, doc rssDoc) {
			if doc.Channel.LastBuildDate != nil {
				t.Errorf("lastBuildDate = %q, want none", *doc.Channel.LastBuildDate)
			}
			for i, it := range doc.Channel.Items {
				if it.PubDate != nil {
					t.Errorf("item %d pubDate = %q, want none", i, *it.PubDate)
				}
			}
		}},
		{"lastBuildDate from newest item, not first", &Channel{Items: []Item{
			{Title: "pinned", Published: older}, {Title: "new", Published: newest}, {Title: "undated"},
		}}, func(t *testing.T, doc rssDoc) {
			wantDate(t, doc.Channel.LastBuildDate, newest)
		}},
		{"Updated wins over items", &Channel{Updated: older, Items: []Item{{Published: newest}}},
			func(t *testing.T, doc rssDoc) { wantDate(t, doc.Channel.LastBuildDate, older) }},
		{"guid defaults to link", &Channel{Items: []Item{{Link: "https://x.vn/a?b=1&c=2"}}},
			func(t *testing.T, doc rssDoc) {
				g := doc.Channel.Items[0].GUID
				if g.Value != "https://x.vn/a?b=1&c=2" || g.IsPermaLink != nil {
					t.Errorf("guid = %q isPermaLink %v, want the link as a permalink", g.Value, g.IsPermaLink)
				}
			}},
		{"guid other than link is not a permalink", &Channel{Items: []Item{{Link: "https://x.vn/a", GUID: "id-1"}}},
			func(t *testing.T, doc rssDoc) {
				g := doc.Channel.Items[0].GUID
				if g.Value != "id-1" || g.IsPermaLink == nil || *g.IsPermaLink != "false" {
					t.Errorf("guid = %q isPermaLink %v, want id-1 and false", g.Value, g.IsPermaLink)
				}
			}},
		{"forbidden characters dropped", &Channel{Title: "a\x00b\x1bc\ufffed\td\r\ne", Items: []Item{{Title: "\x01x\x7fy"}}},
			func(t *testing.T, doc rssDoc) {
				if doc.Channel.Title != "abcd\td\r\ne" {
					t.Errorf("title = %q, want %q", doc.Channel.Title, "abcd\td\r\ne")
				}
				if doc.Channel.Items[0].Title != "x\x7fy" {
					t.Errorf("item title = %q, want %q", doc.Channel.Items[0].Title, "x\x7fy")
				}
			}},
		{"invalid UTF-8 replaced", &Channel{Title: "Hòa\xff\xfe"}, func(t *testing.T, doc rssDoc) {
			if doc.Channel.Title != "Hòa\ufffd\ufffd" {
				t.Errorf("title = %q, want %q", doc.Channel.Title, "Hòa\ufffd\ufffd")
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.check(t, parse(t, write(t, tt.c)))
		})
	}
}

func wantDate(t *testing.T, got *string, want time.Time) {
	t.Helper()
	if got == nil {
		t.Fatalf("no lastBuildDate, want %v", want)
	}
	d, err := time.Parse(time.RFC1123Z, *got)
	if err != nil || !d.Equal(want) {
		t.Errorf("lastBuildDate = %q (%v), want %v", *got, err, want)
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteErrors(t *testing.T) {
	if err := Write(&bytes.Buffer{}, nil); err == nil {
		t.Error("Write(nil channel) = nil error")
	}
	if err := Write(failWriter{}, sample()); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("Write to failing writer = %v, want its error", err)
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
	f.Add("Sản xuất sạch hơn", "https://x.vn/?a=1&b=2", "<p>Tiết kiệm</p>", "Tin & bài", int64(1795000000))
	f.Add("]]>", "", "&amp;&#0;", "\x00\x1f", int64(0))
	f.Add("\xff\xfe", "\"'<>", "\r\n\t", "\ufffe", int64(-1))
	f.Fuzz(func(t *testing.T, title, link, desc, cat string, sec int64) {
		c := &Channel{
			Title: title, Link: link, Description: desc, Language: cat, SelfURL: link, Generator: title,
			Items: []Item{{Title: title, Link: link, GUID: cat, Description: desc, Categories: []string{cat}, Published: time.Unix(sec, 0)}},
		}
		doc := parse(t, write(t, c))
		if len(doc.Channel.Items) != 1 {
			t.Fatalf("%d items, want 1", len(doc.Channel.Items))
		}
		for _, f := range []struct{ name, got, want string }{
			{"title", doc.Channel.Title, title},
			{"link", doc.Channel.Link, link},
			{"self", doc.Channel.Self.Href, link},
			{"item description", doc.Channel.Items[0].Description, desc},
		} {
			if validXML(f.want) && f.got != f.want {
				t.Errorf("%s = %q, want %q", f.name, f.got, f.want)
			}
		}
	})
}
