// Package sxsh carries the default layouts and static files that the sxsh
// command builds every site with. The repository root is itself a site (the
// example site), so these are the same files it uses; a site's own layouts/
// and static/ override them file by file.
package sxsh

import (
	"embed"
	"io/fs"
)

//go:embed layouts
var layouts embed.FS

//go:embed static/css static/js static/theme
var static embed.FS

// Layouts returns the default templates, rooted at layouts/.
func Layouts() fs.FS { return mustSub(layouts, "layouts") }

// Static returns the default static files, rooted at static/.
func Static() fs.FS { return mustSub(static, "static") }

func mustSub(f embed.FS, dir string) fs.FS {
	s, err := fs.Sub(f, dir)
	if err != nil {
		panic(err) // the directory is embedded above; this cannot fail
	}
	return s
}
