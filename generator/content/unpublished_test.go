package content

import (
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// Unpublished pages get the address they would be published at, so that a
// preview can say why that address shows nothing.
func TestUnpublishedPaths(t *testing.T) {
	cfg := testConfig(t)
	now := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	fsys := fstest.MapFS{
		"content/articles/_index.vi.md":  {Data: []byte("+++\ntitle = \"Tin tức\"\nslug = \"tin-tuc\"\n+++\n")},
		"content/articles/_index.en.md":  {Data: []byte("+++\ntitle = \"News\"\nslug = \"news\"\n+++\n")},
		"content/articles/nhap.vi.md":    {Data: []byte("+++\ntitle = \"Nháp\"\ndate = 2026-11-01\ndraft = true\n+++\n")},
		"content/articles/draft.en.md":   {Data: []byte("+++\ntitle = \"Draft\"\ndate = 2026-11-01\nslug = \"my-draft\"\ndraft = true\n+++\n")},
		"content/articles/sau.vi.md":     {Data: []byte("+++\ntitle = \"Sau\"\ndate = 2027-01-01\n+++\n")},
		"content/articles/het-han.vi.md": {Data: []byte("+++\ntitle = \"Hết hạn\"\ndate = 2026-01-01\nexpiryDate = 2026-06-01\n+++\n")},
		"content/du-an/_index.vi.md":     {Data: []byte("+++\ntitle = \"Dự án\"\nslug = \"cac-du-an\"\ndraft = true\n+++\n")},
		"content/du-an/moi.vi.md":        {Data: []byte("+++\ntitle = \"Mới\"\ndraft = true\n+++\n")},
		"content/Hội thảo/a.vi.md":       {Data: []byte("+++\ntitle = \"A\"\ndraft = true\n+++\n")},
		"content/gioi-thieu.vi.md":       {Data: []byte("+++\ntitle = \"Giới thiệu\"\ndraft = true\n+++\n")},
		// nested: a published section two deep, and a draft one below it
		"content/articles/2024/_index.vi.md":          {Data: []byte("+++\ntitle = \"Năm 2024\"\nslug = \"nam-2024\"\n+++\n")},
		"content/articles/2024/a.vi.md":               {Data: []byte("+++\ntitle = \"A\"\ndate = 2024-01-01\ndraft = true\n+++\n")},
		"content/articles/2024/quy-1/_index.vi.md":    {Data: []byte("+++\ntitle = \"Quý 1\"\ndraft = true\n+++\n")},
		"content/articles/2024/quy-1/thang-1/b.vi.md": {Data: []byte("+++\ntitle = \"B\"\ndate = 2024-01-01\ndraft = true\n+++\n")},
	}
	s, errs := Load(fsys, cfg, Options{Now: now})
	if errs.HasErrors() {
		t.Fatal(errs)
	}
	want := map[string]string{
		"content/articles/nhap.vi.md":                 "/tin-tuc/nhap/",
		"content/articles/draft.en.md":                "/en/news/my-draft/",
		"content/articles/sau.vi.md":                  "/tin-tuc/sau/",
		"content/articles/het-han.vi.md":              "/tin-tuc/het-han/",
		"content/du-an/_index.vi.md":                  "/cac-du-an/",
		"content/du-an/moi.vi.md":                     "/cac-du-an/moi/",
		"content/Hội thảo/a.vi.md":                    "/hoi-thao/a/",
		"content/gioi-thieu.vi.md":                    "/gioi-thieu/",
		"content/articles/2024/a.vi.md":               "/tin-tuc/nam-2024/a/",
		"content/articles/2024/quy-1/_index.vi.md":    "/tin-tuc/nam-2024/quy-1/",
		"content/articles/2024/quy-1/thang-1/b.vi.md": "/tin-tuc/nam-2024/quy-1/thang-1/b/",
	}
	got := map[string]string{}
	for _, p := range s.Unpublished {
		got[p.File] = p.Path
	}
	for file, path := range want {
		if got[file] != path {
			t.Errorf("%s: path %q, want %q", file, got[file], path)
		}
	}
	if len(got) != len(want) {
		t.Errorf("unpublished %v, want %v", got, want)
	}
	for _, p := range s.Pages {
		for _, q := range p.Pages {
			if q.Draft {
				t.Errorf("%s lists the draft %s", p.Path, q.File)
			}
		}
	}
}

// A section made for a folder without _index, whose name gives no
// address, is reported at that folder.
func TestSectionFolderWithoutAddress(t *testing.T) {
	fsys := fstest.MapFS{"content/★★/a.vi.md": {Data: []byte("+++\ntitle = \"A\"\n+++\n")}}
	_, errs := Load(fsys, testConfig(t), Options{})
	if want := `content/★★/: cannot make a URL from the folder name "★★"`; !strings.Contains(errs.Error(), want) {
		t.Errorf("errors %q, want %q", errs.Error(), want)
	}
}
