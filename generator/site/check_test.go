package site

import (
	"context"
	"strings"
	"testing"

	"sxsh/generator/diag"
)

func TestCheckFindings(t *testing.T) {
	src := txtar(strings.Replace(goodSite, "[taxonomies.categories]", "[[languages.vi.menu]]\nname = \"Cũ\"\nurl = \"/khong-co/\"\n[taxonomies.categories]", 1) + `
-- content/articles/lien-ket.vi.md --
+++
title = "Liên kết"
date = 2024-05-05
+++
Tốt: [hai](hai.vi.md#phan-hai), [về đầu](#tren).
Hỏng: [neo](hai.vi.md#khong-co) và [cũ](/tin-tuc/khong-con/) và ![ảnh](/images/khong-co.png).

## Trên
`)
	findings := Check(context.Background(), Options{Source: src, Defaults: defaults(), Now: testNow})
	text := findings.Error()
	for _, want := range []string{
		`content/articles/lien-ket.vi.md:6:7: broken link "hai.vi.md#khong-co": /tin-tuc/hai/ has no heading with id "khong-co"`,
		`content/articles/lien-ket.vi.md:6:`, `broken link "/tin-tuc/khong-con/": the site has no page at /tin-tuc/khong-con/`,
		`missing image "/images/khong-co.png"`,
		`site.toml:10: menu entry "Cũ" of "vi" leads to /khong-co/`,
		`content/articles/hai.vi.md: warning: no en translation (add content/articles/hai.en.md)`,
		`content/articles/nhap.vi.md:4: info: a draft`,
		`content/articles/sau.vi.md:4: info: dated 01/01/2030, after today`,
		`content/articles/het-han.vi.md:4: info: expired on 01/01/2025`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("findings lack %q", want)
		}
	}
	for _, notWant := range []string{`"hai.vi.md#phan-hai"`, `"#tren"`, `mot.vi.md: warning: no en`} {
		if strings.Contains(text, notWant) {
			t.Errorf("a good link or page was reported: %s", notWant)
		}
	}
	if !findings.HasErrors() {
		t.Errorf("broken links must be errors")
	}
	// A clean site has no errors; a content error is reported as a build
	// would report it.
	clean := Check(context.Background(), Options{Source: txtar(goodSite), Defaults: defaults(), Now: testNow})
	if clean.HasErrors() {
		t.Errorf("clean site: %v", clean.Errors())
	}
	bad := Check(context.Background(), Options{Source: txtar(goodSite + "-- content/x.vi.md --\n+++\ntittle = \"A\"\n+++\n"), Defaults: defaults(), Now: testNow})
	if !strings.Contains(bad.Error(), `content/x.vi.md:2: unknown key "tittle"`) {
		t.Errorf("check misses the build's errors: %v", bad)
	}
	var _ diag.List = bad
}
