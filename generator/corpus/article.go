package corpus

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// dateRange is the span articles are dated in. It ends before the corpus
// was first used, so that no generator drops articles as future posts, and
// it is fixed so that the output never depends on the clock.
func dateRange() (first, last time.Time) {
	return time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)
}

// meta is what other articles need to know about one article before its body
// is written: enough to link to it.
type meta struct {
	num   int
	base  string // file name without the language suffix: 00042-tiet-kiem-dien
	title pair
	slug  pair
	date  string // TOML local date
	year  int
	cat   int
	tags  []int
	lead  pair
}

// newMeta draws article num's metadata from its own random stream, so that
// it does not depend on how many articles come before it.
func newMeta(v *vocab, seed uint64, num int) meta {
	r := rand.New(rand.NewPCG(seed, uint64(num)<<1))
	first, last := dateRange()
	days := int(last.Sub(first).Hours() / 24)
	d := first.AddDate(0, 0, r.IntN(days+1))
	g := &gen{r: r, v: v, year: d.Year()}
	cat := r.IntN(len(v.categories))
	titles := v.titles[cat]
	// The title and the lead share their slot values so that both speak of
	// the same zone, company and figures.
	bound := map[string]pair{}
	title := g.fillBound(titles[r.IntN(len(titles))], false, bound)
	leads := v.leads[cat]
	lead := g.fillBound(leads[r.IntN(len(leads))], false, bound)

	tags := []int{v.categoryTag[cat]}
	for n := 1 + r.IntN(3); len(tags) <= n; {
		t := r.IntN(len(v.tags))
		if !containsInt(tags, t) {
			tags = append(tags, t)
		}
	}
	viSlug := slugify(title.vi)
	suffix := "-" + strconv.Itoa(num)
	return meta{
		num:   num,
		base:  fmt.Sprintf("%05d-%s", num, firstWords(viSlug, 4)),
		title: title,
		slug:  pair{trimSlug(viSlug, 60) + suffix, trimSlug(slugify(title.en), 60) + suffix},
		date:  d.Format(time.DateOnly),
		year:  d.Year(),
		cat:   cat,
		tags:  tags,
		lead:  lead,
	}
}

func containsInt(s []int, x int) bool {
	for _, y := range s {
		if y == x {
			return true
		}
	}
	return false
}

// gen draws text from one random stream. Every choice is made once and
// written in both languages, so the English file translates the Vietnamese.
type gen struct {
	r    *rand.Rand
	v    *vocab
	year int
	// deck holds the indexes of the sentence templates not used yet in this
	// article, so that a template comes back only once the others have.
	deck  []int
	dealt bool
}

func (g *gen) pick(list []pair) pair { return list[g.r.IntN(len(list))] }

// fill replaces the {slot}s of a template pair with values drawn once per
// slot name and written in each language's own number format. With bold, the
// first figure is set in **bold**, as editors do with key numbers.
func (g *gen) fill(t pair, bold bool) pair {
	return g.fillBound(t, bold, map[string]pair{})
}

// fillBound is fill with the values already drawn for some slots in bound;
// it adds the ones it draws.
func (g *gen) fillBound(t pair, bold bool, bound map[string]pair) pair {
	var vi, en strings.Builder
	expand := func(b *strings.Builder, s string, lang int) {
		for {
			i := strings.IndexByte(s, '{')
			if i < 0 {
				b.WriteString(s)
				return
			}
			j := strings.IndexByte(s[i:], '}')
			if j < 0 {
				b.WriteString(s)
				return
			}
			b.WriteString(s[:i])
			name := s[i+1 : i+j]
			val, ok := bound[name]
			if !ok {
				var figure bool
				val, figure = g.slot(name, bound)
				if figure && bold {
					val = pair{"**" + val.vi + "**", "**" + val.en + "**"}
					bold = false
				}
				bound[name] = val
			}
			if lang == 0 {
				b.WriteString(val.vi)
			} else {
				b.WriteString(val.en)
			}
			s = s[i+j+1:]
		}
	}
	expand(&vi, t.vi, 0)
	expand(&en, t.en, 1)
	return pair{capitalize(vi.String()), capitalize(fixArticles(en.String()))}
}

// slot draws a value for one placeholder; figure reports whether it is a
// number worth setting in bold. bound holds the values drawn so far in the
// same sentence, so that {measure2} differs from {measure}.
func (g *gen) slot(name string, bound map[string]pair) (val pair, figure bool) {
	v := g.v
	switch name {
	case "district":
		return g.pick(v.districts), false
	case "zone":
		return g.pick(v.zones), false
	case "industry":
		return g.pick(v.industries), false
	case "measure", "measure2":
		for {
			m := g.pick(v.measures)
			if name == "measure" || m != bound["measure"] {
				return m, false
			}
		}
	case "resource":
		return g.pick(v.resources), false
	case "org":
		return g.pick(v.orgs), false
	case "audience":
		return g.pick(v.audiences), false
	case "activity":
		return g.pick(v.activities), false
	case "pub":
		return g.pick(v.pubs), false
	case "stage":
		return g.pick(v.stages), false
	case "station":
		return g.pick(v.stations), false
	case "freq":
		return g.pick(v.freqs), false
	case "name":
		return g.pick(v.maleNames), false
	case "fname":
		return g.pick(v.femaleNames), false
	case "year":
		y := strconv.Itoa(g.year)
		return pair{y, y}, false
	case "year2":
		y := strconv.Itoa(g.year + 4)
		return pair{y, y}, false
	case "issue":
		return g.number(1, 24, 1, "", "", "", ""), false
	}
	spec, ok := figureFor(name)
	if !ok {
		// A template names an unknown slot: keep it visible rather than
		// failing, since TestVocabulary reports every such slot.
		return pair{"{" + name + "}", "{" + name + "}"}, false
	}
	return g.number(spec.lo, spec.hi, spec.step, spec.viPre, spec.viPost, spec.enPre, spec.enPost), true
}

// figureSpec says how one kind of figure is drawn and written.
type figureSpec struct {
	lo, hi, step                 int
	viPre, viPost, enPre, enPost string
}

// figureFor describes the numeric slots: their range, step and units.
func figureFor(name string) (figureSpec, bool) {
	switch name {
	case "pct":
		return figureSpec{5, 45, 1, "", "%", "", "%"}, true
	case "pctlo":
		return figureSpec{10, 45, 1, "", "%", "", "%"}, true
	case "pcthi":
		return figureSpec{55, 95, 1, "", "%", "", "%"}, true
	case "people":
		return figureSpec{20, 300, 1, "", "", "", ""}, true
	case "firms":
		return figureSpec{12, 480, 1, "", "", "", ""}, true
	case "classes":
		return figureSpec{2, 30, 1, "", "", "", ""}, true
	case "money":
		return figureSpec{20, 2500, 5, "", " triệu đồng", "VND ", " million"}, true
	case "kwh":
		return figureSpec{10000, 900000, 500, "", " kWh", "", " kWh"}, true
	case "kw":
		return figureSpec{30, 900, 5, "", " kW", "", " kW"}, true
	case "kwp":
		return figureSpec{100, 2000, 10, "", " kWp", "", " kWp"}, true
	case "tons":
		return figureSpec{5, 1800, 1, "", " tấn", "", " tonnes"}, true
	case "months":
		return figureSpec{3, 36, 1, "", "", "", ""}, true
	case "copies":
		return figureSpec{500, 80000, 100, "", "", "", ""}, true
	case "visits":
		return figureSpec{100000, 900000, 1000, "", "", "", ""}, true
	case "minutes":
		return figureSpec{5, 30, 1, "", "", "", ""}, true
	case "days":
		return figureSpec{2, 5, 1, "", "", "", ""}, true
	case "team":
		return figureSpec{4, 12, 1, "", "", "", ""}, true
	case "opps":
		return figureSpec{8, 40, 1, "", "", "", ""}, true
	case "years":
		return figureSpec{2, 10, 1, "", "", "", ""}, true
	}
	return figureSpec{}, false
}

func (g *gen) number(lo, hi, step int, viPre, viPost, enPre, enPost string) pair {
	n := lo + g.r.IntN((hi-lo)/step+1)*step
	return pair{viPre + group(n, '.') + viPost, enPre + group(n, ',') + enPost}
}

// group writes n with a separator between thousands: 2.200 in Vietnamese,
// 2,200 in English.
func group(n int, sep byte) string {
	s := strconv.Itoa(n)
	if len(s) <= 3 {
		return s
	}
	var b strings.Builder
	lead := len(s) % 3
	if lead > 0 {
		b.WriteString(s[:lead])
	}
	for i := lead; i < len(s); i += 3 {
		if b.Len() > 0 {
			b.WriteByte(sep)
		}
		b.WriteString(s[i : i+3])
	}
	return b.String()
}

// capitalize upper-cases the first letter, since templates may open with a
// slot whose value is written in lower case.
func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError || unicode.IsUpper(r) {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// fixArticles turns "a" into "an" before a vowel: slots such as {industry}
// follow "a" in the templates and may start with one.
func fixArticles(s string) string {
	words := strings.Split(s, " ")
	for i := 0; i+1 < len(words); i++ {
		if (words[i] == "a" || words[i] == "A") && words[i+1] != "" && strings.ContainsRune("aeiouAEIOU", rune(words[i+1][0])) {
			words[i] += "n"
		}
	}
	return strings.Join(words, " ")
}

// slugify writes s in lower-case ASCII words joined by hyphens, with the
// Vietnamese diacritics removed (đ becomes d), as editors' slugs are.
func slugify(s string) string {
	var b strings.Builder
	sep := false
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		if r == 'đ' || r == 'Đ' {
			r = 'd'
		}
		r = unicode.ToLower(r)
		if r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= '0' && r <= '9') {
			if sep && b.Len() > 0 {
				b.WriteByte('-')
			}
			sep = false
			b.WriteRune(r)
			continue
		}
		sep = true
	}
	return b.String()
}

// firstWords keeps the first n hyphen-separated words of a slug.
func firstWords(slug string, n int) string {
	parts := strings.SplitN(slug, "-", n+1)
	if len(parts) > n {
		parts = parts[:n]
	}
	return strings.Join(parts, "-")
}

// trimSlug shortens a slug to at most max bytes, cutting at a hyphen.
func trimSlug(slug string, max int) string {
	if len(slug) <= max {
		return slug
	}
	cut := slug[:max]
	if i := strings.LastIndexByte(cut, '-'); i > 0 {
		cut = cut[:i]
	}
	return cut
}
