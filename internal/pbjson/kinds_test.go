package pbjson

import (
	"math/rand"
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/descriptorpb"
	"google.golang.org/protobuf/types/dynamicpb"

	"github.com/csplan/csplan/internal/protorand"

	_ "google.golang.org/protobuf/types/known/timestamppb" // for the WKT field
)

// kindsFile builds, without protoc, test messages that use what csplan.v1
// does not: every scalar kind, every map key kind, an enum with gaps and a
// negative value, oneofs, recursion, a proto2 message with required fields
// and extension ranges, and a well-known type.
func kindsFile(t testing.TB) protoreflect.FileDescriptor {
	type F = descriptorpb.FieldDescriptorProto
	T := func(t descriptorpb.FieldDescriptorProto_Type) *descriptorpb.FieldDescriptorProto_Type { return &t }
	L := func(l descriptorpb.FieldDescriptorProto_Label) *descriptorpb.FieldDescriptorProto_Label { return &l }
	opt, rep := L(descriptorpb.FieldDescriptorProto_LABEL_OPTIONAL), L(descriptorpb.FieldDescriptorProto_LABEL_REPEATED)
	scalars := map[string]descriptorpb.FieldDescriptorProto_Type{
		"f_double": descriptorpb.FieldDescriptorProto_TYPE_DOUBLE, "f_float": descriptorpb.FieldDescriptorProto_TYPE_FLOAT,
		"f_int64": descriptorpb.FieldDescriptorProto_TYPE_INT64, "f_uint64": descriptorpb.FieldDescriptorProto_TYPE_UINT64,
		"f_int32": descriptorpb.FieldDescriptorProto_TYPE_INT32, "f_fixed64": descriptorpb.FieldDescriptorProto_TYPE_FIXED64,
		"f_fixed32": descriptorpb.FieldDescriptorProto_TYPE_FIXED32, "f_bool": descriptorpb.FieldDescriptorProto_TYPE_BOOL,
		"f_string": descriptorpb.FieldDescriptorProto_TYPE_STRING, "f_bytes": descriptorpb.FieldDescriptorProto_TYPE_BYTES,
		"f_uint32": descriptorpb.FieldDescriptorProto_TYPE_UINT32, "f_sfixed32": descriptorpb.FieldDescriptorProto_TYPE_SFIXED32,
		"f_sfixed64": descriptorpb.FieldDescriptorProto_TYPE_SFIXED64, "f_sint32": descriptorpb.FieldDescriptorProto_TYPE_SINT32,
		"f_sint64": descriptorpb.FieldDescriptorProto_TYPE_SINT64,
	}
	names := []string{"f_double", "f_float", "f_int64", "f_uint64", "f_int32", "f_fixed64", "f_fixed32", "f_bool",
		"f_string", "f_bytes", "f_uint32", "f_sfixed32", "f_sfixed64", "f_sint32", "f_sint64"}
	var fields []*F
	var nested []*descriptorpb.DescriptorProto
	num := int32(1)
	add := func(f *F) { f.Number = proto.Int32(num); num++; fields = append(fields, f) }
	for _, n := range names {
		add(&F{Name: proto.String(n), Type: T(scalars[n]), Label: opt})
		add(&F{Name: proto.String("r_" + n[2:]), Type: T(scalars[n]), Label: rep})
		add(&F{Name: proto.String("o_" + n[2:]), Type: T(scalars[n]), Label: opt, Proto3Optional: proto.Bool(true)})
	}
	// Map key kinds, each with a different value kind.
	keyKinds := []string{"f_int32", "f_int64", "f_uint32", "f_uint64", "f_sint32", "f_sint64",
		"f_fixed32", "f_fixed64", "f_sfixed32", "f_sfixed64", "f_bool", "f_string"}
	for i, k := range keyKinds {
		v := names[i%len(names)]
		entry := "M" + strings.ToUpper(k[2:3]) + k[3:] + "Entry"
		nested = append(nested, &descriptorpb.DescriptorProto{
			Name: proto.String(entry),
			Field: []*F{
				{Name: proto.String("key"), Number: proto.Int32(1), Type: T(scalars[k]), Label: opt},
				{Name: proto.String("value"), Number: proto.Int32(2), Type: T(scalars[v]), Label: opt},
			},
			Options: &descriptorpb.MessageOptions{MapEntry: proto.Bool(true)},
		})
		add(&F{Name: proto.String("m_" + k[2:]), Type: T(descriptorpb.FieldDescriptorProto_TYPE_MESSAGE), Label: rep, TypeName: proto.String(".pbjsontest.All." + entry)})
	}
	nested = append(nested, &descriptorpb.DescriptorProto{
		Name: proto.String("MMsgEntry"),
		Field: []*F{
			{Name: proto.String("key"), Number: proto.Int32(1), Type: T(descriptorpb.FieldDescriptorProto_TYPE_STRING), Label: opt},
			{Name: proto.String("value"), Number: proto.Int32(2), Type: T(descriptorpb.FieldDescriptorProto_TYPE_MESSAGE), Label: opt, TypeName: proto.String(".pbjsontest.All")},
		},
		Options: &descriptorpb.MessageOptions{MapEntry: proto.Bool(true)},
	}, &descriptorpb.DescriptorProto{
		Name: proto.String("MEnumEntry"),
		Field: []*F{
			{Name: proto.String("key"), Number: proto.Int32(1), Type: T(descriptorpb.FieldDescriptorProto_TYPE_STRING), Label: opt},
			{Name: proto.String("value"), Number: proto.Int32(2), Type: T(descriptorpb.FieldDescriptorProto_TYPE_ENUM), Label: opt, TypeName: proto.String(".pbjsontest.Color")},
		},
		Options: &descriptorpb.MessageOptions{MapEntry: proto.Bool(true)},
	})
	msg := T(descriptorpb.FieldDescriptorProto_TYPE_MESSAGE)
	enum := T(descriptorpb.FieldDescriptorProto_TYPE_ENUM)
	add(&F{Name: proto.String("m_msg"), Type: msg, Label: rep, TypeName: proto.String(".pbjsontest.All.MMsgEntry")})
	add(&F{Name: proto.String("m_enum"), Type: msg, Label: rep, TypeName: proto.String(".pbjsontest.All.MEnumEntry")})
	add(&F{Name: proto.String("child"), Type: msg, Label: opt, TypeName: proto.String(".pbjsontest.All")})
	add(&F{Name: proto.String("children"), Type: msg, Label: rep, TypeName: proto.String(".pbjsontest.All")})
	add(&F{Name: proto.String("color"), Type: enum, Label: opt, TypeName: proto.String(".pbjsontest.Color")})
	add(&F{Name: proto.String("colors"), Type: enum, Label: rep, TypeName: proto.String(".pbjsontest.Color")})
	add(&F{Name: proto.String("custom_name"), Type: T(descriptorpb.FieldDescriptorProto_TYPE_STRING), Label: opt, JsonName: proto.String("Custom")})
	add(&F{Name: proto.String("pick_string"), Type: T(descriptorpb.FieldDescriptorProto_TYPE_STRING), Label: opt, OneofIndex: proto.Int32(0)})
	add(&F{Name: proto.String("pick_child"), Type: msg, Label: opt, TypeName: proto.String(".pbjsontest.All"), OneofIndex: proto.Int32(0)})
	add(&F{Name: proto.String("pick_color"), Type: enum, Label: opt, TypeName: proto.String(".pbjsontest.Color"), OneofIndex: proto.Int32(0)})
	oneofs := []*descriptorpb.OneofDescriptorProto{{Name: proto.String("pick")}}
	for _, n := range names {
		oneofs = append(oneofs, &descriptorpb.OneofDescriptorProto{Name: proto.String("_o_" + n[2:])})
	}
	// One synthetic oneof per proto3 optional field, after the real one.
	k := int32(1)
	for _, f := range fields {
		if f.GetProto3Optional() {
			f.OneofIndex = proto.Int32(k)
			k++
		}
	}
	fdp := &descriptorpb.FileDescriptorProto{
		Name:       proto.String("pbjsontest/all.proto"),
		Package:    proto.String("pbjsontest"),
		Syntax:     proto.String("proto3"),
		Dependency: []string{"google/protobuf/timestamp.proto"},
		EnumType: []*descriptorpb.EnumDescriptorProto{{
			Name: proto.String("Color"),
			Value: []*descriptorpb.EnumValueDescriptorProto{
				{Name: proto.String("COLOR_UNSPECIFIED"), Number: proto.Int32(0)},
				{Name: proto.String("COLOR_RED"), Number: proto.Int32(1)},
				{Name: proto.String("COLOR_BLUE"), Number: proto.Int32(5)},
				{Name: proto.String("COLOR_NEG"), Number: proto.Int32(-3)},
				{Name: proto.String("COLOR_BIG"), Number: proto.Int32(100000)},
			},
		}},
		MessageType: []*descriptorpb.DescriptorProto{
			{Name: proto.String("All"), Field: fields, NestedType: nested, OneofDecl: oneofs},
			{Name: proto.String("WithTime"), Field: []*F{
				{Name: proto.String("name"), Number: proto.Int32(1), Type: T(descriptorpb.FieldDescriptorProto_TYPE_STRING), Label: opt},
				{Name: proto.String("at"), Number: proto.Int32(2), Type: msg, Label: opt, TypeName: proto.String(".google.protobuf.Timestamp")},
			}},
		},
	}
	fd, err := protodesc.NewFile(fdp, protoregistry.GlobalFiles)
	if err != nil {
		t.Fatal(err)
	}
	return fd
}

// proto2File has proto2 presence (unset scalars marshal as null), defaults,
// and the proto2 features the codec leaves to protojson: required fields,
// extension ranges.
func proto2File(t testing.TB) protoreflect.FileDescriptor {
	type F = descriptorpb.FieldDescriptorProto
	T := func(t descriptorpb.FieldDescriptorProto_Type) *descriptorpb.FieldDescriptorProto_Type { return &t }
	opt := descriptorpb.FieldDescriptorProto_LABEL_OPTIONAL.Enum()
	req := descriptorpb.FieldDescriptorProto_LABEL_REQUIRED.Enum()
	rep := descriptorpb.FieldDescriptorProto_LABEL_REPEATED.Enum()
	fields := func(label *descriptorpb.FieldDescriptorProto_Label, self string) []*F {
		return []*F{
			{Name: proto.String("count"), Number: proto.Int32(1), Type: T(descriptorpb.FieldDescriptorProto_TYPE_INT32), Label: label, DefaultValue: proto.String("7")},
			{Name: proto.String("label"), Number: proto.Int32(2), Type: T(descriptorpb.FieldDescriptorProto_TYPE_STRING), Label: opt, DefaultValue: proto.String("x")},
			{Name: proto.String("ratio"), Number: proto.Int32(3), Type: T(descriptorpb.FieldDescriptorProto_TYPE_DOUBLE), Label: opt},
			{Name: proto.String("tags"), Number: proto.Int32(4), Type: T(descriptorpb.FieldDescriptorProto_TYPE_STRING), Label: rep},
			{Name: proto.String("next"), Number: proto.Int32(5), Type: T(descriptorpb.FieldDescriptorProto_TYPE_MESSAGE), Label: opt, TypeName: proto.String(self)},
		}
	}
	fdp := &descriptorpb.FileDescriptorProto{
		Name:    proto.String("pbjsontest/p2.proto"),
		Package: proto.String("pbjsontest2"),
		Syntax:  proto.String("proto2"),
		MessageType: []*descriptorpb.DescriptorProto{
			{Name: proto.String("P2"), Field: fields(opt, ".pbjsontest2.P2")},
			{Name: proto.String("Req"), Field: fields(req, ".pbjsontest2.Req")},
			{Name: proto.String("Ext"), Field: fields(opt, ".pbjsontest2.Ext"),
				ExtensionRange: []*descriptorpb.DescriptorProto_ExtensionRange{{Start: proto.Int32(100), End: proto.Int32(200)}}},
		},
	}
	fd, err := protodesc.NewFile(fdp, protoregistry.GlobalFiles)
	if err != nil {
		t.Fatal(err)
	}
	return fd
}

func TestAllKindsDifferential(t *testing.T) {
	kinds, p2 := kindsFile(t).Messages(), proto2File(t).Messages()
	r := rand.New(rand.NewSource(2))
	for _, md := range []protoreflect.MessageDescriptor{
		kinds.ByName("All"), kinds.ByName("WithTime"), p2.ByName("P2"), p2.ByName("Req"), p2.ByName("Ext"),
	} {
		mt := dynamicpb.NewMessageType(md)
		t.Run(string(md.Name()), func(t *testing.T) {
			fast := 0
			for i := 0; i < 300; i++ {
				g := protorand.Gen{R: r, Bad: 0.005, Plain: i%2 == 0}
				m := mt.New()
				g.Fill(m, 2)
				out := checkMarshal(t, m.Interface())
				if out == nil {
					continue
				}
				checkUnmarshal(t, mt, out)
				if checkUnmarshal(t, mt, dropNulls(out)) {
					fast++
				}
			}
			special := planFor(md).treeSpecial
			if special != (md.Name() != "All" && md.Name() != "P2") {
				t.Errorf("treeSpecial = %v", special)
			}
			if !special && fast == 0 {
				t.Error("the fast path never decoded a message")
			}
			t.Logf("fast path decoded %d of %d", fast, 300)
		})
	}
}
