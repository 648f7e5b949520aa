//go:build unix

package counter

import (
	"os"
	"syscall"
)

// sameOwner gives the file at path the owner and group of like. A
// webmaster who deletes feedback as root must not leave the service's
// database to root, which the service, running as its own user, could
// then not open.
func sameOwner(path string, like os.FileInfo) error {
	st, ok := like.Sys().(*syscall.Stat_t)
	if !ok {
		return nil
	}
	if fi, err := os.Stat(path); err == nil {
		if now, ok := fi.Sys().(*syscall.Stat_t); ok && now.Uid == st.Uid && now.Gid == st.Gid {
			return nil
		}
	}
	return os.Chown(path, int(st.Uid), int(st.Gid))
}
