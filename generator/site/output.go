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
	// old, when set, is the last build's tree (dest), whose unchanged
	// files keep links into the new one; oldSizes are their sizes as that
	// build wrote them.
	old      string
	oldSizes map[string]int64
	mu       sync.Mutex
	dirs     map[string]*dirOnce
	written  map[string]bool
	sizes    map[string]int64 // for the build record
	pages    atomic.Int64
	files    atomic.Int64
	bytes    atomic.Int64
	// keptPages counts the HTML pages kept from the old tree.
	keptPages atomic.Int64
	progress  *Progress // counts the pages written or kept, if set
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
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(abs)+".new-")
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

// keep puts the old tree's file at the slash path from into the new tree
// at to, by a hard link (a copy where the file system has none), and
// counts it as written there.
func (o *output) keep(from, to string) error {
	to, err := o.claim(to)
	if err != nil {
		return err
	}
	full, err := o.path(to)
	if err == nil {
		err = linkOrCopy(filepath.Join(o.old, filepath.FromSlash(from)), full)
	}
	if err != nil {
		o.unclaim(to)
		return err
	}
	// A file changed in the published folder since is not kept.
	if fi, err := os.Stat(full); err != nil || fi.Size() != o.oldSizes[from] {
		os.Remove(full)
		o.unclaim(to)
		return fmt.Errorf("%s changed since the last build", from)
	}
	o.setSize(to, o.oldSizes[from])
	if strings.HasSuffix(to, ".html") {
		o.keptPages.Add(1)
		o.step()
	}
	return nil
}

// step counts one more page in the new tree for the progress line.
func (o *output) step() {
	if o.progress != nil {
		o.progress.Done.Add(1)
	}
}

func linkOrCopy(from, to string) error {
	if os.Link(from, to) == nil {
		return nil
	}
	data, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	return os.WriteFile(to, data, 0o644)
}

// drop takes back a file kept from the old tree.
func (o *output) drop(rel string) {
	_ = os.Remove(filepath.Join(o.tmp, filepath.FromSlash(rel)))
	if strings.HasSuffix(rel, ".html") {
		o.keptPages.Add(-1)
	}
	o.mu.Lock()
	delete(o.sizes, rel)
	o.mu.Unlock()
	o.unclaim(rel)
}

func (o *output) unclaim(rel string) {
	o.mu.Lock()
	delete(o.written, rel)
	o.mu.Unlock()
}

// commit swaps the new tree in for the destination. Where the system can
// exchange two folders in one step (Linux), a web server reading the
// destination sees the old tree or the new one, never neither; elsewhere
// the destination is missing for the moment between two renames. It is
// never half-written.
func (o *output) commit() error {
	if o.dry || o.inPlace {
		return nil
	}
	_, err := os.Lstat(o.dest)
	switch {
	case err != nil: // no site yet
		if err := os.Rename(o.tmp, o.dest); err != nil {
			o.abort()
			return fmt.Errorf("cannot put the new site in place: %v", err)
		}
	case exchange(o.tmp, o.dest) == nil: // o.tmp now holds the old tree
	default:
		old := o.tmp + ".old"
		if err := os.Rename(o.dest, old); err != nil {
			o.abort()
			return fmt.Errorf("cannot move the old site aside: %v", err)
		}
		if err := os.Rename(o.tmp, o.dest); err != nil {
			_ = os.Rename(old, o.dest)
			o.abort()
			return fmt.Errorf("cannot put the new site in place: %v", err)
		}
		o.tmp = old
	}
	// Builds before the record moved into the destination kept it
	// beside; this build's is inside.
	_ = os.Remove(legacyRecordPath(o.dest))
	return os.RemoveAll(o.tmp)
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

// move puts the last build's file at the slash path from at the slash
// path to, and counts it as written there: renamed in place, or kept from
// the old tree.
func (o *output) move(from, to string) error {
	if o.old != "" {
		return o.keep(from, to)
	}
	if !o.inPlace {
		return fmt.Errorf("move needs an output in place or an old tree")
	}
	to, err := o.claim(to)
	if err != nil {
		return err
	}
	err = os.Rename(filepath.Join(o.dest, filepath.FromSlash(from)), filepath.Join(o.dest, filepath.FromSlash(to)))
	if err != nil {
		o.unclaim(to)
	}
	return err
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

// remove deletes the files at the slash paths rels and then the folders
// they leave empty.
func (o *output) remove(rels []string) error {
	var first error
	dirs := map[string]bool{}
	for _, rel := range rels {
		if err := os.Remove(filepath.Join(o.dest, filepath.FromSlash(rel))); err != nil && !os.IsNotExist(err) && first == nil {
			first = err
		}
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
		os.Remove(filepath.Join(o.dest, filepath.FromSlash(d))) // fails, as it should, unless empty
	}
	return first
}
