package counter

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log"
	"mime"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"time"
	"unicode/utf8"
)

// Limits of what a hit may carry.
const (
	MaxBody = 2 << 10 // bytes of a hit's body
	MaxPath = 512     // bytes of a page's path
)

// Options configure a Server; the zero value of each field is a sensible
// default.
type Options struct {
	// Origins are the sites whose pages may call the counter from a
	// browser, as "https://example.org".
	Origins []string
	// TrustProxy takes the client's address from the last hop of
	// X-Forwarded-For, for a counter behind a reverse proxy.
	TrustProxy bool
	// Location is the time zone whose midnight starts a new day; Local
	// when nil.
	Location *time.Location
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Rate and Burst limit the requests of one address (10 a second,
	// bursts of 20 when zero).
	Rate  float64
	Burst int
	// Log receives errors of the store; none are logged when nil.
	Log *log.Logger
}

// Server is the counter's HTTP API: POST /api/hit counts a page view,
// GET /api/count answers the counts.
type Server struct {
	store   Store
	origins map[string]bool
	trust   bool
	loc     *time.Location
	now     func() time.Time
	tracker *Tracker
	limiter *Limiter
	log     *log.Logger
}

// NewServer returns a Server over store.
func NewServer(store Store, o Options) *Server {
	s := &Server{store: store, origins: originSet(o.Origins), trust: o.TrustProxy,
		loc: o.Location, now: o.Now, log: o.Log}
	if s.loc == nil {
		s.loc = time.Local
	}
	if s.now == nil {
		s.now = time.Now
	}
	rate, burst := o.Rate, o.Burst
	if rate <= 0 {
		rate = 10
	}
	if burst <= 0 {
		burst = 20
	}
	s.tracker = NewTracker(s.loc)
	s.limiter = NewLimiter(rate, burst)
	return s
}

// Mount adds the Server's routes to mux.
func (s *Server) Mount(mux *http.ServeMux) {
	mux.HandleFunc("POST /api/hit", s.guard(s.hit))
	mux.HandleFunc("GET /api/count", s.guard(s.count))
	mux.HandleFunc("OPTIONS /api/hit", s.guard(s.preflight))
	mux.HandleFunc("OPTIONS /api/count", s.guard(s.preflight))
}

// Handler returns a handler with the Server's routes alone.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	s.Mount(mux)
	return mux
}

// HTTPServer returns an http.Server for addr with timeouts that a slow or
// idle client cannot hold a connection past.
func (s *Server) HTTPServer(addr string) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           s.Handler(),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      10 * time.Second,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    16 << 10,
		ErrorLog:          s.log,
	}
}

// guard applies what every route shares: CORS, the refusal of foreign
// origins and the rate limit.
func (s *Server) guard(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Cache-Control", "no-store")
		hd.Add("Vary", "Origin")
		if o := r.Header.Get("Origin"); o != "" {
			switch {
			case s.origins[o]:
				hd.Set("Access-Control-Allow-Origin", o)
			case !sameHost(o, r.Host):
				// Another site's pages may not add to this one's count.
				fail(w, http.StatusForbidden, "origin not allowed")
				return
			}
		}
		if !s.limiter.Allow(rateKey(s.clientIP(r)), s.now()) {
			hd.Set("Retry-After", "1")
			fail(w, http.StatusTooManyRequests, "too many requests")
			return
		}
		h(w, r)
	}
}

// originSet is the set of the site's origins, as browsers send them: no
// trailing slash.
func originSet(origins []string) map[string]bool {
	set := map[string]bool{}
	for _, o := range origins {
		set[strings.TrimSuffix(o, "/")] = true
	}
	return set
}

func sameHost(origin, host string) bool {
	_, h, ok := strings.Cut(origin, "://")
	return ok && host != "" && h == host
}

func (s *Server) preflight(w http.ResponseWriter, r *http.Request) {
	hd := w.Header()
	if hd.Get("Access-Control-Allow-Origin") != "" {
		hd.Set("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
		hd.Set("Access-Control-Allow-Headers", "Content-Type")
		hd.Set("Access-Control-Max-Age", "86400")
	}
	w.WriteHeader(http.StatusNoContent)
}

// clientIP is the address the hit came from: the connection's, or behind
// a trusted proxy the one it reports last.
func (s *Server) clientIP(r *http.Request) string { return clientAddr(r, s.trust) }

// clientAddr is the address a request came from: the connection's, or,
// when trust is set (behind the site's own proxy), the one the proxy
// reports last.
func clientAddr(r *http.Request, trust bool) string {
	if trust {
		if xff := r.Header.Values("X-Forwarded-For"); len(xff) > 0 {
			last := xff[len(xff)-1]
			if i := strings.LastIndexByte(last, ','); i >= 0 {
				last = last[i+1:]
			}
			last = strings.TrimSpace(last)
			if a, err := netip.ParseAddr(last); err == nil {
				return a.Unmap().String()
			}
			// IIS's proxy (ARR) writes the client's port too: 1.2.3.4:51234.
			if ap, err := netip.ParseAddrPort(last); err == nil {
				return ap.Addr().Unmap().String()
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// rateKey groups IPv6 addresses by /64, which one subscriber usually
// holds whole.
func rateKey(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil || a.Is4() {
		return ip
	}
	p, _ := a.Prefix(64)
	return p.String()
}

// HitRequest is the body of POST /api/hit.
type HitRequest struct {
	Path     string `json:"path"`
	Lang     string `json:"lang,omitempty"`
	Referrer string `json:"referrer,omitempty"`
}

// Validate reports what is wrong with a hit, or nil.
func (h HitRequest) Validate() error {
	switch {
	case !strings.HasPrefix(h.Path, "/") || strings.HasPrefix(h.Path, "//"):
		return errors.New("path must start with one /")
	case len(h.Path) > MaxPath:
		return errors.New("path is too long")
	case !printable(h.Path) || strings.ContainsAny(h.Path, "?#"):
		return errors.New("path is not a page's path")
	case len(h.Lang) > 35 || !printable(h.Lang):
		return errors.New("lang is not a language tag")
	case len(h.Referrer) > 1024 || !printable(h.Referrer):
		return errors.New("referrer is not a URL")
	}
	return nil
}

func printable(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return false
		}
	}
	return true
}

func (s *Server) hit(w http.ResponseWriter, r *http.Request) {
	if r.ContentLength > MaxBody {
		fail(w, http.StatusRequestEntityTooLarge, "body too large")
		return
	}
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && mt != "text/plain") {
			fail(w, http.StatusUnsupportedMediaType, "body must be JSON")
			return
		}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			fail(w, http.StatusRequestEntityTooLarge, "body too large")
		} else {
			fail(w, http.StatusBadRequest, "body could not be read")
		}
		return
	}
	var h HitRequest
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&h); err != nil {
		fail(w, http.StatusBadRequest, "body is not a hit: "+err.Error())
		return
	}
	if dec.More() {
		fail(w, http.StatusBadRequest, "body has more than one hit")
		return
	}
	if err := h.Validate(); err != nil {
		fail(w, http.StatusBadRequest, err.Error())
		return
	}
	now := s.now()
	date := DateOf(now, s.loc)
	ua := r.UserAgent()
	var c Counts
	if IsBot(ua) {
		c, err = s.store.Counts(date, "")
	} else {
		visit := s.tracker.Hit(now, s.clientIP(r), ua)
		c, err = s.store.Hit(date, h.Path, visit)
	}
	if err != nil {
		s.storeFailed(w, err)
		return
	}
	answer(w, c)
}

func (s *Server) count(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Query().Get("path")
	if path != "" {
		if err := (HitRequest{Path: path}).Validate(); err != nil {
			fail(w, http.StatusBadRequest, err.Error())
			return
		}
	}
	c, err := s.store.Counts(DateOf(s.now(), s.loc), path)
	if err != nil {
		s.storeFailed(w, err)
		return
	}
	answer(w, c)
}

func (s *Server) storeFailed(w http.ResponseWriter, err error) {
	if s.log != nil {
		s.log.Printf("counter: %v", err)
	}
	fail(w, http.StatusServiceUnavailable, "the count could not be kept")
}

func answer(w http.ResponseWriter, c Counts) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(c)
}

func fail(w http.ResponseWriter, code int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(map[string]string{"error": msg})
}
