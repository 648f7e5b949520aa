// Package phototest makes photos for tests: a camera's large JPEG, with
// the EXIF block a phone writes (orientation, GPS position, camera), drawn
// so that a test can tell which way up a copy of it is.
package phototest

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"math"
	"math/rand/v2"
	"sync"
)

// Marker is the colour of the top-left quarter of a photo as shown; the
// rest is greens and greys.
var Marker = color.RGBA{220, 30, 30, 255}

// IsMarker reports whether c is close to Marker, as a JPEG copy keeps it.
func IsMarker(c color.Color) bool {
	r, g, b, _ := c.RGBA()
	return r>>8 > 150 && g>>8 < 110 && b>>8 < 110
}

// GPSLatitude is a text the EXIF block of a Photo carries, as the GPS
// block of a phone's photo does: no copy may keep it.
const GPSLatitude = "10 deg 57' 2.51\" N, Bien Hoa"

// Camera is the camera's name in the EXIF block.
const Camera = "Dien thoai XYZ 12 Pro"

// Photo is a JPEG of a picture w×h pixels as shown, stored turned so that
// EXIF orientation o (1 to 8) shows it upright, at the quality a phone
// saves at (98): 3000×4000 makes a file of about 6 MB. Its top left
// quarter, as shown, is Marker; the rest is smooth gradients with
// blotches and a fine grain, as a phone's photo of a scene is.
//
// The same arguments give the same bytes. A test binary draws each photo
// once: later calls get a copy of the first one's bytes.
func Photo(w, h, o int, seed uint64) []byte {
	k := photoKey{w, h, o, seed}
	photos.mu.Lock()
	if photos.m == nil {
		photos.m = map[photoKey]*madePhoto{}
	}
	p := photos.m[k]
	if p == nil {
		p = &madePhoto{}
		photos.m[k] = p
	}
	photos.mu.Unlock()
	p.once.Do(func() { p.data = draw(w, h, o, seed) })
	return bytes.Clone(p.data)
}

type photoKey struct {
	w, h, o int
	seed    uint64
}

type madePhoto struct {
	once sync.Once
	data []byte
}

// photos are the photos drawn so far, by their arguments.
var photos struct {
	mu sync.Mutex
	m  map[photoKey]*madePhoto
}

// draw makes the JPEG that Photo returns.
func draw(w, h, o int, seed uint64) []byte {
	// The grain is how far each pixel strays from the scene, as a
	// sensor's noise does; it is most of a camera file's weight.
	const grain, q = 8, 98
	sw, sh := w, h
	if o >= 5 {
		sw, sh = h, w
	}
	img := image.NewRGBA(image.Rect(0, 0, sw, sh))
	rng := rand.New(rand.NewPCG(seed, 1))
	// Blotches: a few soft discs, so that the scene has shapes. blots
	// counts, for each pixel as shown, the discs it is in; each disc is
	// laid row by row, as the span of the row inside it.
	blots := make([]uint8, w*h)
	for range 40 {
		r := 40 + rng.IntN(w/8+1)
		cx, cy, r2 := rng.IntN(w), rng.IntN(h), r*r
		for y := max(0, cy-r); y < min(h, cy+r+1); y++ {
			dy := y - cy
			m := r2 - dy*dy - 1 // dx*dx+dy*dy < r2: dx*dx <= m
			if m < 0 {
				continue
			}
			dx := isqrt(m)
			for x := max(0, cx-dx); x < min(w, cx+dx+1); x++ {
				blots[y*w+x]++
			}
		}
	}
	for sy := range sh {
		for sx := range sw {
			x, y := shown(sx, sy, sw, sh, o)
			var c color.RGBA
			if x < w/2 && y < h/2 {
				c = Marker
			} else {
				g := uint8(60 + 120*y/h)
				c = color.RGBA{uint8(40 + 80*x/w), g, uint8(50 + 60*(x+y)/(w+h)), 255}
				for range blots[y*w+x] {
					c.R, c.B = c.R/2+60, c.B/2+20
				}
			}
			n := rng.IntN(2*grain+1) - grain
			i := img.PixOffset(sx, sy)
			img.Pix[i+0] = clamp(int(c.R) + n)
			img.Pix[i+1] = clamp(int(c.G) + n)
			img.Pix[i+2] = clamp(int(c.B) + n)
			img.Pix[i+3] = 255
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: q}); err != nil {
		panic(err) // an RGBA picture always encodes
	}
	return WithEXIF(buf.Bytes(), o)
}

// isqrt is the largest integer whose square is at most m (m >= 0).
func isqrt(m int) int {
	r := int(math.Sqrt(float64(m)))
	for r*r > m {
		r--
	}
	for (r+1)*(r+1) <= m {
		r++
	}
	return r
}

// shown maps a stored pixel to where it is shown under orientation o.
func shown(sx, sy, sw, sh, o int) (x, y int) {
	switch o {
	case 2:
		return sw - 1 - sx, sy
	case 3:
		return sw - 1 - sx, sh - 1 - sy
	case 4:
		return sx, sh - 1 - sy
	case 5:
		return sy, sx
	case 6:
		return sh - 1 - sy, sx
	case 7:
		return sh - 1 - sy, sw - 1 - sx
	case 8:
		return sy, sw - 1 - sx
	}
	return sx, sy
}

func clamp(v int) uint8 { return uint8(min(255, max(0, v))) }

// WithEXIF puts into a JPEG, after its start, the APP1 block a phone
// writes: orientation o, the camera's name and a GPS text, in big-endian
// TIFF order as many cameras write it.
func WithEXIF(jpg []byte, o int) []byte {
	be := binary.BigEndian
	var t bytes.Buffer
	t.WriteString("MM")
	binary.Write(&t, be, uint16(42))
	binary.Write(&t, be, uint32(8))
	// IFD0: orientation, model, and the GPS text as an ASCII tag (a real
	// GPS IFD holds numbers; the text is what a test can look for).
	model := Camera + "\x00"
	gps := GPSLatitude + "\x00"
	const entries = 3
	dataAt := uint32(8 + 2 + 12*entries + 4)
	binary.Write(&t, be, uint16(entries))
	entry := func(tag, typ uint16, count, value uint32) {
		binary.Write(&t, be, tag)
		binary.Write(&t, be, typ)
		binary.Write(&t, be, count)
		binary.Write(&t, be, value)
	}
	entry(0x0110, 2, uint32(len(model)), dataAt)                  // Model
	entry(0x0112, 3, 1, uint32(o)<<16)                            // Orientation: a SHORT, left-justified
	entry(0x9c9b, 2, uint32(len(gps)), dataAt+uint32(len(model))) // a text tag
	binary.Write(&t, be, uint32(0))                               // no next IFD
	t.WriteString(model)
	t.WriteString(gps)
	seg := append([]byte("Exif\x00\x00"), t.Bytes()...)
	var out bytes.Buffer
	out.Write(jpg[:2])
	out.Write([]byte{0xFF, 0xE1})
	binary.Write(&out, be, uint16(len(seg)+2))
	out.Write(seg)
	out.Write(jpg[2:])
	return out.Bytes()
}

// PNGChunk is one PNG chunk: its length, type, data and CRC.
func PNGChunk(typ, data string) []byte {
	out := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	out = append(out, typ...)
	out = append(out, data...)
	return binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE([]byte(typ+data)))
}

// PNGHeader is a PNG that says it is w×h pixels, and has no data.
func PNGHeader(w, h uint32) []byte {
	ihdr := binary.BigEndian.AppendUint32(nil, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 2, 0, 0, 0) // 8-bit RGB, no interlace
	return append([]byte("\x89PNG\r\n\x1a\n"), PNGChunk("IHDR", string(ihdr))...)
}
