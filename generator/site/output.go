package site

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
)

// output writes a build into a fresh folder beside the destination, and
// swaps it into place only when the whole build has succeeded.
type output struct {
	dest, tmp string
	dry       bool // record paths only: sxsh check publishes nothing
	mu        sync.Mutex
	dirs      map[string]*dirOnce
	written   map[string]bool
	sizes     map[string]int64 // for the build record
	pages     atomic.Int64
	files     atomic.Int64
	bytes     atomic.Int64
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

// dirOnce creates one output folder once.
type dirOnce struct {
	once sync.Once
	err  error
}

// write stores a file at the slash path rel under the site root. It keeps
// nothing of data once it returns, so callers may reuse the buffer. Writing
// one path twice is a bug in the build and reported as such.
func (o *output) write(rel string, data []byte) error {
	rel = strings.TrimPrefix(path.Clean("/"+rel), "/")
	if rel == "" || rel == "." {
		return fmt.Errorf("empty output path")
	}
	o.mu.Lock()
	if o.written[rel] {
		o.mu.Unlock()
		return fmt.Errorf("%s is written twice", rel)
	}
	o.written[rel] = true
	if o.sizes != nil {
		o.sizes[rel] = int64(len(data))
	}
	d := o.dirs[path.Dir(rel)]
	if d == nil {
		d = &dirOnce{}
		o.dirs[path.Dir(rel)] = d
	}
	o.mu.Unlock()
	if o.dry {
		o.files.Add(1)
		return nil
	}
	full := filepath.Join(o.tmp, filepath.FromSlash(rel))
	// Every writer into a folder waits until it exists; only the first
	// creates it.
	d.once.Do(func() { d.err = os.MkdirAll(filepath.Dir(full), 0o755) })
	if d.err != nil {
		return d.err
	}
	if err := os.WriteFile(full, data, 0o644); err != nil {
		return err
	}
	if strings.HasSuffix(rel, ".html") {
		o.pages.Add(1)
	}
	o.files.Add(1)
	o.bytes.Add(int64(len(data)))
	return nil
}

// commit swaps the new tree in for the destination. Between the two renames
// the destination is briefly missing; it is never half-written.
func (o *output) commit() error {
	if o.dry {
		return nil
	}
	forgetRecord(o.dest)
	old := ""
	if _, err := os.Lstat(o.dest); err == nil {
		old = o.tmp + ".old"
		if err := os.Rename(o.dest, old); err != nil {
			o.abort()
			return fmt.Errorf("cannot move the old site aside: %v", err)
		}
	}
	if err := os.Rename(o.tmp, o.dest); err != nil {
		if old != "" {
			_ = os.Rename(old, o.dest)
		}
		o.abort()
		return fmt.Errorf("cannot put the new site in place: %v", err)
	}
	if old != "" {
		return os.RemoveAll(old)
	}
	return nil
}

// abort throws the unfinished tree away.
func (o *output) abort() {
	if !o.dry {
		_ = os.RemoveAll(o.tmp)
	}
}

// has reports whether a file was written at the slash path rel.
func (o *output) has(rel string) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.written[rel]
}
