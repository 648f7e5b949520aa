package site

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

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

// BenchmarkSessionEdit times what sxsh serve does after an editor saves an
// article of a generated corpus: a Session build told which file changed.
// "text" edits the body, which moves no page; "title" edits the title,
// which changes lists and their order, and takes the general way. ns/op is
// the time until the pages are in place; search-ms/op is the search
// index's rewrite that follows.
//
//	go test -run - -bench SessionEdit/10000 -benchtime 20x ./generator/site
func BenchmarkSessionEdit(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			dir := b.TempDir()
			if _, err := corpus.Write(dir, corpus.Options{Articles: n, Seed: 1}); err != nil {
				b.Fatal(err)
			}
			sess, err := NewSession(Options{Source: os.DirFS(dir), Defaults: defaults(), Destination: filepath.Join(dir, "public")})
			if err != nil {
				b.Fatal(err)
			}
			if _, err := sess.Build(b.Context(), nil); err != nil {
				b.Fatal(err)
			}
			articles, err := filepath.Glob(filepath.Join(dir, "content", "articles", "0*.vi.md"))
			if err != nil || len(articles) == 0 {
				b.Fatalf("no articles: %v", err)
			}
			edits := map[string]func(src []byte, i int) []byte{
				"text": func(src []byte, i int) []byte { return fmt.Appendf(src, "\nĐoạn sửa thứ %d.\n", i) },
				"title": func(src []byte, i int) []byte {
					return bytes.Replace(src, []byte(`title = "`), fmt.Appendf(nil, `title = "Sửa %d: `, i), 1)
				},
			}
			for _, kind := range []string{"text", "title"} {
				b.Run(kind, func(b *testing.B) {
					var search time.Duration
					var written, i int
					for b.Loop() {
						b.StopTimer()
						file := articles[(i*7919)%len(articles)]
						i++
						src, err := os.ReadFile(file)
						if err != nil {
							b.Fatal(err)
						}
						if err := os.WriteFile(file, edits[kind](src, i), 0o644); err != nil {
							b.Fatal(err)
						}
						rel, _ := filepath.Rel(dir, file)
						b.StartTimer()
						res, err := sess.Build(b.Context(), []string{filepath.ToSlash(rel)})
						if err != nil {
							b.Fatal(err)
						}
						b.StopTimer()
						written += res.Files
						start := time.Now()
						if err := sess.Wait(); err != nil {
							b.Fatal(err)
						}
						search += time.Since(start)
						b.StartTimer()
					}
					b.ReportMetric(float64(search.Milliseconds())/float64(b.N), "search-ms/op")
					b.ReportMetric(float64(written)/float64(b.N), "files/op")
				})
			}
		})
	}
}
