package server

import (
	"encoding/binary"
	"math"
	"unicode/utf8"

	"google.golang.org/protobuf/encoding/protowire"

	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
)

// A what-if page sends a ComputeCapacityRequest on every keystroke, and
// proto.Unmarshal spends one allocation on every nested message, string
// and optional double of it. decodeComputeRequest fills the same generated
// structs from a handful of slabs instead: the bytes are walked twice, once
// to validate and count, once to fill slabs sized by that count, so that
// no slab grows and no pointer into one moves.
//
// It decodes only what it is sure proto.Unmarshal decodes the same way:
// the known fields with their own wire types. Anything else (unknown
// fields, which proto keeps as unknown bytes; wrong wire types; a singular
// message given twice, which proto merges; invalid UTF-8; truncation;
// groups) makes it give up, and the caller falls back to proto.Unmarshal
// for the reference result or error.

// Field numbers and wire types of the messages the decoder reads.
const (
	crCsmTime  = 1 // ComputeCapacityRequest.csm_time
	crSegments = 2 // ComputeCapacityRequest.segments

	ctWeeklyHours         = 1 // CsmTime.weekly_hours (optional)
	ctTimeOffDaysPerYear  = 2 // CsmTime.time_off_days_per_year (optional)
	ctCustomerFacingShare = 3 // CsmTime.customer_facing_share (optional)
	ctInternalActivities  = 4 // CsmTime.internal_activities
	ctTargetUtilization   = 5 // CsmTime.target_utilization (optional)

	iaName          = 1 // InternalActivity.name
	iaHoursPerMonth = 2 // InternalActivity.hours_per_month

	csName                   = 1 // CapacitySegment.name
	csAccounts               = 2 // CapacitySegment.accounts
	csArr                    = 3 // CapacitySegment.arr
	csPlaybook               = 4 // CapacitySegment.playbook
	csNewAccountsPerMonth    = 5 // CapacitySegment.new_accounts_per_month (optional)
	csCustomerLifetimeMonths = 6 // CapacitySegment.customer_lifetime_months (optional)

	pbTouchpoints = 1 // Playbook.touchpoints
	pbInbound     = 2 // Playbook.inbound

	tpName    = 1 // Touchpoint.name
	tpHours   = 2 // Touchpoint.hours
	tpCadence = 3 // Touchpoint.cadence
	tpPerYear = 4 // Touchpoint.per_year (optional)

	ibName               = 1 // InboundActivity.name
	ibPerAccountPerMonth = 2 // InboundActivity.per_account_per_month
	ibHours              = 3 // InboundActivity.hours
)

// Tags as they appear on the wire: field number << 3 | wire type.
const (
	tagVarint  = uint64(protowire.VarintType)
	tagFixed64 = uint64(protowire.Fixed64Type)
	tagBytes   = uint64(protowire.BytesType)
)

// decodeComputeRequest decodes b into m (a fresh, zero message) and reports
// whether it did; on false m is left in an unspecified state and the caller
// must reset it and use proto.Unmarshal.
func decodeComputeRequest(b []byte, m *csplanv1.ComputeCapacityRequest) bool {
	d := computeDecoder{in: b}
	// The first pass writes nothing: it validates and counts.
	if !d.request(nil) {
		return false
	}
	d.allocate()
	// The second pass walks the same bytes the same way, so it cannot fail.
	return d.request(m)
}

// computeDecoder holds the input and the slabs the messages are carved
// from. The counters count in the first pass and are cursors into the
// slabs in the second. Offsets are into in, so that a string's offsets are
// its offsets in str.
type computeDecoder struct {
	in   []byte
	fill bool
	// str is string(in): every string field is a substring of it, so one
	// copy serves them all and none aliases the caller's (pooled) buffer.
	str    string
	hasStr bool

	nSeg, nAct, nBook, nTouch, nInbound, nOpt int

	segs     []csplanv1.CapacitySegment
	segPtrs  []*csplanv1.CapacitySegment
	acts     []csplanv1.InternalActivity
	actPtrs  []*csplanv1.InternalActivity
	books    []csplanv1.Playbook
	touches  []csplanv1.Touchpoint
	touchPtr []*csplanv1.Touchpoint
	inbound  []csplanv1.InboundActivity
	inPtrs   []*csplanv1.InboundActivity
	opts     []float64
}

func (d *computeDecoder) allocate() {
	d.fill = true
	if d.hasStr {
		d.str = string(d.in)
	}
	d.segs = make([]csplanv1.CapacitySegment, d.nSeg)
	d.segPtrs = make([]*csplanv1.CapacitySegment, d.nSeg)
	d.acts = make([]csplanv1.InternalActivity, d.nAct)
	d.actPtrs = make([]*csplanv1.InternalActivity, d.nAct)
	d.books = make([]csplanv1.Playbook, d.nBook)
	d.touches = make([]csplanv1.Touchpoint, d.nTouch)
	d.touchPtr = make([]*csplanv1.Touchpoint, d.nTouch)
	d.inbound = make([]csplanv1.InboundActivity, d.nInbound)
	d.inPtrs = make([]*csplanv1.InboundActivity, d.nInbound)
	d.opts = make([]float64, d.nOpt)
	d.nSeg, d.nAct, d.nBook, d.nTouch, d.nInbound, d.nOpt = 0, 0, 0, 0, 0, 0
}

// varint reads the varint at in[i:end] and returns it with the offset
// after it; next < 0 when it is truncated or overflows. Tags and small
// numbers, most of a request, take the one-byte path.
func (d *computeDecoder) varint(i, end int) (v uint64, next int) {
	if i < end && d.in[i] < 0x80 {
		return uint64(d.in[i]), i + 1
	}
	v, n := protowire.ConsumeVarint(d.in[i:end])
	if n < 0 {
		return 0, -1
	}
	return v, i + n
}

// fixed64 reads the 8 bytes at in[i:end].
func (d *computeDecoder) fixed64(i, end int) (v uint64, next int) {
	if end-i < 8 {
		return 0, -1
	}
	return binary.LittleEndian.Uint64(d.in[i : i+8]), i + 8
}

// double reads a double as fixed64 does.
func (d *computeDecoder) double(i, end int) (v float64, next int) {
	u, next := d.fixed64(i, end)
	return math.Float64frombits(u), next
}

// bytes reads the length at in[i:end] and returns the extent of the
// payload after it; stop < 0 when the payload does not fit. A length too
// large for an int (proto's "negative length") does not fit either.
func (d *computeDecoder) bytes(i, end int) (start, stop int) {
	l, i := d.varint(i, end)
	if i < 0 || l > uint64(end-i) {
		return 0, -1
	}
	return i, i + int(l)
}

// text reads a length-delimited string at i and returns it with the index
// after it (< 0 when it does not fit), checking in the first pass that it
// is valid UTF-8 as proto3 requires.
func (d *computeDecoder) text(i, end int) (string, int) {
	start, stop := d.bytes(i, end)
	if stop < 0 {
		return "", -1
	}
	if !d.fill {
		if stop > start {
			d.hasStr = true
		}
		if !utf8.Valid(d.in[start:stop]) {
			return "", -1
		}
		return "", stop
	}
	if start == stop {
		// str is empty when every string is.
		return "", stop
	}
	return d.str[start:stop], stop
}

// optional returns a pointer to v from the slab. Each occurrence takes a
// slot, so that a value given twice needs no bookkeeping.
func (d *computeDecoder) optional(v float64) *float64 {
	i := d.nOpt
	d.nOpt++
	if !d.fill {
		return nil
	}
	p := &d.opts[i]
	*p = v
	return p
}

func (d *computeDecoder) request(m *csplanv1.ComputeCapacityRequest) bool {
	seenCsm := false
	first := d.nSeg
	for i, end := 0, len(d.in); i < end; {
		var tag uint64
		if tag, i = d.varint(i, end); i < 0 {
			return false
		}
		switch tag {
		case crCsmTime<<3 | tagBytes:
			// proto merges a repeated singular message: leave that to it.
			if seenCsm {
				return false
			}
			seenCsm = true
			start, stop := d.bytes(i, end)
			if stop < 0 {
				return false
			}
			var c *csplanv1.CsmTime
			if d.fill {
				c = new(csplanv1.CsmTime)
				m.CsmTime = c
			}
			if !d.csmTime(start, stop, c) {
				return false
			}
			i = stop
		case crSegments<<3 | tagBytes:
			start, stop := d.bytes(i, end)
			if stop < 0 {
				return false
			}
			var s *csplanv1.CapacitySegment
			if d.fill {
				s = &d.segs[d.nSeg]
				d.segPtrs[d.nSeg] = s
			}
			d.nSeg++
			if !d.segment(start, stop, s) {
				return false
			}
			i = stop
		default:
			return false
		}
	}
	if d.fill && d.nSeg > first {
		// A full slice expression, so that appending to one list never
		// writes into the next.
		m.Segments = d.segPtrs[first:d.nSeg:d.nSeg]
	}
	return true
}

func (d *computeDecoder) csmTime(i, end int, m *csplanv1.CsmTime) bool {
	first := d.nAct
	for i < end {
		var tag uint64
		if tag, i = d.varint(i, end); i < 0 {
			return false
		}
		switch tag {
		case ctWeeklyHours<<3 | tagFixed64, ctTimeOffDaysPerYear<<3 | tagFixed64,
			ctCustomerFacingShare<<3 | tagFixed64, ctTargetUtilization<<3 | tagFixed64:
			var v float64
			if v, i = d.double(i, end); i < 0 {
				return false
			}
			p := d.optional(v)
			if !d.fill {
				continue
			}
			switch tag >> 3 {
			case ctWeeklyHours:
				m.WeeklyHours = p
			case ctTimeOffDaysPerYear:
				m.TimeOffDaysPerYear = p
			case ctCustomerFacingShare:
				m.CustomerFacingShare = p
			default:
				m.TargetUtilization = p
			}
		case ctInternalActivities<<3 | tagBytes:
			start, stop := d.bytes(i, end)
			if stop < 0 {
				return false
			}
			var a *csplanv1.InternalActivity
			if d.fill {
				a = &d.acts[d.nAct]
				d.actPtrs[d.nAct] = a
			}
			d.nAct++
			if !d.internalActivity(start, stop, a) {
				return false
			}
			i = stop
		default:
			return false
		}
	}
	if d.fill && d.nAct > first {
		m.InternalActivities = d.actPtrs[first:d.nAct:d.nAct]
	}
	return true
}

func (d *computeDecoder) internalActivity(i, end int, m *csplanv1.InternalActivity) bool {
	for i < end {
		var tag uint64
		if tag, i = d.varint(i, end); i < 0 {
			return false
		}
		switch tag {
		case iaName<<3 | tagBytes:
			var s string
			if s, i = d.text(i, end); i < 0 {
				return false
			}
			if d.fill {
				m.Name = s
			}
		case iaHoursPerMonth<<3 | tagFixed64:
			var v float64
			if v, i = d.double(i, end); i < 0 {
				return false
			}
			if d.fill {
				m.HoursPerMonth = v
			}
		default:
			return false
		}
	}
	return true
}

func (d *computeDecoder) segment(i, end int, m *csplanv1.CapacitySegment) bool {
	seenBook := false
	for i < end {
		var tag uint64
		if tag, i = d.varint(i, end); i < 0 {
			return false
		}
		switch tag {
		case csName<<3 | tagBytes:
			var s string
			if s, i = d.text(i, end); i < 0 {
				return false
			}
			if d.fill {
				m.Name = s
			}
		case csAccounts<<3 | tagVarint:
			var v uint64
			if v, i = d.varint(i, end); i < 0 {
				return false
			}
			if d.fill {
				// proto truncates an int32's varint the same way.
				m.Accounts = int32(v)
			}
		case csArr<<3 | tagFixed64:
			var v float64
			if v, i = d.double(i, end); i < 0 {
				return false
			}
			if d.fill {
				m.Arr = v
			}
		case csPlaybook<<3 | tagBytes:
			if seenBook {
				return false
			}
			seenBook = true
			start, stop := d.bytes(i, end)
			if stop < 0 {
				return false
			}
			var p *csplanv1.Playbook
			if d.fill {
				p = &d.books[d.nBook]
				m.Playbook = p
			}
			d.nBook++
			if !d.playbook(start, stop, p) {
				return false
			}
			i = stop
		case csNewAccountsPerMonth<<3 | tagFixed64, csCustomerLifetimeMonths<<3 | tagFixed64:
			var v float64
			if v, i = d.double(i, end); i < 0 {
				return false
			}
			p := d.optional(v)
			if !d.fill {
				continue
			}
			if tag>>3 == csNewAccountsPerMonth {
				m.NewAccountsPerMonth = p
			} else {
				m.CustomerLifetimeMonths = p
			}
		default:
			return false
		}
	}
	return true
}

func (d *computeDecoder) playbook(i, end int, m *csplanv1.Playbook) bool {
	firstTouch, firstInbound := d.nTouch, d.nInbound
	for i < end {
		var tag uint64
		if tag, i = d.varint(i, end); i < 0 {
			return false
		}
		switch tag {
		case pbTouchpoints<<3 | tagBytes:
			start, stop := d.bytes(i, end)
			if stop < 0 {
				return false
			}
			var t *csplanv1.Touchpoint
			if d.fill {
				t = &d.touches[d.nTouch]
				d.touchPtr[d.nTouch] = t
			}
			d.nTouch++
			if !d.touchpoint(start, stop, t) {
				return false
			}
			i = stop
		case pbInbound<<3 | tagBytes:
			start, stop := d.bytes(i, end)
			if stop < 0 {
				return false
			}
			var a *csplanv1.InboundActivity
			if d.fill {
				a = &d.inbound[d.nInbound]
				d.inPtrs[d.nInbound] = a
			}
			d.nInbound++
			if !d.inboundActivity(start, stop, a) {
				return false
			}
			i = stop
		default:
			return false
		}
	}
	if d.fill {
		if d.nTouch > firstTouch {
			m.Touchpoints = d.touchPtr[firstTouch:d.nTouch:d.nTouch]
		}
		if d.nInbound > firstInbound {
			m.Inbound = d.inPtrs[firstInbound:d.nInbound:d.nInbound]
		}
	}
	return true
}

func (d *computeDecoder) touchpoint(i, end int, m *csplanv1.Touchpoint) bool {
	for i < end {
		var tag uint64
		if tag, i = d.varint(i, end); i < 0 {
			return false
		}
		switch tag {
		case tpName<<3 | tagBytes:
			var s string
			if s, i = d.text(i, end); i < 0 {
				return false
			}
			if d.fill {
				m.Name = s
			}
		case tpHours<<3 | tagFixed64:
			var v float64
			if v, i = d.double(i, end); i < 0 {
				return false
			}
			if d.fill {
				m.Hours = v
			}
		case tpCadence<<3 | tagVarint:
			var v uint64
			if v, i = d.varint(i, end); i < 0 {
				return false
			}
			if d.fill {
				// Enums are open: proto keeps any number, truncated to int32.
				m.Cadence = csplanv1.Cadence(int32(v))
			}
		case tpPerYear<<3 | tagFixed64:
			var v float64
			if v, i = d.double(i, end); i < 0 {
				return false
			}
			p := d.optional(v)
			if d.fill {
				m.PerYear = p
			}
		default:
			return false
		}
	}
	return true
}

func (d *computeDecoder) inboundActivity(i, end int, m *csplanv1.InboundActivity) bool {
	for i < end {
		var tag uint64
		if tag, i = d.varint(i, end); i < 0 {
			return false
		}
		switch tag {
		case ibName<<3 | tagBytes:
			var s string
			if s, i = d.text(i, end); i < 0 {
				return false
			}
			if d.fill {
				m.Name = s
			}
		case ibPerAccountPerMonth<<3 | tagFixed64:
			var v float64
			if v, i = d.double(i, end); i < 0 {
				return false
			}
			if d.fill {
				m.PerAccountPerMonth = v
			}
		case ibHours<<3 | tagFixed64:
			var v float64
			if v, i = d.double(i, end); i < 0 {
				return false
			}
			if d.fill {
				m.Hours = v
			}
		default:
			return false
		}
	}
	return true
}
