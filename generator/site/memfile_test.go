package site

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// readCounter is a site folder on disk that counts the files read whole
// (fs.ReadFile: a content file's front matter, or its body).
type readCounter struct {
	fs.FS
	mu   sync.Mutex
	read map[string]int
}

func (c *readCounter) ReadFile(name string) ([]byte, error) {
	c.mu.Lock()
	c.read[name]++
	c.mu.Unlock()
	return fs.ReadFile(c.FS, name)
}

// TestBuildSeesEditsThatKeepSizeAndTime: a plain build takes the content
// files whose stamps did not change from its memory, without reading
// them; a file saved with the same size and then given its old
// modification time back is read again all the same (its status change
// time tells), and the site is what a full build makes.
func TestBuildSeesEditsThatKeepSizeAndTime(t *testing.T) {
	const art, other = "content/articles/mot.vi.md", "content/articles/ba.vi.md"
	src := txtar(goodSite)
	dir := t.TempDir()
	site, dest := filepath.Join(dir, "site"), filepath.Join(dir, "public")
	if err := os.CopyFS(site, src); err != nil {
		t.Fatal(err)
	}
	fsys := &readCounter{FS: os.DirFS(site), read: map[string]int{}}
	rebuild := func() {
		t.Helper()
		// Past the margin in which a build reads a file again however
		// its stamp looks: an unchanged file is then taken from memory.
		time.Sleep(settledFine + 10*time.Millisecond)
		fsys.read = map[string]int{}
		if _, err := Build(context.Background(), Options{Source: fsys, Dir: site, Defaults: defaults(), Destination: dest, Now: testNow}); err != nil {
			t.Fatal(err)
		}
		matchesFull(t, src, dest)
	}
	rebuild()
	if fsys.read[other] == 0 {
		t.Fatalf("the first build did not read %s", other)
	}

	// The same number of bytes, and the old modification time.
	p := filepath.Join(site, filepath.FromSlash(art))
	before, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	edit(src, art, "<b>đậm</b>", "<i>đậm</i>")
	if err := os.WriteFile(p, src[art].Data, 0o644); err != nil {
		t.Fatal(err)
	}
	for {
		if err := os.Chtimes(p, before.ModTime(), before.ModTime()); err != nil {
			t.Fatal(err)
		}
		after, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if after.Size() != before.Size() || !after.ModTime().Equal(before.ModTime()) {
			t.Fatal("the edit changed the file's size or modification time")
		}
		if c, _ := changeOf(after); c == 0 {
			t.Skip("no status change times here")
		} else if b, _ := changeOf(before); c != b {
			break
		}
		time.Sleep(time.Millisecond) // within one tick of the clock: again
	}
	rebuild()
	if fsys.read[art] == 0 {
		t.Errorf("the build did not read the edited %s", art)
	}
	for name := range fsys.read {
		if strings.HasPrefix(name, "content/") && name != art {
			t.Errorf("the build read %s, which did not change and is not drawn again", name)
		}
	}

	// Another zone for dates without one: every file is read again.
	edit(src, "site.toml", "paginate = 2", "paginate = 2\ntimeZone = \"Europe/Paris\"")
	if err := os.WriteFile(filepath.Join(site, "site.toml"), src["site.toml"].Data, 0o644); err != nil {
		t.Fatal(err)
	}
	rebuild()
	if fsys.read[other] == 0 {
		t.Errorf("after site.toml changed, the build did not read %s", other)
	}
}

// A stamp is trusted once its file has not changed for longer than one
// tick of its file system's clock could hide: a tenth of a second where
// times have a fraction of a second, two seconds where they are whole.
func TestSettledStamps(t *testing.T) {
	now := time.Date(2026, 12, 5, 9, 0, 0, 0, time.UTC)
	at := func(d time.Duration) int64 { return now.Add(-d).UnixNano() }
	for _, tt := range []struct {
		name    string
		st      stamp
		settled bool
	}{
		{"fine, 150 ms ago", stamp{Mod: at(150*time.Millisecond + 7), Change: at(150*time.Millisecond + 7)}, true},
		{"fine, 50 ms ago", stamp{Mod: at(50*time.Millisecond + 7), Change: at(50*time.Millisecond + 7)}, false},
		{"fine, changed 50 ms ago, modified long ago", stamp{Mod: at(time.Hour), Change: at(50*time.Millisecond + 7)}, false},
		{"whole seconds, 1 s ago", stamp{Mod: at(time.Second), Change: at(time.Second)}, false},
		{"whole seconds, 3 s ago", stamp{Mod: at(3 * time.Second), Change: at(3 * time.Second)}, true},
		{"modification time set by hand, changed 150 ms ago", stamp{Mod: at(time.Hour), Change: at(150*time.Millisecond + 7)}, true},
		{"no change time, fine, 150 ms ago", stamp{Mod: at(150*time.Millisecond + 7)}, true},
		{"no change time, whole, 1 s ago", stamp{Mod: at(time.Second)}, false},
		{"a content hash", stamp{Sum: "ab"}, true},
	} {
		if got := tt.st.settledBy(now); got != tt.settled {
			t.Errorf("%s: settled %v, want %v", tt.name, got, tt.settled)
		}
	}
}
