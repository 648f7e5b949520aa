package counter

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func sampleFeedback(at time.Time) []Feedback {
	return []Feedback{
		{Time: at, Lang: "vi", Name: "Nguyễn Văn An", Contact: "+84 912 345 678", Subject: "=HYPERLINK(\"x\")",
			Message: "Dòng một, có \"ngoặc kép\".\nDòng hai; tiết kiệm năng lượng."},
		{Time: at.Add(26 * time.Hour), Lang: "en", Name: "Jane Doe", Contact: "jane@example.com", Message: "Hello."},
	}
}

// Nothing acknowledged is lost: what was added is there, unchanged, after
// the store is closed and opened again.
func TestFeedbackSurvivesRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2025, 3, 14, 10, 30, 15, 0, hanoi)
	want := sampleFeedback(at)
	for i := range want {
		id, err := s.AddFeedback(want[i])
		if err != nil {
			t.Fatal(err)
		}
		want[i].ID = id
	}
	if want[0].ID != 1 || want[1].ID != 2 {
		t.Errorf("numbers %d, %d; want 1, 2", want[0].ID, want[1].ID)
	}
	// Counting goes on beside the messages.
	if _, err := s.Hit("2025-03-14", "/", true); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	if s, err = Open(path); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, err := s.FeedbackSince(time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("after reopening: %d messages, want %d", len(got), len(want))
	}
	for i := range got {
		if !got[i].Time.Equal(want[i].Time) {
			t.Errorf("message %d: time %v, want %v", i+1, got[i].Time, want[i].Time)
		}
		got[i].Time = want[i].Time
		if got[i] != want[i] {
			t.Errorf("message %d: %+v, want %+v", i+1, got[i], want[i])
		}
	}
	if c, _ := s.Counts("2025-03-14", ""); c.Total != 1 {
		t.Errorf("counts %+v beside the messages", c)
	}
	if id, err := s.AddFeedback(Feedback{Time: at, Name: "x"}); err != nil || id != 3 {
		t.Errorf("next number after reopening: %d, %v; want 3", id, err)
	}
}

func TestFeedbackSinceAndDelete(t *testing.T) {
	s := newStore(t)
	at := time.Date(2025, 3, 14, 10, 30, 15, 0, hanoi)
	for _, f := range sampleFeedback(at) {
		if _, err := s.AddFeedback(f); err != nil {
			t.Fatal(err)
		}
	}
	day2 := time.Date(2025, 3, 15, 0, 0, 0, 0, hanoi)
	if got, _ := s.FeedbackSince(day2); len(got) != 1 || got[0].Name != "Jane Doe" {
		t.Errorf("since the 15th: %+v", got)
	}
	if got, _ := s.FeedbackSince(at); len(got) != 2 {
		t.Errorf("since the first's very second: %d messages, want 2", len(got))
	}
	n, err := s.DeleteFeedbackBefore(day2)
	if err != nil || n != 1 {
		t.Fatalf("deleted %d, %v; want 1", n, err)
	}
	if got, _ := s.FeedbackSince(time.Time{}); len(got) != 1 || got[0].ID != 2 {
		t.Errorf("left after deleting: %+v", got)
	}
	if n, _ := s.DeleteFeedbackBefore(day2); n != 0 {
		t.Errorf("deleted %d again", n)
	}
}

// A deleted message is gone from the file itself, not only from the
// lists; the store goes on working after.
func TestFeedbackDeletedFromFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "c.db")
	// The service is given a link to the file, which must stay a link.
	link := filepath.Join(dir, "link.db")
	if err := os.Symlink("c.db", link); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	s, err := Open(link)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { s.Close() }()
	// A webmaster's own permissions stay.
	if err := os.Chmod(path, 0o640); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2025, 3, 14, 10, 30, 15, 0, hanoi)
	secret := "Lê Thị Bảo Mật, 0987 654 321"
	for _, f := range []Feedback{{Time: at, Name: secret, Message: "x"}, {Time: at.Add(48 * time.Hour), Name: "Jane Doe", Message: "y"}} {
		if _, err := s.AddFeedback(f); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Hit("2025-03-14", "/", true); err != nil {
		t.Fatal(err)
	}
	if raw, _ := os.ReadFile(path); !bytes.Contains(raw, []byte(secret)) {
		t.Fatal("the message is not in the file to begin with: the test proves nothing")
	}
	if n, err := s.DeleteFeedbackBefore(at.Add(time.Hour)); err != nil || n != 1 {
		t.Fatalf("deleted %d, %v", n, err)
	}
	if raw, _ := os.ReadFile(path); bytes.Contains(raw, []byte(secret)) {
		t.Error("the deleted message's text is still in the file")
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link to the database was replaced: %v, %v", fi, err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o640 {
		t.Errorf("after the deletion the file is %v (%v), want -rw-r-----", fi.Mode(), err)
	}
	if _, err := os.Stat(path + ".compact"); err == nil {
		t.Error("the compaction left its file behind")
	}
	if id, err := s.AddFeedback(Feedback{Time: at, Name: "z"}); err != nil || id != 3 {
		t.Errorf("after the deletion: number %d, %v; want 3", id, err)
	}
	if c, _ := s.Counts("2025-03-14", ""); c.Today != 1 {
		t.Errorf("counts after the deletion: %+v", c)
	}
	// The file is still locked against another process.
	if other, err := Open(path); err == nil {
		other.Close()
		t.Error("a second process could open the store after the deletion")
	}
}

func TestWriteFeedback(t *testing.T) {
	at := time.Date(2025, 3, 14, 10, 30, 15, 0, hanoi)
	list := sampleFeedback(at)
	list[0].ID, list[1].ID = 1, 2

	var b bytes.Buffer
	if err := WriteFeedback(&b, list, "csv", hanoi); err != nil {
		t.Fatal(err)
	}
	raw := b.String()
	body, ok := strings.CutPrefix(raw, "\ufeff")
	if !ok {
		t.Fatalf("CSV without a byte-order mark: %q", raw[:min(len(raw), 20)])
	}
	if !strings.Contains(raw, "\r\n") {
		t.Error("CSV lines do not end in CRLF")
	}
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"id", "time", "lang", "name", "contact", "subject", "message"},
		{"1", "2025-03-14 10:30:15", "vi", "Nguyễn Văn An", "'+84 912 345 678", "'=HYPERLINK(\"x\")", list[0].Message},
		{"2", "2025-03-15 12:30:15", "en", "Jane Doe", "jane@example.com", "", "Hello."},
	}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("CSV rows\n%q\nwant\n%q", rows, want)
	}

	b.Reset()
	if err := WriteFeedback(&b, list, "json", hanoi); err != nil {
		t.Fatal(err)
	}
	var back []Feedback
	if err := json.Unmarshal(b.Bytes(), &back); err != nil || len(back) != 2 || back[1].Contact != "jane@example.com" || back[0].Subject != list[0].Subject {
		t.Errorf("JSON %s: %+v, %v", b.String(), back, err)
	}
	b.Reset()
	WriteFeedback(&b, nil, "json", hanoi)
	if strings.TrimSpace(b.String()) != "[]" {
		t.Errorf("no messages in JSON: %q", b.String())
	}

	b.Reset()
	if err := WriteFeedback(&b, list, "text", hanoi); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{
		"No. 1, 2025-03-14 10:30 (vi)\nFrom:    Nguyễn Văn An, +84 912 345 678\nSubject: =HYPERLINK(\"x\")\n\n    Dòng một, có \"ngoặc kép\".\n    Dòng hai; tiết kiệm năng lượng.\n",
		"No. 2, 2025-03-15 12:30 (en)\nFrom:    Jane Doe, jane@example.com\n\n    Hello.\n",
		"\n2 messages\n",
	} {
		if !strings.Contains(b.String(), s) {
			t.Errorf("text lacks %q:\n%s", s, b.String())
		}
	}
	if err := WriteFeedback(&b, list, "xlsx", hanoi); err == nil || !strings.Contains(err.Error(), "text, csv, json") {
		t.Errorf("unknown format: %v", err)
	}
}
