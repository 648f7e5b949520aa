package search

import (
	"bytes"
	"reflect"
	"testing"
)

func TestAnalyzedBinaryRoundTrip(t *testing.T) {
	docs := []Doc{
		{Title: "Sản xuất sạch hơn", URL: "/tin-tuc/sxsh/", Kind: "article", Date: "28/11/2026", Year: 2026,
			Summary: "Tiết kiệm điện năng", Headings: []string{"Kết quả"}, Sections: []string{"Năm 2016–2020, 2.200 băng rôn hoà hòa.", "SXSH/TKNL"}},
		{Title: "", URL: "/", Kind: "page"},
	}
	for _, d := range docs {
		a := Analyze(d)
		data, err := a.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		var b Analyzed
		if err := b.UnmarshalBinary(data); err != nil {
			t.Fatalf("%q: %v", d.Title, err)
		}
		again, _ := b.MarshalBinary()
		if !bytes.Equal(again, data) || a.strs != b.strs || a.url != b.url || !reflect.DeepEqual(a.terms, b.terms) || len(a.pairs) != len(b.pairs) {
			t.Errorf("%q: the decoded analysis differs:\n%+v\n%+v", d.Title, a, &b)
		}
		// Every shorter or damaged encoding is an error, never a panic or
		// an analysis that points outside its strings.
		for i := range data {
			var c Analyzed
			if c.UnmarshalBinary(data[:i]) == nil {
				t.Errorf("%q: %d of %d bytes decoded", d.Title, i, len(data))
			}
			bad := append([]byte(nil), data...)
			bad[i] ^= 0xff
			if c.UnmarshalBinary(bad) == nil {
				_ = Analyze(Doc{}) // decoded: it must at least index without panicking
				ix := NewBuilder("vi", []string{"article", "page"})
				ix.Add(&c)
			}
		}
	}
}
