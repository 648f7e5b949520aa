package corpus

import (
	"math/rand/v2"
	"testing"

	"github.com/BurntSushi/toml"
)

func newTestRand() *rand.Rand { return rand.New(rand.NewPCG(1, 2)) }

func TestSlugify(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Sản xuất sạch hơn", "san-xuat-sach-hon"},
		{"Đồng Nai", "dong-nai"},
		{"KCN Lộc An – Bình Sơn", "kcn-loc-an-binh-son"},
		{"Tiết kiệm 120.000 kWh điện", "tiet-kiem-120-000-kwh-dien"},
		{"  --Hòa  hoà-- ", "hoa-hoa"},
		{"The Đồng Nai Labour newspaper's column", "the-dong-nai-labour-newspaper-s-column"},
		{"", ""},
		{"– …", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := slugify(tt.in); got != tt.want {
				t.Errorf("slugify(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestGroup(t *testing.T) {
	tests := []struct {
		n      int
		vi, en string
	}{
		{0, "0", "0"},
		{999, "999", "999"},
		{2200, "2.200", "2,200"},
		{80000, "80.000", "80,000"},
		{760123, "760.123", "760,123"},
		{1000000, "1.000.000", "1,000,000"},
	}
	for _, tt := range tests {
		t.Run(tt.en, func(t *testing.T) {
			if got := group(tt.n, '.'); got != tt.vi {
				t.Errorf("group(%d, '.') = %q, want %q", tt.n, got, tt.vi)
			}
			if got := group(tt.n, ','); got != tt.en {
				t.Errorf("group(%d, ',') = %q, want %q", tt.n, got, tt.en)
			}
		})
	}
}

func TestFixArticles(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a engineering company", "an engineering company"},
		{"A unfired brick plant", "An unfired brick plant"},
		{"a paper company", "a paper company"},
		{"in a area", "in an area"},
		{"a", "a"},
		{"data analysis", "data analysis"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := fixArticles(tt.in); got != tt.want {
				t.Errorf("fixArticles(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestTrimSlug(t *testing.T) {
	tests := []struct {
		in   string
		max  int
		want string
	}{
		{"tiet-kiem-dien", 60, "tiet-kiem-dien"},
		{"tiet-kiem-dien", 10, "tiet-kiem"},
		{"tietkiemdien", 5, "tietk"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := trimSlug(tt.in, tt.max); got != tt.want {
				t.Errorf("trimSlug(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
			}
		})
	}
}

func FuzzTOMLString(f *testing.F) {
	for _, s := range []string{"", `say "hi"`, `back\slash`, "Sản xuất\tsạch\nhơn", "“Lúc đầu”"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var v struct{ S string }
		if _, err := toml.Decode("s = "+tomlString(s), &v); err != nil {
			// Control characters other than tab and newline are not
			// allowed raw in TOML and never come out of the vocabulary.
			for _, r := range s {
				if r < 0x20 && r != '\t' && r != '\n' || r == 0x7f {
					t.Skip()
				}
			}
			t.Fatalf("tomlString(%q) does not parse: %v", s, err)
		}
		if v.S != s && validUTF8(s) {
			t.Errorf("round trip of %q gave %q", s, v.S)
		}
	})
}

func validUTF8(s string) bool {
	for _, r := range s {
		if r == '\uFFFD' {
			return false
		}
	}
	return true
}
