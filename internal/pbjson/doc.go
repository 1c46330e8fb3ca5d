// Package pbjson is a faster drop-in for protojson with the two option sets
// the REST gateway uses.
//
// Marshal produces canonical JSON: byte for byte what
// protojson.MarshalOptions{EmitUnpopulated: true}.Marshal produces, without
// the space protojson puts after commas in some builds and not others (its
// spacing is deliberately unstable, so that no client depends on it; csplan's
// is stable, and has none). Messages it does not encode itself (well-known
// types, messages with extension ranges or required fields anywhere in the
// tree) are written by protojson and compacted, and any encoding error
// (invalid UTF-8) is protojson's.
//
// Unmarshal decodes, for the messages Marshal encodes itself, a strict
// subset of JSON that protojson.UnmarshalOptions{} is known to accept and
// decode identically: one object of known fields
// (JSON or proto names, unescaped), no null, plain JSON numbers for 32-bit
// integers (no fraction or exponent) and floating point fields, plain or
// quoted integer literals for 64-bit integers, padded standard base64 for
// bytes, true/false, enum names, strings with simple (non-surrogate)
// escapes, nested objects, arrays and maps. Whenever the input leaves that
// subset, or a doubt arises (unknown or repeated field, second oneof member,
// duplicate map key, overflow, "NaN"...), it calls protojson, which resets
// the message and gives protojson's result and error. Input in the subset
// is transcoded to protobuf wire format (every value given is written, zero
// or not, so fields with presence are present exactly when protojson makes
// them so; an empty object writes an empty message) and handed to one
// proto.Unmarshal, which resets the message and builds it; the message is
// not touched before the whole input has been read.
package pbjson
