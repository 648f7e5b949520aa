package counter

import (
	"errors"
	"io"
	"log"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Limits of a feedback message. The fields' limits are in characters, as
// the form's maxlength attributes count them; the body's leaves room for
// every field at its longest in Vietnamese, whose letters the form sends
// as up to nine bytes each (%E1%BB%87), so that no message the form lets
// through is cut off.
const (
	MaxFeedbackBody    = 32 << 10
	MaxFeedbackName    = 100
	MaxFeedbackContact = 100
	MaxFeedbackSubject = 200
	MaxFeedbackMessage = 3000
	maxFeedbackURL     = 512 // the form's own addresses, in bytes
)

// The form's fields, as the site's feedback page names them.
const (
	FieldName     = "name"
	FieldContact  = "contact"
	FieldSubject  = "subject"
	FieldMessage  = "message"
	FieldLang     = "lang"
	FieldBack     = "back"    // the form page, to return to with an error
	FieldNext     = "next"    // the thank-you page
	FieldHoneypot = "website" // hidden from people; a bot that fills it is thanked and ignored
)

// FeedbackErrorParam is the query parameter of the form page's address
// that names what was wrong with a message. The address also gets the
// fragment "loi-" + code, so that the static page shows the matching
// message with CSS (:target) alone.
const FeedbackErrorParam = "loi"

// Codes of what can be wrong with a message, in the query of the form
// page the reader is sent back to. The site's feedback page has a message
// for each.
const (
	ErrNoName      = "thieu-ho-ten"   // no name
	ErrNoContact   = "thieu-lien-he"  // neither email nor phone
	ErrBadContact  = "lien-he-sai"    // the contact is not an email address or a phone number
	ErrNoMessage   = "thieu-noi-dung" // no message
	ErrTooLong     = "qua-dai"        // a field is longer than its limit
	ErrNotSaved    = "chua-luu"       // the store failed: the message was not kept
	feedbackPrefix = "loi-"
)

// FeedbackErrorCodes lists every code the service may send a reader back
// with, for the pages that must explain each.
func FeedbackErrorCodes() []string {
	return []string{ErrNoName, ErrNoContact, ErrBadContact, ErrNoMessage, ErrTooLong, ErrNotSaved}
}

// FeedbackOptions configure a FeedbackServer; the zero value of each field
// is a sensible default.
type FeedbackOptions struct {
	// Origins are the sites whose pages may post the form, as
	// "https://example.org"; a page on the host the request was sent to
	// may too.
	Origins []string
	// TrustProxy takes the client's address from the last hop of
	// X-Forwarded-For, for a service behind a reverse proxy.
	TrustProxy bool
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Location is the time zone the messages' times are kept in; Local
	// when nil.
	Location *time.Location
	// Rate and Burst limit the messages of one address: Burst at once,
	// then Rate a second (10, then one a minute, when zero). Forms sent
	// back for a correction count too.
	Rate  float64
	Burst int
	// Log receives errors of the store; none are logged when nil.
	Log *log.Logger
}

// FeedbackServer takes the messages of the site's feedback form, a plain
// HTML form that works without script: POST /feedback, also at
// /api/feedback beside the counter's routes. It answers a browser with a
// redirect (303) to the site's thank-you page once the message is on
// disk, or back to the form page with an error code; what no form of the
// site sends gets a 4xx with a short plain-text reason.
type FeedbackServer struct {
	store   FeedbackStore
	origins map[string]bool
	trust   bool
	now     func() time.Time
	loc     *time.Location
	limiter *Limiter
	log     *log.Logger
}

// NewFeedbackServer returns a FeedbackServer over store.
func NewFeedbackServer(store FeedbackStore, o FeedbackOptions) *FeedbackServer {
	s := &FeedbackServer{store: store, origins: originSet(o.Origins), trust: o.TrustProxy, now: o.Now, loc: o.Location, log: o.Log}
	if s.now == nil {
		s.now = time.Now
	}
	if s.loc == nil {
		s.loc = time.Local
	}
	rate, burst := o.Rate, o.Burst
	if rate <= 0 {
		rate = 1.0 / 60
	}
	if burst <= 0 {
		burst = 10
	}
	s.limiter = NewLimiter(rate, burst)
	return s
}

// Mount adds the FeedbackServer's routes to mux: under /api/, as the
// pages call the counter behind the web server, and at the root, for a
// web server that passes /api/ on without its prefix.
func (s *FeedbackServer) Mount(mux *http.ServeMux) {
	mux.HandleFunc("POST /feedback", s.post)
	mux.HandleFunc("POST /api/feedback", s.post)
}

// Handler returns a handler with the FeedbackServer's routes alone.
func (s *FeedbackServer) Handler() http.Handler {
	mux := http.NewServeMux()
	s.Mount(mux)
	return mux
}

func (s *FeedbackServer) post(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	if !s.fromSite(r) {
		// Another site's page may not post into this one's inbox.
		plain(w, http.StatusForbidden, "Biểu mẫu này chỉ gửi được từ trang của website.",
			"This form can only be sent from the website's own pages.")
		return
	}
	if !s.limiter.Allow(rateKey(clientAddr(r, s.trust)), s.now()) {
		w.Header().Set("Retry-After", "60")
		plain(w, http.StatusTooManyRequests, "Bạn đã gửi nhiều lần liên tiếp. Xin thử lại sau vài phút.",
			"Too many messages in a row. Please try again in a few minutes.")
		return
	}
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/x-www-form-urlencoded" {
		plain(w, http.StatusUnsupportedMediaType, "Biểu mẫu phải được gửi dưới dạng application/x-www-form-urlencoded.",
			"The form must be sent as application/x-www-form-urlencoded.")
		return
	}
	if r.ContentLength > MaxFeedbackBody {
		tooLarge(w)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxFeedbackBody))
	if err != nil {
		if tooBig := new(http.MaxBytesError); errors.As(err, &tooBig) {
			tooLarge(w)
		} else {
			plain(w, http.StatusBadRequest, "Không đọc được nội dung gửi lên.", "The form could not be read.")
		}
		return
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		plain(w, http.StatusBadRequest, "Nội dung gửi lên không phải là một biểu mẫu hợp lệ.", "The body is not a valid form.")
		return
	}
	value := func(name string) (string, bool) {
		vs := form[name]
		if len(vs) > 1 {
			return "", false
		}
		if len(vs) == 0 {
			return "", true
		}
		return vs[0], utf8.ValidString(vs[0])
	}
	fields := map[string]string{}
	for _, name := range []string{FieldName, FieldContact, FieldSubject, FieldMessage, FieldLang, FieldBack, FieldNext, FieldHoneypot} {
		v, ok := value(name)
		if !ok {
			plain(w, http.StatusBadRequest, "Biểu mẫu có trường "+name+" lặp lại hoặc không đọc được.",
				"The form's field "+name+" is repeated or unreadable.")
			return
		}
		fields[name] = v
	}
	back, okBack := s.siteURL(fields[FieldBack], r)
	next, okNext := s.siteURL(fields[FieldNext], r)
	lang := fields[FieldLang]
	if !okBack || !okNext || !langTag.MatchString(lang) {
		plain(w, http.StatusBadRequest, "Biểu mẫu thiếu thông tin của trang gửi (lang, back, next) hoặc không phải của website này.",
			"The form lacks its page's details (lang, back, next), or they are not this website's.")
		return
	}
	if strings.TrimSpace(fields[FieldHoneypot]) != "" {
		// Only a program fills a field that people cannot see: it is
		// thanked like anyone, so that it learns nothing, and forgotten.
		seeOther(w, next.String())
		return
	}
	f := Feedback{Lang: lang, Name: clean(fields[FieldName], false), Contact: clean(fields[FieldContact], false),
		Subject: clean(fields[FieldSubject], false), Message: clean(fields[FieldMessage], true)}
	if code := f.problem(); code != "" {
		seeOther(w, withError(back, code))
		return
	}
	f.Time = s.now().In(s.loc).Truncate(time.Second)
	if _, err := s.store.AddFeedback(f); err != nil {
		if s.log != nil {
			s.log.Printf("feedback: the message could not be kept: %v", err)
		}
		seeOther(w, withError(back, ErrNotSaved))
		return
	}
	seeOther(w, next.String())
}

// langTag is a language tag as the pages' <html lang> has it.
var langTag = regexp.MustCompile(`^[a-z]{2,3}(-[A-Za-z0-9]{1,8}){0,3}$`)

// problem returns the code of the first thing wrong with a message, or
// "".
func (f Feedback) problem() string {
	switch {
	case utf8.RuneCountInString(f.Name) > MaxFeedbackName, utf8.RuneCountInString(f.Contact) > MaxFeedbackContact,
		utf8.RuneCountInString(f.Subject) > MaxFeedbackSubject, utf8.RuneCountInString(f.Message) > MaxFeedbackMessage:
		return ErrTooLong
	case f.Name == "":
		return ErrNoName
	case f.Contact == "":
		return ErrNoContact
	case !isEmail(f.Contact) && !isPhone(f.Contact):
		return ErrBadContact
	case f.Message == "":
		return ErrNoMessage
	}
	return ""
}

// clean trims a field, puts it in NFC (as the site's text is) and drops
// control characters, which no one means to send; a multi-line field keeps
// its line breaks, as \n.
func clean(s string, multiline bool) string {
	s = norm.NFC.String(strings.ReplaceAll(s, "\r\n", "\n"))
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\n' && multiline:
			return r
		case r == '\t' || r == '\n' || r == '\r':
			return ' '
		case r < 0x20 || (r >= 0x7f && r <= 0x9f):
			return -1 // control characters, C1 included
		case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
			return -1 // direction overrides, which can disguise a name in a listing
		}
		return r
	}, s)
	return strings.TrimSpace(s)
}

var (
	emailAddr = regexp.MustCompile(`^[^@\s<>"]+@[^@\s<>"]+\.[^@\s<>".]+$`)
	phoneChar = regexp.MustCompile(`^\+?[0-9 .()\-]+$`)
)

func isEmail(s string) bool { return emailAddr.MatchString(s) }

// isPhone accepts a Vietnamese or international number as people write
// it: 0251 3 822 000, (0251) 3822000, +84 912 345 678.
func isPhone(s string) bool {
	if !phoneChar.MatchString(s) {
		return false
	}
	digits := 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			digits++
		}
	}
	return digits >= 8 && digits <= 15
}

// fromSite tells whether a form comes from the site's pages, by its
// Origin or, where a browser sent none, its Referer. A request with
// neither (not from a browser) passes: only a browser can be made to post
// on a reader's behalf.
func (s *FeedbackServer) fromSite(r *http.Request) bool {
	if o := r.Header.Get("Origin"); o != "" {
		return s.allowed(o, r.Host)
	}
	if ref := r.Header.Get("Referer"); ref != "" {
		u, err := url.Parse(ref)
		return err == nil && u.Host != "" && s.allowed(u.Scheme+"://"+u.Host, r.Host)
	}
	return true
}

func (s *FeedbackServer) allowed(origin, host string) bool {
	return s.origins[origin] || sameHost(origin, host)
}

// siteURL parses one of the form's own addresses, a path or a full URL on
// the site, so that the service never sends a reader elsewhere.
func (s *FeedbackServer) siteURL(raw string, r *http.Request) (*url.URL, bool) {
	if raw == "" || len(raw) > maxFeedbackURL || !printable(raw) || strings.ContainsAny(raw, "\\ ") {
		return nil, false
	}
	u, err := url.Parse(raw)
	if err != nil || u.User != nil || u.Fragment != "" || u.Opaque != "" {
		return nil, false
	}
	if u.Scheme == "" && u.Host == "" {
		return u, strings.HasPrefix(u.Path, "/") && !strings.HasPrefix(u.Path, "//")
	}
	if (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, false
	}
	return u, s.allowed(u.Scheme+"://"+u.Host, r.Host)
}

// withError is the form page's address with an error code in its query
// and its fragment.
func withError(back *url.URL, code string) string {
	u := *back
	q := u.Query()
	q.Set(FeedbackErrorParam, code)
	u.RawQuery = q.Encode()
	u.Fragment = feedbackPrefix + code
	return u.String()
}

// seeOther sends the browser on to target with a GET, so that reloading
// the next page does not post the form again.
func seeOther(w http.ResponseWriter, target string) {
	w.Header().Set("Location", target)
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusSeeOther)
	io.WriteString(w, target+"\n")
}

func tooLarge(w http.ResponseWriter) {
	plain(w, http.StatusRequestEntityTooLarge, "Nội dung quá dài. Xin rút ngắn ý kiến và gửi lại.",
		"The message is too long. Please shorten it and send it again.")
}

// plain answers an error in a few words in both languages, for the rare
// browser that shows it.
func plain(w http.ResponseWriter, code int, vi, en string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(code)
	io.WriteString(w, vi+"\n"+en+"\n")
}
