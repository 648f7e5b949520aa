//go:build !linux

package site

import "errors"

// exchange would swap the paths a and b in one step; this system has no
// such call, so the caller renames twice.
func exchange(a, b string) error {
	return errors.New("no atomic exchange on this system")
}
