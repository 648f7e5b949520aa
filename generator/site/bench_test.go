package site

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"sxsh/generator/corpus"
)

// BenchmarkBuild builds a generated bilingual corpus; -benchtime=1x with
// -bench=Build/1000 gives one full build. cmd/bench measures whole-process
// wall time and peak memory instead.
func BenchmarkBuild(b *testing.B) {
	for _, n := range []int{100, 1000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			dir := b.TempDir()
			if _, err := corpus.Write(dir, corpus.Options{Articles: n, Seed: 1}); err != nil {
				b.Fatal(err)
			}
			src := os.DirFS(dir)
			dest := filepath.Join(dir, "public")
			b.ResetTimer()
			for b.Loop() {
				if _, err := Build(b.Context(), Options{Source: src, Defaults: defaults(), Destination: dest}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(2*n)*float64(b.N)/b.Elapsed().Seconds(), "articles/s")
		})
	}
}
