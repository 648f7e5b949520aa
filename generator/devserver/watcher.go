package devserver

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
)

// DefaultQuiet is how long a folder must stay still before a burst of
// changes is handed on: long enough to merge an editor's write, rename and
// chmod into one rebuild, short enough not to be noticed.
const DefaultQuiet = 100 * time.Millisecond

// Watcher reports changes to a site's sources in batches: every change made
// within one burst (until the folder has been still for the quiet time)
// arrives as one sorted list of slash-separated paths relative to the site
// folder. Batches that the reader is too busy to take are merged, so a slow
// build is followed by one rebuild, not a queue of them. A nil batch means
// that events were lost and anything may have changed.
type Watcher struct {
	root   string
	quiet  time.Duration
	ignore []string
	fw     *fsnotify.Watcher
	out    chan []string
	done   chan struct{}
}

// WatchOptions tunes a Watcher; the zero value is ready to use.
type WatchOptions struct {
	// Quiet is the still time that ends a burst; zero means DefaultQuiet.
	Quiet time.Duration
	// Ignore lists folders whose changes never count, such as the folder
	// the site is built into when it lies inside the site folder.
	Ignore []string
}

// Watch starts watching site.toml, content/, layouts/ and static/ under root,
// including folders made after the start, until ctx is done. Missing parts
// are fine: they are watched from the moment they appear.
func Watch(ctx context.Context, root string, opts WatchOptions) (*Watcher, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	fw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, err
	}
	w := &Watcher{
		root:  abs,
		quiet: opts.Quiet,
		fw:    fw,
		out:   make(chan []string),
		done:  make(chan struct{}),
	}
	if w.quiet <= 0 {
		w.quiet = DefaultQuiet
	}
	for _, p := range opts.Ignore {
		if a, err := filepath.Abs(p); err == nil {
			w.ignore = append(w.ignore, a)
		}
	}
	// The site folder itself is watched, not site.toml, because saving by
	// rename replaces the file and a watch on the old one would go quiet.
	if err := fw.Add(abs); err != nil {
		fw.Close()
		return nil, err
	}
	for _, name := range []string{"content", "layouts", "static"} {
		w.addTree(filepath.Join(abs, name), nil)
	}
	go w.loop(ctx)
	return w, nil
}

// Changes delivers the batches; it is closed when the watcher stops.
func (w *Watcher) Changes() <-chan []string { return w.out }

// Done is closed once the watcher has stopped and released its watches.
func (w *Watcher) Done() <-chan struct{} { return w.done }

func (w *Watcher) loop(ctx context.Context) {
	defer close(w.done)
	defer close(w.out)
	defer w.fw.Close()
	// pending maps each changed path to whether the burst created it: a
	// path created and gone again by the burst's end (an editor's
	// temporary file, renamed over the real one) is no change.
	pending := map[string]bool{}
	lost := false
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	var ready []string // the batch on offer, nil while the burst goes on
	offer := false
	for {
		var out chan<- []string
		if offer {
			out = w.out
		}
		select {
		case <-ctx.Done():
			timer.Stop()
			return
		case ev, ok := <-w.fw.Events:
			if !ok {
				return
			}
			if w.handle(ev, pending) {
				offer, ready = false, nil
				timer.Reset(w.quiet)
			}
		case err, ok := <-w.fw.Errors:
			if !ok {
				return
			}
			// An overflowing kernel queue (fsnotify.ErrEventOverflow) drops
			// events: nothing is known any more about what changed.
			if err != nil {
				lost = true
				offer, ready = false, nil
				timer.Reset(w.quiet)
			}
		case <-timer.C:
			ready = nil
			if !lost {
				for p, born := range pending {
					if born && !w.exists(p) {
						continue
					}
					ready = append(ready, p)
				}
				sort.Strings(ready)
				if len(ready) == 0 {
					pending = map[string]bool{}
				}
			}
			offer = lost || len(ready) > 0
		case out <- ready:
			pending = map[string]bool{}
			lost, offer, ready = false, false, nil
		}
	}
}

// handle records one event and reports whether it counts as a change.
func (w *Watcher) handle(ev fsnotify.Event, pending map[string]bool) bool {
	if ev.Op == fsnotify.Chmod {
		return false // touch, permissions: the content is the same
	}
	rel, ok := w.relevant(ev.Name)
	if !ok {
		return false
	}
	if ev.Op.Has(fsnotify.Create) {
		if fi, err := os.Lstat(ev.Name); err == nil && fi.IsDir() {
			// Files may land in a new folder before its watch is in place:
			// count what is already there.
			w.addTree(ev.Name, pending)
		}
	}
	if ev.Op.Has(fsnotify.Rename) || ev.Op.Has(fsnotify.Remove) {
		// A folder moved away keeps no watch of its own under its old name;
		// the error for a plain file is expected.
		_ = w.fw.Remove(ev.Name)
	}
	if _, seen := pending[rel]; !seen {
		pending[rel] = ev.Op.Has(fsnotify.Create)
	}
	return true
}

// exists reports whether the slash path rel under the site folder exists.
func (w *Watcher) exists(rel string) bool {
	_, err := os.Lstat(filepath.Join(w.root, filepath.FromSlash(rel)))
	return err == nil
}

// relevant returns the slash path of name relative to the site folder when
// a change to it matters.
func (w *Watcher) relevant(name string) (string, bool) {
	for _, ig := range w.ignore {
		if name == ig || strings.HasPrefix(name, ig+string(filepath.Separator)) {
			return "", false
		}
	}
	rel, err := filepath.Rel(w.root, name)
	if err != nil || rel == "." || strings.HasPrefix(rel, "..") {
		return "", false
	}
	rel = filepath.ToSlash(rel)
	parts := strings.Split(rel, "/")
	// Only these entries of a site folder make the site; anything else
	// there (public/, .git/, notes) is left alone.
	switch parts[0] {
	case "content", "layouts", "static":
	case "site.toml":
		if len(parts) > 1 {
			return "", false
		}
	default:
		return "", false
	}
	for _, p := range parts {
		if Ignored(p) {
			return "", false
		}
	}
	return rel, true
}

// Ignored reports whether a file or folder name is one that editors and
// tools leave behind while saving (swap files, backups, temporary copies,
// lock files), whose changes never call for a rebuild.
func Ignored(name string) bool {
	switch {
	case name == "":
		return true
	case strings.HasPrefix(name, "."), strings.HasPrefix(name, "#"):
		return true
	case strings.HasSuffix(name, "~"):
		return true
	case name == "4913": // vim's test that a folder is writable
		return true
	}
	ext := strings.ToLower(filepath.Ext(name))
	switch ext {
	case ".swp", ".swx", ".swo", ".tmp", ".temp", ".bak", ".crdownload", ".part":
		return true
	}
	return false
}

// addTree watches dir and every folder under it. With pending set, the
// files found are recorded as changed: they appeared with the folder.
func (w *Watcher) addTree(dir string, pending map[string]bool) {
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil // vanished meanwhile, or unreadable: nothing to watch
		}
		rel, ok := w.relevant(p)
		if !ok {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			_ = w.fw.Add(p) // a folder gone meanwhile needs no watch
		}
		if _, seen := pending[rel]; pending != nil && !seen {
			pending[rel] = true // born with the folder
		}
		return nil
	})
}
