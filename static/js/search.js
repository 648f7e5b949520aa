/* Site search: queries the per-language index that generator/search builds
   (its package comment is the contract) and shows the results on the search
   page. No server, no dependencies; the text functions follow
   generator/vitext exactly and run its vectors (testdata/fold.tsv), so the
   index and the query never disagree. */
(function () {
  'use strict';

  /* ---- Text: NFC, Fold, Exact, Tokenize, Slug (generator/vitext) ---- */

  var UPPER_TONES = '\u0300\u0301\u0303\u0309';
  var TONES = UPPER_TONES + '\u0323';
  var VOWEL_MARKS = '\u0302\u0306\u031B';
  var CONSONANTS = 'bcdghklmnpqrstvx\u0111';
  var VOWELS = 'aeiouy';
  var WORD = /[\p{L}\p{Nd}\p{Mn}]+/gu;
  var BASE = /[\p{L}\p{Nd}]/u;
  // Soft hyphen, word joiner, BOM: invisible, they come inside pasted
  // words; nfc and fold remove them, as on the Go side.
  var INVISIBLE = /[\u00AD\u2060\uFEFF]/g;
  // A syllable longer than this ("nghiêng" has 7 letters) is not one; the
  // Go side uses the same bound.
  var MAX_SYLLABLE = 8;

  // lower lower-cases code point by code point, without context: Σ → σ
  // always, and İ → i (the full mapping would add a dot above).
  function lower(s) {
    var out = '';
    for (var c of s) out += c === '\u0130' ? 'i' : c.toLowerCase();
    return out;
  }

  // combining tells whether a code point of an NFD string has a non-zero
  // canonical combining class. JavaScript has no table for it, but canonical
  // ordering gives it away: a mark of class above 1 swaps with a following
  // U+0334 (class 1), and one of class 1..229 swaps with a preceding U+0301
  // (class 230).
  function combining(m) {
    if (m < '\u0300') return false;
    var a = m + '\u0334';
    if (a.normalize('NFD') !== a) return true;
    a = '\u0301' + m;
    return a.normalize('NFD') !== a;
  }

  // orderMarks moves the tone marks typed before the last circumflex or
  // breve of a combining run to just after it, so that the letter composes.
  function orderMarks(marks) {
    var last = -1, i;
    for (i = 0; i < marks.length; i++) {
      if (marks[i] === '\u0302' || marks[i] === '\u0306') last = i;
    }
    if (last < 0) return marks.join('');
    var tones = '', others = '';
    for (i = 0; i < last; i++) {
      if (UPPER_TONES.indexOf(marks[i]) >= 0) tones += marks[i];
      else others += marks[i];
    }
    return others + marks[last] + tones + marks.slice(last + 1).join('');
  }

  // LOOSE finds what needs more than NFC: a mark apart from its letter (only
  // such a mark can come out of the order that composes it), an invisible
  // character, Ð. The index's titles and snippets, NFC already, nearly
  // never have one, and every result shown passes them through nfc.
  var LOOSE = /[\p{M}\u00AD\u2060\uFEFF\u00D0\u00F0]/u;

  function nfc(s) {
    s = String(s);
    if (!LOOSE.test(s)) return s.normalize('NFC');
    var d = s.replace(/\u00D0/g, '\u0110').replace(/\u00F0/g, '\u0111')
      .replace(INVISIBLE, '').normalize('NFD');
    if (/[\u0302\u0306]/.test(d)) {
      var out = '', i = 0;
      while (i < d.length) {
        var c = d[i++];
        out += c;
        if ('aeoAEO'.indexOf(c) < 0) continue;
        var marks = [];
        while (i < d.length) {
          var m = String.fromCodePoint(d.codePointAt(i));
          if (!combining(m)) break;
          marks.push(m);
          i += m.length;
        }
        out += orderMarks(marks);
      }
      d = out;
    }
    return d.normalize('NFC');
  }

  function fold(s) {
    return lower(String(s).replace(INVISIBLE, '').normalize('NFD').replace(/\p{Mn}/gu, '').replace(/[\u0110\u0111\u00D0\u00F0]/g, 'd')).normalize('NFC');
  }

  // letter takes apart one code point of a lower-case NFC word: its base, its
  // vowel mark and its tone mark; null if it is not a Vietnamese letter.
  function letter(c) {
    if (c === '\u0111') return { b: c, m: '', t: '' };
    var d = c.normalize('NFD'), b = d[0], m = '', t = '';
    for (var i = 1; i < d.length; i++) {
      var x = d[i];
      if (TONES.indexOf(x) >= 0 && !t) t = x;
      else if (VOWEL_MARKS.indexOf(x) >= 0 && !m) m = x;
      else return null;
    }
    if (CONSONANTS.indexOf(b) >= 0) return m || t ? null : { b: b, m: m, t: t };
    if (VOWELS.indexOf(b) < 0) return null;
    if (m === '\u0302' && 'aeo'.indexOf(b) < 0 || m === '\u0306' && b !== 'a' || m === '\u031B' && 'ou'.indexOf(b) < 0) return null;
    return { b: b, m: m, t: t };
  }

  function isVowel(l) { return VOWELS.indexOf(l.b) >= 0; }

  // tonePosition returns [from, to]: where the one tone mark of a syllable
  // is and where the new-style rule puts it; null if ls is not a syllable
  // with exactly one tone mark.
  function tonePosition(ls) {
    var from = -1, i;
    for (i = 0; i < ls.length; i++) {
      if (ls[i].t) {
        if (from >= 0) return null;
        from = i;
      }
    }
    if (from < 0) return null;
    var v0 = 0;
    while (v0 < ls.length && !isVowel(ls[v0])) v0++;
    var v1 = v0;
    while (v1 < ls.length && isVowel(ls[v1])) v1++;
    if (v1 === v0) return null;
    for (i = v1; i < ls.length; i++) if (isVowel(ls[i])) return null;
    if (v1 - v0 >= 2 && !ls[v0].m &&
      (v0 > 0 && ls[v0 - 1].b === 'q' && ls[v0].b === 'u' || v0 === 1 && ls[0].b === 'g' && ls[v0].b === 'i')) v0++;
    var k = v1 - v0, to = -1;
    if (k > 3) return null;
    for (i = v0; i < v1; i++) if (ls[i].m) to = i;
    if (to < 0) {
      var a = ls[v0].b, b = k > 1 ? ls[v0 + 1].b : '';
      if (k === 1) to = v0;
      else if (v1 < ls.length) to = v1 - 1;
      else if (k === 3) to = v0 + 1;
      else if (a === 'o' && (b === 'a' || b === 'e') || a === 'u' && b === 'y') to = v0 + 1;
      else to = v0;
    }
    return [from, to];
  }

  function exact(word) {
    var w = lower(nfc(word)).normalize('NFC');
    var cps = Array.from(w);
    if (cps.length > MAX_SYLLABLE) return w;
    var ls = [];
    for (var i = 0; i < cps.length; i++) {
      var l = letter(cps[i]);
      if (!l) return w;
      ls.push(l);
    }
    var p = tonePosition(ls);
    if (!p || p[0] === p[1]) return w;
    ls[p[1]].t = ls[p[0]].t;
    ls[p[0]].t = '';
    return ls.map(function (l) { return l.b + l.m + l.t; }).join('').normalize('NFC');
  }

  // tokenize returns the NFC text and its words, each with its exact and
  // folded forms and its UTF-16 offsets in that text.
  function tokenize(s) {
    var text = nfc(s), tokens = [], m;
    var re = new RegExp(WORD.source, 'gu');
    while ((m = re.exec(text))) {
      if (!BASE.test(m[0])) continue;
      tokens.push({ text: m[0], exact: exact(m[0]), fold: fold(m[0]), start: m.index, end: m.index + m[0].length });
    }
    return { nfc: text, tokens: tokens };
  }

  function slug(s) {
    var f = fold(s).replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
    if (f.length > 80) {
      var j = f.lastIndexOf('-', 80);
      f = f.slice(0, j > 0 ? j : 80);
    }
    return f;
  }

  var text = { nfc: nfc, fold: fold, exact: exact, tokenize: tokenize, slug: slug };
  if (typeof window !== 'undefined') window.sxshText = text;
  if (typeof document === 'undefined') return;

  /* ---- Index ---- */

  // MAX_WORDS may not pass 31: rank keeps a page's words in 32 bits.
  var MAX_CHARS = 200, MAX_WORDS = 20, PAGE = 10, SNIPPET = 200;
  var own = Object.prototype.hasOwnProperty;

  function utf8Len(s) { return new TextEncoder().encode(s).length; }

  // parseQuery cuts the query to a size worth searching and returns its
  // terms, as the index has them (words it skips are dropped).
  function parseQuery(raw) {
    var q = nfc(raw).trim(), cut = false;
    if (q.length > MAX_CHARS) {
      q = Array.from(q).slice(0, MAX_CHARS).join('');
      cut = true;
    }
    var toks = tokenize(q).tokens, open = toks.length > 0 && toks[toks.length - 1].end === q.length && !/\s$/.test(raw);
    if (toks.length > MAX_WORDS) {
      q = q.slice(0, toks[MAX_WORDS - 1].end);
      toks = toks.slice(0, MAX_WORDS);
      cut = true;
      open = false;
    }
    var terms = toks.filter(function (t) {
      return utf8Len(t.fold) <= 32 && !/^\p{Nd}{16,}$/u.test(t.fold);
    }).map(function (t) {
      return { f: t.fold, e: t.exact, marks: t.exact !== t.fold };
    });
    return { q: q, words: toks.length, terms: terms, open: open, cut: cut };
  }

  // inflate reads one member of a pack: raw DEFLATE of JSON (a document)
  // or of binary data (a shard, a tail).
  // The bytes go in as a Response's body, not a Blob's: Chromium registers
  // each Blob with its browser process, which cost 1 to 2 ms a member, five
  // times the rest.
  function inflate(bytes) {
    return new Response(new Response(bytes).body.pipeThrough(new DecompressionStream('deflate-raw')));
  }

  function bad(what) { throw new Error('search data: ' + what); }

  // Reader reads the numbers, bytes and document sets of a shard or a tail
  // (the format is in generator/search's package comment).
  function Reader(bytes) { this.b = bytes; this.p = 0; }

  Reader.prototype.byte = function () {
    if (this.p >= this.b.length) bad('truncated');
    return this.b[this.p++];
  };

  // u reads a uvarint.
  Reader.prototype.u = function () {
    var v = 0, m = 1, c;
    do {
      if (m > 0x1000000000000) bad('number too long');
      c = this.byte();
      v += (c & 127) * m;
      m *= 128;
    } while (c & 128);
    return v;
  };

  Reader.prototype.bytes = function (n) {
    if (n > this.b.length - this.p) bad('truncated');
    this.p += n;
    return this.b.subarray(this.p - n, this.p);
  };

  // set reads a document set: its positions below u, ascending.
  Reader.prototype.set = function (u) {
    var h = this.u(), kind = h % 4, n = (h - kind) / 4, out, i, k = 0, p = 0;
    if (kind === 2 && n === 0) {
      var bits = this.bytes((u + 7) >> 3);
      for (i = 0; i < bits.length; i++) for (var b = bits[i]; b; b &= b - 1) k++;
      out = new Int32Array(k);
      k = 0;
      for (i = 0; i < bits.length; i++) {
        for (b = bits[i]; b; b &= b - 1) out[k++] = i * 8 + 31 - Math.clz32(b & -b);
      }
    } else if (kind < 2 && n <= u) {
      var list = new Int32Array(n);
      for (i = 0; i < n; i++) {
        var g = this.u();
        if (i && !g) bad('set not ascending');
        list[i] = p += g;
      }
      if (n && p >= u) bad('set past its end');
      out = list;
      if (kind === 1) {
        out = new Int32Array(u - n);
        for (i = 0, k = 0, p = 0; p < u; p++) {
          if (i < n && list[i] === p) i++;
          else out[k++] = p;
        }
      }
    } else {
      bad('set kind ' + h);
    }
    if (out.length && out[out.length - 1] >= u) bad('set past its end');
    return out;
  };

  // segments reads n segments of a list (all that are left if n < 0):
  // each an impact, from highest to lowest, and the documents with it.
  // It returns them as documents ascending, each with its impact.
  Reader.prototype.segments = function (n, docs) {
    var parts = [], total = 0, last = 256, first = 0, i;
    for (i = 0; n < 0 ? this.p < this.b.length : i < n; i++) {
      var imp = this.byte(), set = this.set(docs);
      if (!imp || imp >= last) bad('segments out of order');
      last = imp;
      first = first || imp;
      parts.push(imp, set);
      total += set.length;
    }
    // Each segment's documents are ascending: the runs are merged two by
    // two (a typed array's sort would take several times as long).
    var docs = new Int32Array(total), imps = new Uint8Array(total), runs = [0], k = 0;
    for (i = 0; i < parts.length; i += 2) {
      docs.set(parts[i + 1], k);
      imps.fill(parts[i], k, k + parts[i + 1].length);
      k += parts[i + 1].length;
      runs.push(k);
    }
    var od = new Int32Array(total), oi = new Uint8Array(total), t;
    while (runs.length > 2) {
      var next = [0];
      for (i = 0; i + 1 < runs.length; i += 2) {
        var a = runs[i], am = runs[i + 1], b = am, bm = i + 2 < runs.length ? runs[i + 2] : am;
        for (k = a; a < am || b < bm; k++) {
          if (b >= bm || a < am && docs[a] < docs[b]) {
            od[k] = docs[a];
            oi[k] = imps[a++];
          } else {
            od[k] = docs[b];
            oi[k] = imps[b++];
          }
        }
        next.push(bm);
      }
      runs = next;
      t = docs; docs = od; od = t;
      t = imps; imps = oi; oi = t;
    }
    for (k = 1; k < total; k++) {
      if (docs[k] === docs[k - 1]) bad('document in two segments');
    }
    return { docs: docs, imps: imps, first: first, last: last };
  };

  // find finds a document in an ascending list: its place, or -1.
  function find(list, d) {
    var a = 0, b = list.length;
    while (a < b) {
      var m = (a + b) >> 1;
      if (list[m] < d) a = m + 1;
      else b = m;
    }
    return a < list.length && list[a] === d ? a : -1;
  }

  // parseShard reads a shard into its lists by string. A list has docs,
  // the documents known to have it (all of them, but for a pair whose
  // tail is not read), ascending, imps their impacts (0 while in the
  // tail), tail, the number of its tail not read yet or -1, and max and
  // min, the range of the impacts in that tail; a term's also forms, each
  // exact form's documents as places in docs.
  function parseShard(bytes, n) {
    var r = new Reader(bytes), text = new TextDecoder(), lists = new Map(), prev = new Uint8Array(0);
    while (r.p < bytes.length) {
      var shared = r.u(), rest = r.bytes(r.u());
      if (shared > prev.length) bad('shared prefix');
      var sb = new Uint8Array(shared + rest.length);
      sb.set(prev.subarray(0, shared));
      sb.set(rest, shared);
      prev = sb;
      var str = text.decode(sb), l = { pair: str.indexOf(' ') >= 0, tail: r.u() - 1, max: 0, min: 0, forms: null };
      var head = r.u(), members = null;
      if (l.tail >= 0) {
        l.max = r.byte();
        l.min = r.byte();
        if (!l.pair) members = r.set(n);
      }
      var h = r.segments(head, n);
      if (l.tail >= 0 && h.last <= l.max) bad('head and tail overlap');
      l.docs = h.docs;
      l.imps = h.imps;
      if (members) {
        l.docs = members;
        l.imps = new Uint8Array(members.length);
        for (var i = 0; i < h.docs.length; i++) {
          var at = find(members, h.docs[i]);
          if (at < 0) bad('head document not in the list');
          l.imps[at] = h.imps[i];
        }
      }
      if (!l.pair) {
        l.forms = new Map();
        for (var f = r.u(); f > 0; f--) {
          var form = text.decode(r.bytes(r.u()));
          l.forms.set(form, r.set(l.docs.length));
        }
      }
      lists.set(str, l);
    }
    return lists;
  }

  // merge completes list l with its tail t (read by segments).
  function merge(l, t) {
    var i;
    if (!t.docs.length || t.last < l.min || t.first > l.max) bad('tail impacts');
    if (!l.pair) {
      var imps = l.imps.slice();
      for (i = 0; i < t.docs.length; i++) {
        var at = find(l.docs, t.docs[i]);
        if (at < 0 || imps[at]) bad('tail document');
        imps[at] = t.imps[i];
      }
      if (imps.indexOf(0) >= 0) bad('tail incomplete');
      l.imps = imps;
    } else {
      var n = l.docs.length + t.docs.length, docs = new Int32Array(n), ps = new Uint8Array(n), a = 0, b = 0;
      for (i = 0; i < n; i++) {
        var fromHead = b >= t.docs.length || a < l.docs.length && l.docs[a] < t.docs[b];
        docs[i] = fromHead ? l.docs[a] : t.docs[b];
        ps[i] = fromHead ? l.imps[a++] : t.imps[b++];
        if (i && docs[i] <= docs[i - 1]) bad('tail document');
      }
      l.docs = docs;
      l.imps = ps;
    }
    l.tail = -1;
  }

  function shardKey(shards, term) {
    var cps = Array.from(term);
    for (var n = cps.length; n >= 0; n--) {
      var k = cps.slice(0, n).join('');
      if (own.call(shards, k)) return k;
    }
    return null;
  }

  var NO_RANGES = 'sxsh-search-no-ranges ';

  // Kept holds the parts of indexes read on earlier pages, inflated, in
  // the browser's local storage, under their pack's address (which names
  // the pack's version) and place: a page that searches again reads
  // them at once, where the browser's cache would hand them over only
  // after the page is first drawn, and the results come with it. What it
  // keeps is bounded (KEPT_ROOM characters, the oldest let go first); with
  // storage off or full, the parts are fetched as they would be anyway.
  var KEPT = 'sxsh-search-kept';
  var KEPT_ROOM = 1000000;

  function Kept() {
    try {
      this.store = window.localStorage;
    } catch (e) {
      this.store = null;
    }
  }

  Kept.prototype.get = function (key) {
    try {
      return this.store && this.store.getItem(KEPT + ' ' + key);
    } catch (e) {
      return null;
    }
  };

  // put keeps str under key. What a query read is written at once, after
  // the query's own work: the oldest let go while the list of what is kept
  // (KEPT: [key, length] pairs, oldest first) says too much is.
  Kept.prototype.put = function (key, str) {
    var self = this;
    if (!this.store || str.length > KEPT_ROOM / 4) return;
    if (!this.pending) {
      this.pending = new Map();
      setTimeout(function () { self.flush(); }, 0);
    }
    this.pending.set(key, str);
  };

  Kept.prototype.flush = function () {
    var store = this.store, adding = this.pending, total = 0, added = 0;
    this.pending = null;
    try {
      var list = JSON.parse(store.getItem(KEPT) || '[]').filter(function (e) {
        return !adding.has(e[0]) && (total += e[1], true);
      });
      adding.forEach(function (str, key) {
        if (added + str.length > KEPT_ROOM) return;
        added += str.length;
        total += str.length;
        list.push([key, str.length]);
      });
      while (total > KEPT_ROOM) {
        var old = list.shift();
        total -= old[1];
        store.removeItem(KEPT + ' ' + old[0]);
      }
      store.setItem(KEPT, JSON.stringify(list));
      list.forEach(function (e) {
        if (adding.has(e[0])) store.setItem(KEPT + ' ' + e[0], adding.get(e[0]));
      });
    } catch (e) { /* full or off: fetched next time */ }
  };

  // read returns a promise of use(the string kept under key), or, when
  // nothing is kept there or use throws on it (it is let go), of
  // use(fetch()'s string), which is then kept.
  Kept.prototype.read = function (key, fetch, use) {
    var self = this, s = this.get(key);
    if (typeof s === 'string') {
      try {
        return Promise.resolve(use(s));
      } catch (e) {
        try { this.store.removeItem(KEPT + ' ' + key); } catch (e2) { /* off */ }
      }
    }
    return fetch().then(function (s) {
      var v = use(s);
      self.put(key, s);
      return v;
    });
  };

  // Bytes are kept as a string of one character each.
  function toBytes(s) {
    var b = new Uint8Array(s.length);
    for (var i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
    return b;
  }

  function fromBytes(b) {
    var s = '';
    for (var i = 0; i < b.length; i += 8192) s += String.fromCharCode.apply(null, b.subarray(i, i + 8192));
    return s;
  }

  // Index reads the index whose manifest is at manifestURL; data is the
  // manifest's JSON when the page carries it, kept as if fetched (a copy
  // that does not parse is dropped, and the next query fetches it).
  function Index(manifestURL, data) {
    this.base = new URL(manifestURL, location.href);
    this.cache = new Map();
    this.kept = new Kept();
    if (data) this.memo(this.base.href, function () { return new Promise(function (ok) { ok(JSON.parse(data)); }); });
    // Whether to ask for parts of the packs (see range): the browser
    // remembers, for each language, the index whose server ignored Range;
    // a later build's index tries again.
    this.rangesOff = NO_RANGES + new URL('.', this.base).href;
    try {
      this.ranged = this.kept.store.getItem(this.rangesOff) !== this.base.href;
    } catch (e) {
      this.ranged = true; // storage off: found out on each page
    }
  }

  // memo keeps what load returns under key; a failure is not kept, so a
  // later query tries again.
  Index.prototype.memo = function (key, load) {
    var cache = this.cache, p = cache.get(key);
    if (!p) {
      p = load();
      p.catch(function () { cache.delete(key); });
      cache.set(key, p);
    }
    return p;
  };

  // fetchOK fetches url from the site, refusing an answer that is not OK.
  function fetchOK(url) {
    return fetch(url, { credentials: 'same-origin' }).then(function (r) {
      if (!r.ok) throw new Error(r.status + ' ' + url);
      return r;
    });
  }

  Index.prototype.get = function (rel) {
    var url = new URL(rel, this.base).href;
    return this.memo(url, function () {
      return fetchOK(url).then(function (r) { return r.json(); });
    });
  };

  // range reads bytes [from, to) of a pack with a Range request, at an
  // address of its own: the pack's, with "&r=FROM-TO" added, so that the
  // browser's cache keeps each part apart and reads them side by side
  // (Chromium's reads the ranges of one address one at a time, and past a
  // short wait asks the server instead, keeping nothing). A server that
  // ignores Range sends the whole pack: it is kept, under the pack's URL,
  // and read from, and from then on, on the pages after too, each pack is
  // asked for whole at its own address, which the browser's cache keeps.
  Index.prototype.range = function (rel, from, to) {
    var url = new URL(rel, this.base).href, self = this, bytes = from + '-' + (to - 1);
    var cut = function (buf) { return new Uint8Array(buf, from, to - from); };
    if (!this.ranged || this.cache.has(url)) {
      return this.memo(url, function () {
        return fetchOK(url).then(function (r) { return r.arrayBuffer(); });
      }).then(cut);
    }
    var part = url + (url.indexOf('?') < 0 ? '?' : '&') + 'r=' + bytes;
    return fetch(part, { credentials: 'same-origin', headers: { Range: 'bytes=' + bytes } }).then(function (r) {
      if (r.status === 206) {
        if ((r.headers.get('Content-Range') || '').indexOf('bytes ' + bytes + '/') !== 0) throw new Error('range ' + part);
        return r.arrayBuffer().then(function (buf) { return new Uint8Array(buf); });
      }
      if (!r.ok) throw new Error(r.status + ' ' + part);
      if (self.ranged) {
        self.ranged = false;
        try { self.kept.store.setItem(self.rangesOff, self.base.href); } catch (e) { /* storage off */ }
      }
      var kept = true;
      var p = self.memo(url, function () { kept = false; return r.arrayBuffer(); });
      if (kept) r.body.cancel(); // another request's whole pack came first
      return p.then(cut);
    });
  };

  Index.prototype.open = function () {
    var self = this;
    if (!this.ready) {
      this.ready = this.get(this.base.href).then(function (m) {
        if (!m || m.v !== 6 || typeof m.shards !== 'string') throw new Error('search manifest: unknown format');
        // The keys are front-coded: each entry is the number of code points
        // shared with the key before (one base-36 digit) and the rest.
        // A shard's place in the terms pack follows from the sizes of
        // those before it, and the tails come after the shards.
        self.keys = Object.create(null);
        self.keyList = [];
        self.offsets = [0];
        // Without surrogates (no key outside the first 65,536 code
        // points), code points are string positions.
        var prev = '', sizes = m.sizes.split('|'), units = !/[\uD800-\uDFFF]/.test(m.shards);
        m.shards.split('|').forEach(function (e, i) {
          var n = parseInt(e.charAt(0), 36);
          var k = (units ? prev.slice(0, n) : Array.from(prev).slice(0, n).join('')) + e.slice(1);
          self.keys[k] = i;
          self.keyList.push(k);
          self.offsets.push(self.offsets[i] + parseInt(sizes[i], 36));
          prev = k;
        });
        self.tails = [self.offsets[self.offsets.length - 1]];
        (m.tails ? m.tails.split('|') : []).forEach(function (n, i) {
          self.tails.push(self.tails[i] + parseInt(n, 36));
        });
        self.manifest = m;
        return self;
      });
      this.ready.catch(function () { self.ready = null; });
    }
    return this.ready;
  };

  // loadMeta fetches the kind and year of every document, which only a
  // filter needs: a large site's meta weighs more than a query's shards.
  Index.prototype.loadMeta = function () {
    var self = this;
    return this.get(this.manifest.meta).then(function (meta) { self.meta = meta; return meta; });
  };

  // member reads bytes [from, to) of the terms pack, a shard or a tail,
  // inflated, and returns what use makes of them.
  Index.prototype.member = function (from, to, use) {
    var self = this;
    return this.kept.read(new URL(this.manifest.terms, this.base).href + ' ' + from + '-' + to, function () {
      return self.range(self.manifest.terms, from, to).then(function (b) {
        return inflate(b).arrayBuffer();
      }).then(function (buf) { return fromBytes(new Uint8Array(buf)); });
    }, function (s) { return use(toBytes(s)); });
  };

  // shard reads the shard of a key: its key and its lists.
  Index.prototype.shard = function (key) {
    var self = this, i = this.keys[key];
    return this.memo('t' + i, function () {
      return self.member(self.offsets[i], self.offsets[i + 1], function (b) {
        return { key: key, lists: parseShard(b, self.manifest.docs) };
      });
    });
  };

  // whole reads list l's tail, if it has one not read yet, into l.
  Index.prototype.whole = function (l) {
    var self = this, n = l.tail;
    if (n < 0) return Promise.resolve();
    if (n >= this.tails.length - 1) return Promise.reject(new Error('search data: no tail ' + n));
    return this.memo('x' + n, function () {
      return self.member(self.tails[n], self.tails[n + 1], function (b) {
        return new Reader(b).segments(-1, self.manifest.docs);
      });
    }).then(function (t) { if (l.tail === n) merge(l, t); });
  };

  // doc reads document n's slot: a 2-byte length, then its data.
  Index.prototype.doc = function (n) {
    var self = this, slot = this.manifest.slot;
    return this.memo('d' + n, function () {
      return self.kept.read(new URL(self.manifest.doc_file, self.base).href + ' ' + n, function () {
        return self.range(self.manifest.doc_file, n * slot, (n + 1) * slot).then(function (b) {
          return inflate(b.subarray(2, 2 + (b[0] << 8 | b[1]))).text();
        });
      }, JSON.parse);
    });
  };

  // search runs a parsed query with its filters. It returns the matching
  // documents, best first, of which the first known are proven in their
  // order (at least need of them, or all), whether they match every term,
  // and what the shards tell about the terms' exact forms. It reads the
  // tails of the query's lists only when their heads cannot prove the
  // order of the first need.
  Index.prototype.search = function (pq, kind, year, need) {
    var self = this, shards = this.keys, terms = pq.terms;
    var last = terms.length - 1, prefix = pq.open && last >= 0 && Array.from(terms[last].f).length >= 2 ? terms[last].f : '';
    var keys = new Set();
    // Each term's shard, and each adjacent pair's (pairs live under the
    // longest key that prefixes "a b"), fetched side by side.
    terms.forEach(function (t, i) {
      var k = shardKey(shards, t.f);
      if (k !== null) keys.add(k);
      if (i < last) {
        k = shardKey(shards, t.f + ' ' + terms[i + 1].f);
        if (k !== null) keys.add(k);
      }
    });
    if (prefix) {
      // Terms starting with the last word; keys with a space hold pairs.
      self.keyList.forEach(function (k) { if (k.length > prefix.length && k.indexOf(prefix) === 0 && k.indexOf(' ') < 0) keys.add(k); });
    }
    var meta = kind || +year ? this.loadMeta() : null;
    return Promise.all([meta].concat(Array.from(keys, function (k) { return self.shard(k); }))).then(function (all) {
      var byKey = new Map();
      all.slice(1).forEach(function (s) { byKey.set(s.key, s.lists); });
      var get = function (str) {
        var s = byKey.get(shardKey(shards, str));
        return s && s.get(str) || null;
      };
      // The query's lists: each term's, the terms the last word begins,
      // each adjacent pair's.
      var words = terms.map(function (t, i) {
        var w = { e: get(t.f), more: [] };
        if (i === last && prefix) {
          var own = shardKey(shards, prefix);
          byKey.forEach(function (s, key) {
            if (key !== own && key.indexOf(prefix) !== 0) return;
            s.forEach(function (l, str) { if (!l.pair && str !== t.f && str.indexOf(prefix) === 0) w.more.push(l); });
          });
        }
        return w;
      });
      var pairs = terms.slice(1).map(function (t, i) { return get(terms[i].f + ' ' + t.f); });
      var k = kind ? self.manifest.kinds.indexOf(kind) : -1, y = +year || 0;
      var r = rank(self.manifest, pq, words, pairs, k, y, self.meta, need);
      r.accented = accented(terms, words);
      if (r.known >= Math.min(need, r.docs.length)) return r;
      var split = [];
      words.forEach(function (w) { split.push.apply(split, [w.e].concat(w.more)); });
      split = split.concat(pairs).filter(function (l) { return l && l.tail >= 0; });
      return Promise.all(split.map(function (l) { return self.whole(l); })).then(function () {
        var whole = rank(self.manifest, pq, words, pairs, k, y, self.meta, need);
        whole.accented = r.accented;
        return whole;
      });
    });
  };

  // rank does the steps of a query from the lists read (doc.go, "Querying"):
  // the documents with the most terms, of kind k and year y when they
  // are set, ordered by exact tier, then score, then number. A document's
  // impact in a tail not read is unknown but for its range, and so its
  // score: lo and hi bound it, and known says how many of the first
  // results that leaves in their order for sure. Only the first need are
  // put in order: the others follow them in no order, until a page of
  // results asks for more (see App.show).
  function rank(m, pq, words, pairs, k, y, meta, need) {
    var n = m.docs, terms = pq.terms, count = new Uint8Array(n), tier = new Uint8Array(n);
    var lo = new Float64Array(n), hi = new Float64Array(n), has = new Uint32Array(n), d, i, j;
    // The work is in the lists' documents, not the whole site's: each
    // word's are gathered in wdocs (seen says which word last found
    // one), and all the words' in touched.
    var touched = new Int32Array(n), nt = 0, seen = new Uint8Array(n), wlo = new Float64Array(n), whi = new Float64Array(n), wdocs = new Int32Array(n);
    words.forEach(function (w, i) {
      var t = terms[i], e = w.e, nw = 0, mark = i + 1, bit = 1 << i;
      // A word's score range in a document is the best of its lists':
      // a list's impact there (or, in a tail not read, its range) times
      // a factor. A document appears once in a list, and e comes first.
      if (e) {
        // The documents with the spelling typed: listed among the forms
        // when the term has several; with none, all of them if typed plain.
        var exact = null;
        if (e.forms.size) {
          exact = new Uint8Array(e.docs.length);
          (e.forms.get(t.e) || []).forEach(function (p) { exact[p] = 1; });
        }
        var docs = e.docs, imps = e.imps, plain = !t.marks;
        for (j = 0; j < docs.length; j++) {
          d = docs[j];
          var is = exact ? exact[j] === 1 : plain, f = is && t.marks ? 2 : 1, v = imps[j];
          if (is) tier[d]++;
          has[d] |= bit;
          seen[d] = mark;
          wdocs[nw++] = d;
          wlo[d] = f * (v || e.min);
          whi[d] = f * (v || e.max);
        }
      }
      // Terms the last word begins count half. A word being typed has
      // marks of its own: pages whose spelling continues it rank first.
      w.more.forEach(function (l) {
        var cont = null, docs = l.docs, imps = l.imps;
        if (t.marks && l.forms.size) {
          cont = new Uint8Array(docs.length);
          l.forms.forEach(function (ps, form) { if (form.indexOf(t.e) === 0) ps.forEach(function (p) { cont[p] = 1; }); });
        }
        for (j = 0; j < docs.length; j++) {
          d = docs[j];
          var f = cont && cont[j] ? 1 : 0.5, v = imps[j], a = f * (v || l.min), b = f * (v || l.max);
          if (seen[d] !== mark) {
            seen[d] = mark;
            wdocs[nw++] = d;
            wlo[d] = a;
            whi[d] = b;
            continue;
          }
          if (a > wlo[d]) wlo[d] = a;
          if (b > whi[d]) whi[d] = b;
        }
      });
      for (j = 0; j < nw; j++) {
        d = wdocs[j];
        if (!count[d]++) touched[nt++] = d;
        lo[d] += wlo[d];
        hi[d] += whi[d];
      }
    });
    pairs.forEach(function (l, i) {
      if (!l) return;
      var both = 3 << i, open = l.tail >= 0 ? 2 * l.max : 0, mark = 128 + i;
      for (j = 0; j < l.docs.length; j++) {
        d = l.docs[j];
        if ((has[d] & both) !== both || !l.imps[j]) continue;
        seen[d] = mark;
        lo[d] += 2 * l.imps[j];
        hi[d] += 2 * l.imps[j];
      }
      // A document with both words that the list read so far does not
      // have may have the pair in its tail.
      if (!open) return;
      for (j = 0; j < nt; j++) {
        d = touched[j];
        if ((has[d] & both) === both && seen[d] !== mark) hi[d] += open;
      }
    });
    var most = 0, docs = [];
    for (j = 0; j < nt; j++) {
      d = touched[j];
      if (k >= 0 && meta.k[d] !== k || y && meta.y[d] !== y) continue;
      if (count[d] > most) {
        most = count[d];
        docs = [];
      }
      if (count[d] === most) docs.push(d);
    }
    // The spelling typed first, as a tier: however long the pages
    // that match only without marks, they come after.
    var first = function (a, b) { return tier[a] !== tier[b] ? tier[a] > tier[b] : lo[a] !== lo[b] ? lo[a] > lo[b] : a < b; };
    var top = [], many = Math.min(need, docs.length), worst = -1;
    for (j = 0; j < docs.length && many; j++) {
      d = docs[j];
      if (top.length === many && !first(d, worst)) continue;
      var at = top.length === many ? many - 1 : top.length;
      for (; at > 0 && first(d, top[at - 1]); at--) top[at] = top[at - 1];
      top[at] = d;
      worst = top[top.length - 1];
    }
    // before tells that a comes before b whatever the impacts not read;
    // the first are in order when each comes before the next and the
    // last of them before the strongest of the rest.
    var before = function (a, b) { return tier[a] !== tier[b] ? tier[a] > tier[b] : lo[a] > hi[b] || lo[a] === hi[b] && a < b; };
    var stronger = function (b, a) { return tier[b] !== tier[a] ? tier[b] > tier[a] : hi[b] > hi[a] || hi[b] === hi[a] && b < a; };
    var ranked = new Uint8Array(n), rest = -1, strongest = new Int32Array(many + 1), ordered = top.slice();
    for (j = 0; j < top.length; j++) ranked[top[j]] = 1;
    for (j = 0; j < docs.length; j++) {
      d = docs[j];
      if (ranked[d]) continue;
      ordered.push(d);
      if (rest < 0 || stronger(d, rest)) rest = d;
    }
    strongest[many] = rest;
    for (i = many - 1; i >= 0; i--) {
      var a = top[i], b = strongest[i + 1];
      strongest[i] = b >= 0 && stronger(b, a) ? b : a;
    }
    var known = 0;
    for (i = 1; i <= many; i++) {
      if (i > 1 && !before(top[i - 2], top[i - 1])) break;
      if (i === docs.length || before(top[i - 1], strongest[i])) known = i;
    }
    return { docs: ordered, known: known, all: most === terms.length };
  }

  // accented spells each term in its most frequent exact form in the
  // documents that have it; a term with no other form stays as it is.
  function accented(terms, words) {
    return terms.map(function (t, i) {
      var e = words[i].e, best = t.f, n = 0;
      if (!e || !e.forms.size) return best;
      var marked = new Uint8Array(e.docs.length);
      e.forms.forEach(function (ps, form) {
        if (form === t.f) return; // the plain spelling is counted below
        ps.forEach(function (p) { marked[p] = 1; });
        if (ps.length > n) {
          n = ps.length;
          best = form;
        }
      });
      var plain = 0;
      for (var j = 0; j < marked.length; j++) plain += 1 - marked[j];
      return plain >= n ? t.f : best;
    }).join(' ');
  }

  /* ---- Page ---- */

  function el(tag, cls, txt) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (txt != null) e.textContent = txt;
    return e;
  }

  // matches finds the words of s that match the query: by folded form, the
  // last word also by prefix. The results of a query share most of their
  // words: each is folded once, and kept with the query.
  function matches(s, pq) {
    var out = [], re = new RegExp(WORD.source, 'gu'), m, folds = pq.terms.map(function (t) { return t.f; });
    var prefix = pq.open && pq.terms.length ? folds[folds.length - 1] : null, folded = pq.folded || (pq.folded = new Map());
    while ((m = re.exec(s))) {
      if (!BASE.test(m[0])) continue;
      var f = folded.get(m[0]);
      if (f === undefined) folded.set(m[0], f = fold(m[0]));
      var i = folds.indexOf(f);
      if (i < 0 && prefix && f.indexOf(prefix) === 0) i = folds.length - 1;
      if (i >= 0) out.push({ s: m.index, e: m.index + m[0].length, i: i });
    }
    return out;
  }

  // highlight appends s[from:to] to node with the matched words in <mark>.
  function highlight(node, s, hits, from, to) {
    var at = from;
    hits.forEach(function (h) {
      if (h.s < from || h.e > to) return;
      if (h.s > at) node.appendChild(document.createTextNode(s.slice(at, h.s)));
      node.appendChild(el('mark', null, s.slice(h.s, h.e)));
      at = h.e;
    });
    if (at < to) node.appendChild(document.createTextNode(s.slice(at, to)));
    return node;
  }

  // snippet shows the window of about SNIPPET characters of s that holds the
  // most different query words.
  function snippet(s, pq) {
    s = nfc(s || '');
    var hits = matches(s, pq), start = 0, best = -1;
    hits.forEach(function (h) {
      var seen = new Set();
      hits.forEach(function (g) { if (g.s >= h.s && g.e <= h.s + SNIPPET) seen.add(g.i); });
      if (seen.size > best) { best = seen.size; start = h.s; }
    });
    // Begin a little before the match, at a word boundary.
    var from = start - 40, sp = s.indexOf(' ', from);
    if (from <= 0) start = 0;
    else if (sp >= 0 && sp < start) start = sp + 1;
    var end = Math.min(s.length, start + SNIPPET);
    if (end < s.length) {
      var cut = s.lastIndexOf(' ', end);
      if (cut > start + SNIPPET / 2) end = cut;
    }
    var p = el('p', 'search-snippet');
    if (start > 0) p.appendChild(document.createTextNode('… '));
    highlight(p, s, hits, start, end);
    if (end < s.length) p.appendChild(document.createTextNode(' …'));
    return p;
  }

  function fmt(msg, vars) {
    return String(msg || '').replace(/\{(\w+)\}/g, function (all, k) { return own.call(vars, k) ? vars[k] : all; });
  }

  function App(root) {
    var self = this;
    this.root = root;
    this.index = new Index(root.getAttribute('data-search-manifest'), root.getAttribute('data-search-index'));
    this.lang = document.documentElement.lang || 'vi';
    this.form = root.querySelector('form');
    this.input = this.form.elements.q;
    this.kind = this.form.elements.kind;
    this.year = this.form.elements.year;
    this.status = root.querySelector('.search-status');
    this.note = root.querySelector('.search-note');
    this.list = root.querySelector('.search-results');
    this.more = root.querySelector('.search-more');
    this.seq = 0;
    this.typing = false;
    this.timer = 0;

    this.form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      clearTimeout(self.timer);
      self.go(self.typing);
      self.typing = false;
    });
    this.input.addEventListener('input', function () {
      clearTimeout(self.timer);
      self.timer = setTimeout(function () {
        // The first change after a search adds a history entry; later
        // keystrokes only amend it, so Back returns to the last search.
        self.go(self.typing);
        self.typing = true;
      }, 200);
    });
    [this.kind, this.year].forEach(function (s) {
      if (s) s.addEventListener('change', function () {
        clearTimeout(self.timer);
        self.go(false);
        self.typing = false;
      });
    });
    this.more.addEventListener('click', function () { self.show(); });
    root.addEventListener('click', function (ev) {
      var a = ev.target.closest && ev.target.closest('a[data-q]');
      if (!a || ev.button !== 0 || ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.altKey) return;
      ev.preventDefault();
      self.input.value = a.getAttribute('data-q');
      self.go(false);
      self.typing = false;
      self.input.focus();
    });
    window.addEventListener('popstate', function () {
      self.typing = false;
      self.load();
    });
    this.load();
  }

  App.prototype.msg = function (name, vars) {
    return fmt(this.root.getAttribute('data-msg-' + name), vars || {});
  };

  App.prototype.num = function (n) {
    return String(n).replace(/\B(?=(\d{3})+$)/g, this.lang === 'vi' ? '.' : ',');
  };

  App.prototype.state = function () {
    return { q: this.input.value, kind: this.kind ? this.kind.value : '', year: this.year ? this.year.value : '' };
  };

  App.prototype.href = function (st) {
    var p = new URLSearchParams();
    if (st.q.trim()) p.set('q', st.q);
    if (st.kind) p.set('kind', st.kind);
    if (st.year) p.set('year', st.year);
    var qs = p.toString();
    return location.pathname + (qs ? '?' + qs : '');
  };

  // go puts the form's state in the URL and searches.
  App.prototype.go = function (replace) {
    var st = this.state(), u = this.href(st);
    if (u !== location.pathname + location.search) history[replace ? 'replaceState' : 'pushState'](null, '', u);
    this.run(st);
  };

  // load reads the state from the URL and searches.
  App.prototype.load = function () {
    var p = new URLSearchParams(location.search), st = { q: p.get('q') || '', kind: p.get('kind') || '', year: p.get('year') || '' };
    this.input.value = st.q;
    if (this.kind) this.kind.value = st.kind;
    if (this.kind && this.kind.value !== st.kind) this.kind.value = st.kind = '';
    this.setYear(st.year);
    this.run(st);
  };

  // setYear selects a year, adding it to the list if the index has not
  // told the years yet.
  App.prototype.setYear = function (y) {
    if (!this.year) return;
    y = /^\d{4}$/.test(y) ? y : '';
    if (y && !this.year.querySelector('option[value="' + y + '"]')) this.year.appendChild(el('option', null, y)).value = y;
    this.year.value = y;
  };

  App.prototype.years = function (m) {
    if (!this.year || this.yearsDone) return;
    this.yearsDone = true;
    var have = new Set(), sel = this.year, cur = sel.value;
    Array.prototype.forEach.call(sel.options, function (o) { if (o.value) have.add(+o.value); });
    (m.years || []).forEach(function (y) { have.add(y); });
    while (sel.options.length > 1) sel.remove(1);
    Array.from(have).sort(function (a, b) { return b - a; }).forEach(function (y) { sel.appendChild(el('option', null, String(y))).value = String(y); });
    sel.value = cur;
  };

  App.prototype.clear = function () {
    while (this.list.firstChild) this.list.removeChild(this.list.firstChild);
    while (this.note.firstChild) this.note.removeChild(this.note.firstChild);
    this.note.hidden = true;
    this.more.hidden = true;
    this.list.removeAttribute('aria-busy');
  };

  App.prototype.say = function (s) { this.status.textContent = s; };

  // suggest offers the query spelt differently, as a link that searches it.
  App.prototype.suggest = function (q) {
    var st = this.state(), a = el('a', null, q);
    st.q = q;
    a.href = this.href(st);
    a.setAttribute('data-q', q);
    this.note.appendChild(el('span', null, this.msg('suggest') + ' '));
    this.note.appendChild(a);
    this.note.hidden = false;
  };

  App.prototype.run = function (st) {
    var self = this, seq = ++this.seq, pq = parseQuery(st.q);
    this.clear();
    if (!st.q.trim()) {
      this.say(this.msg('prompt'));
      return;
    }
    if (!pq.words) {
      this.say(this.msg('nowords'));
      return;
    }
    this.list.setAttribute('aria-busy', 'true');
    this.index.open().then(function (ix) {
      if (seq !== self.seq) return null;
      return ix.search(pq, st.kind, st.year, PAGE);
    }).then(function (r) {
      if (!r || seq !== self.seq) return;
      self.years(self.index.manifest);
      var n = r.docs.length, vars = { n: self.num(n), q: pq.q };
      self.pq = pq;
      self.st = st;
      self.result = r;
      self.shown = 0;
      if (!n) self.say(self.msg('none', vars));
      else if (!r.all) self.say(self.msg('partial', vars));
      else self.say(self.msg(n === 1 ? 'one' : 'results', vars));
      if (pq.cut) {
        self.note.appendChild(el('span', null, self.msg('cut') + ' '));
        self.note.hidden = false;
      }
      var marked = pq.terms.some(function (t) { return t.marks; });
      var folded = pq.terms.map(function (t) { return t.f; }).join(' ');
      var plain = pq.terms.map(function (t) { return t.e; }).join(' ');
      // Matching is by folded form already, so the folded query only
      // helps as a hint when nothing matched; the accented one ranks better.
      if (marked && !r.all && folded !== plain) self.suggest(folded);
      else if (!marked && (!r.all || n < 3) && r.accented !== folded) self.suggest(r.accented);
      return self.show(seq);
    }).catch(function () {
      if (seq !== self.seq) return;
      self.clear();
      self.say(self.msg('error'));
    });
  };

  // show adds the next PAGE results, loading their documents; when the
  // lists read so far do not prove their order, it reads the rest first.
  App.prototype.show = function (seq) {
    var self = this, ix = this.index, pq = this.pq, from = this.shown, r = this.result, batch;
    seq = seq || this.seq;
    this.more.hidden = true;
    this.list.setAttribute('aria-busy', 'true');
    var ranked = r.known >= Math.min(from + PAGE, r.docs.length) ? Promise.resolve(r) : ix.search(pq, this.st.kind, this.st.year, from + PAGE);
    return ranked.then(function (r) {
      if (seq !== self.seq) return null;
      self.result = r;
      batch = r.docs.slice(from, from + PAGE);
      return Promise.all(batch.map(function (d) { return ix.doc(d); }));
    }).then(function (docs) {
      if (!docs || seq !== self.seq) return;
      var first = null;
      docs.forEach(function (doc) {
        var li = el('li', 'search-result'), kind = ix.manifest.kinds[doc.k];
        var label = self.kind && Array.prototype.find.call(self.kind.options, function (o) { return o.value === kind; });
        li.appendChild(el('p', 'search-kind', label ? label.textContent : kind || ''));
        var h = el('h2', 'search-title'), a = el('a'), title = nfc(doc.t || doc.u);
        a.href = doc.u;
        highlight(a, title, matches(title, pq), 0, title.length);
        h.appendChild(a);
        li.appendChild(h);
        if (doc.d) li.appendChild(el('p', 'search-date', doc.d));
        li.appendChild(snippet(doc.s, pq));
        self.list.appendChild(li);
        first = first || a;
      });
      self.shown = from + batch.length;
      self.list.removeAttribute('aria-busy');
      self.more.hidden = self.shown >= self.result.docs.length;
      // After "more results", keyboard users go on from the first new one.
      if (from > 0 && first) first.focus();
    }).catch(function () {
      if (seq !== self.seq) return;
      self.list.removeAttribute('aria-busy');
      self.say(self.msg('error'));
    });
  };

  document.querySelectorAll('[data-search-manifest]').forEach(function (root) {
    if (root.querySelector('form') && root.querySelector('.search-results')) new App(root);
  });
})();
