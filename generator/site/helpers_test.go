package site

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	stdhtml "html"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/tdewolff/parse/v2"
	"github.com/tdewolff/parse/v2/html"

	"sxsh"
	"sxsh/generator/testenv"
)

// txtar turns a txtar-style archive ("-- name --" lines, each followed by
// the file's content) into a site directory.
func txtar(archive string) fstest.MapFS { return testenv.Txtar(archive) }

// testNow is the build time of tests, so that dates compare the same way
// whenever the tests run.
var testNow = time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)

func build(t *testing.T, src fs.FS, dest string, mod func(*Options)) (*Result, error) {
	t.Helper()
	o := Options{Source: src, Defaults: defaults(), Destination: dest, Now: testNow}
	if mod != nil {
		mod(&o)
	}
	return Build(context.Background(), o)
}

// mustBuild builds and fails the test on any error.
func mustBuild(t *testing.T, src fs.FS, mod func(*Options)) string {
	t.Helper()
	dest := filepath.Join(t.TempDir(), "public")
	if _, err := build(t, src, dest, mod); err != nil {
		t.Fatalf("build failed:\n%v", err)
	}
	return dest
}

func read(t *testing.T, dest, rel string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dest, filepath.FromSlash(rel)))
	if err != nil {
		t.Fatalf("%s: %v", rel, err)
	}
	return string(b)
}

// files lists every file under dir as slash paths.
func files(t *testing.T, dir string, ext string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(p, ext) {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

// treeHash hashes every file's path and content under dir, but for the
// build record, which differs from build to build.
func treeHash(t *testing.T, dir string) string {
	t.Helper()
	h := sha256.New()
	files := readTree(t, dir)
	for _, f := range slices.Sorted(maps.Keys(files)) {
		if f == RecordFile {
			continue
		}
		h.Write([]byte(f + "\x00"))
		h.Write(files[f].data)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// tree is an output folder as read: its files by slash path.
type tree map[string]treeFile

type treeFile struct {
	data []byte
	info os.FileInfo
}

// readTree reads every file under dir. Each file is opened once and its
// information taken from the open file: under go test, the test binary
// logs each file it opens or stats for the test cache, and the go command
// checks every line of that log afterwards, which the equivalence tests'
// hundreds of thousands of lines made cost many seconds.
func readTree(t *testing.T, dir string) tree {
	t.Helper()
	out, err := loadTree(dir)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func loadTree(dir string) (tree, error) {
	out := tree{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		info, err := f.Stat()
		if err != nil {
			return err
		}
		// Sized from the open file, as os.ReadFile does, rather than
		// grown from a few hundred bytes.
		var data bytes.Buffer
		data.Grow(int(info.Size()) + bytes.MinRead)
		_, err = data.ReadFrom(f)
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = treeFile{data.Bytes(), info}
		return err
	})
	return out, err
}

// tag is one start tag of an HTML document.
type tag struct {
	name  string
	attrs map[string]string
}

// tags lexes an HTML document into its start tags, with raw text of
// script elements kept under the pseudo-attribute "#text".
func tags(doc string) []tag {
	l := html.NewLexer(parse.NewInput(bytes.NewReader([]byte(doc))))
	var out []tag
	var cur *tag
	for {
		tt, data := l.Next()
		switch tt {
		case html.ErrorToken:
			return out
		case html.StartTagToken:
			out = append(out, tag{name: strings.ToLower(string(l.Text())), attrs: map[string]string{}})
			cur = &out[len(out)-1]
		case html.AttributeToken:
			if cur != nil {
				v := string(l.AttrVal())
				v = strings.Trim(v, `"'`)
				cur.attrs[strings.ToLower(string(l.AttrKey()))] = stdhtml.UnescapeString(v)
			}
		case html.StartTagCloseToken, html.StartTagVoidToken:
			cur = nil
		case html.TextToken:
			if n := len(out); n > 0 && out[n-1].name == "script" {
				out[n-1].attrs["#text"] += string(data)
			}
		}
	}
}

// find returns the tags with the name whose attributes include all of the
// given key/value pairs.
func find(ts []tag, name string, kv ...string) []tag {
	var out []tag
next:
	for _, t := range ts {
		if t.name != name {
			continue
		}
		for i := 0; i+1 < len(kv); i += 2 {
			if t.attrs[kv[i]] != kv[i+1] {
				continue next
			}
		}
		out = append(out, t)
	}
	return out
}

func repoRoot() fs.FS { return os.DirFS("../..") }

func exampleBuildDir() (string, error) {
	dir, err := os.MkdirTemp("", "sxsh-example-")
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "public"), nil
}

func defaults() Defaults { return Defaults{Layouts: sxsh.Layouts(), Static: sxsh.Static()} }
