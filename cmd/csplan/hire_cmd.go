package main

import (
	"context"
	"errors"
)

func runHire(ctx context.Context, args []string, e env) error {
	return errors.New("hire: not implemented yet")
}
