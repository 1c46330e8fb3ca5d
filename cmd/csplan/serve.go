package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"time"

	"github.com/csplan/csplan/server"
)

func runServe(ctx context.Context, args []string, e env) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	grpcAddr := fs.String("grpc-addr", envOr(e, "CSPLAN_GRPC_ADDR", "localhost:9090"), "gRPC listen address (env CSPLAN_GRPC_ADDR)")
	httpAddr := fs.String("http-addr", envOr(e, "CSPLAN_HTTP_ADDR", "localhost:8080"), "REST/JSON listen address, empty for none (env CSPLAN_HTTP_ADDR)")
	logFormat := fs.String("log-format", "text", "log format: text or json")
	logLevel := fs.String("log-level", "info", "log level: debug, info, warn or error")
	shutdown := fs.Duration("shutdown-timeout", server.DefaultShutdownTimeout, "how long in-flight calls may finish after SIGINT/SIGTERM")
	maxBody := fs.Int64("max-body-bytes", server.DefaultMaxBodyBytes, "largest REST request body")
	if err := fs.Parse(args); err != nil {
		return usageFrom(err)
	}
	if fs.NArg() > 0 {
		return usagef("serve takes no arguments, got %q", fs.Args())
	}
	logger, err := newLogger(e.stderr, *logFormat, *logLevel)
	if err != nil {
		return err
	}

	grpcLis, err := net.Listen("tcp", *grpcAddr)
	if err != nil {
		return fmt.Errorf("listen for gRPC: %w", err)
	}
	var httpLis net.Listener
	if *httpAddr != "" {
		if httpLis, err = net.Listen("tcp", *httpAddr); err != nil {
			grpcLis.Close()
			return fmt.Errorf("listen for REST: %w", err)
		}
	}
	srv := server.New(server.Config{Logger: logger, ShutdownTimeout: *shutdown, MaxBodyBytes: *maxBody})
	attrs := []any{"grpc", grpcLis.Addr().String()}
	if httpLis != nil {
		attrs = append(attrs, "http", httpLis.Addr().String())
	}
	logger.Info("csplan serving", attrs...)
	start := time.Now()
	err = srv.Serve(ctx, grpcLis, httpLis)
	logger.Info("csplan stopped", "uptime", time.Since(start).Round(time.Second).String())
	return err
}

func newLogger(w io.Writer, format, level string) (*slog.Logger, error) {
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(level)); err != nil {
		return nil, usagef("--log-level: %q is not one of debug, info, warn, error", level)
	}
	opts := &slog.HandlerOptions{Level: lvl}
	switch strings.ToLower(format) {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	default:
		return nil, usagef("--log-format: %q is not text or json", format)
	}
}

func envOr(e env, key, def string) string {
	if v := e.getenv(key); v != "" {
		return v
	}
	return def
}

// usageFrom turns a flag parsing error into a usage error (exit 2), keeping
// -h as a plain request for help.
func usageFrom(err error) error {
	if err == flag.ErrHelp {
		return err
	}
	return usageError{err.Error()}
}
