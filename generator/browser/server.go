package browser

import (
	"compress/gzip"
	"fmt"
	"net"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Server serves a folder on 127.0.0.1 as a production web server would:
// index.html for folders, gzip for text when the client accepts it, the
// deploy guide's caching (a year, immutable, for fingerprinted files and
// the search index; five minutes for the rest), and the
// Content-Security-Policy the site is built for (script-src 'self'), so
// that an inline script shows up as a console error. It counts what it
// sends.
type Server struct {
	// URL is the root of the site, without a trailing slash:
	// "http://127.0.0.1:PORT".
	URL string

	srv  *http.Server
	done chan struct{}

	mu   sync.Mutex
	sent []Response
	gen  int // counts Resets

	noRanges atomic.Bool
}

// IgnoreRanges makes the server answer every request with the whole file,
// whatever Range it asks for, as simple servers (Python's http.server) do.
func (s *Server) IgnoreRanges() { s.noRanges.Store(true) }

// Response is one response a Server sent.
type Response struct {
	Path   string // the request's URL path
	Range  string // the request's Range header, if any
	Status int
	// Bytes counts the body as sent: gzipped where gzipped, headers not
	// included.
	Bytes int64
}

// Stats is what a Server sent since it started or was last reset.
type Stats struct {
	Requests int64
	Bytes    int64 // bodies as sent, see Response
}

// NewServer starts serving dir on a free port of 127.0.0.1. Close stops it.
func NewServer(dir string) (*Server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("browser: listening on 127.0.0.1: %w", err)
	}
	s := &Server{URL: "http://" + ln.Addr().String(), done: make(chan struct{})}
	s.srv = &http.Server{Handler: s.handler(dir, http.FileServer(http.Dir(dir))), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		defer close(s.done)
		// Serve fails only if the listener breaks; the browser then
		// reports failed loads, which tests see.
		_ = s.srv.Serve(ln)
	}()
	return s, nil
}

// Serve starts a Server for a test and stops it when the test ends.
func Serve(t testing.TB, dir string) *Server {
	t.Helper()
	s, err := NewServer(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// Close stops the server and waits for it. It closes connections at once
// rather than gracefully: Chromium opens spare connections ahead of need,
// and a graceful shutdown would wait seconds for them.
func (s *Server) Close() {
	_ = s.srv.Close()
	<-s.done
}

// Responses returns the responses sent since the start or the last Reset,
// in the order their headers were sent. A response is counted, byte by
// byte, before its bytes reach the connection: once a client has read a
// whole body, the count holds all of it.
func (s *Server) Responses() []Response {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Response(nil), s.sent...)
}

// Stats adds up the Responses.
func (s *Server) Stats() Stats {
	var st Stats
	for _, r := range s.Responses() {
		st.Requests++
		st.Bytes += r.Bytes
	}
	return st
}

// Reset forgets the responses sent so far.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sent = nil
	s.gen++
}

func (s *Server) handler(dir string, files http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// nginx's strong validator, which lets a browser keep byte
		// ranges of a file and ask for the rest with If-Range.
		if fi, err := os.Stat(filepath.Join(dir, filepath.FromSlash(path.Clean("/"+r.URL.Path)))); err == nil && !fi.IsDir() {
			w.Header().Set("ETag", fmt.Sprintf(`"%x-%x"`, fi.ModTime().Unix(), fi.Size()))
		}
		w.Header().Set("Content-Security-Policy", "script-src 'self'")
		if fingerprinted.MatchString(r.URL.Path) || strings.HasPrefix(r.URL.Path, "/search/") {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			w.Header().Set("Cache-Control", "public, max-age=300")
		}
		cw := &countingWriter{ResponseWriter: w, s: s, path: r.URL.Path, rng: r.Header.Get("Range"), at: -1}
		if s.noRanges.Load() {
			r.Header.Del("Range")
		}
		if acceptsGzip(r.Header.Get("Accept-Encoding")) {
			// Like nginx, only whole (200) responses are gzipped; a
			// byte range (206, the search index's packs) goes as it is.
			gw := &gzipWriter{countingWriter: cw}
			files.ServeHTTP(gw, r)
			gw.close()
		} else {
			files.ServeHTTP(cw, r)
		}
		cw.WriteHeader(http.StatusOK) // an empty body still counts
	})
}

// fingerprinted matches the names sxsh fingerprints: site.dd556f45.css.
var fingerprinted = regexp.MustCompile(`\.[0-9a-f]{8}\.(css|js|json)$`)

func acceptsGzip(h string) bool {
	for _, part := range strings.Split(h, ",") {
		name, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(name), "gzip") && strings.ReplaceAll(q, " ", "") != "q=0" {
			return true
		}
	}
	return false
}

// compressible tells the content types a web server gzips: text, and the
// text formats that are not under text/.
func compressible(ctype string) bool {
	mt, _, _ := strings.Cut(ctype, ";")
	mt = strings.TrimSpace(strings.ToLower(mt))
	switch mt {
	case "application/json", "application/javascript", "application/xml", "application/rss+xml",
		"application/manifest+json", "image/svg+xml":
		return true
	}
	return strings.HasPrefix(mt, "text/")
}

// countingWriter records its response in the server when the header is
// sent and adds each write's bytes before passing them on.
type countingWriter struct {
	http.ResponseWriter
	s    *Server
	path string
	rng  string
	at   int // index in s.sent, -1 until the header is sent
	gen  int // s.gen when recorded: a Reset since then drops later counts
}

func (w *countingWriter) WriteHeader(code int) {
	if w.at >= 0 {
		return
	}
	w.s.mu.Lock()
	w.at, w.gen = len(w.s.sent), w.s.gen
	w.s.sent = append(w.s.sent, Response{Path: w.path, Range: w.rng, Status: code})
	w.s.mu.Unlock()
	w.ResponseWriter.WriteHeader(code)
}

func (w *countingWriter) Write(p []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	w.count(int64(len(p)))
	n, err := w.ResponseWriter.Write(p)
	w.count(int64(n - len(p))) // what did not go out
	return n, err
}

func (w *countingWriter) count(n int64) {
	if n == 0 {
		return
	}
	w.s.mu.Lock()
	if w.gen == w.s.gen {
		w.s.sent[w.at].Bytes += n
	}
	w.s.mu.Unlock()
}

// gzipWriter compresses the body when the response, once its headers are
// known, is a complete text file.
type gzipWriter struct {
	*countingWriter
	wrote bool
	gz    *gzip.Writer
}

func (w *gzipWriter) WriteHeader(code int) {
	if w.wrote {
		return
	}
	w.wrote = true
	h := w.Header()
	if code == http.StatusOK && h.Get("Content-Encoding") == "" && compressible(h.Get("Content-Type")) {
		h.Del("Content-Length")
		h.Del("Accept-Ranges")
		if etag := h.Get("ETag"); etag != "" && !strings.HasPrefix(etag, "W/") {
			h.Set("ETag", "W/"+etag) // as nginx does: not the file's bytes
		}
		h.Set("Content-Encoding", "gzip")
		h.Add("Vary", "Accept-Encoding")
		w.gz = gzip.NewWriter(w.countingWriter)
	}
	w.countingWriter.WriteHeader(code)
}

func (w *gzipWriter) Write(p []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	if w.gz != nil {
		return w.gz.Write(p)
	}
	return w.countingWriter.Write(p)
}

func (w *gzipWriter) close() {
	if w.gz != nil {
		_ = w.gz.Close()
	}
}
