package server

import (
	"log/slog"

	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
)

// segmentationService implements SegmentationService on the capacity
// domain.
type segmentationService struct {
	csplanv1.UnimplementedSegmentationServiceServer
	logger *slog.Logger
	// maxUnaryAccounts bounds a unary call's book; past it the error names
	// the streaming RPC to use.
	maxUnaryAccounts int
	// maxStreamAccounts bounds a stream's book.
	maxStreamAccounts int
}

var _ csplanv1.SegmentationServiceServer = (*segmentationService)(nil)
