//go:build soak

package soak

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
)

// The soak's attack classes: each is one of the attacks of attacks_test.go
// in small, mixed with everything else, so that they stay fixed under load.

var bigLine = bytes.Repeat([]byte("x"), 1<<20)

// wrongTokenBigStream starts a stream with a wrong token and an unfinished
// line of a MiB: the refusal must come without the body being read.
func wrongTokenBigStream(addr string) (bool, string, string) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return false, "dial error", err.Error()
	}
	defer c.Close()
	c.(*net.TCPConn).SetWriteBuffer(64 << 10)
	fmt.Fprintf(c, "POST /v1/segments:assignStream HTTP/1.1\r\nHost: csplan\r\nAuthorization: Bearer %s\r\nContent-Length: 4000000\r\n\r\n", "not-the-token-0000")
	go func() {
		io.WriteString(c, `{"rules":{"segments":[{"name":"All"}]}}`+"\n"+`{"batch":{"accounts":[{"id":"`)
		c.Write(bigLine)
	}()
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	var status [12]byte
	if _, err := io.ReadFull(c, status[:]); err != nil {
		return false, "no answer", err.Error()
	}
	code, _ := strconv.Atoi(string(status[9:12]))
	return refusedHTTP(code), "http " + strconv.Itoa(code), fmt.Sprintf("got %q", status)
}

// malformedWrongToken sends what the server cannot parse with a wrong
// token: the answer is the refusal, never the parser's message.
func malformedWrongToken(conn *grpc.ClientConn, addr string, rng *rand.Rand) (bool, string, string) {
	if rng.IntN(2) == 0 {
		ctx := metadata.AppendToOutgoingContext(context.Background(), "authorization", "Bearer not-the-token-0000")
		var out []byte
		err := conn.Invoke(ctx, csplanv1.CapacityService_EvaluateTeam_FullMethodName, []byte{0x0a, 0xff, 0xff}, &out, grpc.ForceCodec(rawCodec{}))
		c := status.Code(err)
		return refusedGRPC(c), "grpc " + c.String(), fmt.Sprintf("got %v", err)
	}
	req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/v1/capacity:evaluate", strings.NewReader(`{"csmCount":`))
	req.Header.Set("Authorization", "Bearer not-the-token-0000")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return false, "http error", err.Error()
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	ok := refusedHTTP(resp.StatusCode) && !strings.Contains(string(body), "unexpected")
	return ok, "http " + strconv.Itoa(resp.StatusCode), fmt.Sprintf("got %d %.200s", resp.StatusCode, body)
}

// idleConnection opens a gRPC connection and sends nothing: the server
// must close it at the first-request deadline.
func idleConnection(addr string) (bool, string, string) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return false, "dial error", err.Error()
	}
	defer c.Close()
	start := time.Now()
	c.SetReadDeadline(start.Add(firstRequest + 5*time.Second))
	_, err = io.Copy(io.Discard, c)
	if err != nil {
		return false, "idle connection kept", fmt.Sprintf("not closed by the server: %v", err)
	}
	return true, "idle connection closed", ""
}

// guessFlood makes a quick run of wrong guesses, then a valid call from the
// same address, which must be served whatever the brake says.
func guessFlood(authed context.Context, conn *grpc.ClientConn, hc *http.Client, addr string) (bool, string, string) {
	bad := metadata.AppendToOutgoingContext(context.Background(), "authorization", "Bearer not-the-token-0000")
	for range 20 {
		csplanv1.NewCapacityServiceClient(conn).GetBenchmarks(bad, &csplanv1.GetBenchmarksRequest{})
	}
	if _, err := csplanv1.NewCapacityServiceClient(conn).GetBenchmarks(authed, &csplanv1.GetBenchmarksRequest{}); err != nil {
		return false, "valid call refused", err.Error()
	}
	code, _, err := post(hc, "http://"+addr+"/v1/capacity:evaluate", `{"csmCount":5,"accounts":100,"arr":4000000}`, true)
	if err != nil || code != http.StatusOK {
		return false, "valid REST call refused", fmt.Sprintf("%d %v", code, err)
	}
	return true, "valid call served after guesses", ""
}
