package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"runtime/pprof"
	"time"

	"sxsh"
	"sxsh/generator/site"
)

// newFlags makes a command's flag set that reports mistakes as usage
// errors and prints its help on --help.
func newFlags(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: sxsh %s\n\nFlags:\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses args, turning flag's errors into usage errors and --help
// into success.
func parse(fs *flag.FlagSet, args []string, stdout io.Writer) (help bool, err error) {
	if wantsHelp(args) {
		fs.SetOutput(stdout)
		fs.Usage()
		return true, nil
	}
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			fs.SetOutput(stdout)
			fs.Usage()
			return true, nil
		}
		return false, reported{exitUsage}
	}
	if fs.NArg() > 0 {
		return false, usagef("%s: unexpected argument %q", fs.Name(), fs.Arg(0))
	}
	return false, nil
}

func runBuild(ctx context.Context, args []string, stdout, stderr io.Writer, m *messages) error {
	fs := newFlags("build", "build [--source DIR] [--destination DIR] [--force] [--baseURL URL] [--drafts]", stderr)
	source := fs.String("source", ".", "the site `DIR`ectory: site.toml, content/, layouts/, static/")
	dest := fs.String("destination", "", "where to publish (default: public/ in the site directory)")
	baseURL := fs.String("baseURL", "", "publish at this `URL` instead of site.toml's baseURL")
	drafts := fs.Bool("drafts", false, "include drafts and pages dated in the future")
	quiet := fs.Bool("quiet", false, "print nothing but errors")
	full := fs.Bool("full", false, "rebuild even if nothing changed since the last build")
	force := fs.Bool("force", false, "replace a --destination folder that holds files sxsh did not publish")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile of the build to `FILE` (for developers)")
	m.langFlag(fs)
	if help, err := parse(fs, args, stdout); help || err != nil {
		return err
	}
	src, dir, err := openSite("build", *source)
	if err != nil {
		return err
	}
	m.resolveSite(src)
	if *dest == "" {
		*dest = filepath.Join(*source, "public")
	}
	out, err := publishDir(*source, dir, *dest, *force)
	if err != nil {
		return err
	}
	// A soft memory limit keeps a large site's build within a small
	// server's memory: the collector works harder as the heap nears it.
	// GOMEMLIMIT, when set, decides instead.
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(buildMemoryLimit)
	}
	// Below that limit, the collector runs when the heap has tripled
	// rather than doubled since the last collection: half as often, which
	// spares a 1,000-article build about a twentieth of its CPU for 50 MB
	// more memory. GOGC, when set, decides instead.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(buildGCPercent)
	}
	if *cpuprofile != "" {
		if err := notASource(dir, *cpuprofile, "--cpuprofile"); err != nil {
			return err
		}
		f, err := os.Create(*cpuprofile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	var progress *site.Progress
	stop := func() {}
	if !*quiet && isTerminal(stderr) {
		progress = new(site.Progress)
		stop = showProgress(stderr, progress, m.tr, 2*time.Second, 250*time.Millisecond)
	}
	res, err := site.Build(ctx, site.Options{
		Source:      src,
		Dir:         dir,
		Defaults:    site.Defaults{Layouts: sxsh.Layouts(), Static: sxsh.Static()},
		Destination: out,
		BaseURL:     *baseURL,
		Drafts:      *drafts,
		Full:        *full,
		Version:     executableHash(),
		Progress:    progress,
		Waiting: func() {
			if !*quiet {
				fmt.Fprintf(stderr, "sxsh: %s\n", m.tr.Sprintf("another build of %s is running; this one starts when it ends…", *dest))
			}
		},
	})
	stop() // the progress line goes before anything else is printed
	if err != nil {
		return err
	}
	for _, w := range res.Warnings {
		fmt.Fprintln(stderr, m.tr.Diagnostic(w))
	}
	switch {
	case *quiet:
	case res.Unchanged:
		fmt.Fprintf(stdout, "sxsh: %s\n", m.tr.Format("%s is up to date: %s", *dest, res))
	default:
		fmt.Fprintf(stdout, "sxsh: %s\n", m.tr.Format("built %s into %s", res, *dest))
	}
	return nil
}

// executableHash identifies this sxsh binary, so that a new sxsh rebuilds
// a site the old one built. It is "" when the binary cannot be read; the
// up-to-date check then compares the site's files and options only.
func executableHash() string {
	exe, err := os.Executable()
	if err != nil {
		return ""
	}
	f, err := os.Open(exe)
	if err != nil {
		return ""
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return ""
	}
	return hex.EncodeToString(h.Sum(nil))
}

// buildMemoryLimit is the build's soft memory limit (see runBuild).
const buildMemoryLimit = 900 << 20

// buildGCPercent is the build's GOGC (see runBuild).
const buildGCPercent = 200

// wantsHelp reports whether the flags ask for help, which is answered on
// standard output before any other flag is looked at.
func wantsHelp(args []string) bool {
	for _, a := range args {
		switch a {
		case "-h", "-help", "--help":
			return true
		case "--":
			return false
		}
	}
	return false
}

// version reports the module version and VCS revision the binary was built
// from, as far as the Go toolchain recorded them.
func version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "(unknown)"
	}
	v := info.Main.Version
	for _, s := range info.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			v += " " + s.Value[:12]
		}
	}
	return v
}
