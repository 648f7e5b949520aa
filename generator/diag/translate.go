package diag

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// Messages are written in English where they are made, with fmt's verbs,
// and often nest: "installed: %v" wraps "%q is not a date; write it as
// 2021-03-15 (or 2021-03-15 08:30)". A Translator shows a finished English
// message in an editor's language without the code that made it knowing:
// each English format of the catalog is compiled to a pattern (%q matches a
// quoted Go string, %d digits, %s and %v any text), the pattern that
// matches the whole message gives its arguments, and the arguments of %s
// and %v, often messages themselves, are translated in turn before they
// fill the translated format. Quoted values and numbers come through as
// they are, so file names, keys and the editor's own text are never
// changed. A message the catalog does not know is shown in English.

// Languages lists the languages messages can be shown in, the default
// first.
func Languages() []string { return []string{"vi", "en"} }

// Translator shows messages in one language. Its zero value is English,
// which shows every message as it was written.
type Translator struct {
	lang string
	cat  *catalog
}

// NewTranslator returns the Translator for the language code lang: "vi"
// for Vietnamese; English for "en" and for any language the catalog lacks.
func NewTranslator(lang string) Translator {
	if lang == "vi" {
		return Translator{lang: "vi", cat: vietnamese()}
	}
	return Translator{}
}

// Lang returns the code of the language messages are shown in, such as
// "vi", for <html lang> and the like.
func (t Translator) Lang() string {
	if t.lang == "" {
		return "en"
	}
	return t.lang
}

// Msg returns the English message msg in t's language.
func (t Translator) Msg(msg string) string {
	if t.cat == nil {
		return msg
	}
	return t.cat.translate(msg, 0)
}

// Sprintf formats an English message and returns it in t's language.
func (t Translator) Sprintf(format string, args ...any) string {
	return t.Msg(fmt.Sprintf(format, args...))
}

// Format is Sprintf for a caller that knows its format: the message is
// read with that format's own entry, so that no other entry can take the
// whole (a summary's "%s pages, …" taking "built 9 pages, … into public/"
// for its own), and its arguments are translated as Msg does.
func (t Translator) Format(format string, args ...any) string {
	msg := fmt.Sprintf(format, args...)
	if t.cat != nil {
		if p := t.cat.exact[format]; p != nil {
			if out, ok := t.cat.apply(p, msg, 0); ok {
				return out
			}
		}
	}
	return t.Msg(msg)
}

// Diagnostic formats d as Diagnostic.Error does, with its severity and
// message in t's language and its position as it is.
func (t Translator) Diagnostic(d *Diagnostic) string {
	sev := ""
	if d.Severity != Error {
		sev = t.Msg(d.Severity.String())
	}
	return d.format(sev, t.Msg(d.Msg))
}

// Error formats err in t's language: a List one diagnostic a line, a
// Diagnostic with its position, anything else as its message.
func (t Translator) Error(err error) string {
	var l List
	var d *Diagnostic
	switch {
	case errors.As(err, &l):
		lines := make([]string, len(l))
		for i, d := range l {
			lines[i] = t.Diagnostic(d)
		}
		return strings.Join(lines, "\n")
	case errors.As(err, &d):
		return t.Diagnostic(d)
	}
	return t.Msg(err.Error())
}

// maxDepth bounds how deeply arguments are translated: messages nest a few
// levels, never more, and the bound keeps a pathological message cheap.
const maxDepth = 8

// catalog is a compiled set of translations, read-only once made.
type catalog struct {
	patterns []*pattern          // most specific first
	exact    map[string]*pattern // by English format
}

// pattern is one compiled entry of a catalog.
type pattern struct {
	en, to string
	re     *regexp.Regexp
	verbs  []byte   // the English verb of each argument: 'q', 'd', 's'…
	key    string   // the longest literal of en, which every match contains
	lits   int      // the length of en's literal text: longer is more specific
	fill   []filler // the translated format, in pieces
}

// filler is a piece of a translated format: literal text, or argument arg
// when arg >= 0.
type filler struct {
	text string
	arg  int
}

// Entry is one translation of a catalog: the English format as the code
// writes it, and the format in another language, whose verbs may name
// their argument, as fmt's %[2]s does, to change the order.
type Entry struct{ En, To string }

// compile makes a catalog of entries, reporting those that cannot be used:
// a format that does not parse, or a translation that loses a quoted
// value or a number, or uses an argument the English lacks.
func compile(entries []Entry) (*catalog, []error) {
	var errs []error
	c := &catalog{exact: map[string]*pattern{}}
	seen := map[string]bool{}
	for _, e := range entries {
		if seen[e.En] {
			errs = append(errs, fmt.Errorf("%q is in the catalog twice", e.En))
			continue
		}
		seen[e.En] = true
		p, err := compileEntry(e)
		if err != nil {
			errs = append(errs, fmt.Errorf("%q: %v", e.En, err))
			continue
		}
		c.patterns = append(c.patterns, p)
		c.exact[e.En] = p
	}
	// The most literal text first: "%s is missing: add %s" must be tried
	// before "%s: %s", which matches the same message less exactly.
	slices.SortStableFunc(c.patterns, func(a, b *pattern) int {
		if a.lits != b.lits {
			return b.lits - a.lits
		}
		return strings.Compare(a.en, b.en)
	})
	return c, errs
}

// piece is a parsed part of a format: literal text, or a verb.
type piece struct {
	text string // literal text, when verb is 0
	verb byte
	prec bool // the verb has a precision, as %.1f
	arg  int  // the argument the verb formats, from 0
}

// parseFormat splits a format into literal text and verbs, numbering the
// arguments as fmt does.
func parseFormat(f string) ([]piece, error) {
	var out []piece
	var lit strings.Builder
	next := 0
	for i := 0; i < len(f); i++ {
		if f[i] != '%' {
			lit.WriteByte(f[i])
			continue
		}
		i++
		if i < len(f) && f[i] == '%' {
			lit.WriteByte('%')
			continue
		}
		for i < len(f) && strings.IndexByte("+-# 0", f[i]) >= 0 {
			i++
		}
		if i < len(f) && f[i] == '[' {
			end := strings.IndexByte(f[i:], ']')
			if end < 0 {
				return nil, fmt.Errorf("unclosed [ in a verb")
			}
			n, err := strconv.Atoi(f[i+1 : i+end])
			if err != nil || n < 1 {
				return nil, fmt.Errorf("bad argument index %s", f[i:i+end+1])
			}
			next = n - 1
			i += end + 1
		}
		for i < len(f) && f[i] >= '0' && f[i] <= '9' {
			i++
		}
		prec := false
		if i < len(f) && f[i] == '.' {
			prec = true
			i++
			for i < len(f) && f[i] >= '0' && f[i] <= '9' {
				i++
			}
		}
		if i >= len(f) {
			return nil, fmt.Errorf("a verb is cut short at the end")
		}
		if lit.Len() > 0 {
			out = append(out, piece{text: lit.String()})
			lit.Reset()
		}
		out = append(out, piece{verb: f[i], prec: prec, arg: next})
		next++
	}
	if lit.Len() > 0 {
		out = append(out, piece{text: lit.String()})
	}
	return out, nil
}

// verbPattern is what a verb's output looks like.
func verbPattern(v byte) (string, error) {
	switch v {
	case 'q':
		return `("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')`, nil
	case 'd':
		return `(-?[0-9]+)`, nil
	case 'f', 'g', 'e':
		return `(-?[0-9][0-9.e+-]*)`, nil
	case 'x', 'X':
		return `([0-9a-fA-F]+)`, nil
	case 't':
		return `(true|false)`, nil
	case 'T':
		return `(\S+)`, nil
	case 's', 'v', 'w', 'c':
		return `(.*?)`, nil
	}
	return "", fmt.Errorf("verb %%%c is not supported", v)
}

// textVerb reports whether v formats text that may itself be a message.
func textVerb(v byte) bool { return v == 's' || v == 'v' || v == 'w' }

func compileEntry(e Entry) (*pattern, error) {
	en, err := parseFormat(e.En)
	if err != nil {
		return nil, err
	}
	p := &pattern{en: e.En, to: e.To}
	var re strings.Builder
	re.WriteString(`(?s)^`)
	for _, pc := range en {
		if pc.verb == 0 {
			re.WriteString(regexp.QuoteMeta(pc.text))
			p.lits += len(pc.text)
			if len(pc.text) > len(p.key) {
				p.key = pc.text
			}
			continue
		}
		if pc.arg != len(p.verbs) {
			return nil, fmt.Errorf("the English format must take its arguments in order")
		}
		s, err := verbPattern(pc.verb)
		if err != nil {
			return nil, err
		}
		re.WriteString(s)
		p.verbs = append(p.verbs, pc.verb)
	}
	re.WriteString(`$`)
	if p.lits == 0 {
		return nil, fmt.Errorf("a format without words would match any message")
	}
	p.re = regexp.MustCompile(re.String())
	to, err := parseFormat(e.To)
	if err != nil {
		return nil, fmt.Errorf("translation: %v", err)
	}
	used := make([]bool, len(p.verbs))
	for _, pc := range to {
		if pc.verb == 0 {
			p.fill = append(p.fill, filler{text: pc.text, arg: -1})
			continue
		}
		if pc.arg >= len(p.verbs) {
			return nil, fmt.Errorf("translation: %%%c uses argument %d, but the English has %d", pc.verb, pc.arg+1, len(p.verbs))
		}
		if want := p.verbs[pc.arg]; pc.verb != want && !(textVerb(pc.verb) && textVerb(want)) {
			return nil, fmt.Errorf("translation: argument %d is %%%c in English but %%%c here", pc.arg+1, want, pc.verb)
		}
		used[pc.arg] = true
		p.fill = append(p.fill, filler{arg: pc.arg})
	}
	// Only text may be left out, such as the English plural "errors",
	// which Vietnamese does not need: quoted values and numbers are what
	// the editor needs to find the mistake.
	for i, u := range used {
		if !u && !textVerb(p.verbs[i]) {
			return nil, fmt.Errorf("translation: leaves out argument %d (%%%c)", i+1, p.verbs[i])
		}
	}
	return p, nil
}

// translate returns msg translated, or as it is when no pattern matches.
func (c *catalog) translate(msg string, depth int) string {
	if depth > maxDepth || msg == "" {
		return msg
	}
	for _, p := range c.patterns {
		if out, ok := c.apply(p, msg, depth); ok {
			return out
		}
	}
	return msg
}

// apply translates msg with the entry p, if p's English matches it whole.
func (c *catalog) apply(p *pattern, msg string, depth int) (string, bool) {
	if !strings.Contains(msg, p.key) {
		return "", false
	}
	m := p.re.FindStringSubmatch(msg)
	if m == nil {
		return "", false
	}
	args := m[1:]
	var b strings.Builder
	for _, f := range p.fill {
		if f.arg < 0 {
			b.WriteString(f.text)
			continue
		}
		a := args[f.arg]
		if textVerb(p.verbs[f.arg]) {
			a = c.translate(a, depth+1)
		}
		b.WriteString(a)
	}
	return b.String(), true
}

// vietnamese is the Vietnamese catalog, compiled once, on first use.
var vietnamese = sync.OnceValue(func() *catalog {
	c, _ := compile(viEntries())
	return c
})

// Catalog returns the entries of the catalog for lang, nil for English,
// for tests that hold it to the messages of the code.
func Catalog(lang string) []Entry {
	if lang == "vi" {
		return viEntries()
	}
	return nil
}

// CheckCatalog reports the entries of entries that cannot be used.
func CheckCatalog(entries []Entry) []error {
	_, errs := compile(entries)
	return errs
}
