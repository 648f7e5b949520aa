package search

import (
	"bytes"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"testing"
	"unsafe"
)

// sameFiles reports how two indexes' files differ, or "".
func sameFiles(got, want files) string {
	for _, name := range slices.Sorted(maps.Keys(want)) {
		if !bytes.Equal(got[name], want[name]) {
			return "differs or missing: " + name
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			return "extra: " + name
		}
	}
	return ""
}

// TestPutAndRemoveWriteTheFreshIndex: a builder that documents were put
// into, replaced in and removed from, and one read back from its state,
// write byte for byte the index of a new builder given the documents that
// remain.
func TestPutAndRemoveWriteTheFreshIndex(t *testing.T) {
	c := newCorpus(t, 11)
	docs := map[string]Doc{}
	b := NewBuilder("vi", testKinds)
	for i := range 60 {
		key := fmt.Sprintf("content/%02d.md", i)
		docs[key] = c.doc(i, 2000)
		b.Put(key, Analyze(docs[key]))
	}
	fresh := func() files {
		f := NewBuilder("vi", testKinds)
		for _, key := range slices.Sorted(maps.Keys(docs)) {
			f.Add(Analyze(docs[key]))
		}
		fs, _ := write(t, f)
		return fs
	}
	check := func(step string, b *Builder) {
		t.Helper()
		got, _ := write(t, b)
		if d := sameFiles(got, fresh()); d != "" {
			t.Errorf("%s: the index is not a new builder's: %s", step, d)
		}
		back, state := readBack(t, b)
		// The same builder, the same state, byte for byte.
		var twice bytes.Buffer
		if err := back.WriteState(&twice); err != nil || !bytes.Equal(twice.Bytes(), state) {
			t.Errorf("%s: the state read back is written as other bytes (%v)", step, err)
		}
		again, _ := write(t, back)
		if d := sameFiles(again, got); d != "" {
			t.Errorf("%s: the builder read back writes another index: %s", step, d)
		}
	}
	check("put", b)

	// An edited page, a page with words no other page has, then gone, a
	// page gone, a page back.
	d := docs["content/07.md"]
	d.Sections = append(d.Sections, "Quạt trần tiết kiệm điện năng.")
	docs["content/07.md"] = d
	b.Put("content/07.md", Analyze(d))
	docs["content/99.md"] = Doc{URL: "/zz/", Title: "Xyzzy plugh", Sections: []string{"Quuxbar frobnicate."}}
	b.Put("content/99.md", Analyze(docs["content/99.md"]))
	check("replaced and added", b)
	delete(docs, "content/99.md")
	b.Remove("content/99.md")
	delete(docs, "content/12.md")
	b.Retain(func(key string) bool { return key != "content/12.md" })
	if b.Has("content/12.md") || !b.Has("content/13.md") {
		t.Error("Has does not tell what Retain kept")
	}
	check("removed", b)
	docs["content/12.md"] = c.doc(12, 500)
	b.Put("content/12.md", Analyze(docs["content/12.md"]))
	check("put back", b)
}

// A builder's state read back has every field of every document: a field
// added to docRec that WriteState does not write fails this test.
func TestStateHasEveryField(t *testing.T) {
	b := NewBuilder("en", []string{"article", "page"})
	b.Put("content/a.md", Analyze(Doc{URL: "/a/", Title: "Alpha beta", Sections: []string{"Gamma delta."}}))
	d := b.docs[0]
	v := reflect.ValueOf(d).Elem()
	for i := range v.NumField() {
		f := v.Field(i)
		f = reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem()
		switch f.Kind() {
		case reflect.String:
			if f.Type() == reflect.TypeFor[string]() && v.Type().Field(i).Name != "key" {
				f.SetString(f.String() + " (x)")
			}
		case reflect.Int:
			f.SetInt(2031)
		case reflect.Uint64:
			f.SetUint(777)
		case reflect.Slice:
			if f.Len() == 0 {
				t.Fatalf("docRec.%s is empty: give the test document one", v.Type().Field(i).Name)
			}
			switch e := f.Index(0); e.Kind() {
			case reflect.Uint16:
				e.SetUint(e.Uint() + 5)
			case reflect.Uint32: // an id: another valid one
				e.SetUint(uint64(f.Index(f.Len() - 1).Uint()))
			default:
				t.Fatalf("docRec.%s: no change for %s", v.Type().Field(i).Name, e.Kind())
			}
		default:
			t.Fatalf("docRec.%s: no change for %s", v.Type().Field(i).Name, f.Kind())
		}
	}
	back, _ := readBack(t, b)
	if !reflect.DeepEqual(back.docs, b.docs) {
		t.Errorf("read back %+v, want %+v", *back.docs[0], *d)
	}
	for name, pair := range map[string][2]any{
		"terms": {back.termStr, b.termStr}, "exacts": {back.exStr, b.exStr}, "exact terms": {back.exTerm, b.exTerm},
		"pairs": {back.pairKey, b.pairKey}, "kinds": {back.kinds, b.kinds}, "lang": {back.lang, b.lang},
	} {
		if !reflect.DeepEqual(pair[0], pair[1]) {
			t.Errorf("%s: read back %v, want %v", name, pair[0], pair[1])
		}
	}
}

// Damaged or cut state is refused, never a panic.
func TestReadStateRefusesDamage(t *testing.T) {
	b := NewBuilder("vi", testKinds)
	for i, text := range []string{"Tiết kiệm điện năng.", "Sản xuất sạch hơn, tiết kiệm nước."} {
		b.Put(fmt.Sprint(i), Analyze(Doc{URL: fmt.Sprintf("/%d/", i), Title: text, Sections: []string{text}}))
	}
	var state bytes.Buffer
	if err := b.WriteState(&state); err != nil {
		t.Fatal(err)
	}
	data := state.Bytes()
	for i := range len(data) {
		if _, err := ReadState(data[:i]); err == nil {
			t.Errorf("state cut to %d of %d bytes was read", i, len(data))
		}
		spoilt := slices.Clone(data)
		spoilt[i] ^= 0xff
		if back, err := ReadState(spoilt); err == nil {
			write(t, back) // a state that reads must write
		}
	}
}

// A Write after an edit takes the shards the edit did not change from the
// last Write, compressed, and compresses the others: the index is a new
// builder's all the same.
func TestWriteReusesUnchangedShards(t *testing.T) {
	c := newCorpus(t, 13)
	b := NewBuilder("vi", testKinds)
	var docs []Doc
	for i := range 300 {
		docs = append(docs, c.doc(i, 1500))
		b.Put(fmt.Sprint(i), Analyze(docs[i]))
	}
	write(t, b)
	before := maps.Clone(b.members)
	docs[7].Sections = append(docs[7].Sections, "Quạt trần tiết kiệm điện năng.")
	b.Put("7", Analyze(docs[7]))
	got, _ := write(t, b)
	fresh, _ := build(t, "vi", docs)
	if d := sameFiles(got, fresh); d != "" {
		t.Fatalf("the index is not a new builder's: %s", d)
	}
	reused, made := 0, 0
	for sum, data := range b.members {
		if old, ok := before[sum]; ok && &old[0] == &data[0] {
			reused++
		} else {
			made++
		}
	}
	if made == 0 || reused == 0 {
		t.Errorf("%d shards compressed again, %d taken as they were", made, reused)
	}
}

// Holds tells a document that putting would change from one it would not.
func TestHolds(t *testing.T) {
	d := Doc{URL: "/a/", Title: "Tiết kiệm điện", Sections: []string{"Tiết kiệm điện năng trong sản xuất."}}
	b := NewBuilder("vi", testKinds)
	b.Put("a", Analyze(d))
	b.Put("b", Analyze(Doc{URL: "/b/", Title: "Nước sạch"}))
	if !b.Holds("a", Analyze(d)) {
		t.Error("the same document is not held")
	}
	for name, other := range map[string]Doc{
		"title":    {URL: d.URL, Title: "Tiết kiệm nước", Sections: d.Sections},
		"text":     {URL: d.URL, Title: d.Title, Sections: []string{"Tiết kiệm điện năng trong sản xuất công nghiệp."}},
		"marks":    {URL: d.URL, Title: "Tiet kiem dien", Sections: d.Sections},
		"repeated": {URL: d.URL, Title: d.Title, Sections: []string{"Tiết kiệm điện năng trong sản xuất. Sản xuất."}},
		"address":  {URL: "/a2/", Title: d.Title, Sections: d.Sections},
	} {
		if b.Holds("a", Analyze(other)) {
			t.Errorf("%s changed: the document is held all the same", name)
		}
	}
	if b.Holds("c", Analyze(d)) {
		t.Error("a key put under nothing holds a document")
	}
}

// readBack writes b's state and reads it back, failing the test when it
// cannot; it returns the builder read and the state's bytes.
func readBack(t testing.TB, b *Builder) (*Builder, []byte) {
	t.Helper()
	var state bytes.Buffer
	if err := b.WriteState(&state); err != nil {
		t.Fatal(err)
	}
	back, err := ReadState(state.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	return back, state.Bytes()
}
