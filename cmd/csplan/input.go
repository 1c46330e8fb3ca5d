package main

import (
	"fmt"
	"io"
	"os"
	"strings"

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
	if err := parseYAML(path, data, msg); err != nil {
		return fileError{fmt.Errorf("read %s: %w", path, err)}
	}
	return nil
}

// lineBreaks are what YAML counts as line breaks: CR LF from Windows, and
// lone CR, LS and PS, which the parser's error reporting does not count as
// lines (and fails on). Normalised to LF, every error's line is right.
var lineBreaks = strings.NewReplacer("\r\n", "\n", "\r", "\n", "\u2028", "\n", "\u2029", "\n", "\u0085", "\n")

// parseYAML reads data into msg. A fault inside the YAML library on input
// it should have rejected becomes an error, not a crash of the command.
func parseYAML(path string, data []byte, msg proto.Message) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("the YAML could not be parsed (%v)", r)
		}
	}()
	data = []byte(lineBreaks.Replace(string(data)))
	data = requestForm(data, msg.ProtoReflect().Descriptor())
	return protoyaml.UnmarshalOptions{Path: path}.Unmarshal(data, msg)
}
