package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// clockTicks is USER_HZ, the unit of utime and stime in /proc/<pid>/stat:
// 100 on every Linux architecture Go supports.
const clockTicks = 100

// served is a running `csplan serve`, or the bare net/http baseline, and
// the addresses it listens on.
type served struct {
	what      string // "csplan serve" or "the baseline", for errors
	ready     string // the message of the log line that names the addresses
	cmd       *exec.Cmd
	pid       int
	grpcAddr  string // "" for the baseline
	httpAddr  string
	logFile   *os.File
	exited    chan error
	pinnedCPU string // "" when not pinned
	pprofAddr string // "" unless started for -profile
	gogc      string // the process's garbage collection percent
}

// startServer runs bin serve on free loopback ports, pinned to cpu when
// taskset is usable, and waits for its "csplan serving" log line.
func startServer(ctx context.Context, bin, dir, logLevel, cpu string, pprof bool) (*served, error) {
	args := []string{"serve", "--grpc-addr", "127.0.0.1:0", "--http-addr", "127.0.0.1:0",
		"--log-format", "json", "--log-level", logLevel}
	if pprof {
		args = append(args, "--pprof-addr", "127.0.0.1:0")
	}
	s := &served{what: "csplan serve", ready: "csplan serving"}
	if err := s.start(ctx, bin, args, nil, filepath.Join(dir, "server.log"), cpu); err != nil {
		return nil, err
	}
	if s.grpcAddr == "" || s.httpAddr == "" {
		s.stop()
		return nil, fmt.Errorf("csplan serve logged no gRPC or REST address")
	}
	return s, nil
}

// startBaseline runs the bare net/http baseline (bench/baseline) beside
// srv: pinned to srv's CPU and at srv's GOGC, so that the two processes
// differ only in what handles a request.
func startBaseline(ctx context.Context, bin, dir string, srv *served, bodyBytes int, pprof bool) (*served, error) {
	args := []string{"-bytes", strconv.Itoa(bodyBytes)}
	if pprof {
		args = append(args, "-pprof-addr", "127.0.0.1:0")
	}
	var env []string
	if srv.gogc != "" {
		env = append(os.Environ(), "GOGC="+srv.gogc)
	}
	b := &served{what: "the baseline", ready: "baseline serving"}
	if err := b.start(ctx, bin, args, env, filepath.Join(dir, "baseline.log"), srv.pinnedCPU); err != nil {
		return nil, err
	}
	// What the kernel lets each process run on, not what was asked for.
	bCPUs, err1 := b.status("Cpus_allowed_list")
	sCPUs, err2 := srv.status("Cpus_allowed_list")
	if err := errors.Join(err1, err2); err != nil {
		b.stop()
		return nil, err
	}
	if b.httpAddr == "" || b.gogc != srv.gogc || bCPUs != sCPUs {
		b.stop()
		return nil, fmt.Errorf("the baseline serves %q at GOGC %s on CPUs %s; want an address, and GOGC %s and CPUs %s as the server",
			b.httpAddr, b.gogc, bCPUs, srv.gogc, sCPUs)
	}
	return b, nil
}

// start runs bin with args (and env, nil for the harness's), pinned to cpu
// when taskset is usable, logging to logPath, and waits for its ready
// line.
func (s *served) start(ctx context.Context, bin string, args, env []string, logPath, cpu string) error {
	logFile, err := os.Create(logPath)
	if err != nil {
		return err
	}
	name, args := pinned(cpu, bin, args)
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = env
	cmd.Stderr = logFile
	cmd.Stdout = logFile
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 20 * time.Second
	if err := cmd.Start(); err != nil {
		logFile.Close()
		return err
	}
	s.cmd, s.pid, s.logFile, s.exited = cmd, cmd.Process.Pid, logFile, make(chan error, 1)
	if name != bin {
		s.pinnedCPU = cpu
	}
	go func() { s.exited <- cmd.Wait() }()
	if err := s.waitServing(logPath, 30*time.Second); err != nil {
		s.stop()
		return err
	}
	return nil
}

// pinned prefixes a command with taskset -c cpu where taskset exists and
// the machine has more than one core; taskset execs the command, so the
// process keeps the pid the caller sees.
func pinned(cpu, name string, args []string) (string, []string) {
	if cpu == "" {
		return name, args
	}
	ts, err := exec.LookPath("taskset")
	if err != nil {
		return name, args
	}
	return ts, append([]string{"-c", cpu, name}, args...)
}

// waitServing polls the JSON log for the line that names the addresses.
func (s *served) waitServing(logPath string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		select {
		case err := <-s.exited:
			return fmt.Errorf("%s exited before serving (%v); log:\n%s", s.what, err, tail(logPath))
		default:
		}
		if ok := s.parseServing(logPath); ok {
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("%s did not log %q within %v; log:\n%s", s.what, s.ready, timeout, tail(logPath))
}

func (s *served) parseServing(logPath string) bool {
	f, err := os.Open(logPath)
	if err != nil {
		return false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var line struct{ Msg, GRPC, HTTP, Pprof, GOGC string }
		if json.Unmarshal(sc.Bytes(), &line) == nil && line.Msg == s.ready {
			s.grpcAddr, s.httpAddr, s.pprofAddr, s.gogc = line.GRPC, line.HTTP, line.Pprof, line.GOGC
			return true
		}
	}
	return false
}

func tail(path string) string {
	b, _ := os.ReadFile(path)
	if len(b) > 2000 {
		b = b[len(b)-2000:]
	}
	return string(b)
}

// stop interrupts the process and waits for it to exit.
func (s *served) stop() error {
	s.cmd.Process.Signal(os.Interrupt)
	var err error
	select {
	case err = <-s.exited:
	case <-time.After(30 * time.Second):
		s.cmd.Process.Kill()
		err = <-s.exited
	}
	s.logFile.Close()
	return err
}

// cpuTime is the process's user plus system CPU time so far, every thread
// included.
func (s *served) cpuTime() (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", s.pid))
	if err != nil {
		return 0, err
	}
	// The command name (field 2) may hold spaces: count fields after ')'.
	i := strings.LastIndexByte(string(b), ')')
	if i < 0 {
		return 0, errors.New("unexpected /proc/<pid>/stat")
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return 0, errors.New("short /proc/<pid>/stat")
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64) // field 14
	stime, err2 := strconv.ParseInt(f[12], 10, 64) // field 15
	if err := errors.Join(err1, err2); err != nil {
		return 0, err
	}
	return time.Duration(utime+stime) * time.Second / clockTicks, nil
}

// memKiB reads a field (VmRSS, VmHWM) of /proc/<pid>/status in KiB.
func (s *served) memKiB(field string) (int64, error) {
	v, err := s.status(field)
	if err != nil {
		return 0, err
	}
	return strconv.ParseInt(strings.TrimSuffix(v, " kB"), 10, 64)
}

// status reads a field of /proc/<pid>/status.
func (s *served) status(field string) (string, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", s.pid))
	if err != nil {
		return "", err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), field+":"); ok {
			return strings.TrimSpace(v), nil
		}
	}
	return "", fmt.Errorf("no %s in /proc/%d/status", field, s.pid)
}

// peakRSS tracks the server's peak resident memory during a run: through
// VmHWM reset by clear_refs where the kernel lets us, else by sampling
// VmRSS every few milliseconds.
type peakRSS struct {
	s       *served
	startKB int64
	hwm     bool
	stop    chan struct{}
	done    chan int64
}

func (s *served) watchRSS() (*peakRSS, error) {
	start, err := s.memKiB("VmRSS")
	if err != nil {
		return nil, err
	}
	p := &peakRSS{s: s, startKB: start}
	if os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", s.pid), []byte("5"), 0) == nil {
		p.hwm = true
		return p, nil
	}
	p.stop, p.done = make(chan struct{}), make(chan int64, 1)
	go p.sample()
	return p, nil
}

func (p *peakRSS) sample() {
	peak := p.startKB
	t := time.NewTicker(5 * time.Millisecond)
	defer t.Stop()
	for {
		if v, err := p.s.memKiB("VmRSS"); err == nil && v > peak {
			peak = v
		}
		select {
		case <-p.stop:
			p.done <- peak
			return
		case <-t.C:
		}
	}
}

// growth is the peak RSS minus the RSS when watching began, in bytes.
func (p *peakRSS) growth() (int64, string, error) {
	if p.hwm {
		peak, err := p.s.memKiB("VmHWM")
		return (peak - p.startKB) << 10, "VmHWM", err
	}
	close(p.stop)
	return (<-p.done - p.startKB) << 10, "VmRSS sampled", nil
}

// cpuProfile fetches a CPU profile of secs seconds from the server's
// pprof listener into path.
func (s *served) cpuProfile(ctx context.Context, secs int, path string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, fmt.Sprintf("http://%s/debug/pprof/profile?seconds=%d", s.pprofAddr, secs), nil)
	if err != nil {
		return err
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("pprof: HTTP %d", res.StatusCode)
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, res.Body); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
