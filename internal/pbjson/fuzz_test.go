package pbjson

import (
	"bytes"
	"testing"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/dynamicpb"
)

var fuzzTypes = []protoreflect.MessageType{computeType, forecastType, segmentType, streamType, accountType}

func addSeeds(f *testing.F) {
	for _, s := range []string{
		computeRequest, forecastRequest, segmentRequest, streamRequest,
		`{}`, `{"accounts":1.0}`, `{"arr":"NaN"}`, `{"name":"\u00e9\ud83d\ude00"}`,
		`{"attributes":{"a":"1","a":"2"}}`, `{"rules":{},"batch":{}}`,
	} {
		f.Add([]byte(s))
	}
}

// FuzzUnmarshal requires Unmarshal and protojson to agree on arbitrary
// input for several message types: same error text, or equal messages.
func FuzzUnmarshal(f *testing.F) {
	addSeeds(f)
	// A message with every kind, to reach the decoder's other branches.
	all := dynamicpb.NewMessageType(kindsFile(f).Messages().ByName("All"))
	f.Add([]byte(`{"fInt64":"-12","rUint64":[1,"2"],"fBytes":"AAE=","mInt32":{"+1":1},"mBool":{"true":"x"},` +
		`"m_msg":{"a":{"color":"COLOR_NEG","fFloat":1e38}},"colors":["COLOR_BIG"],"Custom":"c","pickColor":"COLOR_RED"}`))
	f.Add([]byte(`{"oInt32":0,"fSint32":-2,"fSfixed64":"-8","fDouble":-0,"rFloat":[-0,1],"mSint64":{"-5":1,"+5":2},` +
		`"mFixed64":{"8":true},"mBool":{"false":0},"child":{"children":[{},{"pickChild":{}}]},"pickString":""}`))
	types := append(fuzzTypes[:len(fuzzTypes):len(fuzzTypes)], all)
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, mt := range types {
			checkUnmarshal(t, mt, data)
		}
	})
}

// FuzzMarshalRoundTrip requires Marshal to match protojson on any message
// protojson can decode from the input.
func FuzzMarshalRoundTrip(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, mt := range fuzzTypes {
			m := mt.New().Interface()
			if protojson.Unmarshal(data, m) != nil {
				continue
			}
			want, wantErr := protojsonCanonical(m)
			got, gotErr := Marshal(nil, m)
			if (wantErr == nil) != (gotErr == nil) || !bytes.Equal(got, want) {
				t.Fatalf("Marshal: %s, %v\nprotojson: %s, %v", got, gotErr, want, wantErr)
			}
		}
	})
}
