package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// toolsModfile pins the load generators outside the main module's
// requirements, as tools/go.mod pins buf.
const toolsModfile = "tools/bench/go.mod"

// toolPath builds (or finds in the build cache) a tool of toolsModfile
// and returns the path of its binary, so that each run execs it directly.
func toolPath(ctx context.Context, name string) (string, error) {
	out, err := exec.CommandContext(ctx, "go", "tool", "-modfile="+toolsModfile, "-n", name).Output()
	if err != nil {
		return "", fmt.Errorf("go tool -modfile=%s -n %s: %w%s", toolsModfile, name, err, stderrOf(err))
	}
	return strings.TrimSpace(string(out)), nil
}

func stderrOf(err error) string {
	if ee, ok := err.(*exec.ExitError); ok && len(ee.Stderr) > 0 {
		return "\n" + string(ee.Stderr)
	}
	return ""
}

// loadGOGC lets the load generators collect garbage less often than Go's
// default: ghz decodes every answer into dynamic messages, and with the
// default it cannot keep a 120-month forecast at the paced rate on its
// core. The server is left at its own setting.
const loadGOGC = "GOGC=400"

// loadCommand runs a load generator with loadGOGC.
func loadCommand(ctx context.Context, name string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = append(os.Environ(), loadGOGC)
	return cmd
}

// load is the paced traffic of one run and what the generator saw.
type load struct {
	requests int64
	errors   int64
	p50, p99 time.Duration
	bytesIn  float64 // mean response body, REST only
	// achieved is the rate the generator kept: below the paced rate when
	// the load's core, not the server, is the limit.
	achieved   float64
	firstError string
}

// unaryRun is one request/response workload: how to drive it for a
// duration at a rate.
type unaryRun func(ctx context.Context, rate int, d time.Duration) (load, error)

// ghzRun drives a gRPC method with ghz at a fixed rate over one
// connection, the method found by server reflection.
func ghzRun(ghz, cpu, addr, method, data, dir string) unaryRun {
	return func(ctx context.Context, rate int, d time.Duration) (load, error) {
		out := filepath.Join(dir, "ghz.json")
		name, args := pinned(cpu, ghz, []string{"--insecure", "--call", method, "-d", data,
			"--rps", fmt.Sprint(rate), "-n", fmt.Sprint(int(float64(rate) * d.Seconds())), "-c", "16", "--connections", "1",
			"-O", "json", "-o", out, addr})
		if b, err := loadCommand(ctx, name, args...).CombinedOutput(); err != nil {
			return load{}, fmt.Errorf("ghz %s: %w\n%s", method, err, b)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			return load{}, err
		}
		var r struct {
			Count        int64
			RPS          float64
			StatusCodes  map[string]int64 `json:"statusCodeDistribution"`
			Errors       map[string]int64 `json:"errorDistribution"`
			Distribution []struct {
				Percentage int
				Latency    time.Duration
			} `json:"latencyDistribution"`
		}
		if err := json.Unmarshal(b, &r); err != nil {
			return load{}, fmt.Errorf("ghz report: %w", err)
		}
		l := load{requests: r.Count, errors: r.Count - r.StatusCodes["OK"], achieved: r.RPS}
		for e := range r.Errors {
			l.firstError = e
			break
		}
		for _, p := range r.Distribution {
			switch p.Percentage {
			case 50:
				l.p50 = p.Latency
			case 99:
				l.p99 = p.Latency
			}
		}
		return l, nil
	}
}

// vegetaRun drives a REST route with vegeta at a fixed rate.
func vegetaRun(vegeta, cpu, url string, body []byte, dir string) (unaryRun, error) {
	bodyFile := filepath.Join(dir, fmt.Sprintf("body-%x.json", len(url)+len(body)))
	if err := os.WriteFile(bodyFile, body, 0o644); err != nil {
		return nil, err
	}
	targets := fmt.Sprintf("POST %s\nContent-Type: application/json\n@%s\n", url, bodyFile)
	return func(ctx context.Context, rate int, d time.Duration) (load, error) {
		results := filepath.Join(dir, "vegeta.bin")
		name, args := pinned(cpu, vegeta, []string{"attack", "-format=http", "-rate", fmt.Sprintf("%d/s", rate),
			"-duration", d.String(), "-output", results})
		cmd := loadCommand(ctx, name, args...)
		cmd.Stdin = strings.NewReader(targets)
		if b, err := cmd.CombinedOutput(); err != nil {
			return load{}, fmt.Errorf("vegeta attack %s: %w\n%s", url, err, b)
		}
		b, err := exec.CommandContext(ctx, vegeta, "report", "-type=json", results).Output()
		if err != nil {
			return load{}, fmt.Errorf("vegeta report: %w%s", err, stderrOf(err))
		}
		var r struct {
			Requests  int64
			Rate      float64
			Success   float64
			Errors    []string
			Latencies map[string]time.Duration
			BytesIn   struct{ Mean float64 } `json:"bytes_in"`
		}
		if err := json.NewDecoder(bytes.NewReader(b)).Decode(&r); err != nil {
			return load{}, fmt.Errorf("vegeta report: %w", err)
		}
		ok := int64(r.Success*float64(r.Requests) + 0.5)
		l := load{requests: r.Requests, errors: r.Requests - ok, achieved: r.Rate,
			p50: r.Latencies["50th"], p99: r.Latencies["99th"], bytesIn: r.BytesIn.Mean}
		if len(r.Errors) > 0 {
			l.firstError = r.Errors[0]
		}
		return l, nil
	}, nil
}
