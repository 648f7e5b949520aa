package content

import (
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"
)

func TestSplit(t *testing.T) {
	tests := []struct {
		name, src        string
		format           format
		fm, body         string
		fmLine, bodyLine int
		err              string
		errLine          int
	}{
		{"plain", "+++\ntitle = \"A\"\n+++\nBody\n", formatTOML, "title = \"A\"\n", "Body\n", 2, 4, "", 0},
		{"crlf and bom", "\xef\xbb\xbf+++\r\ntitle = \"A\"\r\n+++\r\nBody\r\n", formatTOML, "title = \"A\"\r\n", "Body\r\n", 2, 4, "", 0},
		{"empty front matter", "+++\n+++\n", formatTOML, "", "", 2, 3, "", 0},
		{"no body", "+++\ntitle = \"A\"\n+++", formatTOML, "title = \"A\"\n", "", 2, 4, "", 0},
		{"yaml", "---\ntitle: A\n---\nBody\n", formatYAML, "title: A\n", "Body\n", 2, 4, "", 0},
		{"yaml with +++ inside", "---\ntitle: A\n+++\n---\n", formatYAML, "title: A\n+++\n", "", 2, 5, "", 0},
		{"json", "{\n  \"title\": \"A }\",\n  \"tags\": [\"x\"]\n}\nBody\n", formatJSON, "{\n  \"title\": \"A }\",\n  \"tags\": [\"x\"]\n}", "Body\n", 1, 5, "", 0},
		{"json on one line", "{\"title\": \"\\\"}\"}\nBody", formatJSON, "{\"title\": \"\\\"}\"}", "Body", 1, 2, "", 0},
		{"json followed by text", "{\"title\": \"A\"\n} Body\n", 0, "", "", 0, 0, "must end its line", 2},
		{"json unclosed", "{\"title\": \"A\"\n\nBody\n", 0, "", "", 0, 0, "no matching }", 1},
		{"shortcode is not json", "{{< x >}}\n", 0, "", "", 0, 0, "did you forget the first +++", 1},
		{"missing", "# Title\n", 0, "", "", 0, 0, "did you forget the first +++", 1},
		{"unclosed", "+++\ntitle = \"A\"\n", 0, "", "", 0, 0, "add a line +++", 1},
		{"unclosed yaml", "---\ntitle: A\n", 0, "", "", 0, 0, "add a line ---", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, body, bodyLine, err := split([]byte(tt.src))
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) || errorLine(err) != tt.errLine {
					t.Fatalf("err = %v at line %d, want %q at line %d", err, errorLine(err), tt.err, tt.errLine)
				}
				return
			}
			if err != nil || m.format != tt.format || string(m.text) != tt.fm || string(body) != tt.body || m.line != tt.fmLine || bodyLine != tt.bodyLine {
				t.Errorf("got (%d %q, %d, %q, %d, %v), want (%d %q, %d, %q, %d)", m.format, m.text, m.line, body, bodyLine, err, tt.format, tt.fm, tt.fmLine, tt.body, tt.bodyLine)
			}
		})
	}
}

func FuzzSplit(f *testing.F) {
	for _, s := range []string{
		"+++\ntitle = \"A\"\n+++\nB", "+++\n+++", "---\n", "", "+++\r\n+++\r\n",
		"---\ntitle: A\n---\nB", "{\"a\": \"}\"}\nB", "{\n\"a\": [1, {\"b\": 2}]\n}\n\nB",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		m, body, bodyLine, err := split([]byte(src))
		if err != nil {
			return
		}
		// The parts come from the source, in order, and the body's line
		// is the one after the front matter.
		if m.line != map[format]int{formatTOML: 2, formatYAML: 2, formatJSON: 1}[m.format] || bodyLine < m.line+1 ||
			!strings.Contains(src, string(m.text)) || !strings.HasSuffix(src, string(body)) {
			t.Fatalf("split(%q) = %q@%d, %q@%d", src, m.text, m.line, body, bodyLine)
		}
		if got := strings.Count(strings.TrimPrefix(src, "\xef\xbb\xbf")[:len(strings.TrimPrefix(src, "\xef\xbb\xbf"))-len(body)], "\n"); got != bodyLine-1 && !(len(body) == 0 && got == bodyLine-2) {
			t.Fatalf("body line %d, but %d newlines precede the body", bodyLine, got)
		}
	})
}

func TestDate(t *testing.T) {
	loc := time.FixedZone("ICT", 7*3600)
	tests := []struct {
		toml    string
		want    time.Time
		clock   bool
		wantErr string
	}{
		{"d = 2021-03-15", time.Date(2021, 3, 15, 0, 0, 0, 0, loc), false, ""},
		{"d = 2021-03-15T19:45:00", time.Date(2021, 3, 15, 19, 45, 0, 0, loc), true, ""},
		{"d = 2021-03-15T19:45:00Z", time.Date(2021, 3, 15, 19, 45, 0, 0, time.UTC), true, ""},
		{`d = "2021-03-15"`, time.Date(2021, 3, 15, 0, 0, 0, 0, loc), false, ""},
		{`d = "2021-03-15 08:30"`, time.Date(2021, 3, 15, 8, 30, 0, 0, loc), true, ""},
		{`d = "15/03/2021"`, time.Date(2021, 3, 15, 0, 0, 0, 0, loc), false, ""},
		{`d = "5/3/2021 07:00"`, time.Date(2021, 3, 5, 7, 0, 0, 0, loc), true, ""},
		{`d = "2021-03-15T08:30:00+07:00"`, time.Date(2021, 3, 15, 1, 30, 0, 0, time.UTC), true, ""},
		{`d = ""`, time.Time{}, false, ""},
		{`d = "2021-13-45"`, time.Time{}, false, "is not a date"},
		{`d = "hôm qua"`, time.Time{}, false, "is not a date"},
		{`d = 20210315`, time.Time{}, false, "is not a date"},
		{`d = true`, time.Time{}, false, "expected a date like 2021-03-15, found true or false"},
		{`d = 2024`, time.Date(2024, 1, 1, 0, 0, 0, 0, loc), false, ""},
		{`d = 999`, time.Time{}, false, "a year alone"},
		{`d = "2024-03-15 10:00:00 +0700"`, time.Date(2024, 3, 15, 3, 0, 0, 0, time.UTC), true, ""},
		{`d = "2024-03-15 10:00:00 +07:00"`, time.Date(2024, 3, 15, 3, 0, 0, 0, time.UTC), true, ""},
		{`d = "2024-03-15 10:00:00+07:00"`, time.Date(2024, 3, 15, 3, 0, 0, 0, time.UTC), true, ""},
		{`d = "2024-03-15 10:00:00Z"`, time.Date(2024, 3, 15, 10, 0, 0, 0, time.UTC), true, ""},
		{`d = "2024-03-15T10:00:00-0500"`, time.Date(2024, 3, 15, 15, 0, 0, 0, time.UTC), true, ""},
		{`d = "2024-03-15 10:00:00.250 +0700"`, time.Date(2024, 3, 15, 3, 0, 0, 250e6, time.UTC), true, ""},
		{`d = "2024-03-15T10:00:00.5+07:00"`, time.Date(2024, 3, 15, 3, 0, 0, 500e6, time.UTC), true, ""},
		{`d = "2024-03-15 10:00:00.125"`, time.Date(2024, 3, 15, 10, 0, 0, 125e6, loc), true, ""},
		{`d = 2024-03-15T10:00:00.75`, time.Date(2024, 3, 15, 10, 0, 0, 750e6, loc), true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.toml, func(t *testing.T) {
			var v struct{ D Date }
			_, err := toml.Decode(tt.toml, &v)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := v.D.In(loc); !got.Equal(tt.want) || v.D.hasTime() != tt.clock {
				t.Errorf("got %v (clock %v), want %v (clock %v)", got, v.D.hasTime(), tt.want, tt.clock)
			}
		})
	}
}
