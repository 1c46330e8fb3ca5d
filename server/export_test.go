package server

import "slices"

// Methods lists the full names of every gRPC method s serves, for tests
// that must cover them all.
func Methods(s *Server) []string {
	var names []string
	for m := range knownMethods(s.grpc) {
		names = append(names, m)
	}
	slices.Sort(names)
	return names
}
