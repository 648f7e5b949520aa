//go:build unix

package site

import (
	"errors"
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// lockDestination takes the lock of the destination dest, a lock on the
// file ".NAME.sxsh-lock" beside it, which one build at a time holds: two
// builds (an editor's and a scheduled one) never update the same standby
// or swap at once, while builds of other destinations go their own way.
// When another build holds it, wait is called and the build waits its
// turn. unlock deletes the file before it lets go, so a build that ends
// leaves nothing behind; a build that took the lock of a file deleted
// meanwhile takes the new one's instead. The lock goes with the process,
// however it ends. Where it cannot be had (a file system without locks,
// some network shares), the build goes on without one, and err says why.
func lockDestination(dest string, wait func()) (unlock func(), held bool, err error) {
	abs, err := filepath.Abs(dest)
	if err != nil {
		return func() {}, false, err
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
		return func() {}, false, err
	}
	name := lockPath(abs)
	for {
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o644)
		if err != nil {
			return func() {}, false, err
		}
		fd := int(f.Fd())
		err = unix.Flock(fd, unix.LOCK_EX|unix.LOCK_NB)
		if errors.Is(err, unix.EWOULDBLOCK) {
			if wait != nil {
				wait()
				wait = nil
			}
			err = unix.Flock(fd, unix.LOCK_EX)
		}
		if err != nil {
			f.Close()
			return func() {}, false, err
		}
		locked, err1 := f.Stat()
		now, err2 := os.Stat(name)
		if err1 == nil && err2 == nil && os.SameFile(locked, now) {
			return func() { os.Remove(name); f.Close() }, true, nil
		}
		f.Close() // the build before deleted it: take the new one's
	}
}
