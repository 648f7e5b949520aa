// Package config reads a site's site.toml into typed structs. Unknown keys
// are errors naming the line, so that a misspelt setting is never silently
// ignored.
package config

import (
	"crypto/sha256"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"regexp"
	"sort"
	"strings"
	"time"

	"sxsh/generator/diag"
	"sxsh/generator/tomlfile"
)

// File is the name of the configuration file at the top of a site directory.
const File = "site.toml"

// Config is a whole site's configuration.
type Config struct {
	// BaseURL is the absolute URL the site is published at; a path such as
	// https://example.gov.vn/sxsh/ puts every page under /sxsh/.
	BaseURL string `toml:"baseURL"`
	// DefaultLanguage is served at the site root; the others under /<code>/.
	DefaultLanguage string `toml:"defaultLanguage"`
	// Paginate is the number of items on a list page.
	Paginate int `toml:"paginate"`
	// TimeZone names the zone that dates without an offset are in.
	TimeZone string `toml:"timeZone"`
	// UnsafeHTML lets raw HTML in Markdown through; otherwise it is escaped.
	UnsafeHTML bool `toml:"unsafeHTML"`
	// Languages maps a language code ("vi", "en") to its settings.
	Languages map[string]*Language `toml:"languages"`
	// Taxonomies maps a front-matter list field (categories, tags) to its
	// URL segment in each language.
	Taxonomies map[string]map[string]string `toml:"taxonomies"`
	// TrustBadge is the "Chứng nhận Tín nhiệm mạng" badge in the footer.
	TrustBadge TrustBadge `toml:"trustBadge"`
	// Zalo is the address of the programme's Zalo page, linked in the footer.
	Zalo string `toml:"zalo"`
	// ShareImage is the picture a link to the site shows when shared
	// (Zalo, Facebook) from a page without a picture of its own: a JPEG,
	// PNG, WebP or GIF in static/, best 1200×630 pixels.
	ShareImage string `toml:"shareImage"`
	// Districts lists the district-level units that banner placements may
	// name; empty accepts any.
	Districts []string `toml:"districts"`
	// Counter configures the visitor counter snippet.
	Counter Counter `toml:"counter"`
	// Params holds the site's own values for its templates; its keys are
	// not checked.
	Params map[string]any `toml:"params"`
	// PageParams names the site's own front-matter keys, which pages may
	// set at the top level of their front matter as if under [params]:
	// themes of Hugo sites read keys such as lead or images there. Every
	// other unknown key stays an error, so that a misspelt one is caught.
	PageParams []string `toml:"pageParams"`

	// Location is TimeZone loaded; set by Load.
	Location *time.Location `toml:"-"`
	// Base is BaseURL parsed; its Path always ends in "/". Set by Load.
	Base *url.URL `toml:"-"`
	// Sum fingerprints the text of site.toml, which decides what every
	// page shows around its content. Set by Parse.
	Sum [sha256.Size]byte `toml:"-"`
	src []byte
}

// Language is the settings of one language of the site.
type Language struct {
	LanguageName string `toml:"languageName"`
	Title        string `toml:"title"`
	Description  string `toml:"description"`
	Weight       int    `toml:"weight"`
	// Copyright is the footer's line on ownership, in this language.
	Copyright string     `toml:"copyright"`
	Menu      []MenuItem `toml:"menu"`
	Contact   Contact    `toml:"contact"`
	// ContentDir is the folder of this language's content files, which
	// need no language suffix, as Hugo's contentDir: "content/en". Empty
	// means the shared content/ folder, whose file names carry the suffix.
	ContentDir string `toml:"contentDir"`
	// Portals are the links to other state agencies' portals in the footer.
	Portals []Portal `toml:"portals"`
	// Organisation is what the organisation page shows: units and people.
	Organisation Organisation `toml:"organisation"`
}

// MenuItem is one entry of a language's main menu. URL is a site path such
// as "/tin-tuc/"; the base URL's path is added when it is written.
type MenuItem struct {
	Name   string `toml:"name"`
	URL    string `toml:"url"`
	Weight int    `toml:"weight"`
}

// Contact is the organisation's contact block in one language.
type Contact struct {
	Organisation string `toml:"organisation"`
	Parent       string `toml:"parent"`
	Address      string `toml:"address"`
	Phone        string `toml:"phone"`
	Email        string `toml:"email"`
	Hours        string `toml:"hours"`
}

// TrustBadge is a link and image shown in the footer when both are set.
type TrustBadge struct {
	URL   string `toml:"url"`
	Image string `toml:"image"`
	Alt   string `toml:"alt"`
}

// Counter configures the visitor counter; with no Endpoint the snippet is
// left out.
type Counter struct {
	Endpoint string `toml:"endpoint"`
}

// Line returns the line of site.toml on which key is set, 0 if none.
func (c *Config) Line(key ...string) int { return tomlfile.KeyLine(c.src, key) }

// IsRaster reports whether a file name is a picture that link previews
// show: JPEG, PNG, WebP or GIF.
func IsRaster(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".jpg", ".jpeg", ".png", ".webp", ".gif":
		return true
	}
	return false
}

// Load reads site.toml from fsys and checks it. Every problem is returned
// at once, each naming site.toml and a line.
func Load(fsys fs.FS) (*Config, error) {
	src, err := fs.ReadFile(fsys, File)
	if err != nil {
		return nil, diag.List{diag.Errorf(File, 0, 0, "cannot read the site configuration: %v (is this a site directory? use --source DIR)", err)}
	}
	return Parse(src)
}

// Parse decodes and checks the text of a site.toml.
func Parse(src []byte) (*Config, error) {
	c := &Config{Sum: sha256.Sum256(src), src: src}
	errs := tomlfile.Decode(File, 1, src, c, "params")
	if errs.HasErrors() {
		return nil, errs
	}
	at := func(key ...string) int { return tomlfile.KeyLine(src, key) }
	bad := func(line int, format string, args ...any) {
		errs.Add(diag.Errorf(File, line, 0, format, args...))
	}
	if c.BaseURL == "" {
		c.BaseURL = "/"
	}
	if u, err := url.Parse(c.BaseURL); err != nil || (u.Scheme != "" && u.Host == "") || (u.Scheme == "" && u.Host != "") {
		bad(at("baseURL"), "baseURL %q is not a URL like https://sxsh.dongnai.gov.vn/", c.BaseURL)
	} else {
		if !strings.HasSuffix(u.Path, "/") {
			u.Path += "/"
		}
		c.Base = u
	}
	if c.ShareImage != "" {
		if !strings.HasPrefix(c.ShareImage, "/") || strings.Contains(c.ShareImage, "..") {
			bad(at("shareImage"), "shareImage %q: write the path of a file in static/ from /, like \"/images/chia-se.jpg\"", c.ShareImage)
		} else if !IsRaster(c.ShareImage) {
			bad(at("shareImage"), "shareImage %q: use a JPEG, PNG, WebP or GIF picture; Zalo and Facebook do not show SVG", c.ShareImage)
		}
	}
	if c.Paginate == 0 {
		c.Paginate = 10
	} else if c.Paginate < 0 {
		bad(at("paginate"), "paginate must be a positive number of items per page, not %d", c.Paginate)
	}
	if c.TimeZone == "" {
		c.TimeZone = "Asia/Ho_Chi_Minh"
	}
	loc, err := time.LoadLocation(c.TimeZone)
	if err != nil {
		loc = fixedZone(c.TimeZone)
		if loc == nil {
			bad(at("timeZone"), "timeZone %q is not a known time zone (for example \"Asia/Ho_Chi_Minh\")", c.TimeZone)
		}
	}
	c.Location = loc
	if len(c.Languages) == 0 {
		c.Languages = map[string]*Language{"vi": {LanguageName: "Tiếng Việt", Title: "Website"}}
	}
	if c.DefaultLanguage == "" {
		c.DefaultLanguage = "vi"
	}
	if _, ok := c.Languages[c.DefaultLanguage]; !ok {
		bad(at("defaultLanguage"), "defaultLanguage %q has no [languages.%s] table", c.DefaultLanguage, c.DefaultLanguage)
	}
	for code, l := range c.Languages {
		if !validCode(code) {
			bad(at("languages", code), "language code %q must be lower-case letters, like \"vi\" or \"en\"", code)
		}
		if l.Title == "" {
			bad(at("languages", code), "[languages.%s] needs a title", code)
		}
		for i, m := range l.Menu {
			if m.Name == "" || m.URL == "" {
				bad(at("languages", code, "menu"), "menu item %d of language %q needs both name and url", i+1, code)
			}
		}
		sort.SliceStable(l.Menu, func(i, j int) bool { return l.Menu[i].Weight < l.Menu[j].Weight })
		errs = append(errs, checkOrganisation(src, code, l)...)
		if l.ContentDir != "" {
			dir, err := cleanContentDir(l.ContentDir)
			if err != nil {
				bad(at("languages", code, "contentDir"), "[languages.%s] contentDir %q: %v", code, l.ContentDir, err)
			}
			l.ContentDir = dir
		}
	}
	dirs := map[string]string{}
	for _, code := range c.Langs() {
		dir := c.Languages[code].ContentDir
		if dir == "" {
			continue
		}
		if other, ok := dirs[dir]; ok {
			bad(at("languages", code, "contentDir"), "[languages.%s] contentDir %q is also the content folder of %q: give each language its own", code, dir, other)
		}
		dirs[dir] = code
	}
	for dir, code := range dirs {
		for inner, other := range dirs {
			if strings.HasPrefix(inner, dir+"/") {
				bad(at("languages", other, "contentDir"), "[languages.%s] contentDir %q is inside %q, the content folder of %q", other, inner, dir, code)
			}
		}
	}
	for name, slugs := range c.Taxonomies {
		if name != "categories" && name != "tags" {
			bad(at("taxonomies", name), "taxonomy %q is not a front-matter field; use \"categories\" or \"tags\"", name)
		}
		for code, slug := range slugs {
			if _, ok := c.Languages[code]; !ok {
				bad(at("taxonomies", name, code), "taxonomy %q has a URL segment for %q, which is not a language of the site", name, code)
			}
			if slug == "" || strings.ContainsAny(slug, "/\\?#") || slug == "." || slug == ".." {
				bad(at("taxonomies", name, code), "taxonomy %q: URL segment %q for %q must be one plain path segment like \"chuyen-muc\"", name, slug, code)
			}
		}
	}
	seen := map[string]bool{}
	for _, k := range c.PageParams {
		switch {
		case !ValidPageParam(k):
			bad(at("pageParams"), "pageParams: %q is not a front-matter key: write names like \"lead\" (letters, digits, - and _)", k)
		case seen[k]:
			bad(at("pageParams"), "pageParams: %q is listed twice", k)
		}
		seen[k] = true
	}
	if (c.TrustBadge.URL == "") != (c.TrustBadge.Image == "") {
		bad(at("trustBadge"), "trustBadge needs both url and image (or neither)")
	}
	if errs.HasErrors() {
		errs.Sort()
		return nil, errs
	}
	return c, nil
}

// paramKeyRe is what a key listed in pageParams may be: a bare TOML key,
// which YAML and JSON front matter can write too.
var paramKeyRe = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]*$`)

// contentRoot is the folder that every content folder is in.
const contentRoot = "content"

// cleanContentDir checks a language's contentDir, a folder inside content/
// written from the site folder, and returns it as a clean slash path;
// "content" itself means the shared folder and gives "".
func cleanContentDir(dir string) (string, error) {
	d := strings.TrimSuffix(strings.ReplaceAll(dir, "\\", "/"), "/")
	if d == contentRoot || d == "./"+contentRoot {
		return "", nil
	}
	clean := path.Clean(d)
	if path.IsAbs(d) || clean != strings.TrimPrefix(d, "./") || !strings.HasPrefix(clean, contentRoot+"/") {
		return "", fmt.Errorf("write a folder inside content/, like \"content/en\"")
	}
	for _, seg := range strings.Split(clean, "/") {
		if strings.HasPrefix(seg, ".") || strings.HasPrefix(seg, "_") {
			return "", fmt.Errorf("folder names may not start with . or _")
		}
	}
	return clean, nil
}

// ContentDirs returns the folder of each language's content files, by
// code: its contentDir, or "content" for the languages that share it.
func (c *Config) ContentDirs() map[string]string {
	out := make(map[string]string, len(c.Languages))
	for code, l := range c.Languages {
		out[code] = contentRoot
		if l.ContentDir != "" {
			out[code] = l.ContentDir
		}
	}
	return out
}

func validCode(code string) bool {
	if code == "" || len(code) > 8 {
		return false
	}
	for _, r := range code {
		if (r < 'a' || r > 'z') && r != '-' {
			return false
		}
	}
	return true
}

// fixedZone accepts "+07:00" style offsets, for machines without a zone
// database.
func fixedZone(s string) *time.Location {
	t, err := time.Parse("-07:00", s)
	if err != nil {
		return nil
	}
	_, off := t.Zone()
	return time.FixedZone(s, off)
}

// Langs returns the language codes, the default first and then by weight
// and code.
func (c *Config) Langs() []string {
	codes := make([]string, 0, len(c.Languages))
	for code := range c.Languages {
		codes = append(codes, code)
	}
	sort.Slice(codes, func(i, j int) bool {
		a, b := codes[i], codes[j]
		if (a == c.DefaultLanguage) != (b == c.DefaultLanguage) {
			return a == c.DefaultLanguage
		}
		if wa, wb := c.Languages[a].Weight, c.Languages[b].Weight; wa != wb {
			return wa < wb
		}
		return a < b
	})
	return codes
}

// LangPrefix is the site path a language's pages live under: "/" for the
// default language, "/en/" for English.
func (c *Config) LangPrefix(lang string) string {
	if lang == c.DefaultLanguage {
		return "/"
	}
	return "/" + lang + "/"
}

// TaxonomySlug returns the URL segment of taxonomy name in lang, falling back
// to the name itself.
func (c *Config) TaxonomySlug(name, lang string) string {
	if s := c.Taxonomies[name][lang]; s != "" {
		return s
	}
	return name
}

// TaxonomyNames returns the taxonomy names in a stable order.
func (c *Config) TaxonomyNames() []string {
	names := make([]string, 0, len(c.Taxonomies))
	for n := range c.Taxonomies {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// String describes the configuration briefly, for verbose output.
func (c *Config) String() string {
	return fmt.Sprintf("site at %s in %s", c.BaseURL, strings.Join(c.Langs(), ", "))
}

// ValidPageParam reports whether key may be listed in pageParams: a bare
// key, letters, digits, - and _, that every front-matter format can write.
func ValidPageParam(key string) bool { return paramKeyRe.MatchString(key) }

// ValidLanguageCode reports whether code may name a language in site.toml:
// lower-case letters and hyphens, at most eight, such as "vi" or "zh-tw".
func ValidLanguageCode(code string) bool { return validCode(code) }
