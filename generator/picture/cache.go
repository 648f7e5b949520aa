package picture

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Cache keeps the copies of pictures in a folder, a file per Key, so that
// a picture is decoded and encoded once, however many builds show it: a
// second build of an unchanged site reads its copies back. A file that is
// damaged (cut short, changed by hand or by a disk) fails its checksum and
// reads as missing, so that its picture is made again.
//
// Files are written whole under a temporary name and renamed into place,
// so that builds of the same site may share a Cache.
type Cache struct {
	dir string
}

// NewCache returns the Cache in the folder dir, which is made when the
// first entry is put.
func NewCache(dir string) *Cache { return &Cache{dir: dir} }

// Dir is the Cache's folder.
func (c *Cache) Dir() string { return c.dir }

// cacheMagic starts every entry file.
const cacheMagic = "sxsh picture cache\n"

// crcTable is the CRC-32C table of entry files.
var crcTable = crc32.MakeTable(crc32.Castagnoli)

// An entry file is
//
//	cacheMagic uvarint(len(meta)) meta copies… crc32c
//
// where meta is the JSON of an entryMeta, the copies' bytes follow one
// another in its order, and the CRC-32C (big-endian) covers all before it.

type entryMeta struct {
	Version       int
	Key           string
	Width, Height int
	Copies        []entryCopy
}

type entryCopy struct {
	Width, Height, Size int
	Ext                 string
}

func (c *Cache) path(key string) string { return filepath.Join(c.dir, key+".pic") }

// Get returns the Set of key with its copies' bytes, and false when the
// Cache has none that is whole.
func (c *Cache) Get(key string) (*Set, bool) {
	if !validKey(key) {
		return nil, false
	}
	data, err := os.ReadFile(c.path(key))
	if err != nil || len(data) < len(cacheMagic)+crc32.Size || !strings.HasPrefix(string(data), cacheMagic) {
		return nil, false
	}
	body, sum := data[:len(data)-crc32.Size], data[len(data)-crc32.Size:]
	if binary.BigEndian.Uint32(sum) != crc32.Checksum(body, crcTable) {
		return nil, false
	}
	rest := body[len(cacheMagic):]
	n, k := binary.Uvarint(rest)
	if k <= 0 || n > uint64(len(rest)-k) {
		return nil, false
	}
	var m entryMeta
	if json.Unmarshal(rest[k:k+int(n)], &m) != nil || m.Version != Version || m.Key != key {
		return nil, false
	}
	rest = rest[k+int(n):]
	s := &Set{Width: m.Width, Height: m.Height}
	for _, cp := range m.Copies {
		if cp.Size < 0 || cp.Size > len(rest) {
			return nil, false
		}
		s.Copies = append(s.Copies, Copy{Width: cp.Width, Height: cp.Height, Ext: cp.Ext, Data: rest[:cp.Size:cp.Size]})
		rest = rest[cp.Size:]
	}
	if len(rest) != 0 {
		return nil, false
	}
	return s, true
}

// Put keeps s, whose copies hold their bytes, as key's entry.
func (c *Cache) Put(key string, s *Set) error {
	if !validKey(key) {
		return fmt.Errorf("picture cache: bad key %q", key)
	}
	m := entryMeta{Version: Version, Key: key, Width: s.Width, Height: s.Height}
	for _, cp := range s.Copies {
		if cp.Data == nil {
			return errors.New("picture cache: a copy without its bytes")
		}
		m.Copies = append(m.Copies, entryCopy{Width: cp.Width, Height: cp.Height, Size: len(cp.Data), Ext: cp.Ext})
	}
	meta, err := json.Marshal(m)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	buf.WriteString(cacheMagic)
	buf.Write(binary.AppendUvarint(nil, uint64(len(meta))))
	buf.Write(meta)
	for _, cp := range s.Copies {
		buf.Write(cp.Data)
	}
	buf.Write(binary.BigEndian.AppendUint32(nil, crc32.Checksum(buf.Bytes(), crcTable)))
	if err := os.MkdirAll(c.dir, 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(c.dir, ".new-*")
	if err != nil {
		return err
	}
	_, err = f.Write(buf.Bytes())
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), c.path(key))
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}

// Prune removes the entries whose keys keep does not hold, and what
// writers stopped half-way left an hour ago or more (a younger one may be
// another build's, still writing).
func (c *Cache) Prune(keep map[string]bool) error {
	entries, err := os.ReadDir(c.dir)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil
		}
		return err
	}
	var first error
	for _, e := range entries {
		key, ok := strings.CutSuffix(e.Name(), ".pic")
		if ok && keep[key] {
			continue
		}
		if !ok {
			info, err := e.Info()
			if !strings.HasPrefix(e.Name(), ".new-") || err != nil || time.Since(info.ModTime()) < time.Hour {
				continue
			}
		}
		if err := os.Remove(filepath.Join(c.dir, e.Name())); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// validKey reports whether key is a Key: a file name, never a path.
func validKey(key string) bool {
	if len(key) != 32 {
		return false
	}
	for _, r := range key {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f') {
			return false
		}
	}
	return true
}
