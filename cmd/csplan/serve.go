package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
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
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/csplan/csplan/server"
)

// stringList is a repeatable flag.
type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

type serveFlags struct {
	grpcAddr, httpAddr       string
	logFormat, logLevel      string
	shutdown                 time.Duration
	tokensFile               string
	insecure                 bool
	tlsCert, tlsKey, tlsCA   string
	corsOrigins              stringList
	maxBody                  int64
	maxRecv                  int
	maxUnary, maxStream      int
	maxLine                  int
	unaryTimeout, streamTime time.Duration
	maxConns, maxStreams     int
	maxConnStreams           uint
	firstRequest, drainDelay time.Duration
	authBurst                int
	authRate                 float64
	pprofAddr                string
	gcPercent                int
}

// defaultGCPercent is serve's garbage collection target. csplan's live heap
// is a few MiB, so at Go's default of 100 the collector runs every few MiB
// allocated: dozens of times a second under load, and for a 120-month
// forecast it costs more than the forecast itself. At 200 it runs a third
// less often for a heap of at most three times what is live. Higher still
// would cost a stream of a million accounts (whose exact quantiles keep 8
// bytes an account live) more memory than it is worth.
const defaultGCPercent = 200

func runServe(ctx context.Context, args []string, e env) error {
	fs := newFlagSet("serve", e)
	var f serveFlags
	fs.StringVar(&f.grpcAddr, "grpc-addr", envOr(e, "CSPLAN_GRPC_ADDR", "localhost:9090"), "gRPC listen address (env CSPLAN_GRPC_ADDR)")
	fs.StringVar(&f.httpAddr, "http-addr", envOr(e, "CSPLAN_HTTP_ADDR", "localhost:8080"), "REST/JSON listen address, empty for none (env CSPLAN_HTTP_ADDR)")
	fs.StringVar(&f.logFormat, "log-format", "text", "log format: text or json")
	fs.StringVar(&f.logLevel, "log-level", "info", "log level: debug, info, warn or error")
	fs.DurationVar(&f.shutdown, "shutdown-timeout", server.DefaultShutdownTimeout, "how long in-flight calls may finish after SIGINT/SIGTERM")
	fs.StringVar(&f.tokensFile, "auth-tokens-file", "", "file of accepted bearer tokens, one per line, plain or sha256:<hex>; reloaded on SIGHUP (env CSPLAN_AUTH_TOKENS: a comma-separated list)")
	fs.BoolVar(&f.insecure, "insecure", false, "allow binding non-loopback addresses without tokens")
	fs.StringVar(&f.tlsCert, "tls-cert", "", "TLS certificate (PEM) for both ports")
	fs.StringVar(&f.tlsKey, "tls-key", "", "TLS private key (PEM)")
	fs.StringVar(&f.tlsCA, "tls-client-ca", "", "CA bundle (PEM): require client certificates signed by it on gRPC (mTLS)")
	fs.Var(&f.corsOrigins, "cors-origin", "web origin allowed to call the REST API, e.g. https://app.example.com (repeatable)")
	fs.Int64Var(&f.maxBody, "max-body-bytes", server.DefaultMaxBodyBytes, "largest unary REST request body")
	fs.IntVar(&f.maxRecv, "max-recv-bytes", server.DefaultMaxRecvMsgBytes, "largest gRPC message")
	fs.IntVar(&f.maxUnary, "max-unary-accounts", server.DefaultMaxUnaryAccounts, "most accounts in one unary call (larger books must stream)")
	fs.IntVar(&f.maxStream, "max-stream-accounts", server.DefaultMaxStreamAccounts, "most accounts in one stream")
	fs.IntVar(&f.maxLine, "max-line-bytes", server.DefaultMaxLineBytes, "longest NDJSON line (one stream message) over REST")
	fs.DurationVar(&f.unaryTimeout, "unary-timeout", server.DefaultUnaryTimeout, "longest a unary call may run")
	fs.DurationVar(&f.streamTime, "stream-timeout", server.DefaultStreamTimeout, "longest a stream may run")
	fs.IntVar(&f.maxConns, "max-connections", server.DefaultMaxConnections, "most connections open at once on each listener; more wait to be accepted")
	fs.UintVar(&f.maxConnStreams, "max-streams-per-connection", uint(server.DefaultMaxConcurrentStreams), "most calls in flight on one connection (gRPC, and REST over HTTP/2)")
	fs.IntVar(&f.maxStreams, "max-streams", server.DefaultMaxStreams, "most calls in flight on all connections together; past it calls get RESOURCE_EXHAUSTED / 429")
	fs.DurationVar(&f.firstRequest, "first-request-timeout", server.DefaultFirstRequestTimeout, "how long a connection may stay without an authenticated request (its handshake included), and a call without its first message")
	fs.DurationVar(&f.drainDelay, "drain-delay", 0, "after SIGINT/SIGTERM, how long to keep serving with health NOT_SERVING and REST connections asked to close, before the listeners close")
	fs.IntVar(&f.authBurst, "auth-failure-burst", server.DefaultAuthFailureBurst, "failed authentications one address may make at once before it must slow down")
	fs.Float64Var(&f.authRate, "auth-failure-rate", server.DefaultAuthFailureRate, "failed authentications a second one address may make past its burst; past it: RESOURCE_EXHAUSTED / 429 with Retry-After")
	fs.IntVar(&f.gcPercent, "gc-percent", defaultGCPercent, "the garbage collector's target heap growth in percent, as GOGC sets it; GOGC in the environment overrides the default but not this flag")
	fs.StringVar(&f.pprofAddr, "pprof-addr", "", "serve Go's runtime profiles (net/http/pprof) on this loopback address; empty, the default, for none")
	if err := fs.Parse(args); err != nil {
		return usageFrom(err)
	}
	if fs.NArg() > 0 {
		return usagef("serve takes no arguments, got %q", fs.Args())
	}
	// Profiles show the server's internals and cost CPU to take: never on
	// an address other hosts reach, tokens or not.
	if f.pprofAddr != "" && !loopback(f.pprofAddr) {
		return usagef("--pprof-addr %s is not a loopback address", f.pprofAddr)
	}
	gcGiven := false
	fs.Visit(func(fl *flag.Flag) { gcGiven = gcGiven || fl.Name == "gc-percent" })
	gogc := e.getenv("GOGC")
	if gcGiven || gogc == "" {
		debug.SetGCPercent(f.gcPercent)
		gogc = strconv.Itoa(f.gcPercent)
	}
	logger, err := newLogger(e.stderr, f.logFormat, f.logLevel)
	if err != nil {
		return err
	}
	routeGRPCLogs(logger)
	if err := checkBounds(f); err != nil {
		return err
	}
	tokens, err := loadTokens(f.tokensFile, e.getenv("CSPLAN_AUTH_TOKENS"))
	if err != nil {
		return err
	}
	if tokens == nil && !f.insecure {
		for _, addr := range []string{f.grpcAddr, f.httpAddr} {
			if addr != "" && !loopback(addr) {
				return usagef("%s is not a loopback address and no tokens are set: give --auth-tokens-file (or CSPLAN_AUTH_TOKENS), or --insecure to serve it without authentication", addr)
			}
		}
	}
	tlsCfg, err := serverTLS(f.tlsCert, f.tlsKey, f.tlsCA)
	if err != nil {
		return err
	}

	grpcLis, err := net.Listen("tcp", f.grpcAddr)
	if err != nil {
		return fmt.Errorf("listen for gRPC: %w", err)
	}
	var httpLis net.Listener
	if f.httpAddr != "" {
		if httpLis, err = net.Listen("tcp", f.httpAddr); err != nil {
			grpcLis.Close()
			return fmt.Errorf("listen for REST: %w", err)
		}
	}
	var pprofLis net.Listener
	if f.pprofAddr != "" {
		if pprofLis, err = net.Listen("tcp", f.pprofAddr); err != nil {
			grpcLis.Close()
			if httpLis != nil {
				httpLis.Close()
			}
			return fmt.Errorf("listen for pprof: %w", err)
		}
		defer pprofLis.Close()
		go servePprof(pprofLis)
	}
	srv := server.New(server.Config{
		Logger:               logger,
		Tokens:               tokens,
		TLS:                  tlsCfg,
		CORSOrigins:          f.corsOrigins,
		ShutdownTimeout:      f.shutdown,
		MaxBodyBytes:         f.maxBody,
		MaxRecvMsgBytes:      f.maxRecv,
		MaxUnaryAccounts:     f.maxUnary,
		MaxStreamAccounts:    f.maxStream,
		MaxLineBytes:         f.maxLine,
		UnaryTimeout:         f.unaryTimeout,
		StreamTimeout:        f.streamTime,
		MaxConcurrentStreams: uint32(f.maxConnStreams),
		MaxConnections:       f.maxConns,
		MaxStreams:           f.maxStreams,
		FirstRequestTimeout:  f.firstRequest,
		DrainDelay:           f.drainDelay,
		AuthFailureBurst:     f.authBurst,
		AuthFailureRate:      f.authRate,
	})
	if tokens != nil && f.tokensFile != "" {
		go reloadTokensOnHUP(ctx, logger, f.tokensFile, tokens)
	}

	attrs := []any{"grpc", grpcLis.Addr().String(), "tls", tlsCfg != nil, "mtls", f.tlsCA != ""}
	if httpLis != nil {
		attrs = append(attrs, "http", httpLis.Addr().String())
	}
	if pprofLis != nil {
		attrs = append(attrs, "pprof", pprofLis.Addr().String())
	}
	attrs = append(attrs, "gogc", gogc)
	if tokens == nil {
		attrs = append(attrs, "auth", "off")
		if !f.insecure {
			logger.Warn("no auth tokens: serving on loopback only; give --auth-tokens-file to serve other hosts")
		}
	} else {
		attrs = append(attrs, "auth", "bearer", "tokens", tokens.Len())
	}
	logger.Info("csplan serving", attrs...)
	start := time.Now()
	err = srv.Serve(ctx, grpcLis, httpLis)
	logger.Info("csplan stopped", "uptime", time.Since(start).Round(time.Second).String())
	return err
}

// checkBounds refuses bounds that would mean no bound at all: the server
// takes zero for its default, which is not what a zero on the command
// line says.
func checkBounds(f serveFlags) error {
	for _, b := range []struct {
		name string
		ok   bool
	}{
		{"max-connections", f.maxConns > 0},
		{"max-streams", f.maxStreams > 0},
		{"max-streams-per-connection", f.maxConnStreams > 0 && f.maxConnStreams <= 1<<31-1},
		{"first-request-timeout", f.firstRequest > 0},
		{"auth-failure-burst", f.authBurst > 0},
		{"auth-failure-rate", f.authRate > 0},
	} {
		if !b.ok {
			return usagef("--%s must be positive", b.name)
		}
	}
	if f.drainDelay < 0 {
		return usagef("--drain-delay must not be negative")
	}
	return nil
}

// servePprof serves the runtime profiles on lis until it is closed.
func servePprof(lis net.Listener) {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	srv.Serve(lis)
}

// loadTokens reads the tokens file, or else the environment's list; nil
// means authentication is off.
func loadTokens(file, env string) (*server.Tokens, error) {
	switch {
	case file != "":
		return server.LoadTokens(file)
	case env != "":
		t, err := server.ParseTokenList(env)
		if err != nil {
			return nil, fmt.Errorf("CSPLAN_AUTH_TOKENS: %w", err)
		}
		return t, nil
	}
	return nil, nil
}

// reloadTokensOnHUP rereads the tokens file on SIGHUP. A file that fails to
// load keeps the tokens in force, so a bad edit does not lock everyone out.
func reloadTokensOnHUP(ctx context.Context, logger *slog.Logger, file string, tokens *server.Tokens) {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	for {
		select {
		case <-ctx.Done():
			return
		case <-hup:
			fresh, err := server.LoadTokens(file)
			if err != nil {
				logger.Error("reload of auth tokens failed; the previous tokens stay in force", "error", err)
				continue
			}
			tokens.Replace(fresh)
			logger.Info("auth tokens reloaded", "tokens", tokens.Len())
		}
	}
}

// loopback reports whether addr (host:port) binds only loopback interfaces.
// An empty host binds every interface, so it is not loopback.
func loopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil || host == "" {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// serverTLS builds the server's TLS configuration from PEM files; nil
// without a certificate.
func serverTLS(certFile, keyFile, clientCAFile string) (*tls.Config, error) {
	if certFile == "" && keyFile == "" {
		if clientCAFile != "" {
			return nil, usagef("--tls-client-ca needs --tls-cert and --tls-key")
		}
		return nil, nil
	}
	if certFile == "" || keyFile == "" {
		return nil, usagef("give both --tls-cert and --tls-key")
	}
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return nil, fmt.Errorf("load TLS key pair: %w", err)
	}
	cfg := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	if clientCAFile != "" {
		pool, err := certPool(clientCAFile)
		if err != nil {
			return nil, err
		}
		cfg.ClientCAs = pool
		cfg.ClientAuth = tls.RequireAndVerifyClientCert
	}
	return cfg, nil
}

func certPool(file string) (*x509.CertPool, error) {
	pem, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("%s: no PEM certificates found", file)
	}
	return pool, nil
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
	if errors.Is(err, flag.ErrHelp) {
		return err
	}
	return usageError{err.Error()}
}
