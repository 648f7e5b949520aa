package counter

import (
	"encoding/json"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const browserUA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"

// clock is a settable time for the counting rules.
type clock struct{ t time.Time }

func (c *clock) Now() time.Time { return c.t }

func newStore(t *testing.T) *BoltStore {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "counter.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

var hanoi = time.FixedZone("ICT", 7*3600)

func newTestServer(t *testing.T, o Options) (*Server, *BoltStore, *clock) {
	t.Helper()
	st := newStore(t)
	c := &clock{time.Date(2025, 3, 14, 10, 0, 0, 0, hanoi)}
	o.Now, o.Location = c.Now, hanoi
	if o.Rate == 0 {
		o.Rate, o.Burst = 1000, 1000
	}
	return NewServer(st, o), st, c
}

type req struct {
	method, target, body string
	header               map[string]string
	remote               string
}

func do(s *Server, r req) *httptest.ResponseRecorder {
	hr := httptest.NewRequest(r.method, r.target, strings.NewReader(r.body))
	hr.Header.Set("User-Agent", browserUA)
	hr.RemoteAddr = "203.0.113.7:5555"
	if r.remote != "" {
		hr.RemoteAddr = r.remote
	}
	for k, v := range r.header {
		hr.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	s.Handler().ServeHTTP(w, hr)
	return w
}

func hit(path string) req {
	return req{method: "POST", target: "/api/hit", body: `{"path":"` + path + `","lang":"vi","referrer":""}`,
		header: map[string]string{"Content-Type": "text/plain;charset=UTF-8"}}
}

func decode(t *testing.T, w *httptest.ResponseRecorder) Counts {
	t.Helper()
	var c Counts
	if err := json.Unmarshal(w.Body.Bytes(), &c); err != nil {
		t.Fatalf("answer %q: %v", w.Body, err)
	}
	return c
}

func viewsOf(t *testing.T, st Store, date string) int64 {
	t.Helper()
	d, err := st.Days(date, date)
	if err != nil {
		t.Fatal(err)
	}
	if len(d) == 0 {
		return 0
	}
	return d[0].Views
}

func TestHitInput(t *testing.T) {
	long := "/" + strings.Repeat("a", MaxPath)
	tests := []struct {
		name string
		r    req
		code int
		kept bool // a view was stored
	}{
		{"beacon body", hit("/tin-tuc/"), 200, true},
		{"json body", req{method: "POST", target: "/api/hit", body: `{"path":"/"}`,
			header: map[string]string{"Content-Type": "application/json"}}, 200, true},
		{"no content type", req{method: "POST", target: "/api/hit", body: `{"path":"/en/"}`}, 200, true},
		{"path of 512 bytes", hit(long[:MaxPath]), 200, true},
		{"malformed json", req{method: "POST", target: "/api/hit", body: `{"path":"/"`}, 400, false},
		{"not an object", req{method: "POST", target: "/api/hit", body: `["/"]`}, 400, false},
		{"two objects", req{method: "POST", target: "/api/hit", body: `{"path":"/"}{"path":"/"}`}, 400, false},
		{"unknown field", req{method: "POST", target: "/api/hit", body: `{"path":"/","ip":"1.2.3.4"}`}, 400, false},
		{"empty body", req{method: "POST", target: "/api/hit"}, 400, false},
		{"path without slash", hit("tin-tuc/"), 400, false},
		{"empty path", hit(""), 400, false},
		{"protocol-relative path", hit("//evil.example/"), 400, false},
		{"path over 512 bytes", hit(long), 400, false},
		{"path with query", hit("/a?b=c"), 400, false},
		{"path with control character", hit(`/a\u0000b`), 400, false},
		{"oversized body", req{method: "POST", target: "/api/hit",
			body: `{"path":"/","referrer":"` + strings.Repeat("x", MaxBody) + `"}`}, 413, false},
		{"form content type", req{method: "POST", target: "/api/hit", body: `{"path":"/"}`,
			header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}}, 415, false},
		{"GET on hit", req{method: "GET", target: "/api/hit"}, 405, false},
		{"PUT on hit", req{method: "PUT", target: "/api/hit", body: `{"path":"/"}`}, 405, false},
		{"POST on count", req{method: "POST", target: "/api/count", body: `{"path":"/"}`}, 405, false},
		{"bad count path", req{method: "GET", target: "/api/count?path=x"}, 400, false},
		{"unknown route", req{method: "GET", target: "/api/"}, 404, false},
		{"bot", func() req {
			r := hit("/")
			r.header["User-Agent"] = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
			return r
		}(), 200, false},
		{"no user agent", func() req { r := hit("/"); r.header["User-Agent"] = ""; return r }(), 200, false},
		{"curl", func() req { r := hit("/"); r.header["User-Agent"] = "curl/8.5.0"; return r }(), 200, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, st, c := newTestServer(t, Options{})
			w := do(s, tt.r)
			if w.Code != tt.code {
				t.Fatalf("status %d (%s), want %d", w.Code, w.Body, tt.code)
			}
			if got := viewsOf(t, st, DateOf(c.t, hanoi)); (got == 1) != tt.kept || got > 1 {
				t.Errorf("%d views stored, want kept=%v", got, tt.kept)
			}
			if tt.code == 200 {
				cnt := decode(t, w)
				if want := int64(0); !tt.kept && (cnt.Total != want || cnt.Today != want) {
					t.Errorf("answer %+v for nothing counted", cnt)
				}
				if tt.kept && tt.r.target == "/api/hit" && (cnt.Total != 1 || cnt.Today != 1) {
					t.Errorf("answer %+v, want total 1, today 1", cnt)
				}
			}
		})
	}
}

func TestVisits(t *testing.T) {
	s, st, c := newTestServer(t, Options{})
	if err := st.SetOffset(760000); err != nil {
		t.Fatal(err)
	}
	other := func(r req) req { r.remote = "198.51.100.9:1234"; return r }
	steps := []struct {
		name         string
		advance      time.Duration
		r            req
		total, today int64
	}{
		{"first hit is a visit", 0, hit("/"), 760001, 1},
		{"next page within the gap", 10 * time.Minute, hit("/tin-tuc/"), 760001, 1},
		{"29 minutes later, still the same visit", 29 * time.Minute, hit("/"), 760001, 1},
		{"another address is another visitor", 0, other(hit("/")), 760002, 2},
		{"back after 30 minutes: a new visit", 30 * time.Minute, hit("/"), 760003, 3},
		{"another browser on the same address", 0, func() req {
			r := hit("/")
			r.header["User-Agent"] = strings.Replace(browserUA, "Windows NT 10.0", "X11; Linux x86_64", 1)
			return r
		}(), 760004, 4},
		{"next day: today starts again", 24 * time.Hour, hit("/"), 760005, 1},
	}
	for _, st := range steps {
		c.t = c.t.Add(st.advance)
		w := do(s, st.r)
		if w.Code != 200 {
			t.Fatalf("%s: status %d %s", st.name, w.Code, w.Body)
		}
		if got := decode(t, w); got.Total != st.total || got.Today != st.today {
			t.Errorf("%s: got %+v, want total %d, today %d", st.name, got, st.total, st.today)
		}
	}
	w := do(s, req{method: "GET", target: "/api/count?path=/"})
	if got := decode(t, w); got.Total != 760005 || got.Today != 1 || got.Views != 6 {
		t.Errorf("count: %+v, want total 760005, today 1, views 6", got)
	}
	w = do(s, req{method: "GET", target: "/api/count"})
	if strings.Contains(w.Body.String(), "views") {
		t.Errorf("count without path answers views: %s", w.Body)
	}
}

func TestVisitAcrossMidnight(t *testing.T) {
	s, _, c := newTestServer(t, Options{})
	c.t = time.Date(2025, 3, 14, 23, 50, 0, 0, hanoi)
	do(s, hit("/"))
	c.t = c.t.Add(20 * time.Minute) // 00:10 the next day, under a new salt
	if got := decode(t, do(s, hit("/"))); got.Total != 1 || got.Today != 0 {
		t.Errorf("got %+v: a visit that goes on past midnight was counted twice", got)
	}
}

func TestTrustProxy(t *testing.T) {
	for _, trust := range []bool{false, true} {
		s, _, _ := newTestServer(t, Options{TrustProxy: trust})
		for _, ip := range []string{"192.0.2.1", "192.0.2.2"} {
			r := hit("/")
			r.header["X-Forwarded-For"] = "10.9.9.9, " + ip
			do(s, r)
		}
		want := int64(1)
		if trust {
			want = 2
		}
		if got := decode(t, do(s, req{method: "GET", target: "/api/count"})); got.Total != want {
			t.Errorf("trust-proxy %v: %d visits, want %d", trust, got.Total, want)
		}
	}
}

func TestCORS(t *testing.T) {
	const site = "https://sxsh.example.gov.vn"
	tests := []struct {
		name, method, target, origin string
		code                         int
		allow                        string
	}{
		{"allowed origin", "POST", "/api/hit", site, 200, site},
		{"allowed origin, count", "GET", "/api/count", site, 200, site},
		{"preflight", "OPTIONS", "/api/hit", site, 204, site},
		{"foreign origin", "POST", "/api/hit", "https://evil.example", 403, ""},
		{"foreign preflight", "OPTIONS", "/api/hit", "https://evil.example", 403, ""},
		{"same origin", "POST", "/api/hit", "http://example.com", 200, ""},
		{"no origin", "POST", "/api/hit", "", 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _, _ := newTestServer(t, Options{Origins: []string{site + "/"}})
			r := req{method: tt.method, target: tt.target, body: `{"path":"/"}`, header: map[string]string{}}
			if tt.origin != "" {
				r.header["Origin"] = tt.origin
			}
			if tt.method == "OPTIONS" {
				r.header["Access-Control-Request-Method"] = "POST"
			}
			w := do(s, r) // httptest's Host is example.com
			if w.Code != tt.code {
				t.Fatalf("status %d, want %d", w.Code, tt.code)
			}
			if got := w.Header().Get("Access-Control-Allow-Origin"); got != tt.allow {
				t.Errorf("Access-Control-Allow-Origin %q, want %q", got, tt.allow)
			}
			if tt.method == "OPTIONS" && tt.code == 204 && !strings.Contains(w.Header().Get("Access-Control-Allow-Methods"), "POST") {
				t.Errorf("preflight allows %q", w.Header().Get("Access-Control-Allow-Methods"))
			}
		})
	}
}

func TestRateLimit(t *testing.T) {
	s, _, c := newTestServer(t, Options{Rate: 10, Burst: 20})
	codes := map[int]int{}
	for range 25 {
		codes[do(s, hit("/")).Code]++
	}
	if codes[200] != 20 || codes[429] != 5 {
		t.Fatalf("burst of 25: %v, want 20 × 200 and 5 × 429", codes)
	}
	r := hit("/")
	r.remote = "198.51.100.1:1"
	if w := do(s, r); w.Code != 200 {
		t.Errorf("another address was limited too: %d", w.Code)
	}
	c.t = c.t.Add(200 * time.Millisecond) // two tokens back
	codes = map[int]int{}
	for range 3 {
		codes[do(s, hit("/")).Code]++
	}
	if codes[200] != 2 || codes[429] != 1 {
		t.Errorf("after 200 ms: %v, want 2 × 200 and 1 × 429", codes)
	}
}

func TestIsBot(t *testing.T) {
	tests := []struct {
		ua  string
		bot bool
	}{
		{browserUA, false},
		{"Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1", false},
		{"Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0", false},
		{"Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) coc_coc_browser/128.0 Mobile Safari/537.36", false},
		{"", true},
		{"-", true},
		{"Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", true},
		{"Mozilla/5.0 (compatible; Yahoo! Slurp; http://help.yahoo.com/help/us/ysearch/slurp)", true},
		{"Baiduspider+(+http://www.baidu.com/search/spider.htm)", true},
		{"Wget/1.21.4", true},
		{"python-requests/2.31.0", true},
		{"Go-http-client/1.1", true},
		{"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/126.0 Safari/537.36", true},
		{"Mozilla/5.0 (Linux; Android 11; moto g power (2022)) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0 Mobile Safari/537.36 Chrome-Lighthouse", true},
	}
	for _, tt := range tests {
		t.Run(tt.ua, func(t *testing.T) {
			if got := IsBot(tt.ua); got != tt.bot {
				t.Errorf("IsBot = %v, want %v", got, tt.bot)
			}
		})
	}
}

// IIS's proxy writes the client's port after its address; IPv6 comes in
// brackets then. Each is still the reader's own address.
func TestClientAddrWithPort(t *testing.T) {
	for xff, want := range map[string]string{
		"192.0.2.7":               "192.0.2.7",
		"192.0.2.7:51234":         "192.0.2.7",
		"10.0.0.1, 192.0.2.8:443": "192.0.2.8",
		"[2001:db8::5]:51234":     "2001:db8::5",
		"::ffff:192.0.2.9":        "192.0.2.9",
		"not an address":          "127.0.0.1",
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = "127.0.0.1:9000"
		r.Header.Set("X-Forwarded-For", xff)
		if got := clientAddr(r, true); got != want {
			t.Errorf("X-Forwarded-For %q: %q, want %q", xff, got, want)
		}
	}
}
