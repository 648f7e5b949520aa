package content

import (
	"encoding/binary"
	"errors"
	"io"
	"math"
	"runtime"
	"slices"
	"sync"
	"time"

	"sxsh/generator/config"
	"sxsh/generator/diag"
)

// A Cache can be kept on disk between two processes: Save writes the
// pages it holds as read, before linking, and Restore takes back those
// whose files have not changed since, so that a build after an edit reads
// and parses only the files that changed.
//
// The encoding is sxsh's own: a page is its fields in a fixed order, each
// slice and map with a flag for nil. A page that holds a value it cannot
// encode exactly (a cascade, a time in a zone it cannot name again, a
// parameter of another type) is left out, and read from its file next
// time. TestSavedPageHasEveryField fails when Page gains a field this
// encoding does not carry.

// savedVersion changes whenever the encoding of a saved page does.
const savedVersion = 1

// errNotSaved says that data is not a saved page, or a damaged one.
var errNotSaved = errors.New("content: not a saved page")

// Save writes, for every file tag gives a tag for, its page and
// diagnostics, with the tag; Restore gives the tag back to the caller, who
// decides whether the file is still what was read. Files that did not
// become pages, and pages that cannot be saved, are left out.
func (c *Cache) Save(w io.Writer, cfg *config.Config, tag func(file string) (string, bool)) error {
	c.mu.Lock()
	files := make([]string, 0, len(c.files))
	for f := range c.files {
		files = append(files, f)
	}
	c.mu.Unlock()
	slices.Sort(files)
	buf := binary.AppendUvarint(nil, savedVersion)
	var e encoder
	for _, f := range files {
		t, ok := tag(f)
		if !ok {
			continue
		}
		c.mu.Lock()
		entry := c.files[f]
		c.mu.Unlock()
		if entry.page == nil {
			continue
		}
		data := entry.saved
		if data == nil || entry.tag != t {
			e = encoder{buf: e.buf[:0], loc: cfg.Location}
			e.str(f)
			e.str(t)
			e.diags(entry.diags)
			e.page(entry.page)
			if e.bad {
				continue
			}
			data = e.buf
		}
		buf = binary.AppendUvarint(buf, uint64(len(data)))
		buf = append(buf, data...)
		if len(buf) > 1<<20 {
			if _, err := w.Write(buf); err != nil {
				return err
			}
			buf = buf[:0]
		}
	}
	_, err := w.Write(buf)
	return err
}

// Restore adds to the cache the pages of data, as Save wrote them with
// the same configuration, whose file and tag keep accepts. It returns how
// many it added, or an error, and then adds none, when data is not what
// Save writes.
func (c *Cache) Restore(data []byte, cfg *config.Config, keep func(file, tag string) bool) (int, error) {
	v, n := binary.Uvarint(data)
	if n <= 0 || v != savedVersion {
		return 0, errNotSaved
	}
	data = data[n:]
	var entries [][]byte
	for len(data) > 0 {
		size, n := binary.Uvarint(data)
		if n <= 0 || size > uint64(len(data)-n) {
			return 0, errNotSaved
		}
		entries = append(entries, data[n:n+int(size)])
		data = data[n+int(size):]
	}
	type restored struct {
		file string
		e    cached
		keep bool
	}
	out := make([]restored, len(entries))
	var bad error
	var mu sync.Mutex
	var wg sync.WaitGroup
	workers := runtime.GOMAXPROCS(0)
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(entries); i += workers {
				d := decoder{data: entries[i], loc: cfg.Location}
				file, tag := d.str(), d.str()
				if d.err == nil && !keep(file, tag) {
					continue
				}
				diags := d.diags()
				p := d.page()
				if d.err != nil || len(d.data) != 0 {
					mu.Lock()
					bad = errNotSaved
					mu.Unlock()
					return
				}
				out[i] = restored{file: file, e: cached{page: p, diags: diags, saved: entries[i], tag: tag}, keep: true}
			}
		})
	}
	wg.Wait()
	if bad != nil {
		return 0, bad
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.files == nil {
		c.files = map[string]cached{}
	}
	added := 0
	for _, r := range out {
		if r.keep {
			c.files[r.file] = r.e
			added++
		}
	}
	return added, nil
}

// encoder appends a page's fields to buf; bad is set when one of them
// cannot be encoded exactly.
type encoder struct {
	buf []byte
	loc *time.Location // the site's zone, named by a tag rather than kept
	bad bool
}

func (e *encoder) uint(v uint64) { e.buf = binary.AppendUvarint(e.buf, v) }
func (e *encoder) int(v int64)   { e.buf = binary.AppendVarint(e.buf, v) }

func (e *encoder) bool(v bool) {
	if v {
		e.buf = append(e.buf, 1)
	} else {
		e.buf = append(e.buf, 0)
	}
}

func (e *encoder) str(s string) {
	e.uint(uint64(len(s)))
	e.buf = append(e.buf, s...)
}

// count writes the length of a slice or map, one more than it, or 0 for
// nil, so that nil and empty stay apart.
func (e *encoder) count(n int, isNil bool) bool {
	if isNil {
		e.uint(0)
		return false
	}
	e.uint(uint64(n) + 1)
	return true
}

func (e *encoder) strs(list []string) {
	if e.count(len(list), list == nil) {
		for _, s := range list {
			e.str(s)
		}
	}
}

func (e *encoder) bytes(b []byte) {
	if e.count(len(b), b == nil) {
		e.buf = append(e.buf, b...)
	}
}

func (e *encoder) ints(list []int) {
	if e.count(len(list), list == nil) {
		for _, v := range list {
			e.int(int64(v))
		}
	}
}

// Zones of a time: none (UTC), the machine's, the site's, or a fixed one
// named by its abbreviation.
const (
	zoneUTC = iota
	zoneLocal
	zoneSite
	zoneFixed
)

func (e *encoder) time(t time.Time) {
	loc := t.Location()
	switch {
	case loc == time.UTC:
		e.uint(zoneUTC)
	case loc == time.Local:
		e.uint(zoneLocal)
	case loc == e.loc:
		e.uint(zoneSite)
	default:
		// A zone made from an offset (a date in front matter written with
		// one) is named by its abbreviation; any other could not be made
		// again from the instant alone.
		name, off := t.Zone()
		if loc.String() != name {
			e.bad = true
		}
		e.uint(zoneFixed)
		e.str(name)
		e.int(int64(off))
	}
	if t.IsZero() {
		e.bool(true)
		return
	}
	e.bool(false)
	e.int(t.Unix())
	e.int(int64(t.Nanosecond()))
}

func (e *encoder) date(d Date) {
	e.time(d.t)
	e.bool(d.local)
	e.bool(d.clock)
}

// Kinds of value in parameters, as TOML decodes them.
const (
	valString = iota
	valInt
	valFloat
	valBool
	valTime
	valList
	valTable
	valTables
)

func (e *encoder) value(v any) {
	switch v := v.(type) {
	case string:
		e.uint(valString)
		e.str(v)
	case int64:
		e.uint(valInt)
		e.int(v)
	case float64:
		e.uint(valFloat)
		e.uint(math.Float64bits(v))
	case bool:
		e.uint(valBool)
		e.bool(v)
	case time.Time:
		e.uint(valTime)
		e.time(v)
	case []any:
		e.uint(valList)
		if e.count(len(v), v == nil) {
			for _, x := range v {
				e.value(x)
			}
		}
	case map[string]any:
		e.uint(valTable)
		e.table(v)
	case []map[string]any:
		e.uint(valTables)
		if e.count(len(v), v == nil) {
			for _, m := range v {
				e.table(m)
			}
		}
	default:
		e.bad = true
	}
}

func (e *encoder) table(m map[string]any) {
	if !e.count(len(m), m == nil) {
		return
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		e.str(k)
		e.value(m[k])
	}
}

func (e *encoder) diags(l diag.List) {
	if e.count(len(l), l == nil) {
		for _, d := range l {
			e.str(d.File)
			e.int(int64(d.Line))
			e.int(int64(d.Col))
			e.int(int64(d.Severity))
			e.str(d.Msg)
		}
	}
}

func (e *encoder) boolPtr(b *bool) {
	e.bool(b != nil)
	if b != nil {
		e.bool(*b)
	}
}

// page encodes what reading a file makes of a page; the fields that
// linking sets (Path, Parent, Translations, …) are not set yet, and the
// body is read again when needed.
func (e *encoder) page(p *Page) {
	if p.cascade != nil || p.took != nil || p.Resources != nil || p.Path != "" {
		e.bad = true // a cascade passes down what is not encoded
	}
	for _, s := range []string{p.Kind, p.Type, p.Lang, p.File, p.Section, p.Key, p.Title, p.Summary, p.Slug} {
		e.str(s)
	}
	e.uint(p.Sum)
	for _, t := range []time.Time{p.Date, p.Lastmod, p.PublishDate, p.ExpiryDate} {
		e.time(t)
	}
	e.strs(p.Categories)
	e.strs(p.Tags)
	e.str(p.Image)
	e.bool(p.Draft)
	e.bool(p.Future)
	e.int(int64(p.Weight))
	e.strs(p.Aliases)
	e.table(p.Params)
	e.bool(p.Headless)
	e.str(p.Description)
	e.strs(p.Keywords)
	e.str(p.LinkTitle)
	e.strs(p.Authors)
	e.str(p.Layout)
	e.str(p.LayoutType)
	e.strs(p.Outputs)
	if e.count(len(p.Menus), p.Menus == nil) {
		for _, m := range p.Menus {
			e.str(m.Menu)
			e.str(m.Name)
			e.int(int64(m.Weight))
		}
	}
	e.bool(p.TOC)
	e.bool(p.Math)
	e.str(string(p.Build.List))
	e.str(string(p.Build.Render))
	e.boolPtr(p.Build.PublishResources)
	e.str(p.Sitemap.ChangeFreq)
	e.uint(math.Float64bits(p.Sitemap.Priority))
	e.bool(p.Sitemap.Disable)
	e.str(p.url)
	e.kind(p)
	e.int(int64(p.BodyLine))
	e.bool(p.unread || len(p.Body) > 0)
	for _, s := range []string{p.src.file, p.src.dir, p.src.stem, p.src.lang, p.src.kind} {
		e.str(s)
	}
	e.bool(p.src.bundle)
	e.str(p.stem)
	e.bytes(p.fm)
	e.int(int64(p.fmLine))
	e.ints(p.fmLines)
	e.strs(p.termSlugs[0])
	e.strs(p.termSlugs[1])
}

// kind encodes the kind's own fields: which kind, then its fields.
func (e *encoder) kind(p *Page) {
	switch {
	case p.Article != nil:
		e.uint(1)
		e.str(p.Article.Author)
		e.str(p.Article.Source)
	case p.Newsletter != nil:
		n := p.Newsletter
		e.uint(2)
		e.str(n.Publication)
		for _, v := range []int{n.Issue, n.Copies, n.Pages} {
			e.int(int64(v))
		}
		e.str(n.PDF)
		e.str(n.Cover)
		if e.count(len(n.Contents), n.Contents == nil) {
			for _, c := range n.Contents {
				e.str(c.Title)
				e.int(int64(c.Page))
			}
		}
	case p.Broadcast != nil:
		b := p.Broadcast
		e.uint(3)
		for _, s := range []string{b.Medium, b.Station, b.Series} {
			e.str(s)
		}
		e.int(int64(b.Episode))
		e.int(int64(b.Duration))
		if e.count(len(b.Airings), b.Airings == nil) {
			for _, d := range b.Airings {
				e.date(d)
			}
		}
		if e.count(len(b.Times), b.Times == nil) {
			for _, t := range b.Times {
				e.time(t)
			}
		}
		e.str(b.Media)
	case p.Banner != nil:
		b := p.Banner
		e.uint(4)
		for _, s := range []string{b.Form, b.Slogan, b.District, b.Zone, b.Address} {
			e.str(s)
		}
		e.int(int64(b.Quantity))
		e.str(b.Size)
		e.date(b.Installed)
		e.time(b.Date)
		e.str(b.Photo)
	case p.Document != nil:
		d := p.Document
		e.uint(5)
		e.str(d.Number)
		e.date(d.Issued)
		e.date(d.Effective)
		for _, s := range []string{d.Issuer, d.DocType, d.Type.Key, d.Type.Vi, d.Type.En, d.Field, d.File} {
			e.str(s)
		}
		e.time(d.IssuedOn)
		e.time(d.EffectiveOn)
	default:
		e.uint(0)
	}
	// At most one kind is set; a page with two would lose one.
	n := 0
	for _, set := range []bool{p.Article != nil, p.Newsletter != nil, p.Broadcast != nil, p.Banner != nil, p.Document != nil} {
		if set {
			n++
		}
	}
	e.bad = e.bad || n > 1
}

// decoder reads what encoder wrote, remembering the first error; it
// checks every length against the data left, so that damaged data gives
// an error, never a panic or a huge allocation.
type decoder struct {
	data []byte
	loc  *time.Location
	err  error
}

func (d *decoder) fail() {
	d.err, d.data = errNotSaved, nil
}

func (d *decoder) uint() uint64 {
	v, n := binary.Uvarint(d.data)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.data = d.data[n:]
	return v
}

func (d *decoder) int() int64 {
	v, n := binary.Varint(d.data)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.data = d.data[n:]
	return v
}

func (d *decoder) num() int { return int(d.int()) }

func (d *decoder) bool() bool {
	if len(d.data) == 0 || d.data[0] > 1 {
		d.fail()
		return false
	}
	v := d.data[0] == 1
	d.data = d.data[1:]
	return v
}

// length reads a length of a run of n bytes.
func (d *decoder) length() int {
	n := d.uint()
	if n > uint64(len(d.data)) {
		d.fail()
		return 0
	}
	return int(n)
}

func (d *decoder) str() string {
	n := d.length()
	s := string(d.data[:n])
	d.data = d.data[n:]
	return s
}

// count reads what encoder.count wrote: the length, and whether the slice
// or map is nil. Every item takes a byte at least.
func (d *decoder) count() (int, bool) {
	n := d.uint()
	if n == 0 {
		return 0, true
	}
	if n-1 > uint64(len(d.data)) {
		d.fail()
		return 0, true
	}
	return int(n - 1), false
}

// list reads what encoder.count and one item after another wrote.
func list[T any](d *decoder, item func() T) []T {
	n, isNil := d.count()
	if isNil {
		return nil
	}
	out := make([]T, n)
	for i := range out {
		out[i] = item()
	}
	return out
}

func (d *decoder) strs() []string { return list(d, d.str) }

func (d *decoder) bytes() []byte {
	n, isNil := d.count()
	if isNil {
		return nil
	}
	out := slices.Clone(d.data[:n])
	if out == nil {
		out = []byte{}
	}
	d.data = d.data[n:]
	return out
}

func (d *decoder) ints() []int { return list(d, d.num) }

func (d *decoder) time() time.Time {
	var loc *time.Location
	switch d.uint() {
	case zoneUTC:
		loc = time.UTC
	case zoneLocal:
		loc = time.Local
	case zoneSite:
		loc = d.loc
	case zoneFixed:
		name := d.str()
		loc = time.FixedZone(name, d.num())
	default:
		d.fail()
	}
	if d.bool() || d.err != nil {
		if loc == nil {
			return time.Time{}
		}
		return time.Time{}.In(loc)
	}
	sec, nsec := d.int(), d.int()
	return time.Unix(sec, nsec).In(loc)
}

func (d *decoder) date() Date {
	return Date{t: d.time(), local: d.bool(), clock: d.bool()}
}

func (d *decoder) value(depth int) any {
	if depth > 64 {
		d.fail()
		return nil
	}
	switch d.uint() {
	case valString:
		return d.str()
	case valInt:
		return d.int()
	case valFloat:
		return math.Float64frombits(d.uint())
	case valBool:
		return d.bool()
	case valTime:
		return d.time()
	case valList:
		n, isNil := d.count()
		if isNil {
			return []any(nil)
		}
		out := make([]any, n)
		for i := range out {
			out[i] = d.value(depth + 1)
		}
		return out
	case valTable:
		return d.table(depth + 1)
	case valTables:
		n, isNil := d.count()
		if isNil {
			return []map[string]any(nil)
		}
		out := make([]map[string]any, n)
		for i := range out {
			out[i] = d.table(depth + 1)
		}
		return out
	}
	d.fail()
	return nil
}

func (d *decoder) table(depth int) map[string]any {
	n, isNil := d.count()
	if isNil {
		return nil
	}
	m := make(map[string]any, n)
	for range n {
		k := d.str()
		m[k] = d.value(depth)
		if d.err != nil {
			return nil
		}
	}
	return m
}

func (d *decoder) diags() diag.List {
	n, isNil := d.count()
	if isNil {
		return nil
	}
	out := make(diag.List, n)
	for i := range out {
		out[i] = &diag.Diagnostic{File: d.str(), Line: d.num(), Col: d.num(), Severity: diag.Severity(d.int()), Msg: d.str()}
	}
	return out
}

func (d *decoder) boolPtr() *bool {
	if !d.bool() {
		return nil
	}
	v := d.bool()
	return &v
}

func (d *decoder) page() *Page {
	p := &Page{}
	for _, s := range []*string{&p.Kind, &p.Type, &p.Lang, &p.File, &p.Section, &p.Key, &p.Title, &p.Summary, &p.Slug} {
		*s = d.str()
	}
	p.Sum = d.uint()
	for _, t := range []*time.Time{&p.Date, &p.Lastmod, &p.PublishDate, &p.ExpiryDate} {
		*t = d.time()
	}
	p.Categories = d.strs()
	p.Tags = d.strs()
	p.Image = d.str()
	p.Draft = d.bool()
	p.Future = d.bool()
	p.Weight = d.num()
	p.Aliases = d.strs()
	p.Params = d.table(0)
	p.Headless = d.bool()
	p.Description = d.str()
	p.Keywords = d.strs()
	p.LinkTitle = d.str()
	p.Authors = d.strs()
	p.Layout = d.str()
	p.LayoutType = d.str()
	p.Outputs = d.strs()
	p.Menus = list(d, func() MenuEntry { return MenuEntry{Menu: d.str(), Name: d.str(), Weight: d.num()} })
	p.TOC = d.bool()
	p.Math = d.bool()
	p.Build.List = BuildMode(d.str())
	p.Build.Render = BuildMode(d.str())
	p.Build.PublishResources = d.boolPtr()
	p.Sitemap.ChangeFreq = d.str()
	p.Sitemap.Priority = math.Float64frombits(d.uint())
	p.Sitemap.Disable = d.bool()
	p.url = d.str()
	d.kind(p)
	p.BodyLine = d.num()
	p.unread = d.bool()
	for _, s := range []*string{&p.src.file, &p.src.dir, &p.src.stem, &p.src.lang, &p.src.kind} {
		*s = d.str()
	}
	p.src.bundle = d.bool()
	p.stem = d.str()
	p.fm = d.bytes()
	p.fmLine = d.num()
	p.fmLines = d.ints()
	p.termSlugs[0] = d.strs()
	p.termSlugs[1] = d.strs()
	return p
}

func (d *decoder) kind(p *Page) {
	switch d.uint() {
	case 0:
	case 1:
		p.Article = &Article{Author: d.str(), Source: d.str()}
	case 2:
		n := &Newsletter{Publication: d.str(), Issue: d.num(), Copies: d.num(), Pages: d.num(), PDF: d.str(), Cover: d.str()}
		n.Contents = list(d, func() ContentEntry { return ContentEntry{Title: d.str(), Page: d.num()} })
		p.Newsletter = n
	case 3:
		b := &Broadcast{Medium: d.str(), Station: d.str(), Series: d.str(), Episode: d.num(), Duration: d.num()}
		b.Airings = list(d, d.date)
		b.Times = list(d, d.time)
		b.Media = d.str()
		p.Broadcast = b
	case 4:
		b := &Banner{Form: d.str(), Slogan: d.str(), District: d.str(), Zone: d.str(), Address: d.str(), Quantity: d.num(), Size: d.str()}
		b.Installed = d.date()
		b.Date = d.time()
		b.Photo = d.str()
		p.Banner = b
	case 5:
		doc := &Document{Number: d.str()}
		doc.Issued = d.date()
		doc.Effective = d.date()
		doc.Issuer, doc.DocType = d.str(), d.str()
		doc.Type = DocType{Key: d.str(), Vi: d.str(), En: d.str()}
		doc.Field, doc.File = d.str(), d.str()
		doc.IssuedOn = d.time()
		doc.EffectiveOn = d.time()
		p.Document = doc
	default:
		d.fail()
	}
}
