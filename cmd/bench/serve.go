package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"sxsh/generator/corpus"
)

// With -serve, bench measures sxsh serve instead of sxsh build: it starts
// the server on each corpus, saves an article again and again, and times
// each save until the server answers the article's URL with the saved
// text. A save waits for the one before to be served, then lets the search
// index follow (-pause), as an editor who reads the page would.

const (
	targetServed  = 200 * time.Millisecond
	servePoll     = 2 * time.Millisecond
	serveStartup  = 10 * time.Minute
	servedTimeout = 30 * time.Second
)

var (
	servingRe = regexp.MustCompile(`^Serving (http://\S+/)`)
	rebuiltRe = regexp.MustCompile(`^rebuilt in (\d+) ms`)
	slugRe    = regexp.MustCompile(`(?m)^slug = "([^"]+)"`)
)

// serveRow is what one corpus measured.
type serveRow struct {
	articles int
	first    time.Duration   // from start to "Serving"
	served   []time.Duration // save to served, per edit
	rebuilt  []time.Duration // the server's own rebuild times
}

func runServe(ctx context.Context, c config, tmp string, stdout, stderr io.Writer) error {
	bin := c.sxsh
	if bin == "" {
		fmt.Fprintln(stderr, "bench: go build ./cmd/sxsh")
		var err error
		if bin, err = buildSxsh(ctx, filepath.Join(tmp, "sxsh")); err != nil {
			return err
		}
	}
	var rows []serveRow
	for _, n := range c.counts {
		site := filepath.Join(tmp, fmt.Sprintf("site-%d", n))
		fmt.Fprintf(stderr, "bench: writing %d articles to %s\n", n, site)
		if _, err := corpus.Write(site, corpus.Options{Articles: n, Seed: c.seed, BytesPerPage: c.bytes}); err != nil {
			return fmt.Errorf("writing corpus of %d articles: %w", n, err)
		}
		row, err := measureServe(ctx, bin, site, n, c, stderr)
		if err != nil {
			return fmt.Errorf("%d articles: %w", n, err)
		}
		rows = append(rows, row)
		if !c.keep {
			if err := os.RemoveAll(site); err != nil {
				return err
			}
		}
	}
	return printServe(stdout, rows)
}

// measureServe runs one server on site and times c.edits saves.
func measureServe(ctx context.Context, bin, site string, n int, c config, stderr io.Writer) (serveRow, error) {
	row := serveRow{articles: n}
	section, err := os.ReadFile(filepath.Join(site, "content", "articles", "_index.vi.md"))
	if err != nil {
		return row, err
	}
	m := slugRe.FindSubmatch(section)
	if m == nil {
		return row, errors.New("the articles section has no slug")
	}
	sectionSlug := string(m[1])
	articles, err := filepath.Glob(filepath.Join(site, "content", "articles", "0*.vi.md"))
	if err != nil || len(articles) == 0 {
		return row, fmt.Errorf("no articles in %s", site)
	}

	cmd := exec.CommandContext(ctx, bin, "serve", "--source", site, "--port", "0")
	cmd.Env = englishEnv()
	out, err := cmd.StdoutPipe()
	if err != nil {
		return row, err
	}
	errOut := &tail{max: tailSize}
	cmd.Stderr = errOut
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return row, err
	}
	defer func() {
		_ = cmd.Process.Signal(syscall.SIGINT)
		_ = cmd.Wait()
	}()
	lines := make(chan string, 64)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	var base string
	for base == "" {
		select {
		case l, ok := <-lines:
			if !ok {
				return row, fmt.Errorf("sxsh serve stopped:\n%s", errOut.String())
			}
			if m := servingRe.FindStringSubmatch(l); m != nil {
				base = m[1]
			}
		case <-time.After(serveStartup):
			return row, errors.New("sxsh serve did not start")
		}
	}
	row.first = time.Since(start)
	fmt.Fprintf(stderr, "bench: serving %d articles at %s after %.1f s\n", n, base, row.first.Seconds())

	client := &http.Client{Timeout: 5 * time.Second}
	for i := range c.edits {
		file := articles[(i*7919)%len(articles)]
		src, err := os.ReadFile(file)
		if err != nil {
			return row, err
		}
		m := slugRe.FindSubmatch(src)
		if m == nil {
			return row, fmt.Errorf("%s has no slug", file)
		}
		url := base + sectionSlug + "/" + string(m[1]) + "/"
		marker := fmt.Sprintf("sxsh-bench-%d-%d", i, time.Now().UnixNano())
		src = append(src, "\n\n"+marker+"\n"...)
		saved := time.Now()
		if err := os.WriteFile(file, src, 0o644); err != nil {
			return row, err
		}
		if err := waitServed(ctx, client, url, marker); err != nil {
			return row, fmt.Errorf("edit %d (%s): %w\n%s", i+1, url, err, errOut.String())
		}
		row.served = append(row.served, time.Since(saved))
		if d, ok := nextRebuild(lines); ok {
			row.rebuilt = append(row.rebuilt, d)
		}
		fmt.Fprintf(stderr, "bench: edit %d served after %d ms\n", i+1, row.served[len(row.served)-1].Milliseconds())
		select {
		case <-ctx.Done():
			return row, ctx.Err()
		case <-time.After(c.pause):
		}
	}
	return row, nil
}

// waitServed polls url until its body holds marker.
func waitServed(ctx context.Context, client *http.Client, url, marker string) error {
	deadline := time.Now().Add(servedTimeout)
	for time.Now().Before(deadline) {
		if err := ctx.Err(); err != nil {
			return err
		}
		res, err := client.Get(url)
		if err == nil {
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode == http.StatusOK && strings.Contains(string(body), marker) {
				return nil
			}
		}
		time.Sleep(servePoll)
	}
	return fmt.Errorf("not served within %v", servedTimeout)
}

// nextRebuild reads the server's "rebuilt in N ms" line for the last save.
func nextRebuild(lines <-chan string) (time.Duration, bool) {
	timeout := time.After(2 * time.Second)
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				return 0, false
			}
			if m := rebuiltRe.FindStringSubmatch(l); m != nil {
				ms, _ := strconv.Atoi(m[1])
				return time.Duration(ms) * time.Millisecond, true
			}
		case <-timeout:
			return 0, false
		}
	}
}

func printServe(w io.Writer, rows []serveRow) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "articles\tfirst build s\tedits\tsave→served median ms\tp90 ms\tmax ms\trebuild median ms\ttarget ms\t\n")
	for _, r := range rows {
		sorted := slices.Clone(r.served)
		slices.Sort(sorted)
		p90 := sorted[(len(sorted)*9+9)/10-1]
		fmt.Fprintf(tw, "%d\t%.1f\t%d\t%d\t%d\t%d\t%d\t%d\t\n", r.articles, r.first.Seconds(), len(r.served),
			median(r.served).Milliseconds(), p90.Milliseconds(), sorted[len(sorted)-1].Milliseconds(),
			median(r.rebuilt).Milliseconds(), targetServed.Milliseconds())
	}
	return tw.Flush()
}
