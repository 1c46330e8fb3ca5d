package server

import (
	"context"
	"errors"
	"log/slog"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/csplan/csplan/capacity"
)

// toStatus maps an error from the domain to the status a caller sees:
// validation errors become InvalidArgument with a google.rpc.BadRequest that
// lists every bad field; context errors keep their meaning; anything else is
// logged here, once, and reaches the caller only as "internal error".
func toStatus(ctx context.Context, logger *slog.Logger, err error) error {
	if err == nil {
		return nil
	}
	var ve *capacity.ValidationError
	if errors.As(err, &ve) {
		return invalidArgument(ve)
	}
	var fe *capacity.FieldError
	if errors.As(err, &fe) {
		return invalidArgument(&capacity.ValidationError{Violations: []*capacity.FieldError{fe}})
	}
	if _, ok := status.FromError(err); ok {
		return err
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return status.FromContextError(err).Err()
	}
	logger.ErrorContext(ctx, "internal error", "error", err)
	return status.Error(codes.Internal, "internal error")
}

func invalidArgument(ve *capacity.ValidationError) error {
	// A bad value is quoted in part: a 4 MiB string must not come back
	// whole in the status (over gRPC, in a header).
	st := status.New(codes.InvalidArgument, shortValues(ve.Error()))
	br := &errdetails.BadRequest{}
	for _, v := range ve.Violations {
		br.FieldViolations = append(br.FieldViolations, &errdetails.BadRequest_FieldViolation{
			Field:       v.Field,
			Description: shortValues(v.Reason),
		})
	}
	withDetails, err := st.WithDetails(br)
	if err != nil {
		return st.Err()
	}
	return withDetails.Err()
}
