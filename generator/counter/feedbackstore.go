package counter

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Feedback is one question or comment sent with the site's feedback form
// (hỏi đáp, góp ý). It holds what the reader typed and when it came, and
// nothing about where it came from: no address, no browser.
type Feedback struct {
	// ID numbers the messages in the order they came, from 1.
	ID      uint64    `json:"id"`
	Time    time.Time `json:"time"`
	Lang    string    `json:"lang"` // the language of the form's page
	Name    string    `json:"name"`
	Contact string    `json:"contact"` // an email address or a phone number, to reply to
	Subject string    `json:"subject"`
	Message string    `json:"message"`
}

// FeedbackStore keeps the feedback messages. AddFeedback has made the
// message durable when it returns without error.
type FeedbackStore interface {
	// AddFeedback stores f under the next number, which it returns; f.ID
	// is ignored.
	AddFeedback(f Feedback) (uint64, error)
	// FeedbackSince returns the messages received at or after since,
	// oldest first; all of them for a zero since.
	FeedbackSince(since time.Time) ([]Feedback, error)
	// DeleteFeedbackBefore deletes the messages received before t, so
	// that nothing of them is left in the store's file, and tells how
	// many there were.
	DeleteFeedbackBefore(t time.Time) (int, error)
}

// AddFeedback implements FeedbackStore. It commits alone, not in a batch
// with hits: a message is rare, and its fsync is done before the reader is
// told it arrived.
func (s *BoltStore) AddFeedback(f Feedback) (uint64, error) {
	err := s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketFeedback)
		n, err := b.NextSequence()
		if err != nil {
			return err
		}
		f.ID = n
		v, err := json.Marshal(f)
		if err != nil {
			return err
		}
		return b.Put(u64(int64(n)), v)
	})
	if err != nil {
		return 0, err
	}
	return f.ID, nil
}

// FeedbackSince implements FeedbackStore.
func (s *BoltStore) FeedbackSince(since time.Time) ([]Feedback, error) {
	var out []Feedback
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketFeedback).ForEach(func(k, v []byte) error {
			var f Feedback
			if err := json.Unmarshal(v, &f); err != nil {
				return fmt.Errorf("message %d is damaged: %v", binary.BigEndian.Uint64(k), err)
			}
			if !f.Time.Before(since) {
				out = append(out, f)
			}
			return nil
		})
	})
	return out, err
}

// DeleteFeedbackBefore implements FeedbackStore. A deletion frees the
// messages' pages, but bbolt leaves their bytes in the file until it
// reuses them; the file is therefore written anew afterwards without the
// free pages (compacted), for a reader's name and address to be gone when
// the editor is told they are.
func (s *BoltStore) DeleteFeedbackBefore(t time.Time) (int, error) {
	n := 0
	err := s.db.Update(func(tx *bolt.Tx) error {
		n = 0
		b := tx.Bucket(bucketFeedback)
		var old [][]byte
		err := b.ForEach(func(k, v []byte) error {
			var f Feedback
			// A damaged message cannot be dated; it is kept for a
			// person to look at rather than deleted unseen.
			if json.Unmarshal(v, &f) == nil && f.Time.Before(t) {
				old = append(old, append([]byte(nil), k...))
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, k := range old {
			if err := b.Delete(k); err != nil {
				return err
			}
		}
		n = len(old)
		return nil
	})
	if err != nil || n == 0 {
		return n, err
	}
	name := s.db.Path()
	if err := s.compact(); err != nil {
		return n, fmt.Errorf("%d messages were deleted, but their text may remain in the free space of %s: %w", n, name, err)
	}
	return n, nil
}

// compact rewrites the store's file with its data alone, and goes on with
// the new file. The new file takes the old one's name while the old one is
// still open and locked, so no other process can open either in between.
func (s *BoltStore) compact() error {
	// A link to the database stays a link: the file it leads to is the
	// one replaced.
	name := s.db.Path()
	path, err := filepath.EvalSymlinks(name)
	if err != nil {
		return err
	}
	old, err := os.Stat(path)
	if err != nil {
		return err
	}
	tmp := path + ".compact"
	os.Remove(tmp) // a leftover of a compaction that was stopped
	dst, err := bolt.Open(tmp, old.Mode().Perm(), &bolt.Options{Timeout: time.Second})
	if err != nil {
		return err
	}
	// The new file is the old one for whoever opens it next: the same
	// permissions and, where the system has them, owner and group.
	if err := errors.Join(os.Chmod(tmp, old.Mode().Perm()), sameOwner(tmp, old)); err != nil {
		dst.Close()
		os.Remove(tmp)
		return err
	}
	if err := bolt.Compact(dst, s.db, 0); err != nil {
		dst.Close()
		os.Remove(tmp)
		return err
	}
	if err := dst.Close(); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	// The rename itself is made durable where the system allows it, so
	// that a power cut cannot bring the deleted messages back.
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		d.Sync()
		d.Close()
	}
	s.db.Close()
	fresh, err := Open(name)
	if err != nil {
		return err
	}
	s.db = fresh.db
	return nil
}
