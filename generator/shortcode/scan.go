package shortcode

import (
	"bytes"
	"fmt"
	"strings"
)

// node is one shortcode of a document, or one escaped shortcode to print
// as written.
type node struct {
	name     string
	markdown bool // opened with {{% rather than {{<
	pos      []string
	named    map[string]string
	isNamed  bool
	// literal is set for an escape ({{</* x */>}}): the text to show.
	literal string
	// from and to are its bytes in the body, closing tag included;
	// innerFrom and innerTo those between its tags, when it has both.
	from, to           int
	innerFrom, innerTo int
	closed             bool
	children           []*node // the shortcodes inside, when closed
}

// tag is one {{< … >}} or {{% … %}} as written.
type tag struct {
	n       *node
	closing bool // {{< /name >}}
	self    bool // {{< name />}}
}

// scanError is a mistake in a shortcode's syntax at byte at of the body.
type scanError struct {
	at  int
	msg string
}

// scan finds the shortcode tags of src outside the code ranges, in order.
// It goes on after a mistake, so that all of them are reported at once.
func scan(src []byte, code [][2]int) ([]tag, []scanError) {
	var tags []tag
	var errs []scanError
	for i := 0; i < len(src); {
		j := bytes.Index(src[i:], []byte("{{"))
		if j < 0 {
			break
		}
		at := i + j
		if k := inCode(code, at); k >= 0 {
			i = max(code[k][1], at+2)
			continue
		}
		if at+2 >= len(src) || (src[at+2] != '<' && src[at+2] != '%') {
			i = at + 2
			continue
		}
		t, end, err := scanTag(src, at)
		if err != nil {
			errs = append(errs, *err)
			i = at + 3
			continue
		}
		tags = append(tags, t)
		i = end
	}
	return tags, errs
}

// inCode returns the index of the code range holding off, or -1.
func inCode(code [][2]int, off int) int {
	for k, r := range code {
		if off < r[0] {
			break
		}
		if off < r[1] {
			return k
		}
	}
	return -1
}

// scanTag reads the tag starting at src[at] ("{{<" or "{{%") and returns
// it and the offset just past it.
func scanTag(src []byte, at int) (tag, int, *scanError) {
	open := string(src[at : at+3])
	closeDelim := ">}}"
	if open == "{{%" {
		closeDelim = "%}}"
	}
	other := map[string]string{">}}": "%}}", "%}}": ">}}"}[closeDelim]
	i := skipSpace(src, at+3)
	n := &node{markdown: open == "{{%", from: at}

	// {{</* x */>}}: Hugo's way to show a shortcode as written.
	if bytes.HasPrefix(src[i:], []byte("/*")) {
		end := bytes.Index(src[i+2:], []byte("*/"))
		if end >= 0 {
			end += 2
		}
		if end < 0 {
			return tag{}, 0, &scanError{at, fmt.Sprintf("%s/* is not ended: write %s/* name */%s to show a shortcode as written", open, open, closeDelim)}
		}
		inner := src[i+2 : i+end]
		k := skipSpace(src, i+end+2)
		if !bytes.HasPrefix(src[k:], []byte(closeDelim)) {
			return tag{}, 0, &scanError{at, fmt.Sprintf("%s/* … */ must end with */%s", open, closeDelim)}
		}
		n.literal = open + string(inner) + closeDelim
		n.to = k + len(closeDelim)
		return tag{n: n}, n.to, nil
	}

	var t tag
	if i < len(src) && src[i] == '/' {
		t.closing = true
		i = skipSpace(src, i+1)
	}
	start := i
	for i < len(src) && isNameByte(src[i]) {
		i++
	}
	n.name = string(src[start:i])
	if n.name == "" {
		return tag{}, 0, &scanError{at, fmt.Sprintf("a shortcode needs a name after %s, as in %s figure src=\"/images/x.jpg\" %s", open, open, closeDelim)}
	}
	for {
		ws := i
		i = skipSpace(src, i)
		// A blank line ends a paragraph in Markdown: a tag still open
		// there was not ended.
		blank := bytes.Count(src[ws:i], []byte("\n")) > 1
		switch {
		case blank:
			return tag{}, 0, &scanError{at, fmt.Sprintf("shortcode %q is not ended: close it with %s", n.name, closeDelim)}
		case i >= len(src):
			return tag{}, 0, &scanError{at, fmt.Sprintf("shortcode %q is not ended: close it with %s", n.name, closeDelim)}
		case bytes.HasPrefix(src[i:], []byte(closeDelim)):
			n.to = i + len(closeDelim)
			t.n = n
			if t.closing && (len(n.pos) > 0 || n.isNamed) {
				return tag{}, 0, &scanError{at, fmt.Sprintf("closing tag of %q takes no arguments", n.name)}
			}
			return t, n.to, nil
		case bytes.HasPrefix(src[i:], []byte(other)):
			return tag{}, 0, &scanError{at, fmt.Sprintf("shortcode %q opens with %s but ends with %s: end it with %s", n.name, open, other, closeDelim)}
		case bytes.HasPrefix(src[i:], []byte("/"+closeDelim)) || src[i] == '/' && bytes.HasPrefix(src[skipSpace(src, i+1):], []byte(closeDelim)):
			t.self = true
			i = skipSpace(src, i+1)
			continue
		case bytes.HasPrefix(src[i:], []byte("{{")):
			return tag{}, 0, &scanError{at, fmt.Sprintf("shortcode %q is not ended: close it with %s", n.name, closeDelim)}
		}
		name, value, next, err := scanArg(src, i)
		if err != "" {
			return tag{}, 0, &scanError{i, fmt.Sprintf("shortcode %q: %s", n.name, err)}
		}
		i = next
		if name != "" {
			if len(n.pos) > 0 {
				return tag{}, 0, &scanError{at, fmt.Sprintf("shortcode %q mixes positional and named arguments: name them all (%s=\"…\")", n.name, name)}
			}
			if n.named == nil {
				n.named = map[string]string{}
			}
			if _, dup := n.named[name]; dup {
				return tag{}, 0, &scanError{at, fmt.Sprintf("shortcode %q: argument %s is given twice", n.name, name)}
			}
			n.named[name] = value
			n.isNamed = true
		} else {
			if n.isNamed {
				return tag{}, 0, &scanError{at, fmt.Sprintf("shortcode %q mixes named and positional arguments: name them all (key=\"%s\")", n.name, value)}
			}
			n.pos = append(n.pos, value)
		}
	}
}

// scanArg reads one argument: "quoted", `raw`, bare, or any of them after
// name=.
func scanArg(src []byte, i int) (name, value string, next int, err string) {
	if i < len(src) && isNameByte(src[i]) {
		j := i
		for j < len(src) && isNameByte(src[j]) {
			j++
		}
		if j < len(src) && src[j] == '=' {
			name = string(src[i:j])
			i = j + 1
		}
	}
	if i >= len(src) {
		return "", "", i, "the argument has no value"
	}
	switch src[i] {
	case '"':
		var b strings.Builder
		for j := i + 1; j < len(src); j++ {
			switch c := src[j]; {
			case c == '\\' && j+1 < len(src) && (src[j+1] == '"' || src[j+1] == '\\'):
				b.WriteByte(src[j+1])
				j++
			case c == '"':
				return name, b.String(), j + 1, ""
			default:
				b.WriteByte(c)
			}
		}
		return "", "", i, "a quoted argument has no closing \""
	case '`':
		j := bytes.IndexByte(src[i+1:], '`')
		if j < 0 {
			return "", "", i, "an argument in ` has no closing `"
		}
		return name, string(src[i+1 : i+1+j]), i + 2 + j, ""
	}
	j := i
	for j < len(src) && !isSpace(src[j]) && !bytes.HasPrefix(src[j:], []byte(">}}")) && !bytes.HasPrefix(src[j:], []byte("%}}")) && !bytes.HasPrefix(src[j:], []byte("/>}}")) && !bytes.HasPrefix(src[j:], []byte("/%}}")) {
		if src[j] == '"' || src[j] == '`' {
			return "", "", j, "put quotes around the whole argument"
		}
		j++
	}
	if j == i {
		return "", "", i, "the argument has no value"
	}
	return name, string(src[i:j]), j, ""
}

func isNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func skipSpace(src []byte, i int) int {
	for i < len(src) && isSpace(src[i]) {
		i++
	}
	return i
}

// build pairs opening and closing tags into a tree. A tag left open is a
// shortcode without inner content; needsInner says which shortcodes must
// have one, so that leaving them open is a mistake.
func build(tags []tag, needsInner func(name string) bool) ([]*node, []scanError) {
	var errs []scanError
	root := &node{}
	// stack holds the shortcodes opened and not yet closed, root first.
	stack := []*node{root}
	for _, t := range tags {
		top := stack[len(stack)-1]
		switch {
		case t.n.literal != "" || t.self:
			// {{< x />}} is closed, with nothing inside, even for a
			// template that reads .Inner.
			t.n.closed = t.self
			top.children = append(top.children, t.n)
		case t.closing:
			k := len(stack) - 1
			for k > 0 && stack[k].name != t.n.name {
				k--
			}
			if k == 0 {
				errs = append(errs, scanError{t.n.from, fmt.Sprintf("{{< /%s >}} closes no shortcode: remove it, or open it with {{< %s >}} before", t.n.name, t.n.name)})
				continue
			}
			// What was opened inside and not closed has no inner content:
			// its children belong to the enclosing shortcode.
			for j := len(stack) - 1; j > k; j-- {
				unclosed := stack[j]
				parent := stack[j-1]
				parent.children = append(parent.children, unclosed.children...)
				unclosed.children = nil
			}
			n := stack[k]
			n.closed = true
			n.innerTo = t.n.from
			n.to = t.n.to
			stack = stack[:k]
		default:
			t.n.innerFrom = t.n.to
			top.children = append(top.children, t.n)
			stack = append(stack, t.n)
		}
	}
	for j := len(stack) - 1; j > 0; j-- {
		stack[j-1].children = append(stack[j-1].children, stack[j].children...)
		stack[j].children = nil
	}
	var check func(ns []*node)
	check = func(ns []*node) {
		for _, n := range ns {
			if n.literal == "" && !n.closed && needsInner(n.name) {
				open, closeDelim := "{{<", ">}}"
				if n.markdown {
					open, closeDelim = "{{%", "%}}"
				}
				errs = append(errs, scanError{n.from, fmt.Sprintf("shortcode %q is not closed: add %s /%s %s after its content (or end it with /%s if it has none)", n.name, open, n.name, closeDelim, closeDelim)})
			}
			check(n.children)
		}
	}
	check(root.children)
	return root.children, errs
}
