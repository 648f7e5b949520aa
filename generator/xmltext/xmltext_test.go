package xmltext

import (
	"bytes"
	"encoding/xml"
	"testing"
)

func TestEscape(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Tiết kiệm <điện> & \"nước\"", "Tiết kiệm &lt;điện&gt; &amp; &#34;nước&#34;"},
		{"a\x00b\x1fc\x0bd", "abcd"},                      // control characters XML 1.0 cannot carry
		{"tab\tline\nret\r", "tab&#x9;line&#xA;ret&#xD;"}, // kept, as references
		{"\uFFFE\uFFFF\U0001F600", "\U0001F600"},          // non-characters dropped, emoji kept
		{"bad \xff utf-8", "bad \uFFFD utf-8"},
	}
	for _, tt := range tests {
		var b bytes.Buffer
		Escape(&b, tt.in)
		if b.String() != tt.want {
			t.Errorf("Escape(%q) = %q, want %q", tt.in, b.String(), tt.want)
		}
		// What it writes always parses back as character data.
		var v struct {
			X string `xml:",chardata"`
		}
		if err := xml.Unmarshal([]byte("<x>"+b.String()+"</x>"), &v); err != nil {
			t.Errorf("Escape(%q) does not parse: %v", tt.in, err)
		}
	}
}
