package tomlfile

import (
	"errors"
	"strings"
	"testing"
)

type entry struct {
	Title string `toml:"title"`
	Page  int    `toml:"page"`
}

type doc struct {
	Title    string         `toml:"title"`
	Copies   int            `toml:"copies"`
	Tags     []string       `toml:"tags"`
	Contents []entry        `toml:"contents"`
	Params   map[string]any `toml:"params"`
}

func TestDecode(t *testing.T) {
	tests := []struct {
		name, src string
		first     int
		want      []string // each diagnostic's text, in order
	}{
		{"ok", "title = \"Tin\"\ncopies = 3\n[params]\nanything = 1\n", 2, nil},
		{"unknown key with suggestion", "title = \"x\"\ntittle = \"y\"\n", 2,
			[]string{`f.md:3: unknown key "tittle" (did you mean "title"?)`}},
		{"unknown key lists allowed", "title = \"x\"\nzzzzzzzzzz = 1\n", 1,
			[]string{`f.md:2: unknown key "zzzzzzzzzz"; allowed here: title, copies, tags, contents, params`}},
		{"unknown key in array of tables", "title = \"x\"\n[[contents]]\ntitle = \"a\"\npage = 1\n[[contents]]\ntitel = \"b\"\n", 2,
			[]string{`f.md:7: unknown key "contents.titel" (did you mean "title"?)`}},
		{"unknown table reported once", "[extra]\na = 1\nb = 2\n", 1,
			[]string{`f.md:1: unknown key "extra"; allowed here: title, copies, tags, contents, params`}},
		{"type error names the key and line", "title = \"x\"\n\ncopies = \"nhiều\"\n", 2,
			[]string{`copies`, `f.md:4:`, `expected a whole number, found text in quotes`}},
		{"syntax error", "title = \"x\"\ncopies = = 3\n", 2, []string{`f.md:3:`}},
		{"unterminated string", "title = \"x\n", 5, []string{`f.md:5:`}},
		{"curly quotes", "copies = 3\ntitle = “Tiêu đề”\n", 2,
			[]string{`f.md:3:`, `title: use straight quotes " instead of “ ”`}},
		{"single curly quotes", "title = ‘Tiêu đề’\n", 2,
			[]string{`f.md:2:`, `title: use straight quotes " instead of “ ”`}},
		{"curly quotes in a list", "tags = [\"a\",\n  “b”]\n", 2,
			[]string{`f.md:3:`, `tags: use straight quotes`}},
		{"day-first date", "title = \"x\"\ncopies = 15/03/2024\n", 2,
			[]string{`f.md:3:`, `copies: write the date year first, copies = 2024-03-15, or put it in quotes: copies = "15/03/2024"`}},
		{"day-first date and time", "copies = 5/3/2024 8:30\n", 1,
			[]string{`f.md:1:`, `copies = 2024-03-05T08:30:00, or put it in quotes: copies = "5/3/2024 8:30"`}},
		{"offset after a space", "copies = 2024-03-15 10:00:00 +07:00\n", 1,
			[]string{`f.md:1:`, `copies: put this date in quotes, copies = "2024-03-15 10:00:00 +07:00"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var d doc
			got := Decode("f.md", tt.first, []byte(tt.src), &d, "params")
			if tt.want == nil {
				if len(got) != 0 {
					t.Fatalf("unexpected diagnostics: %v", got)
				}
				return
			}
			if strings.HasPrefix(tt.want[0], "f.md:") && strings.Contains(tt.want[0], "unknown") {
				if len(got) != len(tt.want) {
					t.Fatalf("got %d diagnostics %q, want %q", len(got), got.Error(), tt.want)
				}
				for i := range got {
					if got[i].Error() != tt.want[i] {
						t.Errorf("diag %d = %q, want %q", i, got[i].Error(), tt.want[i])
					}
				}
				return
			}
			if len(got) != 1 {
				t.Fatalf("got %d diagnostics %q, want 1", len(got), got.Error())
			}
			for _, w := range tt.want {
				if !strings.Contains(got[0].Error(), w) {
					t.Errorf("diagnostic %q lacks %q", got[0].Error(), w)
				}
			}
		})
	}
}

// A free name is a key of the document's own: accepted as a value or a
// table, and offered for a slip.
func TestDecodeFreeKeys(t *testing.T) {
	var d doc
	src := "title = \"x\"\nlead = \"y\"\n[images]\na = 1\n"
	if got := Decode("f.md", 1, []byte(src), &d, "params", "lead", "images"); len(got) != 0 {
		t.Errorf("free keys are errors: %v", got)
	}
	got := Decode("f.md", 1, []byte("laed = \"y\"\n"), &d, "params", "lead")
	if want := `f.md:1: unknown key "laed" (did you mean "lead"?)`; len(got) != 1 || got[0].Error() != want {
		t.Errorf("a slip of a free key: %v, want %s", got, want)
	}
	if k := strings.Join(Keys(&d), ","); k != "title,copies,tags,contents,params" {
		t.Errorf("Keys = %s", k)
	}
}

func TestSuggest(t *testing.T) {
	known := []string{"publication", "issue", "copies", "pages"}
	for word, want := range map[string]string{"publicaton": "publication", "isue": "issue", "cpies": "copies", "xyzzy": "", "Pages": "pages"} {
		if got := Suggest(word, known); got != want {
			t.Errorf("Suggest(%q) = %q, want %q", word, got, want)
		}
	}
}

func TestKeyLine(t *testing.T) {
	src := `title = "x"
summary = """
Một đoạn văn bản
title = "không phải khóa"
[params]
"""
tags = [
  "a",
  "copies = 2",
]
literal = '''
pages = 3
'''
copies = 5 # [ a comment ] pages = 1
pages = 7
[params]
note = "x"
[[contents]]
title = "a"
[[contents]]
title = "b"
[menu.docs]
parent = "x"
`
	tests := []struct {
		key  string
		want int
	}{
		{"title", 1},
		{"summary", 2},
		{"tags", 7},
		{"copies", 14},
		{"pages", 15},
		{"params", 16},
		{"params.note", 17},
		{"params.absent", 16},
		{"contents.title", 19},
		{"absent", 0},
		{"menu", 22},
		{"menu.docs.parent", 23},
	}
	for _, tt := range tests {
		if got := KeyLine([]byte(src), strings.Split(tt.key, ".")); got != tt.want {
			t.Errorf("KeyLine(%s) = %d, want %d", tt.key, got, tt.want)
		}
	}
	if got := TableLines([]byte(src), []string{"contents"}); len(got) != 2 || got[0] != 18 || got[1] != 20 {
		t.Errorf("TableLines(contents) = %v, want [18 20]", got)
	}
}

type notADate struct{}

func (notADate) UnmarshalTOML(any) error { return errors.New("hôm qua is not a date") }

// A value that the destination cannot take names its key, even when the
// key's name is a word of the message.
func TestDecodeNamesKey(t *testing.T) {
	var v struct {
		Date notADate `toml:"date"`
		Text string   `toml:"title"`
	}
	for src, want := range map[string]string{
		"date = \"hôm qua\"\n": "f.md:1:9: date: hôm qua is not a date",
		"title = [\"a\"]\n":    "f.md:1: title: expected text in quotes, found a list [..]",
	} {
		if got := Decode("f.md", 1, []byte(src), &v).Error(); got != want {
			t.Errorf("Decode(%q) = %q, want %q", src, got, want)
		}
	}
}
