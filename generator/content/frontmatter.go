package content

import (
	"bytes"
	"fmt"
	"strings"
	"time"
)

// Date is a front-matter date. TOML dates and date-times are accepted, and so
// are strings in the forms editors type: 2021-03-15, 2021-03-15 08:30,
// 15/03/2021 (day first, as in Vietnam) and RFC 3339. A date without an
// offset is in the site's time zone, applied by In.
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
	case string:
		s := strings.TrimSpace(v)
		if s == "" {
			*d = Date{}
			return nil
		}
		if t, err := time.Parse(time.RFC3339, s); err == nil {
			d.t, d.local, d.clock = t, false, true
			return nil
		}
		for _, layout := range dateLayouts {
			if t, err := time.Parse(layout, s); err == nil {
				d.t, d.local, d.clock = t, true, strings.Contains(layout, "15")
				return nil
			}
		}
		return fmt.Errorf("%q is not a date; write it as 2021-03-15 (or 2021-03-15 08:30)", v)
	}
	return fmt.Errorf("expected a date like 2021-03-15, found %T", v)
}

// split separates a file into its TOML front matter between "+++" lines and
// the Markdown body. It returns the line number on which each starts.
func split(src []byte) (fm []byte, fmLine int, body []byte, bodyLine int, err error) {
	src = bytes.TrimPrefix(src, []byte("\xef\xbb\xbf")) // a BOM that Windows editors add
	first, rest, _ := cutLine(src)
	if strings.TrimSpace(string(first)) != "+++" {
		if strings.TrimSpace(string(first)) == "---" {
			return nil, 0, nil, 0, fmt.Errorf("front matter must be TOML between +++ lines, not YAML between --- lines")
		}
		return nil, 0, nil, 0, fmt.Errorf("no front matter: the file must start with a line +++, then fields such as title = \"...\", then +++ (did you forget the first +++?)")
	}
	line := 2
	start := rest
	off := 0
	for len(rest) > 0 {
		l, next, _ := cutLine(rest)
		if strings.TrimSpace(string(l)) == "+++" {
			return start[:off], 2, next, line + 1, nil
		}
		off += len(rest) - len(next)
		rest = next
		line++
	}
	return nil, 0, nil, 0, fmt.Errorf("front matter is not closed: add a line +++ after the last field")
}

func cutLine(b []byte) (line, rest []byte, ok bool) {
	i := bytes.IndexByte(b, '\n')
	if i < 0 {
		return bytes.TrimSuffix(b, []byte("\r")), nil, false
	}
	return bytes.TrimSuffix(b[:i], []byte("\r")), b[i+1:], true
}
