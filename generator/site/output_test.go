package site

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
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
	wg.Go(func() {
		for {
			select {
			case <-stop:
				return
			default:
			}
			b, err := os.ReadFile(page)
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
