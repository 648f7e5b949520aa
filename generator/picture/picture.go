// Package picture makes the copies of a photo that a page shows: smaller
// widths for phones, turned the way the camera says, re-encoded without
// the camera's metadata (place, device, time). Readers on phones and slow
// mobile links then fetch a few tens of kilobytes where editors put
// photos of several megabytes.
//
// JPEG, PNG and WebP are read. A copy is a JPEG at quality 80, or a PNG
// when the picture has transparent parts (which JPEG cannot keep). There
// is no WebP output: the pure-Go WebP encoders are lossless only, which
// makes photos larger than a JPEG, or run libwebp in a WebAssembly
// runtime, a large dependency for the few kilobytes it would save.
//
// Copies are made once per picture content: Cache keeps them on disk by
// Key between builds.
package picture

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"path"
	"strings"

	"golang.org/x/image/draw"
	"golang.org/x/image/webp"
)

// Version names the way copies are made: a change to the widths, the
// quality or the resampling changes it, which renames every copy (so
// that browsers holding the old ones for a year fetch the new) and makes
// the cache's entries useless.
const Version = 1

// Quality is the JPEG quality of the copies: at 80 a photo's copy shows no
// loss on a phone's screen and weighs a tenth of the camera's file.
const Quality = 80

// MaxPixels bounds the pictures read: decoding takes about 4 bytes a
// pixel, and a 100-megapixel picture already needs 400 MB.
const MaxPixels = 100_000_000

// widths are the widths of the copies, in pixels: a phone's screen (480),
// a phone's at twice the density or a tablet's (800), an article's column
// at twice the density, and what link previews want (1200).
func widths() []int { return []int{480, 800, Largest} }

// Largest is the width of the largest copy.
const Largest = 1200

// Handles reports whether name is a picture this package makes copies of:
// a JPEG, PNG or WebP file, by its extension. SVG needs no copies and GIF
// may be animated: both are published as they are.
func Handles(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".jpg", ".jpeg", ".png", ".webp":
		return true
	}
	return false
}

// Key identifies a picture's content and the way its copies are made; the
// copies' names carry its first eight characters.
func Key(data []byte) string {
	h := sha256.New()
	fmt.Fprintf(h, "sxsh picture %d\n", Version)
	h.Write(data)
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// Set is a picture and its copies.
type Set struct {
	// Width and Height are the picture's size as shown, turned as its
	// EXIF orientation says.
	Width, Height int
	// Copies are the smaller copies, narrowest first: one at each of the
	// widths below the picture's width, and one at its own width when
	// that is Largest or less.
	Copies []Copy
}

// Copy is one copy of a picture.
type Copy struct {
	Width, Height int
	Ext           string // ".jpg", or ".png" for a picture with transparent parts
	Data          []byte // nil when a Cache holds it
}

// Name is the file name of a copy of the file name: "anh.jpg" →
// "anh.800w.3f2a9c1b.jpg", with its width and the key's start, beside the
// original.
func (c Copy) Name(original, key string) string {
	base := path.Base(original)
	return strings.TrimSuffix(base, path.Ext(base)) + fmt.Sprintf(".%dw.%s", c.Width, key[:8]) + c.Ext
}

// Largest returns the widest copy, and false when there is none.
func (s *Set) Largest() (Copy, bool) {
	if s == nil || len(s.Copies) == 0 {
		return Copy{}, false
	}
	return s.Copies[len(s.Copies)-1], true
}

// Make decodes a picture and makes its copies. Errors say what is wrong
// with the file in words an editor can act on; it never panics, whatever
// the bytes.
func Make(data []byte) (set *Set, err error) {
	defer func() {
		if p := recover(); p != nil {
			set, err = nil, fmt.Errorf("cannot read the picture (%v)", p)
		}
	}()
	format, cfg, err := probe(data)
	if err != nil {
		return nil, err
	}
	orient := 1
	if format == "jpeg" {
		orient = Orientation(data)
	}
	var img image.Image
	switch format {
	case "jpeg":
		img, err = jpeg.Decode(bytes.NewReader(data))
	case "png":
		img, err = png.Decode(bytes.NewReader(data))
	case "webp":
		img, err = webp.Decode(bytes.NewReader(data))
	}
	if err != nil {
		return nil, readError(format, err)
	}
	b := img.Bounds()
	if b.Dx() != cfg.Width || b.Dy() != cfg.Height {
		return nil, fmt.Errorf("cannot read the picture: its header says %d×%d pixels, its data %d×%d", cfg.Width, cfg.Height, b.Dx(), b.Dy())
	}
	w, h := b.Dx(), b.Dy()
	if orient >= 5 { // turned a quarter: width and height swap
		w, h = h, w
	}
	set = &Set{Width: w, Height: h}
	ext := ".jpg"
	if !opaque(img) {
		ext = ".png"
	}
	var targets []int
	for _, tw := range widths() {
		if tw < w {
			targets = append(targets, tw)
		}
	}
	if w <= Largest {
		targets = append(targets, w)
	}
	// Each copy is drawn from the next larger one, the largest from the
	// original: the ratio of each step is small enough for Catmull-Rom
	// to keep the detail, and the original is read once.
	src := img
	copies := make([]Copy, len(targets))
	for i := len(targets) - 1; i >= 0; i-- {
		tw := targets[i]
		th := max(1, (h*tw+w/2)/w)
		scaled := resize(src, tw, th, orient >= 5)
		src = scaled
		out := orientate(scaled, orient)
		var buf bytes.Buffer
		if ext == ".png" {
			enc := png.Encoder{CompressionLevel: png.BestCompression}
			err = enc.Encode(&buf, out)
		} else {
			err = jpeg.Encode(&buf, out, &jpeg.Options{Quality: Quality})
		}
		if err != nil {
			return nil, fmt.Errorf("cannot encode a copy %d pixels wide: %v", tw, err)
		}
		copies[i] = Copy{Width: tw, Height: th, Ext: ext, Data: buf.Bytes()}
	}
	set.Copies = copies
	return set, nil
}

// probe reads a picture's format and size from its header, and refuses one
// too large to decode.
func probe(data []byte) (string, image.Config, error) {
	var cfg image.Config
	var err error
	format := ""
	switch {
	case bytes.HasPrefix(data, []byte("\xFF\xD8")):
		format = "jpeg"
		cfg, err = jpeg.DecodeConfig(bytes.NewReader(data))
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		format = "png"
		cfg, err = png.DecodeConfig(bytes.NewReader(data))
	case len(data) >= 12 && string(data[:4]) == "RIFF" && string(data[8:12]) == "WEBP":
		format = "webp"
		cfg, err = webp.DecodeConfig(bytes.NewReader(data))
	default:
		return "", cfg, errors.New("not a JPEG, PNG or WebP picture (the file's content is of another kind, or damaged)")
	}
	if err != nil {
		return format, cfg, readError(format, err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return format, cfg, fmt.Errorf("cannot read the picture: it says it is %d×%d pixels", cfg.Width, cfg.Height)
	}
	if px := int64(cfg.Width) * int64(cfg.Height); px > MaxPixels {
		return format, cfg, fmt.Errorf("the picture is %d×%d pixels (%d megapixels), more than the %d megapixels sxsh reads: make it smaller (%d pixels wide is plenty) and save it again",
			cfg.Width, cfg.Height, px/1_000_000, MaxPixels/1_000_000, 2*Largest)
	}
	return format, cfg, nil
}

// Size reads a picture's size as shown (turned as its EXIF orientation
// says) from its header, without decoding it.
func Size(data []byte) (width, height int, err error) {
	format, cfg, err := probe(data)
	if err != nil {
		return 0, 0, err
	}
	if format == "jpeg" && Orientation(data) >= 5 {
		return cfg.Height, cfg.Width, nil
	}
	return cfg.Width, cfg.Height, nil
}

func readError(format string, err error) error {
	name := map[string]string{"jpeg": "JPEG", "png": "PNG", "webp": "WebP"}[format]
	// image/jpeg says "short Huffman data" when the picture's data stops
	// before its end, which is how a cut file usually ends.
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) || strings.Contains(err.Error(), "short Huffman data") {
		return fmt.Errorf("the %s file ends too soon: it was cut short (copied or uploaded only in part) or damaged; save or copy it again", name)
	}
	return fmt.Errorf("cannot read the %s picture: %v (the file is damaged, or not what its name says)", name, err)
}

// opaque reports whether every pixel of img is opaque.
func opaque(img image.Image) bool {
	if o, ok := img.(interface{ Opaque() bool }); ok {
		return o.Opaque()
	}
	return false
}

// resize scales img to w×h as shown; turned says the stored picture is
// turned a quarter, so that its stored size is h×w.
func resize(img image.Image, w, h int, turned bool) image.Image {
	if turned {
		w, h = h, w
	}
	b := img.Bounds()
	if b.Dx() == w && b.Dy() == h {
		return img
	}
	var dst draw.Image
	if opaque(img) {
		dst = image.NewRGBA(image.Rect(0, 0, w, h))
	} else {
		dst = image.NewNRGBA(image.Rect(0, 0, w, h))
	}
	draw.CatmullRom.Scale(dst, dst.Bounds(), img, b, draw.Src, nil)
	return dst
}

// orientate turns and flips img from the stored picture to the one shown,
// for EXIF orientation o.
func orientate(img image.Image, o int) image.Image {
	if o <= 1 || o > 8 {
		return img
	}
	b := img.Bounds()
	sw, sh := b.Dx(), b.Dy()
	dw, dh := sw, sh
	if o >= 5 {
		dw, dh = sh, sw
	}
	// Both are four bytes a pixel, which turn moves as they are.
	var src, dst []byte
	var out image.Image
	if opaque(img) {
		s := image.NewRGBA(image.Rect(0, 0, sw, sh))
		draw.Draw(s, s.Rect, img, b.Min, draw.Src)
		d := image.NewRGBA(image.Rect(0, 0, dw, dh))
		src, dst, out = s.Pix, d.Pix, d
	} else {
		s := image.NewNRGBA(image.Rect(0, 0, sw, sh))
		draw.Draw(s, s.Rect, img, b.Min, draw.Src)
		d := image.NewNRGBA(image.Rect(0, 0, dw, dh))
		src, dst, out = s.Pix, d.Pix, d
	}
	turn(dst, dw, dh, src, sw, sh, o)
	return out
}

// turn fills dst (dw×dh, four bytes a pixel) from src (sw×sh) for EXIF
// orientation o: the pixel of dst at (x, y) is src's at the place the
// orientation maps it to.
func turn(dst []byte, dw, dh int, src []byte, sw, sh, o int) {
	for y := range dh {
		for x := range dw {
			var sx, sy int
			switch o {
			case 2:
				sx, sy = sw-1-x, y
			case 3:
				sx, sy = sw-1-x, sh-1-y
			case 4:
				sx, sy = x, sh-1-y
			case 5:
				sx, sy = y, x
			case 6:
				sx, sy = y, sh-1-x
			case 7:
				sx, sy = sw-1-y, sh-1-x
			case 8:
				sx, sy = sw-1-y, x
			}
			copy(dst[4*(y*dw+x):4*(y*dw+x)+4], src[4*(sy*sw+sx):])
		}
	}
}
