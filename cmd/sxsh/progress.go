package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"sxsh/generator/diag"
	"sxsh/generator/site"
	"sxsh/generator/vitext"
)

// isTerminal reports whether w is a terminal, where a progress line that
// rewrites itself is welcome; in a log file or a pipe it is noise.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// showProgress prints one line saying how many pages the build has drawn,
// rewritten in place every interval, once the build has taken longer than
// after: a short build prints nothing. stop ends it and clears the line.
func showProgress(w io.Writer, p *site.Progress, tr diag.Translator, after, interval time.Duration) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		select {
		case <-done:
			return
		case <-time.After(after):
		}
		tick := time.NewTicker(interval)
		defer tick.Stop()
		for {
			if total := p.Total.Load(); total > 0 {
				fmt.Fprintf(w, "\rsxsh: %s\033[K", tr.Sprintf("%s of %s pages drawn", vitext.FormatInt(tr.Lang(), p.Done.Load()), vitext.FormatInt(tr.Lang(), total)))
			} else {
				fmt.Fprintf(w, "\rsxsh: %s\033[K", tr.Msg("reading the site…"))
			}
			select {
			case <-done:
				fmt.Fprint(w, "\r\033[K")
				return
			case <-tick.C:
			}
		}
	})
	return func() {
		close(done)
		wg.Wait()
	}
}
