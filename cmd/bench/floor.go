package main

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// The floor is the least any generator must do with a corpus: goldmark
// alone turns each Markdown file (front matter cut off) into HTML and
// writes one file per page, on every core. It runs as a child process
// (bench floor SITE DEST), so it is timed and measured like the builds.
// The floor has no templates, lists, feeds or search: a build's ratio to it
// says what everything else costs.

func floorTool() tool {
	t := tool{
		name: "floor",
		dest: func(site string) string { return filepath.Join(site, "public-floor") },
	}
	self, err := os.Executable()
	if err != nil {
		t.err = err
	}
	t.args = func(site, dest string) []string { return []string{self, "floor", site, dest} }
	return t
}

// runFloor renders every Markdown file under site/content into dest.
func runFloor(args []string) error {
	if len(args) != 2 {
		return usageError{"usage: bench floor SITE DEST"}
	}
	site, dest := args[0], args[1]
	var files []string
	err := filepath.WalkDir(filepath.Join(site, "content"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".md") {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		return err
	}
	md := goldmark.New(goldmark.WithExtensions(extension.GFM))
	work := make(chan string)
	errs := make(chan error, 1)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			var buf bytes.Buffer
			for p := range work {
				if err := floorPage(md, site, dest, p, &buf); err != nil {
					select {
					case errs <- err:
					default:
					}
				}
			}
		})
	}
	for _, p := range files {
		work <- p
	}
	close(work)
	wg.Wait()
	select {
	case err := <-errs:
		return err
	default:
		return nil
	}
}

func floorPage(md goldmark.Markdown, site, dest, file string, buf *bytes.Buffer) error {
	src, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	if bytes.HasPrefix(src, []byte("+++")) {
		end := bytes.Index(src[3:], []byte("\n+++"))
		if end < 0 {
			return errors.New(file + ": unterminated front matter")
		}
		src = src[3+end+4:]
	}
	buf.Reset()
	if err := md.Convert(src, buf); err != nil {
		return fmt.Errorf("%s: %v", file, err)
	}
	rel, _ := filepath.Rel(filepath.Join(site, "content"), file)
	out := filepath.Join(dest, strings.TrimSuffix(rel, ".md"), "index.html")
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return err
	}
	return os.WriteFile(out, buf.Bytes(), 0o644)
}
