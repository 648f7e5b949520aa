package site

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const feedbackSite = `
-- site.toml --
baseURL = "https://sxsh.example.gov.vn/"
[languages.vi]
title = "Thử"
[languages.vi.contact]
email = "lienhe@example.gov.vn"
phone = "0251 3 822 000"
[languages.en]
title = "Test"
weight = 2
[languages.en.contact]
email = "contact@example.gov.vn"
-- content/a.vi.md --
+++
title = "A"
+++
Chào.
`

// The feedback page of each language: the form when the counter service
// can take it, the organisation's address and phone otherwise; the
// thank-you page only with the service.
func TestFeedbackPages(t *testing.T) {
	tests := []struct {
		name, toml string
		action     string // "" for no form
		back, next string
	}{
		{"no endpoint", "", "", "", ""},
		{"endpoint on the site", "[counter]\nendpoint = \"/api/\"\n", "/api/feedback", "/hoi-dap-gop-y/", "/hoi-dap-gop-y/da-gui/"},
		{"endpoint on another host", "[counter]\nendpoint = \"https://dem.example.gov.vn/api\"\n", "https://dem.example.gov.vn/api/feedback",
			"https://sxsh.example.gov.vn/hoi-dap-gop-y/", "https://sxsh.example.gov.vn/hoi-dap-gop-y/da-gui/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dest := mustBuild(t, txtar(feedbackSite+"-- site.toml --\n"+siteToml(feedbackSite)+tt.toml), nil)
			vi := read(t, dest, "hoi-dap-gop-y/index.html")
			en := read(t, dest, "en/feedback/index.html")
			ts := tags(vi)
			// The two are translations, and every page links its
			// language's one from the footer.
			if len(find(ts, "link", "rel", "alternate", "hreflang", "en", "href", "https://sxsh.example.gov.vn/en/feedback/")) != 1 {
				t.Error("the Vietnamese feedback page has no English alternate")
			}
			if len(find(tags(read(t, dest, "a/index.html")), "a", "href", "/hoi-dap-gop-y/")) != 1 {
				t.Error("a page does not link the feedback page")
			}
			forms := find(ts, "form", "method", "post")
			if tt.action == "" {
				if len(forms) != 0 {
					t.Errorf("a form without an endpoint: %v", forms)
				}
				for _, want := range []string{`href="mailto:lienhe@example.gov.vn"`, `href="tel:0251%203%20822%20000"`} {
					if !strings.Contains(vi, want) {
						t.Errorf("without an endpoint the page lacks %s", want)
					}
				}
				if !strings.Contains(en, `href="mailto:contact@example.gov.vn"`) {
					t.Error("the English page lacks its own address")
				}
				if _, err := os.Stat(filepath.Join(dest, "hoi-dap-gop-y", "da-gui")); err == nil {
					t.Error("a thank-you page without a service to send readers there")
				}
				return
			}
			if len(forms) != 1 || forms[0].attrs["action"] != tt.action {
				t.Fatalf("forms %v, want one posting to %s", forms, tt.action)
			}
			hidden := map[string]string{}
			for _, in := range find(ts, "input", "type", "hidden") {
				hidden[in.attrs["name"]] = in.attrs["value"]
			}
			if hidden["lang"] != "vi" || hidden["back"] != tt.back || hidden["next"] != tt.next {
				t.Errorf("hidden fields %v, want lang vi, back %s, next %s", hidden, tt.back, tt.next)
			}
			for _, name := range []string{"name", "contact", "message"} {
				if len(find(ts, "input", "name", name, "required", ""))+len(find(ts, "textarea", "name", name, "required", "")) != 1 {
					t.Errorf("no required field %q", name)
				}
			}
			if trap := find(ts, "input", "name", "website", "tabindex", "-1"); len(trap) != 1 {
				t.Error("no honeypot field out of the tab order")
			}
			// Each error has a message that its fragment shows.
			for _, c := range feedbackCodes() {
				if len(find(ts, "p", "id", "loi-"+c[0], "class", "feedback-error")) != 1 {
					t.Errorf("no message for error %s", c[0])
				}
			}
			if !strings.Contains(vi, `href="mailto:lienhe@example.gov.vn"`) {
				t.Error("the form page lacks the address to write to")
			}
			if h := find(tags(en), "input", "name", "lang"); len(h) != 1 || h[0].attrs["value"] != "en" {
				t.Errorf("English form's lang: %v", h)
			}
			sent := read(t, dest, "hoi-dap-gop-y/da-gui/index.html")
			if !strings.Contains(sent, "Đã nhận câu hỏi, góp ý của bạn") || !strings.Contains(sent, `href="/hoi-dap-gop-y/"`) {
				t.Errorf("thank-you page: %s", sent)
			}
			if !strings.Contains(read(t, dest, "en/feedback/sent/index.html"), `hreflang="vi" href="https://sxsh.example.gov.vn/hoi-dap-gop-y/da-gui/"`) {
				t.Error("the thank-you pages are not translations of each other")
			}
		})
	}
}

// siteToml is the site.toml of a txtar archive, for tests that add to it.
func siteToml(archive string) string {
	return string(txtar(archive)["site.toml"].Data)
}

func TestFeedbackURLTaken(t *testing.T) {
	_, err := build(t, txtar(feedbackSite+"-- content/hoi-dap.vi.md --\n+++\ntitle = \"Hỏi đáp\"\nslug = \"hoi-dap-gop-y\"\n+++\n"),
		filepath.Join(t.TempDir(), "public"), nil)
	if err == nil || !strings.Contains(err.Error(), "content/hoi-dap.vi.md:3") || !strings.Contains(err.Error(), "URL /hoi-dap-gop-y/ is the feedback page's") {
		t.Errorf("error %v", err)
	}
}
