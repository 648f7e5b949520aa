package content

import (
	"bytes"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"testing/fstest"
	"time"
	_ "time/tzdata" // a zone with a name of its own, wherever the test runs
	"unsafe"

	"sxsh/generator/config"
	"sxsh/generator/diag"
)

// linkFields are the fields of Page that linking sets, or that a Cache
// does not keep (the body, read again): a saved page has none of them.
var linkFields = []string{"Resources", "Body", "Path", "Translations", "Parent", "Sections", "Pages", "Terms", "Taxonomy", "cascade", "took"}

// filler sets every field of a value, exported or not, to something that
// is not its zero value, so that a field the encoding forgets shows.
type filler struct {
	n   int
	loc *time.Location
}

func (f *filler) fill(v reflect.Value, skip []string) {
	f.n++
	if v.Type() == reflect.TypeFor[time.Time]() {
		v.Set(reflect.ValueOf(time.Date(2020+f.n%7, time.Month(1+f.n%12), 1+f.n%28, f.n%24, 7, 9, f.n, f.loc)))
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(fmt.Sprintf("s%d", f.n))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int64:
		v.SetInt(int64(f.n))
	case reflect.Uint64:
		v.SetUint(uint64(f.n) << 40)
	case reflect.Float64:
		v.SetFloat(float64(f.n) + 0.25)
	case reflect.Uint8:
		v.SetUint(uint64('a' + f.n%26))
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		f.fill(v.Elem(), nil)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		for i := range 2 {
			f.fill(v.Index(i), nil)
		}
	case reflect.Array:
		for i := range v.Len() {
			f.fill(v.Index(i), nil)
		}
	case reflect.Map:
		if v.Type() != reflect.TypeFor[map[string]any]() {
			panic("no filler for " + v.Type().String())
		}
		v.Set(reflect.ValueOf(map[string]any{
			"text": "chữ", "n": int64(-3), "x": 2.5, "yes": true,
			"when":  time.Date(2024, 5, 6, 7, 8, 9, 0, time.FixedZone("", 7*3600)),
			"day":   time.Date(2024, 5, 6, 0, 0, 0, 0, time.FixedZone("date-local", 0)),
			"list":  []any{"a", int64(1), []any{}},
			"table": map[string]any{"k": "v", "empty": map[string]any{}},
			"rows":  []map[string]any{{"a": int64(1)}, {}},
		}))
	case reflect.Struct:
		for i := range v.NumField() {
			if slices.Contains(skip, v.Type().Field(i).Name) {
				continue
			}
			field := v.Field(i)
			if !field.CanSet() { // unexported: set through its address
				field = reflect.NewAt(field.Type(), unsafe.Pointer(field.UnsafeAddr())).Elem()
			}
			f.fill(field, nil)
		}
	default:
		panic("no filler for " + v.Type().String())
	}
}

// roundTrip saves a cache holding p and restores it into another.
func roundTrip(t *testing.T, cfg *config.Config, p *Page, diags diag.List) (*Page, diag.List, int) {
	t.Helper()
	var c Cache
	c.files = map[string]cached{p.File: {page: p, diags: diags}}
	var buf bytes.Buffer
	if err := c.Save(&buf, cfg, func(string) (string, bool) { return "tag", true }); err != nil {
		t.Fatal(err)
	}
	var back Cache
	n, err := back.Restore(buf.Bytes(), cfg, func(file, tag string) bool { return file == p.File && tag == "tag" })
	if err != nil {
		t.Fatal(err)
	}
	e := back.files[p.File]
	return e.page, e.diags, n
}

// TestSavedPageHasEveryField: a page saved and restored equals the page as
// read, field for field, whichever kind it is; a field added to Page (or
// to a kind) that the encoding does not carry fails this test.
func TestSavedPageHasEveryField(t *testing.T) {
	cfg := &config.Config{Location: time.FixedZone("ICT", 7*3600)}
	kinds := []string{"Article", "Newsletter", "Broadcast", "Banner", "Document", ""}
	for _, kind := range kinds {
		t.Run(kind, func(t *testing.T) {
			skip := slices.Clone(linkFields)
			for _, k := range kinds {
				if k != kind && k != "" {
					skip = append(skip, k)
				}
			}
			p := &Page{}
			(&filler{loc: cfg.Location}).fill(reflect.ValueOf(p).Elem(), skip)
			diags := diag.List{diag.Warnf(p.File, 3, 1, "math = true: %s", "x")}
			got, gotDiags, n := roundTrip(t, cfg, p, diags)
			if n != 1 {
				t.Fatalf("restored %d pages, want 1", n)
			}
			if !reflect.DeepEqual(got, p) {
				t.Errorf("restored page differs:\n got %+v\nwant %+v", *got, *p)
			}
			if !reflect.DeepEqual(gotDiags, diags) {
				t.Errorf("restored diagnostics %v, want %v", gotDiags, diags)
			}
		})
	}
	// Nil and empty stay apart, and zero times keep their zone.
	p := &Page{File: "content/a.md", Tags: []string{}, Params: map[string]any{}, fm: []byte{}, Date: time.Time{}.In(cfg.Location)}
	got, _, _ := roundTrip(t, cfg, p, nil)
	if !reflect.DeepEqual(got, p) {
		t.Errorf("restored page differs:\n got %+v\nwant %+v", *got, *p)
	}
}

// A page holding what the encoding cannot make again exactly is not
// saved: it is read from its file next time.
func TestUnsavablePagesAreLeftOut(t *testing.T) {
	cfg := &config.Config{Location: time.UTC}
	hcm, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		t.Fatal(err)
	}
	fixed := time.FixedZone("EST", -5*3600)
	for name, p := range map[string]*Page{
		"a cascade":        {File: "content/_index.md", cascade: &cascade{Type: "x"}},
		"an unknown value": {File: "content/a.md", Params: map[string]any{"v": []string{"a"}}},
		"a named zone": {File: "content/b.md", Params: map[string]any{
			"t": time.Date(2024, 1, 1, 0, 0, 0, 0, hcm)}},
	} {
		if _, _, n := roundTrip(t, cfg, p, nil); n != 0 {
			t.Errorf("%s: a page was saved", name)
		}
	}
	if _, _, n := roundTrip(t, cfg, &Page{File: "content/c.md", Date: time.Date(2024, 1, 1, 0, 0, 0, 0, fixed)}, nil); n != 1 {
		t.Error("a page dated in a fixed zone was not saved")
	}
}

// Damaged or cut data is refused whole, never a panic.
func TestRestoreRefusesDamage(t *testing.T) {
	cfg := testConfig(t)
	fsys := fstest.MapFS{
		"content/articles/a.md":    article("Tiết kiệm điện", `"Năng lượng"`, "Thân bài A.\n"),
		"content/articles/a.en.md": article("Saving power", `"Energy"`, "Body A.\n"),
	}
	var c Cache
	if _, errs := Load(fsys, cfg, Options{Cache: &c}); errs.HasErrors() {
		t.Fatal(errs)
	}
	var buf bytes.Buffer
	if err := c.Save(&buf, cfg, func(string) (string, bool) { return "t", true }); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	all := func(string, string) bool { return true }
	if n, err := new(Cache).Restore(data, cfg, all); n != 2 || err != nil {
		t.Fatalf("restored %d pages (%v), want 2", n, err)
	}
	for i := range len(data) {
		if n, err := new(Cache).Restore(data[:i], cfg, all); err == nil && n == 2 {
			t.Errorf("data cut to %d bytes restored both pages", i)
		}
		spoilt := slices.Clone(data)
		spoilt[i] ^= 0xff
		new(Cache).Restore(spoilt, cfg, all) // must not panic
	}
}

// A site loaded through a restored cache is the site loaded from its
// files, and a restored page reads its body when asked.
func TestRestoredCacheLoadsTheSameSite(t *testing.T) {
	cfg := testConfig(t)
	now := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	fsys := fourPages()
	var c Cache
	first, errs := Load(fsys, cfg, Options{Now: now, Cache: &c})
	if errs.HasErrors() {
		t.Fatal(errs)
	}
	var buf bytes.Buffer
	if err := c.Save(&buf, cfg, func(f string) (string, bool) { return f, true }); err != nil {
		t.Fatal(err)
	}
	// b.md changed: its tag no longer matches, and it is read again.
	fsys["content/articles/b.md"] = article("Sản xuất sạch hơn nữa", `"SXSH"`, "Thân bài B mới.\n")
	var back Cache
	n, err := back.Restore(buf.Bytes(), cfg, func(f, tag string) bool { return f == tag && f != "content/articles/b.md" })
	if err != nil || n != 3 {
		t.Fatalf("restored %d pages (%v), want 3", n, err)
	}
	again, errs := Load(fsys, cfg, Options{Now: now, Cache: &back})
	if errs.HasErrors() {
		t.Fatal(errs)
	}
	fresh, _ := Load(fsys, cfg, Options{Now: now})
	if got, want := describeSite(again), describeSite(fresh); got != want {
		t.Errorf("restored:\n%s\nfrom the files:\n%s", got, want)
	}
	if describeSite(first) == describeSite(again) {
		t.Error("the changed file was not read again")
	}
	p := again.ByFile["content/articles/a.md"]
	if err := p.ReadBody(fsys); err != nil || string(p.Body) != "Thân bài A.\n" {
		t.Errorf("restored page's body %q (%v)", p.Body, err)
	}

	// Saved again, restored pages as they came, read ones anew: the same
	// as a cache that read every file.
	var again2, all bytes.Buffer
	tag := func(f string) (string, bool) { return f, true }
	if err := back.Save(&again2, cfg, tag); err != nil {
		t.Fatal(err)
	}
	var read Cache
	Load(fsys, cfg, Options{Now: now, Cache: &read})
	if err := read.Save(&all, cfg, tag); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again2.Bytes(), all.Bytes()) {
		t.Error("a restored cache saves other bytes than one that read the files")
	}
}
