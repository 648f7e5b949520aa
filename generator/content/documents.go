package content

import (
	"fmt"
	"path"
	"strings"
	"time"
	"unicode"

	"sxsh/generator/diag"
	"sxsh/generator/vitext"
)

// Document is one legal or administrative document (văn bản) that the
// programme publishes: a law, decree, decision, plan or letter, with the
// facts that Decree 42/2022/NĐ-CP asks a state agency's site to give.
type Document struct {
	// Number is the document's number and symbol (số, ký hiệu), as
	// printed: "1419/QĐ-TTg".
	Number    string `toml:"number"`
	Issued    Date   `toml:"issued"`
	Effective Date   `toml:"effective"`
	// Issuer is the issuing body (cơ quan ban hành).
	Issuer string `toml:"issuer"`
	// DocType is the type as the editor wrote it; Type is the entry of
	// DocTypes it names.
	DocType string  `toml:"docType"`
	Type    DocType `toml:"-"`
	// Field is the area the document concerns (lĩnh vực), if given.
	Field string `toml:"field"`
	// File is the document as a PDF: a file of static/ written from /, or
	// a file of the page's bundle.
	File string `toml:"file"`
	// IssuedOn and EffectiveOn are Issued and Effective in the site's
	// zone; EffectiveOn is zero when the front matter has no effective
	// date.
	IssuedOn, EffectiveOn time.Time `toml:"-"`
}

// DocType is a type of document (loại văn bản). Key is the same in every
// language, so that the pages of a type link to one another and search
// can filter by it.
type DocType struct {
	Key string // "quyet-dinh"
	Vi  string // "Quyết định"
	En  string // "Decision"
}

// Name is the type's name in lang: Vietnamese for vi, English for any other.
func (t DocType) Name(lang string) string {
	if lang == "vi" {
		return t.Vi
	}
	return t.En
}

// Slug names the type in lang's addresses and anchors: the key in
// Vietnamese, the English name made a slug in any other language.
func (t DocType) Slug(lang string) string {
	if lang == "vi" {
		return t.Key
	}
	return vitext.Slug(t.En)
}

// DocTypes lists the types a document may have, in the order the list
// page groups them: the legal documents of Law 80/2015/QH13 by rank, then
// the administrative documents of Decree 30/2020/NĐ-CP that the programme
// publishes. A new slice each call keeps the table out of reach of change.
func DocTypes() []DocType {
	return []DocType{
		{"luat", "Luật", "Law"},
		{"nghi-quyet", "Nghị quyết", "Resolution"},
		{"nghi-dinh", "Nghị định", "Decree"},
		{"quyet-dinh", "Quyết định", "Decision"},
		{"chi-thi", "Chỉ thị", "Directive"},
		{"thong-tu", "Thông tư", "Circular"},
		{"ke-hoach", "Kế hoạch", "Plan"},
		{"chuong-trinh", "Chương trình", "Programme"},
		{"de-an", "Đề án", "Scheme"},
		{"quy-che", "Quy chế", "Rules"},
		{"quy-dinh", "Quy định", "Regulation"},
		{"huong-dan", "Hướng dẫn", "Guidance"},
		{"thong-bao", "Thông báo", "Notice"},
		{"bao-cao", "Báo cáo", "Report"},
		{"cong-van", "Công văn", "Official letter"},
	}
}

// docTypeOf finds the type that name means, in either language, ignoring
// case and marks: "quyet dinh", "Quyết định" and "decision" all name the
// decision.
func docTypeOf(name string) (DocType, bool) {
	key := vitext.Slug(name)
	for _, t := range DocTypes() {
		if key == t.Key || key == vitext.Slug(t.En) {
			return t, true
		}
	}
	return DocType{}, false
}

// checkDocument validates a document's fields; see checkKind.
func (p *Page) checkDocument(loc *time.Location) diag.List {
	var errs diag.List
	d := p.Document
	need := func(key string, ok bool, hint string) {
		if !ok {
			errs.Add(diag.Errorf(p.File, p.fmLine, 0, "%s is missing: add %s", key, hint))
		}
	}
	d.Number = strings.TrimSpace(d.Number)
	d.Issuer = strings.TrimSpace(d.Issuer)
	d.Field = strings.TrimSpace(d.Field)
	need("number", d.Number != "", `number = "1419/QĐ-TTg" (số, ký hiệu as printed on the document)`)
	need("issued", !d.Issued.IsZero(), "issued = 2009-09-07 (ngày ban hành)")
	need("issuer", d.Issuer != "", `issuer = "Thủ tướng Chính phủ" (cơ quan ban hành)`)
	need("docType", strings.TrimSpace(d.DocType) != "", `docType = "Quyết định" (loại văn bản)`)
	need("summary", p.Summary != "", `summary = "..." (trích yếu: what the document is about, in one sentence)`)
	need("file", strings.TrimSpace(d.File) != "", `file = "/files/documents/x.pdf" (the document as a PDF in static/, or beside the page in its bundle)`)
	if d.Number != "" {
		if strings.HasPrefix(vitext.Slug(d.Number), "so-") {
			errs.Add(p.errorf("number", "number %q: leave out \"Số\" and write the number and symbol alone, like \"1419/QĐ-TTg\"", d.Number))
		} else if !strings.ContainsFunc(d.Number, unicode.IsDigit) {
			errs.Add(p.errorf("number", "number %q has no digits: write the number and symbol as printed, like \"1419/QĐ-TTg\"", d.Number))
		}
	}
	if name := strings.TrimSpace(d.DocType); name != "" {
		if t, ok := docTypeOf(name); ok {
			d.Type = t
		} else {
			errs.Add(p.errorf("docType", "%s", unknownDocType(name)))
		}
	}
	d.IssuedOn = d.Issued.In(loc)
	d.EffectiveOn = d.Effective.In(loc)
	if !d.EffectiveOn.IsZero() && !d.IssuedOn.IsZero() && d.EffectiveOn.Before(d.IssuedOn) {
		errs.Add(p.errorf("effective", "effective %s is before issued %s: a document takes effect on or after the day it is issued", d.EffectiveOn.Format("2006-01-02"), d.IssuedOn.Format("2006-01-02")))
	}
	if f := strings.TrimSpace(d.File); f != "" {
		switch {
		case isRemote(f) || strings.HasPrefix(f, "//"):
			errs.Add(p.errorf("file", "file %s is an address elsewhere: save the PDF in static/ (for example static/files/documents/%s) and write file = \"/files/documents/%s\"", f, path.Base(f), path.Base(f)))
		case !strings.EqualFold(path.Ext(f), ".pdf"):
			errs.Add(p.errorf("file", "file %s is not a PDF: save the document as PDF and name the .pdf file", f))
		}
	}
	return errs
}

// unknownDocType says that name is no type of DocTypes, with the type it
// likely means and the whole list.
func unknownDocType(name string) string {
	var names, slugs []string
	for _, t := range DocTypes() {
		names = append(names, t.Vi)
		slugs = append(slugs, t.Key, vitext.Slug(t.En))
	}
	msg := fmt.Sprintf("docType %q is not a type of document", name)
	// Type names share many syllables ("trình", "định"), so only a near
	// miss is offered: a word or two mistyped, not another type.
	key := vitext.Slug(name)
	best, bestD := "", 3+len(key)/6
	for _, s := range slugs {
		if d := vitext.Distance(key, s); d < bestD {
			best, bestD = s, d
		}
	}
	if t, ok := docTypeOf(best); ok && best != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", t.Vi)
	}
	return msg + "; write one of " + strings.Join(names, ", ")
}
