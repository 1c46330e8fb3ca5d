package server

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/csplan/csplan/internal/brake"
)

// doors holds what both transports check before they read a byte of a
// request's body: the bearer token, the brake on failed guesses, and the
// bound on calls in flight. Failing calls are counted and logged here,
// since they never reach the interceptors (interceptors.go) that count and
// log the rest.
type doors struct {
	tokens *Tokens
	brake  *brake.Brake
	calls  callSlots
	// openCalls bounds the calls in flight without a token: health
	// checks, scrapes, the API description.
	openCalls    callSlots
	firstMessage time.Duration
	logger       *slog.Logger
	rejected     *prometheus.CounterVec
	// draining is set once shutdown has begun: responses then ask clients
	// to close their connections.
	draining atomic.Bool
}

// maxOpenCalls bounds the calls in flight without a token, apart from the
// authenticated calls' bound: a flood of health checks must not crowd out
// valid calls, nor hold memory past a small bound.
const maxOpenCalls = 256

// Rejection reasons, the reason label of csplan_rejected_requests_total.
const (
	reasonUnauthenticated = "unauthenticated"
	reasonBraked          = "auth_failures"
	reasonBusy            = "busy"
	reasonMalformed       = "malformed"
	reasonTooLarge        = "too_large"
	reasonIncomplete      = "incomplete"
	reasonUnknownMethod   = "unknown_method"
	reasonFirstMessage    = "first_message_timeout"
)

func newDoors(cfg *Config) *doors {
	return &doors{
		tokens:       cfg.Tokens,
		brake:        brake.New(cfg.AuthFailureRate, cfg.AuthFailureBurst),
		calls:        callSlots{limit: int64(cfg.MaxStreams), what: "calls in flight (--max-streams)"},
		openCalls:    callSlots{limit: maxOpenCalls, what: "calls in flight without a token"},
		firstMessage: cfg.FirstRequestTimeout,
		logger:       cfg.Logger,
		rejected: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "csplan_rejected_requests_total",
			Help: "Requests refused before reaching a service: without a valid token, past a bound, or not decodable.",
		}, []string{"transport", "route", "reason"}),
	}
}

// reject counts a refused request and logs it at INFO: a caller's mistake
// (or an attack) is never an ERROR, which would page someone.
func (d *doors) reject(ctx context.Context, transport, route, reason string, peer net.Addr, msg string) {
	d.rejected.WithLabelValues(transport, route, reason).Inc()
	attrs := []slog.Attr{
		slog.String("transport", transport),
		slog.String("route", route),
		slog.String("reason", reason),
		slog.String("message", shortValues(msg)),
	}
	if peer != nil {
		attrs = append(attrs, slog.String("peer", peer.String()))
	}
	d.logger.LogAttrs(ctx, slog.LevelInfo, "request rejected", attrs...)
}

// failedAuth decides how to answer a bad token from peer: within the
// brake's allowance it is a plain failure; past it the answer is to wait.
// Only the first refusal of a run is logged, so a flood of guesses costs
// a log line, not a line per guess; every one is counted.
func (d *doors) failedAuth(ctx context.Context, transport, route string, peer net.Addr) brake.Verdict {
	v := d.brake.Fail(peer)
	switch {
	case v.Allowed:
		d.reject(ctx, transport, route, reasonUnauthenticated, peer, unauthenticatedMessage)
	case v.FirstRefusal:
		d.reject(ctx, transport, route, reasonBraked, peer, "too many failed authentications: refused until the peer slows down")
	default:
		d.rejected.WithLabelValues(transport, route, reasonBraked).Inc()
	}
	return v
}

// callSlots bounds calls in flight on all connections together; what
// names the bound in the refusal.
type callSlots struct {
	limit int64
	what  string
	n     atomic.Int64
}

// busyMessage is the refusal of a call past the bound.
func (c *callSlots) busyMessage() string {
	return fmt.Sprintf("the server is at its limit of %d %s: retry with backoff", c.limit, c.what)
}

func (c *callSlots) acquire() bool {
	if c.n.Add(1) > c.limit {
		c.n.Add(-1)
		return false
	}
	return true
}

func (c *callSlots) release() { c.n.Add(-1) }

// bearer returns the token of an Authorization value "Bearer <token>".
func bearer(value string) (string, bool) {
	scheme, token, ok := strings.Cut(value, " ")
	if !ok || !strings.EqualFold(scheme, "bearer") {
		return "", false
	}
	return strings.TrimSpace(token), true
}

// shortValueRunes is the most of one unbroken value an error message
// quotes: enough to recognise it, too little to echo a 4 MiB body back.
const shortValueRunes = 64

// maxMessageBytes bounds a whole error message, however its values are
// spaced.
const maxMessageBytes = 1024

// shortValues cuts every run of more than shortValueRunes characters
// without a space down to its first ones and an ellipsis, the whole
// message to about maxMessageBytes, and keeps it valid UTF-8 (parsers
// quote the bytes they choke on).
func shortValues(msg string) string {
	if len(msg) > 4*maxMessageBytes {
		msg = msg[:4*maxMessageBytes] // more than can be kept, whatever the runs
	}
	msg = strings.ToValidUTF8(msg, "\uFFFD")
	if len(msg) <= shortValueRunes {
		return msg
	}
	return capBytes(cutRuns(msg))
}

// capBytes cuts msg to at most maxMessageBytes bytes and an ellipsis, on a
// rune boundary.
func capBytes(msg string) string {
	if len(msg) <= maxMessageBytes {
		return msg
	}
	cut := maxMessageBytes
	for cut > 0 && !utf8.RuneStart(msg[cut]) {
		cut--
	}
	return msg[:cut] + "…"
}

func cutRuns(msg string) string {
	var b strings.Builder
	run := 0
	for _, r := range msg {
		if r == ' ' || r == '\n' {
			run = 0
			b.WriteRune(r)
			continue
		}
		run++
		switch {
		case run <= shortValueRunes:
			b.WriteRune(r)
		case run == shortValueRunes+1:
			b.WriteString("…")
		}
	}
	if b.Len() == len(msg) {
		return msg
	}
	return b.String()
}

// registerLimits reports the server's bounds in /metrics, one gauge per
// bound, so that dashboards can show how close to each the server runs.
func registerLimits(reg *prometheus.Registry, cfg *Config) {
	g := prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "csplan_limit",
		Help: "A bound of the server, by name (seconds for durations, bytes for sizes).",
	}, []string{"limit"})
	for name, v := range map[string]float64{
		"max_connections_per_listener": float64(cfg.MaxConnections),
		"max_streams_per_connection":   float64(cfg.MaxConcurrentStreams),
		"max_streams":                  float64(cfg.MaxStreams),
		"first_request_timeout":        cfg.FirstRequestTimeout.Seconds(),
		"auth_failure_burst":           float64(cfg.AuthFailureBurst),
		"auth_failure_rate":            cfg.AuthFailureRate,
		"max_body_bytes":               float64(cfg.MaxBodyBytes),
		"max_recv_bytes":               float64(cfg.MaxRecvMsgBytes),
		"max_line_bytes":               float64(cfg.MaxLineBytes),
		"unary_timeout":                cfg.UnaryTimeout.Seconds(),
		"stream_timeout":               cfg.StreamTimeout.Seconds(),
		"shutdown_timeout":             cfg.ShutdownTimeout.Seconds(),
		"drain_delay":                  cfg.DrainDelay.Seconds(),
	} {
		g.WithLabelValues(name).Set(v)
	}
	reg.MustRegister(g)
}
