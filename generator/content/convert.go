package content

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	yaml "go.yaml.in/yaml/v3"

	"sxsh/generator/tomlfile"
)

// YAML and JSON front matter is read by writing it out as TOML, with the
// file's line of each TOML line, and decoding that: every format then has
// the same fields, the same checks and the same messages, at the lines of
// the file.

// toTOML returns the front matter as a TOML document, and for YAML and
// JSON the file's line of each of the document's lines; for TOML that is
// nil, the document's lines being the file's own from m.line on.
func (m matter) toTOML() ([]byte, []int, error) {
	var root *value
	var err error
	switch m.format {
	case formatYAML:
		root, err = readYAML(m.text, m.line)
	case formatJSON:
		root, err = readJSON(m.text, m.line)
	default:
		return m.text, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	var w tomlWriter
	w.table(nil, root)
	return w.b.Bytes(), w.lines, nil
}

// value is a YAML or JSON value: a scalar already written as TOML, a list
// or a table.
type value struct {
	line    int    // the file's line
	literal string // a scalar's TOML text
	list    bool
	items   []*value
	table   bool
	fields  []field // in the order written
}

type field struct {
	key  string
	line int
	val  *value
}

// tableList reports whether v is a list of tables, which TOML writes as
// [[key]] tables.
func (v *value) tableList() bool {
	if !v.list || len(v.items) == 0 {
		return false
	}
	for _, it := range v.items {
		if !it.table {
			return false
		}
	}
	return true
}

type tomlWriter struct {
	b     bytes.Buffer
	lines []int
}

func (w *tomlWriter) line(fileLine int, s string) {
	w.b.WriteString(s)
	w.b.WriteByte('\n')
	w.lines = append(w.lines, fileLine)
}

// table writes the fields of t, a table at path: the plain values first,
// since each [table] header ends the one before.
func (w *tomlWriter) table(path []string, t *value) {
	for _, f := range t.fields {
		if !f.val.table && !f.val.tableList() {
			w.line(f.line, tomlKey(f.key)+" = "+inline(f.val))
		}
	}
	for _, f := range t.fields {
		p := append(slices.Clip(path), f.key)
		switch {
		case f.val.table:
			w.line(f.line, "["+tomlPath(p)+"]")
			w.table(p, f.val)
		case f.val.tableList():
			for _, it := range f.val.items {
				w.line(it.line, "[["+tomlPath(p)+"]]")
				w.table(p, it)
			}
		}
	}
}

// inline writes v on one line.
func inline(v *value) string {
	switch {
	case v.list:
		parts := make([]string, len(v.items))
		for i, it := range v.items {
			parts[i] = inline(it)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case v.table:
		parts := make([]string, len(v.fields))
		for i, f := range v.fields {
			parts[i] = tomlKey(f.key) + " = " + inline(f.val)
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return v.literal
}

var bareKey = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

func tomlKey(k string) string {
	if bareKey.MatchString(k) {
		return k
	}
	return tomlString(k)
}

func tomlPath(p []string) string {
	parts := make([]string, len(p))
	for i, k := range p {
		parts[i] = tomlKey(k)
	}
	return strings.Join(parts, ".")
}

// tomlString writes s as a TOML basic string, on one line.
func tomlString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\t':
			b.WriteString(`\t`)
		case '\r':
			b.WriteString(`\r`)
		default:
			if r < 0x20 || r == 0x7f {
				fmt.Fprintf(&b, `\u%04X`, r)
			} else {
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}

func tomlFloat(f float64) string {
	switch {
	case math.IsNaN(f):
		return "nan"
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	}
	s := strconv.FormatFloat(f, 'g', -1, 64)
	if !strings.ContainsAny(s, ".e") {
		s += ".0"
	}
	return s
}

func joinKey(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func twice(key string, line int) string {
	return fmt.Sprintf("%s is set twice (also on line %d): keep one", key, line)
}

func noValue(key string) string {
	return fmt.Sprintf("%s has no value: write one, or remove the line", key)
}

// yamlReader turns a YAML node tree into values. first is the file's line
// of the YAML text's first line.
type yamlReader struct {
	first int
}

func (r yamlReader) line(n *yaml.Node) int { return r.first + n.Line - 1 }

func (r yamlReader) errorf(n *yaml.Node, format string, args ...any) error {
	return &lineError{r.line(n), fmt.Sprintf(format, args...)}
}

// readYAML reads YAML front matter, text starting at the file's line first.
func readYAML(text []byte, first int) (*value, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(text, &doc); err != nil {
		return nil, yamlError(text, first, err)
	}
	r := yamlReader{first: first}
	if len(doc.Content) == 0 {
		return &value{table: true, line: first}, nil // only comments, or nothing
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		if l, msg := noSpace(text, bytes.Count(text, []byte("\n"))+1); l > 0 {
			return nil, &lineError{first + l - 1, msg}
		}
		return nil, r.errorf(root, "front matter must be fields, one a line, written key: value")
	}
	return r.node(root, "")
}

func (r yamlReader) node(n *yaml.Node, key string) (*value, error) {
	switch n.Kind {
	case yaml.MappingNode:
		v := &value{table: true, line: r.line(n)}
		seen := map[string]int{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, kv := n.Content[i], n.Content[i+1]
			if k.ShortTag() == "!!merge" {
				return nil, r.errorf(k, "YAML merge keys (<<) are not read in front matter: write the fields out")
			}
			if k.Kind != yaml.ScalarNode {
				return nil, r.errorf(k, "a key must be a name, such as title")
			}
			path := joinKey(key, k.Value)
			if l, ok := seen[k.Value]; ok {
				return nil, r.errorf(k, "%s", twice(path, l))
			}
			seen[k.Value] = r.line(k)
			c, err := r.node(kv, path)
			if err != nil {
				return nil, err
			}
			v.fields = append(v.fields, field{key: k.Value, line: r.line(k), val: c})
		}
		return v, nil
	case yaml.SequenceNode:
		v := &value{list: true, line: r.line(n)}
		for _, it := range n.Content {
			c, err := r.node(it, key)
			if err != nil {
				return nil, err
			}
			v.items = append(v.items, c)
		}
		return v, nil
	case yaml.AliasNode:
		return nil, r.errorf(n, "%s: YAML aliases (*%s) are not read in front matter: write the value out", key, n.Value)
	case yaml.ScalarNode:
		lit, err := r.scalar(n, key)
		return &value{literal: lit, line: r.line(n)}, err
	}
	return nil, r.errorf(n, "%s: this YAML is not read in front matter", key)
}

// scalar writes a YAML scalar as TOML, of the type YAML gives it.
func (r yamlReader) scalar(n *yaml.Node, key string) (string, error) {
	switch n.ShortTag() {
	case "!!str":
		if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) == 0 &&
			(strings.HasPrefix(n.Value, "“") || strings.HasPrefix(n.Value, "‘")) {
			return "", r.errorf(n, "%s", tomlfile.CurlyQuotes(key))
		}
		return tomlString(n.Value), nil
	case "!!int":
		var i int64
		if err := n.Decode(&i); err != nil {
			return "", r.errorf(n, "%s: %s is too large a number", key, n.Value)
		}
		return strconv.FormatInt(i, 10), nil
	case "!!float":
		var f float64
		if err := n.Decode(&f); err != nil {
			return "", r.errorf(n, "%s: %s is not a number", key, n.Value)
		}
		return tomlFloat(f), nil
	case "!!bool":
		var b bool
		if err := n.Decode(&b); err != nil {
			return "", r.errorf(n, "%s: %s is not true or false", key, n.Value)
		}
		return strconv.FormatBool(b), nil
	case "!!null":
		return "", r.errorf(n, "%s", noValue(key))
	case "!!timestamp":
		if d, ok := parseDate(n.Value); ok {
			return d.toml(), nil
		}
		return tomlString(n.Value), nil // a date field says what is wrong
	}
	return "", r.errorf(n, "%s: the YAML tag %s is not read in front matter: remove it", key, n.Tag)
}

var (
	yamlLineRe = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)
	// A key, a colon and a plain value that holds ": " itself.
	colonValueRe = regexp.MustCompile(`^\s*(?:-\s+)?([^\s:#"'{\[-][^:#]*):\s+([^\s"'|>&*!{\[#].*: .*)$`)
	// A key and a value with no space after the colon.
	noSpaceRe = regexp.MustCompile(`^\s*(?:-\s+)?([A-Za-z_][\w-]*):(\S.*)$`)
)

// yamlError turns the YAML parser's error into a message at a line of the
// file, naming the usual mistakes: indenting with tabs, no space after a
// key's colon, an unquoted value holding ": ".
func yamlError(text []byte, first int, err error) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 1 // the parser leaves out a line only for the first
	if m := yamlLineRe.FindStringSubmatch(err.Error()); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
	}
	lines := strings.Split(string(text), "\n")
	at := func(l int) error { return &lineError{first + l - 1, msg} }
	if line >= 1 && line <= len(lines) {
		indent := lines[line-1][:len(lines[line-1])-len(strings.TrimLeft(lines[line-1], " \t"))]
		if strings.Contains(msg, "tab") || strings.Contains(indent, "\t") {
			msg = "a tab indents this line: YAML indents with spaces only; replace the tab with spaces"
			return at(line)
		}
	}
	if l, m := noSpace(text, line); l > 0 {
		msg = m
		return at(l)
	}
	if strings.Contains(msg, "mapping values are not allowed") {
		for l := min(line, len(lines)); l >= 1; l-- {
			if m := colonValueRe.FindStringSubmatch(lines[l-1]); m != nil {
				key, val := strings.TrimSpace(m[1]), strings.TrimSpace(m[2])
				msg = fmt.Sprintf("%s: put the value in quotes, %s: %q, since it holds \": \"", key, key, val)
				return at(l)
			}
		}
	}
	msg = "YAML: " + msg
	return at(max(line, 1))
}

// noSpace finds the first line up to last written key:value, without the
// space that YAML needs after the colon.
func noSpace(text []byte, last int) (int, string) {
	for i, l := range strings.Split(string(text), "\n") {
		if i >= last {
			break
		}
		if m := noSpaceRe.FindStringSubmatch(strings.TrimRight(l, "\r")); m != nil && !strings.HasPrefix(m[2], "//") {
			return i + 1, fmt.Sprintf("%s: write a space after the colon, %s: %s", m[1], m[1], m[2])
		}
	}
	return 0, ""
}

// jsonReader turns the tokens of a JSON object into values, following
// their lines.
type jsonReader struct {
	dec   *json.Decoder
	text  []byte
	first int
	key   string // the key whose value is being read, for messages
}

// readJSON reads JSON front matter, text starting at the file's line first.
func readJSON(text []byte, first int) (*value, error) {
	dec := json.NewDecoder(bytes.NewReader(text))
	dec.UseNumber()
	r := &jsonReader{dec: dec, text: text, first: first}
	tok, line, err := r.next()
	if err != nil {
		return nil, err
	}
	return r.value(tok, line)
}

func (r *jsonReader) lineAt(off int) int {
	return r.first + bytes.Count(r.text[:min(off, len(r.text))], []byte("\n"))
}

// next reads a token and the line on which it starts.
func (r *jsonReader) next() (json.Token, int, error) {
	off := int(r.dec.InputOffset())
	for off < len(r.text) && strings.IndexByte(" \t\r\n,:", r.text[off]) >= 0 {
		off++
	}
	tok, err := r.dec.Token()
	if err != nil {
		return nil, 0, r.error(err, off)
	}
	return tok, r.lineAt(off), nil
}

func (r *jsonReader) error(err error, off int) error {
	var se *json.SyntaxError
	if !errors.As(err, &se) {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return &lineError{r.lineAt(len(r.text)), "the JSON front matter ends too early: a value, a \" or a } is missing"}
		}
		return &lineError{r.lineAt(off), "JSON: " + err.Error()}
	}
	// The decoder reports a mistake between tokens at its offset; one in
	// a value, at an offset of its own: the value starts at off.
	bad := min(max(int(se.Offset), 0), len(r.text))
	if c, _ := utf8.DecodeRune(r.text[min(off, len(r.text)):]); strings.ContainsRune("“”‘’'", c) {
		bad = off
	}
	line := r.lineAt(bad)
	c, _ := utf8.DecodeRune(r.text[bad:])
	prev := bytes.TrimRight(r.text[:bad], " \t\r\n")
	switch {
	case strings.ContainsRune("“”‘’", c):
		return &lineError{line, tomlfile.CurlyQuotes(r.key)}
	case c == '\'':
		return &lineError{line, `JSON text goes in double quotes "…", not single ones`}
	case (c == '}' || c == ']') && bytes.HasSuffix(prev, []byte(",")):
		return &lineError{line, fmt.Sprintf("remove the comma before %c: JSON allows none after the last item", c)}
	}
	return &lineError{line, "JSON: " + se.Error()}
}

func (r *jsonReader) value(tok json.Token, line int) (*value, error) {
	switch t := tok.(type) {
	case json.Delim:
		if t == '[' {
			v := &value{list: true, line: line}
			for r.dec.More() {
				tok, l, err := r.next()
				if err != nil {
					return nil, err
				}
				c, err := r.value(tok, l)
				if err != nil {
					return nil, err
				}
				v.items = append(v.items, c)
			}
			_, _, err := r.next() // ]
			return v, err
		}
		v := &value{table: true, line: line}
		seen := map[string]int{}
		path := r.key
		for r.dec.More() {
			tok, l, err := r.next()
			if err != nil {
				return nil, err
			}
			k, _ := tok.(string) // the decoder allows nothing else here
			r.key = joinKey(path, k)
			if prev, ok := seen[k]; ok {
				return nil, &lineError{l, twice(r.key, prev)}
			}
			seen[k] = l
			tok, vl, err := r.next()
			if err != nil {
				return nil, err
			}
			c, err := r.value(tok, vl)
			if err != nil {
				return nil, err
			}
			v.fields = append(v.fields, field{key: k, line: l, val: c})
		}
		r.key = path
		_, _, err := r.next() // }
		return v, err
	case string:
		return &value{literal: tomlString(t), line: line}, nil
	case json.Number:
		s := t.String()
		if i, err := strconv.ParseInt(s, 10, 64); err == nil {
			return &value{literal: strconv.FormatInt(i, 10), line: line}, nil
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || !strings.ContainsAny(s, ".eE") {
			return nil, &lineError{line, fmt.Sprintf("%s: %s is too large a number", r.key, s)}
		}
		return &value{literal: tomlFloat(f), line: line}, nil
	case bool:
		return &value{literal: strconv.FormatBool(t), line: line}, nil
	case nil:
		return nil, &lineError{line, noValue(r.key)}
	}
	return nil, &lineError{line, fmt.Sprintf("%s: unexpected JSON", r.key)}
}
