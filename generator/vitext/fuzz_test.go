package vitext

import (
	"testing"
)

// addVectorSeeds seeds a fuzz test with every string of the shared vectors.
func addVectorSeeds(f *testing.F) {
	for _, v := range readVectors(f) {
		f.Add(v.input)
		f.Add(v.nfc)
	}
	f.Add("e\u0301\u0302\u0323") // tone typed before the circumflex, plus a dot below
	f.Add("\xff\xfeĐ")           // invalid UTF-8
}

func FuzzSlug(f *testing.F) {
	addVectorSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		checkProperties(t, s)
	})
}

func FuzzFold(f *testing.F) {
	addVectorSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		checkProperties(t, s)
		if isVietnameseText(s) && Fold(s) != Fold(NFC(s)) {
			t.Errorf("Fold(%+q) = %+q, Fold(NFC) = %+q", s, Fold(s), Fold(NFC(s)))
		}
	})
}

func FuzzExact(f *testing.F) {
	addVectorSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		checkProperties(t, s)
		_, toks := Tokenize(s)
		for _, tok := range toks {
			if e := Exact(tok.Text); Fold(e) != tok.Fold {
				t.Errorf("Fold(Exact(%+q)) = %+q, want the token's Fold %+q", tok.Text, Fold(e), tok.Fold)
			}
		}
	})
}
