//go:build !unix

package counter

import "os"

// sameOwner has nothing to do where files have no owner and group as on
// Unix.
func sameOwner(path string, like os.FileInfo) error { return nil }
