package site

import (
	"encoding/json"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestShareMetadata reads every page of the example site as a link
// preview and a search engine would: the Open Graph tags and the JSON-LD.
func TestShareMetadata(t *testing.T) {
	dest := exampleSite(t)
	abs := func(page, what, u string) {
		t.Helper()
		if p, err := url.Parse(u); err != nil || p.Scheme != "https" || p.Host != "sxsh.dongnai.gov.vn" {
			t.Errorf("%s: %s %q is not an absolute https URL of the site", page, what, u)
		}
	}
	counts := map[string]int{}
	for _, page := range files(t, dest, ".html") {
		doc := read(t, dest, page)
		if strings.Contains(doc, `http-equiv="refresh"`) || page == "404.html" {
			continue // redirects and the error page are not shared
		}
		ts := tags(doc)
		og := map[string][]string{}
		for _, m := range find(ts, "meta") {
			if p := m.attrs["property"]; strings.HasPrefix(p, "og:") || strings.HasPrefix(p, "article:") {
				og[p] = append(og[p], m.attrs["content"])
			}
			if m.attrs["name"] == "twitter:card" {
				og["twitter:card"] = append(og["twitter:card"], m.attrs["content"])
			}
		}
		for _, key := range []string{"og:title", "og:type", "og:url", "og:locale", "og:site_name", "twitter:card"} {
			if len(og[key]) != 1 || og[key][0] == "" {
				t.Errorf("%s: %s = %q, want one value", page, key, og[key])
			}
		}
		abs(page, "og:url", first(og["og:url"]))
		lang := "vi_VN"
		if strings.HasPrefix(page, "en/") {
			lang = "en_US"
		}
		if first(og["og:locale"]) != lang {
			t.Errorf("%s: og:locale %q, want %s", page, og["og:locale"], lang)
		}
		for _, alt := range og["og:locale:alternate"] {
			if alt == lang || (alt != "vi_VN" && alt != "en_US") {
				t.Errorf("%s: og:locale:alternate %q", page, alt)
			}
		}
		if img := og["og:image"]; len(img) == 1 {
			abs(page, "og:image", img[0])
			if ext := strings.ToLower(filepath.Ext(img[0])); ext == ".svg" {
				t.Errorf("%s: og:image %s is an SVG, which previews do not show", page, img[0])
			}
			if first(og["twitter:card"]) != "summary_large_image" {
				t.Errorf("%s: a page with a picture has twitter:card %q", page, og["twitter:card"])
			}
		} else {
			t.Errorf("%s: no og:image, though site.toml has a shareImage", page)
		}

		kinds := map[string]map[string]any{}
		for _, s := range find(ts, "script", "type", "application/ld+json") {
			var obj map[string]any
			if err := json.Unmarshal([]byte(s.attrs["#text"]), &obj); err != nil {
				t.Errorf("%s: JSON-LD does not parse: %v\n%s", page, err, s.attrs["#text"])
				continue
			}
			if obj["@context"] != "https://schema.org" {
				t.Errorf("%s: JSON-LD without @context: %v", page, obj)
			}
			typ, _ := obj["@type"].(string)
			kinds[typ] = obj
			counts[typ]++
		}
		isHome := page == "index.html" || page == "en/index.html"
		single := first(og["og:type"]) == "article"
		switch {
		case isHome:
			org, site := kinds["GovernmentOrganization"], kinds["WebSite"]
			if org == nil || site == nil || org["name"] == "" {
				t.Errorf("%s: the home page lacks the organisation or the website: %v", page, kinds)
			} else {
				abs(page, "organisation url", org["url"].(string))
				action, _ := site["potentialAction"].(map[string]any)
				if target, _ := action["target"].(string); !strings.Contains(target, "?q={search_term_string}") {
					t.Errorf("%s: WebSite SearchAction target %q", page, target)
				}
			}
		case single:
			a := kinds["NewsArticle"]
			if a == nil {
				a = kinds["Article"]
			}
			if a == nil {
				t.Errorf("%s: an article page without Article JSON-LD: %v", page, kinds)
				break
			}
			if h, _ := a["headline"].(string); h == "" || len([]rune(h)) > 110 {
				t.Errorf("%s: headline %q", page, h)
			}
			if a["mainEntityOfPage"] != first(og["og:url"]) || a["inLanguage"] != lang[:2] {
				t.Errorf("%s: mainEntityOfPage %v, inLanguage %v", page, a["mainEntityOfPage"], a["inLanguage"])
			}
			pub, _ := a["publisher"].(map[string]any)
			if pub == nil || pub["name"] == "" {
				t.Errorf("%s: no publisher", page)
			}
			if d, ok := a["datePublished"].(string); ok {
				if _, err := time.Parse(time.RFC3339, d); err != nil {
					t.Errorf("%s: datePublished %q: %v", page, d, err)
				}
				if first(og["article:published_time"]) != d {
					t.Errorf("%s: article:published_time %q, JSON-LD %q", page, og["article:published_time"], d)
				}
			} else if strings.HasPrefix(page, "tin-tuc/") {
				t.Errorf("%s: a news article without datePublished", page)
			}
			if a["author"] == nil {
				t.Errorf("%s: no author", page)
			}
		}
		if !isHome {
			bc := kinds["BreadcrumbList"]
			items, _ := bc["itemListElement"].([]any)
			if len(items) < 2 {
				t.Errorf("%s: BreadcrumbList with %d items", page, len(items))
				continue
			}
			for i, it := range items {
				m := it.(map[string]any)
				if m["position"] != float64(i+1) || m["name"] == "" {
					t.Errorf("%s: breadcrumb %d: %v", page, i, m)
				}
				abs(page, "breadcrumb item", m["item"].(string))
			}
			if last := items[len(items)-1].(map[string]any); last["item"] != first(og["og:url"]) {
				t.Errorf("%s: the last breadcrumb is %v, not the page", page, last["item"])
			}
		}
	}
	if counts["NewsArticle"] < 10 || counts["Article"] < 10 || counts["BreadcrumbList"] < 100 || counts["GovernmentOrganization"] != 2 {
		t.Errorf("JSON-LD objects in the example site: %v", counts)
	}
}

func first(list []string) string {
	if len(list) == 0 {
		return ""
	}
	return list[0]
}

func TestAuthorType(t *testing.T) {
	for name, want := range map[string]string{
		"Trung tâm Khuyến công Đồng Nai":       "Organization",
		"Sở Công Thương":                       "Organization",
		"Ban biên tập":                         "Organization",
		"Banks Nguyễn":                         "Person",
		"Bảo Ngọc":                             "Person",
		"Nguyễn Văn An":                        "Person",
		"Dong Nai Industrial Promotion Centre": "Organization",
	} {
		if got := authorType(name); got != want {
			t.Errorf("authorType(%q) = %s, want %s", name, got, want)
		}
	}
}
