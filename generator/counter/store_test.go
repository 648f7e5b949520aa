package counter

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"
)

func TestOpenRefuses(t *testing.T) {
	dir := t.TempDir()
	garbage := filepath.Join(dir, "garbage.db")
	if err := os.WriteFile(garbage, []byte(strings.Repeat("not a database\n", 2000)), 0o600); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(dir, "other.db")
	db, err := bolt.Open(other, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	db.Update(func(tx *bolt.Tx) error { _, err := tx.CreateBucket([]byte("users")); return err })
	db.Close()
	locked := filepath.Join(dir, "locked.db")
	held, err := Open(locked)
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()

	tests := []struct {
		name, path string
		is         error
		msg        string
	}{
		{"garbage", garbage, ErrNotCounterDB, "cannot open " + garbage + ": it is not a counter database"},
		{"another program's bolt file", other, ErrNotCounterDB, "cannot open " + other + ": it is not a counter database"},
		{"locked", locked, ErrLocked, "cannot open " + locked + ": it is locked by another process"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Open(tt.path)
			if err == nil {
				s.Close()
				t.Fatal("opened")
			}
			if !errors.Is(err, tt.is) || !strings.HasPrefix(err.Error(), tt.msg) {
				t.Errorf("error %q, want %q", err, tt.msg)
			}
		})
	}
}

func TestStoreKeepsCounts(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	s.SetOffset(100)
	s.Hit("2025-03-13", "/a/", true)
	s.Hit("2025-03-14", "/a/", true)
	s.Hit("2025-03-14", "/b/", false)
	s.Close()
	if s, err = Open(path); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	c, err := s.Counts("2025-03-14", "/a/")
	if err != nil || c != (Counts{Total: 102, Today: 1, Views: 2}) {
		t.Errorf("counts %+v, %v", c, err)
	}
	days, _ := s.Days("2025-03-01", "2025-03-31")
	if len(days) != 2 || days[1] != (Day{"2025-03-14", 1, 2}) {
		t.Errorf("days %+v", days)
	}
	top, _ := s.TopPages("2025-03-14", "2025-03-14", 10)
	if len(top) != 2 || top[0] != (PageViews{"/a/", 1}) || top[1] != (PageViews{"/b/", 1}) {
		t.Errorf("top pages %+v", top)
	}
	top, _ = s.TopPages("2025-03-01", "2025-03-31", 1)
	if len(top) != 1 || top[0] != (PageViews{"/a/", 2}) {
		t.Errorf("top page %+v", top)
	}
}
