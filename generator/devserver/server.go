// Package devserver previews a site while it is being written: it serves the
// built folder over HTTP, watches the sources, rebuilds after each burst of
// changes and tells the open pages to reload, by server-sent events. A
// failed build replaces every page with the list of its errors, while the
// last good build keeps serving everything else; a build that published
// all but its broken pages shows their errors at their addresses and at
// the top of every other page.
//
// It knows nothing of how a site is built: the caller hands Run a build
// function, so the dependency points from the command to both this package
// and the site pipeline.
package devserver

import (
	"bytes"
	"embed"
	"errors"
	"html/template"
	"io/fs"
	"mime"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"sxsh/generator/diag"
)

// Paths that the server answers itself, whatever the built site holds: the
// prefix is one no site of this kind publishes.
const (
	EventsPath = "/__sxsh/events"
	ScriptPath = "/__sxsh/reload.js"
	StylePath  = "/__sxsh/error.css"
)

// ScriptTag is what every HTML response gets before </body>: a script file,
// never inline script, so that pages keep working under the site's
// Content-Security-Policy.
const ScriptTag = `<script src="` + ScriptPath + `" defer></script>`

// errorTitle heads the error page, in English: Server shows it in the
// editor's language, as it does the diagnostics.
const errorTitle = "The site has errors"

// csp is the policy the README asks web servers to send, so that the
// preview fails where the published site would.
const csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; frame-ancestors 'self'; form-action 'self'"

//go:embed assets/reload.js assets/error.css assets/notice.css
var assets embed.FS

const errorHTML = `<!DOCTYPE html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<link rel="stylesheet" href="{{.Style}}">
<link rel="icon" href="data:,">
</head>
<body>
<main>
<h1>{{.Title}}</h1>
{{if eq .Lang "vi"}}{{with .Page}}<p>Trang này ({{.}}) chưa dựng được vì {{if eq (len $.Errors) 1}}lỗi{{else}}{{len $.Errors}} lỗi{{end}} dưới đây. Sửa rồi lưu tệp: trang sẽ tự tải lại.</p>
{{else}}<p>Hãy sửa {{if eq (len .Errors) 1}}lỗi{{else}}{{len .Errors}} lỗi{{end}} dưới đây rồi lưu tệp: trang sẽ tự tải lại.</p>
{{end}}{{else}}{{with .Page}}<p>This page ({{.}}) is not built because of the {{if eq (len $.Errors) 1}}error{{else}}{{len $.Errors}} errors{{end}} below. Fix and save the file: this page reloads by itself.</p>
{{else}}<p>Fix the {{if eq (len .Errors) 1}}error{{else}}{{len .Errors}} errors{{end}} below and save the file: this page reloads by itself.</p>
{{end}}{{end}}<ol>
{{range .Errors}}<li><code>{{.}}</code></li>
{{end}}</ol>
{{with .Others}}<h2>{{if eq $.Lang "vi"}}Lỗi ở các trang khác{{else}}Errors elsewhere{{end}}</h2>
<ol>
{{range .}}<li><code>{{.}}</code></li>
{{end}}</ol>
{{end}}<p class="note">{{if eq .Lang "vi"}}{{if .Page}}Các trang không có lỗi vẫn xem được, mỗi trang kèm danh sách lỗi; chưa có gì được xuất bản.{{else}}Trang web dựng thành công lần trước vẫn được giữ nguyên; chưa xuất bản gì cả.{{end}}{{else}}{{if .Page}}The pages without errors still show, each with the list of errors; nothing has been published.{{else}}The last good build is kept; nothing has been published.{{end}}{{end}}</p>
</main>
` + ScriptTag + `
</body>
</html>
`

// Server serves a built site from a folder the way the published site will
// be served (index.html for folders, the site's 404.html for missing
// paths), adds the live-reload script to every HTML response, forbids
// caching so that a reload always shows the latest build, and, after a
// failed build, answers every HTML page with the error page. After a build
// that published all but its broken pages, the addresses of those show
// their errors, and every other page lists them at its top. A missing
// page says why when the site knows: a draft, a page scheduled for later,
// an expired one, a moved one, or an address close to a page's.
type Server struct {
	root   string
	broker *Broker
	page   *template.Template
	notice *template.Template
	tr     diag.Translator

	mu   sync.RWMutex
	errs diag.List
	site *site // nil until a build publishes
}

// NewServer serves the folder root, and the event stream of broker at
// EventsPath. The error page and the error list speak the language of tr.
func NewServer(root string, broker *Broker, tr diag.Translator) *Server {
	return &Server{
		root:   root,
		broker: broker,
		page:   template.Must(template.New("error").Parse(errorHTML)),
		notice: template.Must(template.New("notice").Parse(noticeHTML)),
		tr:     tr,
	}
}

// SetOutcome records what a build that published tells: it ends the error
// page of a failed build, and says which pages are broken or left out.
func (s *Server) SetOutcome(o Outcome) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.errs = nil
	o.Errors = append(diag.List(nil), o.Errors...)
	s.site = indexOutcome(o, s.site)
}

func (s *Server) current() *site {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.site
}

// SetErrors records the diagnostics of a failed build, switching HTML pages
// to the error page; an empty list (a successful build) switches them back.
func (s *Server) SetErrors(l diag.List) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.errs = append(diag.List(nil), l...)
}

// Errors returns the diagnostics the error page shows, none while the last
// build succeeded.
func (s *Server) Errors() diag.List {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.errs
}

// ServeHTTP answers GET and HEAD for the site and the server's own files.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	if r.URL.Path == EventsPath {
		s.broker.ServeHTTP(w, r)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	switch r.URL.Path {
	case ScriptPath:
		s.asset(w, "assets/reload.js", "text/javascript; charset=utf-8")
		return
	case StylePath:
		s.asset(w, "assets/error.css", "text/css; charset=utf-8")
		return
	case NoticePath:
		s.asset(w, "assets/notice.css", "text/css; charset=utf-8")
		return
	}
	h.Set("Content-Security-Policy", csp)

	upath := r.URL.Path
	if !strings.HasPrefix(upath, "/") {
		upath = "/" + upath
	}
	full := filepath.Join(s.root, filepath.FromSlash(path.Clean(upath)))
	fi, err := s.stat(full)
	if err == nil && fi.IsDir() {
		if !strings.HasSuffix(upath, "/") {
			// Relative links in the page resolve against the folder only
			// with the slash; a temporary redirect, so browsers keep no
			// memory of it across builds.
			target := upath + "/"
			if r.URL.RawQuery != "" {
				target += "?" + r.URL.RawQuery
			}
			http.Redirect(w, r, target, http.StatusFound)
			return
		}
		full = filepath.Join(full, "index.html")
		fi, err = s.stat(full)
	}
	missing := err != nil || fi.IsDir()
	if errs := s.Errors(); len(errs) > 0 && (missing || isHTML(full)) {
		s.errorPage(w, "", errs, nil)
		return
	}
	st := s.current()
	if missing || isHTML(full) {
		if b, ok := st.brokenAt(upath); ok {
			s.errorPage(w, b.where(), b.Errors, st.othersThan(b))
			return
		}
	}
	if missing {
		s.notFound(w, upath, st)
		return
	}
	if isHTML(full) {
		data, err := os.ReadFile(full)
		if err != nil {
			s.notFound(w, upath, st)
			return
		}
		s.html(w, http.StatusOK, s.withBanner(data, st))
		return
	}
	f, err := os.Open(full)
	if err != nil {
		s.notFound(w, upath, st)
		return
	}
	defer f.Close()
	if ct := contentType(full); ct != "" {
		h.Set("Content-Type", ct)
	}
	// A zero time sends no Last-Modified, so no conditional request can
	// answer 304 with a page from an older build.
	http.ServeContent(w, r, full, time.Time{}, f)
}

// stat is os.Stat that waits out the moment, while a build swaps the new
// site in for the old one, when the served folder does not exist.
func (s *Server) stat(name string) (fs.FileInfo, error) {
	fi, err := os.Stat(name)
	for i := 0; err != nil && i < 100; i++ {
		_, rerr := os.Stat(s.root)
		if rerr == nil {
			// The folder is there, perhaps back since the first look:
			// look once more, so that the swap is not taken for a 404.
			return os.Stat(name)
		}
		if !errors.Is(rerr, fs.ErrNotExist) {
			break
		}
		time.Sleep(10 * time.Millisecond)
		fi, err = os.Stat(name)
	}
	return fi, err
}

func (s *Server) asset(w http.ResponseWriter, name, ctype string) {
	data, err := assets.ReadFile(name)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", ctype)
	_, _ = w.Write(data)
}

// notFound answers with the site's 404 page, or a plain one where the
// site has none, and what the last build knows of the address at its top.
func (s *Server) notFound(w http.ResponseWriter, upath string, st *site) {
	data, err := os.ReadFile(filepath.Join(s.root, "404.html"))
	if err != nil {
		data = []byte("<!DOCTYPE html>\n<html lang=\"vi\">\n<head><meta charset=\"utf-8\"><title>404</title></head>\n<body>\n<main>\n<h1>404 page not found</h1>\n</main>\n</body>\n</html>\n")
	}
	if h := st.hintFor(upath); h != nil {
		data = insertTop(data, s.hintHTML(h), "<main", "<body")
	}
	s.html(w, http.StatusNotFound, s.withBanner(data, st))
}

// withBanner puts the list of the last build's errors at the top of a
// page, when it had any.
func (s *Server) withBanner(page []byte, st *site) []byte {
	if b := s.banner(st); b != nil {
		return insertTop(page, b, "<body")
	}
	return page
}

// errorPage lists errs; where names the broken page they keep out, ""
// when the whole build failed, and others are the rest of its errors.
func (s *Server) errorPage(w http.ResponseWriter, where string, errs, others diag.List) {
	strs := func(l diag.List) []string {
		out := make([]string, len(l))
		for i, d := range l {
			out[i] = s.tr.Diagnostic(d)
		}
		return out
	}
	var buf bytes.Buffer
	err := s.page.Execute(&buf, struct {
		Lang, Title, Style, Page string
		Errors, Others           []string
	}{s.tr.Lang(), s.tr.Msg(errorTitle), StylePath, where, strs(errs), strs(others)})
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusInternalServerError)
	_, _ = w.Write(buf.Bytes())
}

func (s *Server) html(w http.ResponseWriter, status int, page []byte) {
	page = Inject(page)
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(page)))
	w.WriteHeader(status)
	_, _ = w.Write(page)
}

// Inject returns page with ScriptTag before its last </body>, or at its end
// when it has none; a page that already has the tag is returned as it is.
func Inject(page []byte) []byte {
	tag := []byte(ScriptTag)
	if bytes.Contains(page, tag) {
		return page
	}
	i := lastIndexFold(page, []byte("</body>"))
	if i < 0 {
		i = len(page)
	}
	out := make([]byte, 0, len(page)+len(tag))
	out = append(out, page[:i]...)
	out = append(out, tag...)
	return append(out, page[i:]...)
}

// lastIndexFold is bytes.LastIndex ignoring ASCII case, since HTML tag
// names are case-insensitive.
func lastIndexFold(s, sep []byte) int {
	for i := len(s) - len(sep); i >= 0; i-- {
		if bytes.EqualFold(s[i:i+len(sep)], sep) {
			return i
		}
	}
	return -1
}

func isHTML(name string) bool {
	ext := strings.ToLower(filepath.Ext(name))
	return ext == ".html" || ext == ".htm"
}

// contentType names the types the site publishes whatever the machine's own
// MIME table says, which varies between systems.
func contentType(name string) string {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".css":
		return "text/css; charset=utf-8"
	case ".js", ".mjs":
		return "text/javascript; charset=utf-8"
	case ".json":
		return "application/json"
	case ".webmanifest":
		return "application/manifest+json"
	case ".xml":
		return "application/xml; charset=utf-8"
	case ".svg":
		return "image/svg+xml"
	case ".txt":
		return "text/plain; charset=utf-8"
	case ".webp":
		return "image/webp"
	case ".avif":
		return "image/avif"
	case ".pdf":
		return "application/pdf"
	case ".mp3":
		return "audio/mpeg"
	case ".mp4":
		return "video/mp4"
	}
	return mime.TypeByExtension(filepath.Ext(name))
}
