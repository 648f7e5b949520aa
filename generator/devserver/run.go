package devserver

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"sxsh/generator/diag"
)

// BuildFunc builds the site into the served folder and tells how it went
// (see Outcome): its summary follows "built" after the first build and
// "rebuilt in N ms (files):" after the others. changed lists the slash
// paths, relative to the site folder, that changed since the last build;
// nil means the whole site (the first build, or lost events), so that a
// build may redo only what the changes touch.
//
// A build that cannot publish at all (site.toml or a layout is broken)
// leaves the folder as it was and returns its diagnostics as the error, a
// diag.List where it can: every page shows the error page. A build that
// publishes every page but the broken ones returns no error and lists
// their errors in Outcome.Errors.
type BuildFunc func(ctx context.Context, changed []string) (Outcome, error)

// Config is what Run needs; Listener, Source, Output and Build are required.
type Config struct {
	Listener net.Listener // from Listen
	Source   string       // the site folder, watched for changes
	Output   string       // the folder Build writes and the server serves
	Build    BuildFunc
	Stdout   io.Writer       // the address and one line per build; nil for none
	Stderr   io.Writer       // the diagnostics of failed builds; nil for none
	Messages diag.Translator // the language of the lines printed and of the error page

	Quiet     time.Duration // see WatchOptions.Quiet
	Heartbeat time.Duration // see NewBroker
	Ignore    []string      // folders whose changes never count, besides Output
}

// PortInUseError says that another program already listens on the port.
type PortInUseError struct {
	Port int
}

// Error tells what to do about it.
func (e *PortInUseError) Error() string {
	return fmt.Sprintf("port %d is already in use: stop the other server or use --port %d", e.Port, e.Port+1)
}

// Listen opens the TCP port that Run serves on. Port 0 picks a free port;
// URL tells which.
func Listen(bind string, port int) (net.Listener, error) {
	if port < 0 || port > 65535 {
		return nil, fmt.Errorf("port %d is not between 0 and 65535", port)
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(bind, strconv.Itoa(port)))
	if err != nil {
		if errors.Is(err, syscall.EADDRINUSE) {
			return nil, &PortInUseError{Port: port}
		}
		return nil, fmt.Errorf("cannot listen on %s port %d: %v", bind, port, unwrapOp(err))
	}
	return ln, nil
}

// unwrapOp drops the "listen tcp 1.2.3.4:5:" prefix that repeats what the
// message already says.
func unwrapOp(err error) error {
	var op *net.OpError
	if errors.As(err, &op) && op.Err != nil {
		return op.Err
	}
	return err
}

// URL is the address a browser on this machine opens for addr: a server
// listening on every interface is reached through the loopback one.
func URL(addr net.Addr) string {
	host, port, err := net.SplitHostPort(addr.String())
	if err != nil {
		return "http://" + addr.String() + "/"
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		// Listening on every address (0.0.0.0 is [::] on a dual-stack
		// machine): the machine's own browser reaches it at 127.0.0.1.
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port) + "/"
}

// Run builds the site, serves it on cfg.Listener and rebuilds after every
// burst of changes to the sources until ctx is done, then stops the server
// and returns nil. A failed build never stops it: the error page shows the
// diagnostics, or, when the build published the pages it could, every page
// lists them, until a build succeeds again. Run closes the listener.
func Run(ctx context.Context, cfg Config) error {
	if cfg.Listener == nil || cfg.Build == nil || cfg.Source == "" || cfg.Output == "" {
		return errors.New("devserver: Listener, Source, Output and Build are required")
	}
	defer cfg.Listener.Close()
	if cfg.Stdout == nil {
		cfg.Stdout = io.Discard
	}
	if cfg.Stderr == nil {
		cfg.Stderr = io.Discard
	}
	// The server reads the folder before the first build ends; an empty
	// folder answers "not found" rather than waiting for it to appear.
	if err := os.MkdirAll(cfg.Output, 0o755); err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	// Watching starts before the first build, so that an edit made while
	// it runs is not lost.
	w, err := Watch(ctx, cfg.Source, WatchOptions{Quiet: cfg.Quiet, Ignore: append([]string{cfg.Output}, cfg.Ignore...)})
	if err != nil {
		return fmt.Errorf("cannot watch %s: %v", cfg.Source, err)
	}
	defer func() { <-w.Done() }()
	defer cancel()

	broker := NewBroker(cfg.Heartbeat)
	srv := NewServer(cfg.Output, broker, cfg.Messages)
	r := &runner{cfg: cfg, srv: srv, broker: broker}
	if !r.build(ctx, nil) {
		return nil
	}

	hs := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: 10 * time.Second,
		// Request contexts end with ctx, so that open event streams let
		// Shutdown finish.
		BaseContext: func(net.Listener) context.Context { return ctx },
	}
	served := make(chan error, 1)
	go func() { served <- hs.Serve(cfg.Listener) }()
	fmt.Fprintln(cfg.Stdout, cfg.Messages.Sprintf("Serving %s — Ctrl+C to stop", URL(cfg.Listener.Addr())))

	for {
		select {
		case <-ctx.Done():
			cancel()
			sctx, scancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer scancel()
			_ = hs.Shutdown(sctx)
			<-served
			return nil
		case err := <-served:
			return fmt.Errorf("the server stopped: %v", err)
		case changed, ok := <-w.Changes():
			if !ok {
				continue // ctx is done: the case above follows
			}
			r.build(ctx, changed)
		}
	}
}

// runner runs builds and tells the server and the browsers how they went.
type runner struct {
	cfg    Config
	srv    *Server
	broker *Broker
	builds int
}

// build runs one build and reports whether Run should go on (false once ctx
// is done).
func (r *runner) build(ctx context.Context, changed []string) bool {
	start := time.Now()
	out, err := r.cfg.Build(ctx, changed)
	if ctx.Err() != nil {
		return false
	}
	r.builds++
	if err == nil && len(out.Errors) > 0 {
		r.srv.SetOutcome(out)
		tr := r.cfg.Messages
		fmt.Fprintln(r.cfg.Stderr, tr.Error(out.Errors))
		n := len(out.Errors)
		fmt.Fprintln(r.cfg.Stderr, tr.Sprintf("built with %d %s: the pages that have %s are left out, and every page lists %s until %s fixed",
			n, plural(n, "error", "errors"), plural(n, "it", "them"), plural(n, "it", "them"), plural(n, "it is", "they are")))
		r.broker.Publish("error", tr.Error(out.Errors))
		return true
	}
	if err != nil {
		list := asList(err)
		r.srv.SetErrors(list)
		tr := r.cfg.Messages
		fmt.Fprintln(r.cfg.Stderr, tr.Error(list))
		n := len(list.Errors())
		if n == 0 {
			n = len(list)
		}
		fmt.Fprintln(r.cfg.Stderr, tr.Sprintf("build failed: %d %s; the pages show %s until %s fixed",
			n, plural(n, "error", "errors"), plural(n, "it", "them"), plural(n, "it is", "they are")))
		r.broker.Publish("error", tr.Error(list))
		return true
	}
	r.srv.SetOutcome(out)
	summary := out.Summary
	if r.builds == 1 && changed == nil {
		fmt.Fprintln(r.cfg.Stdout, r.cfg.Messages.Sprintf("built %s", summary))
	} else {
		what := ""
		if summary != "" {
			what = ": " + summary
		}
		fmt.Fprintln(r.cfg.Stdout, r.cfg.Messages.Sprintf("rebuilt in %d ms%s%s", time.Since(start).Milliseconds(), describe(changed), what))
	}
	r.broker.Publish("reload", summary)
	return true
}

// asList turns a build's error into the diagnostics the error page lists.
func asList(err error) diag.List {
	var l diag.List
	l.AddError("", err)
	if len(l) == 0 {
		l.Add(&diag.Diagnostic{Msg: err.Error()})
	}
	return l
}

// describe names the changed files after "rebuilt in N ms".
func describe(changed []string) string {
	switch n := len(changed); {
	case changed == nil:
		return ""
	case n <= 3:
		return " (" + strings.Join(changed, ", ") + ")"
	default:
		return fmt.Sprintf(" (%s and %d more)", strings.Join(changed[:2], ", "), n-2)
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
