package client

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"

	_ "github.com/csplan/csplan/gen/csplan/v1"
)

// TestEveryServiceIsRetriedAndTyped: each service of the contract is in
// the retry policy and has its typed client, so that a new service is not
// left without either.
func TestEveryServiceIsRetriedAndTyped(t *testing.T) {
	var contract []string
	protoregistry.GlobalFiles.RangeFilesByPackage("csplan.v1", func(f protoreflect.FileDescriptor) bool {
		for i := range f.Services().Len() {
			contract = append(contract, string(f.Services().Get(i).FullName()))
		}
		return true
	})
	if len(contract) < 5 {
		t.Fatalf("the contract has %d services: %v", len(contract), contract)
	}
	c := reflect.ValueOf(newClient(nil, nil)).Elem()
	for _, name := range contract {
		if !slices.Contains(services, name) {
			t.Errorf("%s is not retried: add it to services", name)
		}
		short := strings.TrimSuffix(strings.TrimPrefix(name, "csplan.v1."), "Service")
		if f := c.FieldByName(short); !f.IsValid() || f.IsNil() {
			t.Errorf("Client has no %s field for %s", short, name)
		}
	}
}
