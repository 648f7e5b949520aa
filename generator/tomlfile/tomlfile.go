// Package tomlfile decodes a TOML document strictly: every key must be known
// to the destination struct, and every problem comes back as a diagnostic
// naming the file and line, as an editor needs it.
//
// BurntSushi/toml reports the position of syntax and type errors but not of
// keys it did not decode, so Decode finds those lines itself by scanning the
// document's table headers and key/value lines.
package tomlfile

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"

	"sxsh/generator/diag"
	"sxsh/generator/vitext"
)

// Decode decodes src, a TOML document found in file starting at line first
// (1 for a whole file, the line after "+++" for front matter), into v, a
// pointer to a struct. Keys that v does not declare are errors, except the
// top-level keys named in free (such as "params"), whose values and tables
// are the site's own, and which a misspelt key may be said to mean. A syntax or type error stops decoding and is the only
// diagnostic returned; otherwise every unknown key is reported.
func Decode(file string, first int, src []byte, v any, free ...string) diag.List {
	md, err := toml.NewDecoder(strings.NewReader(string(src))).Decode(v)
	if err != nil {
		return diag.List{decodeError(file, first, src, err)}
	}
	var out diag.List
	for _, key := range md.Undecoded() {
		if len(key) > 0 && slices.Contains(free, key[0]) {
			continue
		}
		if len(key) > 1 && parentUndecoded(md, key) {
			continue // reported once, at the unknown table itself
		}
		line := KeyLine(src, key)
		msg := fmt.Sprintf("unknown key %q", key.String())
		known := fieldNames(reflect.TypeOf(v), key[:len(key)-1])
		if len(key) == 1 {
			// A free name may be a key of its own, which a slip may miss.
			for _, f := range free {
				if !slices.Contains(known, f) {
					known = append(known, f)
				}
			}
		}
		if s := Suggest(key[len(key)-1], known); s != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", s)
		} else if len(known) > 0 {
			msg += "; allowed here: " + strings.Join(known, ", ")
		}
		out.Add(diag.Errorf(file, lineIn(first, line), 0, "%s", msg))
	}
	return out
}

func parentUndecoded(md toml.MetaData, key toml.Key) bool {
	for _, k := range md.Undecoded() {
		if len(k) < len(key) && slices.Equal(k, key[:len(k)]) {
			return true
		}
	}
	return false
}

func lineIn(first, line int) int {
	if line <= 0 {
		return first
	}
	return first + line - 1
}

var (
	lineRe = regexp.MustCompile(`^toml: line (\d+)(?: \(last key "([^"]*)"\))?: `)
	typeRe = regexp.MustCompile(`TOML value has type (\S+); destination has type (.+)$`)
)

// decodeError turns what BurntSushi/toml returns into a diagnostic, with a
// message an editor can act on.
func decodeError(file string, first int, src []byte, err error) *diag.Diagnostic {
	var pe toml.ParseError
	if errors.As(err, &pe) {
		msg := pe.Message
		if pe.LastKey != "" && !strings.HasPrefix(msg, pe.LastKey+":") && !strings.Contains(msg, `"`+pe.LastKey+`"`) {
			msg = fmt.Sprintf("%s: %s", pe.LastKey, msg)
		}
		if pe.Usage != "" {
			msg += " (" + strings.TrimSpace(strings.SplitN(pe.Usage, "\n", 2)[0]) + ")"
		}
		if h := hint(lineOf(src, pe.Position.Line), pe.LastKey); h != "" {
			msg = h
		}
		return diag.Errorf(file, lineIn(first, pe.Position.Line), pe.Position.Col, "%s", msg)
	}
	msg := err.Error()
	line := 0
	if m := lineRe.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = msg[len(m[0]):]
		if m[2] != "" {
			msg = fmt.Sprintf("%s: %s", m[2], msg)
			if line == 0 {
				line = KeyLine(src, strings.Split(m[2], "."))
			}
		}
	} else {
		msg = strings.TrimPrefix(msg, "toml: ")
	}
	if m := typeRe.FindStringSubmatch(msg); m != nil {
		msg = strings.Replace(msg, m[0], fmt.Sprintf("expected %s, found %s", typeWord(m[2]), typeWord(m[1])), 1)
		msg = strings.Replace(msg, "incompatible types: ", "", 1)
	}
	return diag.Errorf(file, lineIn(first, line), 0, "%s", msg)
}

func lineOf(src []byte, n int) string {
	for i, l := range strings.Split(string(src), "\n") {
		if i+1 == n {
			return l
		}
	}
	return ""
}

var (
	dayFirstRe = regexp.MustCompile(`^(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T](\d{1,2}):(\d{2}))?$`)
	spacedRe   = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)? ?([+-]\d{2}:?\d{2}|Z)?$`)
)

// hint returns a message for a syntax error that an editor makes often and
// that the TOML parser words in its own terms, or "": text in curly quotes
// pasted from a word processor, a day-first date or a date with its offset
// after a space, each written without quotes. key is the parser's last key,
// for a line that sets none itself.
func hint(line, key string) string {
	val := line
	if eq := keyEnd(strings.TrimSpace(line)); eq > 0 {
		key = strings.Join(splitKey(strings.TrimSpace(line)[:eq]), ".")
		val = strings.TrimSpace(line)[eq+1:]
	}
	val = strings.TrimSpace(val)
	if strings.ContainsAny(unquoted(val), "“”‘’") {
		return CurlyQuotes(key)
	}
	if key == "" {
		return ""
	}
	val = strings.TrimSpace(strings.SplitN(val, "#", 2)[0])
	if m := dayFirstRe.FindStringSubmatch(val); m != nil {
		n := func(s string) int { i, _ := strconv.Atoi(s); return i }
		iso := fmt.Sprintf("%s-%02d-%02d", m[3], n(m[2]), n(m[1]))
		if m[4] != "" {
			iso += fmt.Sprintf("T%02d:%s:00", n(m[4]), m[5])
		}
		return fmt.Sprintf("%s: write the date year first, %s = %s, or put it in quotes: %s = %q", key, key, iso, key, val)
	}
	if spacedRe.MatchString(val) {
		return fmt.Sprintf("%s: put this date in quotes, %s = %q, or write it as %s = 2021-03-15T08:30:00+07:00", key, key, val, key)
	}
	return ""
}

// unquoted returns s without its straight-quoted strings and comment.
func unquoted(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '"', '\'':
			j := i + 1
			for j < len(s) && s[j] != c {
				if c == '"' && s[j] == '\\' {
					j++
				}
				j++
			}
			i = j
		case '#':
			return b.String()
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// CurlyQuotes is the message for text set in curly quotes, “…” or ‘…’, as
// word processors type them, where the file format needs straight ones;
// every front-matter format says the same.
func CurlyQuotes(key string) string {
	msg := `use straight quotes " instead of “ ” around text (curly quotes come from word processors)`
	if key != "" {
		msg = key + ": " + msg
	}
	return msg
}

func typeWord(t string) string {
	t = strings.TrimSpace(t)
	switch {
	case strings.HasPrefix(t, "[]"):
		return "a list [..]"
	case strings.HasPrefix(t, "map["):
		return "a table"
	}
	switch strings.ToLower(t) {
	case "string":
		return "text in quotes"
	case "integer", "int", "int64", "int32", "uint", "uint64":
		return "a whole number"
	case "float", "float64":
		return "a number"
	case "bool", "boolean":
		return "true or false"
	case "array", "slice":
		return "a list [..]"
	case "hash", "table", "map", "struct":
		return "a table"
	case "datetime", "time.time":
		return "a date"
	}
	return t
}

// KeyLine returns the 1-based line of src on which the key path is set;
// for a table that only its subtables define ([menu.main] defines menu),
// the first of them; else the line of its closest ancestor table, when
// the key is not on a line of its own (inline tables); 0 when none is
// found. Lines inside multi-line strings and arrays are values, never keys.
func KeyLine(src []byte, key []string) int {
	best, bestLen, below := 0, 0, 0
	for _, l := range lines(src) {
		n := commonPrefix(l.path, key)
		if n == len(key) && len(l.path) == len(key) {
			return l.n
		}
		if n == len(key) && below == 0 {
			below = l.n
		}
		if n == len(l.path) && n > bestLen {
			best, bestLen = l.n, n
		}
	}
	if below > 0 && len(key) > 0 {
		return below
	}
	return best
}

// TableLines returns the 1-based lines of the [[key]] headers of src, one
// for each table of that array of tables, in order.
func TableLines(src []byte, key []string) []int {
	var out []int
	for _, l := range lines(src) {
		if l.array && slices.Equal(l.path, key) {
			out = append(out, l.n)
		}
	}
	return out
}

// keyLine is a line of a TOML document that starts a key or a table.
type keyLine struct {
	n     int      // 1-based
	path  []string // the full key path, or the table's
	array bool     // a [[table]] header
}

// lines finds the lines that set keys or open tables, skipping comments and
// the continuation lines of multi-line strings and arrays, which may look
// like keys ("title = x" in a """ text) but are values.
func lines(src []byte) []keyLine {
	var out []keyLine
	var table []string
	var v valueScan
	for i, raw := range strings.Split(string(src), "\n") {
		if v.open() {
			v.scan(raw)
			continue
		}
		line := strings.TrimSpace(raw)
		if line == "" || line[0] == '#' {
			continue
		}
		if line[0] == '[' {
			array := strings.HasPrefix(line, "[[")
			name := strings.Trim(strings.TrimSpace(strings.SplitN(line, "#", 2)[0]), "[] \t")
			table = splitKey(name)
			out = append(out, keyLine{n: i + 1, path: table, array: array})
			continue
		}
		eq := keyEnd(line)
		if eq <= 0 {
			continue
		}
		out = append(out, keyLine{n: i + 1, path: append(slices.Clip(table), splitKey(line[:eq])...)})
		v.scan(line[eq+1:])
	}
	return out
}

// keyEnd returns the index of the "=" that ends the key of line, outside
// quoted key parts, or -1.
func keyEnd(line string) int {
	for i := 0; i < len(line); i++ {
		switch line[i] {
		case '=':
			return i
		case '"', '\'':
			j := strings.IndexByte(line[i+1:], line[i])
			if j < 0 {
				return -1
			}
			i += j + 1
		}
	}
	return -1
}

// valueScan follows a value across lines: whether a multi-line string or
// an array (or inline table) is still open at the end of a line.
type valueScan struct {
	depth int    // open [ and {
	multi string // the delimiter of an open multi-line string
}

func (v *valueScan) open() bool { return v.depth > 0 || v.multi != "" }

func (v *valueScan) scan(s string) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case v.multi == `"""`:
			if c == '\\' {
				i++
			} else if strings.HasPrefix(s[i:], `"""`) {
				v.multi = ""
				i += 2
			}
		case v.multi == "'''":
			if strings.HasPrefix(s[i:], "'''") {
				v.multi = ""
				i += 2
			}
		case strings.HasPrefix(s[i:], `"""`), strings.HasPrefix(s[i:], "'''"):
			v.multi = s[i : i+3]
			i += 2
		case c == '"':
			for i++; i < len(s) && s[i] != '"'; i++ {
				if s[i] == '\\' {
					i++
				}
			}
		case c == '\'':
			if j := strings.IndexByte(s[i+1:], '\''); j >= 0 {
				i += j + 1
			} else {
				i = len(s)
			}
		case c == '#':
			return
		case c == '[' || c == '{':
			v.depth++
		case c == ']' || c == '}':
			v.depth = max(v.depth-1, 0)
		}
	}
}

func splitKey(s string) []string {
	parts := strings.Split(s, ".")
	for i, p := range parts {
		parts[i] = strings.Trim(strings.TrimSpace(p), `"'`)
	}
	return parts
}

func commonPrefix(a, b []string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

// Keys returns the top-level keys that v, a struct or a pointer to one,
// declares, as Decode reads them, in the order of its fields.
func Keys(v any) []string { return fieldNames(reflect.TypeOf(v), nil) }

// fieldNames lists the TOML keys that the struct type t declares at path
// (following struct, pointer, slice and map element types), for messages.
func fieldNames(t reflect.Type, path []string) []string {
	for t != nil {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Map {
			if t.Kind() == reflect.Map {
				if len(path) == 0 {
					return nil // the keys of a map are the site's own
				}
				path = path[1:]
			}
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct {
			return nil
		}
		if len(path) == 0 {
			break
		}
		f, ok := fieldByKey(t, path[0])
		if !ok {
			return nil
		}
		t, path = f.Type, path[1:]
	}
	var names []string
	for _, f := range fields(t) {
		names = append(names, keyName(f))
	}
	return names
}

func fieldByKey(t reflect.Type, key string) (reflect.StructField, bool) {
	for _, f := range fields(t) {
		if keyName(f) == key {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

// fields lists the keyed fields of struct type t, with those of embedded
// structs promoted as the decoder promotes them.
func fields(t reflect.Type) []reflect.StructField {
	var out []reflect.StructField
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Anonymous && f.Tag.Get("toml") == "" && f.Type.Kind() == reflect.Struct {
			out = append(out, fields(f.Type)...)
			continue
		}
		if keyName(f) != "" {
			out = append(out, f)
		}
	}
	return out
}

func keyName(f reflect.StructField) string {
	if !f.IsExported() {
		return ""
	}
	tag := strings.Split(f.Tag.Get("toml"), ",")[0]
	switch tag {
	case "-":
		return ""
	case "":
		return f.Name
	}
	return tag
}

// Suggest returns the candidate closest to word by edit distance when it is
// close enough to be a likely typing slip, and "" otherwise.
func Suggest(word string, candidates []string) string {
	best, bestD := "", len(word)/2+2
	for _, c := range candidates {
		if d := vitext.Distance(strings.ToLower(word), strings.ToLower(c)); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}
