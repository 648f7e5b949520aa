//go:build !unix

package main

import (
	"os"
	"time"
)

// usage reads a finished child's CPU time; peak memory is not available
// here and reads as zero.
func usage(ps *os.ProcessState) (cpu time.Duration, rssKiB int64) {
	return ps.UserTime() + ps.SystemTime(), 0
}
