package site

import (
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
)

// TestSwapLeavesNoGap reads the published home page in a loop while the
// site is rebuilt 20 times: a web server doing the same must find the old
// page or the new one, whole, every time.
func TestSwapLeavesNoGap(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the swap is one step only where the system can exchange two folders (Linux)")
	}
	dest := mustBuild(t, txtar(goodSite), nil)
	page := filepath.Join(dest, "index.html")
	var reads, missing, partial atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	buf := make([]byte, 1<<20)
	wg.Go(func() {
		for {
			select {
			case <-stop:
				return
			default:
			}
			b, err := readRaw(page, buf)
			reads.Add(1)
			switch {
			case err != nil:
				missing.Add(1)
			case !strings.HasSuffix(strings.TrimSpace(string(b)), "</html>"):
				partial.Add(1)
			}
		}
	})
	for i := range 20 {
		if _, err := build(t, txtar(goodSite), dest, func(o *Options) { o.Full = true }); err != nil {
			close(stop)
			wg.Wait()
			t.Fatalf("build %d: %v", i+1, err)
		}
	}
	close(stop)
	wg.Wait()
	t.Logf("%d reads during 20 builds", reads.Load())
	if missing.Load() > 0 || partial.Load() > 0 {
		t.Errorf("of %d reads, %d found no page and %d part of one", reads.Load(), missing.Load(), partial.Load())
	}
	for _, e := range mustReadDir(t, filepath.Dir(dest)) {
		if e != filepath.Base(dest) && !strings.HasPrefix(e, memoryPrefix(dest)) && e != filepath.Base(standbyPath(dest)) {
			t.Errorf("the builds left %s beside the destination", e)
		}
	}
}

// readRaw reads the file name into buf, without the os package: under go
// test, every file os opens is written to the test log, which the go
// command then checks line by line, and the loop above opens the page tens
// of thousands of times.
func readRaw(name string, buf []byte) ([]byte, error) {
	fd, err := syscall.Open(name, syscall.O_RDONLY, 0)
	if err != nil {
		return nil, err
	}
	defer syscall.Close(fd)
	n := 0
	for n < len(buf) {
		m, err := syscall.Read(fd, buf[n:])
		if err != nil {
			return nil, err
		}
		if m == 0 {
			break
		}
		n += m
	}
	return buf[:n], nil
}
