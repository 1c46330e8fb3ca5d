package bookwire

import (
	"encoding/binary"
	"unicode/utf8"
)

// stringStore holds the strings of a stream. Stages and attribute keys and
// values repeat across a book, so they are interned in a table that is
// bounded (internMaxStrings, internMaxBytes) and kept for the stream. Every
// other string (ids, names, owners, dates, and repeated strings once the
// table is full) is copied into one byte buffer per message, converted to
// a single string once the message is decoded, and handed out as
// substrings of it: one allocation per batch rather than one per string,
// and no unsafe aliasing of bytes that gRPC recycles once Unmarshal
// returns.
type stringStore struct {
	arena    []byte // the bytes of the message's strings not interned
	arenaStr string // arena as a string, once the message is decoded
	table    internTable

	// entries caches whole attribute entries as they come on the wire: a
	// book repeats a few ({"region": "EMEA"}), and one comparison of the
	// entry's bytes replaces parsing it and looking up both strings.
	entries [entryCacheSize]cachedEntry
}

// strRef names a decoded string: entry lo of the intern table when hi is
// negative, else arenaStr[lo:hi]. The zero strRef is "".
type strRef struct{ lo, hi int32 }

// retainArena is the largest string buffer kept for the next message.
const retainArena = 4 << 20

func newStringStore() stringStore {
	return stringStore{table: internTable{index: make(map[string]int32)}}
}

func (s *stringStore) resetMessage() {
	if cap(s.arena) > retainArena {
		s.arena = nil
	}
	s.arena, s.arenaStr = s.arena[:0], ""
}

// endMessage makes the message's strings readable.
func (s *stringStore) endMessage() {
	if len(s.arena) > 0 {
		s.arenaStr = string(s.arena)
	}
}

// copy copies b, which must be UTF-8, into the message's string buffer.
func (s *stringStore) copy(b []byte) (strRef, bool) {
	if len(b) == 0 {
		return strRef{}, true
	}
	if !shortASCII(b) && !utf8.Valid(b) {
		return strRef{}, false
	}
	lo := len(s.arena)
	s.arena = append(s.arena, b...)
	return strRef{lo: int32(lo), hi: int32(len(s.arena))}, true
}

// shortASCII reports whether b, of 8 to 16 bytes (an id, a date), is
// ASCII, two words at a time: such strings are UTF-8 without a call to
// utf8.Valid.
func shortASCII(b []byte) bool {
	n := len(b)
	return n >= 8 && n <= 16 && (binary.LittleEndian.Uint64(b)|binary.LittleEndian.Uint64(b[n-8:]))&0x8080808080808080 == 0
}

// intern finds b in the intern table, adding it while the table has room,
// or else copies it into the message's string buffer. A string found in
// the table was checked for UTF-8 when it was added.
func (s *stringStore) intern(b []byte) (strRef, bool) {
	if len(b) == 0 {
		return strRef{}, true
	}
	if i, ok := s.table.lookup(b); ok {
		return strRef{lo: i, hi: -1}, true
	}
	if !utf8.Valid(b) {
		return strRef{}, false
	}
	if i, ok := s.table.add(b); ok {
		return strRef{lo: i, hi: -1}, true
	}
	return s.copy(b)
}

func (s *stringStore) str(r strRef) string {
	if r.hi < 0 {
		return s.table.strs[r.lo]
	}
	return s.arenaStr[r.lo:r.hi]
}

// cachedEntry is an attribute entry's wire bytes and what they decode to;
// only entries whose strings are both in the intern table are cached, as
// they stay valid for the whole stream. raw keeps its buffer from one entry
// to the next, so that two entries taking turns in a slot cost no
// allocation.
type cachedEntry struct {
	raw  []byte
	attr wireAttr
}

const entryCacheSize = 64

func entrySlot(b []byte) int {
	n := len(b)
	return int((uint32(n)*0x9E3779B1 + uint32(b[n>>1])*0xC2B2AE35 + uint32(b[n-1])*0x27D4EB2F) >> (32 - 6))
}

// cachedEntry returns what the entry b (not empty) decoded to when it was
// met last.
func (s *stringStore) cachedEntry(b []byte) (wireAttr, bool) {
	slot := &s.entries[entrySlot(b)]
	if string(slot.raw) == string(b) {
		return slot.attr, true
	}
	return wireAttr{}, false
}

// cacheEntry keeps raw's decoding when both its strings are interned.
func (s *stringStore) cacheEntry(raw []byte, e wireAttr) {
	if e.key.hi <= 0 && e.value.hi <= 0 && len(raw) <= internMaxLen {
		slot := &s.entries[entrySlot(raw)]
		slot.raw, slot.attr = append(slot.raw[:0], raw...), e
	}
}

// internTable holds the distinct short strings met in a stream, up to a
// bound: past it, strings are no longer added and go to each message's
// string buffer instead, so that a free-text column costs memory per
// message, never per stream.
type internTable struct {
	index map[string]int32
	strs  []string
	bytes int
	// recent caches index by a cheap hash of the bytes (entry + 1, 0 when
	// empty): a book's few stages and attributes are then found with one
	// comparison instead of a map lookup.
	recent [internRecent]int32
}

const (
	internMaxStrings = 4096
	internMaxBytes   = 256 << 10
	// internMaxLen keeps long free text, unlikely to repeat, out of the
	// table.
	internMaxLen = 128

	internRecentBits = 8
	internRecent     = 1 << internRecentBits
)

// lookup finds b, which is not empty, in the table.
func (t *internTable) lookup(b []byte) (int32, bool) {
	n := len(b)
	h := uint32(n)*0x9E3779B1 + uint32(b[0])*0x85EBCA6B + uint32(b[n>>1])*0xC2B2AE35 + uint32(b[n-1])*0x27D4EB2F
	slot := h >> (32 - internRecentBits)
	if i := t.recent[slot] - 1; i >= 0 && t.strs[i] == string(b) {
		return i, true
	}
	i, ok := t.index[string(b)]
	if ok {
		t.recent[slot] = i + 1
	}
	return i, ok
}

func (t *internTable) add(b []byte) (int32, bool) {
	if len(b) > internMaxLen || len(t.strs) >= internMaxStrings || t.bytes+len(b) > internMaxBytes {
		return 0, false
	}
	s, i := string(b), int32(len(t.strs))
	t.index[s], t.strs, t.bytes = i, append(t.strs, s), t.bytes+len(s)
	return i, true
}
