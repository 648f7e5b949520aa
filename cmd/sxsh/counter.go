package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"sxsh/generator/counter"
)

const counterUsage = `Usage:
  sxsh counter [--addr 127.0.0.1:8081] [--db FILE] [--offset N] [--origin URL]... [--trust-proxy]
  sxsh counter import --db FILE --format combined|common|iis LOG...
  sxsh counter stats --db FILE [--days 30]
  sxsh counter feedback --db FILE [--since DATE] [--format text|csv|json]
  sxsh counter feedback --db FILE --delete-before DATE

The visitor counter that the pages' script calls when site.toml sets
[counter] endpoint; it also takes the messages of the site's feedback page
(POST /api/feedback). Run "sxsh counter <subcommand> --help" for the others.
`

// defaultCounterDB is the store's file when --db is not given.
const defaultCounterDB = "counter.db"

func runCounter(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		switch args[0] {
		case "import":
			return runCounterImport(args[1:], stdout, stderr)
		case "stats":
			return runCounterStats(args[1:], stdout, stderr)
		case "feedback":
			return runCounterFeedback(args[1:], stdout, stderr)
		}
	}
	fs := newFlags("counter", "counter [--addr 127.0.0.1:8081] [--db FILE] [--offset N] [--origin URL]... [--trust-proxy]", stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), counterUsage, "\nFlags:\n")
		fs.PrintDefaults()
	}
	addr := fs.String("addr", "127.0.0.1:8081", "listen on this `address`")
	db := fs.String("db", defaultCounterDB, "the counter's database `FILE`")
	offset := fs.Int64("offset", 0, "visits counted before the counter (kept in the database; given once is enough)")
	var origins []string
	fs.Func("origin", "a site `URL` whose pages may call the counter, like https://example.org (repeatable)", func(s string) error {
		s = strings.TrimSuffix(s, "/")
		if !strings.HasPrefix(s, "https://") && !strings.HasPrefix(s, "http://") || strings.Count(s, "/") != 2 {
			return fmt.Errorf("%q is not an origin like https://example.org", s)
		}
		origins = append(origins, s)
		return nil
	})
	trust := fs.Bool("trust-proxy", false, "take the client's address from X-Forwarded-For (behind a reverse proxy only)")
	if help, err := parse(fs, args, stdout); help || err != nil {
		return err
	}
	if *offset < 0 {
		return usagef("counter: --offset %d is negative", *offset)
	}
	store, err := counter.Open(*db)
	if err != nil {
		return err
	}
	defer store.Close()
	if flagSet(fs, "offset") {
		if err := store.SetOffset(*offset); err != nil {
			return err
		}
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	logger := log.New(stderr, "", log.LstdFlags)
	hits := counter.NewServer(store, counter.Options{Origins: origins, TrustProxy: *trust, Log: logger})
	srv := hits.HTTPServer(*addr)
	mux := http.NewServeMux()
	hits.Mount(mux)
	counter.NewFeedbackServer(store, counter.FeedbackOptions{Origins: origins, TrustProxy: *trust, Log: logger}).Mount(mux)
	srv.Handler = mux
	fmt.Fprintf(stdout, "sxsh counter: counting into %s, listening on http://%s/api/\n", *db, ln.Addr())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	// Let the hits being answered finish; each is committed before its
	// answer, so none is lost by stopping.
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return err
	}
	if err := <-done; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	fmt.Fprintln(stdout, "sxsh counter: stopped")
	return store.Close()
}

func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

func runCounterImport(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("counter import", "counter import --db FILE --format combined|common|iis LOG...", stderr)
	db := fs.String("db", defaultCounterDB, "the counter's database `FILE`")
	format := fs.String("format", "", "the logs' `format`: "+counter.FormatNames)
	// Logs follow the flags, so parse's check against arguments is not
	// wanted here.
	if wantsHelp(args) {
		fs.SetOutput(stdout)
		fs.Usage()
		return nil
	}
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			fs.SetOutput(stdout)
			fs.Usage()
			return nil
		}
		return reported{exitUsage}
	}
	if *format == "" {
		return usagef("counter import: --format is required (%s)", counter.FormatNames)
	}
	if fs.NArg() == 0 {
		return usagef("counter import: no log to import")
	}
	store, err := counter.Open(*db)
	if err != nil {
		return err
	}
	defer store.Close()
	im, err := counter.NewImporter(store, *format, time.Local)
	if err != nil {
		return usagef("counter import: %v", err)
	}
	var failed bool
	var bad int
	var firstBad string
	for _, name := range fs.Args() {
		res, err := importLog(im, name)
		if err != nil {
			fmt.Fprintf(stderr, "sxsh: %v\n", err)
			failed = true
			continue
		}
		fmt.Fprintln(stdout, res)
		if res.Changed {
			fmt.Fprintf(stderr, "sxsh: %s: it begins like a log imported before but its lines differ; it was counted as a new log\n", name)
		}
		if res.Bad > 0 && bad == 0 {
			firstBad = fmt.Sprintf("%s:%d (%s)", name, res.FirstBad, res.BadWhy)
		}
		bad += res.Bad
	}
	if bad > 0 {
		fmt.Fprintf(stderr, "sxsh: %d %s could not be read, first at %s\n", bad, plural(bad, "line", "lines"), firstBad)
	}
	if failed {
		return reported{exitContent}
	}
	return store.Close()
}

func importLog(im *counter.Importer, name string) (counter.FileResult, error) {
	f, err := os.Open(name)
	if err != nil {
		return counter.FileResult{}, err
	}
	defer f.Close()
	return im.ImportFile(name, f)
}

func runCounterStats(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("counter stats", "counter stats --db FILE [--days 30] [--top 20]", stderr)
	db := fs.String("db", defaultCounterDB, "the counter's database `FILE`")
	days := fs.Int("days", 30, "how many days to list, today included")
	top := fs.Int("top", 20, "how many pages to list")
	if help, err := parse(fs, args, stdout); help || err != nil {
		return err
	}
	if *days < 1 || *days > 3660 {
		return usagef("counter stats: --days must be 1 to 3660")
	}
	store, err := openExisting(*db)
	if err != nil {
		return err
	}
	defer store.Close()
	return counter.WriteStats(stdout, store, time.Now(), time.Local, *days, max(*top, 0))
}

func runCounterFeedback(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("counter feedback", "counter feedback --db FILE [--since DATE] [--format text|csv|json] [--delete-before DATE]", stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `Usage: sxsh counter feedback --db FILE [--since DATE] [--format text|csv|json]
       sxsh counter feedback --db FILE --delete-before DATE

Lists the messages that readers sent with the site's feedback page (hỏi đáp,
góp ý), oldest first; or deletes the ones received before a day. DATE is
YYYY-MM-DD, a day in this computer's time zone. Stop "sxsh counter" for the
moment it takes: the database is locked while it runs.

  sxsh counter feedback --db counter.db --since 2026-11-01
  sxsh counter feedback --db counter.db --format csv > gop-y.csv   (opens in Excel)

Flags:
`)
		fs.PrintDefaults()
	}
	db := fs.String("db", defaultCounterDB, "the counter's database `FILE`")
	since := fs.String("since", "", "list only the messages received on or after this `DATE` (YYYY-MM-DD)")
	format := fs.String("format", "text", "text (to read), csv (for Excel: UTF-8 with BOM) or json")
	before := fs.String("delete-before", "", "delete the messages received before this `DATE` (YYYY-MM-DD), and list none")
	if help, err := parse(fs, args, stdout); help || err != nil {
		return err
	}
	day := func(flag, s string) (time.Time, error) {
		if s == "" {
			return time.Time{}, nil
		}
		t, err := time.ParseInLocation(time.DateOnly, s, time.Local)
		if err != nil {
			return t, usagef("counter feedback: --%s %q is not a date like 2026-11-28", flag, s)
		}
		return t, nil
	}
	from, err := day("since", *since)
	if err != nil {
		return err
	}
	until, err := day("delete-before", *before)
	if err != nil {
		return err
	}
	switch {
	case *before != "" && (*since != "" || flagSet(fs, "format")):
		return usagef("counter feedback: --delete-before deletes and lists nothing: give it without --since and --format")
	case *format != "text" && *format != "csv" && *format != "json":
		return usagef("counter feedback: unknown --format %q: use one of %s", *format, counter.FeedbackFormats)
	}
	store, err := openExisting(*db)
	if err != nil {
		return err
	}
	defer store.Close()
	if *before != "" {
		n, err := store.DeleteFeedbackBefore(until)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "sxsh: deleted %d %s received before %s\n", n, plural(n, "message", "messages"), *before)
		return store.Close()
	}
	list, err := store.FeedbackSince(from)
	if err != nil {
		return err
	}
	return counter.WriteFeedback(stdout, list, *format, time.Local)
}

// openExisting opens the store of a report or an export, which must not
// make an empty one where the webmaster mistyped the path.
func openExisting(db string) (*counter.BoltStore, error) {
	if _, err := os.Stat(db); err != nil {
		return nil, fmt.Errorf("cannot open %s: %w", db, err)
	}
	return counter.Open(db)
}
