package counter

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
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
	// DeleteFeedbackBefore deletes the messages received before t and
	// tells how many there were.
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

// DeleteFeedbackBefore implements FeedbackStore.
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
	return n, err
}
