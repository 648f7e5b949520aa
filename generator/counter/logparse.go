package counter

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Entry is one request from a web server's access log.
type Entry struct {
	IP        string
	Time      time.Time
	Method    string
	Path      string // without the query
	Status    int
	UserAgent string
	Referrer  string
	// HasUserAgent tells a log whose lines carry the User-Agent (combined,
	// IIS with that column) from one that has none (common), whose
	// requests cannot be told to be crawlers'.
	HasUserAgent bool
}

// ErrDirective is returned for a line that is not a request but tells how
// to read the next ones, like IIS's "#Fields:".
var ErrDirective = errors.New("directive")

// FormatNames lists the log formats that NewParser reads.
const FormatNames = "combined, common, iis"

// Parser reads the lines of one log file in order.
type Parser interface {
	// ParseLine reads one line, without its newline.
	ParseLine(line string) (Entry, error)
}

// NewParser returns a Parser for format, one of Formats.
func NewParser(format string) (Parser, error) {
	switch format {
	case "combined":
		return lineFunc(ParseCombined), nil
	case "common":
		return lineFunc(ParseCommon), nil
	case "iis":
		return &IISParser{}, nil
	}
	return nil, fmt.Errorf("unknown log format %q (want %s)", format, FormatNames)
}

type lineFunc func(string) (Entry, error)

func (f lineFunc) ParseLine(line string) (Entry, error) { return f(line) }

// clfTime is the time layout of the Common Log Format.
const clfTime = "02/Jan/2006:15:04:05 -0700"

// ParseCommon reads a line of the Common Log Format:
//
//	127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /a.html HTTP/1.0" 200 2326
func ParseCommon(line string) (Entry, error) {
	e, _, err := parseCLF(line)
	return e, err
}

// ParseCombined reads a line of the Combined Log Format (nginx's and
// Apache's default): the common format followed by the quoted referrer and
// User-Agent.
func ParseCombined(line string) (Entry, error) {
	e, rest, err := parseCLF(line)
	if err != nil {
		return e, err
	}
	ref, rest, ok := quoted(strings.TrimLeft(rest, " "))
	if !ok {
		return Entry{}, errors.New("no referrer")
	}
	ua, _, ok := quoted(strings.TrimLeft(rest, " "))
	if !ok {
		return Entry{}, errors.New("no User-Agent")
	}
	if ref != "-" {
		e.Referrer = ref
	}
	e.UserAgent, e.HasUserAgent = ua, true
	return e, nil
}

// parseCLF reads the common part and returns what follows it.
func parseCLF(line string) (Entry, string, error) {
	var e Entry
	fields := make([]string, 0, 3)
	rest := line
	for range 3 {
		f, r, ok := strings.Cut(strings.TrimLeft(rest, " "), " ")
		if !ok || f == "" {
			return Entry{}, "", errors.New("too few fields")
		}
		fields = append(fields, f)
		rest = r
	}
	e.IP = fields[0]
	rest = strings.TrimLeft(rest, " ")
	if !strings.HasPrefix(rest, "[") {
		return Entry{}, "", errors.New("no [time]")
	}
	ts, r, ok := strings.Cut(rest[1:], "]")
	if !ok {
		return Entry{}, "", errors.New("no [time]")
	}
	t, err := time.Parse(clfTime, ts)
	if err != nil {
		return Entry{}, "", fmt.Errorf("bad time %q", ts)
	}
	e.Time = t
	req, r, ok := quoted(strings.TrimLeft(r, " "))
	if !ok {
		return Entry{}, "", errors.New("no quoted request")
	}
	// A request the server could not read is logged as "-" or garbage; it
	// is a line of the log all the same, just not a page view.
	if parts := strings.Fields(req); len(parts) >= 2 {
		e.Method = parts[0]
		e.Path = requestPath(parts[1])
	}
	status, r, _ := strings.Cut(strings.TrimLeft(r, " "), " ")
	if e.Status, err = strconv.Atoi(status); err != nil || e.Status < 100 || e.Status > 999 {
		return Entry{}, "", fmt.Errorf("bad status %q", status)
	}
	size, r, _ := strings.Cut(strings.TrimLeft(r, " "), " ")
	if size != "-" {
		if _, err := strconv.ParseInt(size, 10, 64); err != nil {
			return Entry{}, "", fmt.Errorf("bad size %q", size)
		}
	}
	return e, r, nil
}

// quoted reads a double-quoted field at the start of s and returns it and
// what follows. Apache escapes \" and \\; both Apache and nginx write
// other bytes (nginx: every byte of a UTF-8 path, `"` and `\`) as \xHH,
// which is decoded so that a Vietnamese path is counted as the page it is.
func quoted(s string) (field, rest string, ok bool) {
	if !strings.HasPrefix(s, `"`) {
		return "", s, false
	}
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\':
			if v, ok := hexByte(s, i+1); ok {
				b.WriteByte(v)
				i += 3
			} else if i+1 < len(s) {
				i++
				b.WriteByte(s[i])
			}
		case '"':
			return b.String(), s[i+1:], true
		default:
			b.WriteByte(c)
		}
	}
	return "", s, false
}

// hexByte reads "xHH" at s[i:], the body of a \xHH escape.
func hexByte(s string, i int) (byte, bool) {
	if i+3 > len(s) || s[i] != 'x' {
		return 0, false
	}
	v, err := strconv.ParseUint(s[i+1:i+3], 16, 8)
	return byte(v), err == nil
}

// requestPath is the path of a request target, unescaped where it can be,
// without its query.
func requestPath(target string) string {
	if i := strings.Index(target, "://"); i >= 0 {
		// An absolute-form target: keep what follows the host.
		if j := strings.IndexByte(target[i+3:], '/'); j >= 0 {
			target = target[i+3+j:]
		} else {
			target = "/"
		}
	}
	if i := strings.IndexAny(target, "?#"); i >= 0 {
		target = target[:i]
	}
	if p, err := url.PathUnescape(target); err == nil {
		return p
	}
	return target
}

// IISParser reads IIS's W3C extended log format, whose columns are named
// by the last "#Fields:" directive before each line.
type IISParser struct {
	col map[string]int
	n   int
}

// ParseLine implements Parser.
func (p *IISParser) ParseLine(line string) (Entry, error) {
	if strings.HasPrefix(line, "#") {
		if f, ok := strings.CutPrefix(line, "#Fields:"); ok {
			names := strings.Fields(f)
			p.col = make(map[string]int, len(names))
			for i, n := range names {
				p.col[strings.ToLower(n)] = i
			}
			p.n = len(names)
			for _, need := range []string{"date", "time", "cs-uri-stem", "sc-status"} {
				if _, ok := p.col[need]; !ok {
					p.col = nil
					return Entry{}, fmt.Errorf("#Fields has no %s", need)
				}
			}
		}
		return Entry{}, ErrDirective
	}
	if p.col == nil {
		return Entry{}, errors.New("no #Fields line before it")
	}
	f := strings.Fields(line)
	if len(f) != p.n {
		return Entry{}, fmt.Errorf("%d fields, #Fields names %d", len(f), p.n)
	}
	get := func(name string) string {
		if i, ok := p.col[name]; ok && f[i] != "-" {
			return f[i]
		}
		return ""
	}
	var e Entry
	// W3C logs are written in UTC.
	t, err := time.Parse(time.DateTime, get("date")+" "+get("time"))
	if err != nil {
		return Entry{}, fmt.Errorf("bad date and time %q %q", get("date"), get("time"))
	}
	e.Time = t
	if e.Status, err = strconv.Atoi(get("sc-status")); err != nil || e.Status < 100 || e.Status > 999 {
		return Entry{}, fmt.Errorf("bad status %q", get("sc-status"))
	}
	e.IP = get("c-ip")
	e.Method = get("cs-method")
	e.Path = requestPath(get("cs-uri-stem"))
	// IIS writes the User-Agent's spaces as '+'.
	e.UserAgent = strings.ReplaceAll(get("cs(user-agent)"), "+", " ")
	_, e.HasUserAgent = p.col["cs(user-agent)"]
	e.Referrer = get("cs(referer)")
	return e, nil
}

// pageExts are the extensions of files that are not pages.
var pageExts = map[string]bool{
	".css": true, ".js": true, ".mjs": true, ".map": true, ".json": true, ".xml": true,
	".txt": true, ".ico": true, ".png": true, ".jpg": true, ".jpeg": true, ".gif": true,
	".svg": true, ".webp": true, ".avif": true, ".bmp": true, ".woff": true, ".woff2": true,
	".ttf": true, ".otf": true, ".eot": true, ".webmanifest": true, ".mp3": true,
	".mp4": true, ".webm": true, ".pdf": true, ".zip": true, ".docx": true, ".xlsx": true,
}

// IsPageView reports whether a log entry is a reader's view of a page:
// a successful GET of something that is not an asset, by a browser.
func IsPageView(e Entry) bool {
	if e.Method != "GET" || e.Status < 200 || e.Status > 299 || e.HasUserAgent && IsBot(e.UserAgent) {
		return false
	}
	if !strings.HasPrefix(e.Path, "/") || len(e.Path) > MaxPath || !printable(e.Path) {
		return false
	}
	if strings.HasPrefix(e.Path, "/search/") && !strings.HasSuffix(e.Path, "/") {
		return false // the search index's shards
	}
	base := e.Path[strings.LastIndexByte(e.Path, '/')+1:]
	if i := strings.LastIndexByte(base, '.'); i >= 0 {
		return !pageExts[strings.ToLower(base[i:])]
	}
	return true
}
