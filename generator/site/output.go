package site

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
)

// output writes a build into a fresh folder beside the destination, and
// swaps it into place only when the whole build has succeeded.
type output struct {
	dest, tmp string
	dry       bool // record paths only: sxsh check publishes nothing
	// inPlace writes into dest itself, each file whole by a rename: a
	// Session's preview folder, which a build updates file by file.
	inPlace bool
	// swapWith, for an output in place, is the published folder that
	// commit exchanges the finished folder with (see standby).
	swapWith string
	// standby is where commit leaves the tree a new one replaced.
	standby  string
	mu       sync.Mutex
	dirs     map[string]*dirOnce
	written  map[string]bool
	sizes    map[string]int64 // for the build record
	pages    atomic.Int64
	files    atomic.Int64
	bytes    atomic.Int64
	progress *Progress // counts the pages written or kept, if set
}

func newOutput(dest string, dry bool) (*output, error) {
	if dry {
		return &output{dry: true, dirs: map[string]*dirOnce{}, written: map[string]bool{}}, nil
	}
	if dest == "" {
		return nil, fmt.Errorf("no destination folder")
	}
	abs, err := filepath.Abs(dest)
	if err != nil {
		return nil, err
	}
	if fi, err := os.Lstat(abs); err == nil && !fi.IsDir() {
		return nil, fmt.Errorf("destination %s exists and is not a folder", dest)
	}
	parent := filepath.Dir(abs)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("cannot create %s: %v", parent, err)
	}
	tmp, err := os.MkdirTemp(parent, newTreePrefix(abs))
	if err != nil {
		return nil, fmt.Errorf("cannot create a build folder beside %s: %v", dest, err)
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return nil, err
	}
	return &output{dest: abs, tmp: tmp, dirs: map[string]*dirOnce{}, written: map[string]bool{}, sizes: map[string]int64{}}, nil
}

// inPlace returns an output that writes into the existing folder dest.
func inPlace(dest string) (*output, error) {
	abs, err := filepath.Abs(dest)
	if err != nil {
		return nil, err
	}
	if fi, err := os.Stat(abs); err != nil || !fi.IsDir() {
		return nil, fmt.Errorf("the preview folder %s is gone: %v", dest, err)
	}
	return &output{dest: abs, tmp: abs, inPlace: true, dirs: map[string]*dirOnce{}, written: map[string]bool{}}, nil
}

// dirOnce creates one output folder once.
type dirOnce struct {
	once sync.Once
	err  error
}

// write stores a file at the slash path rel under the site root. It keeps
// nothing of data once it returns, so callers may reuse the buffer. Writing
// one path twice is a bug in the build and reported as such.
func (o *output) write(rel string, data []byte) error {
	rel, err := o.claim(rel)
	if err != nil {
		return err
	}
	o.setSize(rel, int64(len(data)))
	if o.dry {
		o.files.Add(1)
		return nil
	}
	full, err := o.path(rel)
	if err != nil {
		return err
	}
	if o.inPlace {
		if err := replaceFile(full, data); err != nil {
			return err
		}
	} else if err := os.WriteFile(full, data, 0o644); err != nil {
		return err
	}
	if strings.HasSuffix(rel, ".html") {
		o.pages.Add(1)
		o.step()
	}
	o.files.Add(1)
	o.bytes.Add(int64(len(data)))
	return nil
}

func (o *output) setSize(rel string, n int64) {
	o.mu.Lock()
	if o.sizes != nil {
		o.sizes[rel] = n
	}
	o.mu.Unlock()
}

// path returns the file path of the slash path rel in the tree being
// written, once its folder exists.
func (o *output) path(rel string) (string, error) {
	o.mu.Lock()
	d := o.dirs[path.Dir(rel)]
	if d == nil {
		d = &dirOnce{}
		o.dirs[path.Dir(rel)] = d
	}
	o.mu.Unlock()
	full := filepath.Join(o.tmp, filepath.FromSlash(rel))
	// Every writer into a folder waits until it exists; only the first
	// creates it.
	d.once.Do(func() { d.err = os.MkdirAll(filepath.Dir(full), 0o755) })
	return full, d.err
}

// step counts one more page for the progress line.
func (o *output) step() {
	if o.progress != nil {
		o.progress.Done.Add(1)
	}
}

// commit publishes the finished tree: a new tree is swapped in for the
// destination, and the tree it replaces is kept as the standby (or thrown
// away without one); a standby updated in place is exchanged with the
// destination. Where the system can exchange two folders in one step
// (Linux), a web server reading the destination sees the old tree or the
// new one, never neither; elsewhere the destination is missing for the
// moment between two renames. It is never half-written.
func (o *output) commit() error {
	if o.dry || o.inPlace && o.swapWith == "" {
		return nil
	}
	from, to := o.tmp, o.dest
	if o.inPlace {
		to = o.swapWith
	}
	_, err := os.Lstat(to)
	switch {
	case err != nil: // no site yet
		if err := os.Rename(from, to); err != nil {
			o.abort()
			return fmt.Errorf("cannot put the new site in place: %v", err)
		}
		return nil
	case exchange(from, to) == nil: // from now holds the old tree
	default:
		aside := from + ".old"
		if err := os.Rename(to, aside); err != nil {
			o.abort()
			return fmt.Errorf("cannot move the old site aside: %v", err)
		}
		if err := os.Rename(from, to); err != nil {
			_ = os.Rename(aside, to)
			o.abort()
			return fmt.Errorf("cannot put the new site in place: %v", err)
		}
		if err := os.Rename(aside, from); err != nil {
			return os.RemoveAll(aside)
		}
	}
	// Builds before the record moved into the destination kept it
	// beside; this build's is inside.
	_ = os.Remove(legacyRecordPath(to))
	switch {
	case o.inPlace:
		return nil // the standby is where it was, with the old tree
	case o.standby == "":
		return os.RemoveAll(from)
	}
	// The replaced tree is the next build's standby; a standby it
	// replaces is out of date.
	if err := os.RemoveAll(o.standby); err != nil {
		return os.RemoveAll(from)
	}
	if err := os.Rename(from, o.standby); err != nil {
		return os.RemoveAll(from)
	}
	return nil
}

// abort throws the unfinished tree away; an output in place keeps what it
// wrote.
func (o *output) abort() {
	if !o.dry && !o.inPlace {
		_ = os.RemoveAll(o.tmp)
	}
}

// claim cleans the slash path rel and marks it written: writing one path
// twice is a bug in the build, and reported as such.
func (o *output) claim(rel string) (string, error) {
	rel = strings.TrimPrefix(path.Clean("/"+rel), "/")
	if rel == "" || rel == "." {
		return "", fmt.Errorf("empty output path")
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.written[rel] {
		return "", fmt.Errorf("%s is written twice", rel)
	}
	o.written[rel] = true
	return rel, nil
}

// has reports whether a file was written at the slash path rel.
func (o *output) has(rel string) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.written[rel]
}

// replaceFile writes data beside name and renames it over name, so that a
// reader sees the old file or the new one, never part of one.
func replaceFile(name string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(name), ".sxsh-*")
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(f.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(f.Name(), name)
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}

// remove deletes the files at the slash paths rels from the tree being
// written, and then the folders they leave empty.
func (o *output) remove(rels []string) error {
	var first error
	dirs := map[string]bool{}
	for _, rel := range rels {
		if err := os.Remove(filepath.Join(o.tmp, filepath.FromSlash(rel))); err != nil && !os.IsNotExist(err) && first == nil {
			first = err
		}
		o.mu.Lock()
		delete(o.sizes, rel)
		o.mu.Unlock()
		for d := path.Dir(rel); d != "." && d != "/"; d = path.Dir(d) {
			dirs[d] = true
		}
	}
	// Deepest first, so that a folder's empty subfolders go before it.
	list := make([]string, 0, len(dirs))
	for d := range dirs {
		list = append(list, d)
	}
	sort.Slice(list, func(i, j int) bool { return len(list[i]) > len(list[j]) })
	for _, d := range list {
		os.Remove(filepath.Join(o.tmp, filepath.FromSlash(d))) // fails, as it should, unless empty
	}
	return first
}
