package layout

import (
	"html/template"
	"strings"
	"testing"
	"testing/fstest"
)

func funcs(lang string) template.FuncMap {
	return template.FuncMap{"lang": func() string { return lang }}
}

func TestOverrideAndStrings(t *testing.T) {
	defaults := fstest.MapFS{
		"baseof.html":     {Data: []byte(`<html>{{ template "partials/h.html" . }}{{ block "main" . }}{{ end }}</html>`)},
		"partials/h.html": {Data: []byte(`<h>default</h>`)},
		"single.html":     {Data: []byte(`{{ define "main" }}single {{ lang }}{{ end }}`)},
		"alias.html":      {Data: []byte(`alias alone`)},
		"i18n/vi.toml":    {Data: []byte("home = \"Trang chủ\"\nonly = \"chỉ vi\"\ncount = \"%d bài\"\n")},
		"i18n/en.toml":    {Data: []byte("home = \"Home\"\n")},
	}
	site := fstest.MapFS{"partials/h.html": {Data: []byte(`<h>site</h>`)}}
	s, errs := Load(defaults, site, []string{"vi", "en"}, funcs)
	if errs != nil {
		t.Fatal(errs)
	}
	var b strings.Builder
	if err := s.Execute(&b, "en", "single.html", nil); err != nil {
		t.Fatal(err)
	}
	if b.String() != "<html><h>site</h>single en</html>" {
		t.Errorf("got %q", b.String())
	}
	b.Reset()
	if err := s.Execute(&b, "vi", "alias.html", nil); err != nil || b.String() != "alias alone" {
		t.Errorf("alias: %q %v", b.String(), err)
	}
	for _, tt := range []struct{ lang, key, want string }{
		{"en", "home", "Home"}, {"vi", "home", "Trang chủ"}, {"en", "only", "chỉ vi"}, {"en", "missing", "missing"},
	} {
		if got := s.T(tt.lang, tt.key); got != tt.want {
			t.Errorf("T(%s, %s) = %q, want %q", tt.lang, tt.key, got, tt.want)
		}
	}
	if got := s.T("vi", "count", 3); got != "3 bài" {
		t.Errorf("T with args = %q", got)
	}
}

func TestTemplateErrorsNameTheFile(t *testing.T) {
	defaults := fstest.MapFS{"baseof.html": {Data: []byte(`{{ block "main" . }}{{ end }}`)}}
	site := fstest.MapFS{"single.html": {Data: []byte("{{ define \"main\" }}\n{{ nosuchfunc }}\n{{ end }}")}}
	_, errs := Load(defaults, site, []string{"vi", "en"}, funcs)
	if len(errs) != 1 || !strings.HasPrefix(errs[0].Error(), "layouts/single.html:2:") || !strings.Contains(errs[0].Error(), "nosuchfunc") {
		t.Errorf("errors = %v", errs)
	}
	site = fstest.MapFS{"single.html": {Data: []byte("{{ define \"main\" }}\n\n{{ .Missing.Field }}{{ end }}")}}
	s, errs := Load(defaults, site, []string{"vi"}, funcs)
	if errs != nil {
		t.Fatal(errs)
	}
	err := s.Execute(&strings.Builder{}, "vi", "single.html", struct{}{})
	if err == nil || !strings.HasPrefix(err.Error(), "layouts/single.html:3:") {
		t.Errorf("execution error = %v", err)
	}
}

func TestShortcodes(t *testing.T) {
	defaults := fstest.MapFS{
		"baseof.html":       {Data: []byte(`{{ block "main" . }}{{ end }}`)},
		"partials/p.html":   {Data: []byte(`<i>p</i>`)},
		"shortcodes/a.html": {Data: []byte(`default a`)},
	}
	site := fstest.MapFS{
		"shortcodes/a.html":    {Data: []byte(`site a {{ lang }} {{ template "partials/p.html" }}`)},
		"shortcodes/box.html":  {Data: []byte("<div>\n{{ .Inner }}\n{{ .Missing }}</div>")},
		"shortcodes/notes.txt": {Data: []byte(`not a shortcode`)},
	}
	s, errs := Load(defaults, site, []string{"vi", "en"}, funcs)
	if errs != nil {
		t.Fatal(errs)
	}
	for _, tt := range []struct {
		name      string
		ok, inner bool
	}{{"a", true, false}, {"box", true, true}, {"notes", false, false}, {"single", false, false}} {
		if ok, inner := s.Shortcode(tt.name); ok != tt.ok || inner != tt.inner {
			t.Errorf("Shortcode(%q) = %v, %v; want %v, %v", tt.name, ok, inner, tt.ok, tt.inner)
		}
	}
	if s.Has("shortcodes/a.html") {
		t.Error("a shortcode is taken for a page template")
	}
	var b strings.Builder
	if err := s.ExecuteShortcode(&b, "en", "a", nil); err != nil || b.String() != "site a en <i>p</i>" {
		t.Errorf("a: %q %v", b.String(), err)
	}
	err := s.ExecuteShortcode(&strings.Builder{}, "vi", "box", struct{ Inner string }{"x"})
	if err == nil || !strings.HasPrefix(err.Error(), "layouts/shortcodes/box.html:3:") {
		t.Errorf("execution error = %v", err)
	}
}

func TestPartialCached(t *testing.T) {
	var s *Set
	withCache := func(lang string) template.FuncMap {
		return template.FuncMap{"partialCached": func(name string, data any, v ...any) (template.HTML, error) {
			return s.Partial(lang, name, data, v...)
		}}
	}
	type page struct{ Title string }
	a, b := &page{"<A>"}, &page{"B"}
	defaults := fstest.MapFS{
		"baseof.html":        {Data: []byte(`{{ block "main" . }}{{ end }}`)},
		"partials/card.html": {Data: []byte(`<p>{{ .Title }}</p>`)},
		"partials/bad.html":  {Data: []byte("ok\n{{ .Missing }}")},
		// The first drawing of a key serves every later call with it.
		"single.html": {Data: []byte(`{{ define "main" }}{{ partialCached "card.html" (index . 0) }}{{ partialCached "partials/card.html" (index . 1) }}|{{ range . }}{{ partialCached "card.html" . . }}{{ end }}|{{ partialCached "card.html" (index . 1) "b" }}{{ end }}`)},
		"bad.html":    {Data: []byte(`{{ define "main" }}{{ partialCached "bad.html" . }}{{ end }}`)},
		"none.html":   {Data: []byte(`{{ define "main" }}{{ partialCached "none.html" . }}{{ end }}`)},
		// Two slices that start at the same place are two variants.
		"slices.html": {Data: []byte(`{{ define "main" }}{{ partialCached "card.html" (index . 0) (slice . 0 1) }}{{ partialCached "card.html" (index . 1) (slice . 0 2) }}{{ end }}`)},
	}
	s, errs := Load(defaults, nil, []string{"vi", "en"}, withCache)
	if errs != nil {
		t.Fatal(errs)
	}
	draw := func(lang, name string, data any) (string, error) {
		var w strings.Builder
		err := s.Execute(&w, lang, name, data)
		return w.String(), err
	}
	want := "<p>&lt;A&gt;</p><p>&lt;A&gt;</p>|<p>&lt;A&gt;</p><p>B</p>|<p>B</p>"
	if got, err := draw("vi", "single.html", []*page{a, b}); err != nil || got != want {
		t.Errorf("got %q, %v; want %q", got, err, want)
	}
	// Another language draws its own; the first one's drawings stay.
	if got, _ := draw("en", "single.html", []*page{b, a}); got != "<p>B</p><p>B</p>|<p>B</p><p>&lt;A&gt;</p>|<p>&lt;A&gt;</p>" {
		t.Errorf("en: got %q", got)
	}
	b.Title = "B2"
	if got, _ := draw("vi", "single.html", []*page{a, b}); got != want {
		t.Errorf("kept: got %q, want %q", got, want)
	}
	s.Forget()
	if got, _ := draw("vi", "single.html", []*page{a, b}); got != strings.ReplaceAll(want, "<p>B</p>", "<p>B2</p>") {
		t.Errorf("after Forget: got %q", got)
	}
	if got, _ := draw("en", "slices.html", []*page{a, b}); got != "<p>&lt;A&gt;</p><p>B2</p>" {
		t.Errorf("slices as variants: got %q", got)
	}
	if _, err := draw("vi", "bad.html", struct{}{}); err == nil || !strings.HasSuffix(strings.SplitN(err.Error(), ":", 2)[0], "layouts/partials/bad.html") || !strings.Contains(err.Error(), "bad.html:2:3: can't evaluate field Missing") {
		t.Errorf("an error in the partial: %v", err)
	}
	if _, err := draw("vi", "none.html", nil); err == nil || !strings.Contains(err.Error(), "there is no layouts/partials/none.html") {
		t.Errorf("a missing partial: %v", err)
	}
}
