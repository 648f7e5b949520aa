package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	iofs "io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"sxsh/generator/config"
	"sxsh/generator/content"
)

func runNew(ctx context.Context, args []string, stdout, stderr io.Writer, m *messages) error {
	fs := newFlags("new", `new KIND "Tiêu đề" [--lang en] [--source DIR]
       sxsh new --translate FILE [--lang en] [--source DIR]

KIND is one of: `+kindList()+`.
The file is made in the kind's folder with every field and a hint, as a draft;
it is never overwritten.`, stderr)
	source := fs.String("source", ".", "the site `DIR`ectory")
	lang := fs.String("lang", "", "the language of the new file (default: the site's default language;\nwith --translate, the other language)")
	translate := fs.String("translate", "", "make the other language's counterpart of this content `FILE`")
	rest, help, err := parseInterspersed(fs, args, stdout)
	if help || err != nil {
		return err
	}
	cfg, err := config.Load(os.DirFS(*source))
	if err != nil {
		return err
	}
	m.resolve(cfg.DefaultLanguage)
	if *lang != "" {
		if _, ok := cfg.Languages[*lang]; !ok {
			return usagef("new: --lang %s is not a language of the site (%s)", *lang, strings.Join(cfg.Langs(), ", "))
		}
	}
	var rel string
	var text []byte
	if *translate != "" {
		if len(rest) > 0 {
			return usagef("new: --translate takes no KIND or title")
		}
		rel, text, err = translation(*source, *translate, *lang, cfg)
	} else {
		if len(rest) != 2 {
			return usagef(`new: want KIND and a title in quotes, like: sxsh new article "Tiết kiệm điện trong nhà máy"`)
		}
		l := *lang
		if l == "" {
			l = cfg.DefaultLanguage
		}
		rel, text, err = content.NewFile(rest[0], rest[1], l, time.Now().In(cfg.Location))
		if err != nil {
			return usagef("new: %v", err)
		}
		// Into the language's own content folder, where it has one.
		rel = content.TranslationPath(cfg, rel, l, l)
	}
	if err != nil {
		return err
	}
	full := filepath.Join(*source, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(full, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, iofs.ErrExist) {
		return fmt.Errorf("%s already exists: edit it, or choose another title", rel)
	}
	if err != nil {
		return err
	}
	if _, err := f.Write(text); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "sxsh: %s\n", m.tr.Sprintf("created %s (a draft: delete the line draft = true to publish it)", rel))
	return nil
}

// translation reads a content file and makes its counterpart.
func translation(source, file, lang string, cfg *config.Config) (string, []byte, error) {
	// FILE may be given from the current folder or from the site's.
	path := file
	if _, err := os.Stat(path); err != nil {
		path = filepath.Join(source, file)
	}
	src, err := os.ReadFile(path)
	if err != nil {
		return "", nil, fmt.Errorf("cannot read %s: %v", file, err)
	}
	abs, _ := filepath.Abs(path)
	root, _ := filepath.Abs(source)
	rel, err := filepath.Rel(root, abs)
	if err != nil || strings.HasPrefix(rel, "..") || !strings.HasPrefix(filepath.ToSlash(rel), content.Dir+"/") {
		return "", nil, usagef("new: %s is not under %s", file, filepath.Join(source, content.Dir))
	}
	rel = filepath.ToSlash(rel)
	from := content.FileLang(cfg, rel)
	if lang == "" {
		for _, l := range cfg.Langs() {
			if l != from {
				lang = l
				break
			}
		}
	}
	if lang == from || lang == "" {
		return "", nil, usagef("new: %s is already in %q; say which language to translate into with --lang", file, from)
	}
	_, text, err := content.TranslationFile(rel, src, lang, cfg)
	if err != nil {
		return "", nil, err
	}
	return content.TranslationPath(cfg, rel, from, lang), text, nil
}

func kindList() string {
	var names []string
	for _, k := range content.Kinds {
		names = append(names, k.Name)
	}
	return strings.Join(names, ", ")
}

// parseInterspersed parses flags that may come before, between or after
// the positional arguments, as editors type them.
func parseInterspersed(fs *flag.FlagSet, args []string, stdout io.Writer) (rest []string, help bool, err error) {
	if wantsHelp(args) {
		fs.SetOutput(stdout)
		fs.Usage()
		return nil, true, nil
	}
	for {
		if err := fs.Parse(args); err != nil {
			if err == flag.ErrHelp {
				fs.SetOutput(stdout)
				fs.Usage()
				return nil, true, nil
			}
			return nil, false, reported{exitUsage}
		}
		args = fs.Args()
		if len(args) == 0 {
			return rest, false, nil
		}
		rest = append(rest, args[0])
		args = args[1:]
	}
}
