package picture

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"testing"

	"sxsh/generator/picture/phototest"
)

// A phone's photo published as it is must not tell where it was taken:
// Clean drops the EXIF block but its orientation, and the picture reads
// the same.
func TestCleanJPEG(t *testing.T) {
	for _, o := range []int{1, 6} {
		src := phototest.Photo(300, 200, o, 7) // with a phone's EXIF block
		withXMP := insertSegment(src, 0xE1, append([]byte("http://ns.adobe.com/xap/1.0/\x00"), "<x:xmpmeta>GPSLatitude 10.95</x:xmpmeta>"...))
		withCOM := insertSegment(withXMP, 0xFE, []byte("Chụp tại nhà riêng"))
		got := Clean("anh.JPG", withCOM)
		for _, leak := range []string{phototest.GPSLatitude, phototest.Camera, "GPSLatitude", "nhà riêng"} {
			if bytes.Contains(got, []byte(leak)) {
				t.Errorf("orientation %d: %q is still in the file", o, leak)
			}
		}
		if Orientation(got) != o {
			t.Errorf("orientation %d became %d", o, Orientation(got))
		}
		a, err1 := jpeg.Decode(bytes.NewReader(src))
		b, err2 := jpeg.Decode(bytes.NewReader(got))
		if err1 != nil || err2 != nil || a.Bounds() != b.Bounds() || a.At(10, 10) != b.At(10, 10) {
			t.Errorf("orientation %d: the picture changed: %v %v", o, err1, err2)
		}
		if again := Clean("anh.jpg", got); !bytes.Equal(again, got) {
			t.Errorf("orientation %d: a second Clean changed the file again", o)
		}
	}
	var enc bytes.Buffer
	if err := jpeg.Encode(&enc, image.NewGray(image.Rect(0, 0, 40, 30)), nil); err != nil {
		t.Fatal(err)
	}
	plain := enc.Bytes()
	// A motion photo: a video, with its own place, after the picture.
	motion := append(append([]byte(nil), plain...), "\x00\x00\x00\x18ftypmp42 GPS 10.95 N"...)
	if got := Clean("a.jpg", motion); !bytes.Equal(got, plain) {
		t.Errorf("what follows the picture's end is still there: %d bytes, want %d", len(got), len(plain))
	}
	if got := Clean("a.jpg", plain); &got[0] != &plain[0] {
		t.Error("a JPEG with nothing to drop was copied")
	}
	for _, bad := range [][]byte{nil, []byte("\xFF\xD8\xFF"), []byte("\xFF\xD8\xFF\xE1\x00\x40Exif")} {
		if got := Clean("a.jpg", bad); !bytes.Equal(got, bad) {
			t.Errorf("damaged %q came back changed", bad)
		}
	}
}

func TestCleanPNG(t *testing.T) {
	img := image.NewNRGBA(image.Rect(0, 0, 4, 3))
	img.Set(1, 1, color.NRGBA{200, 10, 10, 255})
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	src := buf.Bytes()
	// tEXt after the header chunk, as editing programs write it.
	withText := append(append(append([]byte(nil), src[:33]...), phototest.PNGChunk("tEXt", "Comment\x00GPS 10.95 N")...), src[33:]...)
	got := Clean("a.png", withText)
	if bytes.Contains(got, []byte("GPS 10.95")) || !bytes.Equal(got, src) {
		t.Errorf("the text chunk is still there, or more was dropped")
	}
	if _, err := png.Decode(bytes.NewReader(got)); err != nil {
		t.Errorf("the cleaned PNG does not read: %v", err)
	}
	if got := Clean("a.svg", withText); !bytes.Equal(got, withText) {
		t.Error("a file that is not a JPEG or PNG was changed")
	}
}

func insertSegment(jpg []byte, marker byte, body []byte) []byte {
	seg := []byte{0xFF, marker, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(body)+2))
	return append(append(append([]byte(nil), jpg[:2]...), append(seg, body...)...), jpg[2:]...)
}
