package site

import (
	"io/fs"
	"syscall"
)

// changeOf returns the time the file's status last changed, in Unix
// nanoseconds, and its inode number (see stamp).
func changeOf(info fs.FileInfo) (change int64, inode uint64) {
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, 0
	}
	return st.Ctim.Nano(), st.Ino
}
