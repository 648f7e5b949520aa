package shortcode

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"sxsh/generator/markdown"
)

// builtin renders one built-in shortcode; an error is reported at the
// shortcode, prefixed with its name.
type builtin func(c *call) (markdown.Fragment, error)

// builtinFor returns the built-in shortcode of that name, or nil. A site's
// own shortcodes are looked up before it.
func builtinFor(name string) builtin {
	switch name {
	case "figure":
		return figure
	case "ref", "relref":
		return ref
	case "youtube":
		return youtube
	case "vimeo":
		return vimeo
	case "highlight":
		return highlight
	case "param":
		return param
	}
	return nil
}

// figure is an image with an optional caption and link, as Hugo's figure.
// The caption is plain text; alt defaults to it.
func figure(c *call) (markdown.Fragment, error) {
	if len(c.n.pos) > 0 {
		return markdown.Fragment{}, errors.New(`takes named arguments: {{< figure src="/images/x.jpg" caption="…" >}}`)
	}
	if err := c.only(0, "src", "alt", "caption", "title", "link", "width", "height", "class", "target", "rel", "attr", "attrlink", "loading"); err != nil {
		return markdown.Fragment{}, err
	}
	a := c.n.named
	if a["src"] == "" {
		return markdown.Fragment{}, errors.New(`needs src="/images/…", the image to show`)
	}
	src, err := c.resolve(a["src"], true)
	if err != nil {
		return markdown.Fragment{}, fmt.Errorf("broken image %q: %v", a["src"], err)
	}
	var b strings.Builder
	b.WriteString("<figure")
	attr(&b, "class", a["class"])
	b.WriteString(">")
	if a["link"] != "" {
		link, err := c.resolve(a["link"], false)
		if err != nil {
			return markdown.Fragment{}, fmt.Errorf("broken link %q: %v", a["link"], err)
		}
		b.WriteString("<a")
		attr(&b, "href", link)
		attr(&b, "target", a["target"])
		rel := a["rel"]
		if rel == "" && markdown.IsExternal(link) {
			rel = "noopener"
		}
		attr(&b, "rel", rel)
		b.WriteString(">")
	}
	alt := a["alt"]
	if alt == "" {
		alt = a["caption"]
	}
	// The picture's copies and size, as Markdown images get them; a width
	// or height the editor gave wins over the picture's own.
	var more []markdown.Attr
	if pic := c.e.doc.Picture; pic != nil {
		s, attrs, err := pic(a["src"], src)
		if err != nil {
			return markdown.Fragment{}, fmt.Errorf("picture %q: %v", a["src"], err)
		}
		if s != "" {
			src = s
		}
		more = attrs
	}
	b.WriteString("<img")
	attr(&b, "src", src)
	b.WriteString(` alt="` + esc(alt) + `"`)
	attr(&b, "title", a["title"])
	sized := a["width"] != "" || a["height"] != ""
	for _, m := range more {
		if !sized || m.Name != "width" && m.Name != "height" {
			attr(&b, m.Name, m.Value)
		}
	}
	attr(&b, "width", a["width"])
	attr(&b, "height", a["height"])
	b.WriteString(` loading="lazy" decoding="async">`)
	if a["link"] != "" {
		b.WriteString("</a>")
	}
	var text []string
	if a["title"] != "" || a["caption"] != "" || a["attr"] != "" {
		b.WriteString("<figcaption>")
		if t := a["title"]; t != "" {
			b.WriteString("<strong>" + esc(t) + "</strong>")
			text = append(text, t)
		}
		if cap := a["caption"]; cap != "" {
			if a["title"] != "" {
				b.WriteString(" ")
			}
			b.WriteString(esc(cap))
			text = append(text, cap)
		}
		if at := a["attr"]; at != "" {
			b.WriteString(" ")
			if a["attrlink"] != "" {
				link, err := c.resolve(a["attrlink"], false)
				if err != nil {
					return markdown.Fragment{}, fmt.Errorf("broken link %q: %v", a["attrlink"], err)
				}
				b.WriteString(`<a href="` + esc(link) + `"`)
				if markdown.IsExternal(link) {
					b.WriteString(` rel="noopener"`)
				}
				b.WriteString(">" + esc(at) + "</a>")
			} else {
				b.WriteString(esc(at))
			}
			text = append(text, at)
		}
		b.WriteString("</figcaption>")
	}
	b.WriteString("</figure>")
	return markdown.Fragment{HTML: b.String(), Text: strings.Join(text, " "), Block: true}, nil
}

// attr writes name="value", escaped, unless value is empty.
func attr(b *strings.Builder, name, value string) {
	if value != "" {
		b.WriteString(" " + name + `="` + esc(value) + `"`)
	}
}

// ref is the URL of another page, named by its Markdown file as links
// name it ("articles/x.md", "x.md", "/articles/x") and resolved the same
// way, with an optional "#anchor". Hugo's ref gives the full address and
// relref the path; both give the path here, the form every link of the
// site has.
func ref(c *call) (markdown.Fragment, error) {
	if err := c.only(1, "path"); err != nil {
		return markdown.Fragment{}, err
	}
	target := c.arg("path", 0)
	if target == "" {
		return markdown.Fragment{}, errors.New(`needs the page's file: {{< ref "articles/x.md" >}}`)
	}
	file, frag, _ := strings.Cut(target, "#")
	if frag != "" {
		frag = "#" + frag
	}
	if file == "" {
		return markdown.Fragment{HTML: esc(frag), Text: frag}, nil
	}
	var errs []error
	for _, cand := range refCandidates(file) {
		u, err := c.e.doc.resolveOnly(cand)
		if err == nil {
			u += frag
			return markdown.Fragment{HTML: esc(u), Text: u}, nil
		}
		errs = append(errs, err)
	}
	// A bare name not beside the page nor at the top is, as in Hugo, the
	// one page of that name anywhere in the site.
	if name := strings.TrimSuffix(file, ".md"); c.e.doc.Named != nil && !strings.Contains(name, "/") {
		switch urls := c.e.doc.Named(name); len(urls) {
		case 0:
		case 1:
			u := urls[0] + frag
			return markdown.Fragment{HTML: esc(u), Text: u}, nil
		default:
			return markdown.Fragment{}, fmt.Errorf("%q: %d pages are named %s (%s): write the path of the one you mean from content/, like \"/articles/%s.md\"", target, len(urls), name, strings.Join(urls, ", "), name)
		}
	}
	// A path with folders is most likely meant from content/, as Hugo
	// reads it; a bare name, beside the page.
	err := errs[0]
	if strings.Contains(strings.TrimPrefix(file, "/"), "/") {
		err = errs[len(errs)-1]
	}
	return markdown.Fragment{}, fmt.Errorf("%q: %v", target, err)
}

// refCandidates lists the Markdown files a ref target may name, in the
// order Hugo tries them: beside the page, then from content/; without
// ".md", the page's file or a section's _index.md.
func refCandidates(file string) []string {
	var names []string
	if strings.HasSuffix(file, ".md") {
		names = []string{file}
	} else {
		file = strings.TrimSuffix(file, "/")
		names = []string{file + ".md", file + "/_index.md"}
	}
	var out []string
	if !strings.HasPrefix(file, "/") {
		out = append(out, names...)
	}
	for _, n := range names {
		out = append(out, "/"+strings.TrimPrefix(n, "/"))
	}
	return out
}

// resolveOnly resolves a Markdown file's path as a link without recording
// it: a ref's URL is recorded where it is used, as a link's destination.
func (d *Doc) resolveOnly(dest string) (string, error) {
	if d.Resolve == nil {
		return dest, nil
	}
	return d.Resolve(dest, false)
}

// youtube and vimeo link to the video rather than embed it: a page that
// loads no player makes no request to the video site until the reader
// chooses to watch.
func youtube(c *call) (markdown.Fragment, error) {
	return video(c, "YouTube", "https://www.youtube.com/watch?v=", func(id string) bool {
		return id != "" && strings.Trim(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") == ""
	})
}

func vimeo(c *call) (markdown.Fragment, error) {
	return video(c, "Vimeo", "https://vimeo.com/", func(id string) bool {
		_, err := strconv.ParseUint(id, 10, 64)
		return err == nil
	})
}

func video(c *call, site, base string, valid func(string) bool) (markdown.Fragment, error) {
	// Hugo's player options mean nothing for a link; they are accepted
	// so that copied pages build.
	if err := c.only(1, "id", "title", "class", "start", "autoplay", "controls", "loop", "mute", "loading", "allowFullScreen"); err != nil {
		return markdown.Fragment{}, err
	}
	id := c.arg("id", 0)
	if !valid(id) {
		return markdown.Fragment{}, fmt.Errorf("%q is not a %s video id (the last part of the video's address)", id, site)
	}
	u := base + id
	if start := c.arg("start", -1); start != "" {
		if _, err := strconv.ParseUint(start, 10, 32); err != nil {
			return markdown.Fragment{}, fmt.Errorf("start=%q is not a number of seconds", start)
		}
		if site == "YouTube" {
			u += "&t=" + start + "s"
		} else {
			u += "#t=" + start + "s"
		}
	}
	label := c.arg("title", -1)
	if label == "" {
		label = c.e.doc.t("videoOn", site)
	}
	class := "video-card video-" + strings.ToLower(site)
	if cl := c.arg("class", -1); cl != "" {
		class += " " + cl
	}
	h := `<p class="` + esc(class) + `"><a href="` + esc(u) + `" rel="noopener">` +
		esc(label) + ` <span class="video-site">(` + site + `)</span></a></p>`
	c.e.links = append(c.e.links, c.link(u))
	return markdown.Fragment{HTML: h, Text: label, Block: true}, nil
}

// link records a destination the shortcode wrote without resolving it.
func (c *call) link(u string) markdown.Link {
	line, col := c.e.pos(c.n.from)
	return markdown.Link{Dest: u, URL: u, Line: line, Col: col}
}

// t returns a UI string, in English when the site gives none.
func (d *Doc) t(key string, args ...any) string {
	if d.T != nil {
		if s := d.T(key, args...); s != key {
			return s
		}
	}
	switch key {
	case "videoOn":
		return fmt.Sprintf("Watch the video on %s", args...)
	}
	return key
}

// highlight shows its inner text as a code block, as a fenced block with
// the language would: {{< highlight go >}}…{{< /highlight >}}. Options
// after the language (line numbers and the like) are accepted and left
// out; colours are the stylesheet's business. Shortcodes inside are shown
// as written.
func highlight(c *call) (markdown.Fragment, error) {
	if c.n.isNamed {
		return markdown.Fragment{}, errors.New(`takes the language unnamed: {{< highlight go >}}`)
	}
	if err := c.only(2); err != nil {
		return markdown.Fragment{}, err
	}
	code := ""
	if c.n.closed {
		code = string(c.e.src[c.n.innerFrom:c.n.innerTo])
	}
	code = strings.TrimPrefix(strings.TrimPrefix(code, "\r"), "\n")
	code = strings.TrimRight(code, "\r\n")
	var b strings.Builder
	b.WriteString("<pre><code")
	if lang := c.arg("", 0); lang != "" {
		attr(&b, "class", "language-"+lang)
	}
	b.WriteString(">")
	if code != "" {
		b.WriteString(esc(code) + "\n")
	}
	b.WriteString("</code></pre>")
	return markdown.Fragment{HTML: b.String(), Text: code, Block: true}, nil
}

// param shows a value of the page's [params], or else of site.toml's
// [params]; "a.b" reads key b of table a.
func param(c *call) (markdown.Fragment, error) {
	if c.n.isNamed {
		return markdown.Fragment{}, errors.New(`takes the key unnamed: {{< param "key" >}}`)
	}
	if err := c.only(1); err != nil {
		return markdown.Fragment{}, err
	}
	key := c.arg("", 0)
	if key == "" {
		return markdown.Fragment{}, errors.New(`needs a key: {{< param "key" >}}`)
	}
	v, ok := lookup(c.e.doc.Params, key)
	if !ok {
		v, ok = lookup(c.e.doc.SiteParams, key)
	}
	if !ok {
		return markdown.Fragment{}, fmt.Errorf("no %q in the page's [params] nor in site.toml's [params]: add it to one of them", key)
	}
	var s string
	switch v := v.(type) {
	case string:
		s = v
	case map[string]any, []any, []map[string]any:
		return markdown.Fragment{}, fmt.Errorf("%q is a table or a list, not one value: name one of its values (%s.name)", key, key)
	default:
		s = fmt.Sprint(v)
	}
	return markdown.Fragment{HTML: esc(s), Text: s}, nil
}

// lookup finds a dotted key in params; a key's case does not matter, since
// Hugo's does not.
func lookup(params map[string]any, key string) (any, bool) {
	var cur any = params
	for part := range strings.SplitSeq(key, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		v, found := m[part]
		if !found {
			for k, kv := range m {
				if strings.EqualFold(k, part) {
					v, found = kv, true
					break
				}
			}
		}
		if !found {
			return nil, false
		}
		cur = v
	}
	return cur, true
}
