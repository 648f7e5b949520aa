package sxsh_test

// The deploy guide's configurations are code a webmaster pastes: these tests
// read them out of README.md and check them, so that the README cannot drift
// from what works.

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"sxsh"
	sxshcounter "sxsh/generator/counter"
	"sxsh/generator/site"
	"sxsh/generator/testenv"
)

// TestMain runs the tests with their folders in memory (see testenv).
func TestMain(m *testing.M) { testenv.Main(m) }

// readmeBlocks returns the README's fenced code blocks of the language.
func readmeBlocks(t *testing.T, lang string) []string {
	t.Helper()
	data, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	var blocks []string
	var cur *strings.Builder
	for _, line := range strings.SplitAfter(string(data), "\n") {
		trimmed := strings.TrimSpace(line)
		switch {
		case cur == nil && trimmed == "```"+lang:
			cur = &strings.Builder{}
		case cur != nil && trimmed == "```":
			blocks = append(blocks, cur.String())
			cur = nil
		case cur != nil:
			cur.WriteString(line)
		}
	}
	return blocks
}

// xmlNode is an element of a parsed XML document.
type xmlNode struct {
	XMLName xml.Name
	Attrs   []xml.Attr `xml:",any,attr"`
	Nodes   []xmlNode  `xml:",any"`
}

func (n xmlNode) attr(name string) string {
	for _, a := range n.Attrs {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// find returns the descendants of n reached by the element names in path.
func (n xmlNode) find(path ...string) []xmlNode {
	if len(path) == 0 {
		return []xmlNode{n}
	}
	var out []xmlNode
	for _, c := range n.Nodes {
		if c.XMLName.Local == path[0] {
			out = append(out, c.find(path[1:]...)...)
		}
	}
	return out
}

// TestReadmeXMLConfigs parses every XML block of the README strictly (a
// "--" inside a comment is an error, as IIS finds it) and checks what the
// IIS web.config promises.
func TestReadmeXMLConfigs(t *testing.T) {
	blocks := readmeBlocks(t, "xml")
	if len(blocks) < 2 {
		t.Fatalf("the README has %d XML blocks; want the web.config and the counter's rule", len(blocks))
	}
	var webConfig *xmlNode
	for i, b := range blocks {
		doc := b
		if !strings.HasPrefix(doc, "<?xml") {
			doc = "<fragment>" + doc + "</fragment>" // a part to paste into a file
		}
		var root xmlNode
		d := xml.NewDecoder(strings.NewReader(doc))
		d.Strict = true
		if err := d.Decode(&root); err != nil {
			t.Errorf("XML block %d of the README does not parse: %v\n%s", i+1, err, b)
			continue
		}
		if root.XMLName.Local == "configuration" {
			webConfig = &root
		}
	}
	if webConfig == nil {
		t.Fatal("no web.config (<configuration>) among the README's XML blocks")
	}
	passThrough := false
	for _, loc := range webConfig.find("location") {
		for _, e := range loc.find("system.webServer", "httpErrors") {
			if loc.attr("path") == "api" && e.attr("existingResponse") == "PassThrough" {
				passThrough = true
			}
		}
	}
	if !passThrough {
		t.Error(`the web.config replaces the counter's own errors: want <location path="api"> with <httpErrors existingResponse="PassThrough" />`)
	}
	json := false
	for _, m := range webConfig.find("system.webServer", "staticContent", "mimeMap") {
		json = json || m.attr("mimeType") == "application/json"
	}
	if !json {
		t.Error("the web.config does not serve .json as application/json, which IIS then neither serves (before IIS 10) nor compresses")
	}
	if data, _ := os.ReadFile("README.md"); !bytes.Contains(data, []byte(`staticTypes.[mimeType='application/json',enabled='True']`)) {
		t.Error("the README does not say how to let IIS compress the search index's JSON")
	}
}

// TestReadmeNginxConfig runs the README's nginx configuration, as a
// webmaster would paste it, in front of the built example site on a
// loopback port, and checks what the guide promises: status codes, the
// security headers on every answer (the counter's too), compression and
// caching.
func TestReadmeNginxConfig(t *testing.T) {
	nginx, err := exec.LookPath("nginx")
	if err != nil {
		nginx = "/usr/sbin/nginx"
	}
	if _, err := os.Stat(nginx); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("nginx is not installed; CI installs it (apt-get install nginx)")
		}
		t.Skip("nginx is not installed (apt-get install nginx); skipped outside CI")
	}
	blocks := readmeBlocks(t, "nginx")
	var snippet, server, api string
	for _, b := range blocks {
		switch {
		case strings.HasPrefix(b, "add_header Content-Security-Policy"):
			snippet = b
		case strings.Contains(b, "listen 443"):
			server = b
		case strings.Contains(b, "location /api/"):
			api = b
		}
	}
	if snippet == "" || server == "" || api == "" {
		t.Fatalf("the README lacks an nginx block: headers snippet %t, server %t, /api/ %t", snippet != "", server != "", api != "")
	}
	csp := regexp.MustCompile(`Content-Security-Policy "([^"]+)"`).FindStringSubmatch(snippet)
	if csp == nil {
		t.Fatal("no Content-Security-Policy in the headers snippet")
	}

	dir := t.TempDir()
	if err := os.Chmod(dir, 0o755); err != nil { // nginx's workers read it
		t.Fatal(err)
	}
	public := filepath.Join(dir, "public")
	if _, err := site.Build(context.Background(), site.Options{Source: os.DirFS("."), Dir: ".",
		Defaults: site.Defaults{Layouts: sxsh.Layouts(), Static: sxsh.Static()}, Destination: public}); err != nil {
		t.Fatal(err)
	}
	// The counter refuses the hit; the feedback form is taken for real, to
	// show that the /api/ location passes it on with the host the service
	// checks the form's Origin against.
	inbox, err := sxshcounter.Open(filepath.Join(dir, "counter.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer inbox.Close()
	apiMux := http.NewServeMux()
	apiMux.HandleFunc("/api/hit", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprint(w, `{"error":"origin not allowed"}`)
	})
	sxshcounter.NewFeedbackServer(inbox, sxshcounter.FeedbackOptions{}).Mount(apiMux)
	counter := httptest.NewServer(apiMux)
	defer counter.Close()
	port := freePort(t)

	// The server block on 443, made to listen on loopback without TLS, with
	// the /api/ location pasted in as the counter's section says.
	server = server[strings.LastIndex(server, "server {"):]
	server = server[:strings.LastIndex(server, "}")] + api + "}\n"
	listens := 0
	var conf strings.Builder
	for _, line := range strings.SplitAfter(server, "\n") {
		trimmed := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(trimmed, "listen "):
			if listens++; listens == 1 {
				fmt.Fprintf(&conf, "    listen 127.0.0.1:%d;\n", port)
			}
			continue
		case strings.HasPrefix(trimmed, "ssl_certificate"):
			continue
		}
		line = strings.Replace(line, "root /var/www/sxsh/public;", "root "+public+";", 1)
		line = strings.Replace(line, "include snippets/sxsh-headers.conf;", "include "+filepath.Join(dir, "sxsh-headers.conf")+";", 1)
		line = strings.Replace(line, "proxy_pass http://127.0.0.1:8081;", "proxy_pass "+counter.URL+";", 1)
		conf.WriteString(line)
	}
	for _, want := range []string{"listen 127.0.0.1", "root " + public, filepath.Join(dir, "sxsh-headers.conf"), "proxy_pass " + counter.URL} {
		if !strings.Contains(conf.String(), want) {
			t.Fatalf("the README's server block changed shape: %q not set\n%s", want, conf.String())
		}
	}
	user := ""
	if os.Geteuid() == 0 {
		user = "user root;" // the workers read the test's own folder
	}
	main := fmt.Sprintf(`%s
daemon off;
master_process off;
pid %[2]s/nginx.pid;
error_log %[2]s/error.log;
events { worker_connections 64; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path %[2]s/body;
    proxy_temp_path %[2]s/proxy;
    fastcgi_temp_path %[2]s/fastcgi;
    uwsgi_temp_path %[2]s/uwsgi;
    scgi_temp_path %[2]s/scgi;
%[3]s}
`, user, dir, conf.String())
	for name, body := range map[string]string{"sxsh-headers.conf": snippet, "nginx.conf": main} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if out, err := exec.Command(nginx, "-t", "-p", dir, "-e", filepath.Join(dir, "error.log"), "-c", filepath.Join(dir, "nginx.conf")).CombinedOutput(); err != nil {
		t.Fatalf("nginx -t: %v\n%s\n%s", err, out, main)
	}
	cmd := exec.Command(nginx, "-p", dir, "-e", filepath.Join(dir, "error.log"), "-c", filepath.Join(dir, "nginx.conf"))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		cmd.Process.Kill()
		cmd.Wait()
	}()
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	waitListening(t, base, &stderr)

	css := firstFile(t, public, "css", ".css")
	manifests, _ := filepath.Glob(filepath.Join(public, "search", "vi", "manifest.*.json"))
	if len(manifests) != 1 {
		t.Fatalf("search manifests: %v", manifests)
	}
	manifest, _ := filepath.Rel(public, manifests[0])
	manifest = filepath.ToSlash(manifest)
	terms, err := os.ReadFile(filepath.Join(public, "search", "vi", "terms.bin"))
	if err != nil || len(terms) < 100 {
		t.Fatalf("the search index's terms pack: %d bytes, %v", len(terms), err)
	}
	tests := []struct {
		path     string
		gzip     bool
		status   int
		cache    string // a part of Cache-Control
		encoding string
		body     string // a part of the body
		location string
		of       []byte // when set, the body must be bytes from…to of it, asked with Range
		from, to int
		form     bool // POST the feedback form from the site's page
	}{
		{path: "/", status: 200, cache: "max-age=300", body: `<html lang="vi"`},
		{path: "/", gzip: true, status: 200, cache: "max-age=300", encoding: "gzip", body: `<html lang="vi"`},
		{path: "/tin-tuc", status: 301, location: "/tin-tuc/"},
		{path: "/en/khong-co/", status: 404, body: "404"},
		{path: "/" + css, gzip: true, status: 200, cache: "immutable", encoding: "gzip"},
		{path: "/" + manifest, gzip: true, status: 200, cache: "immutable", encoding: "gzip"},
		// The search reads the packs by byte range: 206, never gzipped;
		// each part at an address of its own, the range in its query.
		{path: "/search/vi/terms.bin?v=0123abcd", gzip: true, of: terms, from: 10, to: 99, status: 206, cache: "immutable"},
		{path: "/search/vi/terms.bin?v=0123abcd&r=10-99", gzip: true, of: terms, from: 10, to: 99, status: 206, cache: "immutable"},
		{path: "/api/hit", status: 403, body: `{"error":"origin not allowed"}`},
		{path: "/api/feedback", form: true, status: 303, location: "/hoi-dap-gop-y/da-gui/"},
	}
	client := &http.Client{Transport: &http.Transport{DisableCompression: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s gzip=%t", tt.path, tt.gzip), func(t *testing.T) {
			req, _ := http.NewRequest("GET", base+tt.path, nil)
			if tt.form {
				req, _ = http.NewRequest("POST", base+tt.path, strings.NewReader(url.Values{
					"name": {"Nguyễn Văn An"}, "contact": {"an@example.com"}, "message": {"Xin hỏi."},
					"lang": {"vi"}, "back": {"/hoi-dap-gop-y/"}, "next": {"/hoi-dap-gop-y/da-gui/"},
				}.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.Header.Set("Origin", base)
			}
			if tt.gzip {
				req.Header.Set("Accept-Encoding", "gzip")
			}
			if tt.of != nil {
				req.Header.Set("Range", fmt.Sprintf("bytes=%d-%d", tt.from, tt.to))
			}
			resp, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var body io.Reader = resp.Body
			if resp.Header.Get("Content-Encoding") == "gzip" {
				if body, err = gzip.NewReader(resp.Body); err != nil {
					t.Fatal(err)
				}
			}
			data, err := io.ReadAll(body)
			if err != nil {
				t.Fatal(err)
			}
			h := resp.Header
			if resp.StatusCode != tt.status {
				t.Errorf("status %d, want %d", resp.StatusCode, tt.status)
			}
			if h.Get("Content-Security-Policy") != csp[1] || h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") == "" {
				t.Errorf("security headers missing: CSP %q, nosniff %q, referrer %q", h.Get("Content-Security-Policy"), h.Get("X-Content-Type-Options"), h.Get("Referrer-Policy"))
			}
			if !strings.Contains(h.Get("Cache-Control"), tt.cache) {
				t.Errorf("Cache-Control %q, want %q in it", h.Get("Cache-Control"), tt.cache)
			}
			if h.Get("Content-Encoding") != tt.encoding {
				t.Errorf("Content-Encoding %q, want %q", h.Get("Content-Encoding"), tt.encoding)
			}
			if !strings.Contains(string(data), tt.body) {
				t.Errorf("the body lacks %q", tt.body)
			}
			if tt.of != nil && !bytes.Equal(data, tt.of[tt.from:tt.to+1]) {
				t.Errorf("bytes %d-%d: %d bytes, not those of the file", tt.from, tt.to, len(data))
			}
			if h.Get("Location") != tt.location {
				t.Errorf("Location %q, want %q", h.Get("Location"), tt.location)
			}
		})
	}
	if kept, err := inbox.FeedbackSince(time.Time{}); err != nil || len(kept) != 1 || kept[0].Name != "Nguyễn Văn An" {
		t.Errorf("the form posted through nginx: %+v, %v", kept, err)
	}
}

// freePort returns a loopback port that was free a moment ago.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// waitListening waits up to ten seconds for the server at base to answer.
func waitListening(t *testing.T, base string, stderr *bytes.Buffer) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		resp, err := http.Get(base + "/")
		if err == nil {
			resp.Body.Close()
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("nginx does not answer at %s: %v\n%s", base, err, stderr)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// firstFile returns the slash path, under root, of the first file in the
// folder dir whose name ends in ext.
func firstFile(t *testing.T, root, dir, ext string) string {
	t.Helper()
	found := ""
	errFound := errors.New("found")
	err := filepath.WalkDir(filepath.Join(root, dir), func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(p, ext) {
			rel, _ := filepath.Rel(root, p)
			found = filepath.ToSlash(rel)
			return errFound
		}
		return nil
	})
	if found == "" {
		t.Fatalf("no %s file under %s: %v", ext, dir, err)
	}
	return found
}
