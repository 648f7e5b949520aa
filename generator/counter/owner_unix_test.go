//go:build unix

package counter

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// Deleting feedback as root leaves the database to the user the service
// runs as.
func TestFeedbackDeleteKeepsOwner(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("only root can give a file to another user")
	}
	path := filepath.Join(t.TempDir(), "c.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { s.Close() }()
	const service = 65534 // nobody, as systemd's DynamicUser would be
	if err := os.Chown(path, service, service); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2025, 3, 14, 10, 30, 15, 0, hanoi)
	if _, err := s.AddFeedback(Feedback{Time: at, Name: "x"}); err != nil {
		t.Fatal(err)
	}
	if n, err := s.DeleteFeedbackBefore(at.Add(time.Hour)); err != nil || n != 1 {
		t.Fatalf("deleted %d, %v", n, err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st := fi.Sys().(*syscall.Stat_t); st.Uid != service || st.Gid != service {
		t.Errorf("after the deletion the file belongs to %d:%d, want %d:%d", st.Uid, st.Gid, service, service)
	}
}
