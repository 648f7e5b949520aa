package vitext

// The tables below describe each code point of U+00C0..U+01B0 and
// U+1EA0..U+1EF9, which hold every precomposed Vietnamese letter, in three
// bytes, so that Fold and Exact need no normalisation lookup for them:
//
//   - the lower-case ASCII letter NFD leaves once the marks are dropped, or
//     '.' if NFD leaves something else (Æ, ß, Ð);
//   - the vowel mark: '-' none, '^' circumflex, '(' breve, '+' horn, or '!'
//     if NFD holds a mark Vietnamese does not use, or two vowel marks or tones;
//   - the tone: '0' none, '1' grave, '2' acute, '3' hook above, '4' tilde,
//     '5' dot below.
//
// They were generated from golang.org/x/text/unicode/norm;
// TestLetterTables checks every entry against it.
const (
	latinFirst, latinLast = 0x00C0, 0x01B0
	viFirst, viLast       = 0x1EA0, 0x1EF9
)

const latinTable = "" +
	"a-1a-2a^0a-4a!0a!0.-0c!0e-1e-2e^0e!0i-1i-2i^0i!0" + // U+00C0
	".-0n-4o-1o-2o^0o-4o!0.-0.-0u-1u-2u^0u!0y-2.-0.-0" + // U+00D0
	"a-1a-2a^0a-4a!0a!0.-0c!0e-1e-2e^0e!0i-1i-2i^0i!0" + // U+00E0
	".-0n-4o-1o-2o^0o-4o!0.-0.-0u-1u-2u^0u!0y-2.-0y!0" + // U+00F0
	"a!0a!0a(0a(0a!0a!0c-2c-2c^0c^0c!0c!0c!0c!0d!0d!0" + // U+0100
	"d-0d-0e!0e!0e(0e(0e!0e!0e!0e!0e!0e!0g^0g^0g(0g(0" + // U+0110
	"g!0g!0g!0g!0h^0h^0.-0.-0i-4i-4i!0i!0i(0i(0i!0i!0" + // U+0120
	"i!0.-0.-0.-0j^0j^0k!0k!0.-0l-2l-2l!0l!0l!0l!0.-0" + // U+0130
	".-0.-0.-0n-2n-2n!0n!0n!0n!0.-0.-0.-0o!0o!0o(0o(0" + // U+0140
	"o!0o!0.-0.-0r-2r-2r!0r!0r!0r!0s-2s-2s^0s^0s!0s!0" + // U+0150
	"s!0s!0t!0t!0t!0t!0.-0.-0u-4u-4u!0u!0u(0u(0u!0u!0" + // U+0160
	"u!0u!0u!0u!0w^0w^0y^0y^0y!0z-2z-2z!0z!0z!0z!0.-0" + // U+0170
	".-0.-0.-0.-0.-0.-0.-0.-0.-0.-0.-0.-0.-0.-0.-0.-0" + // U+0180
	".-0.-0.-0.-0.-0.-0.-0.-0.-0.-0.-0.-0.-0.-0.-0.-0" + // U+0190
	"o+0o+0.-0.-0.-0.-0.-0.-0.-0.-0.-0.-0.-0.-0.-0u+0" + // U+01A0
	"u+0"

const viTable = "" +
	"a-5a-5a-3a-3a^2a^2a^1a^1a^3a^3a^4a^4a^5a^5a(2a(2" + // U+1EA0
	"a(1a(1a(3a(3a(4a(4a(5a(5e-5e-5e-3e-3e-4e-4e^2e^2" + // U+1EB0
	"e^1e^1e^3e^3e^4e^4e^5e^5i-3i-3i-5i-5o-5o-5o-3o-3" + // U+1EC0
	"o^2o^2o^1o^1o^3o^3o^4o^4o^5o^5o+2o+2o+1o+1o+3o+3" + // U+1ED0
	"o+4o+4o+5o+5u-5u-5u-3u-3u+2u+2u+1u+1u+3u+3u+4u+4" + // U+1EE0
	"u+5u+5y-1y-1y-5y-5y-3y-3y-4y-4"

// tableEntry returns the three-byte description of r, or ok false if r is
// outside the tables.
func tableEntry(r rune) (fold, mark, tone byte, ok bool) {
	var e string
	switch {
	case r >= latinFirst && r <= latinLast:
		i := int(r-latinFirst) * 3
		e = latinTable[i : i+3]
	case r >= viFirst && r <= viLast:
		i := int(r-viFirst) * 3
		e = viTable[i : i+3]
	default:
		return 0, 0, 0, false
	}
	return e[0], e[1], e[2], true
}

// composeVowel returns the precomposed lower-case vowel with the given base
// (a e i o u y), vowel mark code and tone code, as in the tables above.
func composeVowel(base rune, mark, tone byte) rune {
	var row string
	switch {
	case base == 'a' && mark == '-':
		row = "aàáảãạ"
	case base == 'a' && mark == '(':
		row = "ăằắẳẵặ"
	case base == 'a' && mark == '^':
		row = "âầấẩẫậ"
	case base == 'e' && mark == '-':
		row = "eèéẻẽẹ"
	case base == 'e' && mark == '^':
		row = "êềếểễệ"
	case base == 'i':
		row = "iìíỉĩị"
	case base == 'o' && mark == '-':
		row = "oòóỏõọ"
	case base == 'o' && mark == '^':
		row = "ôồốổỗộ"
	case base == 'o' && mark == '+':
		row = "ơờớởỡợ"
	case base == 'u' && mark == '-':
		row = "uùúủũụ"
	case base == 'u' && mark == '+':
		row = "ưừứửữự"
	default:
		row = "yỳýỷỹỵ"
	}
	i := byte('0')
	for _, r := range row {
		if i == tone {
			return r
		}
		i++
	}
	return base
}
