package site

import (
	"bytes"
	"image"
	"image/png"
	"testing/fstest"

	"sxsh/generator/picture"
	"sxsh/generator/picture/phototest"
)

// photoFile is a phone's photo w×h pixels as shown, stored turned for
// EXIF orientation o.
func photoFile(w, h, o int, seed uint64) *fstest.MapFile {
	return &fstest.MapFile{Data: phototest.Photo(w, h, o, seed), Mode: 0o644}
}

// copyName is the name of the copy w pixels wide of the picture data
// published as orig.
func copyName(data []byte, orig string, w int) string {
	return picture.Copy{Width: w, Ext: ".jpg"}.Name(orig, picture.Key(data))
}

// flatPNG is an opaque PNG w×h pixels of one shade, stored without
// compression: any two of the same size weigh the same.
func flatPNG(w, h int, shade uint8) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = shade
		if i%4 == 3 {
			img.Pix[i] = 255
		}
	}
	var b bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.NoCompression}
	if err := enc.Encode(&b, img); err != nil {
		panic(err) // an NRGBA picture always encodes
	}
	return b.Bytes()
}
