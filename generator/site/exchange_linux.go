package site

import "golang.org/x/sys/unix"

// exchange swaps the files or folders at the paths a and b in one step,
// with renameat2's RENAME_EXCHANGE. It fails where the file system cannot
// (the caller then renames twice).
func exchange(a, b string) error {
	return unix.Renameat2(unix.AT_FDCWD, a, unix.AT_FDCWD, b, unix.RENAME_EXCHANGE)
}
