// Command csplan serves csplan's services (csplan serve) and calls them
// from the command line: each client subcommand reads a YAML file, calls the
// service and prints a table or JSON. Without --server the services run
// inside the command, through the same gRPC code and interceptors.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/csplan/csplan/accountcsv"
	"github.com/csplan/csplan/planner"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		printError(os.Stderr, err)
	}
	os.Exit(exitCode(err))
}

// env is what a subcommand may touch of the process.
type env struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
}

// usageError marks a mistake in the command line: exit code 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	e := env{stdin: stdin, stdout: stdout, stderr: stderr, getenv: os.Getenv}
	if len(args) > 0 && args[0] == "__complete" {
		complete(ctx, commandTree(), args[1:], e)
		return nil
	}
	return dispatch(ctx, commandTree(), args, e)
}

// Exit codes, one table for every command (README, "Exit codes"):
const (
	exitOK    = 0
	exitOther = 1 // a file that cannot be opened or written, a fault
	exitUsage = 2 // an unknown command or flag, a missing argument
	// exitInput is a file, CSV or request whose content is wrong, whether
	// csplan or the service finds it: 64 plus INVALID_ARGUMENT, the code
	// the service gives the same mistake.
	exitInput = 64 + int(codes.InvalidArgument)
	// Any other status from the service is 64 plus its gRPC code, as
	// grpcurl exits (78 UNAVAILABLE, 80 UNAUTHENTICATED, 68 DEADLINE_EXCEEDED).
	exitStatusBase = 64
)

// exitCode maps err onto the table above.
func exitCode(err error) int {
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	var ue usageError
	if errors.As(err, &ue) {
		return exitUsage
	}
	if isInputError(err) {
		return exitInput
	}
	if st, ok := status.FromError(unwrapStatus(err)); ok && st.Code() != 0 {
		return exitStatusBase + int(st.Code())
	}
	return exitOther
}

// isInputError reports whether err is about the content of what the user
// gave: a plan's field (at its file and line), a CSV cell, a request file.
func isInputError(err error) bool {
	var pe *planner.PlanError
	var pes planner.PlanErrors
	var ce *accountcsv.Error
	var fe fileError
	var se *planner.SyntaxError
	return errors.As(err, &pe) || errors.As(err, &pes) || errors.As(err, &ce) || errors.As(err, &fe) || errors.As(err, &se)
}

// fileError is a request or rules file whose content could not be read as
// its message.
type fileError struct{ err error }

func (e fileError) Error() string { return e.err.Error() }
func (e fileError) Unwrap() error { return e.err }

// unwrapStatus finds a gRPC status error in err's chain.
func unwrapStatus(err error) error {
	for e := err; e != nil; e = errors.Unwrap(e) {
		if _, ok := e.(interface{ GRPCStatus() *status.Status }); ok {
			return e
		}
	}
	return err
}

// printError writes err for a person: a call's status with each bad field
// on a line of its own.
func printError(w io.Writer, err error) {
	if st, ok := status.FromError(unwrapStatus(err)); ok && st.Code() != 0 {
		fmt.Fprintf(w, "csplan: %s: %s\n", st.Code(), firstLine(st.Message()))
		for _, v := range fieldViolations(st) {
			fmt.Fprintf(w, "  %s: %s\n", v.GetField(), v.GetDescription())
		}
		return
	}
	fmt.Fprintf(w, "csplan: %v\n", err)
}

func firstLine(s string) string {
	if i := strings.Index(s, ": "); i >= 0 && strings.HasPrefix(s, "invalid request") {
		return s[:i]
	}
	return s
}
