package site

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"encoding/binary"
	"encoding/gob"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"sxsh/generator/search"
)

// A plain sxsh build keeps two trees: the published one, and beside it the
// standby, the tree the build before published. Each has a memory (see
// memory) in a file beside the destination, named by an ID its build
// record carries. The next build brings the standby up to date in place,
// drawing only the outputs whose signatures differ from the standby's
// memory (the changes of the last two builds), and exchanges it with the
// published tree in one step: the files it writes follow the change, not
// the size of the site, and readers see one whole tree or the other. The
// memory files are not published: at 10,000 articles each holds about
// 200 MB, most of it search analyses.
//
// A standby whose record is missing, whose files do not have the sizes its
// record says, or whose memory is damaged or another's, is not used: the
// build writes a new tree, and the tree it replaces becomes the standby.

// memoryFormat changes whenever storedMemory or what its signatures cover
// does; a memory of another format is not used.
const memoryFormat = 12

// memoryTable is the CRC-32C table of memory files.
var memoryTable = crc32.MakeTable(crc32.Castagnoli)

// A memory file is the search analyses (most of its bytes) back to back,
// then the gob of a storedMemory, then the content files as the build read
// them (content.Cache.Save), then the CRC-32C of all that, big-endian (it
// finds damage; it is no guard against a forger, who could as well write
// the published tree):
//
//	{ uvarint(len(file)) file uvarint(len(data)) data }… uvarint(0)
//	uvarint(len(gob)) gob
//	uvarint(len(pages)) pages
//	crc32c
//
// The analyses and pages are read in place: each is a slice of the file's
// bytes.

// storedMemory is the part of a memory that gob encodes.
type storedMemory struct {
	Format     int
	Analysis   int // search.AnalysisVersion
	ID         string
	Outputs    map[string]storedRec
	Summary    map[string]string
	Assets     map[string]storedAsset
	LinkSig    uint64
	SearchSigs map[string]uint64
	Search     []string
	SearchSums map[string]uint64
	PagesKey   uint64 // see memory.pagesKey
}

type storedRec struct {
	Base, DepSig, CatSig uint64
	Deps                 []string
	Catalog              bool
}

type storedAsset struct {
	Out string
	Sum uint64
}

// memoryPath is the file of the memory id, beside the destination dest.
func memoryPath(dest, id string) string {
	return filepath.Join(filepath.Dir(dest), memoryPrefix(dest)+id)
}

func memoryPrefix(dest string) string { return "." + filepath.Base(dest) + ".sxsh-memory-" }

// removeLeftovers deletes the folders that builds of dest make beside it
// and rename or delete when they end (a new tree, a standby being linked):
// any still there belong to a build that was stopped.
func removeLeftovers(dest string) {
	abs, err := filepath.Abs(dest)
	if err != nil {
		return
	}
	for _, final := range []string{abs, standbyPath(abs)} {
		dirs, _ := filepath.Glob(filepath.Join(filepath.Dir(final), newTreePrefix(final)+"*"))
		for _, d := range dirs {
			os.RemoveAll(d)
		}
	}
}

// newTreePrefix begins the name of the folders a build makes beside the
// folder final, to rename one of them to final when it is complete:
// ".public.new-…" for public, ".public.sxsh-standby.new-…" for its standby.
func newTreePrefix(final string) string {
	base := filepath.Base(final)
	if !strings.HasPrefix(base, ".") {
		base = "." + base
	}
	return base + ".new-"
}

// lockPath is the file whose lock a build of dest holds.
func lockPath(dest string) string {
	return filepath.Join(filepath.Dir(dest), "."+filepath.Base(dest)+".sxsh-lock")
}

// standbyPath is the standby folder of the destination dest.
func standbyPath(dest string) string {
	return filepath.Join(filepath.Dir(dest), "."+filepath.Base(dest)+".sxsh-standby")
}

// loadStandby returns the record and the memory of the standby of dest,
// or nils when the build cannot trust them; published is the record of
// dest itself, nil if none. After the first build there is no standby
// yet: one is made of hard links to the published tree, which costs a
// link per file rather than a whole build.
func loadStandby(dest string, published *buildRecord) (*buildRecord, *memory) {
	standby := standbyPath(dest)
	rec := readRecord(standby)
	if rec == nil {
		if _, err := os.Lstat(standby); !errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		if rec = published; rec == nil || rec.Memory == "" || !treeMatches(dest, rec.Files) || linkTree(dest, standby) != nil {
			return nil, nil
		}
	} else if rec.Memory == "" || !treeMatches(standby, rec.Files) {
		return nil, nil
	}
	m := loadMemory(dest, rec)
	if m == nil {
		return nil, nil
	}
	return rec, m
}

// linkTree makes the folder to, which must not exist, a copy of the tree
// from by hard links. The copy shares the files' data with from, which is
// safe because a build in place replaces a file by renaming a new one over
// it and never writes into one.
func linkTree(from, to string) error {
	tmp, err := os.MkdirTemp(filepath.Dir(to), newTreePrefix(to))
	if err != nil {
		return err
	}
	err = filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		switch {
		case rel == ".":
			return os.Chmod(tmp, 0o755)
		case d.IsDir():
			return os.Mkdir(filepath.Join(tmp, rel), 0o755)
		}
		return os.Link(p, filepath.Join(tmp, rel))
	})
	if err == nil {
		err = os.Rename(tmp, to)
	}
	if err != nil {
		os.RemoveAll(tmp)
	}
	return err
}

// standbyOutput returns the output that brings the standby of dest up to
// date in place, as rec describes it, and then exchanges it with dest.
func standbyOutput(dest string, rec *buildRecord) (*output, error) {
	standby := standbyPath(dest)
	fail := func(err error) (*output, error) {
		return nil, fmt.Errorf("cannot update %s, the copy of the site a build updates and swaps in: %v (delete that folder: the next build makes a new one)", standby, err)
	}
	// Until it is whole again, the standby is no build's.
	if err := os.Remove(filepath.Join(standby, RecordFile)); err != nil {
		return fail(err)
	}
	out, err := inPlace(standby)
	if err != nil {
		return fail(err)
	}
	if out.swapWith, err = filepath.Abs(dest); err != nil {
		return fail(err)
	}
	out.sizes = maps.Clone(rec.Files)
	return out, nil
}

// newMemoryID makes the ID that ties a memory to its tree.
func newMemoryID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// loadMemory returns the memory of the tree whose record is rec, kept
// beside dest, or nil when there is none this build can trust: no memory,
// a damaged one, another format or another tree's.
func loadMemory(dest string, rec *buildRecord) *memory {
	if rec == nil || rec.Memory == "" || strings.ContainsAny(rec.Memory, `/\.`) {
		return nil
	}
	data, err := os.ReadFile(memoryPath(dest, rec.Memory))
	if err != nil || len(data) < crc32.Size {
		return nil
	}
	// A damaged memory could still decode, into wrong summaries or
	// signatures: the checksum at its end tells.
	body, sum := data[:len(data)-crc32.Size], data[len(data)-crc32.Size:]
	if binary.BigEndian.Uint32(sum) != crc32.Checksum(body, memoryTable) {
		return nil
	}
	m := newMemory()
	rest := body
	for {
		var file, a []byte
		var ok bool
		if file, rest, ok = cut(rest); !ok {
			return nil
		}
		if len(file) == 0 {
			break
		}
		if a, rest, ok = cut(rest); !ok {
			return nil
		}
		m.analyzed.Store(string(file), a)
	}
	part, rest, ok := cut(rest)
	var st storedMemory
	if !ok || gob.NewDecoder(bytes.NewReader(part)).Decode(&st) != nil || st.Format != memoryFormat || st.Analysis != search.AnalysisVersion || st.ID != rec.Memory {
		return nil
	}
	if m.pagesData, rest, ok = cut(rest); !ok || len(rest) != 0 {
		return nil
	}
	m.pagesKey = st.PagesKey
	m.outputs = make(map[string]*outRec, len(st.Outputs))
	for rel, r := range st.Outputs {
		m.outputs[rel] = &outRec{base: r.Base, deps: r.Deps, depSig: r.DepSig, catalog: r.Catalog, catSig: r.CatSig}
	}
	for file, s := range st.Summary {
		m.summary.Store(file, s)
	}
	m.oldAssets = make(map[string]*asset, len(st.Assets))
	for src, a := range st.Assets {
		m.oldAssets[src] = &asset{src: src, out: a.Out, sum: a.Sum}
	}
	m.linkSig, m.searchSigs = st.LinkSig, st.SearchSigs
	m.search = make(map[string]bool, len(st.Search))
	for _, rel := range st.Search {
		m.search[rel] = true
	}
	for rel, sum := range st.SearchSums {
		m.searchSums[rel] = sum
	}
	m.tree = true
	return m
}

// cut reads a uvarint length and as many bytes from b.
func cut(b []byte) (field, rest []byte, ok bool) {
	n, k := binary.Uvarint(b)
	if k <= 0 || n > uint64(len(b)-k) {
		return nil, nil, false
	}
	return b[k : k+int(n)], b[k+int(n):], true
}

// memWriter writes a memory file: the analyses as the render workers make
// them, so that a full build keeps none of them in memory, then the rest.
type memWriter struct {
	id  string
	f   *os.File
	mu  sync.Mutex
	w   *bufio.Writer
	h   hash.Hash
	out io.Writer
	err error
}

// newMemWriter starts the memory file of the build of id, beside dest;
// commitMemory names it for its ID once the tree is published.
func newMemWriter(dest, id string) (*memWriter, error) {
	f, err := os.Create(memoryPath(dest, id) + ".new")
	if err != nil {
		return nil, err
	}
	mw := &memWriter{id: id, f: f, w: bufio.NewWriterSize(f, 1<<20), h: crc32.New(memoryTable)}
	mw.out = io.MultiWriter(mw.w, mw.h)
	return mw, nil
}

func (mw *memWriter) put(b []byte) {
	if mw.err == nil {
		_, mw.err = mw.out.Write(binary.AppendUvarint(nil, uint64(len(b))))
	}
	if mw.err == nil {
		_, mw.err = mw.out.Write(b)
	}
}

// analysis writes the encoded search analysis of a source file.
func (mw *memWriter) analysis(file string, data []byte) {
	mw.mu.Lock()
	defer mw.mu.Unlock()
	mw.put([]byte(file))
	mw.put(data)
}

// finish writes the analyses m holds (a build that wrote them as it went,
// with analysis, holds none), then the rest of m, and returns the file's
// path. When it fails, the file is gone.
func (mw *memWriter) finish(m *memory) (string, error) {
	m.analyzed.Range(func(k, v any) bool {
		mw.analysis(k.(string), v.([]byte))
		return mw.err == nil
	})
	mw.put(nil) // an empty name ends the analyses
	st := storedMemory{Format: memoryFormat, Analysis: search.AnalysisVersion, ID: mw.id, Outputs: make(map[string]storedRec, len(m.outputs)),
		Summary: map[string]string{}, Assets: make(map[string]storedAsset, len(m.assets)),
		LinkSig: m.linkSig, SearchSigs: m.searchSigs, SearchSums: map[string]uint64{}, PagesKey: m.pagesKey}
	for rel, r := range m.outputs {
		st.Outputs[rel] = storedRec{Base: r.base, Deps: r.deps, DepSig: r.depSig, Catalog: r.catalog, CatSig: r.catSig}
	}
	m.summary.Range(func(k, v any) bool {
		st.Summary[k.(string)] = v.(string)
		return true
	})
	for src, a := range m.assets {
		st.Assets[src] = storedAsset{Out: a.out, Sum: a.sum}
	}
	for rel := range m.search {
		st.Search = append(st.Search, rel)
	}
	for rel, sum := range m.searchSums {
		if m.search[rel] {
			st.SearchSums[rel] = sum
		}
	}
	var part bytes.Buffer
	if err := gob.NewEncoder(&part).Encode(&st); err != nil && mw.err == nil {
		mw.err = err
	}
	mw.put(part.Bytes())
	mw.put(m.pagesData)
	if mw.err == nil {
		_, mw.err = mw.w.Write(mw.h.Sum(nil))
	}
	if mw.err == nil {
		mw.err = mw.w.Flush()
	}
	if err := mw.f.Close(); mw.err == nil {
		mw.err = err
	}
	if mw.err != nil {
		mw.abort()
		return "", mw.err
	}
	return mw.f.Name(), nil
}

// abort throws the unfinished file away.
func (mw *memWriter) abort() {
	mw.f.Close()
	os.Remove(mw.f.Name())
}

// commitMemory names the memory written at tmp for its ID, and removes the
// memories of dest other than those of the IDs of the published tree and
// the standby, in keep.
func commitMemory(dest, tmp string, keep ...string) error {
	var err error
	if tmp != "" {
		if err = os.Rename(tmp, strings.TrimSuffix(tmp, ".new")); err != nil {
			os.Remove(tmp)
			err = fmt.Errorf("keeping the build's memory: %v", err)
		}
	}
	kept := map[string]bool{}
	for _, id := range keep {
		if id != "" {
			kept[memoryPrefix(dest)+id] = true
		}
	}
	entries, _ := os.ReadDir(filepath.Dir(dest))
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), memoryPrefix(dest)) && !kept[e.Name()] {
			os.Remove(filepath.Join(filepath.Dir(dest), e.Name()))
		}
	}
	return err
}

// pagesKey signs what reading the content files depends on besides the
// files themselves: site.toml (the languages, the zone, pageParams, the
// districts) and the sxsh build.
func (b *builder) pagesKey() uint64 {
	s := b.newSig()
	s.str(string(b.cfg.Sum[:]), b.opts.Version)
	return s.sum()
}

// restorePages puts into the memory's cache of content files those that
// the build that wrote the memory read and that have not changed since:
// their stamps now are those it kept. content.Load reads the others.
func (b *builder) restorePages() {
	m := b.mem
	data := m.pagesData
	m.pagesData = nil
	if data == nil || b.tags == nil || m.pagesKey != b.pagesKey() {
		return
	}
	// Damaged data restores nothing (and the checksum of the memory
	// file makes that unlikely): every file is then read.
	_, _ = m.pages.Restore(data, b.cfg, func(file, tag string) bool { return b.tags[file] == tag })
}

// savePages keeps in the memory what this build read of the content
// files whose stamps the next build may trust.
func (b *builder) savePages() {
	m := b.mem
	m.pagesData = nil
	if b.tags == nil {
		return
	}
	var buf bytes.Buffer
	if m.pages.Save(&buf, b.cfg, func(file string) (string, bool) {
		t, ok := b.tags[file]
		return t, ok
	}) == nil {
		m.pagesData, m.pagesKey = buf.Bytes(), b.pagesKey()
	}
}
