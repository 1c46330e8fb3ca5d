// Package client is the Go client of csplan for other backend services and
// the CLI: Dial with options, then call the generated service clients.
//
// It imports only the generated contract: a service that calls csplan must
// not link its implementation.
package client
