//go:build unix

package site

import (
	"errors"
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// lockDestination takes the lock of the destination dest, a lock on the
// folder that holds it, which one build at a time holds: two builds (an
// editor's and a scheduled one) never update the same standby or swap at
// once. When another build holds it, wait is called and the build waits
// its turn. The lock goes with the process, however it ends, and leaves
// no file behind. Where the file system has no such locks (some network
// shares), the build goes on without one; held tells whether it has it.
func lockDestination(dest string, wait func()) (unlock func(), held bool) {
	parent := filepath.Dir(dest)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return func() {}, false // the build says what is wrong with the folder
	}
	f, err := os.Open(parent)
	if err != nil {
		return func() {}, false
	}
	fd := int(f.Fd())
	err = unix.Flock(fd, unix.LOCK_EX|unix.LOCK_NB)
	if errors.Is(err, unix.EWOULDBLOCK) {
		if wait != nil {
			wait()
		}
		err = unix.Flock(fd, unix.LOCK_EX)
	}
	if err != nil {
		f.Close()
		return func() {}, false
	}
	return func() { f.Close() }, true
}
