package main

import (
	"context"
	"flag"
	"fmt"
	"time"

	"github.com/csplan/csplan/client"
	"github.com/csplan/csplan/server"
)

// clientFlags are the flags every client subcommand shares.
type clientFlags struct {
	server  string
	output  string
	timeout time.Duration
}

func (c *clientFlags) register(fs *flag.FlagSet, e env) {
	fs.StringVar(&c.server, "server", e.getenv("CSPLAN_SERVER"), "csplan gRPC address (env CSPLAN_SERVER); empty runs the services in this process")
	fs.StringVar(&c.output, "o", "table", "output: table or json")
	fs.DurationVar(&c.timeout, "timeout", client.DefaultTimeout, "deadline of the call")
}

func (c *clientFlags) validate() error {
	if c.output != "table" && c.output != "json" {
		return usagef("-o: %q is not table or json", c.output)
	}
	return nil
}

// connect returns a client of the remote server named by --server, or of
// services started in this process on an in-memory listener (the same gRPC
// server, interceptors included). The returned func releases it.
func (c *clientFlags) connect(ctx context.Context) (*client.Client, func(), error) {
	if c.server != "" {
		cl, err := client.Dial(ctx, c.server, client.WithInsecure(), client.WithTimeout(c.timeout))
		if err != nil {
			return nil, nil, fmt.Errorf("connect to %s: %w", c.server, err)
		}
		return cl, func() { cl.Close() }, nil
	}
	return inProcess(ctx)
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
