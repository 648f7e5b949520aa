package config

import (
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	const ok = "baseURL = \"https://x.gov.vn/sxsh\"\n[languages.vi]\ntitle = \"T\"\n[languages.en]\ntitle = \"E\"\nweight = 2\n"
	c, err := Parse([]byte(ok))
	if err != nil {
		t.Fatal(err)
	}
	if c.Base.Path != "/sxsh/" || c.Paginate != 10 || c.Location.String() != "Asia/Ho_Chi_Minh" || c.DefaultLanguage != "vi" {
		t.Errorf("defaults: base %q paginate %d zone %v lang %q", c.Base.Path, c.Paginate, c.Location, c.DefaultLanguage)
	}
	if got := strings.Join(c.Langs(), ","); got != "vi,en" {
		t.Errorf("Langs = %s", got)
	}
	if c.LangPrefix("en") != "/en/" || c.LangPrefix("vi") != "/" {
		t.Errorf("prefixes %s %s", c.LangPrefix("vi"), c.LangPrefix("en"))
	}
	dirs, err := Parse([]byte("[languages.vi]\ntitle = \"T\"\n[languages.en]\ntitle = \"E\"\ncontentDir = \"content/en/\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if d := dirs.ContentDirs(); d["vi"] != "content" || d["en"] != "content/en" {
		t.Errorf("ContentDirs = %v, want vi in content, en in content/en", d)
	}
	bad := []struct{ src, want string }{
		{"baseURL = \"https:///\"\n[languages.vi]\ntitle = \"T\"\n", `site.toml:1: baseURL "https:///" is not a URL`},
		{"timeZone = \"Mars/Base\"\n[languages.vi]\ntitle = \"T\"\n", `site.toml:1: timeZone "Mars/Base" is not a known time zone`},
		{"paginate = -1\n[languages.vi]\ntitle = \"T\"\n", `site.toml:1: paginate must be a positive number`},
		{"defaultLanguage = \"fr\"\n[languages.vi]\ntitle = \"T\"\n", `site.toml:1: defaultLanguage "fr" has no [languages.fr] table`},
		{"[languages.vi]\nlanguageName = \"V\"\n", `site.toml:1: [languages.vi] needs a title`},
		{"[languages.vi]\ntitle = \"T\"\n[trustBadge]\nurl = \"https://tinnhiemmang.vn/\"\n", `site.toml:3: trustBadge needs both url and image`},
		{"[languages.vi]\ntitle = \"T\"\n[taxonomies.series]\nvi = \"loat-bai\"\n", `site.toml:3: taxonomy "series" is not a front-matter field`},
		{"[languages.vi]\ntitle = \"T\"\n[taxonomies.tags]\nvi = \"a/b\"\n", `site.toml:4: taxonomy "tags": URL segment "a/b"`},
		{"[languages.vi]\ntitle = \"T\"\n[[languages.vi.menu]]\nname = \"A\"\n", `menu item 1 of language "vi" needs both name and url`},
		{"shareImage = \"/images/logo.svg\"\n[languages.vi]\ntitle = \"T\"\n", `site.toml:1: shareImage "/images/logo.svg": use a JPEG, PNG, WebP or GIF picture`},
		{"shareImage = \"images/a.jpg\"\n[languages.vi]\ntitle = \"T\"\n", `site.toml:1: shareImage "images/a.jpg": write the path of a file in static/ from /`},
		{"[languages.vi]\ntitle = \"T\"\ntitel = \"U\"\n", `site.toml:3: unknown key "languages.vi.titel" (did you mean "title"?)`},
		{"[languages.vi]\ntitle = \"T\"\ncontentDir = \"../vi\"\n", `site.toml:3: [languages.vi] contentDir "../vi": write a folder inside content/`},
		{"[languages.vi]\ntitle = \"T\"\ncontentDir = \"content/../x\"\n", `site.toml:3: [languages.vi] contentDir "content/../x"`},
		{"[languages.vi]\ntitle = \"T\"\ncontentDir = \"content/x\"\n[languages.en]\ntitle = \"E\"\ncontentDir = \"content/x/\"\n", `contentDir "content/x" is also the content folder of "vi"`},
		{"[languages.vi]\ntitle = \"T\"\ncontentDir = \"content/x\"\n[languages.en]\ntitle = \"E\"\ncontentDir = \"content/x/en\"\n", `site.toml:6: [languages.en] contentDir "content/x/en" is inside "content/x"`},
		{"pageParams = [\"lead\", \"a.b\"]\n[languages.vi]\ntitle = \"T\"\n", `site.toml:1: pageParams: "a.b" is not a front-matter key`},
		{"pageParams = [\"lead\", \"lead\"]\n[languages.vi]\ntitle = \"T\"\n", `site.toml:1: pageParams: "lead" is listed twice`},
	}
	for _, tt := range bad {
		_, err := Parse([]byte(tt.src))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Parse(%q) = %v, want %q", tt.src, err, tt.want)
		}
	}
}

// FuzzParse: whatever site.toml holds, Parse returns a configuration or
// diagnostics naming site.toml, never a panic.
func FuzzParse(f *testing.F) {
	f.Add("baseURL = \"https://x.gov.vn/sxsh\"\n[languages.vi]\ntitle = \"T\"\n[[languages.vi.menu]]\nname = \"A\"\nurl = \"/\"\n")
	f.Add("timeZone = \"+07:00\"\npaginate = 0\n[taxonomies.tags]\nvi = \"\"\n[trustBadge]\nurl = \"x\"\n")
	f.Add("[languages]\nvi = 1\n")
	f.Fuzz(func(t *testing.T, src string) {
		c, err := Parse([]byte(src))
		if err == nil && (c == nil || c.Base == nil || c.Location == nil || len(c.Langs()) == 0) {
			t.Fatalf("a configuration without its derived fields: %+v", c)
		}
		if err != nil && !strings.Contains(err.Error(), File) {
			t.Fatalf("an error that does not name %s: %v", File, err)
		}
	})
}
