package server

import (
	"context"
	"errors"
	"fmt"
	"io"

	"google.golang.org/protobuf/proto"

	"github.com/csplan/csplan/capacity"
	"github.com/csplan/csplan/internal/bookwire"
)

// settingsStream reads a book stream whose head is settings: the head,
// then every account of every batch, validated and handed to add. The
// per-account path allocates nothing.
type settingsStream struct {
	recv   func(any) error
	frame  *bookwire.Frame
	limit  int64
	advice string // what to do past the limit: "analyze the book in parts"
}

// head reads the first message, which must carry the settings; example
// shows them in the errors.
func (st *settingsStream) head(example string) (proto.Message, error) {
	err := st.recv(st.frame)
	if errors.Is(err, io.EOF) {
		return nil, &capacity.FieldError{Field: "settings", Reason: fmt.Sprintf("the stream is empty: send the settings first (%s), then batches of accounts", example)}
	}
	if err != nil {
		return nil, err
	}
	if st.frame.Payload() != bookwire.Head {
		return nil, &capacity.FieldError{Field: "settings", Reason: fmt.Sprintf("the first message must carry the settings (%s); batches of accounts follow it", example)}
	}
	return st.frame.Head(), nil
}

// accounts reads the batches to the end of the stream.
func (st *settingsStream) accounts(ctx context.Context, add func(*capacity.Account)) error {
	var acct capacity.Account
	var n int64
	for msgNo := 2; ; msgNo++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		err := st.recv(st.frame)
		if errors.Is(err, io.EOF) {
			return ctx.Err()
		}
		if err != nil {
			return err
		}
		switch st.frame.Payload() {
		case bookwire.Head:
			return &capacity.FieldError{Field: "settings", Reason: fmt.Sprintf("message %d carries settings again: only the first message carries them, the rest carry batches", msgNo)}
		case bookwire.None:
			return &capacity.FieldError{Field: "payload", Reason: fmt.Sprintf(`message %d carries nothing: give a batch of accounts ({"batch": {"accounts": [...]}})`, msgNo)}
		}
		for j := range st.frame.Len() {
			if n >= st.limit {
				return &capacity.FieldError{Field: "batch.accounts", Reason: fmt.Sprintf("the stream passed %d accounts, the most one stream takes: %s or raise the server's --max-stream-accounts", st.limit, st.advice)}
			}
			st.frame.Account(j, &acct)
			if err := capacity.ValidateAccount(&acct, "batch.accounts", j); err != nil {
				return annotateViolations(err, fmt.Sprintf("message %d, account %d of the stream (from 0)", msgNo, n))
			}
			add(&acct)
			n++
		}
	}
}
