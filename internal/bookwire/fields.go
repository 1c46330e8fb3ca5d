package bookwire

import (
	"fmt"

	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/reflect/protoreflect"

	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
)

// The field numbers the frame reads come from the generated descriptors,
// never from literals: a renumbered field is followed, and a field the
// frame reads that is removed or changes kind stops the program at start
// (and every test with it). A field added to one of these messages fails
// TestFrameKnowsEveryField until the frame reads it: the frame refuses
// fields it does not know, so a client sending it would be refused.
var (
	accountDesc = (&csplanv1.Account{}).ProtoReflect().Descriptor()
	batchDesc   = (&csplanv1.AccountBatch{}).ProtoReflect().Descriptor()

	fieldAccounts = number(batchDesc, "accounts", protoreflect.MessageKind)

	fieldID         = number(accountDesc, "id", protoreflect.StringKind)
	fieldName       = number(accountDesc, "name", protoreflect.StringKind)
	fieldARR        = number(accountDesc, "arr", protoreflect.DoubleKind)
	fieldStage      = number(accountDesc, "stage", protoreflect.StringKind)
	fieldHealth     = number(accountDesc, "health_score", protoreflect.DoubleKind)
	fieldComplexity = number(accountDesc, "complexity", protoreflect.EnumKind)
	fieldExpansion  = number(accountDesc, "expansion_potential", protoreflect.DoubleKind)
	fieldAttributes = number(accountDesc, "attributes", protoreflect.MessageKind)
	fieldOwner      = number(accountDesc, "owner", protoreflect.StringKind)
	fieldStart      = number(accountDesc, "start_date", protoreflect.StringKind)
	fieldRenewal    = number(accountDesc, "renewal_date", protoreflect.StringKind)
	fieldTerm       = number(accountDesc, "contract_term_months", protoreflect.Int32Kind)
	fieldHours      = number(accountDesc, "monthly_hours", protoreflect.DoubleKind)

	// The attributes map's entries: key and value, both strings.
	fieldMapKey   = accountDesc.Fields().ByName("attributes").MapKey().Number()
	fieldMapValue = accountDesc.Fields().ByName("attributes").MapValue().Number()
)

// number is the number of m's field name, which must be of kind k.
func number(m protoreflect.MessageDescriptor, name protoreflect.Name, k protoreflect.Kind) protowire.Number {
	fd := m.Fields().ByName(name)
	if fd == nil || fd.Kind() != k {
		panic(fmt.Sprintf("bookwire: %s.%s is not a %s field: teach the frame the contract's change", m.FullName(), name, k))
	}
	return fd.Number()
}

// requestShape is a stream request's payload oneof as the frame reads it:
// a head message (rules, settings, plan) first, then batches.
type requestShape struct {
	head, batch protoreflect.FieldDescriptor
}

// shapeOf finds the head and the AccountBatch member of the request's
// oneof, which must be its only fields.
func shapeOf(m protoreflect.MessageDescriptor) requestShape {
	var s requestShape
	fields := m.Fields()
	for i := range fields.Len() {
		fd := fields.Get(i)
		switch {
		case fd.ContainingOneof() == nil || fd.Message() == nil:
			panic(fmt.Sprintf("bookwire: %s.%s is not a message in the payload oneof", m.FullName(), fd.Name()))
		case fd.Message().FullName() == batchDesc.FullName():
			s.batch = fd
		default:
			s.head = fd
		}
	}
	if s.head == nil || s.batch == nil || fields.Len() != 2 {
		panic(fmt.Sprintf("bookwire: %s is not a head message and an AccountBatch in one oneof", m.FullName()))
	}
	return s
}

// unknownField says a field the frame does not read came in: the client
// speaks a newer contract than this server, or sent a field with the wrong
// wire type. Dropping it would answer a question that was not asked.
func unknownField(m protoreflect.MessageDescriptor, num protowire.Number, typ protowire.Type) error {
	if fd := m.Fields().ByNumber(num); fd != nil {
		return fmt.Errorf("%s field %d (%s) came with wire type %d, which is not its type's", m.FullName(), num, fd.Name(), typ)
	}
	return fmt.Errorf("%s has no field %d in this server's contract: is the client built against a newer csplan.v1? (the field was not read, so the request is refused rather than answered without it)", m.FullName(), num)
}
