package site

import (
	"cmp"
	"regexp"
	"strings"
	"time"

	"sxsh/generator/config"
	"sxsh/generator/content"
)

// What a page tells the programs that read it for others: the Open Graph
// tags that Zalo and Facebook show a shared link with, and the JSON-LD
// that search engines read (schema.org: NewsArticle or Article with its
// dates, authors and publisher; the GovernmentOrganization and WebSite on
// the home page; a BreadcrumbList wherever there are breadcrumbs).

// ShareImage is the absolute URL of the picture a shared link shows: the
// page's own picture (its image, a newsletter's cover, a banner's photo)
// when link previews can show it, else site.toml's shareImage; "" for
// none.
func (v *view) ShareImage() string {
	p := v.Page
	candidates := []string{p.Image}
	if n := p.Newsletter; n != nil {
		candidates = append(candidates, n.Cover)
	}
	if bn := p.Banner; bn != nil {
		candidates = append(candidates, bn.Photo)
	}
	candidates = append(candidates, v.b.cfg.ShareImage)
	for _, c := range candidates {
		if c != "" && config.IsRaster(strings.SplitN(c, "?", 2)[0]) {
			// The largest copy (1200 pixels wide, a JPEG without the
			// camera's metadata) is what previews show, and quicker to
			// fetch than a camera's file.
			if u := v.b.shareCopy(c); u != "" {
				return u
			}
			return v.b.assetAbs(c)
		}
	}
	return ""
}

// assetAbs is the absolute URL of a static file's published copy, or of
// a remote file as it is.
func (b *builder) assetAbs(p string) string {
	if strings.Contains(p, "://") || strings.HasPrefix(p, "//") {
		return p
	}
	return b.abs(b.assetPath(p))
}

// Locale is the page's language as Open Graph writes it: vi_VN, en_US.
func (v *view) Locale() string { return locale(v.Page.Lang) }

// LocaleAlternates are the locales of the page's translations.
func (v *view) LocaleAlternates() []string {
	var out []string
	for _, t := range v.Page.Translations {
		out = append(out, locale(t.Lang))
	}
	return out
}

func locale(lang string) string {
	switch lang {
	case "vi":
		return "vi_VN"
	case "en":
		return "en_US"
	}
	return lang
}

// ld is one JSON-LD object.
type ld = map[string]any

// JSONLD is the page's structured data, one object per thing described;
// nil for none. The template writes it in a <script
// type="application/ld+json"> block, which is data that browsers never run,
// so the site's Content-Security-Policy needs no exception for it.
func (v *view) JSONLD() []ld {
	p, b := v.Page, v.b
	var out []ld
	switch {
	case p.Kind == content.KindHome:
		org := v.organisation()
		org["@context"] = "https://schema.org"
		out = append(out, org, ld{
			"@context":   "https://schema.org",
			"@type":      "WebSite",
			"name":       v.Site.Title,
			"url":        b.abs(p.Path),
			"inLanguage": p.Lang,
			"publisher":  ld{"@id": org["@id"]},
			"potentialAction": ld{
				"@type":       "SearchAction",
				"target":      b.abs(b.searchPage[p.Lang].Path) + "?q={search_term_string}",
				"query-input": "required name=search_term_string",
			},
		})
	case p.Kind == content.KindSingle:
		kind := "Article"
		if p.Type == content.TypeArticle {
			kind = "NewsArticle"
		}
		a := ld{
			"@context":         "https://schema.org",
			"@type":            kind,
			"headline":         headline(p.Title),
			"url":              v.Canonical,
			"mainEntityOfPage": v.Canonical,
			"inLanguage":       p.Lang,
			"publisher":        v.organisation(),
		}
		if d := v.Description(); d != "" {
			a["description"] = d
		}
		if !p.Date.IsZero() {
			a["datePublished"] = p.Date.Format(time.RFC3339)
			a["dateModified"] = p.Lastmod.Format(time.RFC3339) // the date when not set
		}
		if img := v.ShareImage(); img != "" {
			a["image"] = []string{img}
		}
		var authors []ld
		for _, name := range p.Authors {
			authors = append(authors, ld{"@type": authorType(name), "name": name})
		}
		if len(authors) > 0 {
			a["author"] = authors
		} else {
			a["author"] = v.organisation()
		}
		out = append(out, a)
	}
	if p.Parent != nil {
		var items []ld
		for q := p.Parent; q != nil; q = q.Parent {
			items = append([]ld{{"@type": "ListItem", "name": b.crumbName(q), "item": b.abs(q.Path)}}, items...)
		}
		for i, it := range items {
			it["position"] = i + 1
		}
		name := p.Title
		if name == "" && p.Kind == content.KindTaxonomy {
			name = b.tmpl.T(p.Lang, p.Taxonomy)
		}
		items = append(items, ld{"@type": "ListItem", "position": len(items) + 1, "name": name, "item": v.Canonical})
		out = append(out, ld{"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": items})
	}
	return out
}

// organisation is the site's owner as site.toml's contact block names it.
func (v *view) organisation() ld {
	c := v.Site.Contact
	org := ld{
		// One organisation, whichever language describes it.
		"@id":   v.b.abs("/") + "#organization",
		"@type": "GovernmentOrganization",
		"name":  cmp.Or(c.Organisation, v.Site.Title),
		"url":   v.b.abs(v.b.cfg.LangPrefix(v.Page.Lang)),
	}
	if c.Parent != "" {
		org["parentOrganization"] = ld{"@type": "GovernmentOrganization", "name": c.Parent}
	}
	if c.Address != "" {
		org["address"] = c.Address
	}
	if c.Email != "" {
		org["email"] = c.Email
	}
	if c.Phone != "" {
		org["telephone"] = c.Phone
	}
	if img := v.b.cfg.ShareImage; img != "" {
		org["image"] = v.b.assetAbs(img)
	}
	return org
}

// headline is a title as search engines take it: at most 110 characters,
// cut at a word.
func headline(title string) string {
	r := []rune(title)
	if len(r) <= 110 {
		return title
	}
	cut := string(r[:109])
	if i := strings.LastIndexByte(cut, ' '); i > 60 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,.;:–-") + "…"
}

// orgWords are the words that begin the names of offices and companies,
// in Vietnamese and English: an author named so is an organisation.
var orgWords = regexp.MustCompile(`(?i)^(trung tâm|sở|ban|phòng|cục|bộ|ủy ban|uỷ ban|ubnd|viện|hội|công ty|tổng công ty|đài|báo|tạp chí|trường|the)\s|\b(centre|center|department|authority|ministry|committee|institute|association|company|agency|office)\b`)

// authorType tells a person from an organisation by the name's first
// words, as well as a name alone can tell.
func authorType(name string) string {
	if orgWords.MatchString(name) {
		return "Organization"
	}
	return "Person"
}
