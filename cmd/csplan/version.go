package main

import (
	"context"
	"fmt"
	"runtime/debug"
)

// runVersion prints the module version and the VCS revision of the build,
// as the Go toolchain recorded them.
func runVersion(_ context.Context, args []string, e env) error {
	if len(args) > 0 {
		return usagef("version takes no arguments, got %q", args)
	}
	fmt.Fprintln(e.stdout, versionText(debug.ReadBuildInfo()))
	return nil
}

func versionText(info *debug.BuildInfo, ok bool) string {
	if !ok {
		return "csplan (no build information: built without module support)"
	}
	version := info.Main.Version
	if version == "" {
		version = "(devel)"
	}
	settings := map[string]string{}
	for _, s := range info.Settings {
		settings[s.Key] = s.Value
	}
	out := "csplan " + version
	if rev := settings["vcs.revision"]; rev != "" {
		out += ", revision " + rev
		if t := settings["vcs.time"]; t != "" {
			out += " of " + t
		}
		if settings["vcs.modified"] == "true" {
			out += ", with uncommitted changes"
		}
	} else {
		out += ", revision unknown (not built from a VCS checkout)"
	}
	return fmt.Sprintf("%s, %s", out, info.GoVersion)
}
