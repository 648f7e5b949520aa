//go:build unix

package main

import (
	"os"
	"runtime"
	"syscall"
	"time"
)

// usage reads a finished child's CPU time (user + system) and peak resident
// set size in KiB.
func usage(ps *os.ProcessState) (cpu time.Duration, rssKiB int64) {
	cpu = ps.UserTime() + ps.SystemTime()
	ru, ok := ps.SysUsage().(*syscall.Rusage)
	if !ok {
		return cpu, 0
	}
	rss := int64(ru.Maxrss)
	// Linux and the BSDs report kilobytes; macOS reports bytes.
	if runtime.GOOS == "darwin" || runtime.GOOS == "ios" {
		rss /= 1024
	}
	return cpu, rss
}
