package main

import (
	"context"
	"crypto/tls"
	"flag"
	"fmt"
	"time"

	"github.com/csplan/csplan/client"
	"github.com/csplan/csplan/server"
)

// clientFlags are the flags every client subcommand shares.
type clientFlags struct {
	server   string
	output   string
	timeout  time.Duration
	token    string
	useTLS   bool
	ca       string
	cert     string
	key      string
	hostname string
}

// streamTimeout is the default deadline of commands that stream a book:
// a CRM export of millions of accounts takes longer than a unary call.
const streamTimeout = 10 * time.Minute

func (c *clientFlags) register(fs *flag.FlagSet, e env) {
	c.registerWithTimeout(fs, e, client.DefaultTimeout)
}

// registerStream registers the flags of a command that streams a book.
func (c *clientFlags) registerStream(fs *flag.FlagSet, e env) {
	c.registerWithTimeout(fs, e, streamTimeout)
}

func (c *clientFlags) registerWithTimeout(fs *flag.FlagSet, e env, timeout time.Duration) {
	fs.StringVar(&c.server, "server", e.getenv("CSPLAN_SERVER"), "csplan gRPC address (env CSPLAN_SERVER); empty runs the services in this process")
	fs.StringVar(&c.output, "o", "table", "output: table or json")
	fs.DurationVar(&c.timeout, "timeout", timeout, "deadline of the call")
	fs.StringVar(&c.token, "token", e.getenv("CSPLAN_TOKEN"), "bearer token for a server with authentication (env CSPLAN_TOKEN)")
	fs.BoolVar(&c.useTLS, "tls", false, "connect with TLS, verifying the server against the system's roots (implied by --ca and --cert)")
	fs.StringVar(&c.ca, "ca", "", "CA bundle (PEM) to verify the server with")
	fs.StringVar(&c.cert, "cert", "", "client certificate (PEM), for a server that requires mTLS")
	fs.StringVar(&c.key, "key", "", "client private key (PEM)")
	fs.StringVar(&c.hostname, "server-name", "", "name to verify the server's certificate against, when it differs from --server's host")
}

func (c *clientFlags) validate() error {
	if c.output != "table" && c.output != "json" {
		return usagef("-o: %q is not table or json", c.output)
	}
	if (c.cert == "") != (c.key == "") {
		return usagef("give both --cert and --key")
	}
	return nil
}

// tlsConfig is nil for plaintext (the default, for a server on loopback).
func (c *clientFlags) tlsConfig() (*tls.Config, error) {
	if !c.useTLS && c.ca == "" && c.cert == "" {
		return nil, nil
	}
	cfg := &tls.Config{MinVersion: tls.VersionTLS12, ServerName: c.hostname}
	if c.ca != "" {
		pool, err := certPool(c.ca)
		if err != nil {
			return nil, err
		}
		cfg.RootCAs = pool
	}
	if c.cert != "" {
		pair, err := tls.LoadX509KeyPair(c.cert, c.key)
		if err != nil {
			return nil, fmt.Errorf("load client key pair: %w", err)
		}
		cfg.Certificates = []tls.Certificate{pair}
	}
	return cfg, nil
}

// connect returns a client of the remote server named by --server, or of
// services started in this process on an in-memory listener (the same gRPC
// server, interceptors included). The returned func releases it.
func (c *clientFlags) connect(ctx context.Context) (*client.Client, func(), error) {
	if c.server == "" {
		return inProcess(ctx)
	}
	tlsCfg, err := c.tlsConfig()
	if err != nil {
		return nil, nil, err
	}
	opts := []client.Option{client.WithTimeout(c.timeout)}
	if tlsCfg == nil {
		opts = append(opts, client.WithInsecure())
	} else {
		opts = append(opts, client.WithTLS(tlsCfg))
	}
	if c.token != "" {
		opts = append(opts, client.WithToken(c.token))
	}
	cl, err := client.Dial(ctx, c.server, opts...)
	if err != nil {
		return nil, nil, fmt.Errorf("connect to %s: %w", c.server, err)
	}
	return cl, func() { cl.Close() }, nil
}

func inProcess(ctx context.Context) (*client.Client, func(), error) {
	srv := server.New(server.Config{})
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, nil, nil) }()
	conn, err := srv.InMemoryConn()
	if err != nil {
		cancel()
		<-done
		return nil, nil, err
	}
	cl, err := client.Dial(ctx, "", client.WithConn(conn))
	if err != nil {
		conn.Close()
		cancel()
		<-done
		return nil, nil, err
	}
	return cl, func() {
		conn.Close()
		cancel()
		<-done
	}, nil
}

// callContext bounds one call by --timeout.
func (c *clientFlags) callContext(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, c.timeout)
}
