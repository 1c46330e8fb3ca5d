package server

import (
	"log/slog"
	"time"

	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
)

// hiringService implements HiringService on the capacity domain.
type hiringService struct {
	csplanv1.UnimplementedHiringServiceServer
	logger *slog.Logger
	now    func() time.Time
}

var _ csplanv1.HiringServiceServer = (*hiringService)(nil)
