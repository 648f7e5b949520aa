package hugoimport

import (
	"regexp"
	"slices"
	"strings"
)

// equivalent is an sxsh template for a shortcode that Hugo themes often
// define. The import writes it only for a site whose own template of that
// name reads no more than it does: the same arguments, and .Inner both or
// neither, so that every use of the shortcode in the content still reads.
type equivalent struct {
	name  string
	args  []string // the argument names and positions it reads
	inner bool     // whether it reads .Inner, which makes the closing tag required
	text  string   // the template, in sxsh's template language
	// unlike says how it draws unlike Hugo's, for the report.
	unlike string
}

// equivalents are the shortcodes the import can write. Their HTML is
// plain, with the theme's class names, and their text is shown as typed:
// sxsh's templates have no function that lets HTML through.
var equivalents = []equivalent{
	{
		name:  "alert",
		args:  []string{"context", "icon", "text"},
		inner: true,
		text: `<div class="alert{{ with .Get "context" }} alert-{{ . }}{{ end }}" role="alert">
{{- with .Get "icon" }}<span class="alert-icon">{{ . }}</span> {{ end -}}
{{- with .Get "text" }}{{ . }}{{ else }}{{ .Inner }}{{ end -}}
</div>
`,
		unlike: `text="…" is shown as typed, so HTML in it shows as text; between {{< alert >}} and {{< /alert >}} as well, where Hugo's template drew Markdown: write {{% alert %}} … {{% /alert %}} for Markdown`,
	},
	{
		name:  "details",
		args:  []string{"0", "1"},
		inner: true,
		text: `<details{{ if eq (.Get 1) "open" }} open{{ end }}>
<summary>{{ .Get 0 }}</summary>
{{ .Inner }}
</details>
`,
		unlike: `the text between {{< details >}} and {{< /details >}} is shown as typed, where Hugo's template drew it as Markdown: write {{% details "…" %}} … {{% /details %}} for Markdown; of the second argument, only "open" is read`,
	},
	{
		name: "email",
		args: []string{"domain", "user"},
		text: `<span class="email">{{ .Get "user" }} at {{ .Get "domain" }}</span>
`,
		unlike: `it shows "user at domain", as Hugo's template does without JavaScript: sxsh's pages run no script of their own`,
	},
}

var (
	getRe = regexp.MustCompile(`\.Get\s+(?:"([^"]*)"|` + "`([^`]*)`" + `|(\d+))`)
	// A template that reads these reads more than its arguments and
	// .Inner, which no equivalent can know.
	moreRe = regexp.MustCompile(`\.(Params|Page|Site|Parent|Ordinal|Position|Scratch|Store)\b|\bpartial|\b(site|page)\b|\.Inner\w`)
)

// equivalentOf returns the equivalent of the shortcode name whose Hugo
// template is src, if there is one that reads what src reads.
func equivalentOf(name string, src []byte) (equivalent, bool) {
	i := slices.IndexFunc(equivalents, func(e equivalent) bool { return e.name == name })
	if i < 0 || moreRe.Match(src) {
		return equivalent{}, false
	}
	e := equivalents[i]
	if strings.Contains(string(src), ".Inner") != e.inner {
		return equivalent{}, false
	}
	for _, m := range getRe.FindAllStringSubmatch(string(src), -1) {
		if !slices.Contains(e.args, m[1]+m[2]+m[3]) {
			return equivalent{}, false
		}
	}
	return e, true
}
