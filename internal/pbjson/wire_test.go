package pbjson

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/descriptorpb"
	"google.golang.org/protobuf/types/dynamicpb"
)

// TestTranscodeCases checks the wire encoding of the fast path, kind by
// kind, on inputs that must all stay on it: zeros of fields with and
// without presence, negative numbers of every integer kind, -0, empty
// messages, oneof members, map keys of every kind, lengths that need
// several bytes. checkUnmarshal compares with protojson field by field and
// by deterministic wire bytes, so presence and the sign of zero count.
func TestTranscodeCases(t *testing.T) {
	all := dynamicpb.NewMessageType(kindsFile(t).Messages().ByName("All"))
	p2 := dynamicpb.NewMessageType(proto2File(t).Messages().ByName("P2"))
	long := strings.Repeat("x", 200)
	huge := strings.Repeat("é", 10000)
	bigMap := func(n, dup int) string {
		var b strings.Builder
		b.WriteString(`{"mString":{`)
		for i := 0; i < n; i++ {
			if i > 0 {
				b.WriteString(",")
			}
			k := i
			if i == dup {
				k = 0
			}
			fmt.Fprintf(&b, `"k%d":%d`, k, i)
		}
		b.WriteString(`}}`)
		return b.String()
	}
	cases := []struct {
		name string
		mt   protoreflect.MessageType
		in   string
		fast bool
	}{
		{"implicit zeros", all, `{"fDouble":0,"fFloat":0,"fInt64":0,"fUint64":"0","fInt32":0,"fFixed64":0,` +
			`"fFixed32":0,"fBool":false,"fString":"","fBytes":"","fUint32":0,"fSfixed32":0,"fSfixed64":0,` +
			`"fSint32":0,"fSint64":0,"color":"COLOR_UNSPECIFIED"}`, true},
		{"optional zeros", all, `{"oDouble":0,"oFloat":0,"oInt64":0,"oUint64":"0","oInt32":0,"oFixed64":0,` +
			`"oFixed32":0,"oBool":false,"oString":"","oBytes":"","oUint32":0,"oSfixed32":0,"oSfixed64":0,` +
			`"oSint32":0,"oSint64":0}`, true},
		{"negative zero", all, `{"fDouble":-0,"fFloat":-0.0,"oDouble":-0e3,"oFloat":-0,"rDouble":[-0,0],"rFloat":[0,-0]}`, true},
		{"negatives", all, `{"fInt32":-1,"fInt64":"-9223372036854775808","fSint32":-2147483648,"fSint64":-1,` +
			`"fSfixed32":-7,"fSfixed64":"-8","oInt32":-2147483648,"rInt32":[-1,0,1],"rSint32":[-3,3],` +
			`"rSfixed64":[-1,"-2"],"rSint64":["-9223372036854775808",9223372036854775807]}`, true},
		{"unsigned max", all, `{"fUint32":4294967295,"fFixed32":4294967295,"fUint64":18446744073709551615,` +
			`"fFixed64":"18446744073709551615","rUint32":[0,4294967295],"rFixed32":[1]}`, true},
		{"enums", all, `{"color":"COLOR_NEG","colors":["COLOR_BIG","COLOR_NEG","COLOR_UNSPECIFIED","COLOR_BLUE"],` +
			`"mEnum":{"a":"COLOR_NEG","b":"COLOR_UNSPECIFIED"}}`, true},
		{"floats", all, `{"fFloat":3.4028234663852886e38,"fDouble":1.7976931348623157e308,"rFloat":[1e-45,0.1],` +
			`"rDouble":[5e-324,-1.5]}`, true},
		{"float overflow", all, `{"fFloat":3.5e38}`, false},
		{"bools and bytes", all, `{"rBool":[true,false,true],"rBytes":["","AA==","AAEC","/+8="],"fBytes":"aGVsbG8="}`, true},
		{"bytes url alphabet", all, `{"fBytes":"_-8="}`, false},
		{"bytes unpadded", all, `{"fBytes":"AA"}`, false},
		{"strings", all, `{"rString":["","a","\u00e9\n",` + `"` + long + `"],"oString":"\u0000"}`, true},
		{"long string", all, `{"fString":"` + huge + `"}`, true},
		{"empty child", all, `{"child":{}}`, true},
		{"empty children", all, `{"children":[{},{},{"fInt32":0}]}`, true},
		{"empty list and map", all, `{"children":[],"rInt32":[],"mString":{},"mMsg":{}}`, true},
		{"nested", all, `{"child":{"child":{"child":{"fString":"` + long + `","children":[{"fString":"` + long + `"}]}}}}`, true},
		{"nested huge", all, `{"child":{"children":[{"fString":"` + huge + `"},{"child":{"fString":"` + huge + `"}}]}}`, true},
		{"oneof string zero", all, `{"pickString":""}`, true},
		{"oneof enum zero", all, `{"pickColor":"COLOR_UNSPECIFIED"}`, true},
		{"oneof empty child", all, `{"pickChild":{}}`, true},
		{"oneof second member", all, `{"pickChild":{},"pickString":"a"}`, false},
		{"oneof proto name", all, `{"pick_string":"a","pickString":"a"}`, false},
		{"map keys", all, `{"mInt32":{"-1":1,"0":2,"2147483647":3},"mInt64":{"-9223372036854775808":1},` +
			`"mUint32":{"4294967295":1},"mUint64":{"18446744073709551615":1},"mSint32":{"-5":1,"5":2},` +
			`"mSint64":{"-5":1},"mFixed32":{"7":1},"mFixed64":{"8":true},"mSfixed32":{"-9":"s"},"mSfixed64":{"-10":"AA=="},` +
			`"mBool":{"true":1,"false":0},"mString":{"":1,"é":-2,"\u0041":3}}`, true},
		{"map key spellings", all, `{"mInt32":{"+1":1,"-0":2}}`, true},
		{"map key duplicate spelling", all, `{"mInt32":{"1":1,"+1":2}}`, false},
		{"map key duplicate zero", all, `{"mSint64":{"0":1,"-0":2}}`, false},
		{"map key duplicate bool", all, `{"mBool":{"true":1,"false":2,"true":3}}`, false},
		{"map key bad bool", all, `{"mBool":{"True":1}}`, false},
		{"map key overflow", all, `{"mInt32":{"2147483648":1}}`, false},
		{"map message values", all, `{"mMsg":{"a":{},"b":{"child":{}},"c":{"mMsg":{"a":{"fInt32":-1}}}}}`, true},
		{"nested maps same key", all, `{"mMsg":{"a":{"mMsg":{"a":{}}},"b":{"mMsg":{"a":{},"b":{}}}}}`, true},
		{"nested maps duplicate inner", all, `{"mMsg":{"a":{"mMsg":{"a":{},"a":{}}}}}`, false},
		{"big map", all, bigMap(100, -1), true},
		{"big map duplicate early", all, bigMap(100, 5), false},
		{"big map duplicate late", all, bigMap(100, 90), false},
		{"map at threshold", all, bigMap(maxLinearKeys+1, -1), true},
		{"map duplicate at threshold", all, bigMap(maxLinearKeys+1, maxLinearKeys), false},
		{"proto2 zeros", p2, `{"count":0,"label":"","ratio":-0,"next":{}}`, true},
		{"proto2 values", p2, `{"count":-1,"tags":["a",""],"next":{"next":{"label":"y"}}}`, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if fast := checkUnmarshal(t, c.mt, []byte(c.in)); fast != c.fast {
				t.Errorf("fast path: %v, want %v", fast, c.fast)
			}
		})
	}
}

// TestTranscodeDeep checks nesting up to the fast path's limit, each level
// with content, and one level past it.
func TestTranscodeDeep(t *testing.T) {
	all := dynamicpb.NewMessageType(kindsFile(t).Messages().ByName("All"))
	for _, c := range []struct {
		depth int
		fast  bool
	}{{maxDepth, true}, {maxDepth + 1, false}} {
		in := strings.Repeat(`{"fString":"abc","child":`, c.depth-1) + `{"fInt32":-1}` + strings.Repeat(`}`, c.depth-1)
		if fast := checkUnmarshal(t, all, []byte(in)); fast != c.fast {
			t.Errorf("depth %d: fast path %v, want %v", c.depth, fast, c.fast)
		}
	}
}

// TestTranscodeGroups covers proto2 groups (and editions' delimited
// messages, which share their kind): written as StartGroup ... EndGroup.
func TestTranscodeGroups(t *testing.T) {
	type F = descriptorpb.FieldDescriptorProto
	group := descriptorpb.FieldDescriptorProto_TYPE_GROUP.Enum()
	opt := descriptorpb.FieldDescriptorProto_LABEL_OPTIONAL.Enum()
	rep := descriptorpb.FieldDescriptorProto_LABEL_REPEATED.Enum()
	int32T := descriptorpb.FieldDescriptorProto_TYPE_INT32.Enum()
	item := func(name string) *descriptorpb.DescriptorProto {
		return &descriptorpb.DescriptorProto{Name: proto.String(name), Field: []*F{
			{Name: proto.String("a"), Number: proto.Int32(1), Type: int32T, Label: opt},
		}}
	}
	fdp := &descriptorpb.FileDescriptorProto{
		Name:    proto.String("pbjsontest/groups.proto"),
		Package: proto.String("pbjsontestg"),
		Syntax:  proto.String("proto2"),
		MessageType: []*descriptorpb.DescriptorProto{{
			Name: proto.String("G"),
			Field: []*F{
				{Name: proto.String("item"), Number: proto.Int32(1), Type: group, Label: opt, TypeName: proto.String(".pbjsontestg.G.Item")},
				{Name: proto.String("rep"), Number: proto.Int32(2), Type: group, Label: rep, TypeName: proto.String(".pbjsontestg.G.Rep")},
				{Name: proto.String("n"), Number: proto.Int32(3), Type: int32T, Label: opt},
			},
			NestedType: []*descriptorpb.DescriptorProto{item("Item"), item("Rep")},
		}},
	}
	fd, err := protodesc.NewFile(fdp, protoregistry.GlobalFiles)
	if err != nil {
		t.Fatal(err)
	}
	mt := dynamicpb.NewMessageType(fd.Messages().ByName("G"))
	for _, in := range []string{
		`{"item":{"a":-1},"rep":[{"a":2},{}],"n":3}`,
		`{"item":{}}`,
		`{"rep":[]}`,
	} {
		if !checkUnmarshal(t, mt, []byte(in)) {
			t.Errorf("%s: not decoded on the fast path", in)
		}
	}
}

// TestUnmarshalPooledState runs fallbacks that abandon the decoder midway
// (inside maps, strings with escapes, deep nesting) between fast decodes,
// concurrently, so state left in a pooled decoder would show.
func TestUnmarshalPooledState(t *testing.T) {
	all := dynamicpb.NewMessageType(kindsFile(t).Messages().ByName("All"))
	inputs := []string{
		`{"mString":{"a":1,"b":2,"a":3}}`,
		`{"mString":{"a":1,"b":2}}`,
		`{"fString":"\n\u00e9x","mMsg":{"a":{"mString":{"x":1,"x":2}}}}`,
		`{"fString":"\n\u00e9x","mMsg":{"a":{"mString":{"x":1,"y":2}}}}`,
		`{"child":{"child":{"fInt32":1.5}}}`,
		`{"child":{"child":{"fInt32":15}}}`,
	}
	want := make([]proto.Message, len(inputs))
	for i, in := range inputs {
		checkUnmarshal(t, all, []byte(in))
		want[i] = all.New().Interface()
		if err := Unmarshal([]byte(in), want[i]); err != nil {
			want[i] = nil
		}
	}
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 0; n < 200; n++ {
				i := (n + g) % len(inputs)
				m := all.New().Interface()
				err := Unmarshal([]byte(inputs[i]), m)
				if (err == nil) != (want[i] != nil) || err == nil && !proto.Equal(m, want[i]) {
					t.Errorf("%s: got %v, %v; want %v", inputs[i], m, err, want[i])
					return
				}
			}
		}()
	}
	wg.Wait()
}
