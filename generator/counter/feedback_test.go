package counter

import (
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const site = "https://sxsh.dongnai.gov.vn"

// goodForm is what the Vietnamese feedback page sends when a reader fills
// it in.
func goodForm() url.Values {
	return url.Values{
		FieldName:     {"Nguyễn Văn An"},
		FieldContact:  {"an.nguyen@example.com"},
		FieldSubject:  {"Hỏi về kiểm toán năng lượng"},
		FieldMessage:  {"Công ty chúng tôi ở KCN Amata muốn được tư vấn.\r\nXin cảm ơn."},
		FieldLang:     {"vi"},
		FieldBack:     {site + "/hoi-dap-gop-y/"},
		FieldNext:     {site + "/hoi-dap-gop-y/da-gui/"},
		FieldHoneypot: {""},
	}
}

func with(f func(url.Values)) url.Values {
	v := goodForm()
	f(v)
	return v
}

type fbReq struct {
	target string // /api/feedback when empty
	method string // POST when empty
	body   string // goodForm() encoded when empty
	header map[string]string
	chunk  bool // send without Content-Length
}

func newFeedbackServer(t *testing.T, st FeedbackStore, o FeedbackOptions) (*FeedbackServer, *clock) {
	t.Helper()
	c := &clock{time.Date(2025, 3, 14, 10, 30, 15, 0, hanoi)}
	o.Now, o.Location = c.Now, hanoi
	if o.Origins == nil {
		o.Origins = []string{site}
	}
	if o.Rate == 0 {
		o.Rate, o.Burst = 1000, 1000
	}
	return NewFeedbackServer(st, o), c
}

func doFeedback(s *FeedbackServer, r fbReq) *httptest.ResponseRecorder {
	if r.target == "" {
		r.target = "/api/feedback"
	}
	if r.method == "" {
		r.method = "POST"
	}
	if r.body == "" {
		r.body = goodForm().Encode()
	}
	hr := httptest.NewRequest(r.method, r.target, strings.NewReader(r.body))
	hr.Host = "sxsh.dongnai.gov.vn"
	hr.RemoteAddr = "203.0.113.7:5555"
	hr.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	hr.Header.Set("Origin", site)
	for k, v := range r.header {
		if v == "" {
			hr.Header.Del(k)
		} else {
			hr.Header.Set(k, v)
		}
	}
	if r.chunk {
		hr.ContentLength = -1
	}
	w := httptest.NewRecorder()
	s.Handler().ServeHTTP(w, hr)
	return w
}

func stored(t *testing.T, st FeedbackStore) []Feedback {
	t.Helper()
	all, err := st.FeedbackSince(time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	return all
}

func TestFeedbackInput(t *testing.T) {
	thanks := site + "/hoi-dap-gop-y/da-gui/"
	back := func(code string) string { return site + "/hoi-dap-gop-y/?loi=" + code + "#loi-" + code }
	vietnamese := strings.Repeat("ệ", MaxFeedbackMessage)
	tests := []struct {
		name     string
		r        fbReq
		code     int
		location string // for a 303
		kept     bool   // the message was stored
	}{
		{"filled in", fbReq{}, 303, thanks, true},
		{"at the root", fbReq{target: "/feedback"}, 303, thanks, true},
		{"phone instead of email", fbReq{body: with(func(v url.Values) { v.Set(FieldContact, "+84 (251) 3.822-000") }).Encode()}, 303, thanks, true},
		{"no subject", fbReq{body: with(func(v url.Values) { v.Del(FieldSubject) }).Encode()}, 303, thanks, true},
		{"no honeypot field at all", fbReq{body: with(func(v url.Values) { v.Del(FieldHoneypot) }).Encode()}, 303, thanks, true},
		{"message at its limit in Vietnamese", fbReq{body: with(func(v url.Values) { v.Set(FieldMessage, vietnamese) }).Encode()}, 303, thanks, true},
		{"paths for addresses", fbReq{body: with(func(v url.Values) {
			v.Set(FieldBack, "/en/feedback/")
			v.Set(FieldNext, "/en/feedback/sent/")
			v.Set(FieldLang, "en")
		}).Encode()}, 303, "/en/feedback/sent/", true},
		{"no Origin, Referer of the site", fbReq{header: map[string]string{"Origin": "", "Referer": site + "/hoi-dap-gop-y/"}}, 303, thanks, true},
		{"no Origin nor Referer", fbReq{header: map[string]string{"Origin": ""}}, 303, thanks, true},
		{"Origin of the host asked", fbReq{header: map[string]string{"Origin": "http://sxsh.dongnai.gov.vn"}}, 303, thanks, true},

		{"honeypot filled", fbReq{body: with(func(v url.Values) { v.Set(FieldHoneypot, "http://spam.example/") }).Encode()}, 303, thanks, false},

		{"no name", fbReq{body: with(func(v url.Values) { v.Del(FieldName) }).Encode()}, 303, back(ErrNoName), false},
		{"blank name", fbReq{body: with(func(v url.Values) { v.Set(FieldName, " \t ") }).Encode()}, 303, back(ErrNoName), false},
		{"no contact", fbReq{body: with(func(v url.Values) { v.Set(FieldContact, "") }).Encode()}, 303, back(ErrNoContact), false},
		{"contact neither email nor phone", fbReq{body: with(func(v url.Values) { v.Set(FieldContact, "anh An ở Biên Hòa") }).Encode()}, 303, back(ErrBadContact), false},
		{"phone too short", fbReq{body: with(func(v url.Values) { v.Set(FieldContact, "3822 000") }).Encode()}, 303, back(ErrBadContact), false},
		{"email without domain", fbReq{body: with(func(v url.Values) { v.Set(FieldContact, "an@example") }).Encode()}, 303, back(ErrBadContact), false},
		{"no message", fbReq{body: with(func(v url.Values) { v.Set(FieldMessage, "\r\n  \r\n") }).Encode()}, 303, back(ErrNoMessage), false},
		{"message over its limit", fbReq{body: with(func(v url.Values) { v.Set(FieldMessage, vietnamese+"a") }).Encode()}, 303, back(ErrTooLong), false},
		{"name over its limit", fbReq{body: with(func(v url.Values) { v.Set(FieldName, strings.Repeat("a", MaxFeedbackName+1)) }).Encode()}, 303, back(ErrTooLong), false},
		{"subject over its limit", fbReq{body: with(func(v url.Values) { v.Set(FieldSubject, strings.Repeat("ư", MaxFeedbackSubject+1)) }).Encode()}, 303, back(ErrTooLong), false},
		{"contact over its limit", fbReq{body: with(func(v url.Values) { v.Set(FieldContact, strings.Repeat("a", MaxFeedbackContact)+"@x.vn") }).Encode()}, 303, back(ErrTooLong), false},

		{"another site's Origin", fbReq{header: map[string]string{"Origin": "https://evil.example"}}, 403, "", false},
		{"Origin null", fbReq{header: map[string]string{"Origin": "null"}}, 403, "", false},
		{"another site's Referer", fbReq{header: map[string]string{"Origin": "", "Referer": "https://evil.example/form.html"}}, 403, "", false},
		{"JSON", fbReq{body: `{"name":"An"}`, header: map[string]string{"Content-Type": "application/json"}}, 415, "", false},
		{"multipart", fbReq{header: map[string]string{"Content-Type": "multipart/form-data; boundary=x"}}, 415, "", false},
		{"no content type", fbReq{header: map[string]string{"Content-Type": ""}}, 415, "", false},
		{"body too large", fbReq{body: with(func(v url.Values) { v.Set(FieldMessage, strings.Repeat("x", MaxFeedbackBody)) }).Encode()}, 413, "", false},
		{"body too large, no length", fbReq{chunk: true, body: with(func(v url.Values) { v.Set(FieldMessage, strings.Repeat("x", MaxFeedbackBody)) }).Encode()}, 413, "", false},
		{"not a form", fbReq{body: "name=%zz&message=x"}, 400, "", false},
		{"field twice", fbReq{body: goodForm().Encode() + "&name=Trần+Thị+B"}, 400, "", false},
		{"not UTF-8", fbReq{body: goodForm().Encode() + "&subject=%FF%FE"}, 400, "", false},
		{"no lang", fbReq{body: with(func(v url.Values) { v.Del(FieldLang) }).Encode()}, 400, "", false},
		{"lang not a tag", fbReq{body: with(func(v url.Values) { v.Set(FieldLang, "<b>vi</b>") }).Encode()}, 400, "", false},
		{"no back", fbReq{body: with(func(v url.Values) { v.Del(FieldBack) }).Encode()}, 400, "", false},
		{"no next", fbReq{body: with(func(v url.Values) { v.Del(FieldNext) }).Encode()}, 400, "", false},
		{"next on another site", fbReq{body: with(func(v url.Values) { v.Set(FieldNext, "https://evil.example/") }).Encode()}, 400, "", false},
		{"next protocol-relative", fbReq{body: with(func(v url.Values) { v.Set(FieldNext, "//evil.example/") }).Encode()}, 400, "", false},
		{"next a script", fbReq{body: with(func(v url.Values) { v.Set(FieldNext, "javascript:alert(1)") }).Encode()}, 400, "", false},
		{"back relative", fbReq{body: with(func(v url.Values) { v.Set(FieldBack, "hoi-dap-gop-y/") }).Encode()}, 400, "", false},
		{"back with a fragment", fbReq{body: with(func(v url.Values) { v.Set(FieldBack, site+"/hoi-dap-gop-y/#x") }).Encode()}, 400, "", false},
		{"GET", fbReq{method: "GET"}, 405, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := newStore(t)
			s, _ := newFeedbackServer(t, st, FeedbackOptions{})
			w := doFeedback(s, tt.r)
			if w.Code != tt.code {
				t.Fatalf("status %d (%q), want %d", w.Code, w.Body, tt.code)
			}
			if got := w.Header().Get("Location"); got != tt.location {
				t.Errorf("Location %q, want %q", got, tt.location)
			}
			if tt.code >= 400 && tt.code != 405 {
				if ct := w.Header().Get("Content-Type"); ct != "text/plain; charset=utf-8" || w.Body.Len() < 10 {
					t.Errorf("answer %q (%s): want a plain message", w.Body, ct)
				}
			}
			if n := len(stored(t, st)); (n == 1) != tt.kept || n > 1 {
				t.Errorf("%d messages stored, want kept=%v", n, tt.kept)
			}
		})
	}
}

// What is kept is what the reader typed, tidied (NFC, line breaks as
// \n), with the time and the page's language, and nothing else.
func TestFeedbackKept(t *testing.T) {
	st := newStore(t)
	s, c := newFeedbackServer(t, st, FeedbackOptions{})
	nfd := "Nguye\u0302\u0303n Va\u0306n An" // as some keyboards type it
	w := doFeedback(s, fbReq{body: with(func(v url.Values) { v.Set(FieldName, nfd) }).Encode()})
	if w.Code != 303 {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	all := stored(t, st)
	want := Feedback{ID: 1, Time: c.t, Lang: "vi", Name: "Nguyễn Văn An", Contact: "an.nguyen@example.com",
		Subject: "Hỏi về kiểm toán năng lượng", Message: "Công ty chúng tôi ở KCN Amata muốn được tư vấn.\nXin cảm ơn."}
	if len(all) != 1 || !all[0].Time.Equal(want.Time) {
		t.Fatalf("stored %+v, want %+v", all, want)
	}
	all[0].Time = want.Time
	if all[0] != want {
		t.Errorf("stored %+v,\nwant   %+v", all[0], want)
	}
}

func TestFeedbackRateLimit(t *testing.T) {
	st := newStore(t)
	s, c := newFeedbackServer(t, st, FeedbackOptions{Rate: 1.0 / 60, Burst: 2})
	from := func(addr string) fbReq { return fbReq{header: map[string]string{"X-Forwarded-For": addr}} }
	for i, want := range []int{303, 303, 429} {
		if w := doFeedback(s, fbReq{}); w.Code != want {
			t.Fatalf("message %d: status %d, want %d", i+1, w.Code, want)
		} else if want == 429 && w.Header().Get("Retry-After") == "" {
			t.Error("429 without Retry-After")
		}
	}
	// Without --trust-proxy a forwarded address is not believed.
	if w := doFeedback(s, from("198.51.100.1")); w.Code != 429 {
		t.Errorf("a forged X-Forwarded-For got %d", w.Code)
	}
	c.t = c.t.Add(time.Minute)
	if w := doFeedback(s, fbReq{}); w.Code != 303 {
		t.Errorf("a minute later: %d", w.Code)
	}
	if n := len(stored(t, st)); n != 3 {
		t.Errorf("%d messages stored, want 3", n)
	}

	// Behind the proxy, each reader has their own allowance.
	s, _ = newFeedbackServer(t, st, FeedbackOptions{Rate: 1.0 / 60, Burst: 1, TrustProxy: true})
	for _, r := range []struct {
		addr string
		want int
	}{{"198.51.100.1", 303}, {"198.51.100.2", 303}, {"198.51.100.1", 429}, {"2001:db8::1", 303}, {"2001:db8::2", 429}} {
		if w := doFeedback(s, from(r.addr)); w.Code != r.want {
			t.Errorf("from %s: %d, want %d", r.addr, w.Code, r.want)
		}
	}
}

// A store that fails sends the reader back to the form, told that the
// message was not kept, never to the thank-you page.
func TestFeedbackStoreFails(t *testing.T) {
	st, err := Open(filepath.Join(t.TempDir(), "c.db"))
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	s, _ := newFeedbackServer(t, st, FeedbackOptions{})
	w := doFeedback(s, fbReq{})
	if loc := w.Header().Get("Location"); w.Code != 303 || loc != site+"/hoi-dap-gop-y/?loi=chua-luu#loi-chua-luu" {
		t.Errorf("status %d, Location %q", w.Code, loc)
	}
}

// What a reader sends is kept as text: no control characters, C1 ones
// included, and no direction overrides that could disguise a name in a
// listing or a spreadsheet.
func TestCleanDropsInvisibles(t *testing.T) {
	for in, want := range map[string]string{
		"Nguyễn\u0085 Văn A":     "Nguyễn Văn A",
		"abc\u202egpj.exe":       "abcgpj.exe",
		"\u2066Trần\u2069 Thị B": "Trần Thị B",
		"dòng một\r\ndòng hai":   "dòng một dòng hai",
	} {
		if got := clean(in, false); got != want {
			t.Errorf("clean(%q) = %q, want %q", in, got, want)
		}
	}
	if got := clean("một\r\nhai\u0007", true); got != "một\nhai" {
		t.Errorf("clean of a message = %q", got)
	}
}
