package server

import (
	"bufio"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"strings"
	"sync/atomic"

	"github.com/grpc-ecosystem/go-grpc-middleware/v2/interceptors/auth"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// Tokens holds the bearer tokens the server accepts, as SHA-256 digests so
// that plain tokens need not stay in memory. It is safe for concurrent use;
// Replace swaps the whole set at once (on SIGHUP).
type Tokens struct {
	digests atomic.Pointer[[][sha256.Size]byte]
}

// ParseTokens reads tokens one per line: a plain token, or "sha256:" and the
// hex digest of one (so the file need not hold secrets). Blank lines and
// lines starting with # are ignored. At least one token is required.
func ParseTokens(r io.Reader) (*Tokens, error) {
	var digests [][sha256.Size]byte
	sc := bufio.NewScanner(r)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		d, err := tokenDigest(text)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
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
// CSPLAN_AUTH_TOKENS carries it.
func ParseTokenList(list string) (*Tokens, error) {
	return ParseTokens(strings.NewReader(strings.ReplaceAll(list, ",", "\n")))
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

func tokenDigest(text string) ([sha256.Size]byte, error) {
	var d [sha256.Size]byte
	if hexDigest, ok := strings.CutPrefix(text, "sha256:"); ok {
		b, err := hex.DecodeString(hexDigest)
		if err != nil || len(b) != sha256.Size {
			return d, fmt.Errorf("sha256: must be followed by 64 hex digits")
		}
		copy(d[:], b)
		return d, nil
	}
	return sha256.Sum256([]byte(text)), nil
}

// errUnauthenticated says nothing about why: a caller probing tokens learns
// only that this one did not work.
var errUnauthenticated = status.Error(codes.Unauthenticated, "missing or invalid bearer token")

// authenticate checks the call's "authorization: Bearer <token>".
func (t *Tokens) authenticate(ctx context.Context) (context.Context, error) {
	token, err := auth.AuthFromMD(ctx, "bearer")
	if err != nil || !t.Valid(token) {
		return nil, errUnauthenticated
	}
	return ctx, nil
}
