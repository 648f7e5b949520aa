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
		{"[languages.vi]\ntitle = \"T\"\n[[languages.vi.portals]]\nname = \"Bộ Công Thương\"\nurl = \"moit.gov.vn\"\n", `site.toml:3: portal 1 of language "vi": url "moit.gov.vn" is not a full web address: write it with https://`},
		{"[languages.vi]\ntitle = \"T\"\n[[languages.vi.portals]]\nname = \"A\"\nurl = \"https://a.gov.vn\"\n[[languages.vi.portals]]\nurl = \"https://dichvucong.gov.vn\"\n", `site.toml:6: portal 2 of language "vi" has no name`},
		{"[languages.vi]\ntitle = \"T\"\n[[languages.vi.portals]]\nname = \"A\"\n", `site.toml:3: portal 1 of language "vi": url is missing`},
		{"[languages.vi]\ntitle = \"T\"\n[[languages.vi.organisation.people]]\nname = \"Giám đốc\"\n", `site.toml:3: person 1 of language "vi" has no position`},
		{"[languages.vi]\ntitle = \"T\"\n[[languages.vi.organisation.units]]\nname = \"Ban Giám đốc\"\n[[languages.vi.organisation.people]]\nname = \"A\"\nposition = \"B\"\nunit = \"Ban Giam doc\"\n", `site.toml:5: person 1 of language "vi": unit "Ban Giam doc" is not the name of one of [[languages.vi.organisation.units]] (did you mean "Ban Giám đốc"?)`},
		{"[languages.vi]\ntitle = \"T\"\n[[languages.vi.organisation.people]]\nname = \"A\"\nposition = \"B\"\nphone = \"gọi tổng đài\"\n", `site.toml:3: person 1 of language "vi": phone "gọi tổng đài" is not a telephone number`},
		{"[languages.vi]\ntitle = \"T\"\n[[languages.vi.organisation.people]]\nname = \"A\"\nposition = \"B\"\nfax = \"123\"\n", `fax "123" is not a telephone number`},
		{"[languages.vi]\ntitle = \"T\"\n[[languages.vi.organisation.people]]\nname = \"A\"\nposition = \"B\"\nemail = \"Giám đốc <gd@x.gov.vn>\"\n", `site.toml:3: person 1 of language "vi": email "Giám đốc <gd@x.gov.vn>" is not an e-mail address`},
		{"[languages.vi]\ntitle = \"T\"\n[[languages.vi.organisation.people]]\nname = \"A\"\nposition = \"B\"\nemial = \"a@x.gov.vn\"\n", `site.toml:6: unknown key "languages.vi.organisation.people.emial" (did you mean "email"?)`},
		{"[languages.vi]\ntitle = \"T\"\n[[languages.vi.organisation.units]]\nname = \"A\"\n[[languages.vi.organisation.units]]\nname = \"A\"\n", `site.toml:5: unit "A" of language "vi" is listed twice`},
	}
	for _, tt := range bad {
		_, err := Parse([]byte(tt.src))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Parse(%q) = %v, want %q", tt.src, err, tt.want)
		}
	}
}

// TestPortalsAndOrganisation: well-formed portals and people are kept as
// written, trimmed; people are found by their unit, in order.
func TestPortalsAndOrganisation(t *testing.T) {
	c, err := Parse([]byte(`[languages.vi]
title = "T"
[[languages.vi.portals]]
name = " Cổng Dịch vụ công quốc gia "
url = "https://dichvucong.gov.vn"
[[languages.vi.organisation.units]]
name = "Ban Giám đốc"
[[languages.vi.organisation.people]]
name = "Giám đốc Trung tâm"
position = "Giám đốc"
unit = "Ban Giám đốc"
phone = "0251 3000 101"
fax = "+84 251 3000 199"
email = "giamdoc@sxsh.dongnai.gov.vn"
[[languages.vi.organisation.people]]
name = "Cán bộ phụ trách trang"
position = "Chuyên viên"
[[languages.vi.organisation.people]]
name = "Phó Giám đốc"
position = "Phó Giám đốc"
unit = "Ban Giám đốc"
`))
	if err != nil {
		t.Fatal(err)
	}
	l := c.Languages["vi"]
	if len(l.Portals) != 1 || l.Portals[0].Name != "Cổng Dịch vụ công quốc gia" {
		t.Errorf("portals = %+v", l.Portals)
	}
	var names []string
	for _, p := range l.Organisation.UnitPeople("Ban Giám đốc") {
		names = append(names, p.Name)
	}
	if strings.Join(names, ", ") != "Giám đốc Trung tâm, Phó Giám đốc" {
		t.Errorf("the board: %v", names)
	}
	if u := l.Organisation.Unplaced(); len(u) != 1 || u[0].Name != "Cán bộ phụ trách trang" {
		t.Errorf("people of no unit: %+v", u)
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
