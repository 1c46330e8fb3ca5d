package server_test

import (
	"context"
	"strings"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"

	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
	"github.com/csplan/csplan/internal/servertest"
	"github.com/csplan/csplan/server"
)

// wireCodec sends messages given as bytes, as they are.
type wireCodec struct{}

func (wireCodec) Marshal(v any) ([]byte, error) { return v.([]byte), nil }
func (wireCodec) Unmarshal(data []byte, v any) error {
	*(v.(*[]byte)) = append([]byte(nil), data...)
	return nil
}
func (wireCodec) Name() string { return "proto" }

// TestStreamRefusesFieldsOfANewerContract: an account field this server's
// contract does not have is refused on the stream, with a message that
// names it, never dropped (the answer would count the book without it).
func TestStreamRefusesFieldsOfANewerContract(t *testing.T) {
	conn := servertest.NewServer(t, server.Config{}).Dial(grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithDefaultCallOptions(grpc.ForceCodec(wireCodec{})))
	rules, err := proto.Marshal(&csplanv1.StreamSegmentAccountsRequest{Payload: &csplanv1.StreamSegmentAccountsRequest_Rules{
		Rules: &csplanv1.SegmentRules{Segments: []*csplanv1.SegmentRule{{Name: "All"}}}}})
	if err != nil {
		t.Fatal(err)
	}
	account, err := proto.Marshal(&csplanv1.Account{Id: "A-1", Arr: 1000})
	if err != nil {
		t.Fatal(err)
	}
	account = protowire.AppendString(protowire.AppendTag(account, 99, protowire.BytesType), "CSM-7") // an owner, say
	batch := protowire.AppendBytes(protowire.AppendTag(nil, 1, protowire.BytesType), account)
	msg := protowire.AppendBytes(protowire.AppendTag(nil, 2, protowire.BytesType), batch)

	desc := &grpc.StreamDesc{ClientStreams: true}
	stream, err := conn.NewStream(context.Background(), desc, csplanv1.SegmentationService_StreamSegmentAccounts_FullMethodName)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range [][]byte{rules, msg} {
		if err := stream.SendMsg(m); err != nil {
			t.Fatal(err)
		}
	}
	if err := stream.CloseSend(); err != nil {
		t.Fatal(err)
	}
	var out []byte
	err = stream.RecvMsg(&out)
	st := status.Convert(err)
	if st.Code() != codes.InvalidArgument || !strings.Contains(st.Message(), "csplan.v1.Account has no field 99") {
		t.Fatalf("a stream with an unknown account field = %v, want INVALID_ARGUMENT naming field 99", err)
	}
}
