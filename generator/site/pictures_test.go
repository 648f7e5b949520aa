package site

import (
	"bytes"
	"context"
	"image"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"sxsh/generator/picture"
	"sxsh/generator/picture/phototest"
)

// madePictures makes the copies of each picture's bytes once for all the
// tests: many builds show the same photos, and picture.Make gives the same
// copies for the same bytes. Builds still count, cache and prune the
// copies as they do with picture.Make: only the decoding and scaling are
// not done again.
var madePictures pictureMemo

type pictureMemo struct{ made sync.Map } // picture.Key → *madePicture

type madePicture struct {
	once sync.Once
	set  *picture.Set
	err  error
}

// make is picture.Make, remembered; each call gets its own copy of the
// Set, as from picture.Make.
func (pm *pictureMemo) make(data []byte) (*picture.Set, error) {
	v, _ := pm.made.LoadOrStore(picture.Key(data), &madePicture{})
	m := v.(*madePicture)
	m.once.Do(func() { m.set, m.err = picture.Make(data) })
	if m.err != nil {
		return nil, m.err
	}
	s := *m.set
	s.Copies = slices.Clone(s.Copies)
	for i := range s.Copies {
		s.Copies[i].Data = bytes.Clone(s.Copies[i].Data)
	}
	return &s, nil
}

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

// photoSite is a site whose articles show phones' photos: a bundle's own
// (its front matter's and one in its text), and one of static/.
const photoSite = siteTOML + `
-- content/articles/_index.vi.md --
+++
title = "Tin tức"
slug = "tin-tuc"
+++
-- content/articles/le-hoi/index.vi.md --
+++
title = "Ngày hội"
date = 2024-05-01
image = "anh.jpg"
+++
Trước.

![Sân khấu](san-khau.jpg)

![Sơ đồ](/images/so-do.svg)
-- content/articles/pano.vi.md --
+++
title = "Pano"
date = 2024-04-01
image = "/images/pano.jpg"
+++
Chữ.
-- static/images/so-do.svg --
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 320 200"><rect width="320" height="200"/></svg>
`

func photoSources() fstest.MapFS {
	src := txtar(photoSite)
	src["content/articles/le-hoi/anh.jpg"] = photoFile(2000, 1500, 6, 1)
	src["content/articles/le-hoi/san-khau.jpg"] = photoFile(1000, 750, 1, 2)
	src["static/images/pano.jpg"] = photoFile(1600, 1000, 3, 3)
	return src
}

// Pages show the copies of their photos, with the attributes a phone needs
// to fetch the one its screen wants and to keep its room; the copies are
// beside the original, upright and without EXIF; the first picture of the
// page loads at once, the others lazily.
func TestPicturesInSite(t *testing.T) {
	src := photoSources()
	dest := filepath.Join(t.TempDir(), "public")
	res, err := build(t, src, dest, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Pictures != 3 {
		t.Errorf("the first build made copies of %d pictures, want 3", res.Pictures)
	}
	anh := src["content/articles/le-hoi/anh.jpg"].Data
	at := func(w int) string { return "/tin-tuc/le-hoi/" + copyName(anh, "anh.jpg", w) }
	page := tags(read(t, dest, "tin-tuc/le-hoi/index.html"))
	hero := find(page, "img", "src", at(1200), "srcset", at(480)+" 480w, "+at(800)+" 800w, "+at(1200)+" 1200w",
		"sizes", "(min-width: 48rem) 46rem, calc(100vw - 2rem)", "width", "1200", "height", "900")
	if len(hero) != 1 || hero[0].attrs["loading"] != "" || hero[0].attrs["decoding"] != "" {
		t.Errorf("the article's picture is not its copies, eager: %v", find(page, "img"))
	}
	sk := src["content/articles/le-hoi/san-khau.jpg"].Data
	body := find(page, "img", "alt", "Sân khấu")
	if len(body) != 1 || body[0].attrs["src"] != "/tin-tuc/le-hoi/"+copyName(sk, "san-khau.jpg", 1000) ||
		!strings.HasSuffix(body[0].attrs["srcset"], " 1000w") || body[0].attrs["width"] != "1000" || body[0].attrs["height"] != "750" ||
		body[0].attrs["loading"] != "lazy" || body[0].attrs["decoding"] != "async" {
		t.Errorf("the picture in the text: %v", body)
	}
	if svg := find(page, "img", "src", "/images/so-do.svg", "width", "320", "height", "200", "loading", "lazy"); len(svg) != 1 {
		t.Errorf("the SVG picture is not as it is, with its size: %v", find(page, "img"))
	}
	if og := find(page, "meta", "property", "og:image"); len(og) != 1 || og[0].attrs["content"] != "https://example.gov.vn"+at(1200) {
		t.Errorf("og:image = %v, want the 1200-wide copy", og)
	}
	for _, w := range []int{480, 800, 1200} {
		data := []byte(read(t, dest, strings.TrimPrefix(at(w), "/")))
		img, err := jpeg.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("copy %d: %v", w, err)
		}
		if b := img.Bounds(); b.Dx() != w || !phototest.IsMarker(img.At(b.Dx()/5, b.Dy()/5)) || phototest.IsMarker(img.At(4*b.Dx()/5, b.Dy()/5)) {
			t.Errorf("copy %d is %v, or not upright", w, b)
		}
		if bytes.Contains(data, []byte("Exif")) || bytes.Contains(data, []byte(phototest.GPSLatitude)) {
			t.Errorf("copy %d keeps the EXIF block", w)
		}
	}
	// The original is published too, for links to it, without its EXIF
	// block but its orientation.
	orig := []byte(read(t, dest, "tin-tuc/le-hoi/anh.jpg"))
	if !bytes.Equal(orig, picture.Clean("anh.jpg", anh)) || bytes.Contains(orig, []byte(phototest.GPSLatitude)) || picture.Orientation(orig) != picture.Orientation(anh) {
		t.Error("the original is not published cleaned of its metadata, upright")
	}
	// A list: the first card loads at once, the next when scrolled to.
	cards := find(tags(read(t, dest, "tin-tuc/index.html")), "img", "class", "card-image")
	// A static file's copies are made from it as published, cleaned.
	pano := "/images/" + copyName(picture.Clean("pano.jpg", src["static/images/pano.jpg"].Data), "pano.jpg", 1200)
	if len(cards) != 2 || cards[0].attrs["src"] != at(1200) || cards[0].attrs["loading"] != "" ||
		cards[1].attrs["src"] != pano || cards[1].attrs["loading"] != "lazy" || cards[1].attrs["sizes"] != "(min-width: 46rem) 32rem, calc(100vw - 2rem)" {
		t.Errorf("cards: %v", cards)
	}

	// Nothing is decoded again: not by a full build, nor by a build of
	// another destination given the cache, which publishes the same.
	res, err = build(t, src, dest, func(o *Options) { o.Full = true })
	if err != nil || res.Pictures != 0 {
		t.Errorf("a second full build made copies of %d pictures (%v), want none", res.Pictures, err)
	}
	other := filepath.Join(t.TempDir(), "public")
	res, err = build(t, src, other, func(o *Options) { o.PictureCache = PictureCache(dest) })
	if err != nil || res.Pictures != 0 {
		t.Errorf("a build given the cache made copies of %d pictures (%v), want none", res.Pictures, err)
	}
	if d := sameTree(t, other, dest); d != "" {
		t.Errorf("the copies read from the cache are not those made:\n%s", d)
	}

	// A damaged entry is made again, never trusted.
	entry := filepath.Join(PictureCache(dest), picture.Key(anh)+".pic")
	data, err := os.ReadFile(entry)
	if err != nil {
		t.Fatal(err)
	}
	data[len(data)/2] ^= 0xFF
	if err := os.WriteFile(entry, data, 0o644); err != nil {
		t.Fatal(err)
	}
	res, err = build(t, src, dest, func(o *Options) { o.Full = true })
	if err != nil || res.Pictures != 1 {
		t.Errorf("after damage, a build made copies of %d pictures (%v), want 1", res.Pictures, err)
	}
	if d := sameTree(t, other, dest); d != "" {
		t.Errorf("the copies made again differ:\n%s", d)
	}
	// The cache keeps the site's pictures only.
	delete(src, "static/images/pano.jpg")
	edit(src, "content/articles/pano.vi.md", `image = "/images/pano.jpg"`, "")
	if _, err := build(t, src, dest, nil); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(PictureCache(dest)); len(entries) != 2 {
		t.Errorf("the cache has %d entries for the site's 2 pictures", len(entries))
	}
}

// sxsh serve decodes a picture once: its Session keeps the copies from
// one save to the next, and reads those that sxsh build made.
func TestSessionPictures(t *testing.T) {
	src := photoSources()
	ctx := context.Background()
	sess, dest := newSession(t, src)
	res, err := sess.Build(ctx, nil)
	if err != nil || res.Pictures != 3 {
		t.Fatalf("first build: %d pictures made (%v), want 3", res.Pictures, err)
	}
	for _, change := range []struct {
		name    string
		changed []string
		edit    func()
	}{
		{"text", []string{"content/articles/pano.vi.md"}, func() { edit(src, "content/articles/pano.vi.md", "Chữ.", "Chữ mới.") }},
		{"static/", []string{"static/images/so-do.svg"}, func() {
			src["static/images/so-do.svg"] = &fstest.MapFile{Data: []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30"/>`)}
		}},
		{"site.toml", []string{"site.toml"}, func() { edit(src, "site.toml", "paginate = 2", "paginate = 3") }},
	} {
		change.edit()
		res, err := sess.Build(ctx, change.changed)
		if err != nil || res.Pictures != 0 {
			t.Errorf("after a change to %s: %d pictures made (%v), want none", change.name, res.Pictures, err)
		}
	}
	if err := sess.Wait(); err != nil {
		t.Fatal(err)
	}
	matchesFull(t, src, dest)

	built := filepath.Join(t.TempDir(), "public")
	if _, err := build(t, src, built, nil); err != nil {
		t.Fatal(err)
	}
	s2, err := NewSession(Options{Source: src, Defaults: defaults(), Destination: filepath.Join(t.TempDir(), "preview"), Now: testNow, PictureCache: PictureCache(built)})
	if err != nil {
		t.Fatal(err)
	}
	if res, err := s2.Build(ctx, nil); err != nil || res.Pictures != 0 {
		t.Errorf("a Session given a build's cache made %d pictures (%v), want none", res.Pictures, err)
	}
	s2.Close()
}

// A picture sxsh cannot read is an error at the line that shows it, and
// the published site stays as it was; one no page shows is a warning.
func TestBrokenPictures(t *testing.T) {
	good := photoSources()
	cut := func(name string) []byte { return good[name].Data[:len(good[name].Data)/3] }
	// The good photos' copies are made once for all the cases.
	cache := filepath.Join(t.TempDir(), "pictures")
	pics := func(o *Options) { o.PictureCache = cache }
	for _, tc := range []struct {
		name, file string
		data       []byte
		want       string
	}{
		{"front matter, static/", "static/images/pano.jpg", cut("static/images/pano.jpg"),
			`content/articles/pano.vi.md:4: image /images/pano.jpg: the JPEG file ends too soon: it was cut short`},
		{"front matter, bundle", "content/articles/le-hoi/anh.jpg", []byte("<html>ảnh</html>"),
			`content/articles/le-hoi/index.vi.md:4: image /tin-tuc/le-hoi/anh.jpg: not a JPEG, PNG or WebP picture`},
		{"Markdown", "content/articles/le-hoi/san-khau.jpg", cut("content/articles/le-hoi/san-khau.jpg"),
			`content/articles/le-hoi/index.vi.md:8:1: picture "san-khau.jpg": the JPEG file ends too soon`},
		{"too large", "content/articles/le-hoi/san-khau.jpg", phototest.PNGHeader(20000, 15000),
			`content/articles/le-hoi/index.vi.md:8:1: picture "san-khau.jpg": the picture is 20000×15000 pixels (300 megapixels)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := photoSources()
			dest := filepath.Join(t.TempDir(), "public")
			if _, err := build(t, src, dest, pics); err != nil {
				t.Fatal(err)
			}
			before := treeHash(t, dest)
			src[tc.file] = &fstest.MapFile{Data: tc.data}
			_, err := build(t, src, dest, pics)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("the build says %v; want %s", err, tc.want)
			}
			if !strings.Contains(err.Error(), tc.file+": warning: ") {
				t.Errorf("no warning at %s:\n%v", tc.file, err)
			}
			if treeHash(t, dest) != before {
				t.Error("the failed build changed the published site")
			}
			for _, e := range mustReadDir(t, filepath.Dir(dest)) {
				if strings.Contains(e, ".new-") {
					t.Errorf("the failed build left %s", e)
				}
			}
		})
	}
	// A file of static/ that no page shows is published as it is.
	src := photoSources()
	src["static/images/hong.jpg"] = &fstest.MapFile{Data: cut("static/images/pano.jpg")}
	dest, warnings := buildWarns(t, src)
	if !strings.Contains(warnings, "static/images/hong.jpg: warning: the JPEG file ends too soon") {
		t.Errorf("no warning about the picture that cannot be read:\n%s", warnings)
	}
	if read(t, dest, "images/hong.jpg") != string(picture.Clean("hong.jpg", src["static/images/hong.jpg"].Data)) {
		t.Error("the file is not published as it is, but for its metadata")
	}
}

// A picture written with its name escaped, as a browser's address bar
// copies it, is the same picture: it gets its copies and its size.
func TestEscapedPictureName(t *testing.T) {
	src := txtar(siteTOML + "-- content/a.vi.md --\n+++\ntitle = \"A\"\n+++\n\n![Ảnh](/images/%E1%BA%A3nh.jpg)\n")
	src["static/images/ảnh.jpg"] = photoFile(1000, 750, 1, 4)
	dest := mustBuild(t, src, nil)
	imgs := find(tags(read(t, dest, "a/index.html")), "img", "alt", "Ảnh")
	if len(imgs) != 1 || !strings.Contains(imgs[0].attrs["srcset"], "480w") || imgs[0].attrs["width"] != "1000" {
		t.Errorf("the escaped name got no copies: %v", imgs)
	}
}
