package site

import (
	"context"
	"fmt"
	"hash/maphash"
	"strings"

	"sxsh/generator/config"
	"sxsh/generator/diag"
)

// Session builds one site again and again into one folder, as sxsh serve
// does after every save. Its first build is a full one; after that, it
// reads only the content files that changed, renders only the output
// files whose inputs changed (see memory), writes them in place, and
// deletes the files of pages that are gone. The search index follows the
// pages: it is written after Build returns, and Wait waits for it.
//
// A Session is not safe for concurrent use.
type Session struct {
	opts Options
	mem  *memory // nil: the next build is a full one
	// search is closed when the last build's search index is written;
	// searchErrs says how that went.
	search     chan struct{}
	searchErrs diag.List
}

// NewSession returns a Session for opts; opts.Full is ignored.
func NewSession(opts Options) (*Session, error) {
	if opts.Destination == "" {
		return nil, fmt.Errorf("no destination folder")
	}
	return &Session{opts: opts}, nil
}

// Build brings the destination up to date after changes to the slash paths
// changed (relative to the site folder, as a watcher reports them); nil
// means anything may have changed, and builds everything. A change to
// site.toml builds everything too. On error the destination keeps what it
// had, except for the files of pages that were rendered before the error.
func (s *Session) Build(ctx context.Context, changed []string) (*Result, error) {
	if err := s.Wait(); err != nil {
		s.mem = nil // the index is not what the records say: start over
	}
	full := s.mem == nil || changed == nil
	for _, c := range changed {
		if c == config.File || c == "." || c == "" {
			full = true
		}
	}
	if full {
		s.mem = &memory{seed: maphash.MakeSeed()}
	} else {
		s.mem.pages.Forget(changed...)
		for _, c := range changed {
			if c == StaticDir || strings.HasPrefix(c, StaticDir+"/") {
				if s.mem.assets != nil {
					s.mem.oldAssets = s.mem.assets
				}
				s.mem.assets = nil
			}
		}
	}
	opts := s.opts
	opts.Full = true
	b, res, err := run(ctx, opts, false, s.mem)
	if err != nil {
		if full {
			s.mem = nil
		}
		return res, err
	}
	if b.deferSearch {
		done := make(chan struct{})
		s.search = done
		go func() {
			defer close(done)
			s.searchErrs = b.finishSearch(context.WithoutCancel(ctx))
		}()
	}
	return res, nil
}

// Wait waits until the search index of the last build is written and
// returns what went wrong writing it.
func (s *Session) Wait() error {
	if s.search == nil {
		return nil
	}
	<-s.search
	s.search = nil
	errs := s.searchErrs
	s.searchErrs = nil
	return errs.Err()
}
