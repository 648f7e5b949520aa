package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	"sxsh"
	"sxsh/generator/diag"
	"sxsh/generator/site"
)

func runCheck(ctx context.Context, args []string, stdout, stderr io.Writer, m *messages) error {
	fs := newFlags("check", "check [--source DIR] [--format text|json] [--drafts]\n\nReports every problem of the site at once, as file:line: message, without\npublishing anything. Exit status 1 when there are errors.", stderr)
	source := fs.String("source", ".", "the site `DIR`ectory")
	format := fs.String("format", "text", "output `format`: text or json")
	drafts := fs.Bool("drafts", false, "check drafts and future pages as if published")
	m.langFlag(fs)
	if help, err := parse(fs, args, stdout); help || err != nil {
		return err
	}
	if *format != "text" && *format != "json" {
		return usagef("check: --format must be text or json, not %q", *format)
	}
	src, dir, err := openSite("check", *source)
	if err != nil {
		return err
	}
	m.resolveSite(src)
	findings := site.Check(ctx, site.Options{
		Source:   src,
		Dir:      dir,
		Defaults: site.Defaults{Layouts: sxsh.Layouts(), Static: sxsh.Static()},
		Drafts:   *drafts,
		// A picture sxsh build has read is known to be good: its copies
		// are read rather than made again.
		PictureCache: builtPictures(*source),
	})
	if *format == "json" {
		type finding struct {
			File     string `json:"file"`
			Line     int    `json:"line,omitempty"`
			Col      int    `json:"col,omitempty"`
			Severity string `json:"severity"`
			Message  string `json:"message"`
		}
		out := []finding{}
		for _, d := range findings {
			out = append(out, finding{d.File, d.Line, d.Col, d.Severity.String(), m.tr.Msg(d.Msg)})
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			return err
		}
	} else {
		for _, d := range findings {
			fmt.Fprintln(stdout, m.tr.Diagnostic(d))
		}
		fmt.Fprintf(stdout, "sxsh check: %s\n", m.tr.Msg(summary(findings)))
	}
	if findings.HasErrors() {
		return reported{exitContent}
	}
	return nil
}

func summary(l diag.List) string {
	var e, w, i int
	for _, d := range l {
		switch d.Severity {
		case diag.Error:
			e++
		case diag.Warning:
			w++
		default:
			i++
		}
	}
	if e+w+i == 0 {
		return "no problems found"
	}
	return fmt.Sprintf("%d %s, %d %s, %d %s", e, plural(e, "error", "errors"), w, plural(w, "warning", "warnings"), i, plural(i, "note", "notes"))
}
