package content

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"sxsh/generator/diag"
	"sxsh/generator/tomlfile"
	"sxsh/generator/vitext"
)

// Newsletter is one issue of a newsletter or a newspaper column.
type Newsletter struct {
	Publication string         `toml:"publication"`
	Issue       int            `toml:"issue"`
	Copies      int            `toml:"copies"`
	Pages       int            `toml:"pages"`
	PDF         string         `toml:"pdf"`
	Cover       string         `toml:"cover"`
	Contents    []ContentEntry `toml:"contents"`
}

// ContentEntry is one line of an issue's table of contents.
type ContentEntry struct {
	Title string `toml:"title"`
	Page  int    `toml:"page"`
}

// Broadcast is one radio or TV programme and its airings.
type Broadcast struct {
	Medium   string `toml:"medium"`
	Station  string `toml:"station"`
	Series   string `toml:"series"`
	Episode  int    `toml:"episode"`
	Duration int    `toml:"duration"` // minutes
	// Airings are read from front matter; Times holds them as instants in
	// the site's zone, in order.
	Airings []Date      `toml:"airings"`
	Times   []time.Time `toml:"-"`
	Media   string      `toml:"media"`
}

// Broadcast media.
const (
	MediumRadio = "radio"
	MediumTV    = "tv"
)

// Minutes is the programme's total air time: its duration times its airings.
func (b *Broadcast) Minutes() int { return b.Duration * len(b.Times) }

// IsRemoteMedia reports whether Media is a link to elsewhere rather than a
// file of the site.
func (b *Broadcast) IsRemoteMedia() bool { return isRemote(b.Media) }

// Banner is one banner or panel placement of the catalogue.
type Banner struct {
	Form      string    `toml:"form"`
	Slogan    string    `toml:"slogan"`
	District  string    `toml:"district"`
	Zone      string    `toml:"zone"`
	Address   string    `toml:"address"`
	Quantity  int       `toml:"quantity"`
	Size      string    `toml:"size"`
	Installed Date      `toml:"installed"`
	Date      time.Time `toml:"-"` // Installed in the site's zone
	Photo     string    `toml:"photo"`
}

// Banner forms.
const (
	FormBanner = "banner"
	FormPanel  = "panel"
)

// kindMatter returns the struct that a page's front matter decodes into,
// and a function that stores the kind's part in the page. Only single pages
// have a kind's fields: sections and homes have the common ones.
func kindMatter(p *Page) (any, *Common, func()) {
	if p.Kind != KindSingle {
		m := &Common{}
		return m, m, func() {}
	}
	switch p.Type {
	case TypeArticle:
		m := &struct {
			Common
			Article
		}{}
		return m, &m.Common, func() { p.Article = &m.Article }
	case TypeNewsletter:
		m := &struct {
			Common
			Newsletter
		}{}
		return m, &m.Common, func() { p.Newsletter = &m.Newsletter }
	case TypeBroadcast:
		m := &struct {
			Common
			Broadcast
		}{}
		return m, &m.Common, func() { p.Broadcast = &m.Broadcast }
	case TypeBanner:
		m := &struct {
			Common
			Banner
		}{}
		return m, &m.Common, func() { p.Banner = &m.Banner }
	case TypeDocument:
		m := &struct {
			Common
			Document
		}{}
		return m, &m.Common, func() { p.Document = &m.Document }
	}
	m := &Common{}
	return m, m, func() {}
}

// checkKind validates the fields of a kind: required values, enumerations
// and positive numbers. Files that fields refer to are checked by the site,
// which knows the static files.
func (p *Page) checkKind(loc *time.Location, districts []string) diag.List {
	var errs diag.List
	need := func(key string, ok bool, hint string) {
		if !ok {
			errs.Add(diag.Errorf(p.File, p.fmLine, 0, "%s is missing: add %s", key, hint))
		}
	}
	positive := func(key string, n int) {
		if n <= 0 {
			errs.Add(p.errorf(key, "%s must be a positive whole number, not %d", key, n))
		}
	}
	switch {
	case p.Newsletter != nil:
		n := p.Newsletter
		need("publication", strings.TrimSpace(n.Publication) != "", `publication = "Bản tin Ban Quản lý các KCN Đồng Nai"`)
		need("issue", p.has("issue"), "issue = 12")
		need("copies", p.has("copies"), "copies = 5000")
		need("pages", p.has("pages"), "pages = 16")
		if p.has("issue") {
			positive("issue", n.Issue)
		}
		if p.has("copies") {
			positive("copies", n.Copies)
		}
		if p.has("pages") {
			positive("pages", n.Pages)
		}
		for i, c := range n.Contents {
			line := p.entryLine("contents", i)
			if strings.TrimSpace(c.Title) == "" {
				errs.Add(diag.Errorf(p.File, line, 0, "contents entry %d has no title", i+1))
			}
			if c.Page < 1 || (n.Pages > 0 && c.Page > n.Pages) {
				errs.Add(diag.Errorf(p.File, line, 0, "contents entry %d: page %d is not between 1 and pages (%d)", i+1, c.Page, n.Pages))
			}
		}
		n.Publication = strings.TrimSpace(n.Publication)
	case p.Broadcast != nil:
		b := p.Broadcast
		switch b.Medium {
		case MediumRadio, MediumTV:
		case "":
			need("medium", false, `medium = "radio" or medium = "tv"`)
		default:
			errs.Add(p.errorf("medium", "medium %q is not \"radio\" or \"tv\"", b.Medium))
		}
		need("station", strings.TrimSpace(b.Station) != "", `station = "Đài Phát thanh – Truyền hình Đồng Nai"`)
		need("episode", p.has("episode"), "episode = 1")
		need("duration", p.has("duration"), "duration = 7 (minutes)")
		need("airings", len(b.Airings) > 0, "airings = [2020-05-10T19:45:00]")
		if p.has("episode") {
			positive("episode", b.Episode)
		}
		if p.has("duration") {
			positive("duration", b.Duration)
		}
		for _, a := range b.Airings {
			if !a.hasTime() {
				errs.Add(p.errorf("airings", "airing %s has no time of day: write it as %sT19:45:00", a.t.Format("2006-01-02"), a.t.Format("2006-01-02")))
			}
			b.Times = append(b.Times, a.In(loc))
		}
		slices.SortFunc(b.Times, time.Time.Compare)
		b.Station = strings.TrimSpace(b.Station)
	case p.Banner != nil:
		b := p.Banner
		switch b.Form {
		case FormBanner, FormPanel:
		case "":
			need("form", false, `form = "banner" (băng rôn) or form = "panel" (pano)`)
		default:
			errs.Add(p.errorf("form", "form %q is not \"banner\" or \"panel\"", b.Form))
		}
		need("slogan", strings.TrimSpace(b.Slogan) != "", `slogan = "..."`)
		need("district", strings.TrimSpace(b.District) != "", `district = "Biên Hòa"`)
		need("quantity", p.has("quantity"), "quantity = 100")
		need("installed", !b.Installed.IsZero(), "installed = 2019-04-15")
		if p.has("quantity") {
			positive("quantity", b.Quantity)
		}
		if b.District != "" && len(districts) > 0 {
			if d, ok := matchName(b.District, districts); ok {
				b.District = d
			} else {
				msg := fmt.Sprintf("district %q is not one of site.toml's districts", b.District)
				if s := suggestName(b.District, districts); s != "" {
					msg += fmt.Sprintf(" (did you mean %q?)", s)
				}
				errs.Add(p.errorf("district", "%s", msg))
			}
		}
		b.Zone = strings.TrimSpace(b.Zone)
		b.Date = b.Installed.In(loc)
	case p.Document != nil:
		errs = append(errs, p.checkDocument(loc)...)
	}
	return errs
}

// has reports whether the front matter sets key at the top level.
func (p *Page) has(key string) bool { return tomlfile.KeyLine(p.fm, []string{key}) > 0 }

// entryLine finds the line of the i-th [[name]] table.
func (p *Page) entryLine(name string, i int) int {
	if lines := tomlfile.TableLines(p.fm, []string{name}); i < len(lines) {
		return p.fileLine(lines[i])
	}
	return p.Line(name)
}

// matchName finds name among names, ignoring case and marks, so that
// "Bien Hoa" and "biên hòa" both name "Biên Hòa".
func matchName(name string, names []string) (string, bool) {
	key := vitext.Slug(name)
	for _, n := range names {
		if vitext.Slug(n) == key {
			return n, true
		}
	}
	return "", false
}

func suggestName(name string, names []string) string {
	slugs := make([]string, len(names))
	for i, n := range names {
		slugs[i] = vitext.Slug(n)
	}
	s := tomlfile.Suggest(vitext.Slug(name), slugs)
	for i, sl := range slugs {
		if s != "" && sl == s {
			return names[i]
		}
	}
	return ""
}

// FrontMatterKeys returns the top-level front-matter keys that sxsh reads
// itself, sorted, on a page under the top-level folder section of a
// content folder ("articles"; "" for a page at the top): a single page
// reads those of its section's kind, a home or section page (list, an
// _index file) those that every page has. Others are errors unless
// site.toml's pageParams names them.
func FrontMatterKeys(section string, list bool) []string {
	p := &Page{Kind: KindSingle, Type: TypePage}
	if list {
		p.Kind = KindSection
	}
	if t, ok := sectionTypes[section]; ok {
		p.Type = t
	}
	fields, _, _ := kindMatter(p)
	keys := tomlfile.Keys(fields)
	slices.Sort(keys)
	return keys
}
