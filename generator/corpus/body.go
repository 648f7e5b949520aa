package corpus

import (
	"strings"
)

// para is one paragraph in both languages, as a list of sentences.
type para struct{ vi, en []string }

func (p *para) add(s pair) {
	p.vi = append(p.vi, s.vi)
	p.en = append(p.en, s.en)
}

// size is the paragraph's length in each language once joined by spaces
// and followed by a blank line.
func (p *para) size() (vi, en int) {
	for i := range p.vi {
		vi += len(p.vi[i]) + 1
		en += len(p.en[i]) + 1
	}
	return vi + 1, en + 1
}

// bilingual accumulates the two files of an article side by side.
type bilingual struct{ vi, en strings.Builder }

func (b *bilingual) write(p pair) {
	b.vi.WriteString(p.vi)
	b.en.WriteString(p.en)
}

func (b *bilingual) writeBoth(s string) {
	b.vi.WriteString(s)
	b.en.WriteString(s)
}

func (b *bilingual) writePara(p para) {
	b.vi.WriteString(strings.Join(p.vi, " "))
	b.en.WriteString(strings.Join(p.en, " "))
	b.writeBoth("\n\n")
}

// article writes the two files of article m, growing its body with
// paragraphs until the mean of the two files' sizes reaches target: English
// is the shorter, and the target is for a file of either language.
func (g *gen) article(m *meta, all []meta, target int) (vi, en []byte) {
	r := g.r
	var fm bilingual
	g.frontMatter(&fm, m)

	nsec := 3 + r.IntN(3)
	headings := make([]pair, 0, nsec)
	for _, i := range r.Perm(len(g.v.headings))[:nsec] {
		headings = append(headings, g.fill(g.v.headings[i], false))
	}
	listSec := r.IntN(nsec)
	var list bilingual
	g.list(&list)
	tableSec := -1
	var table bilingual
	if r.IntN(5) < 2 {
		tableSec = r.IntN(nsec)
		g.table(&table)
	}

	lead := para{}
	lead.add(m.lead)
	lead.add(g.sentence(m.cat, false))

	links := g.links(m, all)

	// Everything but the body paragraphs is known now; count it so that the
	// paragraphs only fill what is left of the target.
	fixedVI := fm.vi.Len() + list.vi.Len() + table.vi.Len()
	fixedEN := fm.en.Len() + list.en.Len() + table.en.Len()
	for _, h := range headings {
		fixedVI += len(h.vi) + 5
		fixedEN += len(h.en) + 5
	}
	lv, le := lead.size()
	fixedVI += lv
	fixedEN += le
	for _, l := range links {
		fixedVI += len(l.vi) + 1
		fixedEN += len(l.en) + 1
	}

	var paras []para
	sizeVI, sizeEN := fixedVI, fixedEN
	for len(paras) < nsec || (sizeVI+sizeEN)/2 < target {
		p := para{}
		n := 3 + r.IntN(4)
		note := r.IntN(8) == 0
		// Every section needs a paragraph, but past the target one sentence
		// is enough.
		for k := 0; k < n && (k == 0 || (sizeVI+sizeEN)/2 < target); k++ {
			s := g.sentence(m.cat, r.IntN(8) == 0)
			if note && k == 0 {
				nt := g.pick(g.v.notes)
				s = pair{nt.vi + " " + s.vi, nt.en + " " + s.en}
			}
			p.add(s)
			sizeVI += len(s.vi) + 1
			sizeEN += len(s.en) + 1
		}
		sizeVI += 1
		sizeEN += 1
		paras = append(paras, p)
	}
	for _, l := range links {
		p := &paras[r.IntN(len(paras))]
		p.add(l)
	}

	var out bilingual
	out.vi.Grow(sizeVI + 64)
	out.en.Grow(sizeEN + 64)
	out.write(pair{fm.vi.String(), fm.en.String()})
	out.writePara(lead)
	for k := range nsec {
		out.writeBoth("## ")
		out.write(headings[k])
		out.writeBoth("\n\n")
		for _, p := range paras[k*len(paras)/nsec : (k+1)*len(paras)/nsec] {
			out.writePara(p)
		}
		if k == listSec {
			out.write(pair{list.vi.String(), list.en.String()})
		}
		if k == tableSec {
			out.write(pair{table.vi.String(), table.en.String()})
		}
	}
	return []byte(strings.TrimRight(out.vi.String(), "\n") + "\n"),
		[]byte(strings.TrimRight(out.en.String(), "\n") + "\n")
}

// frontMatter writes the TOML front matter of both files.
func (g *gen) frontMatter(b *bilingual, m *meta) {
	v := g.v
	b.writeBoth("+++\ntitle = ")
	b.write(pair{tomlString(m.title.vi), tomlString(m.title.en)})
	b.writeBoth("\ndate = " + m.date + "\nsummary = ")
	b.write(pair{tomlString(m.lead.vi), tomlString(m.lead.en)})
	b.writeBoth("\nslug = ")
	b.write(pair{tomlString(m.slug.vi), tomlString(m.slug.en)})
	b.writeBoth("\ncategories = [")
	c := v.categories[m.cat]
	b.write(pair{tomlString(c.vi), tomlString(c.en)})
	b.writeBoth("]\ntags = [")
	for i, t := range m.tags {
		if i > 0 {
			b.writeBoth(", ")
		}
		b.write(pair{tomlString(v.tags[t].vi), tomlString(v.tags[t].en)})
	}
	b.writeBoth("]\n+++\n\n")
}

// sentence draws a sentence template not used yet in the article: first
// those that fit category cat, then, once they are used up, any.
func (g *gen) sentence(cat int, bold bool) pair {
	if len(g.deck) == 0 {
		letter := categoryLetters[cat]
		for i, s := range g.v.sentences {
			if g.dealt || strings.IndexByte(s.cats, letter) >= 0 || strings.IndexByte(s.cats, 'G') >= 0 {
				g.deck = append(g.deck, i)
			}
		}
		g.dealt = true
	}
	k := g.r.IntN(len(g.deck))
	i := g.deck[k]
	g.deck[k] = g.deck[len(g.deck)-1]
	g.deck = g.deck[:len(g.deck)-1]
	return g.fill(g.v.sentences[i].p, bold)
}

// list writes a bullet list of measures or of results, with its lead-in.
func (g *gen) list(b *bilingual) {
	n := 3 + g.r.IntN(4)
	kind := g.r.IntN(2)
	b.write(g.v.listIntros[kind])
	b.writeBoth("\n\n")
	var items []pair
	if kind == 0 {
		for _, i := range g.r.Perm(len(g.v.measures))[:n] {
			m := g.v.measures[i]
			items = append(items, pair{capitalize(m.vi), capitalize(m.en)})
		}
	} else {
		for _, i := range g.r.Perm(len(g.v.results))[:n] {
			items = append(items, g.fill(g.v.results[i], g.r.IntN(6) == 0))
		}
	}
	for _, it := range items {
		b.writeBoth("- ")
		b.write(it)
		b.writeBoth("\n")
	}
	b.writeBoth("\n")
}

// table writes a Markdown table of measures and their payback, or of
// training by locality.
func (g *gen) table(b *bilingual) {
	rows := 3 + g.r.IntN(3)
	if g.r.IntN(2) == 0 {
		b.write(pair{"Bảng dưới đây tóm tắt các giải pháp và hiệu quả:", "The table below sums up the measures and what they saved:"})
		b.writeBoth("\n\n")
		b.write(pair{"| Giải pháp | Chi phí đầu tư | Tiết kiệm mỗi năm | Hoàn vốn (tháng) |", "| Measure | Investment | Annual savings | Payback (months) |"})
		b.writeBoth("\n| --- | ---: | ---: | ---: |\n")
		for _, i := range g.r.Perm(len(g.v.measures))[:rows] {
			row := g.fill(pair{"| " + g.v.measures[i].vi + " | {money} | {kwh} | {months} |", "| " + g.v.measures[i].en + " | {money} | {kwh} | {months} |"}, false)
			b.write(pair{"| " + capitalize(row.vi[2:]), "| " + capitalize(row.en[2:])})
			b.writeBoth("\n")
		}
	} else {
		b.write(pair{"Kết quả theo từng địa phương:", "Results by locality:"})
		b.writeBoth("\n\n")
		b.write(pair{"| Địa phương | Số lớp | Học viên | Doanh nghiệp |", "| Locality | Courses | Participants | Enterprises |"})
		b.writeBoth("\n| --- | ---: | ---: | ---: |\n")
		for _, i := range g.r.Perm(len(g.v.districts))[:rows] {
			row := g.fill(pair{"| " + g.v.districts[i].vi + " | {classes} | {people} | {firms} |", "| " + g.v.districts[i].en + " | {classes} | {people} | {firms} |"}, false)
			b.write(pair{"| " + capitalize(row.vi[2:]), "| " + capitalize(row.en[2:])})
			b.writeBoth("\n")
		}
	}
	b.writeBoth("\n")
}

// links draws two to four other articles and writes a sentence linking to
// each, as a relative link to its source file in the same language.
func (g *gen) links(m *meta, all []meta) []pair {
	others := len(all) - 1
	if others <= 0 {
		return nil
	}
	n := min(2+g.r.IntN(3), others)
	var seen []int
	var out []pair
	for len(out) < n {
		t := 1 + g.r.IntN(len(all))
		if t == m.num || containsInt(seen, t) {
			continue
		}
		seen = append(seen, t)
		target := &all[t-1]
		tmpl := g.pick(g.v.links)
		out = append(out, pair{
			strings.NewReplacer("{title}", target.title.vi, "{file}", target.base+".vi.md").Replace(tmpl.vi),
			strings.NewReplacer("{title}", target.title.en, "{file}", target.base+".en.md").Replace(tmpl.en),
		})
	}
	return out
}

// tomlString quotes s as a TOML basic string.
func tomlString(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '\n':
			b.WriteString(`\n`)
		case '\t':
			b.WriteString(`\t`)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
