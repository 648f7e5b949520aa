// Package testenv is what the test binaries of the packages that write
// many files share: Main runs a package's tests with their temporary
// folders in memory when the machine has a RAM file system, since creating
// files on a virtual machine's disk costs most of such a test's time, and
// with the garbage collector running a quarter as often: a test binary
// lives for seconds and builds many sites, and a tenth of its CPU time
// went to collecting garbage.
//
// A package uses it from TestMain:
//
//	func TestMain(m *testing.M) { testenv.Main(m) }
package testenv

import (
	"fmt"
	"os"
	"runtime/debug"
	"testing"
)

// ramDir is where Linux mounts a RAM file system (tmpfs) for everyone.
const ramDir = "/dev/shm"

// gcPercent lets the heap grow to five times what is live before a
// collection, rather than twice; memoryLimit keeps it within reach of
// the machine's memory all the same (the collector runs more often as the
// heap nears it).
const (
	gcPercent   = 400
	memoryLimit = 2 << 30
)

// Main runs the tests and exits with their status, calling each of after
// first. Unless TMPDIR is set (which then decides, as usual), the tests'
// t.TempDir folders go under a folder of their own in /dev/shm, removed at
// the end; the file system calls the code under test makes are the same.
func Main(m *testing.M, after ...func()) {
	os.Exit(run(m, after))
}

func run(m *testing.M, after []func()) int {
	// GOGC and GOMEMLIMIT, when set, decide, as usual.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
	if os.Getenv("TMPDIR") == "" {
		if dir, err := os.MkdirTemp(ramDir, "sxsh-test-"); err == nil {
			defer os.RemoveAll(dir)
			if err := os.Setenv("TMPDIR", dir); err != nil {
				fmt.Fprintln(os.Stderr, "testenv:", err)
				return 1
			}
		}
	}
	code := m.Run()
	for _, f := range after {
		f()
	}
	return code
}
