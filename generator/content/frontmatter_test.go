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
		fm, body         string
		fmLine, bodyLine int
		err              string
	}{
		{"plain", "+++\ntitle = \"A\"\n+++\nBody\n", "title = \"A\"\n", "Body\n", 2, 4, ""},
		{"crlf and bom", "\xef\xbb\xbf+++\r\ntitle = \"A\"\r\n+++\r\nBody\r\n", "title = \"A\"\r\n", "Body\r\n", 2, 4, ""},
		{"empty front matter", "+++\n+++\n", "", "", 2, 3, ""},
		{"no body", "+++\ntitle = \"A\"\n+++", "title = \"A\"\n", "", 2, 4, ""},
		{"yaml", "---\ntitle: A\n---\n", "", "", 0, 0, "not YAML"},
		{"missing", "# Title\n", "", "", 0, 0, "did you forget the first +++"},
		{"unclosed", "+++\ntitle = \"A\"\n", "", "", 0, 0, "not closed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fm, fmLine, body, bodyLine, err := split([]byte(tt.src))
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil || string(fm) != tt.fm || string(body) != tt.body || fmLine != tt.fmLine || bodyLine != tt.bodyLine {
				t.Errorf("got (%q, %d, %q, %d, %v), want (%q, %d, %q, %d)", fm, fmLine, body, bodyLine, err, tt.fm, tt.fmLine, tt.body, tt.bodyLine)
			}
		})
	}
}

func FuzzSplit(f *testing.F) {
	for _, s := range []string{"+++\ntitle = \"A\"\n+++\nB", "+++\n+++", "---\n", "", "+++\r\n+++\r\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		fm, fmLine, body, bodyLine, err := split([]byte(src))
		if err != nil {
			return
		}
		// The parts come from the source, in order, and the body's line
		// is right after the closing +++.
		if fmLine != 2 || bodyLine < 3 || !strings.Contains(src, string(fm)) || !strings.HasSuffix(src, string(body)) {
			t.Fatalf("split(%q) = %q@%d, %q@%d", src, fm, fmLine, body, bodyLine)
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
		{`d = 20210315`, time.Time{}, false, "expected a date"},
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
