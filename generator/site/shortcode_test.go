package site

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sxsh/generator/diag"
	"sxsh/generator/picture"
)

// shortcodeSite is published under a sub-folder, so that a ref's URL shows
// it has the base path once.
const shortcodeSite = `-- site.toml --
baseURL = "https://example.gov.vn/sxsh/"
[languages.vi]
title = "Thử"
languageName = "Tiếng Việt"
[languages.en]
title = "Test"
languageName = "English"
weight = 2
[params]
donVi = "Trung tâm Khuyến công"
-- static/images/lo-hoi.jpg --
jpeg
-- layouts/shortcodes/notice.html --
<aside class="notice notice-{{ .Get 0 }}" lang="{{ .Page.Lang }}">{{ .Inner }}<small>{{ .Site.Params.donVi }}</small></aside>
-- content/articles/_index.vi.md --
+++
title = "Tin tức"
slug = "tin-tuc"
+++
-- content/articles/hai.vi.md --
+++
title = "Bài hai"
date = 2024-02-03
+++
## Phần hai
-- content/articles/mot.vi.md --
+++
title = "Bài một"
date = 2024-01-02
[params]
nam = 2024
+++
Năm {{< param nam >}}, {{< param donVi >}} làm chủ trì.

{{< figure src="/images/lo-hoi.jpg" caption="Lò hơi sau cải tạo" >}}

Xem [bài hai]({{< ref "hai.md#phan-hai" >}}) hoặc {{< relref "/articles/hai" >}}.

{{< youtube dQw4w9WgXcQ >}}

{{% notice info %}}
**Ghi chú** quan trọng.
{{% /notice %}}

Cách viết: ` + "`{{< figure src=\"…\" >}}`" + ` và {{</* param nam */>}}.
`

func TestShortcodesInSite(t *testing.T) {
	src := txtar(shortcodeSite)
	src["static/images/lo-hoi.jpg"] = photoFile(900, 600, 1, 1)
	dest := mustBuild(t, src, nil)
	mot := read(t, dest, "tin-tuc/mot/index.html")
	lo := func(w int) string {
		// A static photo's copies are made from it as published, cleaned.
		return "/sxsh/images/" + copyName(picture.Clean("lo-hoi.jpg", src["static/images/lo-hoi.jpg"].Data), "lo-hoi.jpg", w)
	}
	for _, want := range []string{
		`<p>Năm 2024, Trung tâm Khuyến công làm chủ trì.</p>`,
		// The page's first picture: it loads at once.
		`<figure><img src="` + lo(900) + `" alt="Lò hơi sau cải tạo" srcset="` + lo(480) + ` 480w, ` + lo(800) + ` 800w, ` + lo(900) + ` 900w" sizes="(min-width: 48rem) 46rem, calc(100vw - 2rem)" width="900" height="600"><figcaption>Lò hơi sau cải tạo</figcaption></figure>`,
		`<a href="/sxsh/tin-tuc/hai/#phan-hai">bài hai</a> hoặc /sxsh/tin-tuc/hai/.`,
		`<p class="video-card video-youtube"><a href="https://www.youtube.com/watch?v=dQw4w9WgXcQ" rel="noopener">Xem video trên YouTube`,
		`<aside class="notice notice-info" lang="vi"><p><strong>Ghi chú</strong> quan trọng.</p>`,
		`<small>Trung tâm Khuyến công</small></aside>`,
		`<code>{{&lt; figure src="…" >}}</code> và {{&lt; param nam >}}.`,
	} {
		if !strings.Contains(mot, want) {
			t.Errorf("tin-tuc/mot/index.html lacks %s", want)
		}
	}
	if strings.Contains(mot, "youtube.com/embed") || strings.Contains(mot, "<iframe") {
		t.Errorf("the video is embedded: readers' browsers would ask Google on page load")
	}
	// No placeholder reaches a page, a feed, the search index or a summary.
	err := filepath.WalkDir(dest, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err == nil && strings.Contains(string(b), "sxshph") {
			t.Errorf("%s holds a placeholder", p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if feed := read(t, dest, "tin-tuc/index.xml"); !strings.Contains(feed, "Năm 2024, Trung tâm Khuyến công làm chủ trì. Lò hơi sau cải tạo") {
		t.Errorf("the summary in the feed lacks the shortcodes' text:\n%s", feed)
	}
}

func TestShortcodeErrorsInSite(t *testing.T) {
	page := func(body string) string {
		return strings.Replace(shortcodeSite, "-- content/articles/mot.vi.md --", "-- content/articles/loi.vi.md --\n+++\ntitle = \"Lỗi\"\ndate = 2024-04-04\n+++\n"+body+"\n-- content/articles/mot.vi.md --", 1)
	}
	tests := []struct {
		name, body string
		layout     string // a shortcode file to add
		want       string
	}{
		{"unknown", "Mở đầu.\n\n{{< canhbao >}}", "",
			`content/articles/loi.vi.md:7:1: unknown shortcode "canhbao": add layouts/shortcodes/canhbao.html or remove it`},
		{"broken ref", "Xem {{< ref \"ba.md\" >}}.", "",
			`content/articles/loi.vi.md:5:5: ref: "ba.md": no published page comes from content/articles/ba.md`},
		{"unclosed", "{{% notice info %}}\nChưa đóng.", "",
			`content/articles/loi.vi.md:5:1: shortcode "notice" is not closed: add {{% /notice %}} after its content`},
		{"template error", "\n{{< hop >}}", "-- layouts/shortcodes/hop.html --\n<div>\n{{ .Page.Nope }}</div>\n",
			`content/articles/loi.vi.md:6:1: shortcode "hop": layouts/shortcodes/hop.html:2:8: can't evaluate field Nope`},
		{"param", "{{< param khong >}}", "",
			`content/articles/loi.vi.md:5:1: param: no "khong" in the page's [params] nor in site.toml's [params]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := build(t, txtar(page(tt.body)+tt.layout), filepath.Join(t.TempDir(), "public"), nil)
			list, ok := err.(diag.List)
			if !ok {
				t.Fatalf("want a diag.List, got %T %v", err, err)
			}
			if !strings.Contains(list.Error(), tt.want) {
				t.Errorf("errors lack %q:\n%s", tt.want, list.Error())
			}
		})
	}
}

// TestShortcodeLinksChecked: a figure's missing image and a ref's missing
// anchor are found by check, at the shortcode's or the link's place.
func TestShortcodeLinksChecked(t *testing.T) {
	src := txtar(shortcodeSite + `-- content/articles/ba.vi.md --
+++
title = "Bài ba"
date = 2024-03-03
+++
{{< figure src="/images/khong-co.jpg" >}}

[neo]({{< ref "hai.md#khong-co" >}})
`)
	text := Check(context.Background(), Options{Source: src, Defaults: defaults(), Now: testNow}).Error()
	for _, want := range []string{
		`content/articles/ba.vi.md:5:1: missing image "/images/khong-co.jpg": put the file at static/images/khong-co.jpg`,
		`content/articles/ba.vi.md:7:1: broken link "/sxsh/tin-tuc/hai/#khong-co": /tin-tuc/hai/ has no heading with id "khong-co"`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("findings lack %q:\n%s", want, text)
		}
	}
}
