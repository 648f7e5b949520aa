package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"sxsh/generator/browser"
)

// lockedBuffer lets the test read what the running command prints.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// serving is an "sxsh serve" running in the test.
type serving struct {
	url            string
	stdout, stderr *lockedBuffer
	cancel         context.CancelFunc
	done           chan struct{} // closed when run has returned err
	err            error
}

func startServe(t *testing.T, args ...string) *serving {
	t.Helper()
	servingLine := regexp.MustCompile(`Serving (http://\S+/) — Ctrl\+C to stop`)
	ctx, cancel := context.WithCancel(context.Background())
	s := &serving{stdout: &lockedBuffer{}, stderr: &lockedBuffer{}, cancel: cancel, done: make(chan struct{})}
	go func() {
		s.err = run(ctx, append([]string{"--lang", "en", "serve"}, args...), s.stdout, s.stderr)
		close(s.done)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-s.done:
		case <-time.After(10 * time.Second):
			t.Error("sxsh serve did not stop")
		}
	})
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if m := servingLine.FindStringSubmatch(s.stdout.String()); m != nil {
			s.url = m[1]
			return s
		}
		select {
		case <-s.done:
			t.Fatalf("sxsh serve ended: %v\n%s%s", s.err, s.stdout, s.stderr)
		case <-time.After(10 * time.Millisecond):
		}
	}
	t.Fatalf("sxsh serve printed no address:\n%s%s", s.stdout, s.stderr)
	return nil
}

func httpGet(t *testing.T, url string) (int, string) {
	t.Helper()
	c := http.Client{Timeout: 10 * time.Second}
	resp, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(body)
}

// sseEvents opens the live-reload stream and delivers the names of its
// events with their data.
func sseEvents(t *testing.T, url string) <-chan [2]string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url+"__sxsh/events", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); resp.Body.Close() })
	ch := make(chan [2]string, 16)
	go func() {
		defer close(ch)
		sc := bufio.NewScanner(resp.Body)
		var name string
		var data []string
		for sc.Scan() {
			switch line := sc.Text(); {
			case strings.HasPrefix(line, "event: "):
				name, data = line[len("event: "):], nil
			case strings.HasPrefix(line, "data: "):
				data = append(data, line[len("data: "):])
			case line == "" && name != "":
				ch <- [2]string{name, strings.Join(data, "\n")}
				name = ""
			}
		}
	}()
	return ch
}

func waitEvent(t *testing.T, events <-chan [2]string, name string) string {
	t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		select {
		case ev, ok := <-events:
			if !ok {
				t.Fatalf("the event stream ended before %q", name)
			}
			if ev[0] == name {
				return ev[1]
			}
		case <-deadline:
			t.Fatalf("no %q event within 20 s", name)
		}
	}
}

// snapshot records every file of a folder with its size and time, to show
// that serve writes nothing there.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = fi.Mode().String() + " " + strconv.FormatInt(fi.Size(), 10) + " " + fi.ModTime().String()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func writeFile(t *testing.T, dir, name, body string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(name)), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestServe(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp) // where serve makes its build folder
	dir := writeSite(t, map[string]string{
		"site.toml":       "[languages.vi]\ntitle = \"Thử\"\n",
		"content/a.vi.md": "+++\ntitle = \"A\"\n+++\nChào.\n",
		"static/x.txt":    "tĩnh\n",
	})
	before := snapshot(t, dir)
	s := startServe(t, "--source", dir, "--port", "0")
	if !strings.HasPrefix(s.url, "http://127.0.0.1:") {
		t.Errorf("address %s: serve binds to 127.0.0.1 unless told otherwise", s.url)
	}
	builds, _ := filepath.Glob(filepath.Join(tmp, "sxsh-serve-*"))
	if len(builds) != 1 {
		t.Fatalf("build folders %q, want one", builds)
	}

	code, body := httpGet(t, s.url+"a/")
	if code != 200 || !strings.Contains(body, "Chào.") || !strings.Contains(body, `<script src="/__sxsh/reload.js" defer></script></body>`) {
		t.Fatalf("GET /a/: %d %q", code, body)
	}
	if !strings.Contains(body, `href="`+s.url) {
		t.Errorf("links point away from the preview:\n%s", body)
	}
	events := sseEvents(t, s.url)
	waitEvent(t, events, "hello")

	writeFile(t, dir, "content/a.vi.md", "+++\ntitle = \"A\"\n+++\nTạm biệt.\n")
	waitEvent(t, events, "reload")
	if code, body := httpGet(t, s.url+"a/"); code != 200 || !strings.Contains(body, "Tạm biệt.") {
		t.Fatalf("after the edit: %d %q", code, body)
	}

	writeFile(t, dir, "content/a.vi.md", "+++\ntitle = \"A\"\ntittle = \"B\"\n+++\nTạm biệt.\n")
	if msg := waitEvent(t, events, "error"); !strings.Contains(msg, `content/a.vi.md:3: unknown key "tittle"`) {
		t.Errorf("error event %q", msg)
	}
	code, body = httpGet(t, s.url+"a/")
	if code != 500 || !strings.Contains(body, "content/a.vi.md:3: unknown key &#34;tittle&#34;") || !strings.Contains(body, "The site has errors") {
		t.Fatalf("after breaking the front matter: %d %q", code, body)
	}
	if code, body := httpGet(t, s.url+"x.txt"); code != 200 || body != "tĩnh\n" {
		t.Errorf("a static file after a failed build: %d %q", code, body)
	}
	if !strings.Contains(s.stderr.String(), `content/a.vi.md:3: unknown key "tittle"`) {
		t.Errorf("stderr lacks the error:\n%s", s.stderr)
	}

	writeFile(t, dir, "content/a.vi.md", "+++\ntitle = \"A\"\n+++\nĐã sửa.\n")
	waitEvent(t, events, "reload")
	if code, body := httpGet(t, s.url+"a/"); code != 200 || !strings.Contains(body, "Đã sửa.") {
		t.Fatalf("after the fix: %d %q", code, body)
	}
	if n := strings.Count(s.stdout.String(), "rebuilt in "); n != 2 {
		t.Errorf("%d rebuild lines, want 2 (the edit and the fix):\n%s", n, s.stdout)
	}

	// Binary and half-written files: the build's own words on the page, and
	// the server goes on.
	binary := string([]byte{0xff, 0xfe, 0x00, 0x81, '+', '+', '+', 0xc3})
	writeFile(t, dir, "content/bin.vi.md", binary)
	writeFile(t, dir, "content/half.vi.md", "+++\ntitle = \"Nửa")
	msg := waitEvent(t, events, "error")
	for _, want := range []string{"content/bin.vi.md: not UTF-8", "content/half.vi.md:1: front matter is not closed"} {
		if !strings.Contains(msg, want) {
			// Saving two files may give two builds: the second one has both.
			msg = waitEvent(t, events, "error")
			break
		}
	}
	// They have never been pages: a/ shows, with their errors at its top.
	code, body = httpGet(t, s.url+"a/")
	for _, want := range []string{"content/bin.vi.md: not UTF-8", "content/half.vi.md:1: front matter is not closed"} {
		if code != 200 || !strings.Contains(body, "Đã sửa.") || !strings.Contains(body, want) || !strings.Contains(msg, want) {
			t.Errorf("with a binary and a half-written file: %d, event %q, page lacks %q?\n%s", code, msg, want, body)
		}
	}
	for _, name := range []string{"content/bin.vi.md", "content/half.vi.md"} {
		if err := os.Remove(filepath.Join(dir, filepath.FromSlash(name))); err != nil {
			t.Fatal(err)
		}
	}
	waitEvent(t, events, "reload")
	if code, body := httpGet(t, s.url+"a/"); code != 200 || !strings.Contains(body, "Đã sửa.") {
		t.Fatalf("after removing the bad files: %d %q", code, body)
	}

	t.Run("port in use", func(t *testing.T) {
		port := s.url[strings.LastIndex(s.url[:len(s.url)-1], ":")+1 : len(s.url)-1]
		var out, errb bytes.Buffer
		err := run(context.Background(), []string{"serve", "--lang", "en", "--source", dir, "--port", port}, &out, &errb)
		next, _ := strconv.Atoi(port)
		want := "port " + port + " is already in use: stop the other server or use --port " + strconv.Itoa(next+1)
		if exitCode(err) != 1 || !strings.Contains(errb.String(), want) {
			t.Errorf("exit %d, stderr %q; want 1 and %q", exitCode(err), errb.String(), want)
		}
	})

	s.cancel()
	select {
	case <-s.done:
		if s.err != nil {
			t.Errorf("serve after Ctrl+C: %v", s.err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop when its context ended")
	}
	if left, _ := filepath.Glob(filepath.Join(tmp, "sxsh-serve-*")); len(left) != 0 {
		t.Errorf("build folders left behind: %q", left)
	}
	after := snapshot(t, dir)
	// What the test itself touched: the page it edited, and the folder in
	// which it made and removed files.
	for _, touched := range []string{"content/a.vi.md", "content"} {
		delete(before, touched)
		delete(after, touched)
	}
	for name, was := range before {
		if after[name] != was {
			t.Errorf("serve changed %s: %s, was %s", name, after[name], was)
		}
	}
	for name := range after {
		if _, ok := before[name]; !ok {
			t.Errorf("serve made %s in the site folder", name)
		}
	}
}

func TestServeUsage(t *testing.T) {
	tests := []struct {
		args []string
		code int
		err  string
	}{
		{[]string{"serve", "--port", "70000"}, 2, "not between 0 and 65535"},
		{[]string{"serve", "--source", "/does/not/exist"}, 2, "is not a folder"},
		{[]string{"serve", "extra"}, 2, `unexpected argument "extra"`},
		{[]string{"serve", "--help"}, 0, ""},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, _, errs := runCmd(tt.args...)
			if code != tt.code || !strings.Contains(errs, tt.err) {
				t.Errorf("exit %d, stderr %q; want %d, %q", code, errs, tt.code, tt.err)
			}
		})
	}
}

// TestServeLatency measures, on the example site at the repository root,
// the time from saving an edit to the updated page being served.
func TestServeLatency(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the whole example site")
	}
	site := t.TempDir()
	for _, name := range []string{"site.toml", "content", "layouts", "static"} {
		if err := os.CopyFS(filepath.Join(site, name), os.DirFS(filepath.Join("..", "..", name))); err != nil && name != "site.toml" {
			t.Fatal(err)
		}
	}
	data, err := os.ReadFile(filepath.Join("..", "..", "site.toml"))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, site, "site.toml", string(data))
	s := startServe(t, "--source", site, "--port", "0")
	page := "content/about.vi.md"
	orig, err := os.ReadFile(filepath.Join(site, page))
	if err != nil {
		t.Fatal(err)
	}
	var worst time.Duration
	for i := range 3 {
		marker := "Dấu đo thời gian " + strconv.Itoa(i)
		start := time.Now()
		writeFile(t, site, page, string(orig)+"\n"+marker+"\n")
		for {
			if _, body := httpGet(t, s.url+"gioi-thieu/"); strings.Contains(body, marker) {
				break
			}
			if time.Since(start) > 20*time.Second {
				t.Fatalf("the edit was not served within 20 s:\n%s", s.stderr)
			}
			time.Sleep(5 * time.Millisecond)
		}
		d := time.Since(start)
		worst = max(worst, d)
		t.Logf("edit %d served after %v", i+1, d.Round(time.Millisecond))
	}
	// A preview that lags by seconds is one editors stop trusting.
	if worst > 5*time.Second {
		t.Errorf("an edit took %v to be served", worst)
	}
}

// TestServeInBrowser is what an editor sees: the open page reloads by itself
// after a save, shows the error page (styled, under the site's
// Content-Security-Policy) when the save breaks the site, and comes back
// after the fix.
func TestServeInBrowser(t *testing.T) {
	dir := writeSite(t, map[string]string{
		"site.toml":       "[languages.vi]\ntitle = \"Thử\"\n",
		"content/a.vi.md": "+++\ntitle = \"A\"\n+++\nChào.\n",
	})
	s := startServe(t, "--source", dir, "--port", "0")
	tab := browser.Shared(t).Tab(t)
	// An edit saved before the page's event stream is open would go
	// unnoticed, as it would for an editor saving within the same instant.
	streams := 0
	waitStream := func() {
		t.Helper()
		streams++
		deadline := time.Now().Add(20 * time.Second)
		for time.Now().Before(deadline) {
			n := 0
			for _, r := range tab.Requests() {
				if strings.HasSuffix(r.URL, "/__sxsh/events") && r.Status == 200 {
					n++
				}
			}
			if n >= streams {
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
		t.Fatalf("the page opened no event stream (%d expected)", streams)
	}
	wait := func(expr string) {
		t.Helper()
		for deadline := time.Now().Add(20 * time.Second); ; {
			err := tab.WaitFor(expr)
			if err == nil {
				return
			}
			// The reload the test waits for can end a poll midway.
			if !strings.Contains(err.Error(), "navigated or closed") || time.Now().After(deadline) {
				t.Fatalf("%v\n%s%s", err, s.stdout, s.stderr)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	if err := tab.Navigate(s.url + "a/"); err != nil {
		t.Fatal(err)
	}
	wait(`document.body.textContent.includes("Chào.")`)
	waitStream()

	// A flag set on the page survives anything but a reload.
	if err := tab.Eval(`window.sxshStale = true`, nil); err != nil {
		t.Fatal(err)
	}
	writeFile(t, dir, "content/a.vi.md", "+++\ntitle = \"A\"\n+++\nTạm biệt.\n")
	wait(`!window.sxshStale && document.body.textContent.includes("Tạm biệt.")`)
	waitStream()

	writeFile(t, dir, "content/a.vi.md", "+++\ntitle = \"A\"\ntittle = \"B\"\n+++\n")
	wait(`document.title.includes("The site has errors") && document.body.textContent.includes("content/a.vi.md:3: unknown key")`)
	// The colour comes from /__sxsh/error.css: the style sheet loaded.
	wait(`getComputedStyle(document.querySelector("h1")).color === "rgb(161, 27, 15)"`)
	waitStream()

	writeFile(t, dir, "content/a.vi.md", "+++\ntitle = \"A\"\n+++\nĐã sửa.\n")
	wait(`document.body.textContent.includes("Đã sửa.")`)

	for _, p := range tab.Problems() {
		// The error page's own status is logged as a failed load.
		if !strings.Contains(p, "status of 500") {
			t.Errorf("browser: %s", p)
		}
	}
}

// The address of a draft, a scheduled or an expired page says why it shows
// nothing, in the language of the address, and an address close to a
// page's suggests it.
func TestServeExplainsMissingPages(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	dir := writeSite(t, map[string]string{
		"site.toml":                     "[languages.vi]\ntitle = \"Thử\"\n[languages.en]\ntitle = \"Test\"\nweight = 2\n",
		"content/tin-tuc/_index.vi.md":  "+++\ntitle = \"Tin tức\"\n+++\n",
		"content/tin-tuc/_index.en.md":  "+++\ntitle = \"News\"\nslug = \"news\"\n+++\n",
		"content/tin-tuc/a.vi.md":       "+++\ntitle = \"A\"\n+++\nChào.\n",
		"content/tin-tuc/nhap.vi.md":    "+++\ntitle = \"Nháp\"\ndraft = true\n+++\n",
		"content/tin-tuc/sau.en.md":     "+++\ntitle = \"Later\"\ndate = 2999-01-02\n+++\n",
		"content/tin-tuc/het-han.vi.md": "+++\ntitle = \"Hết hạn\"\ndate = 2020-01-01\nexpiryDate = 2020-02-03\n+++\n",
		"content/tin-tuc/het-han.en.md": "+++\ntitle = \"Expired\"\ndate = 2020-01-01\n\nexpiryDate = 2020-02-03\n+++\n",
	})
	s := startServe(t, "--source", dir, "--port", "0")
	for _, tt := range []struct{ path, want string }{
		{"tin-tuc/nhap/", "Trang này là bản nháp (draft = true trong content/tin-tuc/nhap.vi.md:3). Để xem trước: sxsh serve --drafts, hoặc xoá dòng draft = true."},
		{"en/news/sau/", "This page is scheduled for 2 Jan 2999 (date in content/tin-tuc/sau.en.md:3)."},
		{"tin-tuc/het-han/", "Trang này đã hết hạn ngày 03/02/2020 (expiryDate trong content/tin-tuc/het-han.vi.md:4)"},
		{"en/news/het-han/", "This page expired on 3 Feb 2020 (expiryDate in content/tin-tuc/het-han.en.md:5)"},
		{"tin-tuc/b/", "Có phải bạn muốn tìm:"},
	} {
		code, body := httpGet(t, s.url+tt.path)
		text := strings.Join(strings.Fields(strings.NewReplacer("<p>", " ", "</p>", " ").Replace(body)), " ")
		if code != 404 || !strings.Contains(text, tt.want) {
			t.Errorf("/%s: %d, lacks %q:\n%s", tt.path, code, tt.want, body)
		}
	}
	if _, body := httpGet(t, s.url+"tin-tuc/b/"); !strings.Contains(body, `href="/tin-tuc/a/"`) {
		t.Errorf("/tin-tuc/b/ does not suggest /tin-tuc/a/:\n%s", body)
	}
}

// One broken file hides nothing else: the other pages are served with its
// error at their top, its own address shows the error, and once it is
// fixed the pages reload without it.
func TestServeBuildsAroundABrokenFile(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	dir := writeSite(t, map[string]string{
		"site.toml":               "[languages.vi]\ntitle = \"Thử\"\n",
		"content/tin-tuc/a.vi.md": "+++\ntitle = \"A\"\n+++\nBài A, xem [B](b.vi.md).\n",
		"content/tin-tuc/b.vi.md": "+++\ntitle = \"B\"\n+++\nBài B.\n",
		"content/tin-tuc/c.vi.md": "+++\ntitle = \"C\"\nimage = \"/images/c.svg\"\n+++\nBài C.\n",
		"static/images/c.svg":     "<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>",
	})
	s := startServe(t, "--source", dir, "--port", "0")
	events := sseEvents(t, s.url)
	waitEvent(t, events, "hello")

	writeFile(t, dir, "content/tin-tuc/b.vi.md", "+++\ntitle = \"B\"\ndate = \"hôm nay\"\n+++\nBài B.\n")
	writeFile(t, dir, "content/tin-tuc/c.vi.md", "+++\ntitle = \"C\"\nimage = \"/images/khong-co.svg\"\n+++\nBài C.\n")
	const errB, errC = "content/tin-tuc/b.vi.md:3", "content/tin-tuc/c.vi.md:3: image /images/khong-co.svg is not in static/"
	msg := waitEvent(t, events, "error")
	if !strings.Contains(msg, errB) || !strings.Contains(msg, errC) {
		msg = waitEvent(t, events, "error") // two saves may give two builds
	}
	if !strings.Contains(msg, errB) || !strings.Contains(msg, errC) {
		t.Fatalf("error event %q lacks %s or %s", msg, errB, errC)
	}
	for _, p := range []string{"", "tin-tuc/", "tin-tuc/a/"} {
		code, body := httpGet(t, s.url+p)
		if code != 200 || !strings.Contains(body, `class="sxsh-errors"`) || !strings.Contains(body, errB) || !strings.Contains(body, errC) {
			t.Errorf("/%s: %d, want the page with both errors at its top:\n%s", p, code, body)
		}
	}
	if _, body := httpGet(t, s.url+"tin-tuc/a/"); !strings.Contains(body, "Bài A") || !strings.Contains(body, `href="/tin-tuc/b/"`) {
		t.Errorf("the page linking to the broken one:\n%s", body)
	}
	for _, tt := range []struct{ path, file, err string }{
		{"tin-tuc/b/", "content/tin-tuc/b.vi.md", errB},
		{"tin-tuc/c/", "content/tin-tuc/c.vi.md", errC},
	} {
		code, body := httpGet(t, s.url+tt.path)
		if code != 500 || !strings.Contains(body, "This page ("+tt.file+") is not built") || !strings.Contains(body, tt.err) {
			t.Errorf("/%s: %d, want its error:\n%s", tt.path, code, body)
		}
	}
	if out := s.stderr.String(); !strings.Contains(out, errB) || !strings.Contains(out, "built with 2 errors") {
		t.Errorf("stderr:\n%s", out)
	}

	writeFile(t, dir, "content/tin-tuc/b.vi.md", "+++\ntitle = \"B\"\n+++\nBài B đã sửa.\n")
	writeFile(t, dir, "content/tin-tuc/c.vi.md", "+++\ntitle = \"C\"\nimage = \"/images/c.svg\"\n+++\nBài C đã sửa.\n")
	deadline := time.Now().Add(20 * time.Second)
	for {
		name := ""
		select {
		case ev := <-events:
			name = ev[0]
		case <-time.After(time.Until(deadline)):
			t.Fatal("no clean build after the fixes")
		}
		if name != "reload" {
			continue
		}
		if code, body := httpGet(t, s.url+"tin-tuc/b/"); code == 200 && strings.Contains(body, "Bài B đã sửa.") {
			if _, c := httpGet(t, s.url+"tin-tuc/c/"); strings.Contains(c, "Bài C đã sửa.") {
				break
			}
		}
	}
	for _, p := range []string{"", "tin-tuc/a/", "tin-tuc/b/", "tin-tuc/c/"} {
		if code, body := httpGet(t, s.url+p); code != 200 || strings.Contains(body, "sxsh-errors") {
			t.Errorf("/%s after the fixes: %d\n%s", p, code, body)
		}
	}
}
