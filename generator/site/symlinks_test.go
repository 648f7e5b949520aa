package site

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSymlinks builds a site on disk with one link each, as an editor or a
// careless copy could leave it, and checks that a link leading out of the
// site, looping or dangling is an error naming the link and its target,
// and that nothing from outside the site reaches the published folder.
func TestSymlinks(t *testing.T) {
	const secret = "a file outside the site: never published"
	outside := t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "passwd"), []byte(secret), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(outside, "bai.vi.md"), []byte("+++\ntitle = \"Ngoài\"\n+++\n"+secret), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name        string
		link, to    string // to is relative to the link's folder, or absolute; "$out" and "$site" are replaced
		errs        []string
		thenPublish string // for a link that builds: the file it publishes, with the target's text
	}{
		{name: "outside file, absolute", link: "static/leak.txt", to: "$out/passwd",
			errs: []string{"static/leak.txt: is a link to $out/passwd, outside the site directory"}},
		{name: "outside file, relative", link: "static/files/leak.txt", to: "../../../" + filepath.Base(outside) + "/passwd",
			errs: []string{"static/files/leak.txt: is a link to ../../../" + filepath.Base(outside) + "/passwd, outside the site directory"}},
		{name: "outside folder", link: "static/ext", to: "$out",
			errs: []string{"static/ext: is a link to $out, outside the site directory"}},
		{name: "outside content folder", link: "content/ngoai", to: "$out",
			errs: []string{"content/ngoai: is a link to $out, outside the site directory"}},
		{name: "outside Markdown file", link: "content/ngoai.vi.md", to: "$out/bai.vi.md",
			errs: []string{"content/ngoai.vi.md: is a link to $out/bai.vi.md, outside the site directory"}},
		{name: "outside layout", link: "layouts/partials/x.html", to: "$out/passwd",
			errs: []string{"layouts/partials/x.html: is a link to $out/passwd, outside the site directory"}},
		{name: "a whole root folder outside", link: "static", to: "$out",
			errs: []string{"static: is a link to $out, outside the site directory"}},
		{name: "loop", link: "static/a", to: "a",
			errs: []string{"static/a: is a link that leads back to itself"}},
		{name: "folder loop", link: "static/images/self", to: "../images/self/x",
			errs: []string{"static/images/self: is a link that leads back to itself"}},
		{name: "dangling", link: "static/gone.txt", to: "khong-co.txt",
			errs: []string{"static/gone.txt: is a link to khong-co.txt, which does not exist"}},
		{name: "folder inside the site", link: "static/hinh", to: "images",
			errs: []string{"static/hinh: is a link to the folder static/images: sxsh follows links to files only"}},
		{name: "through a link inside to outside", link: "static/b.txt", to: "ext/passwd",
			errs: []string{"static/b.txt: is a link to $out, outside the site directory"}},
		{name: "file inside the site", link: "static/files/logo.svg", to: "../images/logo.svg",
			thenPublish: "files/logo.svg"},
		{name: "file inside the site, absolute", link: "static/files/logo.svg", to: "$site/static/images/logo.svg",
			thenPublish: "files/logo.svg"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			site := filepath.Join(t.TempDir(), "site")
			for name, body := range map[string]string{
				"site.toml":              siteTOML[strings.Index(siteTOML, "\n")+1:],
				"content/a.vi.md":        "+++\ntitle = \"A\"\n+++\nChào.\n",
				"static/images/logo.svg": `<svg xmlns="http://www.w3.org/2000/svg"><title>logo</title></svg>`,
			} {
				p := filepath.Join(site, filepath.FromSlash(name))
				os.MkdirAll(filepath.Dir(p), 0o755)
				if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			expand := strings.NewReplacer("$out", outside, "$site", site).Replace
			link := filepath.Join(site, filepath.FromSlash(tt.link))
			os.MkdirAll(filepath.Dir(link), 0o755)
			if tt.link == "static" {
				os.RemoveAll(link)
			}
			if err := os.Symlink(filepath.FromSlash(expand(tt.to)), link); err != nil {
				t.Fatal(err)
			}
			if tt.name == "through a link inside to outside" {
				if err := os.Symlink(outside, filepath.Join(site, "static", "ext")); err != nil {
					t.Fatal(err)
				}
			}
			dest := filepath.Join(t.TempDir(), "public")
			_, err := build(t, os.DirFS(site), dest, func(o *Options) { o.Dir = site })
			if tt.thenPublish != "" {
				if err != nil {
					t.Fatalf("a link inside the site failed the build: %v", err)
				}
				if got := read(t, dest, tt.thenPublish); !strings.Contains(got, "logo") {
					t.Errorf("%s holds %q, not the linked file", tt.thenPublish, got)
				}
				return
			}
			if err == nil {
				t.Fatal("the build passed")
			}
			for _, want := range tt.errs {
				if !strings.Contains(err.Error(), expand(want)) {
					t.Errorf("the error lacks %q:\n%v", expand(want), err)
				}
			}
			if _, err := os.Stat(dest); err == nil {
				t.Errorf("a failed build published %s", dest)
			}
			// sxsh check finds the same.
			if findings := Check(t.Context(), Options{Source: os.DirFS(site), Dir: site, Defaults: defaults(), Now: testNow}); !strings.Contains(findings.Error(), expand(tt.errs[0])) {
				t.Errorf("check does not report the link:\n%v", findings)
			}
		})
	}
}
