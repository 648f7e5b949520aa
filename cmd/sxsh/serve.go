package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"sxsh"
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
	})
	if err != nil {
		return err
	}
	defer sess.Close() // stops writing the search index, if it is
	build := func(ctx context.Context, changed []string) (string, error) {
		res, err := sess.Build(ctx, changed)
		if err != nil {
			return "", err
		}
		// The same warnings after every save would bury the rebuild lines.
		if w := res.Warnings.Error(); w != lastWarnings {
			lastWarnings = w
			if w != "" {
				fmt.Fprintln(stderr, m.tr.Error(res.Warnings))
			}
		}
		if changed == nil {
			return res.String(), nil
		}
		if res.Files == 0 {
			return "no page changed", nil
		}
		return fmt.Sprintf("%d %s written", res.Pages, plural(res.Pages, "page", "pages")), nil
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
