// Command bench times sxsh (and, with -hugo, Hugo) building generated
// bilingual sites of a few sizes, and prints wall time, throughput, peak
// memory and CPU time for each build:
//
//	go run ./cmd/bench [-n 1000,10000] [-hugo] [-runs K] [-keep] [-sxsh PATH]
//
// With -search it measures the search instead (see search.go): the index's
// size on disk per language, and what the real client costs a reader in
// headless Chromium against a local gzip server: bytes, requests and round
// trips of a first and a second query, and the time of a warm one.
//
//	go run ./cmd/bench -search -n 10000
//
// With -serve it measures sxsh serve: the time from saving an article to
// the server answering its URL with the saved text (see serve.go).
//
//	go run ./cmd/bench -serve -n 10000 [-edits 20] [-pause 3s]
//
// Each corpus is written by generator/corpus into a temporary directory and
// each build runs as a child process, so that its memory and CPU time can be
// read from the operating system rather than estimated.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"sxsh/generator/corpus"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintln(os.Stderr, "bench:", err)
		var u usageError
		if errors.As(err, &u) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

// usageError is a mistake on the command line, reported with exit code 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// config is the parsed command line.
type config struct {
	counts []int
	hugo   bool
	search bool
	keep   bool
	sxsh   string
	runs   int
	seed   uint64
	bytes  int
	work   string
	serve  bool
	edits  int
	pause  time.Duration
}

func parseArgs(args []string, stderr io.Writer) (config, error) {
	var c config
	fl := flag.NewFlagSet("bench", flag.ContinueOnError)
	fl.SetOutput(stderr)
	n := fl.String("n", "1000,10000", "comma-separated article `counts`, one corpus each")
	fl.BoolVar(&c.hugo, "hugo", false, "also build each corpus with Hugo")
	fl.BoolVar(&c.search, "search", false, "measure the search index and client (in Chromium) instead of build times")
	fl.BoolVar(&c.serve, "serve", false, "measure sxsh serve instead: the time from saving an article to the server answering with it")
	fl.IntVar(&c.edits, "edits", 20, "with -serve: saves per corpus")
	fl.DurationVar(&c.pause, "pause", 3*time.Second, "with -serve: the time between one save being served and the next save")
	fl.BoolVar(&c.keep, "keep", false, "keep the generated sites and their output")
	fl.StringVar(&c.sxsh, "sxsh", "", "sxsh binary to time (default: go build ./cmd/sxsh)")
	fl.IntVar(&c.runs, "runs", 1, "builds per tool and corpus; the best and the median are reported")
	fl.Uint64Var(&c.seed, "seed", 1, "corpus seed")
	fl.IntVar(&c.bytes, "bytes", 0, "bytes per Markdown file (0: the generator's default)")
	fl.StringVar(&c.work, "work", "", "directory for the temporary sites (default: the system's)")
	fl.Usage = func() {
		fmt.Fprintln(fl.Output(), "usage: bench [-n 1000,10000] [-hugo | -search | -serve] [-runs K] [-keep] [-sxsh PATH]")
		fl.PrintDefaults()
	}
	if err := fl.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return c, err
		}
		return c, usageError{err.Error()}
	}
	if fl.NArg() > 0 {
		return c, usageError{fmt.Sprintf("unexpected argument %q", fl.Arg(0))}
	}
	counts, err := parseCounts(*n)
	if err != nil {
		return c, err
	}
	c.counts = counts
	if c.runs < 1 {
		return c, usageError{fmt.Sprintf("-runs must be at least 1, not %d", c.runs)}
	}
	if c.bytes < 0 {
		return c, usageError{fmt.Sprintf("-bytes must not be negative, not %d", c.bytes)}
	}
	if c.search && c.hugo {
		return c, usageError{"-search and -hugo do not go together: Hugo's site has no sxsh search"}
	}
	if c.serve && (c.search || c.hugo) {
		return c, usageError{"-serve measures sxsh serve alone: leave out -search and -hugo"}
	}
	if c.edits < 1 {
		return c, usageError{fmt.Sprintf("-edits must be at least 1, not %d", c.edits)}
	}
	return c, nil
}

// parseCounts reads "1000,10000" into article counts.
func parseCounts(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		n, err := strconv.Atoi(strings.ReplaceAll(f, "_", ""))
		if err != nil || n < 1 {
			return nil, usageError{fmt.Sprintf("-n: %q is not a positive article count", f)}
		}
		out = append(out, n)
	}
	return out, nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "floor" {
		return runFloor(args[1:])
	}
	c, err := parseArgs(args, stderr)
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(c.work, "sxsh-bench-")
	if err != nil {
		return err
	}
	if c.keep {
		fmt.Fprintf(stderr, "bench: keeping sites under %s\n", tmp)
	} else {
		defer os.RemoveAll(tmp)
	}
	if c.search {
		return runSearch(ctx, c, tmp, stdout, stderr)
	}
	if c.serve {
		return runServe(ctx, c, tmp, stdout, stderr)
	}

	bin := &trash{dir: filepath.Join(tmp, "trash")}
	defer os.RemoveAll(bin.dir)
	tools := []tool{sxshTool(ctx, c, tmp, stderr), floorTool()}
	if c.hugo {
		tools = append(tools, hugoTool())
	}

	var rows []row
	var edits []editRow
	failed := 0
	for _, n := range c.counts {
		site := filepath.Join(tmp, fmt.Sprintf("site-%d", n))
		fmt.Fprintf(stderr, "bench: writing %d articles to %s\n", n, site)
		st, err := corpus.Write(site, corpus.Options{Articles: n, Seed: c.seed, BytesPerPage: c.bytes})
		if err != nil {
			return fmt.Errorf("writing corpus of %d articles: %w", n, err)
		}
		md, err := sizeOf(filepath.Join(site, "content"), ".md")
		if err != nil {
			return err
		}
		fmt.Fprintf(stderr, "bench: %d files, %.1f MB of Markdown\n", st.Files, float64(md)/1e6)
		for _, t := range tools {
			r := row{tool: t.name, articles: n, markdown: md}
			if t.err != nil {
				r.err = t.err
			} else {
				r.err = measure(ctx, t, site, c.runs, &r, bin, stderr)
			}
			if r.err != nil {
				failed++
			} else if t.name == "sxsh" {
				e := measureEdits(ctx, t, site, n, bin)
				if e.err != nil || e.differs != "" {
					failed++
				}
				edits = append(edits, e)
			}
			rows = append(rows, r)
		}
		if !c.keep {
			if err := bin.put(site); err != nil {
				return err
			}
		}
	}
	if err := printTable(stdout, rows, c.runs); err != nil {
		return err
	}
	if err := printEdits(stdout, edits); err != nil {
		return err
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d builds failed; see the table's notes", failed, len(rows))
	}
	return nil
}

// tool is one site generator under test.
type tool struct {
	name string
	// args returns the command line building site into dest.
	args func(site, dest string) []string
	// dest is the output directory for site.
	dest func(site string) string
	// err, when set, says why the tool cannot run at all.
	err error
}

func sxshTool(ctx context.Context, c config, tmp string, stderr io.Writer) tool {
	t := tool{
		name: "sxsh",
		dest: func(site string) string { return filepath.Join(site, "public") },
	}
	bin := c.sxsh
	if bin == "" {
		fmt.Fprintln(stderr, "bench: go build ./cmd/sxsh")
		bin, t.err = buildSxsh(ctx, filepath.Join(tmp, "sxsh"))
	}
	t.args = func(site, dest string) []string {
		return []string{bin, "build", "--source", site, "--destination", dest}
	}
	return t
}

// buildSxsh compiles cmd/sxsh of the module the command runs in.
func buildSxsh(ctx context.Context, out string) (string, error) {
	gomod, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("building sxsh: go env GOMOD: %w", err)
	}
	mod := strings.TrimSpace(string(gomod))
	if mod == "" || mod == os.DevNull {
		return "", errors.New("building sxsh: not inside the sxsh module; run from the repository or pass -sxsh PATH")
	}
	cmd := exec.CommandContext(ctx, "go", "build", "-o", out, "./cmd/sxsh")
	cmd.Dir = filepath.Dir(mod)
	if msg, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("building sxsh: go build ./cmd/sxsh: %w\n%s", err, strings.TrimSpace(string(msg)))
	}
	return out, nil
}

func hugoTool() tool {
	t := tool{
		name: "hugo",
		dest: func(site string) string { return filepath.Join(site, "public-hugo") },
	}
	bin, err := exec.LookPath("hugo")
	if err != nil {
		t.err = errors.New("hugo is not installed (apt-get install -y hugo)")
	}
	t.args = func(site, dest string) []string {
		return []string{bin, "--quiet", "-s", site, "-d", dest}
	}
	return t
}

// row is one line of the table: one tool on one corpus.
type row struct {
	tool     string
	articles int
	markdown int64
	pages    int
	wall     []time.Duration // one per run
	cpu      []time.Duration // user + system, one per run
	rssKiB   int64           // the highest of all runs
	err      error
}

// measure runs t on site runs times, each time into an empty destination.
func measure(ctx context.Context, t tool, site string, runs int, r *row, bin *trash, stderr io.Writer) error {
	dest := t.dest(site)
	for i := range runs {
		if err := bin.put(dest); err != nil {
			return err
		}
		args := t.args(site, dest)
		fmt.Fprintf(stderr, "bench: run %d/%d: %s\n", i+1, runs, strings.Join(args, " "))
		res, err := runChild(ctx, args)
		if err != nil {
			return err
		}
		r.wall = append(r.wall, res.wall)
		r.cpu = append(r.cpu, res.cpu)
		r.rssKiB = max(r.rssKiB, res.rssKiB)
	}
	pages, err := countFiles(dest, ".html")
	if err != nil {
		return fmt.Errorf("counting pages: %w", err)
	}
	r.pages = pages
	return nil
}

// trash holds what the bench would delete while it times builds. On a
// file system without a journal (ext4 as some virtual machines mount it),
// each file created within minutes of many deletions costs a scan past
// the deleted inodes, so that a build timed just after the last build's
// output was deleted would pay for that deletion: a 1,000-article build
// took up to three times as long. What a build leaves is moved into the
// trash, on the same file system, and deleted with it once every build
// is timed.
type trash struct {
	dir string
	n   int
}

// put moves path, if it exists, into the trash.
func (t *trash) put(path string) error {
	if _, err := os.Lstat(path); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err := os.MkdirAll(t.dir, 0o755); err != nil {
		return err
	}
	t.n++
	return os.Rename(path, filepath.Join(t.dir, strconv.Itoa(t.n)))
}

// result is what one child process cost.
type result struct {
	wall, cpu time.Duration
	rssKiB    int64
}

// tailSize is how much of a failed build's output is kept for the error.
const tailSize = 4 << 10

func runChild(ctx context.Context, args []string) (result, error) {
	res, _, err := runChildOutput(ctx, args)
	return res, err
}

// runChildOutput runs a child process as runChild does, and returns the
// end of what it printed.
func runChildOutput(ctx context.Context, args []string) (result, string, error) {
	out := &tail{max: tailSize}
	cmd := exec.CommandContext(ctx, args[0], args[1:]...)
	cmd.Env = englishEnv()
	cmd.Stdout = out
	cmd.Stderr = out
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if err != nil {
		msg := strings.TrimSpace(out.String())
		if msg == "" {
			return result{}, "", fmt.Errorf("build failed: %w", err)
		}
		return result{}, "", fmt.Errorf("build failed: %w; its output ends with:\n%s", err, msg)
	}
	res := result{wall: wall}
	res.cpu, res.rssKiB = usage(cmd.ProcessState)
	return res, out.String(), nil
}

// tail keeps the last max bytes written to it: a failing build's last
// lines say why.
type tail struct {
	max int
	buf []byte
}

func (t *tail) Write(p []byte) (int, error) {
	t.buf = append(t.buf, p...)
	if over := len(t.buf) - t.max; over > 0 {
		t.buf = slices.Delete(t.buf, 0, over)
	}
	return len(p), nil
}

func (t *tail) String() string { return string(t.buf) }

// countFiles counts the files under dir whose names end in ext.
func countFiles(dir, ext string) (int, error) {
	n := 0
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(d.Name(), ext) {
			n++
		}
		return nil
	})
	return n, err
}

// sizeOf adds up the sizes of the files under dir whose names end in ext.
func sizeOf(dir, ext string) (int64, error) {
	var total int64
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(d.Name(), ext) {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		total += info.Size()
		return nil
	})
	return total, err
}

// best and median of a set of timings; both are zero for an empty set.
func best(d []time.Duration) time.Duration {
	if len(d) == 0 {
		return 0
	}
	return slices.Min(d)
}

func median(d []time.Duration) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func printTable(w io.Writer, rows []row, runs int) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	wallHead := "wall s"
	if runs > 1 {
		wallHead = fmt.Sprintf("best s (of %d)\tmedian s", runs)
	}
	fmt.Fprintf(tw, "tool\tarticles\tpages\tMarkdown MB\t%s\tpages/s\tpeak RSS MB\tCPU s\t\n", wallHead)
	for _, r := range rows {
		if r.err != nil {
			fmt.Fprintf(tw, "%s\t%d\t-\t%.1f\tFAILED\t\n", r.tool, r.articles, float64(r.markdown)/1e6)
			continue
		}
		b := best(r.wall)
		wall := fmt.Sprintf("%.2f", b.Seconds())
		if runs > 1 {
			wall += fmt.Sprintf("\t%.2f", median(r.wall).Seconds())
		}
		rate := 0.0
		if b > 0 {
			rate = float64(r.pages) / b.Seconds()
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.1f\t%s\t%.0f\t%.0f\t%.2f\t\n",
			r.tool, r.articles, r.pages, float64(r.markdown)/1e6, wall, rate,
			float64(r.rssKiB)/1024, median(r.cpu).Seconds())
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, r := range rows {
		if r.err != nil {
			fmt.Fprintf(w, "\n%s, %d articles: %v\n", r.tool, r.articles, r.err)
		}
	}
	return nil
}

// englishEnv is the environment of the programs the bench runs: sxsh
// speaks Vietnamese unless told otherwise, and the bench reads its lines
// in English. The environment, rather than --lang, tells any sxsh, old or
// new, and leaves the command lines as they are.
func englishEnv() []string { return append(os.Environ(), "LC_ALL=en_US.UTF-8") }
