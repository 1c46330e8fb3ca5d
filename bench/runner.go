package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"time"
)

// The request/response workloads, by the name the table uses.
const (
	health       = "health Check (gRPC)"
	computeGRPC  = "ComputeCapacity gRPC"
	computeREST  = "ComputeCapacity REST"
	bareHTTP     = "bare net/http JSON"
	forecastGRPC = "Forecast 120 months gRPC"
)

var unaryOrder = []string{health, computeGRPC, computeREST, bareHTTP, forecastGRPC}

// unaryWorkload is a request/response workload and the process whose
// CPU it costs: the csplan server, or the bare net/http baseline.
type unaryWorkload struct {
	run unaryRun
	on  *served
}

func unaryWorkloads(t toolset, s, base *served, cpu, dir string) (map[string]unaryWorkload, error) {
	rest, err := vegetaRun(t.vegeta, cpu, "http://"+s.httpAddr+"/v1/capacity:compute", []byte(computeRequest), dir)
	if err != nil {
		return nil, err
	}
	bare, err := vegetaRun(t.vegeta, cpu, "http://"+base.httpAddr+"/baseline", []byte(computeRequest), dir)
	if err != nil {
		return nil, err
	}
	return map[string]unaryWorkload{
		health:       {ghzRun(t.ghz, cpu, s.grpcAddr, "grpc.health.v1.Health/Check", "{}", dir), s},
		computeGRPC:  {ghzRun(t.ghz, cpu, s.grpcAddr, "csplan.v1.CapacityService/ComputeCapacity", computeRequest, dir), s},
		computeREST:  {rest, s},
		bareHTTP:     {bare, base},
		forecastGRPC: {ghzRun(t.ghz, cpu, s.grpcAddr, "csplan.v1.CapacityService/ForecastCapacity", forecastRequest, dir), s},
	}, nil
}

// unaryRound is one paced run of one workload.
type unaryRound struct {
	load
	cpuPerReq time.Duration
}

// runUnary warms every workload up, then runs them round after round,
// reversing the order every other round so that neither a workload nor
// its baseline always goes first.
func runUnary(ctx context.Context, o options, u map[string]unaryWorkload, res *results) error {
	warm := min(o.duration, 2*time.Second)
	for _, name := range unaryOrder {
		if _, err := u[name].run(ctx, o.rate, warm); err != nil {
			return err
		}
	}
	for r := range o.rounds {
		order := unaryOrder
		if r%2 == 1 {
			order = reversed(unaryOrder)
		}
		for _, name := range order {
			ur, err := measureUnary(ctx, o, u[name])
			if err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			res.unary[name] = append(res.unary[name], ur)
		}
		res.progress("round %d/%d of the request/response workloads done", r+1, o.rounds)
	}
	return nil
}

// measureUnary runs w once and takes the CPU time its process spent.
func measureUnary(ctx context.Context, o options, w unaryWorkload) (unaryRound, error) {
	before, err := w.on.cpuTime()
	if err != nil {
		return unaryRound{}, err
	}
	l, err := w.run(ctx, o.rate, o.duration)
	if err != nil {
		return unaryRound{}, err
	}
	after, err := w.on.cpuTime()
	if err != nil {
		return unaryRound{}, err
	}
	if l.requests == 0 || l.errors > 0 {
		return unaryRound{}, fmt.Errorf("%d of %d requests failed (%s)", l.errors, l.requests, l.firstError)
	}
	return unaryRound{load: l, cpuPerReq: (after - before) / time.Duration(l.requests)}, nil
}

func reversed(s []string) []string {
	r := make([]string, len(s))
	for i, v := range s {
		r[len(s)-1-i] = v
	}
	return r
}

// runStreams sends the book over gRPC and over NDJSON REST, interleaved.
func runStreams(ctx context.Context, o options, s *served, res *results) error {
	msgs, err := wireBook(o.accounts)
	if err != nil {
		return err
	}
	for r := range o.rounds {
		g, err := streamGRPC(ctx, s, msgs, o.accounts)
		if err != nil {
			return fmt.Errorf("StreamSegmentAccounts gRPC: %w", err)
		}
		n, err := streamREST(ctx, s, o.accounts)
		if err != nil {
			return fmt.Errorf("StreamSegmentAccounts REST: %w", err)
		}
		p, err := planGRPC(ctx, s, msgs, o.accounts)
		if err != nil {
			return fmt.Errorf("StreamRunPlan gRPC: %w", err)
		}
		res.streamGRPC = append(res.streamGRPC, g)
		res.streamREST = append(res.streamREST, n)
		res.planGRPC = append(res.planGRPC, p)
		res.progress("round %d/%d of the streams done", r+1, o.rounds)
	}
	return nil
}

// runTiers times the tier suggestion and the sort of the same values,
// interleaved, each after a collection so that neither pays for the
// other's garbage.
func runTiers(o options, res *results) error {
	values := tierValues(o.values)
	for range o.rounds {
		runtime.GC()
		suggest, err := suggestTiers(values, 8)
		if err != nil {
			return err
		}
		runtime.GC()
		sorted := sortValues(values)
		res.suggest = append(res.suggest, suggest)
		res.sort = append(res.sort, sorted)
	}
	debug.FreeOSMemory()
	return nil
}

// profileUnary runs each workload once more while its process (the
// server, or the baseline) records a CPU profile, apart from the measured
// rounds since profiling costs CPU.
func profileUnary(ctx context.Context, o options, u map[string]unaryWorkload) error {
	if err := os.MkdirAll(o.profile, 0o755); err != nil {
		return err
	}
	secs := max(1, int(o.duration.Seconds()))
	for i, name := range unaryOrder {
		path := filepath.Join(o.profile, fmt.Sprintf("%d-%s.cpu.pprof", i+1, slug(name)))
		got := make(chan error, 1)
		go func() { got <- u[name].on.cpuProfile(ctx, secs, path) }()
		if _, err := u[name].run(ctx, o.rate, time.Duration(secs)*time.Second+time.Second); err != nil {
			return err
		}
		if err := <-got; err != nil {
			return fmt.Errorf("profile of %s: %w", name, err)
		}
		res := fmt.Sprintf("CPU profile of %s: %s", name, path)
		fmt.Fprintln(os.Stderr, res)
	}
	return nil
}

// profileStream streams the book over gRPC, again and again, while the
// server records a CPU profile.
func profileStream(ctx context.Context, o options, s *served) error {
	msgs, err := wireBook(o.accounts)
	if err != nil {
		return err
	}
	path := filepath.Join(o.profile, "6-StreamSegmentAccounts-gRPC.cpu.pprof")
	got := make(chan error, 1)
	go func() { got <- s.cpuProfile(ctx, 3, path) }()
	for {
		select {
		case err := <-got:
			if err != nil {
				return fmt.Errorf("profile of the gRPC stream: %w", err)
			}
			fmt.Fprintln(os.Stderr, "CPU profile of StreamSegmentAccounts gRPC:", path)
			return nil
		default:
		}
		if _, err := streamGRPC(ctx, s, msgs, o.accounts); err != nil {
			return err
		}
	}
}

// slug makes a workload's name a file name.
func slug(name string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			return r
		}
		return '-'
	}, name)
}
