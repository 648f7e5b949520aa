package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"sxsh/generator/config"
	"sxsh/generator/diag"
	"sxsh/generator/hugoimport"
)

const importSynopsis = `import hugo [--destination DIR] HUGO_SITE_DIR

Makes an sxsh site from a Hugo site: site.toml from Hugo's configuration,
content/ and static/ copied as they are. It writes into a new or empty
folder only (default: HUGO_SITE_DIR-sxsh beside the Hugo site), never into
the Hugo site, and lists everything it could not carry over, and why.
Exit status 0 when imported (even with things left behind), 1 when the
Hugo site cannot be read, 2 on wrong usage or a destination that is not
new or empty.`

func runImport(_ context.Context, args []string, stdout, stderr io.Writer, m *messages) error {
	fs := newFlags("import", importSynopsis, stderr)
	dest := fs.String("destination", "", "the new site's `DIR`ectory: a folder that does not exist yet or is empty")
	m.langFlag(fs)
	if wantsHelp(args) {
		fs.SetOutput(stdout)
		fs.Usage()
		return nil
	}
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return usagef("import: say what to import from: sxsh import hugo HUGO_SITE_DIR")
	}
	if args[0] != "hugo" {
		return usagef("import: sxsh imports Hugo sites only (sxsh import hugo HUGO_SITE_DIR), not %q", args[0])
	}
	// Flags may come before or after the Hugo site's folder.
	var pos []string
	rest := args[1:]
	for {
		if err := fs.Parse(rest); err != nil {
			return reported{exitUsage}
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		rest = fs.Args()[1:]
	}
	if len(pos) != 1 {
		return usagef("import hugo: name one Hugo site folder, not %d", len(pos))
	}
	source := pos[0]
	if fi, err := os.Stat(source); err != nil || !fi.IsDir() {
		return usagef("import hugo: %s is not a folder", source)
	}
	if *dest == "" {
		// Beside the Hugo site, named after it: from its absolute path,
		// so that "." gives ../blog-sxsh, not .-sxsh inside it.
		abs, err := filepath.Abs(source)
		if err != nil {
			return usagef("import hugo: %s: %v", source, err)
		}
		*dest = abs + "-sxsh"
	}
	if err := checkImportDest(source, *dest); err != nil {
		return err
	}
	site, err := hugoimport.Import(os.DirFS(source))
	if err != nil {
		var list diag.List
		if errors.As(err, &list) {
			for _, d := range list {
				fmt.Fprintln(stderr, filepath.ToSlash(m.tr.Diagnostic(d)))
			}
		} else {
			fmt.Fprintf(stderr, "%s: %v\n", source, err)
		}
		fmt.Fprintln(stderr, m.tr.Sprintf("sxsh import hugo: %s cannot be imported; nothing was written", source))
		return reported{exitContent}
	}
	if err := writeImport(source, *dest, site); err != nil {
		fmt.Fprintln(stderr, m.tr.Sprintf("sxsh import hugo: %v", err))
		fmt.Fprintln(stderr, m.tr.Sprintf("sxsh import hugo: %s cannot be imported; nothing was written", source))
		return reported{exitContent}
	}
	printImportReport(stdout, source, *dest, site, m.tr)
	return nil
}

// checkImportDest refuses a destination that is not a new or empty
// folder, or that lies in the Hugo site.
func checkImportDest(source, dest string) error {
	src, err := realPath(source)
	if err != nil {
		return usagef("import hugo: %s: %v", source, err)
	}
	out, err := realPath(dest)
	if err != nil {
		return usagef("import hugo: --destination %s: %v", dest, err)
	}
	if out == src || within(out, src) {
		return usagef("import hugo: --destination %s is inside the Hugo site %s, which the import never writes into: name a folder outside it", dest, source)
	}
	fi, err := os.Stat(dest)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return usagef("import hugo: --destination %s: %v", dest, err)
	case !fi.IsDir():
		return usagef("import hugo: --destination %s is a file: name a new or empty folder", dest)
	}
	empty, err := isEmpty(dest)
	if err != nil {
		return usagef("import hugo: --destination %s: %v", dest, err)
	}
	if !empty {
		return usagef("import hugo: --destination %s is not empty, and the import writes over nothing: name a new or empty folder", dest)
	}
	return nil
}

// writeImport writes the new site. Every file is created anew, so that
// nothing already there is ever replaced, even if it appeared after the
// destination was found empty.
// On failure it removes what it wrote: the folder was new or empty, so
// everything in it is the import's, and a second run finds it as the
// first did.
func writeImport(source, dest string, site *hugoimport.Site) (err error) {
	_, statErr := os.Stat(dest)
	existed := statErr == nil
	if err := os.MkdirAll(dest, 0o755); err != nil {
		return err
	}
	defer func() {
		if err == nil {
			return
		}
		if !existed {
			os.RemoveAll(dest)
			return
		}
		entries, _ := os.ReadDir(dest)
		for _, e := range entries {
			os.RemoveAll(filepath.Join(dest, e.Name()))
		}
	}()
	if err := createFile(filepath.Join(dest, config.File), site.Config); err != nil {
		return err
	}
	for _, c := range site.Files {
		data, err := os.ReadFile(filepath.Join(source, filepath.FromSlash(c.From)))
		if err != nil {
			return err
		}
		if err := writeNew(dest, c.To, data); err != nil {
			return err
		}
	}
	for _, w := range site.Written {
		if err := writeNew(dest, w.To, w.Data); err != nil {
			return err
		}
	}
	return nil
}

// writeNew creates the file at slash path rel in dest, and its folders.
func writeNew(dest, rel string, data []byte) error {
	to := filepath.Join(dest, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		return err
	}
	return createFile(to, data)
}

func createFile(name string, data []byte) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// printImportReport says what was written and, group by group, what was
// left behind.
func printImportReport(w io.Writer, source, dest string, site *hugoimport.Site, tr diag.Translator) {
	var content, static int
	for _, c := range site.Files {
		if strings.HasPrefix(c.To, "content/") {
			content++
		} else {
			static++
		}
	}
	written := ""
	if n := len(site.Written); n > 0 {
		written = fmt.Sprintf(", %d shortcode %s in layouts/shortcodes/", n, plural(n, "template", "templates"))
	}
	fmt.Fprintln(w, tr.Sprintf("sxsh import hugo: made %s from %s: site.toml (languages %s), %s in content/, %s in static/%s",
		dest, source, strings.Join(site.Languages, ", "), plural2(content, "file"), plural2(static, "file"), written))
	if len(site.Notes) > 0 {
		fmt.Fprintln(w, tr.Sprintf("\nLeft behind (%s):", plural2(len(site.Notes), "note")))
		group := hugoimport.Group(-1)
		for _, n := range site.Notes {
			if n.Group != group {
				group = n.Group
				fmt.Fprintf(w, "\n%s:\n", tr.Msg(group.String()))
			}
			n.Msg = tr.Msg(n.Msg)
			fmt.Fprintf(w, "  %s\n", n)
		}
	}
	fmt.Fprintln(w, tr.Sprintf("\nNext: sxsh check --source %s", dest))
}

func plural2(n int, word string) string {
	return fmt.Sprintf("%d %s", n, plural(n, word, word+"s"))
}
