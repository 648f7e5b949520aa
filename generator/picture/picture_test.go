package picture

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sxsh/generator/picture/phototest"
)

// A phone's photo of about 6 MB, stored on its side with EXIF orientation
// 6, becomes copies of a few tens of kilobytes at each width, upright,
// without the EXIF block (GPS position, camera).
func TestPhonePhoto(t *testing.T) {
	data := phototest.Photo(3000, 4000, 6, 1)
	if len(data) < 5_000_000 {
		t.Fatalf("the test photo is %d bytes, want a phone's 6 MB or so", len(data))
	}
	if w, h, err := Size(data); err != nil || w != 3000 || h != 4000 {
		t.Errorf("Size = %d×%d, %v; want 3000×4000 as shown", w, h, err)
	}
	s, err := Make(data)
	if err != nil {
		t.Fatal(err)
	}
	if s.Width != 3000 || s.Height != 4000 {
		t.Errorf("the photo is %d×%d as shown, want 3000×4000", s.Width, s.Height)
	}
	want := [][2]int{{480, 640}, {800, 1067}, {1200, 1600}}
	if len(s.Copies) != len(want) {
		t.Fatalf("%d copies, want %d", len(s.Copies), len(want))
	}
	for i, c := range s.Copies {
		t.Logf("%d×%d: %d bytes (the original: %d)", c.Width, c.Height, len(c.Data), len(data))
		if c.Width != want[i][0] || c.Height != want[i][1] || c.Ext != ".jpg" {
			t.Errorf("copy %d is %d×%d %s, want %d×%d .jpg", i, c.Width, c.Height, c.Ext, want[i][0], want[i][1])
		}
		if len(c.Data) > 150_000 {
			t.Errorf("the %d-wide copy weighs %d bytes, want under 150 kB", c.Width, len(c.Data))
		}
		for _, secret := range []string{"Exif", phototest.GPSLatitude, phototest.Camera} {
			if bytes.Contains(c.Data, []byte(secret)) {
				t.Errorf("the %d-wide copy keeps %q of the EXIF block", c.Width, secret)
			}
		}
		img, err := jpeg.Decode(bytes.NewReader(c.Data))
		if err != nil {
			t.Fatalf("copy %d: %v", c.Width, err)
		}
		if b := img.Bounds(); b.Dx() != c.Width || b.Dy() != c.Height {
			t.Errorf("copy %d decodes as %v", c.Width, b)
		}
		upright(t, img)
	}
	if bytes.Contains(data, []byte(phototest.GPSLatitude)) == false {
		t.Fatal("the test photo has no GPS text: the test proves nothing")
	}
}

// upright checks that img shows phototest's marker in its top left
// quarter, and only there.
func upright(t *testing.T, img image.Image) {
	t.Helper()
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	at := func(fx, fy float64) color.Color {
		return img.At(b.Min.X+int(fx*float64(w)), b.Min.Y+int(fy*float64(h)))
	}
	if !phototest.IsMarker(at(0.2, 0.2)) {
		t.Errorf("%d×%d: the top left is %v, not the marker: the copy is not upright", w, h, at(0.2, 0.2))
	}
	for _, p := range [][2]float64{{0.8, 0.2}, {0.2, 0.8}, {0.8, 0.8}} {
		if phototest.IsMarker(at(p[0], p[1])) {
			t.Errorf("%d×%d: the marker is at %v: the copy is turned or flipped", w, h, p)
		}
	}
}

// Every EXIF orientation is undone, landscape and portrait.
func TestOrientations(t *testing.T) {
	for o := 1; o <= 8; o++ {
		data := phototest.Photo(640, 400, o, uint64(o))
		if got := Orientation(data); got != o {
			t.Errorf("Orientation = %d, want %d", got, o)
		}
		s, err := Make(data)
		if err != nil {
			t.Fatal(err)
		}
		if s.Width != 640 || s.Height != 400 || len(s.Copies) != 2 {
			t.Fatalf("orientation %d: %d×%d with %d copies, want 640×400 with 2", o, s.Width, s.Height, len(s.Copies))
		}
		for _, c := range s.Copies {
			img, err := jpeg.Decode(bytes.NewReader(c.Data))
			if err != nil {
				t.Fatal(err)
			}
			if c.Width != img.Bounds().Dx() || c.Height != img.Bounds().Dy() {
				t.Errorf("orientation %d: copy says %d×%d, is %v", o, c.Width, c.Height, img.Bounds())
			}
			upright(t, img)
		}
	}
}

func TestOrientationBlocks(t *testing.T) {
	little := func(o uint16) []byte {
		var b bytes.Buffer
		b.WriteString("\xFF\xD8\xFF\xE1")
		t := []byte("Exif\x00\x00II*\x00\x08\x00\x00\x00\x01\x00\x12\x01\x03\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00")
		binary.LittleEndian.PutUint16(t[6+8+2+8:], o)
		binary.Write(&b, binary.BigEndian, uint16(len(t)+2))
		b.Write(t)
		b.WriteString("\xFF\xD9")
		return b.Bytes()
	}
	cut := little(6)
	for _, tc := range []struct {
		name string
		data []byte
		want int
	}{
		{"little-endian", little(6), 6},
		{"little-endian, 8", little(8), 8},
		{"out of range", little(9), 1},
		{"zero", little(0), 1},
		{"cut short", cut[:len(cut)-12], 1},
		{"no EXIF", []byte("\xFF\xD8\xFF\xD9"), 1},
		{"not a JPEG", []byte("GIF89a"), 1},
		{"empty", nil, 1},
	} {
		if got := Orientation(tc.data); got != tc.want {
			t.Errorf("%s: Orientation = %d, want %d", tc.name, got, tc.want)
		}
	}
}

func encodePNG(t testing.TB, img image.Image) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// A PNG with transparent parts keeps them in PNG copies; an opaque one,
// a photo saved as PNG, gets JPEG copies. A WebP picture gets JPEG
// copies. A picture narrower than the smallest width gets one copy at its
// own width, without its metadata.
func TestFormats(t *testing.T) {
	clear := image.NewNRGBA(image.Rect(0, 0, 1000, 500))
	for i := range clear.Pix {
		if i%4 == 3 && i%8 == 3 {
			clear.Pix[i] = 200
		}
	}
	opaque := image.NewRGBA(image.Rect(0, 0, 1000, 500))
	for i := range opaque.Pix {
		opaque.Pix[i] = 255
	}
	webp, err := os.ReadFile("testdata/lossy.webp")
	if err != nil {
		t.Fatal(err)
	}
	small := phototest.Photo(300, 200, 6, 3)
	for _, tc := range []struct {
		name   string
		data   []byte
		ext    string
		widths []int
	}{
		{"transparent PNG", encodePNG(t, clear), ".png", []int{480, 800, 1000}},
		{"opaque PNG", encodePNG(t, opaque), ".jpg", []int{480, 800, 1000}},
		{"WebP", webp, ".jpg", []int{480, 600}},
		{"small JPEG", small, ".jpg", []int{300}},
		{"JPEG 1200 wide", phototest.Photo(1200, 500, 1, 4), ".jpg", []int{480, 800, 1200}},
	} {
		s, err := Make(tc.data)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		var widths []int
		for _, c := range s.Copies {
			widths = append(widths, c.Width)
			if c.Ext != tc.ext {
				t.Errorf("%s: a %s copy, want %s", tc.name, c.Ext, tc.ext)
			}
			var err error
			if c.Ext == ".png" {
				var img image.Image
				img, err = png.Decode(bytes.NewReader(c.Data))
				if err == nil && img.(interface{ Opaque() bool }).Opaque() {
					t.Errorf("%s: the copy lost its transparency", tc.name)
				}
			} else {
				_, err = jpeg.Decode(bytes.NewReader(c.Data))
			}
			if err != nil {
				t.Errorf("%s: copy %d does not decode: %v", tc.name, c.Width, err)
			}
			if bytes.Contains(c.Data, []byte("Exif")) {
				t.Errorf("%s: copy %d keeps an EXIF block", tc.name, c.Width)
			}
		}
		if !equal(widths, tc.widths) {
			t.Errorf("%s: copies %v wide, want %v", tc.name, widths, tc.widths)
		}
	}
}

func equal(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Bad pictures are errors that say what is wrong, never a panic.
func TestBadPictures(t *testing.T) {
	photo := phototest.Photo(800, 600, 1, 5)
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"cut short", photo[:len(photo)/2], "cut short"},
		{"header only", photo[:200], "cut short"},
		{"not a picture", []byte("<html>not a picture</html>"), "not a JPEG, PNG or WebP"},
		{"empty", nil, "not a JPEG, PNG or WebP"},
		{"huge", phototest.PNGHeader(20000, 15000), "300 megapixels"},
		{"damaged", append(bytes.Clone(photo[:2]), bytes.Repeat([]byte{0xFF, 0xC4, 0x00, 0x03, 0x00}, 50)...), "JPEG"},
	} {
		s, err := Make(tc.data)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: Make = %v, %v; want an error saying %q", tc.name, s, err, tc.want)
		}
	}
}

func TestCache(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cache")
	c := NewCache(dir)
	data := phototest.Photo(1000, 700, 6, 7)
	key := Key(data)
	if _, ok := c.Get(key); ok {
		t.Fatal("an empty cache has an entry")
	}
	s, err := Make(data)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Put(key, s); err != nil {
		t.Fatal(err)
	}
	got, ok := c.Get(key)
	if !ok || got.Width != s.Width || got.Height != s.Height || len(got.Copies) != len(s.Copies) {
		t.Fatalf("Get = %+v, %v; want what was put", got, ok)
	}
	for i := range s.Copies {
		if !bytes.Equal(got.Copies[i].Data, s.Copies[i].Data) || got.Copies[i].Ext != s.Copies[i].Ext {
			t.Errorf("copy %d differs", i)
		}
	}
	file := filepath.Join(dir, key+".pic")
	whole, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	for _, spoil := range []struct {
		name string
		data []byte
	}{
		{"a byte changed", func() []byte { d := bytes.Clone(whole); d[len(d)/2] ^= 1; return d }()},
		{"cut short", whole[:len(whole)-100]},
		{"empty", nil},
	} {
		if err := os.WriteFile(file, spoil.data, 0o644); err != nil {
			t.Fatal(err)
		}
		if _, ok := c.Get(key); ok {
			t.Errorf("%s: the damaged entry is trusted", spoil.name)
		}
	}
	// Another key's entry under this key's name is not this key's.
	other := Key(append(bytes.Clone(data), 0))
	if err := c.Put(other, s); err != nil {
		t.Fatal(err)
	}
	moved, _ := os.ReadFile(filepath.Join(dir, other+".pic"))
	os.WriteFile(file, moved, 0o644)
	if _, ok := c.Get(key); ok {
		t.Error("another key's entry is trusted")
	}
	if err := c.Prune(map[string]bool{other: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(file); !os.IsNotExist(err) {
		t.Errorf("Prune left an entry it was not told to keep: %v", err)
	}
	if _, ok := c.Get(other); !ok {
		t.Error("Prune removed an entry it was told to keep")
	}
	if _, ok := c.Get("../../etc/passwd"); ok {
		t.Error("a path is a key")
	}
}

func FuzzOrientation(f *testing.F) {
	f.Add(phototest.WithEXIF([]byte("\xFF\xD8\xFF\xD9"), 6))
	f.Add([]byte("\xFF\xD8\xFF\xE1\x00\x08Exif\x00\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if o := Orientation(data); o < 1 || o > 8 {
			t.Fatalf("Orientation = %d", o)
		}
	})
}

func FuzzMake(f *testing.F) {
	f.Add(phototest.Photo(64, 48, 6, 1))
	f.Add(encodePNG(f, image.NewNRGBA(image.Rect(0, 0, 8, 8))))
	f.Add(phototest.PNGHeader(1, 1))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Make(data)
		if err == nil && (s.Width <= 0 || s.Height <= 0 || len(s.Copies) == 0) {
			t.Fatalf("Make = %+v without an error", s)
		}
	})
}
