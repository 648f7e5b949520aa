package config

import (
	"fmt"
	"net/mail"
	"net/url"
	"strings"

	"sxsh/generator/diag"
	"sxsh/generator/tomlfile"
)

// Portal is a link to another state agency's portal, shown in the footer
// (liên kết cổng thông tin): the province's, the ministry's, the national
// public services portal.
type Portal struct {
	Name string `toml:"name"`
	URL  string `toml:"url"`
}

// Organisation is what the organisation page shows of the body that runs
// the site, in one language: its units (cơ cấu tổ chức), in order, and the
// people readers may contact, leaders first, as Decree 42/2022/NĐ-CP asks.
type Organisation struct {
	Units  []Unit   `toml:"units"`
	People []Person `toml:"people"`
}

// Unit is one part of the organisation: the board of directors, an office.
type Unit struct {
	Name string `toml:"name"`
	// Duties says what the unit does (chức năng, nhiệm vụ).
	Duties string `toml:"duties"`
}

// Person is a leader or a contact officer: a name, a position and the ways
// to reach them at work. Unit names one of the organisation's units.
type Person struct {
	Name     string `toml:"name"`
	Position string `toml:"position"`
	Unit     string `toml:"unit"`
	Duties   string `toml:"duties"`
	Phone    string `toml:"phone"`
	Fax      string `toml:"fax"`
	Email    string `toml:"email"`
}

// UnitPeople returns the people of the unit named name, in site.toml's
// order.
func (o Organisation) UnitPeople(name string) []Person {
	var out []Person
	for _, p := range o.People {
		if p.Unit == name {
			out = append(out, p)
		}
	}
	return out
}

// Unplaced returns the people who name no unit, in site.toml's order.
func (o Organisation) Unplaced() []Person { return o.UnitPeople("") }

// checkOrganisation reports the mistakes of a language's portals and
// organisation, each at its [[…]] table's line.
func checkOrganisation(src []byte, code string, l *Language) diag.List {
	var errs diag.List
	line := func(key string, i int) int {
		if lines := tomlfile.TableLines(src, []string{"languages", code, key}); i < len(lines) {
			return lines[i]
		}
		if lines := tomlfile.TableLines(src, []string{"languages", code, "organisation", key}); i < len(lines) {
			return lines[i]
		}
		return tomlfile.KeyLine(src, []string{"languages", code})
	}
	bad := func(l int, format string, args ...any) { errs.Add(diag.Errorf(File, l, 0, format, args...)) }
	for i, p := range l.Portals {
		at := line("portals", i)
		l.Portals[i].Name = strings.TrimSpace(p.Name)
		if l.Portals[i].Name == "" {
			bad(at, "portal %d of language %q has no name: add name = \"Cổng thông tin điện tử tỉnh Đồng Nai\"", i+1, code)
		}
		l.Portals[i].URL = strings.TrimSpace(p.URL)
		if msg := checkWebAddress(l.Portals[i].URL); msg != "" {
			bad(at, "portal %d of language %q: %s", i+1, code, msg)
		}
	}
	o := &l.Organisation
	units := map[string]bool{}
	var unitNames []string
	for i, u := range o.Units {
		at := line("units", i)
		o.Units[i].Name = strings.TrimSpace(u.Name)
		name := o.Units[i].Name
		switch {
		case name == "":
			bad(at, "unit %d of language %q has no name: add name = \"Ban Giám đốc\"", i+1, code)
		case units[name]:
			bad(at, "unit %q of language %q is listed twice: give each unit one [[languages.%s.organisation.units]] table", name, code, code)
		}
		units[name] = true
		unitNames = append(unitNames, name)
	}
	for i, p := range o.People {
		at := line("people", i)
		p.Name, p.Position, p.Unit = strings.TrimSpace(p.Name), strings.TrimSpace(p.Position), strings.TrimSpace(p.Unit)
		p.Phone, p.Fax, p.Email = strings.TrimSpace(p.Phone), strings.TrimSpace(p.Fax), strings.TrimSpace(p.Email)
		o.People[i] = p
		who := fmt.Sprintf("person %d of language %q", i+1, code)
		if p.Name == "" {
			bad(at, "%s has no name: add name = \"...\"", who)
		}
		if p.Position == "" {
			bad(at, "%s has no position: add position = \"Giám đốc\" (chức vụ)", who)
		}
		if p.Unit != "" && !units[p.Unit] {
			msg := fmt.Sprintf("%s: unit %q is not the name of one of [[languages.%s.organisation.units]]", who, p.Unit, code)
			if s := tomlfile.Suggest(p.Unit, unitNames); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			} else if len(unitNames) == 0 {
				msg += "; add the unit, or leave unit out"
			}
			bad(at, "%s", msg)
		}
		for _, n := range []struct{ key, v string }{{"phone", p.Phone}, {"fax", p.Fax}} {
			if n.v != "" && !isPhone(n.v) {
				bad(at, "%s: %s %q is not a telephone number: write the digits with the area code, like \"0251 3822 000\"", who, n.key, n.v)
			}
		}
		if p.Email != "" {
			if a, err := mail.ParseAddress(p.Email); err != nil || a.Address != p.Email || !strings.Contains(p.Email[strings.LastIndex(p.Email, "@"):], ".") {
				bad(at, "%s: email %q is not an e-mail address: write it alone, like \"tuvan@sxsh.dongnai.gov.vn\"", who, p.Email)
			}
		}
	}
	return errs
}

// checkWebAddress says what is wrong with a link to another site, "" when
// it is a full http(s) address.
func checkWebAddress(raw string) string {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "url is missing: add url = \"https://dongnai.gov.vn\""
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || strings.ContainsAny(u.Host, " _") {
		return fmt.Sprintf("url %q is not a full web address: write it with https://, like \"https://dongnai.gov.vn\"", raw)
	}
	return ""
}

// isPhone reports whether s looks like a telephone number: digits with
// spaces, dots, hyphens or brackets between them, a + in front, and 8 to
// 15 digits in all.
func isPhone(s string) bool {
	digits := 0
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '+' && i == 0:
		case strings.ContainsRune(" .-()", r):
		default:
			return false
		}
	}
	return digits >= 8 && digits <= 15
}
