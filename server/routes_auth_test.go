package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"github.com/csplan/csplan"
	"github.com/csplan/csplan/internal/servertest"
	"github.com/csplan/csplan/server"
)

// rawBytes sends a message as it is: an empty one for every method.
type rawBytes struct{}

func (rawBytes) Marshal(v any) ([]byte, error) { return v.([]byte), nil }
func (rawBytes) Unmarshal(data []byte, v any) error {
	*(v.(*[]byte)) = append([]byte(nil), data...)
	return nil
}
func (rawBytes) Name() string { return "proto" }

// TestEveryRouteNeedsAToken walks every REST route of the OpenAPI document
// and every gRPC method the server registers: without a valid token each
// is refused before anything is read, with one each gets past the door.
// Health is the one exception.
func TestEveryRouteNeedsAToken(t *testing.T) {
	const valid = "route-table-token-01"
	// The brake would turn this table's many failures into 429s.
	srv := servertest.NewServer(t, server.Config{Tokens: servertest.Tokens(t, valid), AuthFailureBurst: 10_000})

	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(csplan.OpenAPI, &doc); err != nil {
		t.Fatal(err)
	}
	routes := 0
	for path, methods := range doc.Paths {
		for method := range methods {
			method = strings.ToUpper(method)
			for _, auth := range []string{"", "Bearer wrong-token-000000", "Basic " + valid} {
				resp, _ := httpDo(t, http.DefaultClient, method, srv.URL+path, `{}`, map[string]string{"Authorization": auth})
				if resp.StatusCode != http.StatusUnauthorized || !resp.Close {
					t.Errorf("%s %s with %q = %d (close %v), want 401 and the connection closed", method, path, auth, resp.StatusCode, resp.Close)
				}
			}
			resp, body := httpDo(t, http.DefaultClient, method, srv.URL+path, `{}`, map[string]string{"Authorization": "Bearer " + valid})
			if resp.StatusCode == http.StatusUnauthorized || resp.StatusCode >= 500 {
				t.Errorf("%s %s with a valid token = %d %.200s", method, path, resp.StatusCode, body)
			}
			routes++
		}
	}
	if routes < 11 {
		t.Fatalf("only %d REST routes in the OpenAPI document", routes)
	}

	conn := srv.Conn()
	methods := 0
	for _, m := range server.Methods(server.New(server.Config{})) {
		desc := &grpc.StreamDesc{ClientStreams: true, ServerStreams: true}
		call := func(ctx context.Context) error {
			ctx, cancel := context.WithCancel(ctx)
			defer cancel()
			cs, err := conn.NewStream(ctx, desc, m, grpc.ForceCodec(rawBytes{}))
			if err != nil {
				return err
			}
			cs.SendMsg([]byte{})
			cs.CloseSend()
			var out []byte
			return cs.RecvMsg(&out)
		}
		health := strings.HasPrefix(m, "/grpc.health.v1.Health/")
		for _, ctx := range []context.Context{context.Background(), metadata.AppendToOutgoingContext(context.Background(), "authorization", "Bearer wrong-token-000000")} {
			err := call(ctx)
			if health {
				if status.Code(err) == codes.Unauthenticated {
					t.Errorf("%s without a token = %v, want open", m, err)
				}
			} else if status.Code(err) != codes.Unauthenticated {
				t.Errorf("%s without a valid token = %v, want UNAUTHENTICATED", m, err)
			}
		}
		if err := call(metadata.AppendToOutgoingContext(context.Background(), "authorization", "Bearer "+valid)); status.Code(err) == codes.Unauthenticated {
			t.Errorf("%s with a valid token = %v", m, err)
		}
		methods++
	}
	if methods < 15 {
		t.Fatalf("only %d gRPC methods found", methods)
	}
}
