package main

import "context"

func runSegment(ctx context.Context, args []string, e env) error {
	if len(args) == 0 {
		return usagef("segment needs a subcommand: assign or suggest")
	}
	switch args[0] {
	case "assign":
		return runSegmentAssign(ctx, args[1:], e)
	case "suggest":
		return runSegmentSuggest(ctx, args[1:], e)
	default:
		return usagef("unknown segment subcommand %q: use assign or suggest", args[0])
	}
}
