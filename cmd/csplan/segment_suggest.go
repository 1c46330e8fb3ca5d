package main

import (
	"context"
	"errors"
)

func runSegmentSuggest(ctx context.Context, args []string, e env) error {
	return errors.New("segment suggest: not implemented yet")
}
