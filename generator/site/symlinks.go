package site

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"strings"
	"time"

	"sxsh/generator/config"
	"sxsh/generator/content"
	"sxsh/generator/diag"
	"sxsh/generator/layout"
)

// sourceRoots are what a build reads of the site directory.
var sourceRoots = [...]string{config.File, content.Dir, layout.Dir, StaticDir}

// scanSources walks the site's sources once, before anything is read. It
// reports the symbolic links a build must not follow: one that leads
// outside the site directory (a static/leak.txt -> /etc/passwd would be
// published), one that loops or leads nowhere, and one to a folder, which
// the build would not walk; a link to a file inside the site is fine. With
// withStamps set it also stamps every file, for the build record, or
// returns nil stamps when one cannot be stamped. fsys holds links only if it
// implements fs.ReadLinkFS (os.DirFS does); dir is its real path on disk,
// or "", which then allows only relative links.
//
// tags are the stamps of the content files that the next build may trust
// to say a file is as this one read it, by path: files, not links (a
// link's stamp is not its target's), that last changed before the build
// by settled or more (see stamp.settledBy).
func scanSources(fsys fs.FS, dir string, withStamps bool) (stamps map[string]stamp, tags map[string]string, errs diag.List) {
	_, links := fsys.(fs.ReadLinkFS)
	if withStamps {
		stamps, tags = map[string]stamp{}, map[string]string{}
	}
	began := time.Now()
	// check reports the link at p; a root folder may be a link to a folder.
	check := func(p string, root bool) bool {
		to, err := resolveLink(fsys, dir, p)
		if err != nil {
			errs.Add(diag.Errorf(p, 0, 0, "%v", err))
			return false
		}
		if fi, err := fs.Stat(fsys, to); err == nil && fi.IsDir() && !root {
			errs.Add(diag.Errorf(p, 0, 0, "is a link to the folder %s: sxsh follows links to files only (move the folder here, or link each file)", to))
			return false
		}
		return true
	}
	for _, root := range sourceRoots {
		fi, err := fs.Lstat(fsys, root) // Stat where fsys has no links
		if err != nil {
			continue // a missing folder is the loaders' to report
		}
		if links && fi.Mode()&fs.ModeSymlink != 0 && !check(root, true) {
			continue
		}
		_ = fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				errs.Add(diag.Errorf(p, 0, 0, "cannot read: %v", err))
				return nil
			}
			if links && p != root && d.Type()&fs.ModeSymlink != 0 {
				check(p, false)
			}
			if stamps != nil && !d.IsDir() {
				st, err := stampOf(fsys, p, d)
				if err != nil {
					stamps, tags = nil, nil // the record then only marks the folder as sxsh's
					return nil
				}
				stamps[pathKey(p)] = st
				if root == content.Dir && d.Type().IsRegular() && st.settledBy(began) {
					tags[p] = st.tag()
				}
			}
			return nil
		})
	}
	return stamps, tags, errs
}

// maxLinks is how many links one path may pass through, as in Linux.
const maxLinks = 40

// resolveLink follows the slash path name through fsys one element at a
// time, as the operating system would, and returns the path it ends at. It
// fails when the path leaves fsys, loops, or leads to nothing. An absolute
// link is followed when it leads into dir, fsys's real path on disk.
func resolveLink(fsys fs.FS, dir, name string) (string, error) {
	todo := strings.Split(name, "/")
	var done []string // the resolved elements, none of them a link
	target := ""      // the last link's target, for messages
	for hops := 0; len(todo) > 0; {
		elem := todo[0]
		todo = todo[1:]
		switch elem {
		case "", ".":
			continue
		case "..":
			if len(done) == 0 {
				return "", fmt.Errorf("is a link to %s, outside the site directory: sxsh publishes only files inside it (copy the file into the site instead)", target)
			}
			done = done[:len(done)-1]
			continue
		}
		cur := path.Join(append(done, elem)...)
		fi, err := fs.Lstat(fsys, cur)
		if errors.Is(err, fs.ErrNotExist) {
			return "", fmt.Errorf("is a link to %s, which does not exist (remove the link or point it at a file)", target)
		}
		if err != nil {
			return "", err
		}
		if fi.Mode()&fs.ModeSymlink == 0 {
			done = append(done, elem)
			continue
		}
		if hops++; hops > maxLinks {
			return "", fmt.Errorf("is a link that leads back to itself (a loop through %s): remove it or point it at a file", cur)
		}
		if target, err = fs.ReadLink(fsys, cur); err != nil {
			return "", err
		}
		next := target
		if filepath.IsAbs(target) || path.IsAbs(filepath.ToSlash(target)) {
			rel, err := filepath.Rel(dir, target)
			if dir == "" || err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
				return "", fmt.Errorf("is a link to %s, outside the site directory: sxsh publishes only files inside it (copy the file into the site instead)", target)
			}
			next, done = rel, nil
		}
		todo = append(strings.Split(filepath.ToSlash(next), "/"), todo...)
	}
	return path.Join(done...), nil
}
