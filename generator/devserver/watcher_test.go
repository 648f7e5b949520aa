package devserver

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"
)

const testQuiet = 50 * time.Millisecond

// newSite makes a site folder with one file in each watched part and an
// existing subfolder, as a real site has.
func newSite(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range map[string]string{
		"site.toml":                  "title = \"x\"\n",
		"content/a.md":               "A\n",
		"content/articles/old.md":    "old\n",
		"layouts/_default/page.html": "{{.}}\n",
		"static/css/site.css":        "body{}\n",
		"public/index.html":          "built\n",
	} {
		write(t, dir, name, body)
	}
	return dir
}

func write(t *testing.T, root, name, body string) {
	t.Helper()
	p := filepath.Join(root, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

func startWatcher(t *testing.T, root string, opts WatchOptions) *Watcher {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	if opts.Quiet == 0 {
		opts.Quiet = testQuiet
	}
	w, err := Watch(ctx, root, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		select {
		case <-w.Done():
		case <-time.After(5 * time.Second):
			t.Error("the watcher did not stop")
		}
	})
	return w
}

func nextBatch(t *testing.T, w *Watcher) []string {
	t.Helper()
	select {
	case b := <-w.Changes():
		return b
	case <-time.After(5 * time.Second):
		t.Fatal("no batch of changes within 5 s")
	}
	return nil
}

// noBatch fails if a batch arrives within several quiet times.
func noBatch(t *testing.T, w *Watcher) {
	t.Helper()
	select {
	case b := <-w.Changes():
		t.Fatalf("unexpected batch %q", b)
	case <-time.After(8 * testQuiet):
	}
}

func TestWatcher(t *testing.T) {
	tests := []struct {
		name   string
		act    func(t *testing.T, root string)
		want   []string // exactly this batch
		anyOf  []string // or: a batch holding at least these
		ignore []string // WatchOptions.Ignore, relative to the site
	}{
		{
			name: "new file",
			act:  func(t *testing.T, root string) { write(t, root, "content/b.md", "B") },
			want: []string{"content/b.md"},
		},
		{
			name: "edit",
			act:  func(t *testing.T, root string) { write(t, root, "content/a.md", "A2") },
			want: []string{"content/a.md"},
		},
		{
			name: "edit in a folder that existed at the start",
			act:  func(t *testing.T, root string) { write(t, root, "content/articles/old.md", "new") },
			want: []string{"content/articles/old.md"},
		},
		{
			name: "delete",
			act: func(t *testing.T, root string) {
				must(t, os.Remove(filepath.Join(root, "content/a.md")))
			},
			want: []string{"content/a.md"},
		},
		{
			name: "rename",
			act: func(t *testing.T, root string) {
				must(t, os.Rename(filepath.Join(root, "content/a.md"), filepath.Join(root, "content/c.md")))
			},
			want: []string{"content/a.md", "content/c.md"},
		},
		{
			name: "delete a folder",
			act: func(t *testing.T, root string) {
				must(t, os.RemoveAll(filepath.Join(root, "content/articles")))
			},
			anyOf: []string{"content/articles", "content/articles/old.md"},
		},
		{
			name: "save by rename (VS Code)",
			act: func(t *testing.T, root string) {
				write(t, root, "content/.a.md.tmp", "A3")
				must(t, os.Rename(filepath.Join(root, "content/.a.md.tmp"), filepath.Join(root, "content/a.md")))
			},
			want: []string{"content/a.md"},
		},
		{
			name: "save by rename from a temporary name (sed -i)",
			act: func(t *testing.T, root string) {
				write(t, root, "content/sedX1b2Qz", "A5")
				must(t, os.Rename(filepath.Join(root, "content/sedX1b2Qz"), filepath.Join(root, "content/a.md")))
			},
			want: []string{"content/a.md"},
		},
		{
			name: "a file made and removed again, then an edit",
			act: func(t *testing.T, root string) {
				write(t, root, "content/nhap.md", "x")
				must(t, os.Remove(filepath.Join(root, "content/nhap.md")))
				write(t, root, "content/a.md", "A6")
			},
			want: []string{"content/a.md"},
		},
		{
			name: "save with a backup (vim)",
			act: func(t *testing.T, root string) {
				write(t, root, "content/.a.md.swp", "swap")
				write(t, root, "content/4913", "")
				must(t, os.Remove(filepath.Join(root, "content/4913")))
				must(t, os.Rename(filepath.Join(root, "content/a.md"), filepath.Join(root, "content/a.md~")))
				write(t, root, "content/a.md", "A4")
				must(t, os.Remove(filepath.Join(root, "content/a.md~")))
			},
			want: []string{"content/a.md"},
		},
		{
			name: "site.toml saved by rename",
			act: func(t *testing.T, root string) {
				write(t, root, "site.toml.tmp", "title = \"y\"\n")
				must(t, os.Rename(filepath.Join(root, "site.toml.tmp"), filepath.Join(root, "site.toml")))
			},
			want: []string{"site.toml"},
		},
		{
			name: "layouts and static",
			act: func(t *testing.T, root string) {
				write(t, root, "layouts/_default/page.html", "{{.Title}}")
				write(t, root, "static/css/site.css", "p{}")
			},
			want: []string{"layouts/_default/page.html", "static/css/site.css"},
		},
		{
			name: "nested folders made at once",
			act: func(t *testing.T, root string) {
				write(t, root, "content/x/y/z.md", "Z")
			},
			anyOf: []string{"content/x/y/z.md"},
		},
		{
			name: "a watched part deleted",
			act: func(t *testing.T, root string) {
				must(t, os.RemoveAll(filepath.Join(root, "static")))
			},
			anyOf: []string{"static"},
		},
		{
			name:   "an ignored folder",
			ignore: []string{"static/gen"},
			act: func(t *testing.T, root string) {
				write(t, root, "static/gen/x.css", "x")
				write(t, root, "static/kept.css", "y")
			},
			want: []string{"static/kept.css"},
		},
	}
	// Each case has a site and a watcher of its own, and spends most of
	// its time waiting out the quiet time: all of them wait at once, not
	// as many at a time as there are processors (as with t.Parallel).
	var cases sync.WaitGroup
	for _, tt := range tests {
		cases.Go(func() {
			t.Run(tt.name, func(t *testing.T) {
				root := newSite(t)
				var ignore []string
				for _, p := range tt.ignore {
					must(t, os.MkdirAll(filepath.Join(root, p), 0o755))
					ignore = append(ignore, filepath.Join(root, p))
				}
				w := startWatcher(t, root, WatchOptions{Ignore: ignore})
				tt.act(t, root)
				got := nextBatch(t, w)
				if tt.want != nil && !slices.Equal(got, tt.want) {
					t.Errorf("batch %q, want %q", got, tt.want)
				}
				for _, p := range tt.anyOf {
					if !slices.Contains(got, p) {
						t.Errorf("batch %q lacks %q", got, p)
					}
				}
				noBatch(t, w)
			})
		})
	}
	cases.Wait()
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestWatcherNewFolderIsWatched(t *testing.T) {
	root := newSite(t)
	w := startWatcher(t, root, WatchOptions{})
	must(t, os.Mkdir(filepath.Join(root, "content/moi"), 0o755))
	if got := nextBatch(t, w); !slices.Equal(got, []string{"content/moi"}) {
		t.Fatalf("batch %q, want the new folder", got)
	}
	// Written after the folder's batch: only a watch on the new folder
	// can see it.
	write(t, root, "content/moi/bai.md", "x")
	if got := nextBatch(t, w); !slices.Equal(got, []string{"content/moi/bai.md"}) {
		t.Fatalf("batch %q, want the file in the new folder", got)
	}
	// A folder renamed: the new name is watched, the old one is gone.
	must(t, os.Rename(filepath.Join(root, "content/moi"), filepath.Join(root, "content/cu")))
	if got := nextBatch(t, w); !slices.Contains(got, "content/cu") || !slices.Contains(got, "content/moi") {
		t.Fatalf("batch %q, want both names of the renamed folder", got)
	}
	write(t, root, "content/cu/bai.md", "y")
	if got := nextBatch(t, w); !slices.Equal(got, []string{"content/cu/bai.md"}) {
		t.Fatalf("batch %q, want the file under the folder's new name", got)
	}
}

func TestWatcherPartMadeLater(t *testing.T) {
	root := newSite(t)
	must(t, os.RemoveAll(filepath.Join(root, "layouts")))
	w := startWatcher(t, root, WatchOptions{})
	write(t, root, "layouts/_default/single.html", "x")
	if got := nextBatch(t, w); !slices.Contains(got, "layouts") {
		t.Fatalf("batch %q, want the new layouts folder", got)
	}
	write(t, root, "layouts/_default/list.html", "y")
	if got := nextBatch(t, w); !slices.Equal(got, []string{"layouts/_default/list.html"}) {
		t.Fatalf("batch %q, want the file in the new folder", got)
	}
}

func TestWatcherBurstIsOneBatch(t *testing.T) {
	root := newSite(t)
	w := startWatcher(t, root, WatchOptions{})
	// A reader that is always ready, as Run is between builds: only the
	// debounce can merge the burst.
	batches := make(chan []string, 200)
	go func() {
		for b := range w.Changes() {
			batches <- b
		}
	}()
	var want []string
	for i := range 100 {
		name := fmt.Sprintf("content/p%02d.md", i%10)
		write(t, root, name, fmt.Sprint(i))
		if i < 10 {
			want = append(want, name)
		}
		time.Sleep(time.Millisecond) // spread over more than the quiet time
	}
	time.Sleep(8 * testQuiet)
	if n := len(batches); n != 1 {
		t.Fatalf("%d batches, want 1", n)
	}
	if got := <-batches; !slices.Equal(got, want) {
		t.Fatalf("batch %q, want %q", got, want)
	}
}

func TestWatcherIgnoresTemporaryFiles(t *testing.T) {
	root := newSite(t)
	w := startWatcher(t, root, WatchOptions{})
	for _, name := range []string{
		"content/.a.md.swp", "content/#a.md#", "content/a.md~", "content/a.md.tmp",
		"content/.hidden/x.md", "layouts/.DS_Store", "static/css/site.css.swp",
		"public/index.html", "notes.txt", "site.toml~", ".git/index",
	} {
		write(t, root, name, "x")
	}
	must(t, os.Chmod(filepath.Join(root, "content/a.md"), 0o600))
	// A file that comes and goes within a burst changes nothing.
	write(t, root, "content/sedQ7x2", "x")
	must(t, os.Remove(filepath.Join(root, "content/sedQ7x2")))
	noBatch(t, w)
}

// A build that takes longer than a burst must be followed by one build, not
// by one per burst that happened meanwhile.
func TestWatcherMergesWhileBusy(t *testing.T) {
	root := newSite(t)
	w := startWatcher(t, root, WatchOptions{})
	write(t, root, "content/one.md", "1")
	time.Sleep(4 * testQuiet)
	write(t, root, "content/two.md", "2")
	time.Sleep(4 * testQuiet)
	if got, want := nextBatch(t, w), []string{"content/one.md", "content/two.md"}; !slices.Equal(got, want) {
		t.Fatalf("batch %q, want %q", got, want)
	}
	noBatch(t, w)
}

func TestIgnored(t *testing.T) {
	tests := []struct {
		name string
		want bool
	}{
		{"a.md", false},
		{"_index.vi.md", false},
		{"site.toml", false},
		{"logo.svg", false},
		{".a.md.swp", true},
		{"a.md.swp", true},
		{"#a.md#", true},
		{"a.md~", true},
		{"a.TMP", true},
		{".DS_Store", true},
		{"4913", true},
		{"", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Ignored(tt.name); got != tt.want {
				t.Errorf("Ignored(%q) = %v, want %v", tt.name, got, tt.want)
			}
		})
	}
}
