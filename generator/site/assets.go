package site

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"path"
	"sort"
	"strings"

	"sxsh/generator/diag"
	"sxsh/generator/picture"
)

// StaticDir is the site folder whose files are copied into the output.
const StaticDir = "static"

// asset is one file of static/, as it will be written.
type asset struct {
	src  string // "css/site.css", relative to static/
	out  string // "css/site.3f2a9c1b.css"
	data []byte
	sum  uint64 // of data, for comparing with the last build's; 0 outside one
}

// fingerprinted lists the extensions whose output names carry a hash of
// their content, so that a web server can let browsers keep them a year.
var fingerprinted = map[string]bool{".css": true, ".js": true}

// loadAssets reads the embedded static files and the site's own over them,
// minifies what can be minified and names CSS and JS by their content.
func (b *builder) loadAssets(defaults, site fs.FS) diag.List {
	var errs diag.List
	files := map[string][]byte{}
	for _, fsys := range []fs.FS{defaults, site} {
		if fsys == nil {
			continue
		}
		err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() || strings.HasPrefix(d.Name(), ".") {
				return nil
			}
			data, err := fs.ReadFile(fsys, p)
			if err != nil {
				return err
			}
			files[p] = data
			return nil
		})
		if err != nil && !isNotExist(err) {
			errs.Add(diag.Errorf(StaticDir, 0, 0, "cannot read static files: %v", err))
		}
	}
	names := make([]string, 0, len(files))
	for p := range files {
		names = append(names, p)
	}
	sort.Strings(names)
	b.assets = map[string]*asset{}
	for _, p := range names {
		// A photo is published without where and with what it was taken.
		data := picture.Clean(p, files[p])
		ext := path.Ext(p)
		if mt := mediaType(ext); mt != "" && !strings.HasSuffix(p, ".min"+ext) {
			min, err := b.min.Bytes(mt, data)
			if err != nil {
				errs.Add(diag.Errorf(StaticDir+"/"+p, 0, 0, "cannot minify: %v", err))
				continue
			}
			data = min
		}
		out := p
		if fingerprinted[ext] {
			sum := sha256.Sum256(data)
			out = strings.TrimSuffix(p, ext) + "." + hex.EncodeToString(sum[:4]) + ext
		}
		a := &asset{src: p, out: out, data: data}
		if b.mem != nil {
			a.sum = dataSum(data)
		}
		b.assets[p] = a
	}
	return errs
}

func isNotExist(err error) bool { return errors.Is(err, fs.ErrNotExist) }
