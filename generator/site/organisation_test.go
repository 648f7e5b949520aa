package site

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

const organisationSite = `-- site.toml --
baseURL = "https://example.gov.vn/"
[languages.vi]
title = "Thử"
languageName = "Tiếng Việt"
[[languages.vi.portals]]
name = "Cổng thông tin điện tử tỉnh Đồng Nai"
url = "https://dongnai.gov.vn"
[[languages.vi.portals]]
name = "Cổng Dịch vụ công quốc gia"
url = "https://dichvucong.gov.vn"
[[languages.vi.organisation.units]]
name = "Ban Giám đốc"
duties = "Điều hành chung."
[[languages.vi.organisation.units]]
name = "Phòng Tư vấn"
[[languages.vi.organisation.people]]
name = "Trưởng phòng Tư vấn"
position = "Trưởng phòng"
unit = "Phòng Tư vấn"
phone = "0251 3000 103"
fax = "0251 3000 199"
email = "tuvan@sxsh.dongnai.gov.vn"
[[languages.vi.organisation.people]]
name = "Giám đốc Trung tâm"
position = "Giám đốc"
unit = "Ban Giám đốc"
duties = "Phụ trách chung."
[[languages.vi.organisation.people]]
name = "Cán bộ phụ trách trang"
position = "Chuyên viên"
email = "lienhe@sxsh.dongnai.gov.vn"
[languages.en]
title = "Test"
languageName = "English"
weight = 2
[[languages.en.portals]]
name = "Ministry of Industry and Trade"
url = "https://moit.gov.vn"
-- content/co-cau-to-chuc.vi.md --
+++
title = "Cơ cấu tổ chức"
layout = "organisation"
+++
Trung tâm là đơn vị sự nghiệp.
-- content/gioi-thieu.vi.md --
+++
title = "Giới thiệu"
+++
Giới thiệu.
-- content/about.en.md --
+++
title = "About"
+++
About.
`

// TestOrganisationPageAndPortals: the organisation layout shows the page's
// text, then each unit of site.toml in order with its duties and people,
// then the people of no unit as contact officers, with working phone and
// e-mail links; every page's footer links the portals of its language.
func TestOrganisationPageAndPortals(t *testing.T) {
	dest := mustBuild(t, txtar(organisationSite), nil)
	org := read(t, dest, "co-cau-to-chuc/index.html")
	body := text(regexp.MustCompile(`(?s)<main.*</main>`).FindString(org))
	var order []int
	for _, w := range []string{"Trung tâm là đơn vị sự nghiệp.", "Cơ cấu tổ chức Ban Giám đốc Phòng Tư vấn", "Ban Giám đốc Điều hành chung.", "Giám đốc Trung tâm Giám đốc Phụ trách chung. Phòng Tư vấn",
		"Trưởng phòng Tư vấn Trưởng phòng Điện thoại 0251 3000 103 Fax 0251 3000 199 Thư điện tử tuvan@sxsh.dongnai.gov.vn",
		"Cán bộ đầu mối liên hệ", "Cán bộ phụ trách trang Chuyên viên"} {
		i := strings.Index(body, w)
		if i < 0 {
			t.Errorf("the organisation page lacks %q:\n%s", w, body)
		}
		order = append(order, i)
	}
	if !slices.IsSorted(order) {
		t.Errorf("the organisation page is out of order: %v\n%s", order, body)
	}
	for _, w := range []string{`href="tel:0251%203000%20103"`, `href="mailto:tuvan@sxsh.dongnai.gov.vn"`, `href="#unit-2"`, `<h3 id="unit-2">Phòng Tư vấn</h3>`} {
		if !strings.Contains(org, w) {
			t.Errorf("the organisation page lacks %s", w)
		}
	}
	// Another page of the site has no organisation, whatever site.toml says.
	if strings.Contains(text(read(t, dest, "gioi-thieu/index.html")), "Trưởng phòng Tư vấn") {
		t.Error("a page without the organisation layout shows the people")
	}
	portals := regexp.MustCompile(`(?s)<nav class="footer-portals".*?</nav>`)
	for rel, want := range map[string][]string{
		"index.html":                {"https://dongnai.gov.vn", "https://dichvucong.gov.vn"},
		"gioi-thieu/index.html":     {"https://dongnai.gov.vn", "https://dichvucong.gov.vn"},
		"en/about/index.html":       {"https://moit.gov.vn"},
		"co-cau-to-chuc/index.html": {"https://dongnai.gov.vn", "https://dichvucong.gov.vn"},
	} {
		nav := portals.FindString(read(t, dest, rel))
		got := regexp.MustCompile(`href="([^"]+)"`).FindAllStringSubmatch(nav, -1)
		var urls []string
		for _, g := range got {
			urls = append(urls, g[1])
		}
		if !slices.Equal(urls, want) {
			t.Errorf("%s: footer portals %v, want %v", rel, urls, want)
		}
	}
}
