package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	"github.com/csplan/csplan/internal/pbjson"
)

// ndjsonMarshaler is jsonMarshaler for the stream routes with a faster
// decoder. The stock decoder scans every line with encoding/json to find
// where the message ends and then hands it to protojson; at a million
// accounts a second those two passes are most of the gateway's cost.
// ndjsonDecoder finds the end of each value itself and has pbjson transcode
// it to protobuf wire bytes, deferring to protojson (or to the stock
// decoder, for framing trouble) whenever the input is anything but the
// plain subset, so that what it accepts, produces and rejects is what the
// stock decoder does.
//
// The gateway only sends each message it decodes on to the server, over
// the in-memory connection, where the stream's frame decodes it from the
// wire (internal/bookwire). So a transcoded message is handed over as its
// encoding: the bytes become the message's unknown fields, which
// proto.Marshal and MarshalVT write out as they are, and the server reads
// exactly the message protojson would have built, without the gateway
// building it (some 19 allocations per account) and encoding it again.
type ndjsonMarshaler struct {
	*runtime.JSONPb
	// maxMessage bounds one message in bytes, however many lines it spans:
	// a message is held whole before it is decoded.
	maxMessage int
}

// Marshal writes the stream's answer, or its error, as the unary routes do:
// canonical JSON.
func (m ndjsonMarshaler) Marshal(v any) ([]byte, error) { return unaryJSON{m.JSONPb}.Marshal(v) }

func (m ndjsonMarshaler) NewDecoder(r io.Reader) runtime.Decoder {
	return &ndjsonDecoder{r: r, json: m.JSONPb, opts: m.UnmarshalOptions, max: m.maxMessage}
}

// ndjsonReadSize is the least free space a read is given: a batch of a
// thousand accounts is about 100 KiB.
const ndjsonReadSize = 32 << 10

type ndjsonDecoder struct {
	r    io.Reader
	json *runtime.JSONPb
	opts protojson.UnmarshalOptions

	buf  []byte // buf[off:] is read and not yet decoded
	off  int
	rerr error // the error r returned, io.EOF included; no read after it

	// stock takes over for good once the input is past what the splitter
	// handles (a value that is not an object, a read error inside a
	// value, a partial value at the end): the stock decoder then reports
	// exactly what it would have, starting at the same byte.
	stock runtime.Decoder

	wire []byte // the last transcoded message, reused

	max  int  // the most bytes one message may take; 0 for no bound
	over bool // the message being read is past max
	n    int  // messages read, the one being read included
}

// errTooLarge says a message is past the bound.
func (d *ndjsonDecoder) errTooLarge() error {
	return fmt.Errorf("a message of the stream is longer than %d bytes (the limit of one message): send smaller batches", d.max)
}

// Decode decodes the next message into v. A failure is noted on the body
// as a malformed request, unless the body noted a reason of its own first.
func (d *ndjsonDecoder) Decode(v any) error {
	err := d.decode(v)
	if err != nil && err != io.EOF {
		noteRejection(d.r, reasonMalformed)
	}
	return err
}

func (d *ndjsonDecoder) decode(v any) error {
	if d.stock != nil {
		return d.stock.Decode(v)
	}
	msg, ok := v.(proto.Message)
	if !ok {
		return d.handOff().Decode(v)
	}
	frame, ok := d.next()
	d.n++
	if !ok {
		if d.over {
			return d.errTooLarge()
		}
		if d.off == len(d.buf) && d.rerr == io.EOF {
			return io.EOF
		}
		return d.handOff().Decode(v)
	}
	if wire, ok := pbjson.Transcode(d.wire[:0], frame, msg.ProtoReflect().Descriptor()); ok {
		d.wire = wire
		proto.Reset(msg)
		// The message keeps its encoding until it is sent: a copy, since
		// d.wire is reused for the next message.
		msg.ProtoReflect().SetUnknown(bytes.Clone(wire))
		return nil
	}
	if err := d.opts.Unmarshal(frame, msg); err != nil {
		if n, ok := d.r.(rejectionNoter); ok {
			vs := bodyProblems(frame, msg, err)
			for i := range vs {
				vs[i].Reason = fmt.Sprintf("message %d of the stream: %s", d.n, vs[i].Reason)
			}
			n.noteViolations(vs)
		}
		// Text that is not JSON at all fails in encoding/json first in
		// the stock decoder: give its error rather than protojson's.
		if !json.Valid(frame) {
			var raw json.RawMessage
			return json.NewDecoder(bytes.NewReader(frame)).Decode(&raw)
		}
		return err
	}
	return nil
}

// handOff gives the rest of the input, from the first byte not yet
// decoded, to the stock decoder.
func (d *ndjsonDecoder) handOff() runtime.Decoder {
	rest := bytes.NewReader(bytes.Clone(d.buf[d.off:]))
	var r io.Reader = rest
	switch d.rerr {
	case nil:
		r = io.MultiReader(rest, d.r)
	case io.EOF:
	default:
		r = io.MultiReader(rest, errReader{d.rerr})
	}
	d.buf, d.off = nil, 0
	if d.max > 0 {
		// What reaches the stock decoder is never a valid message of these
		// routes (it ends in an error), so it needs no more than a message's
		// worth of input to say so.
		r = &boundedReader{r: r, left: d.max, err: d.errTooLarge()}
	}
	d.stock = d.json.NewDecoder(r)
	return d.stock
}

// boundedReader fails with err once more than left bytes are read.
type boundedReader struct {
	r    io.Reader
	left int
	err  error
}

func (b *boundedReader) Read(p []byte) (int, error) {
	if b.left <= 0 {
		return 0, b.err
	}
	if len(p) > b.left {
		p = p[:b.left]
	}
	n, err := b.r.Read(p)
	b.left -= n
	return n, err
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

// next returns the next top-level object, the bytes from its '{' to its
// matching '}', after JSON whitespace. It tracks strings, escapes and
// nesting only; whether the object is valid JSON is for the decoding to
// find out (an invalid frame is never valid JSON to encoding/json either,
// so the stock decoder fails on the same message). It returns false when
// the input ends (clean or not), fails, or holds something other than an
// object next.
func (d *ndjsonDecoder) next() ([]byte, bool) {
	for {
		for d.off < len(d.buf) && isJSONSpace(d.buf[d.off]) {
			d.off++
		}
		if d.off < len(d.buf) {
			break
		}
		if !d.fill() {
			return nil, false
		}
	}
	if d.buf[d.off] != '{' {
		return nil, false
	}
	depth, inString, escaped := 0, false, false
	for i := d.off; ; {
		for ; i < len(d.buf); i++ {
			c := d.buf[i]
			if inString {
				switch {
				case escaped:
					escaped = false
				case c == '\\':
					escaped = true
				case c == '"':
					inString = false
				}
				continue
			}
			switch c {
			case '"':
				inString = true
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					frame := d.buf[d.off : i+1]
					if d.max > 0 && len(frame) > d.max {
						// Found whole in a last read that came with the
						// end of the input: still past the bound.
						d.over = true
						return nil, false
					}
					d.off = i + 1
					return frame, true
				}
			}
		}
		if d.max > 0 && len(d.buf)-d.off > d.max {
			d.over = true
			return nil, false
		}
		start := d.off
		if !d.fill() {
			return nil, false
		}
		i -= start - d.off // fill may move the pending bytes to the front
	}
}

// fill reads more input after buf[off:], moving or growing the buffer as
// needed. It returns false once r has returned an error.
func (d *ndjsonDecoder) fill() bool {
	if d.rerr != nil {
		return false
	}
	if cap(d.buf)-len(d.buf) < ndjsonReadSize {
		pending := len(d.buf) - d.off
		if d.off >= pending && cap(d.buf)-pending >= ndjsonReadSize {
			d.buf = d.buf[:copy(d.buf[:cap(d.buf)], d.buf[d.off:])]
		} else {
			grown := make([]byte, pending, 2*cap(d.buf)+ndjsonReadSize)
			copy(grown, d.buf[d.off:])
			d.buf = grown
		}
		d.off = 0
	}
	n, err := d.r.Read(d.buf[len(d.buf):cap(d.buf)])
	d.buf = d.buf[:len(d.buf)+n]
	if err != nil {
		d.rerr = err
		// Like encoding/json, data that arrives with the end of the input
		// is read (an HTTP body's last read often carries both), and data
		// that arrives with any other error is kept but the error ends the
		// decoding of the value being read.
		return n > 0 && err == io.EOF
	}
	return true
}

func isJSONSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
