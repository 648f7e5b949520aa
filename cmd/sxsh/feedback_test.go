package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"sxsh/generator/browser"
	"sxsh/generator/counter"
)

const feedbackSiteToml = `[languages.vi]
title = "Thử"
[languages.vi.contact]
email = "lienhe@example.gov.vn"
[languages.en]
title = "Test"
weight = 2
[languages.en.contact]
email = "contact@example.gov.vn"
`

// service is sxsh counter running in this process, as a webmaster runs it.
type service struct {
	base   string // http://127.0.0.1:PORT/api/
	cancel context.CancelFunc
	done   chan error
	mu     sync.Mutex
	out    bytes.Buffer
	stderr bytes.Buffer
}

func startService(t *testing.T, args ...string) *service {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s := &service{cancel: cancel, done: make(chan error, 1)}
	pr, pw := io.Pipe()
	go func() {
		err := run(ctx, append([]string{"counter", "--addr", "127.0.0.1:0"}, args...), pw, &s.stderr)
		pw.Close()
		s.done <- err
	}()
	r := bufio.NewReader(pr)
	line, err := r.ReadString('\n')
	_, u, ok := strings.Cut(line, "listening on ")
	if err != nil || !ok {
		cancel()
		t.Fatalf("the service did not start: %q, %v; %s", line, err, s.stderr.String())
	}
	s.base = strings.TrimSpace(u)
	go func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		io.Copy(&s.out, r)
	}()
	t.Cleanup(func() { s.stop(t) })
	return s
}

// stop stops the service as Ctrl-C does and waits for it to close its
// database.
func (s *service) stop(t *testing.T) {
	t.Helper()
	if s.cancel == nil {
		return
	}
	s.cancel()
	s.cancel = nil
	select {
	case err := <-s.done:
		if err != nil {
			t.Errorf("the service stopped with %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("the service did not stop")
	}
}

// The feedback page built by sxsh and the service agree: a message for
// each error code the service sends readers back with, and the form's
// length limits are the service's.
func TestFeedbackPageMatchesService(t *testing.T) {
	dir := writeSite(t, map[string]string{"site.toml": feedbackSiteToml + "[counter]\nendpoint = \"/api/\"\n", "content/_index.vi.md": "+++\ntitle = \"Thử\"\n+++\n"})
	dest := filepath.Join(t.TempDir(), "public")
	if code, _, errs := runCmd("build", "--source", dir, "--destination", dest, "--quiet"); code != 0 {
		t.Fatalf("build: %s", errs)
	}
	for _, page := range []string{"hoi-dap-gop-y/index.html", "en/feedback/index.html"} {
		b, err := os.ReadFile(filepath.Join(dest, page))
		if err != nil {
			t.Fatal(err)
		}
		html := string(b)
		for _, code := range counter.FeedbackErrorCodes() {
			if !strings.Contains(html, `id="loi-`+code+`"`) {
				t.Errorf("%s: no message for the service's error %q", page, code)
			}
		}
		for name, limit := range map[string]int{
			counter.FieldName: counter.MaxFeedbackName, counter.FieldContact: counter.MaxFeedbackContact,
			counter.FieldSubject: counter.MaxFeedbackSubject, counter.FieldMessage: counter.MaxFeedbackMessage,
		} {
			re := regexp.MustCompile(`name="` + name + `"[^>]*maxlength="(\d+)"`)
			if m := re.FindStringSubmatch(html); m == nil || m[1] != fmt.Sprint(limit) {
				t.Errorf("%s: field %s has maxlength %v, the service allows %d", page, name, m, limit)
			}
		}
		for _, name := range []string{counter.FieldLang, counter.FieldBack, counter.FieldNext, counter.FieldHoneypot} {
			if !strings.Contains(html, `name="`+name+`"`) {
				t.Errorf("%s: no field %s", page, name)
			}
		}
	}
}

func TestCounterFeedbackCommand(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "c.db")
	store, err := counter.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	day := func(s string) time.Time {
		d, _ := time.ParseInLocation(time.DateTime, s, time.Local)
		return d
	}
	for _, f := range []counter.Feedback{
		{Time: day("2026-10-30 16:00:00"), Lang: "vi", Name: "Trần Thị Bình", Contact: "0912 345 678", Message: "Cũ."},
		{Time: day("2026-11-02 08:15:00"), Lang: "en", Name: "Jane Doe", Contact: "jane@example.com", Subject: "Audit", Message: "New."},
	} {
		if _, err := store.AddFeedback(f); err != nil {
			t.Fatal(err)
		}
	}
	store.Close()

	tests := []struct {
		args     []string
		code     int
		out, err string
	}{
		{[]string{"--help"}, 0, "--since DATE", ""},
		{nil, 0, "No. 1, 2026-10-30 16:00 (vi)\nFrom:    Trần Thị Bình, 0912 345 678\n\n    Cũ.\n", ""},
		{[]string{"--since", "2026-11-01"}, 0, "No. 2, 2026-11-02 08:15 (en)\nFrom:    Jane Doe, jane@example.com\nSubject: Audit\n\n    New.\n\n1 message\n", ""},
		{[]string{"--since", "2026-11-01", "--format", "csv"}, 0, "\ufeffid,time,lang,name,contact,subject,message\r\n2,2026-11-02 08:15:00,en,Jane Doe,jane@example.com,Audit,New.\r\n", ""},
		{[]string{"--format", "json"}, 0, `"name": "Trần Thị Bình"`, ""},
		{[]string{"--since", "1/11/2026"}, 2, "", `--since "1/11/2026" is not a date like 2026-11-28`},
		{[]string{"--format", "xlsx"}, 2, "", `unknown --format "xlsx"`},
		{[]string{"--delete-before", "2026-11-01", "--since", "2026-01-01"}, 2, "", "--delete-before deletes and lists nothing"},
		{[]string{"--delete-before", "2026-11-01"}, 0, "sxsh: deleted 1 message received before 2026-11-01\n", ""},
		{nil, 0, "No. 2, 2026-11-02", ""},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, out, errs := runCmd(append([]string{"counter", "feedback", "--db", db}, tt.args...)...)
			if code != tt.code || !strings.Contains(out, tt.out) || !strings.Contains(errs, tt.err) {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit %d, stdout ~%q, stderr ~%q", code, out, errs, tt.code, tt.out, tt.err)
			}
		})
	}
	if code, out, _ := runCmd("counter", "feedback", "--db", db); strings.Contains(out, "Trần Thị Bình") || code != 0 {
		t.Errorf("a deleted message is still listed: %s", out)
	}
	if code, _, errs := runCmd("counter", "feedback", "--db", filepath.Join(dir, "none.db")); code != 1 || !strings.Contains(errs, "none.db: no such file") {
		t.Errorf("a missing database: exit %d, %s", code, errs)
	}
}

// A reader without JavaScript: the built site's feedback page, served on
// loopback, is filled in and sent in headless Chromium with scripts off;
// a mistake brings the form back with its message shown by CSS; the
// corrected message reaches the service, which keeps it and sends the
// browser to the thank-you page; once the service is stopped, the editor's
// CSV export has it. Without an endpoint the page shows the e-mail address.
func TestFeedbackInBrowser(t *testing.T) {
	b := browser.Shared(t)
	dir := writeSite(t, map[string]string{"site.toml": feedbackSiteToml, "content/_index.vi.md": "+++\ntitle = \"Thử\"\n+++\n"})
	dest := filepath.Join(t.TempDir(), "public")
	site := browser.Serve(t, dest)
	db := filepath.Join(t.TempDir(), "counter.db")
	svc := startService(t, "--db", db, "--origin", site.URL)

	build := func(toml string) {
		t.Helper()
		writeFile(t, dir, "site.toml", toml)
		if code, _, errs := runCmd("build", "--source", dir, "--destination", dest, "--baseURL", site.URL+"/", "--quiet"); code != 0 {
			t.Fatalf("build: %s", errs)
		}
	}
	build(feedbackSiteToml + "[counter]\nendpoint = \"" + svc.base + "\"\n")

	tab := b.Tab(t)
	if err := tab.Run(chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return err
	})); err != nil {
		t.Fatal(err)
	}
	fill := func(fields map[string]string) {
		t.Helper()
		if err := tab.Navigate(site.URL + "/hoi-dap-gop-y/"); err != nil {
			t.Fatal(err)
		}
		for _, id := range []string{"fb-name", "fb-contact", "fb-subject", "fb-message"} {
			if v := fields[id]; v != "" {
				if err := tab.Run(chromedp.SendKeys(chromedp.CSS("#"+id), v)); err != nil {
					t.Fatalf("typing into %s: %v", id, err)
				}
			}
		}
		if err := tab.Run(chromedp.Click(chromedp.CSS(".feedback-form button"))); err != nil {
			t.Fatal(err)
		}
	}
	// Eval works with scripts off (it is the DevTools', not the page's);
	// polling it spans the redirect.
	waitFor := func(expr string) {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for {
			var ok bool
			if err := tab.Eval(expr, &ok); err == nil && ok {
				return
			}
			if time.Now().After(deadline) {
				var where string
				tab.Eval(`location.href`, &where)
				t.Fatalf("waited in vain for %s (at %s)", expr, where)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	shown := func(sel string) bool {
		var ok bool
		if err := tab.Eval(`(function(){var e=document.querySelector(`+browser.JSString(sel)+`);return !!e&&getComputedStyle(e).display!=="none"})()`, &ok); err != nil {
			t.Fatal(err)
		}
		return ok
	}

	// A contact that is neither an e-mail address nor a phone number.
	fill(map[string]string{"fb-name": "Nguyễn Văn An", "fb-contact": "gọi anh An", "fb-message": "Hỏi thử."})
	waitFor(`location.search === "?loi=lien-he-sai" && document.readyState === "complete"`)
	if !shown("#loi-lien-he-sai") || shown("#loi-thieu-noi-dung") {
		t.Error("after a wrong contact, the page does not show (only) its message")
	}

	message := "Công ty chúng tôi ở KCN Amata muốn được tư vấn kiểm toán năng lượng.\nXin cảm ơn."
	fill(map[string]string{"fb-name": "Nguyễn Văn An", "fb-contact": "an.nguyen@example.com",
		"fb-subject": "Hỏi về kiểm toán năng lượng", "fb-message": message})
	waitFor(`location.pathname === "/hoi-dap-gop-y/da-gui/" && document.readyState === "complete"`)
	if h1, err := tab.Text("h1"); err != nil || strings.TrimSpace(h1) != "Đã nhận câu hỏi, góp ý của bạn" {
		t.Errorf("the thank-you page's heading is %q (%v)", h1, err)
	}
	if p := tab.Problems(); len(p) > 0 {
		t.Errorf("problems in the browser: %v", p)
	}

	// The editor's export, with the service stopped as the README says.
	svc.stop(t)
	code, out, errs := runCmd("counter", "feedback", "--db", db, "--format", "csv")
	if code != 0 {
		t.Fatalf("counter feedback: exit %d: %s", code, errs)
	}
	body, ok := strings.CutPrefix(out, "\ufeff")
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	// One message: the header and its row. The wrong form was not kept.
	if !ok || err != nil || len(rows) != 2 {
		t.Fatalf("CSV (BOM %v, %v): %q", ok, err, out)
	}
	got := rows[1]
	want := []string{"1", "", "vi", "Nguyễn Văn An", "an.nguyen@example.com", "Hỏi về kiểm toán năng lượng", message}
	got[1], want[1] = got[1][:10], time.Now().Format(time.DateOnly)
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("CSV row\n%q\nwant\n%q", got, want)
	}

	// Without an endpoint: the address to write to, no form.
	build(feedbackSiteToml)
	if err := tab.Navigate(site.URL + "/en/feedback/?rebuilt"); err != nil {
		t.Fatal(err)
	}
	if !shown(`a[href="mailto:contact@example.gov.vn"]`) || shown("form.feedback-form") {
		t.Error("without an endpoint the page does not show the e-mail address instead of the form")
	}
}
