package search

import (
	"testing"
	"time"
)

// The benchmarks report cpu-ms/op, the process's CPU time (including the
// garbage collector) per operation, beside the wall time, which on a shared
// machine measures the neighbours too.

// BenchmarkAnalyze reports MB/s of page text analyzed, on pages of about
// 5 KB, the site's average (100 MB over 20,000 pages).
func BenchmarkAnalyze(b *testing.B) {
	c := newCorpus(b, 1)
	docs := make([]Doc, 200)
	total := 0
	for i := range docs {
		docs[i] = c.doc(i, 5000)
		total += docBytes(docs[i])
	}
	b.SetBytes(int64(total))
	b.ReportAllocs()
	start := cpuTime()
	for b.Loop() {
		for _, d := range docs {
			Analyze(d)
		}
	}
	reportCPU(b, start, total)
}

// BenchmarkWrite writes the index of 10,000 pages of about 5 KB.
func BenchmarkWrite(b *testing.B) {
	c := newCorpus(b, 2)
	bl := NewBuilder("vi", testKinds)
	for i := 0; i < 10000; i++ {
		bl.Add(Analyze(c.doc(i, 5000)))
	}
	b.ReportAllocs()
	start := cpuTime()
	for b.Loop() {
		_, err := bl.Write(func(string, []byte) error { return nil })
		if err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, start, 0)
}

func reportCPU(b *testing.B, start time.Duration, bytes int) {
	cpu := cpuTime() - start
	if cpu <= 0 || b.N == 0 {
		return
	}
	perOp := cpu / time.Duration(b.N)
	b.ReportMetric(float64(perOp)/1e6, "cpu-ms/op")
	if bytes > 0 {
		b.ReportMetric(float64(bytes)/perOp.Seconds()/1e6, "cpu-MB/s")
	}
}
