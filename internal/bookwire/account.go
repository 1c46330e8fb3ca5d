package bookwire

import (
	"math"

	"google.golang.org/protobuf/encoding/protowire"

	"github.com/csplan/csplan/capacity"
	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
)

// wireAccount is a decoded Account whose strings are references.
type wireAccount struct {
	id, name, stage        strRef
	owner, start, renewal  strRef
	arr, health, expansion float64
	hours                  float64
	complexity, term       int32
	hasHealth              bool
	hasTerm, hasHours      bool
	attrLo, attrHi         int32 // its entries in Frame.attrs
}

type wireAttr struct{ key, value strRef }

// unmarshalAccount appends the Account encoded in b. A field given twice
// keeps its last value, and each attribute entry is kept in wire order so
// that the last of a repeated key wins, as in proto.Unmarshal.
func (f *Frame) unmarshalAccount(b []byte) error {
	a := wireAccount{attrLo: int32(len(f.attrs))}
	for len(b) > 0 {
		// Tags of one byte (every field of an account) and lengths of one
		// byte (nearly every string) are read inline.
		num, typ, n := protowire.Number(b[0]>>3), protowire.Type(b[0]&7), 1
		if b[0] >= 0x80 || b[0] < 1<<3 {
			if num, typ, n = consumeTag(b); n < 0 {
				return errEncoding
			}
		}
		b = b[n:]
		switch {
		case typ == protowire.BytesType && (num == fieldID || num == fieldName || num == fieldStage || num == fieldAttributes ||
			num == fieldOwner || num == fieldStart || num == fieldRenewal):
			var v []byte
			if len(b) > 0 && b[0] < 0x80 && int(b[0]) < len(b) {
				v, n = b[1:1+int(b[0])], 1+int(b[0])
			} else if v, n = protowire.ConsumeBytes(b); n < 0 {
				return errEncoding
			}
			b = b[n:]
			var ok bool
			switch num {
			case fieldID:
				a.id, ok = f.strings.copy(v)
			case fieldName:
				a.name, ok = f.strings.copy(v)
			case fieldStage:
				a.stage, ok = f.strings.intern(v)
			// Owners and dates are copied, not interned: a team has
			// thousands of owners and a book of years thousands of days,
			// which would fill the intern table and miss its cache, and
			// ten bytes cost less to copy than to look up (the book
			// analyzer looks each owner up once, itself).
			case fieldOwner:
				a.owner, ok = f.strings.copy(v)
			case fieldStart:
				a.start, ok = f.strings.copy(v)
			case fieldRenewal:
				a.renewal, ok = f.strings.copy(v)
			default:
				ok = true
				if err := f.unmarshalAttribute(v); err != nil {
					return err
				}
			}
			if !ok {
				return errUTF8
			}
		case typ == protowire.Fixed64Type && (num == fieldARR || num == fieldHealth || num == fieldExpansion || num == fieldHours):
			v, n := protowire.ConsumeFixed64(b)
			if n < 0 {
				return errEncoding
			}
			b = b[n:]
			switch x := math.Float64frombits(v); num {
			case fieldARR:
				a.arr = x
			case fieldHealth:
				a.health, a.hasHealth = x, true
			case fieldHours:
				a.hours, a.hasHours = x, true
			default:
				a.expansion = x
			}
		case typ == protowire.VarintType && (num == fieldComplexity || num == fieldTerm):
			v, n := protowire.ConsumeVarint(b)
			if n < 0 {
				return errEncoding
			}
			b = b[n:]
			if num == fieldTerm {
				a.term, a.hasTerm = int32(v), true // truncated as proto does
			} else {
				a.complexity = int32(v) // an open enum keeps any number, truncated as proto does
			}
		default:
			return unknownField(accountDesc, num, typ)
		}
	}
	a.attrHi = int32(len(f.attrs))
	f.accounts = append(f.accounts, a)
	return nil
}

// unmarshalAttribute appends one entry of the attributes map: a missing
// key or value is "", and the last of each given twice counts. Other
// fields of an entry are skipped, as proto.Unmarshal skips them: a map
// entry has nowhere to keep them.
func (f *Frame) unmarshalAttribute(b []byte) error {
	if len(b) == 0 {
		f.attrs = append(f.attrs, wireAttr{})
		return nil
	}
	if e, ok := f.strings.cachedEntry(b); ok {
		f.attrs = append(f.attrs, e)
		return nil
	}
	raw := b
	var e wireAttr
	for len(b) > 0 {
		num, typ, n := consumeTag(b)
		if n < 0 {
			return errEncoding
		}
		b = b[n:]
		if typ == protowire.BytesType && (num == fieldMapKey || num == fieldMapValue) {
			v, n := protowire.ConsumeBytes(b)
			if n < 0 {
				return errEncoding
			}
			b = b[n:]
			s, ok := f.strings.intern(v)
			if !ok {
				return errUTF8
			}
			if num == fieldMapKey {
				e.key = s
			} else {
				e.value = s
			}
			continue
		}
		if n = protowire.ConsumeFieldValue(num, typ, b); n < 0 {
			return errEncoding
		}
		b = b[n:]
	}
	f.strings.cacheEntry(raw, e)
	f.attrs = append(f.attrs, e)
	return nil
}

// accountView is what Account hands out, reused from one account to the
// next: the attribute list or map and the health score.
type accountView struct {
	attrList []capacity.Attribute
	attrMap  map[string]string
	mapKeys  []string // the keys attrMap holds
	health   float64
	term     int32
	hours    float64
}

// attrListMax is the most attribute entries an account may carry for them
// to go to the domain as a list: deduplicating the list is quadratic, and
// past this a map is cheaper.
const attrListMax = 16

// mapRetainKeys bounds the attribute map reused between accounts; a bigger
// account gets a map of its own (it fails validation anyway).
const mapRetainKeys = capacity.MaxAccountAttributes

// Account fills dst with account i of the batch. dst shares the frame's
// strings, health score, term, hours and attribute list or map: the
// strings stay valid for good, the rest until the next Account call,
// so dst may be passed to Segmenter.Add, which keeps none of them.
func (f *Frame) Account(i int, dst *capacity.Account) {
	a := &f.accounts[i]
	s := &f.strings
	*dst = capacity.Account{
		ID:                 s.str(a.id),
		Name:               s.str(a.name),
		ARR:                a.arr,
		Stage:              s.str(a.stage),
		Complexity:         capacity.Complexity(a.complexity),
		ExpansionPotential: a.expansion,
		Owner:              s.str(a.owner),
		StartDate:          s.str(a.start),
		RenewalDate:        s.str(a.renewal),
	}
	if a.hasTerm {
		f.view.term = a.term
		dst.ContractTermMonths = &f.view.term
	}
	if a.hasHours {
		f.view.hours = a.hours
		dst.MonthlyHours = &f.view.hours
	}
	if entries := f.attrs[a.attrLo:a.attrHi]; len(entries) <= attrListMax {
		dst.AttributeList = f.attributeList(entries)
	} else {
		dst.Attributes = f.attributes(entries)
	}
	if a.hasHealth {
		f.view.health = a.health
		dst.HealthScore = &f.view.health
	}
}

// attributeList gives the attributes of one account as a list in a reused
// slice, without building a map: a key given twice keeps its last value,
// as proto.Unmarshal does.
func (f *Frame) attributeList(entries []wireAttr) []capacity.Attribute {
	if len(entries) == 0 {
		return nil
	}
	s := &f.strings
	list := f.view.attrList[:0]
next:
	for i, e := range entries {
		for _, later := range entries[i+1:] {
			if later.key == e.key || s.str(later.key) == s.str(e.key) {
				continue next
			}
		}
		list = append(list, capacity.Attribute{Key: s.str(e.key), Value: s.str(e.value)})
	}
	f.view.attrList = list
	return list
}

// attributes builds the attribute map of one account in the reused map.
// Accounts of a book mostly carry the same keys in the same order: then
// only the values are replaced.
func (f *Frame) attributes(entries []wireAttr) map[string]string {
	s, v := &f.strings, &f.view
	if v.attrMap == nil || len(v.mapKeys) > mapRetainKeys {
		v.attrMap, v.mapKeys = make(map[string]string, 8), v.mapKeys[:0]
	}
	same := len(entries) == len(v.mapKeys)
	for i := 0; same && i < len(entries); i++ {
		same = s.str(entries[i].key) == v.mapKeys[i]
	}
	if !same {
		for _, k := range v.mapKeys {
			delete(v.attrMap, k)
		}
		v.mapKeys = v.mapKeys[:0]
		for _, e := range entries {
			v.mapKeys = append(v.mapKeys, s.str(e.key))
		}
	}
	for i, e := range entries {
		v.attrMap[v.mapKeys[i]] = s.str(e.value)
	}
	return v.attrMap
}

// FromProto fills dst from a generated Account, sharing a's strings, health
// score and attributes: the unary routes' way in, and the reference the
// frame's decoding is tested against.
func FromProto(dst *capacity.Account, a *csplanv1.Account) {
	*dst = capacity.Account{
		ID:                 a.GetId(),
		Name:               a.GetName(),
		ARR:                a.GetArr(),
		Stage:              a.GetStage(),
		HealthScore:        a.HealthScore,
		Complexity:         capacity.Complexity(a.GetComplexity()),
		ExpansionPotential: a.GetExpansionPotential(),
		Attributes:         a.GetAttributes(),
		Owner:              a.GetOwner(),
		StartDate:          a.GetStartDate(),
		RenewalDate:        a.GetRenewalDate(),
		ContractTermMonths: a.ContractTermMonths,
		MonthlyHours:       a.MonthlyHours,
	}
}
