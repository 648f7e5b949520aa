// Package diag holds the errors that sxsh reports about a site's files: each
// names a file, a line and a column, so that an editor can go straight to the
// mistake, and a List collects every one of them before a command fails.
package diag

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Severity says whether a finding stops the build.
type Severity int

const (
	// Error is a finding that fails the build.
	Error Severity = iota
	// Warning is reported but does not fail the build.
	Warning
	// Info is informational, such as a page dated in the future.
	Info
)

// String returns the lower-case name used in text and JSON output.
func (s Severity) String() string {
	switch s {
	case Warning:
		return "warning"
	case Info:
		return "info"
	}
	return "error"
}

// Diagnostic is one finding about a file. Line and Col count from 1; zero
// means unknown, and the position is then left out of the message.
type Diagnostic struct {
	File     string // slash-separated path relative to the site directory
	Line     int
	Col      int
	Severity Severity
	Msg      string
}

// Error formats the diagnostic as "file:line:col: msg", the form editors and
// their tools recognise; warnings and notes say so after the position.
func (d *Diagnostic) Error() string {
	sev := ""
	if d.Severity != Error {
		sev = d.Severity.String()
	}
	return d.format(sev, d.Msg)
}

// format writes the diagnostic with the severity word sev (none for an
// error) and the message msg, in whichever language they are.
func (d *Diagnostic) format(sev, msg string) string {
	var b strings.Builder
	if d.File != "" {
		b.WriteString(d.File)
		if d.Line > 0 {
			fmt.Fprintf(&b, ":%d", d.Line)
			if d.Col > 0 {
				fmt.Fprintf(&b, ":%d", d.Col)
			}
		}
		b.WriteString(": ")
	}
	if sev != "" {
		b.WriteString(sev)
		b.WriteString(": ")
	}
	b.WriteString(msg)
	return b.String()
}

// Errorf returns an error-severity diagnostic.
func Errorf(file string, line, col int, format string, args ...any) *Diagnostic {
	return &Diagnostic{File: file, Line: line, Col: col, Msg: fmt.Sprintf(format, args...)}
}

// Warnf returns a warning-severity diagnostic.
func Warnf(file string, line, col int, format string, args ...any) *Diagnostic {
	return &Diagnostic{File: file, Line: line, Col: col, Severity: Warning, Msg: fmt.Sprintf(format, args...)}
}

// List collects diagnostics; its zero value is ready to use. It is not safe
// for concurrent use: callers that work in parallel collect per worker and Add
// the results, or guard it themselves.
type List []*Diagnostic

// Add appends d.
func (l *List) Add(d *Diagnostic) { *l = append(*l, d) }

// AddError appends err: a *Diagnostic or a List as they are, anything else as
// a message about file.
func (l *List) AddError(file string, err error) {
	if err == nil {
		return
	}
	var d *Diagnostic
	var dl List
	switch {
	case errors.As(err, &dl):
		*l = append(*l, dl...)
	case errors.As(err, &d):
		l.Add(d)
	default:
		l.Add(&Diagnostic{File: file, Msg: err.Error()})
	}
}

// Sort orders the list by file, line and column, so that output is stable
// however the work was scheduled.
func (l List) Sort() {
	sort.SliceStable(l, func(i, j int) bool {
		a, b := l[i], l[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
}

// HasErrors reports whether any diagnostic has Error severity.
func (l List) HasErrors() bool {
	for _, d := range l {
		if d.Severity == Error {
			return true
		}
	}
	return false
}

// Errors returns only the error-severity diagnostics.
func (l List) Errors() List {
	var out List
	for _, d := range l {
		if d.Severity == Error {
			out = append(out, d)
		}
	}
	return out
}

// Err returns the list as an error if it holds any error-severity
// diagnostic, and nil otherwise.
func (l List) Err() error {
	if l.HasErrors() {
		return l
	}
	return nil
}

// Dedupe returns the list without repeats (the same text twice), keeping
// the first of each, as when each language's templates report one mistake.
func (l List) Dedupe() List {
	seen := map[string]bool{}
	var out List
	for _, d := range l {
		if k := d.Error(); !seen[k] {
			seen[k] = true
			out = append(out, d)
		}
	}
	return out
}

// Error prints one diagnostic a line.
func (l List) Error() string {
	var b strings.Builder
	for i, d := range l {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(d.Error())
	}
	return b.String()
}
