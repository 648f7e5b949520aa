package content

import (
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// FuzzLoad feeds arbitrary files, of every kind, to the loader: whatever an
// editor saves, the result is pages or diagnostics, never a panic.
func FuzzLoad(f *testing.F) {
	for _, s := range []string{
		"+++\ntitle = \"A\"\ndate = 2021-03-15\n+++\nBody",
		"+++\ntitle = \"A\"\ndate = \"15/03/2021\"\naliases = [\"/x/\"]\nslug = \"../a\"\n+++\n",
		"+++\npublication = \"P\"\nissue = 1\ncopies = -1\npages = 2\n[[contents]]\ntitle = \"\"\npage = 9\n+++\n",
		"+++\nmedium = \"tv\"\nairings = [2020-01-01, \"x\"]\n+++\n",
		"+++\nform = \"panel\"\ndistrict = \"Bien Hoa\"\nquantity = \"nhiều\"\n+++\n",
		"---\ntitle: yaml\n---\n", "", "\xff\xfe", "+++\n[params]\na.b.c = 1\n+++\n",
		"---\ntitle: “A”\ndate: 2024-03-15 10:00:00 +07:00\ntags: [a, \"\"]\nparams:\n  x: {y: [1, {z: .inf}]}\n---\nBody",
		"---\npublication: P\nissue: 1\ncopies: -1\npages: 2\ncontents:\n  - title: \"\"\n    page: 9\n  - &a {title: b}\n  - *a\n---\n",
		"---\nmedium: tv\nairings:\n\t- 2020-01-01\nkey:value\nk: v: w\ndate:\n---\n",
		"{\"title\": \"A\", \"date\": 2024,\n\"contents\": [{\"title\": \"x\", \"page\": 1e3}],\n\"params\": {\"n\": null}}\nBody",
		"{\"form\": “panel”, \"quantity\": 1,}\n", "{\n\"a\": \"}\"\n",
		"+++\nsummary = \"\"\"\ntitle = x\n\"\"\"\ndate = 15/03/2024\ntags = [\"a\", \"\"]\n+++\n",
	} {
		f.Add("articles", s)
		f.Add("newsletters", s)
		f.Add("broadcasts", s)
		f.Add("banners", s)
	}
	cfg := testConfig(f)
	f.Fuzz(func(t *testing.T, dir, src string) {
		// Folder names come from a real file system: valid path elements.
		if len(dir) > 20 || !fs.ValidPath("content/"+dir+"/x.vi.md") || strings.Contains(dir, "/") {
			dir = "articles"
		}
		fsys := fstest.MapFS{
			"content/" + dir + "/x.vi.md": {Data: []byte(src)},
			"content/y.en.md":             {Data: []byte(src)},
		}
		s, errs := Load(fsys, cfg, Options{Now: time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)})
		if s == nil && !errs.HasErrors() {
			t.Fatalf("no site and no error")
		}
		for _, d := range errs {
			if d.File == "" || d.Msg == "" {
				t.Fatalf("diagnostic without file or message: %+v", d)
			}
		}
	})
}
