package site

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"sxsh/generator/config"
	"sxsh/generator/content"
	"sxsh/generator/layout"
)

// A build records what it was made from beside its destination, so that
// the next build of an unchanged site can leave the published folder as it
// is: its output would be the same, byte for byte. Telling so must cost a
// small part of a build, so the record compares the site's files by size
// and modification time (by content where a file system has no times), as
// make does, rather than reading them. The record lives outside the
// published folder, next to the temporary folders builds use.
type buildRecord struct {
	Options string           `json:"options"` // the sxsh build and the build's options
	Inputs  map[string]stamp `json:"inputs"`  // every file of the site directory
	Now     time.Time        `json:"now"`     // the build time the output was made at
	// Instants are the dates in the content (publish, expiry, airings)
	// after Now: the output changes when the clock passes one.
	Instants []time.Time      `json:"instants"`
	Files    map[string]int64 `json:"files"` // output path → size
}

// stamp is what tells a file changed.
type stamp struct {
	Size int64  `json:"s"`
	Mod  int64  `json:"m,omitempty"` // modification time, Unix nanoseconds
	Sum  string `json:"h,omitempty"` // content hash where there is no time
}

func recordPath(dest string) string {
	abs, err := filepath.Abs(dest)
	if err != nil {
		abs = dest
	}
	return filepath.Join(filepath.Dir(abs), "."+filepath.Base(abs)+".sxsh-build.json")
}

// optionsKey identifies what, besides the site's files, decides the output.
func optionsKey(o Options) string {
	return fmt.Sprintf("v1 %s %q %v", o.Version, o.BaseURL, o.Drafts)
}

// inputs stamps every file of the site directory that a build reads.
func inputs(src fs.FS) (map[string]stamp, error) {
	out := map[string]stamp{}
	for _, root := range []string{config.File, content.Dir, layout.Dir, StaticDir} {
		err := fs.WalkDir(src, root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				if p == root && isNotExist(err) {
					return nil
				}
				return err
			}
			if d.IsDir() {
				return nil
			}
			info, err := d.Info()
			if err != nil {
				return err
			}
			st := stamp{Size: info.Size()}
			if mt := info.ModTime(); !mt.IsZero() {
				st.Mod = mt.UnixNano()
			} else {
				data, err := fs.ReadFile(src, p)
				if err != nil {
					return err
				}
				sum := sha256.Sum256(data)
				st.Sum = hex.EncodeToString(sum[:])
			}
			out[p] = st
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
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

// upToDate reports whether the destination holds exactly what a build
// with these options and inputs would write now.
func upToDate(o Options, in map[string]stamp) bool {
	data, err := os.ReadFile(recordPath(o.Destination))
	if err != nil {
		return false
	}
	var rec buildRecord
	if json.Unmarshal(data, &rec) != nil || rec.Options != optionsKey(o) || len(rec.Inputs) != len(in) {
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
	seen := 0
	err = filepath.WalkDir(o.Destination, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(o.Destination, p)
		info, err := d.Info()
		if err != nil {
			return err
		}
		if size, ok := rec.Files[filepath.ToSlash(rel)]; !ok || size != info.Size() {
			return fmt.Errorf("%s changed", rel)
		}
		seen++
		return nil
	})
	return err == nil && seen == len(rec.Files)
}

// saveRecord writes the record of a finished build. Failing to costs only
// the next build its shortcut, so it is not an error.
func (o *output) saveRecord(opts Options, in map[string]stamp, s *content.Site) {
	if in == nil {
		return
	}
	rec := buildRecord{Options: optionsKey(opts), Inputs: in, Now: opts.Now, Instants: instants(s, opts.Now), Files: o.sizes}
	data, err := json.Marshal(rec)
	if err != nil {
		return
	}
	tmp := recordPath(o.dest) + ".tmp"
	if os.WriteFile(tmp, data, 0o644) == nil {
		_ = os.Rename(tmp, recordPath(o.dest))
	}
}

// forgetRecord removes the record before the destination changes, so that
// a build interrupted mid-swap is never taken as up to date.
func forgetRecord(dest string) { _ = os.Remove(recordPath(dest)) }
