package counter

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding"
	"errors"
	"fmt"
	"hash"
	"io"
	"strings"
	"time"
)

// FileResult is what the import of one log found.
type FileResult struct {
	Name     string
	Lines    int    // lines read this time
	Before   int    // lines skipped as imported before
	Views    int64  // page views counted
	Visits   int64  // visits counted
	Bad      int    // lines that could not be read
	FirstBad int    // the line number of the first of them
	BadWhy   string // and what was wrong with it
	Changed  bool   // the log was imported before but has changed since
}

// String is the line that reports the import of the file.
func (r FileResult) String() string {
	s := fmt.Sprintf("%s: %d new %s, %d page views, %d visits", r.Name, r.Lines,
		plural(r.Lines, "line", "lines"), r.Views, r.Visits)
	if r.Before > 0 {
		s += fmt.Sprintf(" (%d %s imported before)", r.Before, plural(r.Before, "line was", "lines were"))
	}
	return s
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// Importer counts page views and visits from access logs into a Store. A
// visit is told from the next by the same rule as the live counter's, per
// address and User-Agent of the log, which are never stored. Each log is
// remembered by its first line and the length and hash of what was read of
// it, so that importing a log again counts only the lines added since.
type Importer struct {
	store   Store
	format  string
	loc     *time.Location
	tracker *Tracker
}

// NewImporter returns an Importer of logs in format (one of FormatNames)
// that dates hits in loc.
func NewImporter(store Store, format string, loc *time.Location) (*Importer, error) {
	if _, err := NewParser(format); err != nil {
		return nil, err
	}
	if loc == nil {
		loc = time.Local
	}
	return &Importer{store: store, format: format, loc: loc, tracker: NewTracker(loc)}, nil
}

// errChanged stops a read that found a log different from its mark.
var errChanged = errors.New("the log changed since it was imported")

// ImportFile imports one log, plain or gzip-compressed, read from r; name
// is how results and errors call it. A log's counts and its mark are
// stored together, so an import that fails leaves nothing half counted.
func (im *Importer) ImportFile(name string, r io.ReadSeeker) (FileResult, error) {
	br, closeFn, err := open(r)
	if err != nil {
		return FileResult{Name: name}, fmt.Errorf("%s: %w", name, err)
	}
	first, err := br.Peek(4096)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		closeFn()
		return FileResult{Name: name}, fmt.Errorf("%s: %w", name, err)
	}
	if i := bytes.IndexByte(first, '\n'); i >= 0 {
		first = first[:i+1]
	} else {
		closeFn()
		return FileResult{Name: name}, nil // no complete line yet
	}
	key := sha256.Sum256(first)
	mark, known, err := im.store.Mark(key)
	if err != nil {
		closeFn()
		return FileResult{Name: name}, err
	}
	res, newMark, tally, err := im.read(name, br, mark)
	closeFn()
	if errors.Is(err, errChanged) {
		// Same first line, different lines after it: another log, as far
		// as can be told, so it is counted whole.
		if _, err := r.Seek(0, io.SeekStart); err != nil {
			return FileResult{Name: name}, fmt.Errorf("%s: %w", name, err)
		}
		if br, closeFn, err = open(r); err != nil {
			return FileResult{Name: name}, fmt.Errorf("%s: %w", name, err)
		}
		res, newMark, tally, err = im.read(name, br, Mark{})
		closeFn()
		res.Changed = true
	}
	if err != nil {
		return res, fmt.Errorf("%s: %w", name, err)
	}
	if known && newMark == mark {
		return res, nil
	}
	return res, im.store.Import(key, newMark, tally)
}

// open reads r, decompressing it if it is gzip.
func open(r io.Reader) (*bufio.Reader, func(), error) {
	br := bufio.NewReaderSize(r, 64<<10)
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, nil, err
		}
		return bufio.NewReaderSize(zr, 64<<10), func() { zr.Close() }, nil
	}
	return br, func() {}, nil
}

// read reads complete lines, skipping (but hashing) the mark's bytes, and
// tallies the rest. A last line without its newline is left for the next
// import, as the server may be writing it.
func (im *Importer) read(name string, br *bufio.Reader, mark Mark) (FileResult, Mark, *Tally, error) {
	res := FileResult{Name: name}
	tally := NewTally()
	p, _ := NewParser(im.format)
	h := sha256.New()
	var pos int64
	lineNo := 0
	checked := mark.Bytes == 0
	for {
		text, n, long, err := nextLine(br, h)
		if err == io.EOF {
			break
		}
		if err != nil {
			return res, Mark{}, nil, err
		}
		lineNo++
		pos += n
		if !checked {
			if pos > mark.Bytes {
				return res, Mark{}, nil, errChanged
			}
			res.Before++
			if !long && strings.HasPrefix(text, "#") {
				p.ParseLine(text) // directives read before still say how to read what follows
			}
			if pos == mark.Bytes {
				var sum [32]byte
				copy(sum[:], h.Sum(nil))
				if sum != mark.Hash {
					return res, Mark{}, nil, errChanged
				}
				checked = true
			}
			continue
		}
		res.Lines++
		if long {
			res.bad(lineNo, "line too long")
			continue
		}
		if strings.TrimSpace(text) == "" {
			continue
		}
		e, err := p.ParseLine(text)
		if errors.Is(err, ErrDirective) {
			continue
		}
		if err != nil {
			res.bad(lineNo, err.Error())
			continue
		}
		if !IsPageView(e) {
			continue
		}
		visit := im.tracker.Hit(e.Time, e.IP, e.UserAgent)
		tally.AddView(DateOf(e.Time, im.loc), e.Path, visit)
		res.Views++
		if visit {
			res.Visits++
		}
	}
	if !checked {
		return res, Mark{}, nil, errChanged // shorter than what was read before
	}
	m := Mark{Bytes: pos}
	copy(m.Hash[:], h.Sum(nil))
	return res, m, tally, nil
}

func (r *FileResult) bad(line int, why string) {
	if r.Bad == 0 {
		r.FirstBad, r.BadWhy = line, why
	}
	r.Bad++
}

// nextLine reads and hashes one complete line and returns it without its
// line ending, or, for a line longer than the buffer, only its length. At
// the end of r, a last line without its newline is left unread and
// unhashed: the server may still be writing it.
func nextLine(br *bufio.Reader, h hash.Hash) (text string, n int64, long bool, err error) {
	line, err := br.ReadSlice('\n')
	switch err {
	case nil:
		h.Write(line)
		return strings.TrimRight(string(line), "\r\n"), int64(len(line)), false, nil
	case bufio.ErrBufferFull:
	default:
		return "", 0, false, err
	}
	state, _ := h.(encoding.BinaryMarshaler).MarshalBinary()
	for {
		h.Write(line)
		n += int64(len(line))
		line, err = br.ReadSlice('\n')
		switch err {
		case nil:
			h.Write(line)
			return "", n + int64(len(line)), true, nil
		case bufio.ErrBufferFull:
		case io.EOF:
			h.(encoding.BinaryUnmarshaler).UnmarshalBinary(state)
			return "", 0, false, io.EOF
		default:
			return "", 0, false, err
		}
	}
}
