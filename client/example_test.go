package client_test

import (
	"context"
	"fmt"
	"log"
	"net"

	"github.com/csplan/csplan/client"
	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
	"github.com/csplan/csplan/server"
)

// startServer runs a csplan server on a loopback port for the example.
//
// This file is shown whole as the example, so it starts the server with
// the public API, as a program of the reader's would, rather than with
// the tests' helper (internal/servertest), which takes a testing.TB and
// cannot be imported from outside this module. Like that helper it hands
// Serve the listener it opened, and stop fails if Serve does.
func startServer() (addr string, stop func()) {
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- server.New(server.Config{}).Serve(ctx, lis, nil) }()
	return lis.Addr().String(), func() {
		cancel()
		if err := <-done; err != nil {
			log.Fatal(err)
		}
	}
}

func ExampleDial() {
	addr, stop := startServer()
	defer stop()

	ctx := context.Background()
	c, err := client.Dial(ctx, addr, client.WithInsecure())
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	// Seed 004: $4M of ARR over 5 CSMs.
	ev, err := c.Capacity.EvaluateTeam(ctx, &csplanv1.EvaluateTeamRequest{
		CsmCount:   5,
		Accounts:   120,
		Arr:        4_000_000,
		TouchModel: csplanv1.TouchModel_TOUCH_MODEL_HIGH,
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("ARR per CSM: $%.2fM\n", ev.GetArrPerCsm()/1e6)
	fmt.Println("ARR factor:", ev.GetFactors()[0].GetStatus())
	// Output:
	// ARR per CSM: $0.80M
	// ARR factor: LOAD_STATUS_UNDER
}
