package server

import (
	"context"
	"net/http"
	"strings"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"

	"github.com/csplan/csplan/internal/jsoncheck"
)

// restFields makes a REST error one a form can use: a body that could not
// be read as its message answers with every problem of it, and every
// field a service names is written in the request's JSON names
// ("segments[0].newAccountsPerMonth"), in the google.rpc.BadRequest and in
// the message alike. gRPC callers keep the proto names, as their messages
// are written in them.
func restFields(ctx context.Context, r *http.Request, err error) error {
	if n, ok := r.Body.(rejectionNoter); ok {
		if vs := n.bodyViolations(); len(vs) > 0 {
			return violationsStatus(vs)
		}
	}
	st, ok := status.FromError(err)
	if !ok || st.Code() != codes.InvalidArgument {
		return err
	}
	in := requestDescriptor(ctx)
	if in == nil {
		return err
	}
	var vs []jsoncheck.Violation
	found := false
	for _, d := range st.Details() {
		br, ok := d.(*errdetails.BadRequest)
		if !ok {
			continue
		}
		found = true
		for _, v := range br.GetFieldViolations() {
			vs = append(vs, jsoncheck.Violation{Field: jsoncheck.JSONPath(v.GetField(), in), Reason: v.GetDescription()})
		}
	}
	if !found {
		return err
	}
	return violationsStatus(vs)
}

// violationsStatus is InvalidArgument listing vs, as the services answer.
func violationsStatus(vs []jsoncheck.Violation) error {
	parts := make([]string, len(vs))
	br := &errdetails.BadRequest{}
	for i, v := range vs {
		parts[i] = v.Reason
		if v.Field != "" {
			parts[i] = v.Field + ": " + v.Reason
		}
		br.FieldViolations = append(br.FieldViolations, &errdetails.BadRequest_FieldViolation{Field: v.Field, Description: v.Reason})
	}
	st := status.New(codes.InvalidArgument, "invalid request: "+strings.Join(parts, "; "))
	if withDetails, err := st.WithDetails(br); err == nil {
		return withDetails.Err()
	}
	return st.Err()
}

// requestDescriptor is the request message of the RPC a REST call maps
// to, from the method the gateway put on the context.
func requestDescriptor(ctx context.Context) protoreflect.MessageDescriptor {
	method, ok := runtime.RPCMethod(ctx)
	if !ok {
		return nil
	}
	name := protoreflect.FullName(strings.ReplaceAll(strings.TrimPrefix(method, "/"), "/", "."))
	d, err := protoregistry.GlobalFiles.FindDescriptorByName(name)
	if err != nil {
		return nil
	}
	if md, ok := d.(protoreflect.MethodDescriptor); ok {
		return md.Input()
	}
	return nil
}

// bodyProblems lists what is wrong with data as a msg, for a body the JSON
// decoder refused: jsoncheck's findings, or the decoder's own error when
// it finds none (a field given twice, say).
func bodyProblems(data []byte, msg proto.Message, err error) []jsoncheck.Violation {
	if vs := jsoncheck.Check(data, msg.ProtoReflect().Descriptor()); len(vs) > 0 {
		return vs
	}
	return []jsoncheck.Violation{{Reason: err.Error()}}
}
