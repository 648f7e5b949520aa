package counter

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// FeedbackFormats names the formats WriteFeedback writes.
const FeedbackFormats = "text, csv, json"

// WriteFeedback writes messages in format: "text" to read in a terminal,
// "csv" to open in Excel (UTF-8 with a byte-order mark, which Excel needs
// to show Vietnamese; times in loc), or "json" for other programs.
func WriteFeedback(w io.Writer, list []Feedback, format string, loc *time.Location) error {
	if loc == nil {
		loc = time.Local
	}
	switch format {
	case "text":
		return feedbackText(w, list, loc)
	case "csv":
		return feedbackCSV(w, list, loc)
	case "json":
		if list == nil {
			list = []Feedback{} // [] rather than null, for the program reading it
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(list)
	}
	return fmt.Errorf("unknown format %q: use one of %s", format, FeedbackFormats)
}

const feedbackTime = "2006-01-02 15:04"

func feedbackText(w io.Writer, list []Feedback, loc *time.Location) error {
	var b strings.Builder
	for _, f := range list {
		fmt.Fprintf(&b, "No. %d, %s (%s)\n", f.ID, f.Time.In(loc).Format(feedbackTime), f.Lang)
		fmt.Fprintf(&b, "From:    %s, %s\n", f.Name, f.Contact)
		if f.Subject != "" {
			fmt.Fprintf(&b, "Subject: %s\n", f.Subject)
		}
		b.WriteString("\n")
		for line := range strings.SplitSeq(f.Message, "\n") {
			b.WriteString(strings.TrimRight("    "+line, " ") + "\n")
		}
		b.WriteString("\n")
	}
	if len(list) == 1 {
		b.WriteString("1 message\n")
	} else {
		fmt.Fprintf(&b, "%d messages\n", len(list))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func feedbackCSV(w io.Writer, list []Feedback, loc *time.Location) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true // as Excel writes it
	cw.Write([]string{"id", "time", "lang", "name", "contact", "subject", "message"})
	for _, f := range list {
		cw.Write([]string{strconv.FormatUint(f.ID, 10), f.Time.In(loc).Format(time.DateTime), f.Lang,
			cell(f.Name), cell(f.Contact), cell(f.Subject), cell(f.Message)})
	}
	cw.Flush()
	return cw.Error()
}

// cell keeps Excel from running what a reader typed as a formula (a
// message is anyone's text): a value that begins with = + - @, a tab or a
// return gets a ' before it, so that Excel takes it for text.
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
