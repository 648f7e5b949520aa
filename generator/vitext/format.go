package vitext

import (
	"strconv"
	"strings"
	"time"
)

// FormatInt formats n with the language's digit grouping: "vi" → "2.200",
// "760.123", "-1.500"; "en" → "2,200". Any other language uses the English
// form; "vi" may carry a region ("vi-VN").
func FormatInt(lang string, n int64) string {
	sep := byte(',')
	if isVi(lang) {
		sep = '.'
	}
	u := uint64(n)
	if n < 0 {
		u = -u // two's complement: correct for math.MinInt64 too
	}
	digits := strconv.FormatUint(u, 10)
	b := make([]byte, 0, len(digits)+len(digits)/3+1)
	if n < 0 {
		b = append(b, '-')
	}
	for i := 0; i < len(digits); i++ {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b = append(b, sep)
		}
		b = append(b, digits[i])
	}
	return string(b)
}

// FormatDate formats the date of t in t's location: "vi" → "28/11/2026";
// "en" (and any other language) → "28 Nov 2026".
func FormatDate(lang string, t time.Time) string {
	if isVi(lang) {
		return t.Format("02/01/2006")
	}
	return t.Format("2 Jan 2006")
}

// FormatDateTime formats the date and time of t in t's location, 24-hour:
// "vi" → "28/11/2026 14:30"; "en" (and any other language) →
// "28 Nov 2026, 14:30".
func FormatDateTime(lang string, t time.Time) string {
	if isVi(lang) {
		return t.Format("02/01/2006 15:04")
	}
	return t.Format("2 Jan 2006, 15:04")
}

// isVi reports whether lang is Vietnamese: "vi" or "vi-" plus a region, in
// any case, as BCP 47 tags are case-insensitive.
func isVi(lang string) bool {
	return strings.EqualFold(lang, "vi") || len(lang) > 3 && strings.EqualFold(lang[:3], "vi-")
}
