package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// unpack writes a txtar-style archive ("-- name --" lines, each followed by
// the file's bytes) into a new folder. Bytes are kept as they are, so that
// a case can hold a file that is not UTF-8.
func unpack(t *testing.T, archive []byte) string {
	t.Helper()
	dir := t.TempDir()
	var name string
	var body []byte
	flush := func() {
		if name == "" {
			return
		}
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, body, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, line := range bytes.SplitAfter(archive, []byte("\n")) {
		l := bytes.TrimSpace(line)
		if bytes.HasPrefix(l, []byte("-- ")) && bytes.HasSuffix(l, []byte(" --")) && len(l) > 6 {
			flush()
			name, body = string(bytes.TrimSpace(l[3:len(l)-3])), nil
			continue
		}
		if name != "" {
			body = append(body, line...)
		}
	}
	flush()
	return dir
}

// TestMistakeMessages builds a small site with one of the mistakes editors
// make most, in each language, through the command's own entry point, and
// compares what it prints with testdata/mistakes/NAME.LANG.golden. Run
// with -update to rewrite them, and read the diff.
func TestMistakeMessages(t *testing.T) {
	cases, err := filepath.Glob("testdata/mistakes/*.txtar")
	if err != nil || len(cases) < 10 {
		t.Fatalf("want at least ten cases, found %d (%v)", len(cases), err)
	}
	for _, c := range cases {
		archive, err := os.ReadFile(c)
		if err != nil {
			t.Fatal(err)
		}
		for _, lang := range []string{"vi", "en"} {
			name := strings.TrimSuffix(filepath.Base(c), ".txtar")
			t.Run(name+"/"+lang, func(t *testing.T) {
				dir := unpack(t, archive)
				var out, errb bytes.Buffer
				err := run(context.Background(), []string{"build", "--lang", lang, "--source", dir}, &out, &errb)
				if code := exitCode(err); code != exitContent {
					t.Errorf("exit %d, want %d", code, exitContent)
				}
				// The message for a missing date proposes today's.
				got := strings.ReplaceAll(out.String()+errb.String(), time.Now().Format("2006-01-02"), "TODAY")
				golden := strings.TrimSuffix(c, ".txtar") + "." + lang + ".golden"
				if *update {
					if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatal(err)
				}
				if got != string(want) {
					t.Errorf("sxsh build --lang %s printed\n%s\nwant (%s)\n%s", lang, got, golden, want)
				}
			})
		}
	}
}

func TestPickLang(t *testing.T) {
	tests := []struct {
		flag        string
		env         map[string]string
		siteDefault string
		want        string
	}{
		{"", nil, "", "vi"},
		{"", nil, "vi", "vi"},
		{"", nil, "en", "en"},
		{"", nil, "fr", "en"}, // no French catalog: English
		{"", map[string]string{"LANG": "en_US.UTF-8"}, "vi", "en"},
		{"", map[string]string{"LC_MESSAGES": "en_GB"}, "vi", "en"},
		{"", map[string]string{"LANG": "vi_VN.UTF-8"}, "en", "vi"},
		{"", map[string]string{"LC_ALL": "vi_VN", "LANG": "en_US"}, "", "vi"}, // LC_ALL first
		{"", map[string]string{"LC_ALL": "C", "LANG": "en_US"}, "vi", "vi"},   // C: the site decides
		{"vi", map[string]string{"LANG": "en_US.UTF-8"}, "en", "vi"},          // --lang wins
		{"en", map[string]string{"LC_ALL": "vi_VN"}, "vi", "en"},
	}
	for _, tt := range tests {
		got := pickLang(tt.flag, func(k string) string { return tt.env[k] }, tt.siteDefault)
		if got != tt.want {
			t.Errorf("pickLang(%q, %v, %q) = %q, want %q", tt.flag, tt.env, tt.siteDefault, got, tt.want)
		}
	}
}

// TestMessagesFollowTheEnvironment runs the program as an editor's shell
// would: Vietnamese unless LANG says English, and --lang above both.
func TestMessagesFollowTheEnvironment(t *testing.T) {
	runEnv := func(lang string, args ...string) string {
		t.Setenv("LC_ALL", "")
		t.Setenv("LC_MESSAGES", "")
		t.Setenv("LANG", lang)
		var out, errb bytes.Buffer
		run(context.Background(), args, &out, &errb)
		return out.String() + errb.String()
	}
	tests := []struct {
		lang string
		args []string
		want string
	}{
		{"C.UTF-8", []string{"frobnicate"}, "sxsh: không có lệnh \"frobnicate\"\nGõ \"sxsh --help\" để xem cách dùng.\n"},
		{"en_US.UTF-8", []string{"frobnicate"}, "sxsh: unknown command \"frobnicate\"\nRun \"sxsh --help\" for usage.\n"},
		{"en_US.UTF-8", []string{"--lang", "vi", "frobnicate"}, "sxsh: không có lệnh \"frobnicate\"\n"},
		{"vi_VN.UTF-8", []string{"--lang=en", "frobnicate"}, "sxsh: unknown command \"frobnicate\"\n"},
		{"", []string{"--lang", "fr", "build"}, "sxsh: --lang fr: thông báo chỉ có bằng vi hoặc en\n"},
		{"en_US", []string{"build", "--source", "/does/not/exist", "--lang", "vi"}, "sxsh: build: --source /does/not/exist không phải là thư mục\n"},
	}
	for _, tt := range tests {
		if got := runEnv(tt.lang, tt.args...); !strings.HasPrefix(got, tt.want) {
			t.Errorf("LANG=%s sxsh %s printed\n%s\nwant it to begin\n%s", tt.lang, strings.Join(tt.args, " "), got, tt.want)
		}
	}
}

// TestCheckAndNewInVietnamese: sxsh check's report and sxsh new's line, in
// the default language.
func TestCheckAndNewInVietnamese(t *testing.T) {
	dir := writeSite(t, map[string]string{
		"site.toml":                "[languages.vi]\ntitle = \"Thử\"\n[languages.en]\ntitle = \"Test\"\nweight = 2\n",
		"content/articles/a.vi.md": "+++\ntitle = \"A\"\ndate = 2024-03-15\n+++\nXem [bài khác](/tin-tuc/khong-co/) và ![ảnh](/images/x.jpg).\n",
	})
	var out, errb bytes.Buffer
	err := run(context.Background(), []string{"check", "--lang", "vi", "--source", dir}, &out, &errb)
	want := `content/articles/a.vi.md: cảnh báo: chưa có bản dịch en (hãy thêm content/articles/a.en.md)
content/articles/a.vi.md:5:5: liên kết hỏng "/tin-tuc/khong-co/": trang web không có trang nào ở địa chỉ /tin-tuc/khong-co/
content/articles/a.vi.md:5:39: thiếu hình "/images/x.jpg": hãy đặt tệp vào static/images/x.jpg
sxsh check: 2 lỗi, 1 cảnh báo, 0 lưu ý
`
	if exitCode(err) != exitContent || out.String() != want {
		t.Errorf("sxsh check: exit %d, printed\n%s%s\nwant\n%s", exitCode(err), out.String(), errb.String(), want)
	}
	out.Reset()
	err = run(context.Background(), []string{"new", "article", "Tiết kiệm điện", "--source", dir, "--lang", "en"}, &out, &errb)
	if want := "sxsh: đã tạo content/articles/tiet-kiem-dien.en.md (bản nháp: xóa dòng draft = true để đăng bài)\n"; err != nil || out.String() != want {
		t.Errorf("sxsh new: %v, printed %q, want %q", err, out.String(), want)
	}
}
