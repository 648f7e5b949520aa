package site

import (
	"slices"
	"strings"

	"sxsh/generator/content"
	"sxsh/generator/diag"
)

// Broken is a page that a Session build could not make, or made with
// errors, so that a preview can show them at its address.
type Broken struct {
	// Path is the page's site path, where it was or would be published;
	// "" when not known (a new file whose front matter cannot be read).
	Path string
	// File is its source file, "" for a generated page.
	File   string
	Errors diag.List
}

// leaveOut, in a Session's build, takes the pages of the content files that
// have errors out of the site, so that the others can be built: it sets
// their errors aside for the result and links the site again without those
// files. It returns what the build goes on with: the warnings of errs, or,
// when an error is not one content file's (the content folder cannot be
// read), all of errs, which stop the build.
func (b *builder) leaveOut(errs diag.List, opts content.Options) diag.List {
	bad := map[string]bool{}
	for _, d := range errs.Errors() {
		if !strings.HasPrefix(d.File, content.Dir+"/") {
			return errs
		}
		bad[d.File] = true
	}
	if len(bad) == 0 {
		return errs
	}
	// A file whose page was read has its address; a file that could not
	// become a page has the one it had in the last build that published
	// it, if any.
	paths := map[string]string{}
	relink := false
	for _, p := range b.site.Pages {
		if bad[p.File] {
			paths[p.File], relink = p.Path, true
		}
	}
	for f := range bad {
		if _, ok := paths[f]; !ok && b.mem.paths != nil {
			paths[f] = b.mem.paths[f]
		}
	}
	if relink {
		opts.Skip = bad
		s, more := content.Load(b.opts.Source, b.cfg, opts)
		if s == nil || more.HasErrors() {
			return append(errs, more.Errors()...)
		}
		b.site = s
		if more := b.checkFiles(); more.HasErrors() {
			return append(errs, more...)
		}
	}
	served := map[string]bool{}
	for _, p := range b.site.Pages {
		served[p.Path] = true
	}
	b.leftOut = map[string]string{}
	for f := range bad {
		if !served[paths[f]] { // else another page took it: a duplicate URL
			b.leftOut[f] = paths[f]
		} else {
			b.leftOut[f] = ""
		}
	}
	var rest diag.List
	for _, d := range errs {
		if d.Severity != diag.Error {
			rest = append(rest, d)
			continue
		}
		b.addBroken(b.leftOut[d.File], d.File, diag.List{d})
	}
	b.aside = append(b.aside, errs.Errors()...)
	return rest
}

// leftOutPath says whether a link to the content file (or its version in
// lang) leads to a page left out of this build for its errors, and the
// address that page had, if known.
func (b *builder) leftOutPath(file, lang string) (string, bool) {
	for _, f := range []string{file, strings.TrimSuffix(file, ".md") + "." + lang + ".md"} {
		if to, ok := b.leftOut[f]; ok {
			return to, true
		}
	}
	return "", false
}

// setAside keeps the errors of a Session's render steps for the result and
// returns the rest: the pages that have them were not written, or were
// written as far as they could be, and broke says which.
func (b *builder) setAside(errs diag.List) diag.List {
	var rest diag.List
	for _, d := range errs {
		if d.Severity == diag.Error {
			b.aside = append(b.aside, d)
		} else {
			rest = append(rest, d)
		}
	}
	return rest
}

// broke notes, in a Session's build, that the file for sitePath of page p
// had the errors among errs.
func (b *builder) broke(p *content.Page, sitePath string, errs diag.List) {
	if b.partial && errs.HasErrors() {
		b.addBroken(sitePath, p.File, errs.Errors())
	}
}

func (b *builder) addBroken(path, file string, errs diag.List) {
	b.brokenMu.Lock()
	defer b.brokenMu.Unlock()
	if b.broken == nil {
		b.broken = map[[2]string]diag.List{}
	}
	k := [2]string{path, file}
	b.broken[k] = append(b.broken[k], errs...)
}

// brokenPages lists the broken pages by path and file.
func (b *builder) brokenPages() []Broken {
	var out []Broken
	for k, errs := range b.broken {
		errs = errs.Dedupe()
		errs.Sort()
		out = append(out, Broken{Path: k[0], File: k[1], Errors: errs})
	}
	slices.SortFunc(out, func(x, y Broken) int {
		if c := strings.Compare(x.Path, y.Path); c != 0 {
			return c
		}
		return strings.Compare(x.File, y.File)
	})
	return out
}

// asideList is every error set aside, once each, in order.
func (b *builder) asideList() diag.List {
	l := b.aside.Dedupe()
	l.Sort()
	return l
}
