package content

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
)

// Date is a front-matter date. TOML dates and date-times are accepted, and so
// are strings in the forms editors type: 2021-03-15, 2021-03-15 08:30,
// 15/03/2021 (day first, as in Vietnam), RFC 3339 and the forms Hugo sites
// write (2021-03-15 08:30:00 +0700), and a year alone, 2021, read as
// 1 January. A date without an offset is in the site's time zone, applied
// by In.
type Date struct {
	t     time.Time
	local bool // no offset was given: the clock reading is in the site's zone
	clock bool // a time of day was given
}

// IsZero reports whether no date was set.
func (d Date) IsZero() bool { return d.t.IsZero() }

// In returns the date as an instant, reading a date without offset in loc.
func (d Date) In(loc *time.Location) time.Time {
	if d.t.IsZero() || !d.local {
		return d.t
	}
	t := d.t
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), loc)
}

// Layouts of dates without an offset. Fractional seconds after the seconds
// are read without a layout of their own.
var dateLayouts = []string{
	"2006-01-02",
	"2006-01-02 15:04",
	"2006-01-02 15:04:05",
	"2006-01-02T15:04",
	"2006-01-02T15:04:05",
	"02/01/2006",
	"2/1/2006",
	"02/01/2006 15:04",
	"2/1/2006 15:04",
}

// Layouts of dates with an offset, besides RFC 3339.
var offsetLayouts = []string{
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05 Z07:00",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02T15:04:05-0700",
}

// parseDate reads a date written as text.
func parseDate(s string) (Date, bool) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return Date{t: t, clock: true}, true
	}
	for _, layout := range offsetLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return Date{t: t, clock: true}, true
		}
	}
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return Date{t: t, local: true, clock: strings.Contains(layout, "15")}, true
		}
	}
	return Date{}, false
}

// toml writes the date as a TOML date or date-time of the same kind: local
// or with an offset, with or without a time of day.
func (d Date) toml() string {
	switch {
	case !d.local:
		return d.t.Format(time.RFC3339Nano)
	case d.clock:
		return d.t.Format("2006-01-02T15:04:05.999999999")
	}
	return d.t.Format("2006-01-02")
}

// hasTime reports whether a time of day was given, as an airing needs.
func (d Date) hasTime() bool { return d.clock }

// UnmarshalTOML implements toml.Unmarshaler.
func (d *Date) UnmarshalTOML(v any) error {
	switch v := v.(type) {
	case time.Time:
		switch v.Location().String() {
		case "date-local":
			d.t, d.local, d.clock = time.Date(v.Year(), v.Month(), v.Day(), 0, 0, 0, 0, time.UTC), true, false
		case "datetime-local", "time-local":
			d.t, d.local, d.clock = time.Date(v.Year(), v.Month(), v.Day(), v.Hour(), v.Minute(), v.Second(), v.Nanosecond(), time.UTC), true, true
		default:
			d.t, d.local, d.clock = v, false, true
		}
		return nil
	case int64:
		// A year alone, as Hugo sites write for old pages: 1 January.
		if v < 1000 || v > 9999 {
			return fmt.Errorf("%d is not a date; write it as 2021-03-15 (a year alone, such as 2021, means 1 January)", v)
		}
		d.t, d.local, d.clock = time.Date(int(v), time.January, 1, 0, 0, 0, 0, time.UTC), true, false
		return nil
	case string:
		s := strings.TrimSpace(v)
		if s == "" {
			*d = Date{}
			return nil
		}
		if p, ok := parseDate(s); ok {
			*d = p
			return nil
		}
		return fmt.Errorf("%q is not a date; write it as 2021-03-15 (or 2021-03-15 08:30)", v)
	}
	return fmt.Errorf("expected a date like 2021-03-15, found %s", kindOf(v))
}

func kindOf(v any) string {
	switch v.(type) {
	case bool:
		return "true or false"
	case float64:
		return "a number"
	case []any:
		return "a list"
	case map[string]any:
		return "a table"
	}
	return fmt.Sprintf("%T", v)
}

// Front-matter formats, told apart by a file's first line as Hugo tells
// them apart.
type format int

const (
	formatTOML format = iota // between +++ lines
	formatYAML               // between --- lines
	formatJSON               // an object whose { starts the file
)

// matter is a file's front matter as written.
type matter struct {
	format format
	text   []byte
	line   int // the file's line on which text starts
}

// lineError is a mistake at a line of a file.
type lineError struct {
	line int
	msg  string
}

func (e *lineError) Error() string { return e.msg }

// errorLine returns the line of the file that err is about, 1 when it does
// not say.
func errorLine(err error) int {
	var le *lineError
	if errors.As(err, &le) && le.line > 0 {
		return le.line
	}
	return 1
}

// split separates a file into its front matter and its Markdown body, and
// returns the line on which the body starts. The front matter is TOML
// between "+++" lines, YAML between "---" lines, or a JSON object starting
// on the first line.
func split(src []byte) (m matter, body []byte, bodyLine int, err error) {
	src = bytes.TrimPrefix(src, []byte("\xef\xbb\xbf")) // a BOM that Windows editors add
	first, rest, _ := cutLine(src)
	switch t := strings.TrimSpace(string(first)); {
	case t == "+++":
		return fenced(formatTOML, "+++", rest)
	case t == "---":
		return fenced(formatYAML, "---", rest)
	case strings.HasPrefix(t, "{") && !strings.HasPrefix(t, "{{"):
		return splitJSON(src)
	}
	return matter{}, nil, 0, fmt.Errorf("no front matter: the file must start with a line +++, then fields such as title = \"...\", then +++ (did you forget the first +++?)")
}

// fenced splits front matter that ends at a line holding only fence.
func fenced(f format, fence string, rest []byte) (matter, []byte, int, error) {
	line := 2
	start := rest
	off := 0
	for len(rest) > 0 {
		l, next, _ := cutLine(rest)
		if strings.TrimSpace(string(l)) == fence {
			return matter{format: f, text: start[:off], line: 2}, next, line + 1, nil
		}
		off += len(rest) - len(next)
		rest = next
		line++
	}
	return matter{}, nil, 0, fmt.Errorf("front matter is not closed: add a line %s after the last field", fence)
}

// splitJSON splits front matter that is a JSON object: it ends at the }
// that closes the first {, and the body starts on the next line.
func splitJSON(src []byte) (matter, []byte, int, error) {
	depth, line := 0, 1
	inString, escaped := false, false
	for i, c := range src {
		switch {
		case c == '\n':
			line++
		case inString:
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
		case c == '"':
			inString = true
		case c == '{' || c == '[':
			depth++
		case c == '}' || c == ']':
			depth--
			if depth > 0 {
				continue
			}
			after, next, _ := cutLine(src[i+1:])
			if strings.TrimSpace(string(after)) != "" {
				return matter{}, nil, 0, &lineError{line, "the front matter's closing } must end its line: start the text on the next line"}
			}
			return matter{format: formatJSON, text: src[:i+1], line: 1}, next, line + 1, nil
		}
	}
	return matter{}, nil, 0, &lineError{1, "front matter is not closed: the { of the first line has no matching } (or a \" is missing)"}
}

func cutLine(b []byte) (line, rest []byte, ok bool) {
	i := bytes.IndexByte(b, '\n')
	if i < 0 {
		return bytes.TrimSuffix(b, []byte("\r")), nil, false
	}
	return bytes.TrimSuffix(b[:i], []byte("\r")), b[i+1:], true
}

// FrontMatterKey is a key set at the top level of a file's front matter.
type FrontMatterKey struct {
	Name string
	Line int // the line of the file
}

// TopKeys returns the keys set at the top level of the front matter of
// src, a content file's text in any front-matter format, with the line of
// the file each is set on, in the order of the lines. The error says why
// the front matter cannot be read.
func TopKeys(src []byte) ([]FrontMatterKey, error) {
	m, _, _, err := split(src)
	if err != nil {
		return nil, err
	}
	fm, lines, err := m.toTOML()
	if err != nil {
		return nil, err
	}
	var raw map[string]any
	if _, err := toml.Decode(string(fm), &raw); err != nil {
		return nil, err
	}
	p := &Page{fm: fm, fmLine: m.line, fmLines: lines}
	out := make([]FrontMatterKey, 0, len(raw))
	for k := range raw {
		out = append(out, FrontMatterKey{Name: k, Line: p.Line(k)})
	}
	slices.SortFunc(out, func(a, b FrontMatterKey) int {
		return cmp.Or(cmp.Compare(a.Line, b.Line), strings.Compare(a.Name, b.Name))
	})
	return out, nil
}
