package server

import (
	"context"
	"crypto/tls"
	"net"

	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
)

// inMemoryNetwork is the network name of bufconn's addresses.
const inMemoryNetwork = "bufconn"

// tlsExceptInMemory serves TLS on real connections and plaintext on the
// server's in-memory listener: those connections never leave the process,
// and the gateway needs no client certificate of its own when mTLS is on.
type tlsExceptInMemory struct {
	tls   credentials.TransportCredentials
	plain credentials.TransportCredentials
}

func newTLSExceptInMemory(cfg *tls.Config) credentials.TransportCredentials {
	return &tlsExceptInMemory{tls: credentials.NewTLS(cfg), plain: insecure.NewCredentials()}
}

func (c *tlsExceptInMemory) ServerHandshake(conn net.Conn) (net.Conn, credentials.AuthInfo, error) {
	if conn.LocalAddr().Network() == inMemoryNetwork {
		return c.plain.ServerHandshake(conn)
	}
	return c.tls.ServerHandshake(conn)
}

func (c *tlsExceptInMemory) ClientHandshake(ctx context.Context, authority string, conn net.Conn) (net.Conn, credentials.AuthInfo, error) {
	return c.tls.ClientHandshake(ctx, authority, conn)
}

func (c *tlsExceptInMemory) Info() credentials.ProtocolInfo { return c.tls.Info() }

func (c *tlsExceptInMemory) Clone() credentials.TransportCredentials {
	return &tlsExceptInMemory{tls: c.tls.Clone(), plain: c.plain.Clone()}
}

// OverrideServerName is required by the interface, which gRPC no longer
// calls.
func (c *tlsExceptInMemory) OverrideServerName(name string) error {
	//lint:ignore SA1019 the interface still requires forwarding it
	return c.tls.OverrideServerName(name)
}
