package site

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/gob"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sync"

	"sxsh/generator/search"
)

// A build keeps its memory (see memory) in a file beside the destination,
// so that the next sxsh build, in another process, renders only what
// changed, as a Session does between saves. The file is not published: at
// 10,000 articles it holds tens of megabytes of search analyses. It belongs
// to the tree its build published: both carry one random ID (the record's
// Memory), and a memory whose ID is not the destination's is not used.

// memoryFormat changes whenever storedMemory or what its signatures cover
// does; a memory of another format is not used.
const memoryFormat = 1

// storedMemory is a memory as a file holds it.
type storedMemory struct {
	Format      int
	ID          string
	Outputs     map[string]storedRec
	Summary     map[string]string
	Analyzed    map[string][]byte // source file → search.Analyzed, encoded
	Assets      map[string]storedAsset
	LinkSig     uint64
	SearchSig   uint64
	Search      []string
	SearchFiles map[string]storedSearchFile
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

type storedSearchFile struct {
	Rel string
	Sum uint64
}

// memoryPath is where the memory of the build published at dest is kept.
func memoryPath(dest string) string {
	return filepath.Join(filepath.Dir(dest), "."+filepath.Base(dest)+".sxsh-memory")
}

// newMemoryID makes the ID that ties a memory to its tree.
func newMemoryID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// loadMemory returns the memory of the build published at dest, or nil
// when there is none this build can trust: no record, no memory, another
// format or another tree's.
func loadMemory(dest string, rec *buildRecord) *memory {
	if rec == nil || rec.Memory == "" {
		return nil
	}
	data, err := os.ReadFile(memoryPath(dest))
	if err != nil || len(data) < sha256.Size {
		return nil
	}
	// A damaged memory could still decode, into wrong summaries or
	// signatures: the checksum at its end tells.
	body, sum := data[:len(data)-sha256.Size], data[len(data)-sha256.Size:]
	if want := sha256.Sum256(body); !bytes.Equal(sum, want[:]) {
		return nil
	}
	var st storedMemory
	if gob.NewDecoder(bytes.NewReader(body)).Decode(&st) != nil || st.Format != memoryFormat || st.ID != rec.Memory {
		return nil
	}
	m := newMemory()
	m.outputs = make(map[string]*outRec, len(st.Outputs))
	for rel, r := range st.Outputs {
		m.outputs[rel] = &outRec{base: r.Base, deps: r.Deps, depSig: r.DepSig, catalog: r.Catalog, catSig: r.CatSig}
	}
	for file, s := range st.Summary {
		m.summary.Store(file, s)
	}
	if !decodeAnalyses(&m.analyzed, st.Analyzed) {
		return nil
	}
	m.oldAssets = make(map[string]*asset, len(st.Assets))
	for src, a := range st.Assets {
		m.oldAssets[src] = &asset{src: src, out: a.Out, sum: a.Sum}
	}
	m.linkSig, m.searchSig = st.LinkSig, st.SearchSig
	m.search = make(map[string]bool, len(st.Search))
	for _, rel := range st.Search {
		m.search[rel] = true
	}
	for key, f := range st.SearchFiles {
		m.searchFiles[key] = searchFile{rel: f.Rel, sum: f.Sum}
	}
	m.tree = true
	return m
}

// decodeAnalyses decodes the stored analyses into m, two workers a core.
func decodeAnalyses(m *sync.Map, stored map[string][]byte) bool {
	type item struct {
		file string
		data []byte
	}
	items := make(chan item)
	var failed sync.Once
	ok := true
	var wg sync.WaitGroup
	for range 2 * runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for it := range items {
				a := new(search.Analyzed)
				if err := a.UnmarshalBinary(it.data); err != nil {
					failed.Do(func() { ok = false })
					continue
				}
				m.Store(it.file, a)
			}
		})
	}
	for file, data := range stored {
		items <- item{file, data}
	}
	close(items)
	wg.Wait()
	return ok
}

// saveMemory writes m, as the build of ID leaves it, to a file beside the
// new tree; commitMemory puts it in place once the tree is.
func saveMemory(dest, id string, m *memory) (tmp string, err error) {
	st := storedMemory{Format: memoryFormat, ID: id, Outputs: make(map[string]storedRec, len(m.outputs)),
		Summary: map[string]string{}, Analyzed: map[string][]byte{}, Assets: make(map[string]storedAsset, len(m.assets)),
		LinkSig: m.linkSig, SearchSig: m.searchSig, SearchFiles: map[string]storedSearchFile{}}
	for rel, r := range m.outputs {
		st.Outputs[rel] = storedRec{Base: r.base, Deps: r.deps, DepSig: r.depSig, Catalog: r.catalog, CatSig: r.catSig}
	}
	m.summary.Range(func(k, v any) bool {
		st.Summary[k.(string)] = v.(string)
		return true
	})
	var encErr error
	m.analyzed.Range(func(k, v any) bool {
		data, err := v.(*search.Analyzed).MarshalBinary()
		if err != nil {
			encErr = err
			return false
		}
		st.Analyzed[k.(string)] = data
		return true
	})
	if encErr != nil {
		return "", encErr
	}
	for src, a := range m.assets {
		st.Assets[src] = storedAsset{Out: a.out, Sum: a.sum}
	}
	for rel := range m.search {
		st.Search = append(st.Search, rel)
	}
	for key, f := range m.searchFiles {
		if m.search[f.rel] {
			st.SearchFiles[key] = storedSearchFile{Rel: f.rel, Sum: f.sum}
		}
	}
	f, err := os.CreateTemp(filepath.Dir(dest), "."+filepath.Base(dest)+".sxsh-memory-")
	if err != nil {
		return "", err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	h := sha256.New()
	err = gob.NewEncoder(io.MultiWriter(w, h)).Encode(&st)
	if err == nil {
		_, err = w.Write(h.Sum(nil))
	}
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}

// commitMemory puts the memory written at tmp in place for dest.
func commitMemory(dest, tmp string) error {
	if err := os.Rename(tmp, memoryPath(dest)); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("keeping the build's memory: %v", err)
	}
	return nil
}

// forgetMemory removes the memory of dest, when a build leaves none.
func forgetMemory(dest string) { _ = os.Remove(memoryPath(dest)) }
