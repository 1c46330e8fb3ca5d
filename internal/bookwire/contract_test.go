package bookwire

import (
	"fmt"
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
)

// TestFrameKnowsEveryField fails when a message the frame decodes by hand
// gains, loses or renumbers a field. The frame refuses fields it does not
// read, so a field added to Account (the book's owner or dates, say) would
// be refused on every stream until the frame reads it: teach account.go
// the field (and FromProto, and the views in frame_test.go), then update
// the line here.
func TestFrameKnowsEveryField(t *testing.T) {
	read := map[proto.Message]string{
		&csplanv1.Account{}:                      "1 id string, 2 name string, 3 arr double, 4 stage string, 5 health_score optional double, 6 complexity enum, 7 expansion_potential double, 8 attributes map<string, string>, 9 owner string, 10 start_date string, 11 renewal_date string, 12 contract_term_months optional int32, 13 monthly_hours optional double",
		&csplanv1.AccountBatch{}:                 "1 accounts repeated message",
		&csplanv1.StreamSegmentAccountsRequest{}: "1 rules message (payload), 2 batch message (payload)",
		&csplanv1.StreamSuggestSegmentsRequest{}: "1 settings message (payload), 2 batch message (payload)",
		&csplanv1.StreamRunPlanRequest{}:         "1 plan message (payload), 2 batch message (payload)",
	}
	for m, want := range read {
		if got := describe(m.ProtoReflect().Descriptor()); got != want {
			t.Errorf("%s has fields\n\t%s\nthe frame reads\n\t%s\nteach internal/bookwire the change", m.ProtoReflect().Descriptor().FullName(), got, want)
		}
	}
}

func describe(md protoreflect.MessageDescriptor) string {
	var have []string
	fields := md.Fields()
	for i := range fields.Len() {
		fd := fields.Get(i)
		kind := fd.Kind().String()
		switch {
		case fd.IsMap():
			kind = fmt.Sprintf("map<%s, %s>", fd.MapKey().Kind(), fd.MapValue().Kind())
		case fd.IsList():
			kind = "repeated " + kind
		case fd.HasPresence() && fd.Kind() != protoreflect.MessageKind:
			kind = "optional " + kind
		}
		if od := fd.ContainingOneof(); od != nil && !od.IsSynthetic() {
			kind += " (" + string(od.Name()) + ")"
		}
		have = append(have, fmt.Sprintf("%d %s %s", fd.Number(), fd.Name(), kind))
	}
	return strings.Join(have, ", ")
}

// TestNewRefusesOtherShapes: a frame is only for requests of a head and a
// batch in one oneof.
func TestNewRefusesOtherShapes(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("New accepted a ComputeCapacityRequest")
		}
	}()
	New(&csplanv1.ComputeCapacityRequest{})
}
