package counter

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"sort"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// Counts is what the counter answers: the total of visits (the offset
// included), today's visits and, when asked for one page, its views.
type Counts struct {
	Total int64 `json:"total"`
	Today int64 `json:"today"`
	Views int64 `json:"views,omitempty"`
}

// Day is one day's figures.
type Day struct {
	Date   string // YYYY-MM-DD in the counter's time zone
	Visits int64
	Views  int64
}

// PageViews is the number of views of one path.
type PageViews struct {
	Path  string
	Views int64
}

// Tally is what one import adds: visits and views per day, views per day
// and path.
type Tally struct {
	Visits map[string]int64            // by date
	Views  map[string]map[string]int64 // by date, then path
}

// NewTally returns an empty tally.
func NewTally() *Tally {
	return &Tally{Visits: map[string]int64{}, Views: map[string]map[string]int64{}}
}

// AddView counts one view of path on date, and a visit too when visit is set.
func (t *Tally) AddView(date, path string, visit bool) {
	if visit {
		t.Visits[date]++
	}
	m := t.Views[date]
	if m == nil {
		m = map[string]int64{}
		t.Views[date] = m
	}
	m[path]++
}

// Mark remembers how much of one log file was imported: the file is known
// by its first line, and what was read of it by its length and hash, so
// that a log that grew is read from where the last import stopped and a
// rotated or compressed copy of it is not counted again.
type Mark struct {
	Bytes int64    // complete lines read, in bytes
	Hash  [32]byte // SHA-256 of those bytes
}

// Store keeps the counts. Every method that writes has made its change
// durable when it returns without error.
type Store interface {
	// Hit counts one page view of path on date, and a visit when visit is
	// set, and returns the counts after it.
	Hit(date, path string, visit bool) (Counts, error)
	// Counts returns the counts on date; with a path, that page's views
	// too.
	Counts(date, path string) (Counts, error)
	// Offset returns the number of visits counted before this store.
	Offset() (int64, error)
	// SetOffset sets it.
	SetOffset(n int64) error
	// Days returns the figures of each day from from to to, inclusive,
	// days without any left out.
	Days(from, to string) ([]Day, error)
	// TopPages returns the n most viewed paths from from to to, inclusive.
	TopPages(from, to string, n int) ([]PageViews, error)
	// Mark returns what was imported of the log whose first line hashes
	// to key.
	Mark(key [32]byte) (Mark, bool, error)
	// Import adds a tally and records the log's new mark in one
	// transaction: either both are kept or neither.
	Import(key [32]byte, m Mark, t *Tally) error
	// Close closes the store.
	Close() error
}

// Buckets of the database. Dates are YYYY-MM-DD so that keys sort by time.
var (
	bucketMeta     = []byte("sxsh-counter")
	bucketDays     = []byte("days")     // date → visits, views
	bucketPages    = []byte("pages")    // date 0x00 path → views
	bucketPaths    = []byte("paths")    // path → views of all time
	bucketImports  = []byte("imports")  // first-line hash → Mark
	bucketFeedback = []byte("feedback") // number → Feedback, as JSON
	keyVersion     = []byte("version")
	keyOffset      = []byte("offset")
	keyVisits      = []byte("visits") // all visits counted
)

// formatVersion is the layout of the buckets above.
const formatVersion = 1

// ErrNotCounterDB reports a file that is not a counter database.
var ErrNotCounterDB = errors.New("not a counter database")

// ErrLocked reports a database held open by another process.
var ErrLocked = errors.New("locked by another process")

// BoltStore is the Store on one bbolt file.
type BoltStore struct {
	db *bolt.DB
}

// Open opens or creates the counter database at path. It waits a second
// at most for another process to let go of the file, and refuses a file
// that is not a counter database, both with an error that names the file.
func Open(path string) (*BoltStore, error) {
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second, InitialMmapSize: 256 << 20})
	switch {
	case errors.Is(err, berrors.ErrTimeout):
		return nil, fmt.Errorf("cannot open %s: it is %w", path, ErrLocked)
	case errors.Is(err, berrors.ErrInvalid), errors.Is(err, berrors.ErrChecksum),
		errors.Is(err, berrors.ErrVersionMismatch):
		return nil, fmt.Errorf("cannot open %s: it is %w (%v)", path, ErrNotCounterDB, err)
	case err != nil:
		return nil, fmt.Errorf("cannot open %s: %w", path, err)
	}
	// Hits come from many requests at once; a short delay gathers them
	// into one fsync without holding any answer long.
	db.MaxBatchDelay = time.Millisecond
	db.MaxBatchSize = 256
	if err := initDB(db); err != nil {
		db.Close()
		return nil, fmt.Errorf("cannot open %s: %w", path, err)
	}
	return &BoltStore{db: db}, nil
}

// initDB creates the buckets of a new file and checks an old one.
func initDB(db *bolt.DB) (err error) {
	defer func() {
		// A damaged page can make bbolt panic while reading; that is a
		// bad file, not a bug here.
		if r := recover(); r != nil {
			err = fmt.Errorf("it is %w (damaged: %v)", ErrNotCounterDB, r)
		}
	}()
	return db.Update(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if meta == nil {
			empty := true
			tx.ForEach(func([]byte, *bolt.Bucket) error { empty = false; return nil })
			if !empty {
				return fmt.Errorf("it is %w", ErrNotCounterDB)
			}
			meta, err = tx.CreateBucket(bucketMeta)
			if err != nil {
				return err
			}
			if err := meta.Put(keyVersion, u64(formatVersion)); err != nil {
				return err
			}
		}
		if v := meta.Get(keyVersion); len(v) != 8 || binary.BigEndian.Uint64(v) != formatVersion {
			return fmt.Errorf("it is %w of a version this program does not know", ErrNotCounterDB)
		}
		for _, b := range [][]byte{bucketDays, bucketPages, bucketPaths, bucketImports, bucketFeedback} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	})
}

func u64(n int64) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, uint64(n))
	return b
}

func getU64(b []byte) int64 {
	if len(b) < 8 {
		return 0
	}
	return int64(binary.BigEndian.Uint64(b))
}

func pageKey(date, path string) []byte {
	return append(append([]byte(date), 0), path...)
}

// add adds n to the counter at key, returning the new value.
func add(b *bolt.Bucket, key []byte, n int64) (int64, error) {
	v := getU64(b.Get(key)) + n
	return v, b.Put(key, u64(v))
}

// addDay adds visits and views to a day's pair of counters.
func addDay(days *bolt.Bucket, date string, visits, views int64) (int64, error) {
	old := days.Get([]byte(date))
	vis, vws := getU64(old)+visits, views
	if len(old) >= 16 {
		vws += getU64(old[8:])
	}
	return vis, days.Put([]byte(date), append(u64(vis), u64(vws)...))
}

// Hit implements Store. Concurrent hits share one transaction and one
// fsync, which is what lets the counter keep up with bursts.
func (s *BoltStore) Hit(date, path string, visit bool) (Counts, error) {
	var c Counts
	err := s.db.Batch(func(tx *bolt.Tx) error {
		// Batch may run this again alone if a neighbour failed, so c is
		// set afresh each time.
		c = Counts{}
		meta := tx.Bucket(bucketMeta)
		var v int64
		if visit {
			v = 1
		}
		total, err := add(meta, keyVisits, v)
		if err != nil {
			return err
		}
		today, err := addDay(tx.Bucket(bucketDays), date, v, 1)
		if err != nil {
			return err
		}
		if _, err := add(tx.Bucket(bucketPages), pageKey(date, path), 1); err != nil {
			return err
		}
		if _, err := add(tx.Bucket(bucketPaths), []byte(path), 1); err != nil {
			return err
		}
		c.Total = total + getU64(meta.Get(keyOffset))
		c.Today = today
		return nil
	})
	return c, err
}

// Counts implements Store.
func (s *BoltStore) Counts(date, path string) (Counts, error) {
	var c Counts
	err := s.db.View(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		c.Total = getU64(meta.Get(keyVisits)) + getU64(meta.Get(keyOffset))
		c.Today = getU64(tx.Bucket(bucketDays).Get([]byte(date)))
		if path != "" {
			c.Views = getU64(tx.Bucket(bucketPaths).Get([]byte(path)))
		}
		return nil
	})
	return c, err
}

// Offset implements Store.
func (s *BoltStore) Offset() (int64, error) {
	var n int64
	err := s.db.View(func(tx *bolt.Tx) error {
		n = getU64(tx.Bucket(bucketMeta).Get(keyOffset))
		return nil
	})
	return n, err
}

// SetOffset implements Store.
func (s *BoltStore) SetOffset(n int64) error {
	if n < 0 {
		return fmt.Errorf("the offset %d is negative", n)
	}
	return s.db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketMeta).Put(keyOffset, u64(n))
	})
}

// Days implements Store.
func (s *BoltStore) Days(from, to string) ([]Day, error) {
	var out []Day
	err := s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketDays).Cursor()
		for k, v := c.Seek([]byte(from)); k != nil && string(k) <= to; k, v = c.Next() {
			d := Day{Date: string(k), Visits: getU64(v)}
			if len(v) >= 16 {
				d.Views = getU64(v[8:])
			}
			out = append(out, d)
		}
		return nil
	})
	return out, err
}

// TopPages implements Store.
func (s *BoltStore) TopPages(from, to string, n int) ([]PageViews, error) {
	views := map[string]int64{}
	err := s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketPages).Cursor()
		for k, v := c.Seek([]byte(from)); k != nil; k, v = c.Next() {
			date, path, ok := bytes.Cut(k, []byte{0})
			if !ok {
				continue
			}
			if string(date) > to {
				break
			}
			views[string(path)] += getU64(v)
		}
		return nil
	})
	out := make([]PageViews, 0, len(views))
	for p, v := range views {
		out = append(out, PageViews{p, v})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Views != out[j].Views {
			return out[i].Views > out[j].Views
		}
		return out[i].Path < out[j].Path
	})
	if n >= 0 && len(out) > n {
		out = out[:n]
	}
	return out, err
}

// Mark implements Store.
func (s *BoltStore) Mark(key [32]byte) (Mark, bool, error) {
	var m Mark
	var ok bool
	err := s.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketImports).Get(key[:])
		if len(v) == 8+32 {
			m.Bytes = getU64(v)
			copy(m.Hash[:], v[8:])
			ok = true
		}
		return nil
	})
	return m, ok, err
}

// Import implements Store.
func (s *BoltStore) Import(key [32]byte, m Mark, t *Tally) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		meta, days := tx.Bucket(bucketMeta), tx.Bucket(bucketDays)
		pages, paths := tx.Bucket(bucketPages), tx.Bucket(bucketPaths)
		var visits int64
		dates := map[string]bool{}
		for d := range t.Visits {
			dates[d] = true
		}
		for d := range t.Views {
			dates[d] = true
		}
		for d := range dates {
			var views int64
			for p, n := range t.Views[d] {
				views += n
				if _, err := add(pages, pageKey(d, p), n); err != nil {
					return err
				}
				if _, err := add(paths, []byte(p), n); err != nil {
					return err
				}
			}
			visits += t.Visits[d]
			if _, err := addDay(days, d, t.Visits[d], views); err != nil {
				return err
			}
		}
		if _, err := add(meta, keyVisits, visits); err != nil {
			return err
		}
		return tx.Bucket(bucketImports).Put(key[:], append(u64(m.Bytes), m.Hash[:]...))
	})
}

// Close implements Store.
func (s *BoltStore) Close() error { return s.db.Close() }

// Path returns the database file's name.
func (s *BoltStore) Path() string { return s.db.Path() }
