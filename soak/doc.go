// Package soak drives a real csplan server, built from this tree and run
// as its own process, with concurrent mixed traffic for a bounded time,
// and checks that it stays correct and does not leak. Its tests carry the
// soak build tag, so that go test ./... stays quick; .ci/run runs them as
// a step of their own. Run it longer with
//
//	go test -tags soak ./soak -run TestSoak -v -soak-duration=2m
//
// It is skipped with -short.
package soak
