package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"sxsh/generator/corpus"
	"sxsh/generator/site"
)

// After the timed full builds (and one more, untimed, that leaves a
// standby tree for a plain build to update), bench edits one article as an
// editor would and times the plain sxsh build that follows, which draws
// only what the edit changed: once its text, once its title (which lists
// and feeds show too). Then it builds the same sources with --full and compares the two
// folders byte for byte.

// editRow is what the edits of one corpus cost.
type editRow struct {
	articles  int
	text      time.Duration
	textSays  string // sxsh's own line: "built 3 of 30,059 pages …"
	title     time.Duration
	titleSays string
	differs   string // the first file that differs from --full's, "" for none
	err       error
}

func measureEdits(ctx context.Context, t tool, site string, n int, bin *trash) editRow {
	r := editRow{articles: n}
	dest := t.dest(site)
	file, err := firstArticle(site)
	if err != nil {
		r.err = err
		return r
	}
	// Build once more, untimed: the tree this replaces becomes the
	// standby, so that the timed edits find one ready, as on a site that
	// has been built before. (The first edit after a fresh build would
	// also link one from the published tree, which is not what is timed.)
	if _, _, err := runChildOutput(ctx, append(t.args(site, dest), "--full")); err != nil {
		r.err = fmt.Errorf("the untimed build before the edits: %w", err)
		return r
	}
	build := func(edit func([]byte) []byte) (time.Duration, string, error) {
		src, err := os.ReadFile(file)
		if err != nil {
			return 0, "", err
		}
		if err := os.WriteFile(file, edit(src), 0o644); err != nil {
			return 0, "", err
		}
		res, out, err := runChildOutput(ctx, t.args(site, dest))
		return res.wall, strings.TrimSpace(out), err
	}
	if r.text, r.textSays, r.err = build(func(b []byte) []byte {
		return append(b, "\n\nMột câu mới về tiết kiệm điện năng.\n"...)
	}); r.err != nil {
		r.err = fmt.Errorf("the build after an edit of the text of %s: %w", file, r.err)
		return r
	}
	if r.title, r.titleSays, r.err = build(func(b []byte) []byte {
		return bytes.Replace(b, []byte(`title = "`), []byte(`title = "Sửa: `), 1)
	}); r.err != nil {
		r.err = fmt.Errorf("the build after an edit of the title of %s: %w", file, r.err)
		return r
	}
	full := dest + "-full"
	if _, _, r.err = runChildOutput(ctx, append(t.args(site, full), "--full")); r.err != nil {
		r.err = fmt.Errorf("the --full build to compare with: %w", r.err)
		return r
	}
	if r.differs, r.err = firstDifference(dest, full); r.err == nil {
		r.err = bin.put(full)
	}
	return r
}

// firstArticle is the Vietnamese file of the corpus's first article.
func firstArticle(site string) (string, error) {
	var found string
	err := filepath.WalkDir(filepath.Join(site, filepath.FromSlash(corpus.ArticlesDir)), func(p string, d fs.DirEntry, err error) error {
		if err != nil || found != "" {
			return err
		}
		if strings.HasSuffix(p, ".vi.md") && !strings.HasPrefix(d.Name(), "_") {
			found = p
		}
		return nil
	})
	if found == "" && err == nil {
		err = fmt.Errorf("no article in %s", site)
	}
	return found, err
}

// firstDifference returns a file that two published folders do not hold
// alike (one has it, the other has not, or their bytes differ), "" when
// they hold the same files with the same bytes but for sxsh's build record.
func firstDifference(a, b string) (string, error) {
	list := func(root string) (map[string]bool, error) {
		out := map[string]bool{}
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && d.Name() != site.RecordFile {
				rel, _ := filepath.Rel(root, p)
				out[rel] = true
			}
			return err
		})
		return out, err
	}
	fa, err := list(a)
	if err != nil {
		return "", err
	}
	fb, err := list(b)
	if err != nil {
		return "", err
	}
	for rel := range fb {
		if !fa[rel] {
			return rel + " (only in " + b + ")", nil
		}
	}
	for rel := range fa {
		if !fb[rel] {
			return rel + " (only in " + a + ")", nil
		}
		x, err := os.ReadFile(filepath.Join(a, rel))
		if err != nil {
			return "", err
		}
		y, err := os.ReadFile(filepath.Join(b, rel))
		if err != nil {
			return "", err
		}
		if !bytes.Equal(x, y) {
			return rel, nil
		}
	}
	return "", nil
}

func printEdits(w io.Writer, rows []editRow) error {
	if len(rows) == 0 {
		return nil
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "sxsh build after one edit\tarticles\twall s\tsxsh says\t\n")
	for _, r := range rows {
		if r.err != nil {
			fmt.Fprintf(tw, "FAILED\t%d\t\t%v\t\n", r.articles, r.err)
			continue
		}
		fmt.Fprintf(tw, "text edited\t%d\t%.2f\t%s\t\n", r.articles, r.text.Seconds(), r.textSays)
		fmt.Fprintf(tw, "title edited\t%d\t%.2f\t%s\t\n", r.articles, r.title.Seconds(), r.titleSays)
		same := "yes"
		if r.differs != "" {
			same = "NO: " + r.differs
		}
		fmt.Fprintf(tw, "same bytes as --full\t%d\t\t%s\t\n", r.articles, same)
	}
	return tw.Flush()
}
