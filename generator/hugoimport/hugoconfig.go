package hugoimport

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"
	yaml "go.yaml.in/yaml/v3"

	"sxsh/generator/diag"
	"sxsh/generator/tomlfile"
)

// setting is one value of a Hugo site's configuration: a scalar, a list
// or an empty table, with the file and line it was set on. A table's
// values are settings of their own, so that files merge key by key, as
// Hugo merges config/_default/params.toml into the site's params.
type setting struct {
	path []string // the key path as written, from the configuration's root
	val  any
	file string
	line int
}

// key is the path as Hugo looks it up: its keys are not case-sensitive.
func (s *setting) key() string { return lowerKey(s.path) }

func lowerKey(path []string) string { return strings.ToLower(strings.Join(path, "\x00")) }

// hugoConfig is a Hugo site's whole configuration, merged from its files.
type hugoConfig struct {
	byKey map[string]*setting
	order []*setting // in the order set, a later file's after an earlier's
	files []string   // the files read, for the report
}

// configNames are the names of a site's configuration file, in the order
// Hugo looks for them; it reads the first it finds.
var configNames = []string{"hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json", "config.toml", "config.yaml", "config.yml", "config.json"}

// configDir is Hugo's folder of configuration files, one per top-level
// key; "_default" holds every environment's, and "production" what
// `hugo` builds with on top of it.
const configDir = "config"

// environments are the folders of configDir that a Hugo build reads, in
// the order they apply.
var environments = []string{"_default", "production"}

// readConfig reads and merges the configuration of the Hugo site in fsys.
// Folders of other environments are noted as left out.
func readConfig(fsys fs.FS, r *report) (*hugoConfig, error) {
	c := &hugoConfig{byKey: map[string]*setting{}}
	var errs diag.List
	for _, name := range configNames {
		src, err := fs.ReadFile(fsys, name)
		if err != nil {
			continue
		}
		errs.AddError(name, c.addFile(name, src, nil))
		break
	}
	if entries, err := fs.ReadDir(fsys, configDir); err == nil {
		for _, e := range entries {
			if !e.IsDir() {
				continue
			}
			if !slices.Contains(environments, e.Name()) {
				r.add(Settings, configDir+"/"+e.Name()+"/", 0, "the settings of Hugo's environment %q: sxsh builds one way only, with those of _default and production", e.Name())
			}
		}
	}
	for _, env := range environments {
		dir := configDir + "/" + env
		var names []string
		_ = fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && configExt(p) != "" {
				names = append(names, p)
			}
			return nil
		})
		sort.Strings(names)
		for _, name := range names {
			src, err := fs.ReadFile(fsys, name)
			if err != nil {
				errs.AddError(name, err)
				continue
			}
			errs.AddError(name, c.addFile(name, src, mountOf(name)))
		}
	}
	if len(c.files) == 0 && !errs.HasErrors() {
		return nil, fmt.Errorf("no Hugo configuration: neither %s nor a %s/_default/ folder; is this a Hugo site?", strings.Join(configNames, ", "), configDir)
	}
	if errs.HasErrors() {
		errs.Sort()
		return nil, errs
	}
	return c, nil
}

func configExt(name string) string {
	switch ext := path.Ext(name); ext {
	case ".toml", ".yaml", ".yml", ".json":
		return ext
	}
	return ""
}

// mountOf returns where in the configuration a file of config/_default
// goes: config.toml and hugo.toml at the root, params.toml under params,
// menus.en.toml under the menus of language en.
func mountOf(name string) []string {
	base := strings.TrimSuffix(path.Base(name), configExt(name))
	if base == "config" || base == "hugo" {
		return nil
	}
	if key, lang, ok := strings.Cut(base, "."); ok {
		return []string{"languages", lang, key}
	}
	return []string{base}
}

// addFile merges the configuration file name, whose values go under the
// key path mount.
func (c *hugoConfig) addFile(name string, src []byte, mount []string) error {
	c.files = append(c.files, name)
	switch configExt(name) {
	case ".toml":
		var m map[string]any
		if _, err := toml.Decode(string(src), &m); err != nil {
			if e, ok := err.(toml.ParseError); ok {
				return diag.Errorf(name, e.Position.Line, 0, "cannot read Hugo's configuration: %s", e.Message)
			}
			return diag.Errorf(name, 0, 0, "cannot read Hugo's configuration: %v", err)
		}
		c.addTable(name, mount, m, func(p []string) int { return tomlfile.KeyLine(src, p[len(mount):]) })
	case ".json":
		d := json.NewDecoder(bytes.NewReader(src))
		d.UseNumber()
		var m map[string]any
		if err := d.Decode(&m); err != nil {
			return diag.Errorf(name, jsonLine(src, err), 0, "cannot read Hugo's configuration: %v", err)
		}
		c.addTable(name, mount, jsonValue(m).(map[string]any), func([]string) int { return 0 })
	default:
		var doc yaml.Node
		if err := yaml.Unmarshal(src, &doc); err != nil {
			return diag.Errorf(name, 0, 0, "cannot read Hugo's configuration: %v", err)
		}
		if len(doc.Content) == 0 {
			return nil
		}
		return c.addYAML(name, mount, doc.Content[0], doc.Content[0].Line)
	}
	return nil
}

// addTable adds the values of table m, found at key path at, with line
// telling the line of a key path.
func (c *hugoConfig) addTable(file string, at []string, m map[string]any, line func([]string) int) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if len(keys) == 0 && len(at) > 0 {
		c.set(&setting{path: at, val: map[string]any{}, file: file, line: line(at)})
	}
	for _, k := range keys {
		p := append(slices.Clip(at), k)
		if sub, ok := m[k].(map[string]any); ok {
			c.addTable(file, p, sub, line)
			continue
		}
		c.set(&setting{path: p, val: m[k], file: file, line: line(p)})
	}
}

// addYAML adds the values of a YAML mapping, with their lines.
func (c *hugoConfig) addYAML(file string, at []string, n *yaml.Node, line int) error {
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if n.Kind != yaml.MappingNode {
		var v any
		if err := n.Decode(&v); err != nil {
			return diag.Errorf(file, n.Line, 0, "cannot read Hugo's configuration: %v", err)
		}
		c.set(&setting{path: at, val: plain(v), file: file, line: line})
		return nil
	}
	if len(n.Content) == 0 && len(at) > 0 {
		c.set(&setting{path: at, val: map[string]any{}, file: file, line: line})
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if err := c.addYAML(file, append(slices.Clip(at), k.Value), v, k.Line); err != nil {
			return err
		}
	}
	return nil
}

// set records s, replacing what an earlier file set at its key or below.
func (c *hugoConfig) set(s *setting) {
	k := s.key()
	for old := range c.byKey {
		if old == k || strings.HasPrefix(old, k+"\x00") || strings.HasPrefix(k, old+"\x00") {
			delete(c.byKey, old)
		}
	}
	c.byKey[k] = s
	c.order = append(c.order, s)
}

// get returns the setting at the key path, or nil.
func (c *hugoConfig) get(p ...string) *setting { return c.byKey[lowerKey(p)] }

// str returns the string at the key path, or "".
func (c *hugoConfig) str(p ...string) string {
	if s := c.get(p...); s != nil {
		if v, ok := s.val.(string); ok {
			return v
		}
	}
	return ""
}

// under returns the settings at or below the key path, in the order set.
func (c *hugoConfig) under(p ...string) []*setting {
	k := lowerKey(p)
	var out []*setting
	for _, s := range c.order {
		sk := s.key()
		if c.byKey[sk] != s {
			continue // replaced by a later file
		}
		if len(p) == 0 || sk == k || strings.HasPrefix(sk, k+"\x00") {
			out = append(out, s)
		}
	}
	return out
}

// children returns the keys one level below the key path, lower-cased,
// sorted.
func (c *hugoConfig) children(p ...string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range c.under(p...) {
		if len(s.path) > len(p) {
			k := strings.ToLower(s.path[len(p)])
			if !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
		}
	}
	sort.Strings(out)
	return out
}

// first returns the first setting at or below the key path, for the line
// a message about the whole table names.
func (c *hugoConfig) first(p ...string) *setting {
	if s := c.under(p...); len(s) > 0 {
		return s[0]
	}
	return &setting{}
}

// plain makes a decoded YAML value one that TOML can write: maps with
// string keys.
func plain(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			v[k] = plain(x)
		}
		return v
	case map[any]any:
		m := make(map[string]any, len(v))
		for k, x := range v {
			m[fmt.Sprint(k)] = plain(x)
		}
		return m
	case []any:
		for i, x := range v {
			v[i] = plain(x)
		}
	}
	return v
}

// jsonValue turns JSON's numbers into integers where they are whole, as
// TOML and YAML read them.
func jsonValue(v any) any {
	switch v := v.(type) {
	case json.Number:
		if i, err := v.Int64(); err == nil {
			return i
		}
		f, _ := v.Float64()
		return f
	case map[string]any:
		for k, x := range v {
			v[k] = jsonValue(x)
		}
	case []any:
		for i, x := range v {
			v[i] = jsonValue(x)
		}
	}
	return v
}

// jsonLine returns the line of a JSON syntax error, or 0.
func jsonLine(src []byte, err error) int {
	if se, ok := err.(*json.SyntaxError); ok && se.Offset <= int64(len(src)) {
		return bytes.Count(src[:se.Offset], []byte("\n")) + 1
	}
	return 0
}
