package site

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"sxsh/generator/content"
)

// A build records what it was made from in its destination, so that the
// next build of an unchanged site can leave the published folder as it is:
// its output would be the same, byte for byte. Telling so must cost a small
// part of a build, so the record compares the site's files by size and
// modification time (by content where a file system has no times), as make
// does, rather than reading them.
//
// The record is also how sxsh knows a folder is its own to replace (see
// HasRecord). It is swapped in with the tree it describes, so the two never
// disagree. It is published with the site, so it names the site's files by
// a hash of their paths: a draft's file name is not for the public.
type buildRecord struct {
	Options string           `json:"options"` // the sxsh build and the build's options
	Inputs  map[string]stamp `json:"inputs"`  // every file of the site directory, by pathKey
	Now     time.Time        `json:"now"`     // the build time the output was made at
	// Instants are the dates in the content (publish, expiry, airings)
	// after Now: the output changes when the clock passes one.
	Instants []time.Time      `json:"instants"`
	Files    map[string]int64 `json:"files"` // output path → size
	// Memory is the ID of the build's memory, kept beside the destination
	// (see loadMemory); "" for none.
	Memory string `json:"memory,omitempty"`
}

// RecordFile is the name of the build record in a destination folder.
const RecordFile = ".sxsh-build.json"

// stamp is what tells a file changed.
type stamp struct {
	Size int64 `json:"s"`
	Mod  int64 `json:"m,omitempty"` // modification time, Unix nanoseconds
	// Change is the time the file's status last changed, which a program
	// cannot set back as it can the modification time (touch -d, a copy
	// that keeps times), and Inode its number, which a file saved by
	// renaming a new one over it changes; 0 where the system has none.
	Change int64  `json:"c,omitempty"`
	Inode  uint64 `json:"i,omitempty"`
	Sum    string `json:"h,omitempty"` // content hash where there is no time
}

// settled is how long before a build a file must have last changed for
// the next build to trust its stamp, and take what this one read of it
// from its memory rather than read it again (see scanSources). A file
// saved twice within one tick of the file system's clock, with the same
// size, keeps its stamp: a build that read it between the two saves would
// otherwise remember the first. Where the times of files have a fraction
// of a second (ext4, XFS, Btrfs, tmpfs, NTFS, APFS), the tick is the
// kernel's, at most 10 ms, and settledFine covers it; where they are whole
// seconds (FAT keeps two), settled does. A file system whose times come
// from a server with a clock further off than that is not covered.
const (
	settled     = 2 * time.Second
	settledFine = 100 * time.Millisecond
)

// tag is the stamp as the memory of a build keeps it beside what the
// build read of the file.
func (st stamp) tag() string {
	if st.Sum != "" {
		return fmt.Sprintf("%d:%s", st.Size, st.Sum)
	}
	return fmt.Sprintf("%d:%d:%d:%d", st.Size, st.Mod, st.Change, st.Inode)
}

// settledBy reports whether the file last changed long enough before the
// instant t, when the build began, for its stamp to be trusted.
func (st stamp) settledBy(t time.Time) bool {
	if st.Sum != "" {
		return true // its content, not a time
	}
	// The status change time has a fraction of a second where the file
	// system keeps one (touch -d may give the modification time none).
	margin := settled
	if st.Change%int64(time.Second) != 0 || st.Change == 0 && st.Mod%int64(time.Second) != 0 {
		margin = settledFine
	}
	before := t.Add(-margin).UnixNano()
	return st.Mod < before && st.Change < before
}

// legacyRecordPath is where builds before the record moved into the
// destination kept it: beside the destination.
func legacyRecordPath(dest string) string {
	abs, err := filepath.Abs(dest)
	if err != nil {
		abs = dest
	}
	return filepath.Join(filepath.Dir(abs), "."+filepath.Base(abs)+".sxsh-build.json")
}

// HasRecord reports whether the folder dest was published by sxsh: it holds
// a build record (or has one beside it, as older builds left it).
func HasRecord(dest string) bool {
	for _, p := range []string{filepath.Join(dest, RecordFile), legacyRecordPath(dest)} {
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
			return true
		}
	}
	return false
}

// pathKey is how the record names a site file.
func pathKey(p string) string {
	sum := sha256.Sum256([]byte(p))
	return hex.EncodeToString(sum[:12])
}

// optionsKey identifies what, besides the site's files, decides the output.
func optionsKey(o Options) string {
	return fmt.Sprintf("v1 %s %q %v", o.Version, o.BaseURL, o.Drafts)
}

// stampOf stamps the file p of fsys, whose entry is d.
func stampOf(fsys fs.FS, p string, d fs.DirEntry) (stamp, error) {
	info, err := d.Info()
	if err != nil {
		return stamp{}, err
	}
	st := stamp{Size: info.Size()}
	if mt := info.ModTime(); !mt.IsZero() {
		st.Mod = mt.UnixNano()
		st.Change, st.Inode = changeOf(info)
		return st, nil
	}
	data, err := fs.ReadFile(fsys, p)
	if err != nil {
		return stamp{}, err
	}
	sum := sha256.Sum256(data)
	st.Sum = hex.EncodeToString(sum[:])
	return st, nil
}

// instants lists the content's dates after now: publishing and expiry
// dates, and airings, of every page, published or not.
func instants(s *content.Site, now time.Time) []time.Time {
	var out []time.Time
	add := func(ts ...time.Time) {
		for _, t := range ts {
			if t.After(now) {
				out = append(out, t)
			}
		}
	}
	for _, p := range append(append([]*content.Page(nil), s.Pages...), s.Unpublished...) {
		add(p.Date, p.PublishDate, p.ExpiryDate)
		if p.Broadcast != nil {
			add(p.Broadcast.Times...)
		}
	}
	return out
}

// readRecord reads the build record in dest, or returns nil.
func readRecord(dest string) *buildRecord {
	data, err := os.ReadFile(filepath.Join(dest, RecordFile))
	if err != nil {
		return nil
	}
	var rec buildRecord
	if json.Unmarshal(data, &rec) != nil {
		return nil
	}
	return &rec
}

// changedInputs counts the site's files added, removed or changed since
// the build of rec; -1 when that is not known.
func changedInputs(rec *buildRecord, in map[string]stamp) int {
	if rec == nil || rec.Inputs == nil || in == nil {
		return -1
	}
	n := 0
	for p, st := range in {
		if old, ok := rec.Inputs[p]; !ok || old != st {
			n++
		}
	}
	for p := range rec.Inputs {
		if _, ok := in[p]; !ok {
			n++
		}
	}
	return n
}

// upToDate reports whether the destination, whose record is rec, holds
// exactly what a build with these options and inputs would write now.
func upToDate(o Options, rec *buildRecord, in map[string]stamp) bool {
	if rec == nil || rec.Options != optionsKey(o) || len(rec.Inputs) != len(in) {
		return false
	}
	for p, st := range in {
		if rec.Inputs[p] != st {
			return false
		}
	}
	// The year is in every footer; a publish date, expiry or airing
	// passed since changes lists and schedules.
	if o.Now.Year() != rec.Now.Year() || o.Now.Before(rec.Now) {
		return false
	}
	for _, t := range rec.Instants {
		if !t.After(o.Now) {
			return false
		}
	}
	return treeMatches(o.Destination, rec.Files, 2*runtime.GOMAXPROCS(0))
}

// treeMatches reports whether the folder dir holds the files of a build
// record, and no others, with the sizes it says: one changed by hand since
// is not the build's any more. At 10,000 articles the tree has 30,000
// folders, and each file's size is a system call: workers read folders
// side by side.
func treeMatches(dir string, files map[string]int64, workers int) bool {
	c := checkTree(dir, files)
	for range workers - 1 {
		go c.work()
	}
	return c.matches()
}

// A treeCheck is treeMatches under way, which any number of goroutines
// may work on: a build starts one on the standby as soon as it has read
// the standby's record, and joins it when it needs the answer.
type treeCheck struct {
	dir     string
	files   map[string]int64
	mu      sync.Mutex
	more    *sync.Cond
	todo    []string // folders to read
	reading int
	bad     bool
	seen    int
}

func checkTree(dir string, files map[string]int64) *treeCheck {
	c := &treeCheck{dir: dir, files: files, todo: []string{""}}
	c.more = sync.NewCond(&c.mu)
	return c
}

// work reads folders until none is left to read, or one does not match.
func (c *treeCheck) work() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for {
		for len(c.todo) == 0 && c.reading > 0 && !c.bad {
			c.more.Wait()
		}
		if len(c.todo) == 0 || c.bad {
			c.more.Broadcast()
			return
		}
		rel := c.todo[len(c.todo)-1]
		c.todo = c.todo[:len(c.todo)-1]
		c.reading++
		c.mu.Unlock()
		subs, n, ok := c.folder(rel)
		c.mu.Lock()
		c.reading--
		c.todo, c.seen, c.bad = append(c.todo, subs...), c.seen+n, c.bad || !ok
		c.more.Broadcast()
	}
}

// stop ends the check early, when its answer is not needed.
func (c *treeCheck) stop() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.bad = true
	c.more.Broadcast()
}

// matches works on the check until it is done, and returns its answer.
func (c *treeCheck) matches() bool {
	c.work()
	c.mu.Lock()
	defer c.mu.Unlock()
	return !c.bad && c.seen == len(c.files)
}

// folder reads the folder rel, and returns its subfolders and how many of
// the record's files it holds, or false.
func (c *treeCheck) folder(rel string) (subs []string, n int, ok bool) {
	entries, err := os.ReadDir(filepath.Join(c.dir, filepath.FromSlash(rel)))
	if err != nil {
		return nil, 0, false
	}
	for _, e := range entries {
		name := path.Join(rel, e.Name())
		if e.IsDir() {
			subs = append(subs, name)
			continue
		}
		if name == RecordFile {
			continue
		}
		info, err := e.Info()
		if size, ok := c.files[name]; err != nil || !ok || size != info.Size() {
			return nil, 0, false
		}
		n++
	}
	return subs, n, true
}

// saveRecord writes the record of a build into its new tree, before the
// swap. in is nil when the site's files could not be stamped: the record
// then only marks the folder as sxsh's, and the next build builds.
func (o *output) saveRecord(opts Options, in map[string]stamp, s *content.Site, memoryID string) error {
	rec := buildRecord{Options: optionsKey(opts), Inputs: in, Now: opts.Now, Instants: instants(s, opts.Now), Files: o.sizes, Memory: memoryID}
	if in == nil {
		rec.Options = "incomplete"
	}
	data, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(o.tmp, RecordFile), data, 0o644); err != nil {
		return fmt.Errorf("cannot write the build record: %v", err)
	}
	return nil
}
