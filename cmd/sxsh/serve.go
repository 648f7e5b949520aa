package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"sxsh"
	"sxsh/generator/content"
	"sxsh/generator/devserver"
	"sxsh/generator/site"
)

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer, m *messages) error {
	fs := newFlags("serve", "serve [--source DIR] [--bind ADDR] [--port N] [--drafts]\n\nBuilds the site into a temporary folder, serves it, rebuilds it whenever a file\nin content/, layouts/, static/ or site.toml changes, and reloads the pages open\nin the browser. Errors show in the page; nothing in the site folder is written.", stderr)
	source := fs.String("source", ".", "the site `DIR`ectory: site.toml, content/, layouts/, static/")
	bind := fs.String("bind", "127.0.0.1", "the `address` to listen on; 0.0.0.0 lets other machines see the preview")
	port := fs.Int("port", 1313, "the TCP `port`; 0 picks a free one")
	drafts := fs.Bool("drafts", false, "include drafts and pages dated in the future")
	m.langFlag(fs)
	if help, err := parse(fs, args, stdout); help || err != nil {
		return err
	}
	if *port < 0 || *port > 65535 {
		return usagef("serve: --port %d is not between 0 and 65535", *port)
	}
	src, dir, err := openSite("serve", *source)
	if err != nil {
		return err
	}
	m.resolveSite(src)
	ln, err := devserver.Listen(*bind, *port)
	if err != nil {
		return err
	}
	defer ln.Close()
	tmp, err := os.MkdirTemp("", "sxsh-serve-")
	if err != nil {
		return fmt.Errorf("cannot make a folder for the preview: %v", err)
	}
	defer os.RemoveAll(tmp)
	// The build writes its new tree beside the destination before swapping
	// it in: a folder inside tmp keeps those beside it inside tmp as well.
	dest := filepath.Join(tmp, "site")
	baseURL := devserver.URL(ln.Addr())
	lastWarnings := ""
	// The session keeps what each build computed, so that a save rebuilds
	// only what it changed.
	sess, err := site.NewSession(site.Options{
		Source:      src,
		Dir:         dir,
		Defaults:    site.Defaults{Layouts: sxsh.Layouts(), Static: sxsh.Static()},
		Destination: dest,
		BaseURL:     baseURL,
		Drafts:      *drafts,
		// The copies of pictures that sxsh build made are read rather
		// than made again.
		PictureCache: builtPictures(*source),
	})
	if err != nil {
		return err
	}
	defer sess.Close() // stops writing the search index, if it is
	build := func(ctx context.Context, changed []string) (devserver.Outcome, error) {
		res, err := sess.Build(ctx, changed)
		if err != nil && (res == nil || !res.Partial) {
			return devserver.Outcome{}, err
		}
		// The same warnings after every save would bury the rebuild lines.
		if w := res.Warnings.Error(); w != lastWarnings {
			lastWarnings = w
			if w != "" {
				fmt.Fprintln(stderr, m.tr.Error(res.Warnings))
			}
		}
		out := addresses(sess.Site(), time.Now())
		if err != nil {
			// Published but for the broken pages: the preview shows
			// the rest, and the errors on every page.
			out.Errors.AddError("", err)
			for _, b := range res.Broken {
				out.Broken = append(out.Broken, devserver.Broken{Path: b.Path, File: b.File, Errors: b.Errors})
			}
			return out, nil
		}
		switch {
		case changed == nil:
			out.Summary = res.String()
		case res.Files == 0:
			out.Summary = "no page changed"
		default:
			out.Summary = fmt.Sprintf("%d %s written", res.Pages, plural(res.Pages, "page", "pages"))
		}
		return out, nil
	}
	return devserver.Run(ctx, devserver.Config{
		Listener: ln,
		Source:   *source,
		Output:   dest,
		Build:    build,
		Stdout:   stdout,
		Stderr:   stderr,
		Messages: m.tr,
	})
}

// addresses tells the preview server the site's pages, and the pages left
// out at now with why, so that a missing page can say so.
func addresses(s *content.Site, now time.Time) devserver.Outcome {
	var out devserver.Outcome
	if s == nil {
		return out
	}
	for _, p := range s.Pages {
		out.Pages = append(out.Pages, devserver.Page{Path: p.Path, Lang: p.Lang, Title: p.Title, File: p.File})
	}
	for _, p := range s.Unpublished {
		if p.Path == "" {
			continue
		}
		u := devserver.Unpublished{Page: devserver.Page{Path: p.Path, Lang: p.Lang, Title: p.Title, File: p.File}}
		// The order of content's keep: an expired page stays out even
		// with --drafts, so its expiry is what to tell.
		switch {
		case !p.ExpiryDate.IsZero() && !p.ExpiryDate.After(now):
			u.Why, u.Key, u.Date = devserver.Expired, "expiryDate", p.ExpiryDate
		case p.Draft:
			u.Why, u.Key = devserver.Draft, "draft"
		default:
			u.Why, u.Key, u.Date = devserver.Scheduled, "publishDate", p.PublishDate
			if p.PublishDate.IsZero() {
				u.Key, u.Date = "date", p.Date
			}
		}
		u.Line = p.Line(u.Key)
		out.Unpublished = append(out.Unpublished, u)
	}
	return out
}

// builtPictures is the cache of pictures that sxsh build keeps for the
// site folder source, when it has built into its default destination; ""
// otherwise.
func builtPictures(source string) string {
	dir := site.PictureCache(filepath.Join(source, "public"))
	if fi, err := os.Stat(dir); err == nil && fi.IsDir() {
		return dir
	}
	return ""
}
