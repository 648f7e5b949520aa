package site

import (
	"context"
	"strings"

	"sxsh/generator/content"
	"sxsh/generator/diag"
)

// Kinds of the feedback pages, as templates see them in .Page.Kind.
const (
	kindFeedback     = "feedback"      // the form, or the contact to write to
	kindFeedbackSent = "feedback-sent" // the thank-you page the service sends a reader to
)

// feedbackSet is one language's feedback pages; sent is nil without a
// [counter] endpoint, whose service is what would send readers there.
type feedbackSet struct{ form, sent *content.Page }

// feedbackPages makes each language's questions-and-feedback page (hỏi
// đáp, góp ý), which Decree 42/2022/NĐ-CP asks of a state agency's site,
// and its thank-you page below it; those of the languages are translations
// of one another. Their URL segments are the UI strings feedbackSlug and
// feedbackSentSlug. A content page at one of their URLs is an error.
func (b *builder) feedbackPages() diag.List {
	var errs diag.List
	taken := map[string]*content.Page{}
	for _, p := range b.site.Pages {
		taken[p.Path] = p
	}
	b.feedback = map[string]feedbackSet{}
	var forms, sents []*content.Page
	for _, lang := range b.cfg.Langs() {
		form := &content.Page{Kind: kindFeedback, Type: content.TypePage, Lang: lang, Title: b.tmpl.T(lang, "feedback"),
			Path: b.cfg.LangPrefix(lang) + b.tmpl.T(lang, "feedbackSlug") + "/", Parent: b.site.Home[lang]}
		set := feedbackSet{form: form}
		forms = append(forms, form)
		if b.cfg.Counter.Endpoint != "" {
			set.sent = &content.Page{Kind: kindFeedbackSent, Type: content.TypePage, Lang: lang, Title: b.tmpl.T(lang, "feedbackSent"),
				Path: form.Path + b.tmpl.T(lang, "feedbackSentSlug") + "/", Parent: form}
			sents = append(sents, set.sent)
		}
		for _, p := range []*content.Page{set.form, set.sent} {
			if q := taken[pathOf(p)]; q != nil {
				errs.Add(diag.Errorf(q.File, q.Line("slug"), 0, "URL %s is the feedback page's (UI string feedbackSlug); give this page another slug", p.Path))
			}
		}
		b.feedback[lang] = set
	}
	for _, set := range [][]*content.Page{forms, sents} {
		for _, p := range set {
			for _, q := range set {
				if q != p {
					p.Translations = append(p.Translations, q)
				}
			}
		}
	}
	return errs
}

func pathOf(p *content.Page) string {
	if p == nil {
		return ""
	}
	return p.Path
}

// feedbackForm is what the feedback page's form needs. The form posts to
// the counter service, which answers with a redirect: to Next once the
// message is kept, or to Back with "?loi=CODE#loi-CODE", whose fragment
// shows the matching error with CSS alone (:target), for readers without
// script.
type feedbackForm struct {
	// Action is the service's address for the form: the endpoint's
	// "feedback".
	Action string
	// Back and Next are the form page and the thank-you page, as the
	// service sends the reader to them: full addresses when the service
	// is on another host than the site, paths otherwise.
	Back, Next string
	// Errors are a message for each error code, with the id the
	// service's fragment targets.
	Errors []feedbackError
}

type feedbackError struct{ ID, Code, Text string }

// feedbackCodes are the error codes of sxsh counter's feedback service
// (counter.FeedbackErrorCodes), each with the UI string that explains it.
// The site cannot import the service's package; a test of the command
// checks that the two lists agree.
func feedbackCodes() [][2]string {
	return [][2]string{
		{"thieu-ho-ten", "feedbackNoName"},
		{"thieu-lien-he", "feedbackNoContact"},
		{"lien-he-sai", "feedbackBadContact"},
		{"thieu-noi-dung", "feedbackNoMessage"},
		{"qua-dai", "feedbackTooLong"},
		{"chua-luu", "feedbackNotSaved"},
	}
}

func (b *builder) feedbackForm(lang string) *feedbackForm {
	ep := b.cfg.Counter.Endpoint
	if ep == "" {
		return nil
	}
	set := b.feedback[lang]
	f := &feedbackForm{Action: strings.TrimSuffix(ep, "/") + "/feedback", Back: b.rel(set.form.Path), Next: b.rel(set.sent.Path)}
	if strings.Contains(ep, "://") || strings.HasPrefix(ep, "//") {
		f.Back, f.Next = b.abs(set.form.Path), b.abs(set.sent.Path)
	}
	for _, c := range feedbackCodes() {
		f.Errors = append(f.Errors, feedbackError{ID: "loi-" + c[0], Code: c[0], Text: b.tmpl.T(lang, c[1])})
	}
	return f
}

// renderFeedback writes each language's feedback pages. Like 404.html they
// show nothing of the content, only site.toml and the templates, so a
// refresh leaves them as they are.
func (b *builder) renderFeedback(ctx context.Context) diag.List {
	var pages []*content.Page
	for _, lang := range b.cfg.Langs() {
		if set := b.feedback[lang]; set.sent != nil {
			pages = append(pages, set.form, set.sent)
		} else {
			pages = append(pages, set.form)
		}
	}
	return parallel(ctx, pages, func(p *content.Page) diag.List {
		rel := outFile(p.Path)
		s := b.base(b.templateFor(p), rel)
		sum := s.sum()
		if b.unchanged(rel, sum) {
			return nil
		}
		v := b.newView(p, p.Path)
		if p.Kind == kindFeedback {
			v.Feedback = b.feedbackForm(p.Lang)
		}
		errs := b.page(p, p.Path, v)
		if !errs.HasErrors() {
			b.record(rel, sum, v)
		}
		b.broke(p, p.Path, errs)
		return errs
	})
}

// feedbackTotal counts the feedback pages, for htmlTotal.
func (b *builder) feedbackTotal() int {
	n := 0
	for _, set := range b.feedback {
		n++
		if set.sent != nil {
			n++
		}
	}
	return n
}
