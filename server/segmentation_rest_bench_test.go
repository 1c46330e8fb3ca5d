package server_test

import (
	"io"
	"net/http"
	"testing"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
	"github.com/csplan/csplan/internal/servertest"
	"github.com/csplan/csplan/server"
)

// repeatReader reads head, then body n times, then tail, without holding
// the whole stream in memory.
type repeatReader struct {
	head, body, tail []byte
	n                int
	cur              []byte
}

func (r *repeatReader) Read(p []byte) (int, error) {
	for len(r.cur) == 0 {
		switch {
		case r.head != nil:
			r.cur, r.head = r.head, nil
		case r.n > 0:
			r.cur, r.n = r.body, r.n-1
		case r.tail != nil:
			r.cur, r.tail = r.tail, nil
		default:
			return 0, io.EOF
		}
	}
	n := copy(p, r.cur)
	r.cur = r.cur[n:]
	return n, nil
}

// BenchmarkStreamSegmentAccountsREST posts the book as NDJSON to a server
// on loopback listeners: the HTTP/1.1 body, the gateway's JSON decoding of
// each line (ndjsonDecoder), its re-encoding onto the
// in-memory gRPC connection, and the stream handler. Client and server
// share the machine's cores.
func BenchmarkStreamSegmentAccountsREST(b *testing.B) {
	srv := servertest.NewServer(b, server.Config{})

	line := func(m proto.Message) []byte {
		j, err := protojson.Marshal(m)
		if err != nil {
			b.Fatal(err)
		}
		return append(j, '\n')
	}
	body := &repeatReader{head: line(server.BenchRules()), body: line(server.BenchBatchMessage(server.BenchBatch)), n: b.N / server.BenchBatch}
	if rest := b.N % server.BenchBatch; rest > 0 {
		body.tail = line(server.BenchBatchMessage(rest))
	}

	b.ReportAllocs()
	b.ResetTimer()
	resp, err := http.Post(srv.URL+"/v1/segments:assignStream", "application/x-ndjson", body)
	if err != nil {
		b.Fatal(err)
	}
	out, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	b.StopTimer()
	if err != nil || resp.StatusCode != http.StatusOK {
		b.Fatalf("POST = %d, %v: %s", resp.StatusCode, err, out)
	}
	var got csplanv1.StreamSegmentAccountsResponse
	if err := protojson.Unmarshal(out, &got); err != nil {
		b.Fatal(err)
	}
	if int(got.GetTotalAccounts()) != b.N {
		b.Fatalf("the server counted %d accounts, want %d", got.GetTotalAccounts(), b.N)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "accounts/s")
}
