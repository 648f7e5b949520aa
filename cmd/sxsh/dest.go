package main

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"sxsh/generator/config"
	"sxsh/generator/content"
	"sxsh/generator/layout"
	"sxsh/generator/site"
)

// sourceDir is a folder of a site directory that holds the editor's work,
// with what it holds, for messages.
type sourceDir struct{ name, holds string }

var sourceDirs = [...]sourceDir{
	{content.Dir, "the articles and records"},
	{layout.Dir, "the templates"},
	{site.StaticDir, "the images, PDFs and styles"},
}

// publishDir resolves the folder a build replaces and refuses one whose
// replacement would lose work: the site directory, a folder holding it, a
// folder in content/, layouts/ or static/, and (without force) a folder of
// files that sxsh did not publish. It returns the folder's real path, links
// resolved, so that the build replaces what the link points to and never
// the link. src is the real path of the site directory source.
func publishDir(source, src, dest string, force bool) (string, error) {
	real, err := realPath(dest)
	if err != nil {
		return "", usagef("build: --destination %s: %v", dest, err)
	}
	instead := "Leave --destination out to publish into " + filepath.Join(source, "public") + string(filepath.Separator) + ", or name a new folder outside the site's content/, layouts/ and static/."
	switch {
	case real == src:
		return "", usagef("build: --destination %s is the site directory itself: the build would replace site.toml, content/, layouts/ and static/ with the built site.\n%s", dest, instead)
	case within(src, real):
		return "", usagef("build: --destination %s holds the site directory %s: the build would replace it, and the site's sources with it.\n%s", dest, src, instead)
	case real == filepath.Dir(real):
		return "", usagef("build: --destination %s is the root of the file system: the build would replace everything on it.\n%s", dest, instead)
	}
	if home, err := os.UserHomeDir(); err == nil {
		if h, err := realPath(home); err == nil && (real == h || within(real, h)) {
			return "", usagef("build: --destination %s is or holds your home folder %s: the build would replace it.\n%s", dest, home, instead)
		}
	}
	if d, ok := inSources(src, real); ok {
		return "", usagef("build: --destination %s is in %s/, which holds %s: the build would replace %s with the built site.\n%s",
			dest, d.name, d.holds, dest, instead)
	}
	fi, err := os.Stat(real)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return real, nil
	case err != nil:
		return "", usagef("build: --destination %s: %v", dest, err)
	case !fi.IsDir():
		return "", usagef("build: --destination %s is a file, not a folder: the build would replace it. Name a folder.", dest)
	}
	if force || site.HasRecord(real) {
		return real, nil
	}
	empty, err := isEmpty(real)
	if err != nil {
		return "", usagef("build: --destination %s: %v", dest, err)
	}
	if !empty {
		return "", usagef("build: --destination %s holds files that sxsh did not publish (it has no %s): the build would replace the folder and everything in it.\n"+
			"Name a new or empty folder, or add --force if %s may be replaced whole.", dest, site.RecordFile, dest)
	}
	return real, nil
}

// inSources tells which source folder of the site directory src the real
// path p lies in, if any.
func inSources(src, p string) (sourceDir, bool) {
	for _, d := range sourceDirs {
		if dir := filepath.Join(src, d.name); p == dir || within(p, dir) {
			return d, true
		}
	}
	return sourceDir{}, false
}

// notASource refuses a file that a flag would write when it is one of the
// site's own: site.toml, or anything in content/, layouts/ or static/. src
// is the real path of the site directory.
func notASource(src, file, flag string) error {
	real, err := realPath(file)
	if err != nil {
		return usagef("%s %s: %v", flag, file, err)
	}
	if d, ok := inSources(src, real); ok {
		return usagef("%s %s is in %s/, which holds %s: sxsh will not write there. Name a file outside the site's sources.", flag, file, d.name, d.holds)
	}
	if real == filepath.Join(src, config.File) || real == src {
		return usagef("%s %s is the site's own %s: sxsh will not write over it. Name another file.", flag, file, filepath.Base(real))
	}
	return nil
}

// openSite opens the site directory source for command cmd, and returns
// its real path too.
func openSite(cmd, source string) (fs.FS, string, error) {
	if fi, err := os.Stat(source); err != nil || !fi.IsDir() {
		return nil, "", usagef("%s: --source %s is not a folder", cmd, source)
	}
	dir, err := realPath(source)
	if err != nil {
		return nil, "", usagef("%s: --source %s: %v", cmd, source, err)
	}
	return os.DirFS(source), dir, nil
}

// realPath makes p absolute and resolves its links. The part of p that does
// not exist yet is kept as it is, below the real path of the part that does;
// a link to a folder not made yet resolves to where that folder will be.
func realPath(p string) (string, error) { return resolvePath(p, 0) }

func resolvePath(p string, links int) (string, error) {
	if links > 40 {
		return "", errors.New("too many levels of symbolic links")
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	var rest []string
	for dir := abs; ; dir = filepath.Dir(dir) {
		real, err := filepath.EvalSymlinks(dir)
		if err == nil {
			return filepath.Join(append([]string{real}, rest...)...), nil
		}
		if !errors.Is(err, fs.ErrNotExist) || dir == filepath.Dir(dir) {
			return "", err
		}
		if target, err := os.Readlink(dir); err == nil {
			if !filepath.IsAbs(target) {
				target = filepath.Join(filepath.Dir(dir), target)
			}
			return resolvePath(filepath.Join(append([]string{target}, rest...)...), links+1)
		}
		rest = append([]string{filepath.Base(dir)}, rest...)
	}
}

// within reports whether the clean absolute path p lies below dir.
func within(p, dir string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != "." && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// isEmpty reports whether the folder dir has no entries.
func isEmpty(dir string) (bool, error) {
	f, err := os.Open(dir)
	if err != nil {
		return false, err
	}
	defer f.Close()
	_, err = f.Readdirnames(1)
	if err == io.EOF {
		return true, nil
	}
	return false, err
}
