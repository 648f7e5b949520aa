package counter

import (
	"bytes"
	"compress/gzip"
	"os"
	"strings"
	"testing"
)

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func importBytes(t *testing.T, im *Importer, name string, data []byte) FileResult {
	t.Helper()
	res, err := im.ImportFile(name, bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestImportFormats(t *testing.T) {
	tests := []struct {
		file, format  string
		views, visits int64
		days          []Day
		bad, firstBad int
	}{
		{"combined.log", "combined", 5, 4,
			[]Day{{"2025-03-14", 3, 4}, {"2025-03-15", 1, 1}}, 1, 10},
		{"common.log", "common", 2, 1, []Day{{"2000-10-11", 1, 2}}, 1, 4},
		{"iis.log", "iis", 2, 2, []Day{{"2025-03-14", 2, 2}}, 1, 11},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			st := newStore(t)
			im, err := NewImporter(st, tt.format, hanoi)
			if err != nil {
				t.Fatal(err)
			}
			res := importBytes(t, im, tt.file, readTestdata(t, tt.file))
			if res.Views != tt.views || res.Visits != tt.visits || res.Bad != tt.bad || res.FirstBad != tt.firstBad {
				t.Errorf("result %+v, want %d views, %d visits, %d bad from line %d", res, tt.views, tt.visits, tt.bad, tt.firstBad)
			}
			days, _ := st.Days("2000-01-01", "2099-12-31")
			if len(days) != len(tt.days) {
				t.Fatalf("days %+v, want %+v", days, tt.days)
			}
			for i := range days {
				if days[i] != tt.days[i] {
					t.Errorf("day %+v, want %+v", days[i], tt.days[i])
				}
			}
		})
	}
}

func TestImportCombinedPages(t *testing.T) {
	st := newStore(t)
	im, _ := NewImporter(st, "combined", hanoi)
	importBytes(t, im, "access.log", readTestdata(t, "combined.log"))
	top, _ := st.TopPages("2025-03-14", "2025-03-15", 10)
	want := []PageViews{{"/", 2}, {"/tin-tuc/hoi-thao/", 2}, {"/en/", 1}}
	if len(top) != len(want) {
		t.Fatalf("pages %+v, want %+v", top, want)
	}
	for i := range want {
		if top[i] != want[i] {
			t.Errorf("page %+v, want %+v", top[i], want[i])
		}
	}
}

func gz(t *testing.T, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write(data)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestImportOnce(t *testing.T) {
	log := readTestdata(t, "combined.log")
	lines := bytes.SplitAfter(log, []byte("\n"))
	head := bytes.Join(lines[:7], nil)
	total := func(st Store) Counts {
		c, err := st.Counts("2025-03-15", "")
		if err != nil {
			t.Fatal(err)
		}
		c.Views = viewsOf(t, st, "2025-03-14") + viewsOf(t, st, "2025-03-15")
		return c
	}
	whole := newStore(t)
	im, _ := NewImporter(whole, "combined", hanoi)
	importBytes(t, im, "access.log", log)
	want := total(whole)
	if want.Total != 4 || want.Views != 5 {
		t.Fatalf("whole log: %+v", want)
	}

	tests := []struct {
		name  string
		steps [][]byte // what the log holds at each import
		last  FileResult
	}{
		{"same log twice", [][]byte{log, log}, FileResult{Before: 13}},
		{"grown log", [][]byte{head, log}, FileResult{Lines: 6, Before: 7, Views: 2, Visits: 2, Bad: 1, FirstBad: 10}},
		{"rotated and compressed", [][]byte{log, gz(t, log)}, FileResult{Before: 13}},
		{"compressed, then grown plain", [][]byte{gz(t, head), log}, FileResult{Lines: 6, Before: 7, Views: 2, Visits: 2, Bad: 1, FirstBad: 10}},
		{"last line being written", [][]byte{log[:len(log)-40], log}, FileResult{Lines: 1, Before: 12, Views: 1, Visits: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := newStore(t)
			var res FileResult
			for _, data := range tt.steps {
				// Each import is a run of its own, as from the command line.
				im, _ := NewImporter(st, "combined", hanoi)
				res = importBytes(t, im, "access.log", data)
			}
			res.Name, res.BadWhy = "", ""
			if res != tt.last {
				t.Errorf("last import %+v, want %+v", res, tt.last)
			}
			if got := total(st); got != want {
				t.Errorf("counts %+v, want %+v as from one import", got, want)
			}
		})
	}
}

func TestImportChangedLog(t *testing.T) {
	log := readTestdata(t, "combined.log")
	st := newStore(t)
	im, _ := NewImporter(st, "combined", hanoi)
	importBytes(t, im, "access.log", log)
	// The same first line, then other lines: another log that happens to
	// begin alike.
	other := bytes.Replace(log, []byte("GET /en/ HTTP/1.1"), []byte("GET /vi/ HTTP/1.1"), 1)
	res := importBytes(t, im, "access.log", other)
	if !res.Changed || res.Views != 5 {
		t.Errorf("result %+v, want the changed log counted whole", res)
	}
	if res = importBytes(t, im, "access.log", other); res.Views != 0 || res.Changed {
		t.Errorf("again: %+v, want nothing new", res)
	}
}

func TestImportLongAndEmpty(t *testing.T) {
	st := newStore(t)
	im, _ := NewImporter(st, "combined", hanoi)
	if res := importBytes(t, im, "empty.log", nil); res.Lines != 0 {
		t.Errorf("empty log: %+v", res)
	}
	first, _, _ := strings.Cut(string(readTestdata(t, "combined.log")), "\n")
	long := first + "\n" + strings.Repeat("x", 200<<10) + "\n"
	res := importBytes(t, im, "long.log", []byte(long))
	if res.Views != 1 || res.Bad != 1 || res.FirstBad != 2 || res.Lines != 2 {
		t.Errorf("result %+v, want a view and the long line reported", res)
	}
	if res = importBytes(t, im, "long.log", []byte(long)); res.Lines != 0 || res.Before != 2 {
		t.Errorf("again: %+v", res)
	}
	if _, err := im.ImportFile("broken.gz", bytes.NewReader([]byte{0x1f, 0x8b, 0, 0})); err == nil {
		t.Error("a broken gzip file was read")
	}
}
