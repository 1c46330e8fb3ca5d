package main

import (
	"fmt"
	"io"
	"os"

	"buf.build/go/protoyaml"
	"google.golang.org/protobuf/proto"
)

// readRequest reads a YAML (or JSON) request file into msg. Keys are the
// REST JSON names (lowerCamelCase) or the proto names (snake_case); an
// unknown key is an error with its line and column. "-" reads stdin.
func readRequest(e env, path string, msg proto.Message) error {
	if path == "" {
		return usagef("-f FILE is required (a YAML request; see examples/)")
	}
	var data []byte
	var err error
	if path == "-" {
		data, err = io.ReadAll(e.stdin)
	} else {
		data, err = os.ReadFile(path)
	}
	if err != nil {
		return err
	}
	if err := (protoyaml.UnmarshalOptions{Path: path}).Unmarshal(data, msg); err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	return nil
}
