package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"sxsh/generator/counter"
)

func TestCounterUsage(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "c.db")
	tests := []struct {
		args     []string
		code     int
		out, err string
	}{
		{[]string{"counter", "--help"}, 0, "--trust-proxy", ""},
		{[]string{"counter", "import", "--help"}, 0, "--format", ""},
		{[]string{"counter", "stats", "--help"}, 0, "--days", ""},
		{[]string{"counter", "--origin", "example.org"}, 2, "", "is not an origin"},
		{[]string{"counter", "--offset", "-5"}, 2, "", "is negative"},
		{[]string{"counter", "extra"}, 2, "", `unexpected argument "extra"`},
		{[]string{"counter", "import", "--db", db, "x.log"}, 2, "", "--format is required"},
		{[]string{"counter", "import", "--db", db, "--format", "apache", "x.log"}, 2, "", `unknown log format "apache"`},
		{[]string{"counter", "import", "--db", db, "--format", "combined"}, 2, "", "no log to import"},
		{[]string{"counter", "import", "--db", db, "--format", "combined", filepath.Join(dir, "missing.log")}, 1, "", "missing.log: no such file"},
		{[]string{"counter", "stats", "--db", db, "--days", "0"}, 2, "", "--days must be"},
		{[]string{"counter", "stats", "--db", filepath.Join(dir, "none.db")}, 1, "", "none.db: no such file"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, out, errs := runCmd(tt.args...)
			if code != tt.code || !strings.Contains(out, tt.out) || !strings.Contains(errs, tt.err) {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit %d, stdout ~%q, stderr ~%q", code, out, errs, tt.code, tt.out, tt.err)
			}
		})
	}
}

func TestCounterImportAndStats(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "c.db")
	today := time.Now().Format("02/Jan/2006:15:04:05 -0700")
	ua := "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
	var log strings.Builder
	for i := range 3 {
		fmt.Fprintf(&log, "192.0.2.%d - - [%s] \"GET /tin-tuc/ HTTP/1.1\" 200 100 \"-\" \"%s\"\n", i, today, ua)
	}
	log.WriteString("garbage\n")
	fmt.Fprintf(&log, "192.0.2.9 - - [%s] \"GET /en/ HTTP/1.1\" 200 100 \"-\" \"%s\"\n", today, ua)
	name := filepath.Join(dir, "access.log")
	if err := os.WriteFile(name, []byte(log.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runCmd("counter", "import", "--db", db, "--format", "combined", name)
	if code != 0 || !strings.Contains(out, "4 page views, 4 visits") ||
		!strings.Contains(errs, "1 line could not be read, first at "+name+":4") {
		t.Fatalf("import: exit %d\n%s\n%s", code, out, errs)
	}
	code, out, _ = runCmd("counter", "import", "--db", db, "--format", "combined", name)
	if code != 0 || !strings.Contains(out, "0 new lines, 0 page views") {
		t.Fatalf("second import: exit %d\n%s", code, out)
	}
	code, out, errs = runCmd("counter", "stats", "--db", db, "--days", "7")
	if code != 0 {
		t.Fatalf("stats: exit %d: %s", code, errs)
	}
	for _, want := range []string{
		"Visits, all time: 4 (4 counted, 0 before the counter)",
		"Last 7 days, ",
		time.Now().Format(time.DateOnly) + "       4      4",
		"       3  /tin-tuc/\n",
		"       1  /en/\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("stats lack %q:\n%s", want, out)
		}
	}
	if n := len(regexp.MustCompile(`(?m)^ *\d{4}-\d\d-\d\d `).FindAllString(out, -1)); n != 7 {
		t.Errorf("stats list %d days, want 7:\n%s", n, out)
	}
}

func TestCounterRefusesBadDB(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.db")
	if err := os.WriteFile(bad, []byte(strings.Repeat("corrupt ", 4096)), 0o600); err != nil {
		t.Fatal(err)
	}
	locked := filepath.Join(dir, "locked.db")
	held, err := counter.Open(locked)
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	tests := []struct {
		args []string
		err  string
	}{
		{[]string{"counter", "--addr", "127.0.0.1:0", "--db", bad}, "cannot open " + bad + ": it is not a counter database"},
		{[]string{"counter", "stats", "--db", bad}, "cannot open " + bad + ": it is not a counter database"},
		{[]string{"counter", "--addr", "127.0.0.1:0", "--db", locked}, "cannot open " + locked + ": it is locked by another process"},
		{[]string{"counter", "import", "--format", "common", "--db", locked, bad}, "cannot open " + locked + ": it is locked by another process"},
	}
	// A locked database is told after a second's wait for the lock: the
	// cases wait at once.
	var cases sync.WaitGroup
	for _, tt := range tests {
		cases.Go(func() {
			t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
				code, _, errs := runCmd(tt.args...)
				if code != 1 || !strings.Contains(errs, tt.err) {
					t.Errorf("exit %d, stderr %q; want exit 1 and %q", code, errs, tt.err)
				}
			})
		})
	}
	cases.Wait()
}

// TestCounterChild is the counter process that TestCounterSurvivesKill
// starts and kills; run by itself, it does nothing.
func TestCounterChild(t *testing.T) {
	args := os.Getenv("SXSH_COUNTER_CHILD")
	if args == "" {
		t.Skip("runs only as a child of TestCounterSurvivesKill")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, strings.Split(args, "\n"), os.Stdout, os.Stderr)
	stop()
	os.Exit(exitCode(err))
}

// counterProcess is a counter running in a child process.
type counterProcess struct {
	cmd  *exec.Cmd
	base string // http://127.0.0.1:port/api/
	out  *bufio.Reader
}

func startCounter(t *testing.T, db string) *counterProcess {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCounterChild$")
	cmd.Env = append(os.Environ(), "SXSH_COUNTER_CHILD="+strings.Join(
		[]string{"counter", "--addr", "127.0.0.1:0", "--db", db, "--trust-proxy"}, "\n"))
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	p := &counterProcess{cmd: cmd, out: bufio.NewReader(stdout)}
	line, err := p.out.ReadString('\n')
	_, url, ok := strings.Cut(line, "listening on ")
	if err != nil || !ok {
		t.Fatalf("the counter did not start: %q, %v", line, err)
	}
	p.base = strings.TrimSpace(url)
	return p
}

func counts(t *testing.T, base, path string) counter.Counts {
	t.Helper()
	resp, err := http.Get(base + "count?path=" + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var c counter.Counts
	if err := json.NewDecoder(resp.Body).Decode(&c); err != nil {
		t.Fatal(err)
	}
	return c
}

// TestCounterSurvivesKill checks that every hit the counter answered is on
// disk: it is killed without warning mid-stream and restarted on the same
// file.
func TestCounterSurvivesKill(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	db := filepath.Join(t.TempDir(), "counter.db")
	p := startCounter(t, db)
	const clients, hits = 16, 200
	var mu sync.Mutex
	acked := 0
	var wg sync.WaitGroup
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range hits {
				req, _ := http.NewRequest("POST", p.base+"hit", strings.NewReader(`{"path":"/tin-tuc/"}`))
				req.Header.Set("User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0")
				req.Header.Set("X-Forwarded-For", fmt.Sprintf("192.0.2.%d, 198.18.%d.%d", c, c, i))
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					return // killed
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode == 200 {
					mu.Lock()
					acked++
					mu.Unlock()
				}
			}
		}()
	}
	// Kill it while hits are still coming in.
	time.Sleep(50 * time.Millisecond)
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	p.cmd.Wait()
	if acked == 0 {
		t.Fatal("no hit was answered before the kill")
	}

	p = startCounter(t, db)
	c := counts(t, p.base, "/tin-tuc/")
	// A hit can be stored and its answer lost to the kill, never the
	// other way round.
	if c.Views < int64(acked) || c.Total < int64(acked) || c.Views > clients*hits {
		t.Errorf("after the kill: %+v, but %d hits were answered", c, acked)
	}
	t.Logf("%d hits answered before SIGKILL, %d found after the restart", acked, c.Views)

	// SIGTERM stops it cleanly, and a third start finds the same.
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	rest, _ := io.ReadAll(p.out)
	if err := p.cmd.Wait(); err != nil || !strings.Contains(string(rest), "stopped") {
		t.Fatalf("after SIGTERM: %v, %q", err, rest)
	}
	p = startCounter(t, db)
	if c2 := counts(t, p.base, "/tin-tuc/"); c2 != c {
		t.Errorf("after SIGTERM: %+v, before %+v", c2, c)
	}
}
