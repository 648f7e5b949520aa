package vitext

import (
	"math"
	"testing"
	"time"
)

func TestFormatInt(t *testing.T) {
	tests := []struct {
		lang string
		n    int64
		want string
	}{
		{"vi", 0, "0"},
		{"vi", 999, "999"},
		{"vi", 1000, "1.000"},
		{"vi", 2200, "2.200"},
		{"vi", 760123, "760.123"},
		{"vi", 1000000, "1.000.000"},
		{"vi", -1500, "-1.500"},
		{"vi", -999, "-999"},
		{"vi", math.MinInt64, "-9.223.372.036.854.775.808"},
		{"vi", math.MaxInt64, "9.223.372.036.854.775.807"},
		{"vi-VN", 2200, "2.200"},
		{"VI", 2200, "2.200"},
		{"en", 0, "0"},
		{"en", 999, "999"},
		{"en", 1000, "1,000"},
		{"en", 2200, "2,200"},
		{"en", 1000000, "1,000,000"},
		{"en", -1500, "-1,500"},
		{"fr", 2200, "2,200"},
		{"", 12345, "12,345"},
		{"video", 2200, "2,200"},
	}
	for _, tt := range tests {
		t.Run(tt.lang+"/"+tt.want, func(t *testing.T) {
			if got := FormatInt(tt.lang, tt.n); got != tt.want {
				t.Errorf("FormatInt(%q, %d) = %q, want %q", tt.lang, tt.n, got, tt.want)
			}
		})
	}
}

func TestFormatDate(t *testing.T) {
	ict := time.FixedZone("ICT", 7*3600)
	late := time.Date(2026, time.November, 28, 14, 30, 59, 0, ict)
	early := time.Date(2019, time.March, 5, 9, 7, 0, 0, ict)
	midnightUTC := time.Date(2026, time.November, 27, 17, 0, 0, 0, time.UTC) // 28/11 00:00 in ICT
	tests := []struct {
		lang           string
		t              time.Time
		date, dateTime string
	}{
		{"vi", late, "28/11/2026", "28/11/2026 14:30"},
		{"vi", early, "05/03/2019", "05/03/2019 09:07"},
		{"vi", midnightUTC.In(ict), "28/11/2026", "28/11/2026 00:00"},
		{"vi", midnightUTC, "27/11/2026", "27/11/2026 17:00"},
		{"en", late, "28 Nov 2026", "28 Nov 2026, 14:30"},
		{"en", early, "5 Mar 2019", "5 Mar 2019, 09:07"},
		{"de", early, "5 Mar 2019", "5 Mar 2019, 09:07"},
	}
	for _, tt := range tests {
		t.Run(tt.lang+"/"+tt.dateTime, func(t *testing.T) {
			if got := FormatDate(tt.lang, tt.t); got != tt.date {
				t.Errorf("FormatDate(%q, %v) = %q, want %q", tt.lang, tt.t, got, tt.date)
			}
			if got := FormatDateTime(tt.lang, tt.t); got != tt.dateTime {
				t.Errorf("FormatDateTime(%q, %v) = %q, want %q", tt.lang, tt.t, got, tt.dateTime)
			}
		})
	}
}
