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
	"runtime"
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
// memory files are not published.
//
// A standby whose record is missing, whose files do not have the sizes its
// record says, or whose memory is damaged or another's, is not used: the
// build writes a new tree, and the tree it replaces becomes the standby.

// memoryFormat changes whenever storedMemory or what its signatures cover
// does, or the search index's format (a kept index is the last build's
// files); a memory of another format is not used.
const memoryFormat = 18

// memoryTable is the CRC-32C table of memory files.
var memoryTable = crc32.MakeTable(crc32.Castagnoli)

// A memory file is the names of the index files it refers to (below),
// then the gob of a storedMemory, then the content files as the build read
// them (content.Cache.Save), then the CRC-32C of all that, big-endian (it
// finds damage; it is no guard against a forger, who could as well write
// the published tree):
//
//	uvarint(n) { uvarint(len(name)) name }…
//	uvarint(len(gob)) gob
//	uvarint(len(pages)) pages
//	crc32c
//
// The pages are read in place: a slice of the file's bytes.
//
// Most of a memory is what each language's search index was written from
// (indexState): the state of its search.Builder, at 10,000 articles some
// 70 MB a language. It is kept in an index file of its own, beside the
// memory files, written once and shared by the memories of the builds
// after, which keep in themselves only the documents of the pages drawn
// since it was written (the delta). A build reads the index file of a
// language only when it writes that language's index again, and writes a
// new one when the delta has grown past an eighth of it: an edit writes
// what it changed, not the site. An index file is its ID, then the
// builder's state (search.Builder.WriteState), then the CRC-32C of both.

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
	Index      map[string]storedIndex
}

// storedIndex is an indexState as a memory keeps it.
type storedIndex struct {
	Base     string // the ID of its index file
	BaseSize int64
	Delta    map[string][]byte
	Manifest string
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

// readStandby reads the record of the standby of dest and, when it names
// one, its memory: nils when there are none the build can trust. The
// build does so while it scans the site's files; loadStandby decides.
// Whether the standby's files are still those its record lists, with the
// sizes it says, is checked from then on, since at 10,000 articles that
// is 30,000 folders to read: the build waits for the answer (see
// loadStandby) before it writes into the standby.
func readStandby(dest string) (*buildRecord, *memory, *treeCheck) {
	rec := readRecord(standbyPath(dest))
	if rec == nil || rec.Memory == "" {
		return rec, nil, nil
	}
	check := checkTree(standbyPath(dest), rec.Files)
	go check.work()
	return rec, loadMemory(dest, rec), check
}

// loadStandby returns the record and the memory of the standby of dest,
// or nils when the build cannot trust them, and what tells whether the
// standby's files are as its record says; published is the record of
// dest itself, nil if none, and rec, m and check what readStandby read
// and started. After the first build there is no standby yet: one is made
// of hard links to the published tree, which costs a link per file rather
// than a whole build.
func loadStandby(dest string, published, rec *buildRecord, m *memory, check *treeCheck) (*buildRecord, *memory, func() bool) {
	standby := standbyPath(dest)
	if rec == nil {
		if _, err := os.Lstat(standby); !errors.Is(err, fs.ErrNotExist) {
			return nil, nil, nil
		}
		if rec = published; rec == nil || rec.Memory == "" || !treeMatches(dest, rec.Files, 2*runtime.GOMAXPROCS(0)) || linkTree(dest, standby) != nil {
			return nil, nil, nil
		}
		if m = loadMemory(dest, rec); m == nil {
			return nil, nil, nil
		}
		return rec, m, func() bool { return true }
	}
	if m == nil {
		if check != nil {
			check.stop()
		}
		return nil, nil, nil
	}
	return rec, m, check.matches
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
	if rec == nil || !validID(rec.Memory) {
		return nil
	}
	data, err := os.ReadFile(memoryPath(dest, rec.Memory))
	if err != nil {
		return nil
	}
	// A damaged memory could still decode, into wrong summaries or
	// signatures: the checksum at its end tells.
	body, ok := checked(data)
	if !ok {
		return nil
	}
	m := newMemory()
	if _, body, ok = memoryBases(body); !ok {
		return nil
	}
	part, rest, ok := cut(body)
	var st storedMemory
	if !ok || gob.NewDecoder(bytes.NewReader(part)).Decode(&st) != nil || st.Format != memoryFormat || st.Analysis != search.AnalysisVersion || st.ID != rec.Memory {
		return nil
	}
	if m.pagesData, rest, ok = cut(rest); !ok || len(rest) != 0 {
		return nil
	}
	for lang, ix := range st.Index {
		if !validID(ix.Base) {
			return nil
		}
		s := &indexState{base: ix.Base, baseSize: ix.BaseSize, delta: ix.Delta, manifest: ix.Manifest}
		for _, data := range ix.Delta {
			s.size += len(data)
		}
		m.index[lang] = s
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

// memoryBases reads the names of the index files at the start of a
// memory file.
func memoryBases(data []byte) (names []string, rest []byte, ok bool) {
	n, k := binary.Uvarint(data)
	if k <= 0 || n > uint64(len(data)) {
		return nil, nil, false
	}
	rest = data[k:]
	for range n {
		var name []byte
		if name, rest, ok = cut(rest); !ok {
			return nil, nil, false
		}
		names = append(names, string(name))
	}
	return names, rest, true
}

// validID reports whether id can name a memory or index file: an ID as
// newMemoryID makes, not a path.
func validID(id string) bool { return id != "" && !strings.ContainsAny(id, `/\.`) }

// indexPath is the index file of the ID id, beside the destination dest.
func indexPath(dest, id string) string { return memoryPath(dest, "index-"+id) }

// load reads the builder of the state from its index file, beside dest,
// and puts into it the documents of delta.
func (st *indexState) load(dest string) error {
	if st.ix != nil {
		return nil
	}
	data, err := os.ReadFile(indexPath(dest, st.base))
	if err != nil {
		return err
	}
	body, ok := checked(data)
	if ok {
		var id []byte
		if id, body, ok = cut(body); ok && string(id) != st.base {
			ok = false
		}
	}
	if !ok {
		return fmt.Errorf("%s is damaged", indexPath(dest, st.base))
	}
	ix, err := search.ReadState(body)
	if err != nil {
		return fmt.Errorf("%s: %v", indexPath(dest, st.base), err)
	}
	for file, data := range st.delta {
		a := new(search.Analyzed)
		if err := a.UnmarshalBinary(data); err != nil {
			return err
		}
		ix.Put(file, a)
	}
	st.ix = ix
	return nil
}

// checked returns the data before the CRC-32C at its end, and whether
// that checksum is right.
func checked(data []byte) ([]byte, bool) {
	if len(data) < crc32.Size {
		return nil, false
	}
	body, sum := data[:len(data)-crc32.Size], data[len(data)-crc32.Size:]
	return body, binary.BigEndian.Uint32(sum) == crc32.Checksum(body, memoryTable)
}

// writeIndex writes the state of a search index's builder into a new
// index file beside dest, and returns its ID and size.
func writeIndex(dest string, ix *search.Builder) (id string, size int64, err error) {
	id = newMemoryID()
	tmp := indexPath(dest, id) + ".new"
	f, err := os.Create(tmp)
	if err != nil {
		return "", 0, err
	}
	h := crc32.New(memoryTable)
	w := bufio.NewWriterSize(io.MultiWriter(f, h), 1<<20)
	w.Write(binary.AppendUvarint(nil, uint64(len(id))))
	w.WriteString(id)
	err = ix.WriteState(w)
	if err == nil {
		err = w.Flush()
	}
	if err == nil {
		_, err = f.Write(h.Sum(nil))
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, indexPath(dest, id))
	}
	if err != nil {
		os.Remove(tmp)
		return "", 0, err
	}
	fi, err := os.Stat(indexPath(dest, id))
	if err != nil {
		return "", 0, err
	}
	return id, fi.Size(), nil
}

// memWriter writes a memory file, and the index files it needs.
type memWriter struct {
	id   string
	dest string
	f    *os.File
	w    *bufio.Writer
	h    hash.Hash
	out  io.Writer
	err  error
}

// newMemWriter starts the memory file of the build of id, beside dest;
// commitMemory names it for its ID once the tree is published.
func newMemWriter(dest, id string) (*memWriter, error) {
	f, err := os.Create(memoryPath(dest, id) + ".new")
	if err != nil {
		return nil, err
	}
	mw := &memWriter{id: id, dest: dest, f: f, w: bufio.NewWriterSize(f, 1<<20), h: crc32.New(memoryTable)}
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

// finish writes the index files m needs, then the memory itself, and
// returns the memory file's path. When it fails, the file is gone.
func (mw *memWriter) finish(m *memory) (string, error) {
	// A language whose builder this build has and whose delta is large
	// (or has no index file yet) gets a new index file; the languages are
	// written side by side.
	var wg sync.WaitGroup
	var mu sync.Mutex
	for _, st := range m.index {
		if !st.rebase() {
			continue
		}
		wg.Go(func() {
			id, size, err := writeIndex(mw.dest, st.ix)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				if mw.err == nil {
					mw.err = err
				}
				return
			}
			st.base, st.baseSize, st.delta, st.size = id, size, nil, 0
		})
	}
	wg.Wait()
	st := storedMemory{Format: memoryFormat, Analysis: search.AnalysisVersion, ID: mw.id, Outputs: make(map[string]storedRec, len(m.outputs)),
		Summary: map[string]string{}, Assets: make(map[string]storedAsset, len(m.assets)),
		LinkSig: m.linkSig, SearchSigs: m.searchSigs, SearchSums: map[string]uint64{}, PagesKey: m.pagesKey,
		Index: make(map[string]storedIndex, len(m.index))}
	var bases []string
	for lang, ix := range m.index {
		st.Index[lang] = storedIndex{Base: ix.base, BaseSize: ix.baseSize, Delta: ix.delta, Manifest: ix.manifest}
		bases = append(bases, ix.base)
	}
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
	if mw.err == nil {
		_, mw.err = mw.out.Write(binary.AppendUvarint(nil, uint64(len(bases))))
	}
	for _, b := range bases {
		mw.put([]byte(b))
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
// the standby, in keep, and the index files that neither refers to.
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
		if !validID(id) {
			continue
		}
		kept[filepath.Base(memoryPath(dest, id))] = true
		for _, base := range readBases(memoryPath(dest, id)) {
			kept[filepath.Base(indexPath(dest, base))] = true
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

// readBases returns the IDs of the index files that the memory file at p
// refers to, read from its start alone: the file is not checked whole,
// and a damaged one may keep an index file that is of no use, or let one
// go that its build would then not find, and draw every page.
func readBases(p string) []string {
	f, err := os.Open(p)
	if err != nil {
		return nil
	}
	defer f.Close()
	head := make([]byte, 4096)
	n, _ := io.ReadFull(f, head)
	names, _, _ := memoryBases(head[:n])
	return names
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
