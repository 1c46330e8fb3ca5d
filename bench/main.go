// Command bench measures csplan's cost over its transports against the
// floors they cannot beat, and prints the ratios with the targets.
//
// It builds and starts a real `csplan serve` (pinned to CPU 0 where
// taskset and a second core exist), drives it from CPU 1 with ghz (gRPC)
// and vegeta (REST) at one paced rate, and reads the server's CPU time and
// peak RSS from /proc. The HTTP floor, a bare net/http server answering a
// fixed JSON body (bench/baseline), runs as a process of its own on the
// server's CPU at the server's GOGC, its CPU time read the same way.
// Workloads and their baselines run interleaved, round after round, so
// that machine noise hits both alike.
//
//	go run ./bench                 # the full run the README reports
//	go run ./bench -only book      # one workload group: StreamAnalyzeBook
//	go run ./bench -only rebalance # StreamRebalanceBook and RebalanceBook
//	go run ./bench -smoke          # a tiny run, as CI does, to keep it working
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

type options struct {
	rounds   int
	rate     int
	duration time.Duration
	accounts int
	values   int
	logLevel string
	smoke    bool
	only     map[string]bool // workload groups to run; every group when empty
	profile  string          // directory for CPU profiles; "" for none
}

// groups are the workload groups -only selects from.
var groups = []string{"unary", "streams", "book", "rebalance", "tiers"}

// runs reports whether the group is selected.
func (o options) runs(group string) bool { return len(o.only) == 0 || o.only[group] }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	var o options
	fs.IntVar(&o.rounds, "rounds", 7, "rounds of every workload and its baseline, interleaved")
	fs.IntVar(&o.rate, "rate", 2000, "requests per second of every request/response workload")
	fs.DurationVar(&o.duration, "duration", 5*time.Second, "length of one paced run")
	fs.IntVar(&o.accounts, "accounts", 1_000_000, "accounts of each streamed book")
	fs.IntVar(&o.values, "values", 1_000_000, "ARR values of the tier suggestion")
	fs.StringVar(&o.logLevel, "log-level", "info", "the server's --log-level (info, its default, logs every call)")
	only := fs.String("only", "", "run only these workload groups, comma-separated: "+strings.Join(groups, ", "))
	fs.StringVar(&o.profile, "profile", "", "after the measured rounds, run each workload once more under the server's CPU profiler and write the profiles to this directory")
	fs.BoolVar(&o.smoke, "smoke", false, "a tiny run (1 round, 1s at 200/s, 20,000 accounts) that only checks the harness works")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *only != "" {
		o.only = map[string]bool{}
		for g := range strings.SplitSeq(*only, ",") {
			if !slices.Contains(groups, g) {
				return fmt.Errorf("-only: unknown group %q (the groups: %s)", g, strings.Join(groups, ", "))
			}
			o.only[g] = true
		}
	}
	if o.smoke {
		o.rounds, o.rate, o.duration, o.accounts, o.values = 1, 200, time.Second, 20_000, 20_000
	}
	if o.rounds < 1 || o.rate < 1 || o.duration <= 0 || o.accounts < 1 || o.values < 1 {
		return fmt.Errorf("-rounds, -rate, -duration, -accounts and -values must be positive")
	}
	if _, err := os.Stat("go.mod"); err != nil {
		return fmt.Errorf("run from the repository root: %w", err)
	}
	dir, err := os.MkdirTemp("", "csplan-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	return bench(ctx, o, dir, stdout)
}

func bench(ctx context.Context, o options, dir string, stdout io.Writer) error {
	tools, err := prepare(ctx, dir)
	if err != nil {
		return err
	}
	serverCPU, loadCPU := cpuPlan()
	if loadCPU != "" {
		pinSelf(loadCPU)
	}
	s, err := startServer(ctx, tools.csplan, dir, o.logLevel, serverCPU, o.profile != "")
	if err != nil {
		return err
	}
	defer s.stop()
	fmt.Fprintln(stdout, machine(s, loadCPU))
	fmt.Fprintf(stdout, "rounds %d, %v per run at %d requests/s, streams of %d accounts, tiers over %d values\n\n",
		o.rounds, o.duration, o.rate, o.accounts, o.values)

	res := newResults()
	if o.runs("unary") {
		base, err := startBaseline(ctx, tools.baseline, dir, s, baselineBytes, o.profile != "")
		if err != nil {
			return err
		}
		defer base.stop()
		u, err := unaryWorkloads(tools, s, base, loadCPU, dir)
		if err != nil {
			return err
		}
		if err := runUnary(ctx, o, u, res); err != nil {
			return err
		}
		if o.profile != "" {
			if err := profileUnary(ctx, o, u); err != nil {
				return err
			}
		}
	}
	if o.runs("streams") {
		if err := runStreams(ctx, o, s, res); err != nil {
			return err
		}
		if o.profile != "" {
			if err := os.MkdirAll(o.profile, 0o755); err != nil {
				return err
			}
			if err := profileStream(ctx, o, s); err != nil {
				return err
			}
		}
	}
	if o.runs("book") {
		if err := runBook(ctx, o, s, res); err != nil {
			return err
		}
		if o.profile != "" {
			if err := os.MkdirAll(o.profile, 0o755); err != nil {
				return err
			}
			if err := profileBook(ctx, o, s); err != nil {
				return err
			}
		}
	}
	if o.runs("rebalance") {
		if err := runRebalance(ctx, o, s, res); err != nil {
			return err
		}
	}
	if o.runs("tiers") {
		if err := runTiers(o, res); err != nil {
			return err
		}
	}
	res.print(stdout, o)
	return nil
}

// toolset are the binaries the harness runs.
type toolset struct{ csplan, baseline, ghz, vegeta string }

// prepare builds csplan and the bare net/http baseline from this tree,
// and the pinned load generators.
func prepare(ctx context.Context, dir string) (toolset, error) {
	t := toolset{csplan: filepath.Join(dir, "csplan"), baseline: filepath.Join(dir, "baseline")}
	for pkg, out := range map[string]string{"./cmd/csplan": t.csplan, "./bench/baseline": t.baseline} {
		build := exec.CommandContext(ctx, "go", "build", "-o", out, pkg)
		if b, err := build.CombinedOutput(); err != nil {
			return t, fmt.Errorf("go build %s: %w\n%s", pkg, err, b)
		}
	}
	var err error
	if t.ghz, err = toolPath(ctx, "ghz"); err != nil {
		return t, err
	}
	t.vegeta, err = toolPath(ctx, "vegeta")
	return t, err
}

// cpuPlan puts the server on CPU 0 and the load on CPU 1, or pins
// nothing on a single core or without taskset.
func cpuPlan() (server, load string) {
	if _, err := exec.LookPath("taskset"); err != nil || runtime.NumCPU() < 2 {
		return "", ""
	}
	return "0", "1"
}

// pinSelf moves every thread of this process (the stream client and the
// tier timing) to cpu.
func pinSelf(cpu string) {
	exec.Command("taskset", "-a", "-p", "-c", cpu, strconv.Itoa(os.Getpid())).Run()
}

// machine describes where the numbers come from.
func machine(s *served, loadCPU string) string {
	pin := "not pinned (no taskset or one core)"
	if s.pinnedCPU != "" {
		pin = fmt.Sprintf("server pinned to CPU %s, load and harness to CPU %s", s.pinnedCPU, loadCPU)
	}
	return fmt.Sprintf("machine: %d CPUs (nproc), %s, %s/%s, %s; %s; server GOGC %s", runtime.NumCPU(), cpuModel(), runtime.GOOS, runtime.GOARCH, runtime.Version(), pin, s.gogc)
}

func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	for line := range strings.Lines(string(b)) {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown CPU"
}
