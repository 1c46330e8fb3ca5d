// Command baseline is the benchmark harness's floor for an HTTP call: a
// bare net/http server that answers every request with a fixed JSON body
// of about the size of csplan's REST answer, after reading the request's
// body as a real handler would.
//
// The harness (bench/) builds it and runs it as a process of its own,
// pinned to the CPU of the csplan server and at the server's GOGC, and
// reads its CPU time from /proc/<pid>/stat as it reads the server's. It
// is not part of csplan.
//
//	baseline -bytes 1900 [-addr 127.0.0.1:0] [-pprof-addr 127.0.0.1:0]
//
// Once listening it logs one JSON line, {"msg":"baseline serving",
// "http":<addr>,"gogc":<GOGC>} (and "pprof" with -pprof-addr), to stderr,
// and it serves until SIGINT or SIGTERM.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// readyMsg is the log message the harness waits for.
const readyMsg = "baseline serving"

// maxBody caps a request body as csplan serve's --max-body-bytes does by
// default.
const maxBody = 4 << 20

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "baseline:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("baseline", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:0", "listen address")
	size := fs.Int("bytes", 1900, "size of the JSON answer, at least")
	pprofAddr := fs.String("pprof-addr", "", "serve Go's CPU profile on this address; empty for none")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 || *size < 1 {
		return fmt.Errorf("usage: baseline -bytes N (N >= 1) [-addr host:port] [-pprof-addr host:port]")
	}
	lis, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	attrs := []any{"http", lis.Addr().String(), "gogc", gogc()}
	if *pprofAddr != "" {
		plis, err := net.Listen("tcp", *pprofAddr)
		if err != nil {
			lis.Close()
			return err
		}
		defer plis.Close()
		mux := http.NewServeMux()
		mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
		go (&http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}).Serve(plis)
		attrs = append(attrs, "pprof", plis.Addr().String())
	}
	srv := newServer(body(*size))
	done := make(chan error, 1)
	go func() { done <- srv.Serve(lis) }()
	slog.New(slog.NewJSONHandler(stderr, nil)).Info(readyMsg, attrs...)
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err = srv.Shutdown(sctx)
	if serr := <-done; !errors.Is(serr, http.ErrServerClosed) {
		err = errors.Join(err, serr)
	}
	return err
}

// newServer serves fixedJSON(answer) with the timeouts csplan serve gives
// its REST port by default, so that both pay for the same connection
// deadlines.
func newServer(answer []byte) *http.Server {
	return &http.Server{
		Handler:           fixedJSON(answer),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       40 * time.Second,
		WriteTimeout:      40 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
}

// fixedJSON answers every request with answer, after reading the
// request's body as a real handler would.
func fixedJSON(answer []byte) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, http.MaxBytesReader(w, r.Body, maxBody))
		w.Header().Set("Content-Type", "application/json")
		w.Write(answer)
	})
}

// body is a JSON document of at least n bytes shaped like an answer (an
// array of named figures).
func body(n int) []byte {
	b := []byte(`{"items":[`)
	for i := 0; len(b) < n-2; i++ {
		if i > 0 {
			b = append(b, ',')
		}
		b = fmt.Appendf(b, `{"name":"Figure %d","value":%d.25,"share":0.%03d}`, i, 1000+i, i%1000)
	}
	return append(b, "]}"...)
}

// gogc is the garbage collection percent this process runs at, as GOGC
// sets it.
func gogc() string {
	if v := os.Getenv("GOGC"); v != "" {
		return v
	}
	return "100"
}
