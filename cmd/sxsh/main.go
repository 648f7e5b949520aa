// Command sxsh builds the bilingual website of a cleaner-production
// programme from Markdown: see README.md.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"sxsh/generator/diag"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(exitCode(err))
}

// Exit codes, as documented in the README.
const (
	exitOK      = 0
	exitContent = 1 // the site has errors
	exitUsage   = 2 // the command line is wrong
)

// usageError is a mistake on the command line.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{fmt.Sprintf(format, args...)}
}

// reported marks an error whose details were already printed.
type reported struct{ code int }

func (r reported) Error() string { return fmt.Sprintf("exit %d", r.code) }

func exitCode(err error) int {
	var u *usageError
	var r reported
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &r):
		return r.code
	case errors.As(err, &u):
		return exitUsage
	}
	return exitContent
}

const usage = `sxsh builds the bilingual cleaner-production website from Markdown.

Usage:
  sxsh <command> [flags]

Commands:
  build     build the site into public/
  serve     preview the site at http://127.0.0.1:1313/, rebuilt on every save
  counter   run the visitor counter and feedback form; import logs; stats; feedback
  new       make a new content file: sxsh new article "Tiêu đề"
  check     report every problem of the site at once, publishing nothing
  import    make an sxsh site from a Hugo site: sxsh import hugo DIR
  version   print the version

Run "sxsh <command> --help" for a command's flags.
Messages are in Vietnamese; "sxsh --lang en <command>" shows them in English.
Exit status: 0 success, 1 errors in the site, 2 wrong usage.
`

// run is the whole program, testable without a process: args excludes
// the program name.
//
// Messages are in the language that messages documents: the environment
// is read here, so that a test can set it with t.Setenv.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	m := newMessages(os.Getenv)
	args, err := m.globalLang(args)
	if err == nil && len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return reported{exitUsage}
	}
	if err == nil {
		switch cmd, rest := args[0], args[1:]; cmd {
		case "build":
			err = runBuild(ctx, rest, stdout, stderr, m)
		case "serve":
			err = runServe(ctx, rest, stdout, stderr, m)
		case "counter":
			err = runCounter(ctx, rest, stdout, stderr)
		case "new":
			err = runNew(ctx, rest, stdout, stderr, m)
		case "check":
			err = runCheck(ctx, rest, stdout, stderr, m)
		case "import":
			err = runImport(ctx, rest, stdout, stderr, m)
		case "version", "--version":
			fmt.Fprintln(stdout, "sxsh", version())
		case "help", "-h", "-help", "--help":
			fmt.Fprint(stdout, usage)
		default:
			err = usagef("unknown command %q", cmd)
		}
	}
	var u *usageError
	var list diag.List
	switch {
	case errors.As(err, &u):
		fmt.Fprintf(stderr, "sxsh: %s\n%s\n", m.tr.Msg(u.msg), m.tr.Msg(`Run "sxsh --help" for usage.`))
	case errors.As(err, &list):
		fmt.Fprintln(stderr, m.tr.Error(list))
		n := len(list.Errors())
		fmt.Fprintf(stderr, "sxsh: %s\n", m.tr.Sprintf("%d %s; nothing was published", n, plural(n, "error", "errors")))
		return reported{exitContent}
	case err != nil && !errors.As(err, new(reported)):
		fmt.Fprintf(stderr, "sxsh: %s\n", m.tr.Error(err))
	}
	return err
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
