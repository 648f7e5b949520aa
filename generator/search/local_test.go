package search

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// A Write after documents were replaced, added or removed writes exactly
// the bytes of a new builder's Write over the same documents, whether it
// changes only the shards of the edited lists or lays out every list: over
// random edits of the text, edits that move lists across the split limit,
// documents added and removed, several edits before one Write, and the
// builder read back from its state between Writes, with the docs pack of
// two Writes before to take slots from. The edits must take
// the local way most of the time, and some must cross the limit.
func TestLocalWriteMatchesFresh(t *testing.T) {
	// With the default limits no list of so few pages is split; with the
	// small ones a few are, and edits move some across the limit.
	for _, lim := range []listLimits{defaultLimits, {split: 80, head: 40}} {
		t.Run(fmt.Sprintf("split%d", lim.split), func(t *testing.T) {
			c := newCorpus(t, 17)
			rnd := rand.New(rand.NewPCG(5, uint64(lim.split)))
			docs := map[string]Doc{}
			b := NewBuilder("vi", testKinds)
			b.limits = lim
			for i := range 80 {
				key := fmt.Sprintf("content/%03d.md", i)
				docs[key] = withFan(c.doc(i, 600), i)
				b.Put(key, Analyze(docs[key]))
			}
			writeAll := func(b *Builder) (files, string) {
				t.Helper()
				fs := files{}
				m, err := b.Write(func(rel string, data []byte) error {
					fs[rel] = bytes.Clone(data)
					return nil
				})
				if err != nil {
					t.Fatal(err)
				}
				return fs, m
			}
			tails := func(fs files, manifest string) int {
				var m struct{ Tails string }
				if err := json.Unmarshal(fs[manifest], &m); err != nil {
					t.Fatal(err)
				}
				if m.Tails == "" {
					return 0
				}
				return strings.Count(m.Tails, "|") + 1
			}
			fs, manifest := writeAll(b)
			lastTails := tails(fs, manifest)
			packs := [][]byte{fs["docs.bin"]}
			local, localTails, crossed, full := 0, 0, 0, 0
			for step := range 30 {
				keys := slices.Sorted(maps.Keys(docs))
				key := keys[rnd.IntN(len(keys))]
				d := docs[key]
				what := ""
				switch r := rnd.IntN(10); {
				case step == 7 || r == 0:
					// A page added: the documents are numbered anew.
					key = fmt.Sprintf("content/new-%03d.md", step)
					d = withFan(c.doc(500+step, 800), step)
					what = "added"
				case step == 13 || r == 1:
					delete(docs, key)
					b.Remove(key)
					what = "removed"
				case r < 4:
					// Many words on one page: some lists change much.
					other := docs[keys[rnd.IntN(len(keys))]]
					d.Sections = append(slices.Clone(d.Sections), other.Sections...)
					what = "grown"
				case r < 6:
					// Another page's text: words only this page had are gone.
					d.Sections = slices.Clone(docs[keys[rnd.IntN(len(keys))]].Sections)
					d.Title = c.sentence(5)
					what = "rewritten"
				case r < 8:
					d = withFan(d, rnd.IntN(40))
					what = "fans"
				default:
					d.Sections = append(slices.Clone(d.Sections), c.sentence(6+rnd.IntN(20)))
					what = "edited"
				}
				if what != "removed" {
					docs[key] = d
					b.Put(key, Analyze(d))
				}
				if step%5 == 3 {
					// A second edit before the Write.
					k := keys[rnd.IntN(len(keys))]
					if e, ok := docs[k]; ok {
						e.Sections = append(slices.Clone(e.Sections), c.sentence(8))
						docs[k] = e
						b.Put(k, Analyze(e))
						what += " and another"
					}
				}
				// The docs pack of two Writes before, as a build's standby
				// tree has it.
				if len(packs) >= 2 {
					b.Replaces(packs[len(packs)-2])
				}
				before := b.written
				got, manifest := writeAll(b)
				packs = append(packs, got["docs.bin"])
				n := tails(got, manifest)
				switch {
				case b.written != before:
					full++
				case n > 0:
					localTails++
					fallthrough
				default:
					local++
				}
				if n != lastTails && !strings.HasPrefix(what, "added") && !strings.HasPrefix(what, "removed") {
					crossed++
				}
				lastTails = n
				fresh := NewBuilder("vi", testKinds)
				fresh.limits = lim
				for _, k := range slices.Sorted(maps.Keys(docs)) {
					fresh.Add(Analyze(docs[k]))
				}
				want, _ := writeAll(fresh)
				if d := sameFiles(got, want); d != "" {
					t.Fatalf("step %d (%s %s): the index is not a new builder's: %s", step, what, key, d)
				}
				if step%4 == 1 {
					back, _ := readBack(t, b)
					back.limits = lim
					b = back
				}
			}
			t.Logf("%d Writes changed only the edited lists' shards (%d with split lists), %d laid out every list; %d edits moved tails", local, localTails, full, crossed)
			if local < 10 || full < 5 || lim.split < defaultLimits.split && (localTails < 3 || crossed == 0) {
				t.Error("the test does not try each way")
			}
		})
	}
}

// A new word under a key whose words all moved to longer keys, so that
// the key has no shard, gives the key a shard: the Write still changes
// only that, and writes a new builder's bytes.
func TestLocalWriteAddsAShard(t *testing.T) {
	c := newCorpus(t, 17)
	docs := map[string]Doc{}
	b := NewBuilder("vi", testKinds)
	fresh := NewBuilder("vi", testKinds)
	// Words under "pq", in two groups too large to share a shard: both
	// move to keys of their own, and "pq" is left without a shard.
	letters := func(n int) string {
		return string([]byte{byte('a' + n/676%26), byte('a' + n/26%26), byte('a' + n%26)})
	}
	for i := range 200 {
		key := fmt.Sprintf("content/%03d.md", i)
		d := c.doc(i, 300)
		var words []string
		for j := range 10 {
			words = append(words, "pqa"+letters(i*10+j), "pqb"+letters(i*10+j))
		}
		d.Sections = append(d.Sections, strings.Join(words, " "))
		docs[key] = d
		b.Put(key, Analyze(d))
	}
	write(t, b)
	// A key without a shard, and a word under it that no group has.
	var word string
	var walk func(n *lnode)
	walk = func(n *lnode) {
		if word != "" {
			return
		}
		if !n.emitted && !n.leaf && n.key != "" {
			for _, end := range "0123456789qwzfj" {
				w := n.key + string(end)
				if _, known := b.termIx[w]; !known && n.group(w) < 0 && b.written.root.find(w) == n {
					word = w
					return
				}
			}
		}
		for _, g := range n.groups {
			if g.node != nil {
				walk(g.node)
			}
		}
	}
	walk(b.written.root)
	if word == "" {
		t.Fatal("the index has no key without a shard: the test tries nothing")
	}
	key := "content/007.md"
	d := docs[key]
	d.Sections = append(slices.Clone(d.Sections), "Mã "+word+".")
	docs[key] = d
	b.Put(key, Analyze(d))
	before, keys := b.written, len(b.written.keys)
	got, _ := write(t, b)
	if b.written != before || len(b.written.keys) != keys+1 {
		t.Fatalf("adding %q: the Write laid out every list (%v) or did not add one shard (%d shards, %d before)", word, b.written != before, len(b.written.keys), keys)
	}
	for _, k := range slices.Sorted(maps.Keys(docs)) {
		fresh.Add(Analyze(docs[k]))
	}
	want, _ := write(t, fresh)
	if diff := sameFiles(got, want); diff != "" {
		t.Fatalf("adding %q: the index is not a new builder's: %s", word, diff)
	}
	// The layout kept in the state has the new shard.
	if back, _ := readBack(t, b); !slices.Equal(back.written.keys, b.written.keys) || !back.written.root.find(word).emitted {
		t.Errorf("the state read back lost the shard of %q", word)
	}
}

// withFan gives d, when n is even, a paragraph that says "quạt" n%23+1
// times: half the pages have the word, each as often as it has, so that
// its list has many impacts and is split.
func withFan(d Doc, n int) Doc {
	if n%2 == 0 {
		d.Sections = append(slices.Clone(d.Sections), strings.Repeat("Quạt ", n%23+1))
	}
	return d
}

// BenchmarkWriteAfterEdit times a Write after one page's text changed,
// encoding only the changed lists ("local") and every list ("full"), each
// given the docs pack it replaces; local/op is the share of Writes that
// took the local way.
func BenchmarkWriteAfterEdit(b *testing.B) {
	c := newCorpus(b, 19)
	docs := c.docs(2000, 1500)
	for _, local := range []bool{true, false} {
		name := map[bool]string{true: "local", false: "full"}[local]
		b.Run(name, func(b *testing.B) {
			ix := NewBuilder("vi", testKinds)
			for i, d := range docs {
				ix.Put(fmt.Sprint(i), Analyze(d))
			}
			// The docs pack of the last Write is the one the next replaces.
			var pack []byte
			discard := func(rel string, data []byte) error {
				if rel == "docs.bin" {
					pack = data
				}
				return nil
			}
			if _, err := ix.Write(discard); err != nil {
				b.Fatal(err)
			}
			kept := 0
			for i := 0; b.Loop(); i++ {
				b.StopTimer()
				d := docs[i%len(docs)]
				d.Sections = append(slices.Clone(d.Sections), c.sentence(12))
				ix.Put(fmt.Sprint(i%len(docs)), Analyze(d))
				if !local {
					ix.written = nil
				}
				ix.Replaces(pack)
				before := ix.written
				b.StartTimer()
				if _, err := ix.Write(discard); err != nil {
					b.Fatal(err)
				}
				if ix.written == before {
					kept++
				}
			}
			b.ReportMetric(float64(kept)/float64(b.N), "local/op")
		})
	}
}
