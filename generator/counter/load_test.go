package counter

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// BenchmarkLoad drives the counter over loopback as a busy site would:
// 64 clients posting hits at once, each hit committed to disk before it is
// answered. It reports hits a second and the 99th percentile latency.
//
//	go test -run '^$' -bench Load -benchtime 50000x ./generator/counter/
func BenchmarkLoad(b *testing.B) {
	const clients = 64
	st, err := Open(filepath.Join(b.TempDir(), "load.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	// Behind a proxy, so that hits come from many addresses (from the
	// benchmarking range, 198.18.0.0/15) as they would from readers, and
	// the rate limit of one address is not what is measured.
	srv := NewServer(st, Options{TrustProxy: true}).HTTPServer("127.0.0.1:0")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	go srv.Serve(ln)
	defer srv.Close()
	url := "http://" + ln.Addr().String() + "/api/hit"
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
		MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients}}
	defer client.CloseIdleConnections()

	var next atomic.Int64
	var failed atomic.Int64
	var firstErr atomic.Value
	lat := make([][]time.Duration, clients)
	var wg sync.WaitGroup
	deadline := time.Now().Add(10 * time.Second) // bounded, whatever b.N is
	b.ResetTimer()
	start := time.Now()
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := next.Add(1) - 1
				if i >= int64(b.N) || time.Now().After(deadline) {
					return
				}
				body := fmt.Sprintf(`{"path":"/tin-tuc/bai-%d/","lang":"vi","referrer":""}`, i%200)
				req, _ := http.NewRequest("POST", url, strings.NewReader(body))
				req.Header.Set("Content-Type", "text/plain;charset=UTF-8")
				req.Header.Set("User-Agent", browserUA)
				req.Header.Set("X-Forwarded-For", fmt.Sprintf("198.%d.%d.%d", 18+i>>16&1, i>>8&255, i&255))
				t0 := time.Now()
				resp, err := client.Do(req)
				if err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != 200 {
						err = fmt.Errorf("status %d", resp.StatusCode)
					}
				}
				if err != nil {
					failed.Add(1)
					firstErr.CompareAndSwap(nil, err.Error())
					continue
				}
				lat[c] = append(lat[c], time.Since(t0))
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	if n := failed.Load(); n > 0 {
		b.Fatalf("%d hits failed, first: %v", n, firstErr.Load())
	}
	all := slices.Concat(lat...)
	slices.Sort(all)
	if len(all) == 0 {
		return
	}
	c, _ := st.Counts(DateOf(time.Now(), time.Local), "")
	var stored int64
	days, _ := st.Days("0000", "9999")
	for _, d := range days {
		stored += d.Views
	}
	if stored != int64(len(all)) {
		b.Fatalf("%d hits answered, %d stored", len(all), stored)
	}
	p := func(q float64) float64 { return float64(all[int(q*float64(len(all)-1))]) / 1e6 }
	b.ReportMetric(float64(len(all))/elapsed.Seconds(), "hits/s")
	b.ReportMetric(p(0.50), "p50-ms")
	b.ReportMetric(p(0.99), "p99-ms")
	b.ReportMetric(float64(c.Total), "visits")
}
