package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"sync/atomic"

	"google.golang.org/grpc/grpclog"
)

// gRPC and its gateway log through grpclog, by default as plain text to
// stderr whatever --log-format says, and at ERROR for what are a caller's
// mistakes ("Failed to decode request" when a client cuts its stream).
// serve routes them to its own logger at DEBUG instead: the server logs
// every call and rejection itself, at the level it deserves.

var (
	grpcLogger  atomic.Pointer[slog.Logger]
	grpcLogOnce sync.Once
)

// routeGRPCLogs sends grpclog's lines to logger. grpclog's logger is
// global and must be set before gRPC runs, so it is set once, to a logger
// that forwards to the one of the latest serve.
func routeGRPCLogs(logger *slog.Logger) {
	grpcLogger.Store(logger)
	grpcLogOnce.Do(func() { grpclog.SetLoggerV2(grpcLog{}) })
}

type grpcLog struct{}

func (grpcLog) log(level slog.Level, msg string) {
	if l := grpcLogger.Load(); l != nil {
		l.LogAttrs(context.Background(), level, msg, slog.String("source", "grpc"))
	}
}

func (g grpcLog) Info(args ...any)   { g.log(slog.LevelDebug, fmt.Sprint(args...)) }
func (g grpcLog) Infoln(args ...any) { g.log(slog.LevelDebug, fmt.Sprint(args...)) }
func (g grpcLog) Infof(format string, args ...any) {
	g.log(slog.LevelDebug, fmt.Sprintf(format, args...))
}
func (g grpcLog) Warning(args ...any)   { g.log(slog.LevelDebug, fmt.Sprint(args...)) }
func (g grpcLog) Warningln(args ...any) { g.log(slog.LevelDebug, fmt.Sprint(args...)) }
func (g grpcLog) Warningf(format string, args ...any) {
	g.log(slog.LevelDebug, fmt.Sprintf(format, args...))
}
func (g grpcLog) Error(args ...any)   { g.log(slog.LevelDebug, fmt.Sprint(args...)) }
func (g grpcLog) Errorln(args ...any) { g.log(slog.LevelDebug, fmt.Sprint(args...)) }
func (g grpcLog) Errorf(format string, args ...any) {
	g.log(slog.LevelDebug, fmt.Sprintf(format, args...))
}

// Fatal lines mean gRPC itself cannot go on.
func (g grpcLog) Fatal(args ...any)                 { g.fatal(fmt.Sprint(args...)) }
func (g grpcLog) Fatalln(args ...any)               { g.fatal(fmt.Sprint(args...)) }
func (g grpcLog) Fatalf(format string, args ...any) { g.fatal(fmt.Sprintf(format, args...)) }

func (g grpcLog) fatal(msg string) {
	g.log(slog.LevelError, msg)
	os.Exit(1)
}

// V reports whether gRPC's verbose lines are wanted: only when the
// logger takes DEBUG.
func (grpcLog) V(int) bool {
	l := grpcLogger.Load()
	return l != nil && l.Enabled(context.Background(), slog.LevelDebug)
}
