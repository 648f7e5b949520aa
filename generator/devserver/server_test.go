package devserver

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sxsh/generator/diag"
	"sxsh/generator/testenv"
)

// TestMain runs the tests with their folders in memory (see testenv).
func TestMain(m *testing.M) { testenv.Main(m) }

func TestInject(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"before body end", "<html><body><p>x</p></body></html>",
			"<html><body><p>x</p>" + ScriptTag + "</body></html>"},
		{"upper case", "<HTML><BODY>x</BODY></HTML>",
			"<HTML><BODY>x" + ScriptTag + "</BODY></HTML>"},
		{"the last of several", "<body><pre>&lt;/body&gt; </body></pre></body>",
			"<body><pre>&lt;/body&gt; </body></pre>" + ScriptTag + "</body>"},
		{"no body end", "<!doctype html><title>x</title><p>x",
			"<!doctype html><title>x</title><p>x" + ScriptTag},
		{"empty", "", ScriptTag},
		{"already there", "<body>" + ScriptTag + "</body>", "<body>" + ScriptTag + "</body>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(Inject([]byte(tt.in))); got != tt.want {
				t.Errorf("Inject(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func FuzzInject(f *testing.F) {
	for _, s := range []string{"", "<body></body>", "</BODY>", "<p>x", "</body></body>", ScriptTag} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, page string) {
		out := string(Inject([]byte(page)))
		if strings.Contains(page, ScriptTag) {
			if out != page {
				t.Fatalf("a page with the tag was changed: %q", out)
			}
			return
		}
		if n := strings.Count(out, ScriptTag); n != 1 {
			t.Fatalf("%d tags in %q", n, out)
		}
		if strings.Replace(out, ScriptTag, "", 1) != page {
			t.Fatalf("Inject changed more than the tag: %q", out)
		}
	})
}

// builtSite makes a folder as a build leaves it.
func builtSite(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "site")
	for name, body := range map[string]string{
		"index.html":         "<!doctype html><html><body><h1>Trang chủ</h1></body></html>",
		"tin-tuc/index.html": "<html><body><h1>Tin tức</h1></body></html>",
		"bare.html":          "<p>no body end",
		"404.html":           "<html><body><h1>Không tìm thấy trang</h1></body></html>",
		"css/site.abc.css":   "body{color:red}",
		"js/search.js":       "console.log(1)",
		"index.xml":          "<rss></rss>",
		"vi/index.json":      `{"a":1}`,
		"img/logo.svg":       "<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>",
		"img/photo.png":      "\x89PNG\r\n\x1a\n....",
		"files/bao-cao.pdf":  "%PDF-1.4 </body>",
		"empty/.keep":        "",
	} {
		write(t, dir, name, body)
	}
	// Outside the served folder: must never be reachable.
	write(t, filepath.Dir(dir), "secret.txt", "secret")
	return dir
}

type response struct {
	status int
	header http.Header
	body   string
}

func get(t *testing.T, h http.Handler, method, target string) response {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(method, target, nil))
	body, _ := io.ReadAll(rec.Result().Body)
	return response{rec.Code, rec.Result().Header, string(body)}
}

func TestServer(t *testing.T) {
	srv := NewServer(builtSite(t), NewBroker(time.Hour), diag.Translator{})
	tests := []struct {
		path     string
		status   int
		ctype    string
		contains string
		scripts  int // times ScriptTag appears
		location string
	}{
		{"/", 200, "text/html; charset=utf-8", "Trang chủ", 1, ""},
		{"/index.html", 200, "text/html; charset=utf-8", "Trang chủ", 1, ""},
		{"/tin-tuc/", 200, "text/html; charset=utf-8", "Tin tức", 1, ""},
		{"/tin-tuc", 302, "", "", 0, "/tin-tuc/"},
		{"/tin-tuc?page=2", 302, "", "", 0, "/tin-tuc/?page=2"},
		{"/bare.html", 200, "text/html; charset=utf-8", "<p>no body end" + ScriptTag, 1, ""},
		{"/khong-co/", 404, "text/html; charset=utf-8", "Không tìm thấy trang", 1, ""},
		{"/khong-co.css", 404, "text/html; charset=utf-8", "Không tìm thấy trang", 1, ""},
		{"/empty/", 404, "text/html; charset=utf-8", "Không tìm thấy trang", 1, ""},
		{"/../secret.txt", 404, "text/html; charset=utf-8", "Không tìm thấy trang", 1, ""},
		{"/css/site.abc.css", 200, "text/css; charset=utf-8", "body{color:red}", 0, ""},
		{"/js/search.js", 200, "text/javascript; charset=utf-8", "console.log(1)", 0, ""},
		{"/index.xml", 200, "application/xml; charset=utf-8", "<rss></rss>", 0, ""},
		{"/vi/index.json", 200, "application/json", `{"a":1}`, 0, ""},
		{"/img/logo.svg", 200, "image/svg+xml", "<svg", 0, ""},
		{"/img/photo.png", 200, "image/png", "PNG", 0, ""},
		{"/files/bao-cao.pdf", 200, "application/pdf", "%PDF-1.4 </body>", 0, ""},
		{ScriptPath, 200, "text/javascript; charset=utf-8", "EventSource", 0, ""},
		{StylePath, 200, "text/css; charset=utf-8", "font", 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			r := get(t, srv, http.MethodGet, tt.path)
			if r.status != tt.status {
				t.Fatalf("status %d, want %d", r.status, tt.status)
			}
			if cc := r.header.Get("Cache-Control"); cc != "no-store" {
				t.Errorf("Cache-Control %q", cc)
			}
			if tt.ctype != "" && r.header.Get("Content-Type") != tt.ctype {
				t.Errorf("Content-Type %q, want %q", r.header.Get("Content-Type"), tt.ctype)
			}
			if !strings.Contains(r.body, tt.contains) {
				t.Errorf("body %q lacks %q", r.body, tt.contains)
			}
			if n := strings.Count(r.body, ScriptTag); n != tt.scripts {
				t.Errorf("%d script tags, want %d", n, tt.scripts)
			}
			if tt.location != "" && r.header.Get("Location") != tt.location {
				t.Errorf("Location %q, want %q", r.header.Get("Location"), tt.location)
			}
			if strings.Contains(r.body, "secret") {
				t.Error("served a file outside the folder")
			}
			if r.header.Get("Last-Modified") != "" {
				t.Error("Last-Modified invites conditional requests that could answer with an old build")
			}
		})
	}
}

func TestServerHeadAndMethods(t *testing.T) {
	srv := NewServer(builtSite(t), NewBroker(time.Hour), diag.Translator{})
	head := get(t, srv, http.MethodHead, "/")
	full := get(t, srv, http.MethodGet, "/")
	if head.status != 200 || head.header.Get("Content-Length") != full.header.Get("Content-Length") {
		t.Errorf("HEAD: status %d, length %q; GET length %q", head.status, head.header.Get("Content-Length"), full.header.Get("Content-Length"))
	}
	if r := get(t, srv, http.MethodPost, "/"); r.status != http.StatusMethodNotAllowed {
		t.Errorf("POST: status %d", r.status)
	}
}

func TestServerWithout404Page(t *testing.T) {
	dir := builtSite(t)
	must(t, os.Remove(filepath.Join(dir, "404.html")))
	r := get(t, NewServer(dir, NewBroker(time.Hour), diag.Translator{}), http.MethodGet, "/khong-co/")
	if r.status != 404 || !strings.Contains(r.body, "not found") {
		t.Errorf("status %d, body %q", r.status, r.body)
	}
}

func TestServerErrorPage(t *testing.T) {
	srv := NewServer(builtSite(t), NewBroker(time.Hour), diag.Translator{})
	errs := diag.List{
		diag.Errorf("content/tin-tuc/a.vi.md", 3, 1, "front matter: unknown key %q", "tittle"),
		diag.Errorf("layouts/_default/single.html", 7, 12, "<script>alert(1)</script> & more"),
	}
	srv.SetErrors(errs)
	for _, p := range []string{"/", "/tin-tuc/", "/bare.html", "/khong-co/"} {
		t.Run("page "+p, func(t *testing.T) {
			r := get(t, srv, http.MethodGet, p)
			if r.status != http.StatusInternalServerError {
				t.Fatalf("status %d, want 500", r.status)
			}
			if ct := r.header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
				t.Errorf("Content-Type %q", ct)
			}
			for _, want := range []string{
				errorTitle,
				"content/tin-tuc/a.vi.md:3:1: front matter: unknown key &#34;tittle&#34;",
				"layouts/_default/single.html:7:12: &lt;script&gt;alert(1)&lt;/script&gt; &amp; more",
				`<link rel="stylesheet" href="` + StylePath + `">`,
				ScriptTag,
			} {
				if !strings.Contains(r.body, want) {
					t.Errorf("the error page lacks %q:\n%s", want, r.body)
				}
			}
			if strings.Contains(r.body, "<script>alert") {
				t.Error("a diagnostic was not escaped")
			}
			if strings.Contains(r.body, "<style") || strings.Contains(r.body, " style=") {
				t.Error("inline style breaks under the site's Content-Security-Policy")
			}
			if strings.Count(r.body, "<script") != 1 {
				t.Error("the error page must hold the reload script and no other")
			}
		})
	}
	for _, p := range []string{"/css/site.abc.css", "/img/logo.svg", "/files/bao-cao.pdf", ScriptPath, StylePath} {
		t.Run("file "+p, func(t *testing.T) {
			if r := get(t, srv, http.MethodGet, p); r.status != 200 {
				t.Errorf("status %d: the last good build's files must keep serving", r.status)
			}
		})
	}
	srv.SetErrors(nil)
	t.Run("fixed", func(t *testing.T) {
		r := get(t, srv, http.MethodGet, "/")
		if r.status != 200 || !strings.Contains(r.body, "Trang chủ") || strings.Contains(r.body, errorTitle) {
			t.Errorf("after a good build: status %d, body %q", r.status, r.body)
		}
	})
}

// While a build swaps its new folder in, the served folder is missing for a
// moment; a request then must wait for it, not answer 404.
func TestServerWaitsOutTheSwap(t *testing.T) {
	dir := builtSite(t)
	srv := NewServer(dir, NewBroker(time.Hour), diag.Translator{})
	aside := dir + ".old"
	must(t, os.Rename(dir, aside))
	done := make(chan response, 1)
	go func() { done <- get(t, srv, http.MethodGet, "/tin-tuc/") }()
	time.Sleep(50 * time.Millisecond)
	must(t, os.Rename(aside, dir))
	select {
	case r := <-done:
		if r.status != 200 || !strings.Contains(r.body, "Tin tức") {
			t.Errorf("status %d, body %q", r.status, r.body)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no answer")
	}
}

func TestReloadScriptHasNoInlineHandlers(t *testing.T) {
	js, err := assets.ReadFile("assets/reload.js")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{EventsPath, `"reload"`, `"error"`, `"hello"`, "location.reload"} {
		if !bytes.Contains(js, []byte(want)) {
			t.Errorf("reload.js lacks %s", want)
		}
	}
}

// TestServerErrorPageLanguage: the error page speaks the editor's language,
// and says so in <html lang>.
func TestServerErrorPageLanguage(t *testing.T) {
	errs := diag.List{diag.Errorf("content/a.vi.md", 3, 0, "unknown key %q (did you mean %q?)", "tittle", "title")}
	for _, tt := range []struct {
		tr   diag.Translator
		want []string
	}{
		{diag.NewTranslator("vi"), []string{`<html lang="vi">`, "<title>Lỗi khi dựng trang web</title>", "Hãy sửa lỗi dưới đây rồi lưu tệp",
			"content/a.vi.md:3: không có khóa &#34;tittle&#34; (có phải ý bạn là &#34;title&#34;?)", "chưa xuất bản gì cả"}},
		{diag.NewTranslator("en"), []string{`<html lang="en">`, "<title>The site has errors</title>", "Fix the error below and save the file",
			"content/a.vi.md:3: unknown key &#34;tittle&#34; (did you mean &#34;title&#34;?)", "nothing has been published"}},
	} {
		srv := NewServer(builtSite(t), NewBroker(time.Hour), tt.tr)
		srv.SetErrors(errs)
		r := get(t, srv, http.MethodGet, "/")
		for _, want := range tt.want {
			if !strings.Contains(r.body, want) {
				t.Errorf("%s: the error page lacks %q:\n%s", tt.tr.Lang(), want, r.body)
			}
		}
	}
}
