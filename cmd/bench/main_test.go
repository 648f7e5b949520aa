package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"sxsh/generator/testenv"
)

// TestMain lets the test binary stand in for bench when bench starts
// itself as the goldmark floor ("bench floor SITE DEST"): under go test,
// os.Executable is this binary, which would otherwise run every test again.
// The tests run with their folders in memory (see testenv).
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == "floor" {
		main() // as bench would, exiting when done
		os.Exit(0)
	}
	testenv.Main(m)
}

func TestParseCounts(t *testing.T) {
	tests := []struct {
		in      string
		want    []int
		wantErr bool
	}{
		{"1000,10000", []int{1000, 10000}, false},
		{"5", []int{5}, false},
		{" 20 , 1_000 ", []int{20, 1000}, false},
		{"", nil, true},
		{"0", nil, true},
		{"-3", nil, true},
		{"ten", nil, true},
		{"10,,20", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := parseCounts(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("parseCounts(%q) error = %v, want error %v", tt.in, err, tt.wantErr)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("parseCounts(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseArgsErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
	}{
		{"zero runs", []string{"-runs", "0"}},
		{"negative bytes", []string{"-bytes", "-1"}},
		{"stray argument", []string{"build"}},
		{"unknown flag", []string{"-fast"}},
		{"bad count", []string{"-n", "1k"}},
		{"serve with hugo", []string{"-serve", "-hugo"}},
		{"no edits", []string{"-serve", "-edits", "0"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseArgs(tt.args, &bytes.Buffer{})
			var u usageError
			if !errors.As(err, &u) {
				t.Errorf("parseArgs(%q) = %v, want a usage error", tt.args, err)
			}
		})
	}
}

func TestBestAndMedian(t *testing.T) {
	s := time.Second
	tests := []struct {
		name         string
		in           []time.Duration
		best, median time.Duration
	}{
		{"none", nil, 0, 0},
		{"one", []time.Duration{3 * s}, 3 * s, 3 * s},
		{"odd", []time.Duration{5 * s, 1 * s, 3 * s}, 1 * s, 3 * s},
		{"even", []time.Duration{4 * s, 1 * s, 2 * s, 9 * s}, 1 * s, 3 * s},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := slices.Clone(tt.in)
			if got := best(in); got != tt.best {
				t.Errorf("best(%v) = %v, want %v", tt.in, got, tt.best)
			}
			if got := median(in); got != tt.median {
				t.Errorf("median(%v) = %v, want %v", tt.in, got, tt.median)
			}
			if !slices.Equal(in, tt.in) {
				t.Errorf("median reordered its input to %v", in)
			}
		})
	}
}

func TestTailKeepsTheEnd(t *testing.T) {
	tl := &tail{max: 8}
	for _, s := range []string{"abc", "defgh", "ijkl"} {
		if n, err := tl.Write([]byte(s)); n != len(s) || err != nil {
			t.Fatalf("Write(%q) = %d, %v", s, n, err)
		}
	}
	if got := tl.String(); got != "efghijkl" {
		t.Errorf("tail = %q, want %q", got, "efghijkl")
	}
}

// fakeSxsh writes a shell script that stands in for sxsh: it checks its
// arguments like the real command line would be given, and then runs body
// with $SRC and $DEST set.
func fakeSxsh(t *testing.T, body string) string {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("the stand-in for sxsh is a shell script")
	}
	script := `#!/bin/sh
[ "$1" = build ] && [ "$2" = --source ] && [ "$4" = --destination ] || { echo "usage: $*" >&2; exit 2; }
SRC=$3 DEST=$5
[ -f "$SRC/site.toml" ] || { echo "no site.toml in $SRC" >&2; exit 1; }
` + body + "\n"
	p := filepath.Join(t.TempDir(), "sxsh")
	if err := os.WriteFile(p, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

// tableRow finds the row of tool in the printed table and returns its cells.
func tableRow(t *testing.T, out, tool string, articles int) []string {
	t.Helper()
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) >= 2 && f[0] == tool && f[1] == strconv.Itoa(articles) {
			return f
		}
	}
	t.Fatalf("no %s row for %d articles in:\n%s", tool, articles, out)
	return nil
}

func TestRunCountsPages(t *testing.T) {
	bin := fakeSxsh(t, `mkdir -p "$DEST/en/tin-tuc" && echo x > "$DEST/index.html" && echo x > "$DEST/en/index.html" && echo x > "$DEST/en/tin-tuc/index.html" && echo x > "$DEST/index.xml"`)
	var out, errb bytes.Buffer
	err := run(context.Background(), []string{"-n", "3,5", "-runs", "3", "-sxsh", bin, "-work", t.TempDir()}, &out, &errb)
	if err != nil {
		t.Fatalf("run: %v\nstderr:\n%s", err, errb.String())
	}
	for _, n := range []int{3, 5} {
		row := tableRow(t, out.String(), "sxsh", n)
		// tool, articles, pages, MB, best, median, pages/s, RSS, CPU
		if len(row) != 9 {
			t.Fatalf("row %q has %d cells, want 9", row, len(row))
		}
		if row[2] != "3" {
			t.Errorf("%d articles: pages = %s, want 3 (.xml files are not pages)", n, row[2])
		}
	}
	if !strings.Contains(out.String(), "median") {
		t.Errorf("with -runs 3 the table has no median column:\n%s", out.String())
	}
	if c := strings.Count(errb.String(), " build --source "); c != 6 {
		t.Errorf("%d builds logged, want 2 corpora × 3 runs:\n%s", c, errb.String())
	}
	// The floor renders the corpus's Markdown: 3 or 5 articles in two
	// languages, and the home and section pages.
	for _, n := range []int{3, 5} {
		row := tableRow(t, out.String(), "floor", n)
		if len(row) < 3 || row[2] != strconv.Itoa(2*n+4) {
			t.Errorf("floor row %q: want %d pages", row, 2*n+4)
		}
	}
	if !regexp.MustCompile(`same bytes as --full\s+\d+\s+yes`).MatchString(out.String()) {
		t.Errorf("no edit timings:\n%s", out.String())
	}
}

func TestRunReportsFailedBuild(t *testing.T) {
	bin := fakeSxsh(t, `echo "content/articles/x.vi.md:3:1: front matter: boom" >&2; exit 1`)
	var out, errb bytes.Buffer
	err := run(context.Background(), []string{"-n", "2", "-sxsh", bin, "-work", t.TempDir()}, &out, &errb)
	if err == nil {
		t.Fatalf("run succeeded with a failing build:\n%s", out.String())
	}
	row := tableRow(t, out.String(), "sxsh", 2)
	if !slices.Contains(row, "FAILED") {
		t.Errorf("row %q does not say FAILED", row)
	}
	if !strings.Contains(out.String(), "front matter: boom") {
		t.Errorf("the build's own error is not shown:\n%s", out.String())
	}
}

func TestRunMissingBinary(t *testing.T) {
	var out, errb bytes.Buffer
	missing := filepath.Join(t.TempDir(), "no-such-sxsh")
	err := run(context.Background(), []string{"-n", "1", "-sxsh", missing, "-work", t.TempDir()}, &out, &errb)
	if err == nil || !strings.Contains(out.String(), "no-such-sxsh") {
		t.Errorf("run with a missing binary: err = %v, output:\n%s", err, out.String())
	}
}

func TestRunKeep(t *testing.T) {
	bin := fakeSxsh(t, `mkdir -p "$DEST" && echo x > "$DEST/index.html"`)
	work := t.TempDir()
	var out, errb bytes.Buffer
	if err := run(context.Background(), []string{"-n", "2", "-keep", "-sxsh", bin, "-work", work}, &out, &errb); err != nil {
		t.Fatal(err)
	}
	kept, _ := filepath.Glob(filepath.Join(work, "*", "site-2", "public", "index.html"))
	if len(kept) != 1 {
		t.Errorf("-keep left %v, want the site and its output", kept)
	}

	work = t.TempDir()
	if err := run(context.Background(), []string{"-n", "2", "-sxsh", bin, "-work", work}, &out, &errb); err != nil {
		t.Fatal(err)
	}
	if left, _ := os.ReadDir(work); len(left) != 0 {
		t.Errorf("without -keep, %d entries are left in the work directory", len(left))
	}
}

// TestRunDeletesNothingWhileTiming: each timed build finds the outputs of
// the builds before it still on disk, moved aside, not deleted (a deletion
// would slow the next build on some disks); all of it goes at the end.
func TestRunDeletesNothingWhileTiming(t *testing.T) {
	work := t.TempDir()
	log := filepath.Join(t.TempDir(), "seen")
	bin := fakeSxsh(t, `n=$(find "`+work+`" -name built.txt | wc -l); echo $n >> "`+log+`"; mkdir -p "$DEST" && echo x > "$DEST/built.txt"`)
	var out, errb bytes.Buffer
	if err := run(context.Background(), []string{"-n", "2", "-runs", "3", "-sxsh", bin, "-work", work}, &out, &errb); err != nil {
		t.Fatalf("run: %v\n%s", err, errb.String())
	}
	seen, err := os.ReadFile(log)
	if err != nil {
		t.Fatal(err)
	}
	// Three timed builds, then the untimed one before the edits, the two
	// edits and the --full build they are compared with.
	if got := strings.Fields(string(seen)); !slices.Equal(got[:3], []string{"0", "1", "2"}) {
		t.Errorf("the timed builds found %v earlier outputs, want 0, 1, 2", got)
	}
	if left, _ := os.ReadDir(work); len(left) != 0 {
		t.Errorf("%d entries are left in the work directory", len(left))
	}
}

func TestRunHugo(t *testing.T) {
	if _, err := exec.LookPath("hugo"); err != nil {
		t.Skip("hugo is not installed (apt-get install -y hugo); skipping the Hugo run")
	}
	if testing.Short() {
		t.Skip("skipping the Hugo run in -short mode")
	}
	bin := fakeSxsh(t, `mkdir -p "$DEST" && echo x > "$DEST/index.html"`)
	var out, errb bytes.Buffer
	if err := run(context.Background(), []string{"-n", "10", "-hugo", "-sxsh", bin, "-work", t.TempDir()}, &out, &errb); err != nil {
		t.Fatalf("run: %v\n%s\n%s", err, out.String(), errb.String())
	}
	row := tableRow(t, out.String(), "hugo", 10)
	pages, err := strconv.Atoi(row[2])
	if err != nil || pages < 20 {
		t.Errorf("hugo wrote %q pages for 10 articles in two languages", row[2])
	}
	rss, err := strconv.ParseFloat(row[6], 64)
	if err != nil || rss <= 0 {
		t.Errorf("hugo's peak RSS reads %q MB", row[6])
	}
}

// -serve runs the real sxsh serve on a small corpus and times saves until
// the server answers with them.
func TestRunServe(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping the serve run in -short mode")
	}
	dir := t.TempDir()
	bin, err := buildSxsh(context.Background(), filepath.Join(dir, "sxsh"))
	if err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if err := run(context.Background(), []string{"-serve", "-n", "12", "-edits", "3", "-pause", "0s", "-sxsh", bin, "-work", dir}, &out, &errb); err != nil {
		t.Fatalf("run: %v\n%s\n%s", err, out.String(), errb.String())
	}
	var row []string
	for _, l := range strings.Split(out.String(), "\n") {
		if f := strings.Fields(l); len(f) == 8 && f[0] == "12" {
			row = f
		}
	}
	// articles, first build, edits, median, p90, max, rebuild, target
	if row == nil {
		t.Fatalf("no row for 12 articles in:\n%s", out.String())
	}
	if row[2] != "3" {
		t.Errorf("%s edits measured, want 3", row[2])
	}
	median, _ := strconv.Atoi(row[3])
	most, _ := strconv.Atoi(row[5])
	if median <= 0 || most < median {
		t.Errorf("save→served median %q, max %q", row[3], row[5])
	}
	if c := strings.Count(errb.String(), "served after"); c != 3 {
		t.Errorf("%d saves logged, want 3:\n%s", c, errb.String())
	}
}
