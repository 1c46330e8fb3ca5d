// Package server is csplan's transport: it implements the generated gRPC
// services by converting between the contract and the capacity domain, maps
// domain errors to gRPC status, chains the interceptors, and serves the
// REST/JSON gateway, health, reflection and the OpenAPI document.
//
// It imports capacity and gen; it must not import client or cmd. Domain
// rules live in capacity, never here.
package server
