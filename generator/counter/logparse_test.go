package counter

import (
	"bufio"
	"errors"
	"os"
	"strings"
	"testing"
	"time"
)

func TestParseLine(t *testing.T) {
	firefox := "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
	tests := []struct {
		name, format string
		lines        []string // the last is the one checked; those before set the parser up
		want         Entry
		bad          bool
	}{
		{name: "combined", format: "combined",
			lines: []string{`203.0.113.7 - - [14/Mar/2025:10:05:00 +0700] "GET /tin-tuc/h%E1%BB%99i-th%E1%BA%A3o/?utm_source=zalo HTTP/2.0" 200 9000 "https://sxsh.example/" "` + firefox + `"`},
			want: Entry{IP: "203.0.113.7", Time: time.Date(2025, 3, 14, 3, 5, 0, 0, time.UTC), Method: "GET",
				Path: "/tin-tuc/hội-thảo/", Status: 200, UserAgent: firefox, Referrer: "https://sxsh.example/", HasUserAgent: true}},
		{name: "combined with escaped quotes", format: "combined",
			lines: []string{`::1 - - [14/Mar/2025:10:05:00 +0000] "GET / HTTP/1.1" 200 - "-" "odd \"agent\" \\ here"`},
			want: Entry{IP: "::1", Time: time.Date(2025, 3, 14, 10, 5, 0, 0, time.UTC), Method: "GET",
				Path: "/", Status: 200, UserAgent: `odd "agent" \ here`, HasUserAgent: true}},
		{name: "nginx's \\xHH escapes of a Vietnamese path and a quote", format: "combined",
			lines: []string{`203.0.113.7 - - [14/Mar/2025:10:05:00 +0700] "GET /tin-t\xE1\xBB\xA9c/s\xE1\xBA\xA3n-xu\xE1\xBA\xA5t/ HTTP/1.1" 200 9 "-" "say \x22hi\x22 \x5C \xZZ"`},
			want: Entry{IP: "203.0.113.7", Time: time.Date(2025, 3, 14, 3, 5, 0, 0, time.UTC), Method: "GET",
				Path: "/tin-tức/sản-xuất/", Status: 200, UserAgent: `say "hi" \ xZZ`, HasUserAgent: true}},
		{name: "combined, unreadable request", format: "combined",
			lines: []string{`192.0.2.1 - - [14/Mar/2025:10:05:00 +0000] "\x16\x03\x01" 400 157 "-" "-"`},
			want:  Entry{IP: "192.0.2.1", Time: time.Date(2025, 3, 14, 10, 5, 0, 0, time.UTC), Status: 400, UserAgent: "-", HasUserAgent: true}},
		{name: "combined, absolute target", format: "combined",
			lines: []string{`192.0.2.1 - - [14/Mar/2025:10:05:00 +0000] "GET http://sxsh.example/en/?q=1 HTTP/1.1" 200 1 "-" "x"`},
			want: Entry{IP: "192.0.2.1", Time: time.Date(2025, 3, 14, 10, 5, 0, 0, time.UTC), Method: "GET", Path: "/en/",
				Status: 200, UserAgent: "x", HasUserAgent: true}},
		{name: "combined without user agent", format: "combined", bad: true,
			lines: []string{`127.0.0.1 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.0" 200 2326`}},
		{name: "combined, bad time", format: "combined", bad: true,
			lines: []string{`127.0.0.1 - - [10/Oct/2000 13:55:36] "GET / HTTP/1.0" 200 2326 "-" "x"`}},
		{name: "combined, bad status", format: "combined", bad: true,
			lines: []string{`127.0.0.1 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.0" OK 2326 "-" "x"`}},
		{name: "combined, unterminated quote", format: "combined", bad: true,
			lines: []string{`127.0.0.1 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.0" 200 2326 "-" "x`}},
		{name: "common", format: "common",
			lines: []string{`127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.html HTTP/1.0" 200 2326`},
			want: Entry{IP: "127.0.0.1", Time: time.Date(2000, 10, 10, 20, 55, 36, 0, time.UTC), Method: "GET",
				Path: "/apache_pb.html", Status: 200}},
		{name: "common, truncated", format: "common", bad: true,
			lines: []string{`127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700]`}},
		{name: "iis", format: "iis",
			lines: []string{"#Fields: date time c-ip cs-method cs-uri-stem cs-uri-query sc-status cs(User-Agent) cs(Referer)",
				"2025-03-14 03:00:00 203.0.113.7 GET /tin-tuc/ a=1 200 Mozilla/5.0+(X11;+Linux) https://sxsh.example/"},
			want: Entry{IP: "203.0.113.7", Time: time.Date(2025, 3, 14, 3, 0, 0, 0, time.UTC), Method: "GET",
				Path: "/tin-tuc/", Status: 200, UserAgent: "Mozilla/5.0 (X11; Linux)", Referrer: "https://sxsh.example/", HasUserAgent: true}},
		{name: "iis, columns reordered", format: "iis",
			lines: []string{"#Fields: sc-status cs-uri-stem time date", "304 /en/ 23:59:59 2025-12-31"},
			want:  Entry{Time: time.Date(2025, 12, 31, 23, 59, 59, 0, time.UTC), Path: "/en/", Status: 304}},
		{name: "iis, no #Fields", format: "iis", bad: true,
			lines: []string{"2025-03-14 03:00:00 203.0.113.7 GET /tin-tuc/ - 200"}},
		{name: "iis, #Fields without status", format: "iis", bad: true,
			lines: []string{"#Fields: date time cs-uri-stem", "2025-03-14 03:00:00 /"}},
		{name: "iis, wrong number of fields", format: "iis", bad: true,
			lines: []string{"#Fields: date time cs-uri-stem sc-status", "2025-03-14 03:00:00 / 200 extra"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := NewParser(tt.format)
			if err != nil {
				t.Fatal(err)
			}
			var e Entry
			for _, l := range tt.lines {
				e, err = p.ParseLine(l)
			}
			if tt.bad {
				if err == nil || errors.Is(err, ErrDirective) {
					t.Fatalf("read %+v, want an error", e)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !e.Time.Equal(tt.want.Time) {
				t.Errorf("time %v, want %v", e.Time, tt.want.Time)
			}
			e.Time, tt.want.Time = time.Time{}, time.Time{}
			if e != tt.want {
				t.Errorf("got  %+v\nwant %+v", e, tt.want)
			}
		})
	}
	if _, err := NewParser("apache"); err == nil {
		t.Error("an unknown format was accepted")
	}
}

func TestIsPageView(t *testing.T) {
	ok := Entry{Method: "GET", Path: "/tin-tuc/", Status: 200, UserAgent: browserUA, HasUserAgent: true}
	tests := []struct {
		name   string
		change func(*Entry)
		want   bool
	}{
		{"page", func(*Entry) {}, true},
		{"html file", func(e *Entry) { e.Path = "/old/page.html" }, true},
		{"common log, no user agent", func(e *Entry) { e.UserAgent, e.HasUserAgent = "", false }, true},
		{"HEAD", func(e *Entry) { e.Method = "HEAD" }, false},
		{"POST", func(e *Entry) { e.Method = "POST" }, false},
		{"304", func(e *Entry) { e.Status = 304 }, false},
		{"404", func(e *Entry) { e.Status = 404 }, false},
		{"bot", func(e *Entry) { e.UserAgent = "Googlebot/2.1" }, false},
		{"empty user agent", func(e *Entry) { e.UserAgent = "" }, false},
		{"stylesheet", func(e *Entry) { e.Path = "/css/main.3f2a.css" }, false},
		{"script", func(e *Entry) { e.Path = "/js/counter.js" }, false},
		{"image", func(e *Entry) { e.Path = "/images/Logo.PNG" }, false},
		{"font", func(e *Entry) { e.Path = "/fonts/a.woff2" }, false},
		{"feed", func(e *Entry) { e.Path = "/index.xml" }, false},
		{"favicon", func(e *Entry) { e.Path = "/favicon.ico" }, false},
		{"search index", func(e *Entry) { e.Path = "/search/vi/manifest.1a2b3c4d.json" }, false},
		{"search shard without extension", func(e *Entry) { e.Path = "/search/vi/t/ab" }, false},
		{"not a path", func(e *Entry) { e.Path = "" }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := ok
			tt.change(&e)
			if got := IsPageView(e); got != tt.want {
				t.Errorf("IsPageView(%+v) = %v", e, got)
			}
		})
	}
}

// fuzzParseLine checks that a format's parser never panics and that what
// it reads holds together.
func fuzzParseLine(f *testing.F, format, seedFile string) {
	data, err := os.ReadFile(seedFile)
	if err != nil {
		f.Fatal(err)
	}
	sc := bufio.NewScanner(strings.NewReader(string(data)))
	for sc.Scan() {
		f.Add(strings.TrimRight(sc.Text(), "\r"))
	}
	f.Fuzz(func(t *testing.T, line string) {
		p, _ := NewParser(format)
		if format == "iis" {
			p.ParseLine("#Fields: date time c-ip cs-method cs-uri-stem sc-status cs(User-Agent) cs(Referer)")
		}
		e, err := p.ParseLine(line)
		if err != nil {
			return
		}
		if e.Status < 100 || e.Status > 999 {
			t.Errorf("status %d read from %q", e.Status, line)
		}
		if e.Path != "" && IsPageView(e) && !strings.HasPrefix(e.Path, "/") {
			t.Errorf("page view of %q read from %q", e.Path, line)
		}
	})
}

func FuzzParseLineCombined(f *testing.F) { fuzzParseLine(f, "combined", "testdata/combined.log") }
func FuzzParseLineCommon(f *testing.F)   { fuzzParseLine(f, "common", "testdata/common.log") }
func FuzzParseLineIIS(f *testing.F)      { fuzzParseLine(f, "iis", "testdata/iis.log") }
