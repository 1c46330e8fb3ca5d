package server

import (
	"bufio"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"strings"
	"sync/atomic"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// Tokens holds the bearer tokens the server accepts, as SHA-256 digests so
// that plain tokens need not stay in memory. It is safe for concurrent use;
// Replace swaps the whole set at once (on SIGHUP).
type Tokens struct {
	digests atomic.Pointer[[][sha256.Size]byte]
}

// ParseTokens reads tokens one per line: a plain token of at least
// MinTokenLength characters, or "sha256:" and the 64 hex digits of a
// token's digest (so the file need not hold secrets). Blank lines and lines
// starting with # are ignored. At least one token is required.
func ParseTokens(r io.Reader) (*Tokens, error) { return parseTokens(r, "line") }

func parseTokens(r io.Reader, unit string) (*Tokens, error) {
	var digests [][sha256.Size]byte
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		d, err := tokenDigest(text)
		if err != nil {
			return nil, fmt.Errorf("%s %d: %w", unit, n, err)
		}
		digests = append(digests, d)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(digests) == 0 {
		return nil, fmt.Errorf("no tokens: give one per line, plain or as sha256:<hex digest>")
	}
	t := &Tokens{}
	t.digests.Store(&digests)
	return t, nil
}

// ParseTokenList reads a comma-separated list in the same forms, as
// CSPLAN_AUTH_TOKENS carries it; errors name the entry, from 1.
func ParseTokenList(list string) (*Tokens, error) {
	return parseTokens(strings.NewReader(strings.ReplaceAll(list, ",", "\n")), "entry")
}

// LoadTokens reads a tokens file.
func LoadTokens(path string) (*Tokens, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	t, err := ParseTokens(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return t, nil
}

// Replace takes over the tokens of other, for a reload.
func (t *Tokens) Replace(other *Tokens) { t.digests.Store(other.digests.Load()) }

// Len returns the number of tokens.
func (t *Tokens) Len() int { return len(*t.digests.Load()) }

// Valid reports whether token is one of the accepted tokens. It compares
// digests in constant time and always looks at every one, so timing tells
// nothing about how close a guess came.
func (t *Tokens) Valid(token string) bool {
	d := sha256.Sum256([]byte(token))
	ok := 0
	for _, want := range *t.digests.Load() {
		ok |= subtle.ConstantTimeCompare(d[:], want[:])
	}
	return ok == 1
}

// MinTokenLength is the shortest plain token accepted: at 16 characters a
// token drawn at random holds about 95 bits (base64), far past guessing at
// the brake's rate.
const MinTokenLength = 16

func tokenDigest(text string) ([sha256.Size]byte, error) {
	var d [sha256.Size]byte
	if strings.ContainsAny(text, " \t") {
		return d, fmt.Errorf("a token has no spaces: give one token per line (a tenant column is not supported)")
	}
	if hexDigest, ok := strings.CutPrefix(text, "sha256:"); ok {
		b, err := hex.DecodeString(hexDigest)
		if err != nil || len(b) != sha256.Size {
			return d, fmt.Errorf("sha256: must be followed by 64 hex digits (the digest of the token, as sha256sum prints it), got %d characters", len(hexDigest))
		}
		copy(d[:], b)
		return d, nil
	}
	if n := len([]rune(text)); n < MinTokenLength {
		return d, fmt.Errorf("a token of %d characters is too short to resist guessing: use at least %d (for example: openssl rand -base64 24)", n, MinTokenLength)
	}
	return sha256.Sum256([]byte(text)), nil
}

// errUnauthenticated says nothing about why: a caller probing tokens learns
// only that this one did not work.
var errUnauthenticated = status.Error(codes.Unauthenticated, unauthenticatedMessage)

const unauthenticatedMessage = "missing or invalid bearer token"
