package server

import (
	"encoding/binary"
	"math"
	"unicode/utf8"

	"google.golang.org/protobuf/encoding/protowire"

	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
)

// A forecast's answer is a hundred and more months of nine fields each, and
// encoding it through protobuf's reflection-driven marshaller cost more
// than computing it. forecastWire writes exactly the bytes proto.Marshal
// writes for it (fields in number order, proto3 zero values left out, -0
// and NaN kept), and declines, so that the caller falls back to
// proto.Marshal, on what it does not write itself: unknown fields, and
// strings that are not valid UTF-8, which proto.Marshal refuses.

// Field numbers of the messages forecastWire writes.
const (
	fieldForecastMonths      = 1
	fieldForecastTriggers    = 2
	fieldForecastHiringPlan  = 3
	fieldForecastAssumptions = 4
)

// forecastWire encodes one response: size first, then append, so that the
// buffer is allocated once at its final length.
type forecastWire struct {
	m *csplanv1.ForecastCapacityResponse
}

// size returns the encoded length, or false when forecastWire declines m.
func (w forecastWire) size() (int, bool) {
	n := 0
	for _, mo := range w.m.GetMonths() {
		s, ok := monthSize(mo)
		if !ok {
			return 0, false
		}
		n += nestedSize(fieldForecastMonths, s)
	}
	for _, t := range w.m.GetTriggers() {
		s, ok := triggerSize(t)
		if !ok {
			return 0, false
		}
		n += nestedSize(fieldForecastTriggers, s)
	}
	for _, h := range w.m.GetHiringPlan() {
		s, ok := hireSize(h)
		if !ok {
			return 0, false
		}
		n += nestedSize(fieldForecastHiringPlan, s)
	}
	for _, a := range w.m.GetAssumptions() {
		s, ok := assumptionSize(a)
		if !ok {
			return 0, false
		}
		n += nestedSize(fieldForecastAssumptions, s)
	}
	if len(w.m.ProtoReflect().GetUnknown()) > 0 {
		return 0, false
	}
	return n, true
}

// appendTo appends the encoding; size must have accepted the message.
func (w forecastWire) appendTo(b []byte) []byte {
	for _, mo := range w.m.GetMonths() {
		b = appendLen(append(b, tag(fieldForecastMonths, protowire.BytesType)), monthLen(mo))
		b = appendString(b, 1, mo.GetMonth())
		b = appendDouble(b, 2, mo.GetAccounts())
		b = appendDouble(b, 3, mo.GetArr())
		b = appendInt32(b, 4, mo.GetCsmHeadcount())
		b = appendDouble(b, 5, mo.GetEffectiveCsms())
		b = appendDouble(b, 6, mo.GetAccountsPerCsm())
		b = appendDouble(b, 7, mo.GetArrPerCsm())
		b = appendDouble(b, 8, mo.GetCsCost())
		b = appendDouble(b, 9, mo.GetCsCostShare())
	}
	for _, t := range w.m.GetTriggers() {
		s, _ := triggerSize(t)
		b = appendLen(append(b, tag(fieldForecastTriggers, protowire.BytesType)), s)
		b = appendString(b, 1, t.GetName())
		b = appendDouble(b, 2, t.GetThreshold())
		b = appendString(b, 3, t.GetCrossingMonth())
		b = appendString(b, 4, t.GetOpenRequisitionBy())
		b = appendInt32(b, 5, int32(t.GetStatus()))
		b = appendInt32(b, 6, t.GetMonthsLate())
	}
	for _, h := range w.m.GetHiringPlan() {
		s, _ := hireSize(h)
		b = appendLen(append(b, tag(fieldForecastHiringPlan, protowire.BytesType)), s)
		b = appendString(b, 1, h.GetRequisitionMonth())
		b = appendString(b, 2, h.GetStartMonth())
		b = appendString(b, 3, h.GetRampedMonth())
		b = appendDouble(b, 4, h.GetFirstYearCost())
	}
	for _, a := range w.m.GetAssumptions() {
		s, _ := assumptionSize(a)
		b = appendLen(append(b, tag(fieldForecastAssumptions, protowire.BytesType)), s)
		b = appendString(b, 1, a.GetName())
		b = appendString(b, 2, a.GetValue())
		b = appendString(b, 3, a.GetSource())
	}
	return b
}

func monthSize(m *csplanv1.ForecastMonth) (int, bool) {
	if m == nil || len(m.ProtoReflect().GetUnknown()) > 0 || !validUTF8(m.GetMonth()) {
		return 0, false
	}
	return monthLen(m), true
}

// monthLen is the encoded length of a month size has accepted.
func monthLen(m *csplanv1.ForecastMonth) int {
	return stringSize(1, m.GetMonth()) + doubleSize(m.GetAccounts()) + doubleSize(m.GetArr()) +
		int32Size(4, m.GetCsmHeadcount()) + doubleSize(m.GetEffectiveCsms()) + doubleSize(m.GetAccountsPerCsm()) +
		doubleSize(m.GetArrPerCsm()) + doubleSize(m.GetCsCost()) + doubleSize(m.GetCsCostShare())
}

func triggerSize(t *csplanv1.Trigger) (int, bool) {
	if t == nil || len(t.ProtoReflect().GetUnknown()) > 0 ||
		!validUTF8(t.GetName()) || !validUTF8(t.GetCrossingMonth()) || !validUTF8(t.GetOpenRequisitionBy()) {
		return 0, false
	}
	return stringSize(1, t.GetName()) + doubleSize(t.GetThreshold()) + stringSize(3, t.GetCrossingMonth()) +
		stringSize(4, t.GetOpenRequisitionBy()) + int32Size(5, int32(t.GetStatus())) + int32Size(6, t.GetMonthsLate()), true
}

func hireSize(h *csplanv1.PlannedHire) (int, bool) {
	if h == nil || len(h.ProtoReflect().GetUnknown()) > 0 ||
		!validUTF8(h.GetRequisitionMonth()) || !validUTF8(h.GetStartMonth()) || !validUTF8(h.GetRampedMonth()) {
		return 0, false
	}
	return stringSize(1, h.GetRequisitionMonth()) + stringSize(2, h.GetStartMonth()) + stringSize(3, h.GetRampedMonth()) +
		doubleSize(h.GetFirstYearCost()), true
}

func assumptionSize(a *csplanv1.Assumption) (int, bool) {
	if a == nil || len(a.ProtoReflect().GetUnknown()) > 0 ||
		!validUTF8(a.GetName()) || !validUTF8(a.GetValue()) || !validUTF8(a.GetSource()) {
		return 0, false
	}
	return stringSize(1, a.GetName()) + stringSize(2, a.GetValue()) + stringSize(3, a.GetSource()), true
}

// The fields here all have numbers below 16: their tags take one byte.

func nestedSize(num protowire.Number, n int) int {
	return protowire.SizeTag(num) + protowire.SizeBytes(n)
}

func stringSize(num protowire.Number, s string) int {
	if s == "" {
		return 0
	}
	return protowire.SizeTag(num) + protowire.SizeBytes(len(s))
}

// doubleSize leaves out +0 only: proto3 writes -0, whose bits are not zero.
func doubleSize(v float64) int {
	if math.Float64bits(v) == 0 {
		return 0
	}
	return 1 + 8
}

func int32Size(num protowire.Number, v int32) int {
	if v == 0 {
		return 0
	}
	return protowire.SizeTag(num) + protowire.SizeVarint(uint64(int64(v)))
}

// tag is the one-byte tag of a field numbered below 16.
func tag(num protowire.Number, typ protowire.Type) byte { return byte(num)<<3 | byte(typ) }

// appendLen appends a length, most often one byte.
func appendLen(b []byte, n int) []byte {
	if n < 0x80 {
		return append(b, byte(n))
	}
	return protowire.AppendVarint(b, uint64(n))
}

func appendString(b []byte, num protowire.Number, s string) []byte {
	if s == "" {
		return b
	}
	return append(appendLen(append(b, tag(num, protowire.BytesType)), len(s)), s...)
}

func appendDouble(b []byte, num protowire.Number, v float64) []byte {
	if math.Float64bits(v) == 0 {
		return b
	}
	return binary.LittleEndian.AppendUint64(append(b, tag(num, protowire.Fixed64Type)), math.Float64bits(v))
}

// appendInt32 writes an int32 or enum as proto does: sign-extended to 64
// bits, so that a negative value takes ten bytes.
func appendInt32(b []byte, num protowire.Number, v int32) []byte {
	if v == 0 {
		return b
	}
	return protowire.AppendVarint(append(b, tag(num, protowire.VarintType)), uint64(int64(v)))
}

// validUTF8 is utf8.ValidString with a fast path for ASCII, which month
// names and most text are.
func validUTF8(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return utf8.ValidString(s[i:])
		}
	}
	return true
}
