// Package vitext handles Vietnamese text for slugs and search: normalisation,
// diacritic folding, canonical tone placement, tokenising, slugs, and the
// Vietnamese and English number and date formats.
//
// The search client in static/ reimplements NFC, Fold, Exact, Tokenize and
// Slug in JavaScript and runs the same vectors (testdata/fold.tsv), so the
// index and the query never disagree. The algorithms below are therefore
// specified exactly; a port follows these steps, not the Go code.
//
// Terms used below. "Lower-case" means the Unicode simple lower-case mapping
// applied to each code point on its own, without context (Σ → σ always, never
// ς; U+0130 İ → i). The tone marks are U+0300 grave, U+0301 acute, U+0303
// tilde, U+0309 hook above and U+0323 dot below. The vowel marks are U+0302
// circumflex (â ê ô), U+0306 breve (ă) and U+031B horn (ơ ư).
//
// # NFC
//
//  1. Replace U+00D0 Ð by U+0110 Đ and U+00F0 ð by U+0111 đ: old fonts and
//     keyboards typed the Icelandic eth for Đ. Remove U+00AD soft hyphen,
//     U+2060 word joiner and U+FEFF (the "invisible" code points):
//     they come inside words pasted from Word or a web page ("ki\u00ADệm")
//     and would cut them in two.
//  2. Take the NFD form.
//  3. For each a, e, o, A, E or O followed by a run of combining marks
//     (canonical combining class ≠ 0): if a U+0300, U+0301, U+0303 or U+0309
//     comes before the last U+0302 or U+0306 of the run, move those tone
//     marks, in their order, to just after that last U+0302/U+0306. Both kinds
//     share combining class 230, so canonical ordering keeps whatever order
//     was typed, and "e"+U+0301+U+0302 would otherwise never compose to ế.
//  4. Take the NFC form.
//
// The Windows Vietnamese keyboard's mixed form (precomposed ê followed by
// U+0301) and the legacy tone marks U+0340/U+0341 need no step of their own:
// steps 2 and 4 already compose them.
//
// # Fold
//
//  1. Take the NFD form (no NFC fixes are needed: every mark goes anyway).
//  2. Drop every nonspacing mark (general category Mn) and the invisible
//     code points of NFC's step 1.
//  3. Replace đ, Đ, ð and Ð by d.
//  4. Lower-case.
//  5. Take the NFC form (this only matters outside Latin script, e.g. for
//     Hangul, which NFD splits into jamo).
//
// Invalid UTF-8 bytes become U+FFFD. Vietnamese text folds to ASCII; other
// letters keep what NFD leaves of them (é → e, ß and ø stay).
//
// # Exact
//
// Exact compares words with their diacritics but regardless of case and of
// old or new tone placement. Let w be NFC(word), lower-cased, then NFC again.
// If w is a Vietnamese syllable carrying exactly one tone mark, the tone mark
// moves to the position given by the new-style rule below; otherwise w is the
// result unchanged.
//
// A Vietnamese syllable is a sequence of Vietnamese letters: the consonants
// b c d đ g h k l m n p q r s t v x (no marks), and the vowels a ă â e ê i o ô
// ơ u ư y, each with at most one tone mark. It splits into an initial (the
// leading consonants, possibly none), a vowel group (the following vowels,
// at least one) and a final (the remaining letters, all consonants, possibly
// none). Then:
//
//  1. "qu": if the letter before the vowel group is q and the group starts
//     with u and has at least two vowels, that u joins the initial.
//     "gi": if the initial is exactly g and the group starts with i and has at
//     least two vowels, that i joins the initial.
//  2. The remaining vowels form the nucleus; it must have 1 to 3 vowels.
//  3. The tone goes on:
//     - the last vowel of the nucleus that has a vowel mark, if any (so ươ
//     takes it on ơ, ưa on ư, iê/yê/uô/uâ/oă on the second);
//     - otherwise, for a one-vowel nucleus, that vowel;
//     - otherwise, with a final consonant, the last vowel (hoàn, huỳnh);
//     - otherwise, for a three-vowel nucleus, the middle vowel (ngoài,
//     xoáy, khuỷu, ngoẻo);
//     - otherwise, for the pairs oa, oe and uy, the second vowel (hoà, khoẻ,
//     thuỷ: the new style);
//     - otherwise the first vowel (mùa, kìa, hỏi, tài).
//
// So Exact("Hòa") == Exact("hoà") == "hoà", Exact("qúy") == "quý" and
// Exact("giưã") == "giữa". Words that are not syllables (café, 2016, xyz) are
// only lower-cased.
//
// # Tokenize
//
// The text is NFC'd, then split into maximal runs of code points that are
// letters (L*), decimal digits (Nd) or nonspacing marks (Mn); every other code
// point separates words. A run made only of marks (such as a lone U+FE0F
// variation selector after an emoji) is not a word. Offsets are byte offsets
// into the NFC text; a port working in UTF-16 converts them.
//
// # Slug
//
// Fold the text, then replace every maximal run of bytes other than a-z and
// 0-9 by one '-', and trim '-' from both ends. If the result is longer than
// 80 bytes, cut it at the last '-' within the first 81 bytes (dropping that
// '-'), or at 80 bytes if there is none. Text with no Latin letters or digits
// gives "".
package vitext
