package main

import (
	"context"
	"errors"
)

func runSegmentAssign(ctx context.Context, args []string, e env) error {
	return errors.New("segment assign: not implemented yet")
}

func runCoverage(ctx context.Context, args []string, e env) error {
	return errors.New("coverage plan: not implemented yet")
}
