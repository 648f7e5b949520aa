package main

import (
	"flag"
	"io/fs"
	"slices"
	"strings"

	"sxsh/generator/config"
	"sxsh/generator/diag"
)

// messages says in which language the program speaks to the editor, and
// shows messages in it.
//
// The language is, in this order: --lang on the command line (before the
// command, or among a command's flags); else LC_ALL, LC_MESSAGES or LANG,
// the first of them that is set, when it names English ("en_US.UTF-8") or
// Vietnamese ("vi_VN"); else the site's defaultLanguage when messages can
// be shown in it, and English when they cannot. Until the site is read, as
// for a mistake on the command line, the default is Vietnamese, the
// default language of a site.
type messages struct {
	flag string              // --lang, "" when not given
	env  func(string) string // os.Getenv, or a test's
	tr   diag.Translator
}

func newMessages(env func(string) string) *messages {
	m := &messages{env: env}
	m.resolve("")
	return m
}

// resolve chooses the language, knowing the site's default language, ""
// when it is not known.
func (m *messages) resolve(siteDefault string) {
	m.tr = diag.NewTranslator(pickLang(m.flag, m.env, siteDefault))
}

// resolveSite chooses the language once the site directory src is known.
func (m *messages) resolveSite(src fs.FS) {
	if cfg, err := config.Load(src); err == nil {
		m.resolve(cfg.DefaultLanguage)
	}
}

// pickLang applies the order documented on messages.
func pickLang(flag string, env func(string) string, siteDefault string) string {
	if flag != "" {
		return flag
	}
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v := env(k)
		if v == "" {
			continue
		}
		for _, l := range diag.Languages() {
			if strings.HasPrefix(v, l) {
				return l
			}
		}
		break // "C", "fr_FR": no language of ours; the site's decides
	}
	switch {
	case siteDefault == "":
		return diag.Languages()[0]
	case slices.Contains(diag.Languages(), siteDefault):
		return siteDefault
	}
	return "en"
}

// langFlag adds --lang to a command's flags.
func (m *messages) langFlag(fs *flag.FlagSet) {
	fs.Func("lang", "the language of messages: vi or en (default: from $LANG, else the site's defaultLanguage)", m.set)
}

// set takes the value of --lang, refusing a language messages are not
// shown in.
func (m *messages) set(v string) error {
	if !slices.Contains(diag.Languages(), v) {
		return usagef("--lang %s: messages are shown in %s", v, strings.Join(diag.Languages(), " or "))
	}
	m.flag = v
	m.resolve("")
	return nil
}

// globalLang takes --lang from before the command, so that it works for
// every command, and returns the rest of the arguments.
func (m *messages) globalLang(args []string) ([]string, error) {
	for len(args) > 0 {
		a := args[0]
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") || name != "lang" {
			return args, nil
		}
		args = args[1:]
		if !hasValue {
			if len(args) == 0 {
				return nil, usagef("--lang needs a value: vi or en")
			}
			value, args = args[0], args[1:]
		}
		if err := m.set(value); err != nil {
			return nil, err
		}
	}
	return args, nil
}
