// Package search builds the client-side search index of one language of the
// site at build time. The client, static/js/search.js, reads it with no
// server and no dependency; this comment is the contract between the two,
// and both sides follow it exactly.
//
// # Terms
//
// Text is cut into words with vitext.Tokenize. Each word gives:
//
//   - its folded term, vitext.Fold (ASCII for Vietnamese: "xuất" → "xuat"),
//     which is what matches: a reader may type marks or not;
//   - its exact form, vitext.Exact ("Hòa" and "hoà" → "hoà"), which ranks
//     pages that have the reader's exact spelling above the others.
//
// Adjacent words of one block of text (a title, a heading, a paragraph
// section) also give a pair term, the two folded terms joined by one space
// ("san xuat"), so that pages with a contiguous phrase rank above pages with
// the same words scattered. Words of more than 32 bytes and digits-only
// words of more than 15 digits are skipped.
//
// # Scores
//
// Each (term, document) posting carries one precomputed impact, an integer
// 1..255: BM25 (k1 = 1.2, b = 0.75) over the document's weighted term
// frequency, where an occurrence counts 6 in the title, 3 in a heading (or a
// summary) and 1 in the body, and the document length is its weighted word
// count, and the average length avgdl rounded to 5 significant bits (so
// that an edit to one page rarely moves it); scaled so that 255 is the
// largest score a posting could have, idf(df = 1) · (k1 + 1), and rounded
// up. Pair postings are computed the same way over pair counts. Both the
// rounding and the scale keep the impacts of pages an edit did not touch
// as they were, and so their bytes in the pack.
//
// # Files
//
// Under public/search/<lang>/, four files, every URL fingerprinted by
// content (the 8-hex part below, written H) so that servers can cache them
// for a year:
//
//	manifest.H.json  the manifest; its URL is in the search page's
//	                 data-search-manifest="…" attribute, and the page
//	                 carries its JSON too, in data-search-index="…"
//	meta.H.json      per-document kind and year
//	terms.bin?v=H    the term shards, end to end, then the tails of the
//	                 lists that are split (see Term shards), end to end
//	docs.bin?v=H     every document's display data, in slots of one size
//
// The two packs carry their fingerprint in the query of their URL, not in
// their names, so that a copy to a server (rsync) finds the old file under
// the same name and sends only what changed. The client reads a shard, a
// tail or a document with an HTTP Range request for its bytes, which every
// common server (nginx, Apache, IIS, and sxsh serve) answers with 206 and
// those bytes. It asks for each part at an address of its own, the pack's
// with "&r=FROM-TO" added (terms.bin?v=H&r=0-1023; the servers ignore the
// query), so that the browser's cache keeps the parts apart and reads them
// side by side. A server that ignores Range sends the whole pack (200),
// which the client then keeps and reads from; it then asks for each pack
// whole at its own URL, on the pages after too, until the index changes.
// The client also keeps the parts it inflated in the browser's local
// storage, keyed by the pack's URL (with its fingerprint) and the part's
// place, within a bound, the oldest let go first: a later page reads them
// from there at once, since the browser's cache hands a page its files
// only after the page is first drawn.
// Each shard, each tail and each document's data is one raw DEFLATE stream
// (RFC 1951), of binary data (shards and tails, below) or of JSON
// (documents), which the client inflates (DecompressionStream
// "deflate-raw"): the packs are served as application/octet-stream, which
// servers do not compress.
//
// All JSON is minified. URLs inside the manifest are relative to the
// manifest's own URL.
//
// manifest:
//
//	{
//	  "v": 6,                    // format version
//	  "lang": "vi",
//	  "docs": 1234,              // number of documents, numbered 0..docs-1
//	  "kinds": ["article", "newsletter", "broadcast", "banner", "document", "page"],
//	  "years": [2026, 2025, 2021],  // the documents' years, latest first
//	  "meta": "meta.H.json",
//	  "shards": "0|0a|1n|2g|…",  // the shard keys, front-coded (below)
//	  "sizes": "2x|1b|…",        // each shard's size in the terms pack,
//	                             // base 36, in the order of the keys
//	  "tails": "5k|a|…",         // each tail's size in the terms pack,
//	                             // base 36, in the order of their numbers;
//	                             // "" when no list is split
//	  "terms": "terms.bin?v=H",
//	  "doc_file": "docs.bin?v=H",
//	  "slot": 1024               // the size of a document's slot
//	}
//
// The keys are sorted and written as one string, entries separated by "|"
// (which no key contains): each entry is the number of code points the key
// shares with the key before, as one base-36 digit (at most 35), then the
// rest of the key. ["", "a", "an", "ang"] is "0|0a|1n|2g".
//
// The shard of the i-th key (in the order of "shards") is the bytes of the
// terms pack from the sum of the sizes before it, "sizes"[i] long. Tail j
// comes after all the shards: from the sum of every size of "sizes" and of
// the sizes of "tails" before j, "tails"[j] long.
//
// Shard keys are prefixes of folded terms (ASCII after folding, but any
// string in general). A term lives in the shard whose key is the LONGEST key
// that is a prefix of the term; the builder always makes the key "" (empty)
// so every term has a shard. A pair term lives likewise in the shard of the
// longest key that is a prefix of the pair string "a b" (keys may contain
// the space), so that the many pairs of a common syllable can be split off
// into shards of their own ("kiem d", "kiem n") rather than swell the
// syllable's shard. The builder splits a key into longer keys until each
// shard is under a size budget (about 10 KB, inflated) or cannot be split
// further. Keys are only ever compared as string prefixes.
//
// meta: {"k": [kind index per document], "y": [year per document, 0 if none]}.
//
// # Term shards
//
// Below, a number is a uvarint (as Go's encoding/binary writes it: 7 bits
// at a time, the least significant first, the high bit set on every byte
// but the last) and a byte is one byte. A shard, inflated, is its entries
// one after the other to the end of the data, in ascending byte order of
// their strings. An entry is a term, its string the term, or a pair, its
// string the two terms joined by one space (no term has a space):
//
//	number  the bytes its string shares with the string of the entry
//	        before (0 for the first)
//	number  L, then L bytes: the rest of its string, UTF-8
//	number  0, or 1 + the number of its tail when its list is split
//	number  S, the segments of the list in the entry
//	only when split:
//	  byte  the highest impact in the tail
//	  byte  the lowest impact in the tail
//	  set   for a term: every document that has it (of 0..docs-1)
//	S segments
//	only for a term:
//	  number  F, then F exact forms, each:
//	  number  L, then L bytes: the form, UTF-8
//	  set     the documents that have the form, as their positions
//	          among the term's documents in ascending order (of
//	          0..n-1 for a term in n documents)
//
// A segment is an impact, a byte (1..255), then the set of the documents
// (of 0..docs-1) that have the list's term or pair with that impact. A
// list's segments go from its highest impact to its lowest, one per
// impact. A list whose segments would take more than about 4 KB is split:
// its entry keeps its first segments, the highest impacts, up to about 2
// KB (one at least), and the rest are its tail. A tail, inflated, is its
// segments, going on from the entry's, to the end of the data. Tails are
// numbered in the order of their shards in the pack, then of their entries
// in the shard. So a shard tells every document of each of its terms, and
// their exact forms; a tail adds the impacts of the documents in it, and
// for a pair which documents those are.
//
// A set of positions below u is a number h, then what h's two low bits
// say:
//
//	h&3 = 0  h>>2 numbers: the positions in the set, ascending, the
//	         first as it is and each other as its difference from the
//	         one before
//	h&3 = 1  h>>2 numbers as for 0: the positions NOT in the set
//	h = 2    ⌈u/8⌉ bytes, a bitmap: position p is in the set when bit
//	         p mod 8 (the value 1<<(p mod 8)) of byte ⌊p/8⌋ is set
//
// The builder writes the shortest. A term has exact forms when any of its
// documents spells it otherwise than the term itself ("xuất" for "xuat"),
// and then the term's own spelling is one of them when a document has it;
// a term that is only ever itself has none (F is 0).
//
// Documents: document N's display data is in the docs pack at N·slot,
// slot bytes: a 2-byte big-endian length L, then L bytes of DEFLATE data,
// then 8 bytes by which the next build knows an unchanged page's slot (the
// client ignores them), then zeros. Its JSON:
//
//	{"t": title, "u": URL (root-relative, with the base path),
//	 "k": kind index, "d": date as shown in the language ("28/11/2026"),
//	 "s": text for the snippet: the summary, then the body text, cut to about
//	      2,000 characters at a word boundary, and shorter at a word
//	      boundary when the compressed data would not fit the slot}
//
// The slot is 1024 bytes, larger only when a document does not fit even
// without its snippet text.
//
// # Querying (what the client does)
//
//  1. NFC the query, tokenize it as above; no words: show a plain message.
//  2. Load the manifest (the search page carries it), then the shards of
//     every query term and of every adjacent pair of terms (and, for the
//     last word if the query does not end in a space, every shard whose key
//     starts with the folded last word and has no space, when the word has
//     at least 2 letters), and meta beside them only when a filter is set.
//  3. A document matches if it has every query term (the last one also by
//     prefix: any term starting with it). If none match all terms, documents
//     matching the most terms are shown, and the page says so.
//  4. Score = Σ over query terms of the impact, doubled when the query word
//     has marks (its Exact differs from its Fold) and the document has that
//     exact form (Exact of the query word is one of the term's exact forms
//     and the document has it), plus for each adjacent query pair found, twice
//     its impact. A prefix match counts half its impact (doubled likewise
//     when the document has a form of the term that starts with the
//     word's Exact), and a word counts its best match.
//  5. Exact tier = the number of query words (the last one too, when typed
//     whole) that the document has in the exact spelling typed: the word's
//     Exact is one of the term's exact forms and the document has it, or the
//     term has none and the word has no marks (every document has it as
//     typed).
//  6. Filters by kind and year use meta (the year filter's choices are the
//     manifest's "years"); results are ordered by the number
//     of terms matched, then the exact tier, then score, then document
//     number: a page with the spelling typed comes before any that matches
//     only without marks, however long or short. The first 10 are shown,
//     10 more on request; their documents are loaded then, not before.
//  7. The shards tell which documents match and their tiers, whatever the
//     tails; an impact in a tail not read is known only to lie in the
//     tail's range (for a pair, to be that or 0), and so a document's score
//     to lie between a lowest and a highest. Ordered by tier, then lowest
//     score, then number, the first k documents are in their final order
//     when each comes before the next even at its lowest score and the
//     next at its highest (a tie going to the lower number), and the k-th
//     comes so before every later one. When that does not hold for the
//     results to show (the first 10, then 20, …), the client reads the
//     tails of the query's lists, all at once, and orders again: its lists
//     are then whole. The count of results is exact either way.
package search
