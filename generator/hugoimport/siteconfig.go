package hugoimport

import (
	"bytes"
	"fmt"
	"net/url"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"sxsh/generator/config"
	"sxsh/generator/diag"
)

// outConfig is the site.toml an import writes; its fields are those of
// config.Config that a Hugo setting can fill.
type outConfig struct {
	BaseURL         string                       `toml:"baseURL,omitempty"`
	DefaultLanguage string                       `toml:"defaultLanguage"`
	Paginate        int64                        `toml:"paginate,omitempty"`
	TimeZone        string                       `toml:"timeZone,omitempty"`
	UnsafeHTML      bool                         `toml:"unsafeHTML,omitempty"`
	Languages       map[string]*outLanguage      `toml:"languages"`
	Taxonomies      map[string]map[string]string `toml:"taxonomies,omitempty"`
	PageParams      []string                     `toml:"pageParams,omitempty"`
	Params          map[string]any               `toml:"params,omitempty"`

	// dropped are the taxonomies other than categories and tags, by
	// plural name, and where each is set.
	dropped map[string]*setting
}

type outLanguage struct {
	LanguageName string    `toml:"languageName,omitempty"`
	Title        string    `toml:"title"`
	Description  string    `toml:"description,omitempty"`
	Weight       int64     `toml:"weight,omitempty"`
	Copyright    string    `toml:"copyright,omitempty"`
	ContentDir   string    `toml:"contentDir,omitempty"`
	Menu         []outMenu `toml:"menu,omitempty"`
}

type outMenu struct {
	Name   string `toml:"name"`
	URL    string `toml:"url"`
	Weight int64  `toml:"weight,omitempty"`
}

// language is one language of the Hugo site.
type language struct {
	code    string
	dir     string // its content folder in the Hugo site
	carried bool   // a language of the new site
	// to is its content folder of its own in the new site, its
	// contentDir; "" when it shares content/.
	to string
}

// languageSet is the Hugo site's languages, the default first, then by
// weight and code as sxsh orders them.
type languageSet struct {
	deflt string
	all   []*language
}

func (s *languageSet) codes() []string {
	var out []string
	for _, l := range s.all {
		if l.carried {
			out = append(out, l.code)
		}
	}
	return out
}

func (s *languageSet) get(code string) *language {
	for _, l := range s.all {
		if l.code == code {
			return l
		}
	}
	return nil
}

// defaultContentDir is Hugo's content folder when contentDir is not set.
const defaultContentDir = "content"

// languageKeys are the keys of a Hugo language that the import reads.
var languageKeys = map[string]bool{
	"languagename": true, "title": true, "weight": true, "contentdir": true, "copyright": true,
	"menus": true, "menu": true, "params": true, "disabled": true,
}

// topKeys are the top-level keys that the import reads; the rest are
// noted as left behind.
var topKeys = map[string]bool{
	"baseurl": true, "title": true, "defaultcontentlanguage": true, "languages": true, "menus": true, "menu": true,
	"params": true, "taxonomies": true, "paginate": true, "timezone": true, "copyright": true, "contentdir": true,
	"staticdir": true, "theme": true, "themesdir": true, "disablelanguages": true, "permalinks": true,
	"outputs": true, "outputformats": true, "mediatypes": true, "markup": true, "module": true,
	"defaultcontentlanguageinsubdir": true, "disablekinds": true,
}

// settingReasons say why a Hugo setting means nothing to sxsh, where more
// than that can be said.
var settingReasons = map[string]string{
	"canonifyurls":               "sxsh writes links from the site root, under baseURL's path",
	"relativeurls":               "sxsh writes links from the site root, under baseURL's path",
	"enablerobotstxt":            "sxsh always writes robots.txt",
	"sitemap":                    "sxsh always writes sitemap.xml; a page's [sitemap] in its front matter sets its entry",
	"enableemoji":                "emoji codes such as :smile: are shown as typed",
	"rsslimit":                   "sxsh's feeds hold the newest items of their list",
	"disablealiases":             "sxsh writes a page for each of a page's aliases",
	"related":                    "sxsh has no index of related pages",
	"minify":                     "sxsh always minifies HTML, CSS, JS, JSON, SVG and XML",
	"languagecode":               "pages say their language's code in <html lang>",
	"enablegitinfo":              "sxsh reads no Git history; lastmod comes from the front matter",
	"disablehugogeneratorinject": "sxsh adds no generator tag",
	"summarylength":              "summaries are the first ~200 characters when a page has none",
	"googleanalytics":            "sxsh has its own visitor counter ([counter] in site.toml)",
	"caches":                     "sxsh keeps its own build record",
	"imaging":                    "sxsh does not process images",
	"builddrafts":                "use sxsh build --drafts",
	"buildfuture":                "use sxsh build --drafts",
	"pluralizelisttitles":        "a list's title is its _index page's title, or its folder's name",
}

// makeConfig turns Hugo's configuration into sxsh's.
func makeConfig(hc *hugoConfig, r *report) (*outConfig, *languageSet, error) {
	out := &outConfig{Languages: map[string]*outLanguage{}}
	langs, err := readLanguages(hc, r)
	if err != nil {
		return nil, nil, err
	}
	out.DefaultLanguage = langs.deflt

	if s := hc.get("baseURL"); s != nil {
		v, _ := s.val.(string)
		if u, err := url.Parse(v); err != nil || (u.Scheme != "" && u.Host == "") || (u.Scheme == "" && u.Host != "") {
			r.addAt(Settings, s, "baseURL %q is not a URL like https://example.gov.vn/: site.toml has none; set it before publishing", v)
		} else {
			out.BaseURL = v
		}
	}
	if s := hc.get("paginate"); s != nil {
		if n, ok := toInt(s.val); ok && n > 0 {
			out.Paginate = n
		} else {
			r.addAt(Settings, s, "paginate %v is not a positive number of items per page", s.val)
		}
	}
	if s := hc.get("timeZone"); s != nil {
		v, _ := s.val.(string)
		if _, err := time.LoadLocation(v); err != nil || v == "" {
			r.addAt(Settings, s, "timeZone %q is not a known time zone: sxsh reads dates in Vietnam's time", v)
		} else {
			out.TimeZone = v
		}
	}
	if s := hc.get("markup", "goldmark", "renderer", "unsafe"); s != nil {
		out.UnsafeHTML, _ = s.val.(bool)
	}
	// One note for each part of markup, and of its goldmark part, so that
	// a list of highlighting options reads as one thing left behind.
	for _, k := range hc.children("markup") {
		if k != "goldmark" {
			s := hc.first("markup", k)
			r.addAt(Settings, s, "markup.%s: sxsh's Markdown is set up one way", s.path[1])
			continue
		}
		for _, g := range hc.children("markup", k) {
			for _, x := range hc.under("markup", k, g) {
				if lowerKey(x.path) == lowerKey([]string{"markup", "goldmark", "renderer", "unsafe"}) {
					continue
				}
				r.addAt(Settings, x, "markup.goldmark.%s: sxsh's Markdown is set up one way", x.path[2])
				break
			}
		}
	}
	for _, l := range langs.all {
		if !l.carried {
			continue
		}
		ol, err := makeLanguage(hc, l.code, r)
		if err != nil {
			return nil, nil, err
		}
		out.Languages[l.code] = ol
	}
	out.Taxonomies, out.dropped = makeTaxonomies(hc, langs, r)
	out.Params = makeParams(hc, r)
	notePermalinks(hc, r)
	noteOutputs(hc, r)
	noteTheme(hc, r)
	for _, k := range hc.children() {
		if topKeys[k] {
			continue
		}
		s := hc.first(k)
		why := settingReasons[k]
		if why == "" {
			why = "no sxsh meaning"
		}
		r.addAt(Settings, s, "%s: %s", s.path[0], why)
	}
	return out, langs, nil
}

// readLanguages finds the Hugo site's languages and which of them the new
// site carries.
func readLanguages(hc *hugoConfig, r *report) (*languageSet, error) {
	set := &languageSet{deflt: strings.ToLower(hc.str("defaultContentLanguage"))}
	if set.deflt == "" {
		set.deflt = "en" // Hugo's default
	}
	codes := hc.children("languages")
	if len(codes) == 0 {
		codes = []string{set.deflt}
	}
	disabled := map[string]bool{}
	if s := hc.get("disableLanguages"); s != nil {
		list, _ := s.val.([]any)
		for _, v := range list {
			if c, ok := v.(string); ok {
				disabled[strings.ToLower(c)] = true
			}
		}
	}
	weights := map[string]int64{}
	topDir := hc.str("contentDir")
	if topDir == "" {
		topDir = defaultContentDir
	}
	for _, code := range codes {
		l := &language{code: code, dir: topDir, carried: true}
		if d := hc.str("languages", code, "contentDir"); d != "" {
			l.dir = d
		}
		l.dir = strings.Trim(path.Clean("/"+strings.ReplaceAll(l.dir, "\\", "/")), "/")
		weights[code], _ = toInt(valueOf(hc.get("languages", code, "weight")))
		s := hc.get("languages", code)
		if s == nil {
			s = hc.first("languages", code)
		}
		switch {
		case code == set.deflt && !config.ValidLanguageCode(code):
			return nil, diag.Errorf(s.file, s.line, 0, "the default language's code %q is not one sxsh reads (lower-case letters and hyphens, like \"vi\" or \"zh-tw\"), so the site cannot be imported", code)
		case disabled[code] || isTrue(hc.get("languages", code, "disabled")):
			l.carried = false
			where := hc.get("disableLanguages")
			if where == nil {
				where = hc.get("languages", code, "disabled")
			}
			if code == set.deflt {
				return nil, diag.Errorf(where.file, where.line, 0, "the default language %q is disabled, so the site cannot be imported", code)
			}
			r.addAt(Languages, where, "language %q is disabled: left out, with its content", code)
		case !config.ValidLanguageCode(code):
			l.carried = false
			r.addAt(Languages, s, "language code %q: sxsh's codes are lower-case letters and hyphens, like \"vi\" or \"zh-tw\"; left out, with its content", code)
		}
		set.all = append(set.all, l)
	}
	if set.get(set.deflt) == nil {
		s := hc.get("defaultContentLanguage")
		if s == nil {
			s = hc.first("languages")
		}
		return nil, diag.Errorf(s.file, s.line, 0, "defaultContentLanguage %q is not one of the site's languages %s", set.deflt, quoteList(codes))
	}
	sort.SliceStable(set.all, func(i, j int) bool {
		a, b := set.all[i], set.all[j]
		if (a.code == set.deflt) != (b.code == set.deflt) {
			return a.code == set.deflt
		}
		if weights[a.code] != weights[b.code] {
			return weights[a.code] < weights[b.code]
		}
		return a.code < b.code
	})
	if s := hc.get("defaultContentLanguageInSubdir"); isTrue(s) {
		r.addAt(Languages, s, "defaultContentLanguageInSubdir: sxsh serves the default language %q at the site root, not under /%s/", set.deflt, set.deflt)
	}
	return set, nil
}

// makeLanguage makes the [languages.X] table of a carried language.
func makeLanguage(hc *hugoConfig, code string, r *report) (*outLanguage, error) {
	at := func(k ...string) []string { return append([]string{"languages", code}, k...) }
	ol := &outLanguage{
		LanguageName: hc.str(at("languageName")...),
		Title:        firstOf(hc.str(at("title")...), hc.str("title")),
		Description:  firstOf(hc.str(at("params", "description")...), hc.str("params", "description")),
		Copyright:    firstOf(hc.str(at("copyright")...), hc.str("copyright")),
	}
	ol.Weight, _ = toInt(valueOf(hc.get(at("weight")...)))
	if ol.Title == "" {
		ol.Title = firstOf(ol.LanguageName, code)
		r.add(Languages, hc.files[0], 0, "no title for language %q: site.toml calls the site %q; write its name there", code, ol.Title)
	}
	for _, k := range hc.children("languages", code) {
		if languageKeys[k] {
			continue
		}
		s := hc.first(at(k)...)
		why := settingReasons[k]
		if why == "" {
			why = "no sxsh meaning"
		}
		r.addAt(Languages, s, "languages.%s.%s: %s", code, s.path[2], why)
	}
	for _, k := range hc.children(at("params")...) {
		if k != "description" {
			s := hc.first(at("params", k)...)
			r.addAt(Languages, s, "languages.%s.params.%s: sxsh's [params] are the whole site's, not a language's", code, s.path[len(s.path)-1])
		}
	}
	menus := at("menus")
	if len(hc.under(menus...)) == 0 {
		menus = at("menu")
	}
	if len(hc.under(menus...)) == 0 {
		menus = []string{"menus"}
		if len(hc.under(menus...)) == 0 {
			menus = []string{"menu"}
		}
	}
	ol.Menu = makeMenu(hc, code, menus, r)
	return ol, nil
}

// makeMenu carries the main menu found at key path at; other menus, and
// entries that the flat main menu cannot hold, are noted.
func makeMenu(hc *hugoConfig, code string, at []string, r *report) []outMenu {
	var out []outMenu
	for _, name := range hc.children(at...) {
		s := hc.get(append(at, name)...)
		if s == nil {
			s = hc.first(append(at, name)...)
		}
		entries := tables(s.val)
		if name != "main" {
			r.addAt(Menus, s, "menu %q of %q (%s) is left out", s.path[len(s.path)-1], code, count(len(entries), "entry", "entries"))
			continue
		}
		for _, e := range entries {
			m := lowerKeys(e)
			title, _ := m["name"].(string)
			u, _ := m["url"].(string)
			if u == "" {
				if ref, ok := m["pageref"].(string); ok && ref != "" {
					u = pageRefURL(ref)
				}
			}
			if title == "" || u == "" {
				r.addAt(Menus, s, "menu entry %q of %q has no name or no url: left out", firstOf(title, u), code)
				continue
			}
			if p, ok := m["parent"].(string); ok && p != "" {
				r.addAt(Menus, s, "menu entry %q of %q is under %q: it becomes an entry of its own", title, code, p)
			}
			w, _ := toInt(m["weight"])
			out = append(out, outMenu{Name: title, URL: u, Weight: w})
		}
	}
	return out
}

// pageRefURL makes a menu's pageRef, a page's path in content/, into the
// address Hugo gives that page when it has no slug or url of its own.
func pageRefURL(ref string) string {
	p := strings.TrimSuffix(ref, path.Ext(ref))
	p = strings.TrimSuffix(strings.TrimSuffix(p, "_index"), "index")
	p = strings.Trim(p, "/")
	if p == "" {
		return "/"
	}
	return "/" + p + "/"
}

// makeTaxonomies carries Hugo's categories and tags; other taxonomies
// are noted, and returned by plural name.
func makeTaxonomies(hc *hugoConfig, langs *languageSet, r *report) (map[string]map[string]string, map[string]*setting) {
	if s := hc.get("disableKinds"); s != nil {
		list, _ := s.val.([]any)
		var kinds []string
		off := false
		for _, k := range list {
			ks := strings.ToLower(fmt.Sprint(k))
			kinds = append(kinds, ks)
			off = off || ks == "taxonomy" || ks == "term" || ks == "taxonomyterm"
		}
		if off {
			r.addAt(Taxonomies, s, "disableKinds %s: the site has no category or tag pages", quoteList(kinds))
			return nil, nil
		}
		r.addAt(Settings, s, "disableKinds %s: sxsh makes every kind of page", quoteList(kinds))
	}
	plurals := map[string]*setting{}
	if len(hc.under("taxonomies")) == 0 {
		// Hugo's default taxonomies.
		plurals["categories"], plurals["tags"] = nil, nil
	}
	for _, singular := range hc.children("taxonomies") {
		s := hc.get("taxonomies", singular)
		if s == nil {
			continue
		}
		p, _ := s.val.(string)
		plurals[strings.ToLower(p)] = s
	}
	out := map[string]map[string]string{}
	dropped := map[string]*setting{}
	for p, s := range plurals {
		if p != "categories" && p != "tags" {
			r.addAt(Taxonomies, s, "taxonomy %q: sxsh has only categories and tags; the pages' %s field is kept but makes no pages", p, p)
			dropped[p] = s
			continue
		}
		out[p] = map[string]string{}
		for _, code := range langs.codes() {
			out[p][code] = p
		}
	}
	if len(out) == 0 {
		return nil, dropped
	}
	return out, dropped
}

// makeParams carries [params], key by key as Hugo merged them.
func makeParams(hc *hugoConfig, r *report) map[string]any {
	out := map[string]any{}
	for _, s := range hc.under("params") {
		if s.val == nil {
			r.addAt(Settings, s, "params.%s is empty (null): TOML has no such value", strings.Join(s.path[1:], "."))
			continue
		}
		m := out
		for _, k := range s.path[1 : len(s.path)-1] {
			sub, ok := m[k].(map[string]any)
			if !ok {
				sub = map[string]any{}
				m[k] = sub
			}
			m = sub
		}
		if len(s.path) > 1 {
			m[s.path[len(s.path)-1]] = s.val
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// notePermalinks notes each permalink pattern: sxsh has none.
func notePermalinks(hc *hugoConfig, r *report) {
	for _, s := range hc.under("permalinks") {
		if len(s.path) < 2 {
			continue
		}
		r.addAt(Permalinks, s, "%s = %q: sxsh has no permalink patterns; give pages a slug or url to keep their addresses", strings.Join(s.path[1:], "."), fmt.Sprint(s.val))
	}
}

// noteOutputs notes the output formats and media types.
func noteOutputs(hc *hugoConfig, r *report) {
	for _, kind := range hc.children("outputs") {
		s := hc.get("outputs", kind)
		if s == nil {
			continue
		}
		var extra []string
		list, _ := s.val.([]any)
		for _, f := range list {
			switch strings.ToLower(fmt.Sprint(f)) {
			case "html", "rss", "sitemap":
			default:
				extra = append(extra, fmt.Sprint(f))
			}
		}
		if len(extra) > 0 {
			r.addAt(Outputs, s, "outputs.%s: %s not made", s.path[1], quoteList(extra))
		}
	}
	for _, key := range []string{"outputFormats", "mediaTypes"} {
		for _, name := range hc.children(key) {
			s := hc.first(key, name)
			r.addAt(Outputs, s, "%s.%s: not made", key, s.path[1])
		}
	}
}

// noteTheme notes the theme and the Hugo modules the site uses.
func noteTheme(hc *hugoConfig, r *report) {
	if s := hc.get("theme"); s != nil {
		r.addAt(Theme, s, "theme %s: its templates, styles and scripts are not carried over", quoteList(strings.Fields(strings.Trim(fmt.Sprint(s.val), "[]"))))
	}
	for _, k := range hc.children("module") {
		s := hc.get("module", k)
		switch {
		case k == "imports" && s != nil:
			for _, e := range tables(s.val) {
				m := lowerKeys(e)
				r.addAt(Theme, s, "module import %q: a theme or component from a Hugo module, not carried over", fmt.Sprint(m["path"]))
			}
		case k == "mounts" && s != nil:
			for _, e := range tables(s.val) {
				m := lowerKeys(e)
				src, dst := fmt.Sprint(m["source"]), fmt.Sprint(m["target"])
				if src != dst {
					r.addAt(Theme, s, "module mount %q → %q: sxsh reads content/ and static/ as they are", src, dst)
				}
			}
		default:
			f := hc.first("module", k)
			r.addAt(Theme, f, "module.%s: sxsh has no Hugo modules", f.path[1])
		}
	}
}

// encode writes the site.toml, and checks that sxsh reads it.
func (c *outConfig) encode(from []string) ([]byte, error) {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# Made by sxsh import hugo from %s.\n# Every key is described in the configuration reference of sxsh's README.\n\n", strings.Join(from, ", "))
	enc := toml.NewEncoder(&b)
	enc.Indent = ""
	if err := enc.Encode(c); err != nil {
		return nil, fmt.Errorf("cannot write site.toml: %v", err)
	}
	if _, err := config.Parse(b.Bytes()); err != nil {
		return nil, fmt.Errorf("the site.toml made from Hugo's configuration is not one sxsh reads: %v", err)
	}
	return b.Bytes(), nil
}

func firstOf(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

func valueOf(s *setting) any {
	if s == nil {
		return nil
	}
	return s.val
}

func isTrue(s *setting) bool {
	b, ok := valueOf(s).(bool)
	return ok && b
}

func toInt(v any) (int64, bool) {
	switch n := v.(type) {
	case int64:
		return n, true
	case int:
		return int64(n), true
	case uint64:
		return int64(n), true
	case float64:
		if n == float64(int64(n)) {
			return int64(n), true
		}
	}
	return 0, false
}

// tables returns a list of tables, as TOML, YAML and JSON decode them.
func tables(v any) []map[string]any {
	switch v := v.(type) {
	case []map[string]any:
		return v
	case []any:
		var out []map[string]any
		for _, e := range v {
			if m, ok := e.(map[string]any); ok {
				out = append(out, m)
			}
		}
		return out
	case map[string]any:
		return []map[string]any{v}
	}
	return nil
}

func lowerKeys(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[strings.ToLower(k)] = v
	}
	return out
}
