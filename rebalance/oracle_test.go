package rebalance

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The oracle: GLPK's glpsol solves each book as a 0-1 program written in
// CPLEX LP format, independently of the package's search and bound, and
// Solve must agree with it on small random books: the same least
// disruption, proven optimal, and infeasible exactly when glpsol finds no
// integer solution. Hours are integers and the bands' utilizations are
// eighths, so every band edge is exact in floating point and no tolerance
// decides a case; weights are integers too.
//
// The model, for account a owned by o and each CSM c it may end on (o
// unless o departs; every other staying CSM of a's group, unless a is
// fixed and o stays), is a binary x_a_c with
//
//	sum_c x_a_c = 1                                  for each account a
//	lo_c <= sum_a hours_a x_a_c <= hi_c              for each staying CSM c
//	sum_{a, c != o(a)} x_a_c <= MaxMoves             when MaxMoves > 0
//	minimise sum_{a, c != o(a)} weight_a x_a_c
//
// A departing CSM gets no variable, so it ends with nothing. With whole
// hours, lo_c and hi_c are rounded in to ceil(lo_c) and floor(hi_c): the
// same integer solutions, and an LP relaxation that sees that a band edge
// of 15.625 asks for 16 (without it glpsol can take minutes to prove a
// book infeasible). A column "zero", fixed at 0, ends every row so that
// none is empty. glpsol's answer is itself checked against the rules
// (checkAssignment) before Solve's is compared with it.

const (
	oracleInstances = 240
	// oracleTimeLimit is glpsol's --tmlim per book, in seconds; the books
	// take it milliseconds.
	oracleTimeLimit = 60
	// oracleTolerance compares disruptions and bounds.
	oracleTolerance = 1e-6
)

func TestOracle(t *testing.T) {
	runOracle(t, lookGLPSOL(t), 20261203, oracleInstances)
}

// lookGLPSOL finds glpsol, or skips the test (fails it in CI).
func lookGLPSOL(t *testing.T) string {
	t.Helper()
	glpsol, err := exec.LookPath("glpsol")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("glpsol is required in CI: .ci/run installs glpk-utils")
		}
		t.Skip("glpsol not found (Debian package glpk-utils): the oracle test is skipped")
	}
	return glpsol
}

// runOracle checks Solve against glpsol on books of the sequence seed.
func runOracle(t *testing.T, glpsol string, seed uint64, books int) {
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(seed, 7))
	var (
		feasible, infeasible int
		byWeight             [3][2]int // weight: feasible, infeasible
		capped               int
		moves                = map[int]int{} // moves in glpsol's optimum
		glpsolTime           time.Duration
		solveTime            time.Duration
		slowest              time.Duration
		slowBook             int
	)
	for i := range books {
		p := oracleBook(rng, i)
		if p.MaxMoves > 0 {
			capped++
		}
		start := time.Now()
		want, err := runGLPSOL(glpsol, filepath.Join(dir, fmt.Sprintf("book%03d", i)), p)
		glpsolTime += time.Since(start)
		if err != nil {
			t.Fatalf("book %d: glpsol: %v\n%s", i, err, describeBook(p))
		}
		if want.feasible {
			// The oracle's own answer must keep every rule and cost what
			// glpsol says, or the model is wrong, not Solve.
			cost, n, why := checkAssignment(p, want.owner)
			moves[n]++
			if why != "" {
				t.Fatalf("book %d: glpsol's assignment breaks a rule: %s\n%s", i, why, describeBook(p))
			}
			if math.Abs(cost-want.objective) > oracleTolerance*max(1, want.objective) {
				t.Fatalf("book %d: glpsol's assignment costs %v, its objective says %v (%d moves)\n%s", i, cost, want.objective, n, describeBook(p))
			}
			want.objective = cost // exact, where the report rounds
		}
		start = time.Now()
		got, err := Solve(p)
		took := time.Since(start)
		solveTime += took
		if took > slowest {
			slowest, slowBook = took, i
		}
		if err != nil {
			t.Fatalf("book %d: Solve: %v\n%s", i, err, describeBook(p))
		}
		if !want.feasible {
			infeasible++
			byWeight[p.Weight][1]++
			if got.Feasible {
				_, n, why := checkAssignment(p, got.Owner)
				t.Errorf("book %d: glpsol finds no assignment, Solve answers one (disruption %v, %d moves; rule broken: %q)\n%s",
					i, got.Disruption, n, why, describeBook(p))
			} else if !got.Proven {
				t.Errorf("book %d: infeasible, and Solve does not say it is proven (reason %q)\n%s", i, got.Reason, describeBook(p))
			}
			continue
		}
		feasible++
		byWeight[p.Weight][0]++
		if !got.Feasible {
			t.Errorf("book %d: glpsol's optimum is %v, Solve finds no assignment (reason %q, proven %v)\n%s",
				i, want.objective, got.Reason, got.Proven, describeBook(p))
			continue
		}
		cost, n, why := checkAssignment(p, got.Owner)
		switch {
		case why != "":
			t.Errorf("book %d: Solve's assignment breaks a rule: %s\n%s", i, why, describeBook(p))
		case math.Abs(cost-got.Disruption) > oracleTolerance || n != len(got.Moves):
			t.Errorf("book %d: Solve's assignment costs %v in %d moves; it reports %v in %d\n%s", i, cost, n, got.Disruption, len(got.Moves), describeBook(p))
		case math.Abs(got.Disruption-want.objective) > oracleTolerance:
			t.Errorf("book %d: Solve's disruption %v (%d moves, optimal %v), glpsol's optimum %v\n%s",
				i, got.Disruption, n, got.Optimal, want.objective, describeBook(p))
		case !got.Optimal:
			t.Errorf("book %d: Solve reaches the optimum %v but does not say it is optimal (bound %v)\n%s", i, got.Disruption, got.LowerBound, describeBook(p))
		}
		if got.LowerBound > want.objective+oracleTolerance {
			t.Errorf("book %d: Solve's lower bound %v is above glpsol's optimum %v\n%s", i, got.LowerBound, want.objective, describeBook(p))
		}
	}
	var hist []string
	for _, k := range slices.Sorted(maps.Keys(moves)) {
		hist = append(hist, fmt.Sprintf("%d: %d", k, moves[k]))
	}
	t.Logf("%d books: %d feasible (%.0f%%), %d infeasible; %d with a cap on moves", books, feasible, 100*float64(feasible)/float64(books), infeasible, capped)
	t.Logf("feasible/infeasible by weight: accounts %d/%d, hours %d/%d, ARR %d/%d",
		byWeight[WeightAccounts][0], byWeight[WeightAccounts][1], byWeight[WeightHours][0], byWeight[WeightHours][1], byWeight[WeightARR][0], byWeight[WeightARR][1])
	t.Logf("moves in glpsol's optimum (moves: books): %s", strings.Join(hist, ", "))
	t.Logf("glpsol %v in all, Solve %v in all (the slowest, book %d, %v)", glpsolTime.Round(time.Millisecond), solveTime.Round(time.Millisecond), slowBook, slowest.Round(time.Millisecond))
}

// oracleBook is book i of the oracle's sequence: 3 to 7 CSMs, 6 to 20
// accounts whose hours add up, group by group, to about what the band
// lets the group's staying CSMs carry, owned unevenly so that several
// must move, with departures, fixed accounts, accounts of another group
// than their CSM's, accounts of no hours, the three weights in turn and
// sometimes a cap on moves.
func oracleBook(rng *rand.Rand, i int) Problem {
	nc, na := 3+rng.IntN(5), 6+rng.IntN(15)
	// Eighths: the band's edges are exact in floating point.
	mins := []float64{0, 0, 0.25, 0.5, 0.625, 0.75}
	maxs := []float64{0.875, 1, 1, 1.125, 1.25}
	p := Problem{MinUtilization: mins[rng.IntN(len(mins))], MaxUtilization: maxs[rng.IntN(len(maxs))], Weight: Weight(i % 3)}
	groups := [][]string{{""}, {"", "ent"}, {"smb", "ent", "gov"}}[rng.IntN(3)]
	// Now and then the last CSM leaves with only accounts of no hours yet
	// (its last one or two): they move all the same.
	leaver := rng.IntN(10) == 0
	idle := 0
	if leaver {
		idle = 1 + rng.IntN(2)
	}
	staying := map[string]float64{}
	for c := range nc {
		csm := CSM{ID: fmt.Sprintf("c%d", c), Capacity: float64(20 + rng.IntN(81)), Group: groups[rng.IntN(len(groups))], Departing: rng.IntN(6) == 0}
		if leaver && c == nc-1 {
			csm.Departing = true
		}
		if !csm.Departing {
			staying[csm.Group] += csm.Capacity
		}
		p.CSMs = append(p.CSMs, csm)
	}
	// Owners in proportion to uneven weights, so that some CSMs are over
	// and some under.
	pull := make([]float64, nc)
	var pulls float64
	for c := range pull {
		if leaver && c == nc-1 {
			continue
		}
		pull[c] = 0.05 + rng.Float64()*rng.Float64()
		pulls += pull[c]
	}
	shares := map[string]float64{}
	share := make([]float64, na)
	for a := range na {
		x, owner := rng.Float64()*pulls, 0
		for owner < nc-1 && x >= pull[owner] {
			x -= pull[owner]
			owner++
		}
		if a >= na-idle {
			owner = nc - 1
		}
		acc := Account{ID: fmt.Sprintf("a%d", a), Owner: owner, ARR: float64(1000 * (1 + rng.IntN(50))), Group: p.CSMs[owner].Group, Fixed: rng.IntN(7) == 0}
		if rng.IntN(8) == 0 {
			acc.Group = groups[rng.IntN(len(groups))]
		}
		if rng.IntN(15) == 0 {
			acc.ARR = 0
		}
		share[a] = 1 + 9*rng.Float64()
		if a < na-idle {
			shares[acc.Group] += share[a]
		}
		p.Accounts = append(p.Accounts, acc)
	}
	// Each group's hours: from a little under the band's minimum to a
	// little over its maximum, over the group's staying CSMs.
	total := map[string]float64{}
	for _, g := range groups {
		u := p.MinUtilization - 0.05 + (p.MaxUtilization-p.MinUtilization+0.1)*rng.Float64()
		total[g] = u * max(staying[g], 40)
	}
	for a := range p.Accounts {
		acc := &p.Accounts[a]
		acc.Hours = max(1, math.Round(total[acc.Group]*share[a]/shares[acc.Group]))
		if rng.IntN(12) == 0 || a >= na-idle {
			acc.Hours = 0
		}
	}
	if rng.IntN(4) == 0 {
		p.MaxMoves = 1 + rng.IntN(5)
	}
	return p
}

// oracleAnswer is what glpsol says of a book.
type oracleAnswer struct {
	feasible  bool
	objective float64
	owner     []int // each account's CSM in glpsol's optimum
}

// oracleWeight is what moving account a costs, from the rules' words.
func oracleWeight(p Problem, a int) float64 {
	switch p.Weight {
	case WeightHours:
		return p.Accounts[a].Hours
	case WeightARR:
		return p.Accounts[a].ARR
	}
	return 1
}

// oracleTargets are the CSMs account a may end on.
func oracleTargets(p Problem, a int) []int {
	acc := p.Accounts[a]
	owner := p.CSMs[acc.Owner]
	if acc.Fixed && !owner.Departing {
		return []int{acc.Owner}
	}
	var out []int
	for c, csm := range p.CSMs {
		if c == acc.Owner && !csm.Departing || c != acc.Owner && !csm.Departing && csm.Group == acc.Group {
			out = append(out, c)
		}
	}
	return out
}

func lpNumber(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

// writeLP writes p as a 0-1 program in CPLEX LP format.
func writeLP(p Problem) string {
	var b strings.Builder
	name := func(a, c int) string { return fmt.Sprintf("x%d_%d", a, c) }
	targets := make([][]int, len(p.Accounts))
	var binaries, moved []string
	var objective []string
	for a, acc := range p.Accounts {
		targets[a] = oracleTargets(p, a)
		for _, c := range targets[a] {
			binaries = append(binaries, name(a, c))
			if c != acc.Owner {
				moved = append(moved, name(a, c))
				objective = append(objective, lpNumber(oracleWeight(p, a))+" "+name(a, c))
			}
		}
	}
	line := func(label string, terms []string, tail string) {
		terms = append(slices.Clone(terms), "0 zero")
		fmt.Fprintf(&b, " %s: %s %s\n", label, strings.Join(terms, " + "), tail)
	}
	integral := !slices.ContainsFunc(p.Accounts, func(a Account) bool { return a.Hours != math.Trunc(a.Hours) })
	b.WriteString("\\ csplan rebalance oracle\nMinimize\n")
	line("obj", objective, "")
	b.WriteString("Subject To\n")
	for a := range p.Accounts {
		var terms []string
		for _, c := range targets[a] {
			terms = append(terms, name(a, c))
		}
		line(fmt.Sprintf("a%d", a), terms, "= 1")
	}
	for c, csm := range p.CSMs {
		if csm.Departing {
			continue
		}
		var terms []string
		for a, acc := range p.Accounts {
			if slices.Contains(targets[a], c) {
				terms = append(terms, lpNumber(acc.Hours)+" "+name(a, c))
			}
		}
		lo, hi := p.MinUtilization*csm.Capacity, p.MaxUtilization*csm.Capacity
		if integral {
			// A load of whole hours is within lo..hi exactly when it is
			// within ceil(lo)..floor(hi): the same integer solutions, and
			// an LP relaxation that sees what rounding costs.
			lo, hi = math.Ceil(lo), math.Floor(hi)
		}
		line(fmt.Sprintf("lo%d", c), terms, ">= "+lpNumber(lo))
		line(fmt.Sprintf("hi%d", c), terms, "<= "+lpNumber(hi))
	}
	if p.MaxMoves > 0 {
		line("moves", moved, "<= "+strconv.Itoa(p.MaxMoves))
	}
	b.WriteString("Bounds\n zero = 0\nGeneral\n zero\nBinary\n")
	for _, x := range binaries {
		fmt.Fprintf(&b, " %s\n", x)
	}
	b.WriteString("End\n")
	return b.String()
}

// runGLPSOL solves p with glpsol in files named by base and reads its
// printable report: the status, the objective and the columns.
func runGLPSOL(glpsol, base string, p Problem) (oracleAnswer, error) {
	lp, report := base+".lp", base+".out"
	if err := os.WriteFile(lp, []byte(writeLP(p)), 0o644); err != nil {
		return oracleAnswer{}, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*oracleTimeLimit*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, glpsol, "--lp", lp, "--tmlim", strconv.Itoa(oracleTimeLimit), "-o", report)
	cmd.Dir = filepath.Dir(base)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return oracleAnswer{}, fmt.Errorf("%v\n%s", err, out)
	}
	if strings.Contains(string(out), "TIME LIMIT EXCEEDED") {
		return oracleAnswer{}, fmt.Errorf("time limit of %ds exceeded\n%s", oracleTimeLimit, out)
	}
	f, err := os.Open(report)
	if err != nil {
		return oracleAnswer{}, err
	}
	defer f.Close()
	ans, err := parseReport(p, bufio.NewScanner(f))
	if err != nil {
		return oracleAnswer{}, fmt.Errorf("%v\n%s", err, out)
	}
	return ans, nil
}

// parseReport reads glpsol's printable MIP report (-o): "Status:" is
// INTEGER OPTIMAL or INTEGER EMPTY (anything else is no answer),
// "Objective:  obj = V (MINimum)", and in the columns' table each x_a_c's
// activity.
func parseReport(p Problem, sc *bufio.Scanner) (oracleAnswer, error) {
	var ans oracleAnswer
	var status string
	objective := math.NaN()
	ans.owner = make([]int, len(p.Accounts))
	for a := range ans.owner {
		ans.owner[a] = -1
	}
	inColumns := false
	pending := "" // a column name too long for its cell: the numbers follow on the next line
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "Status:"):
			status = strings.TrimSpace(strings.TrimPrefix(line, "Status:"))
		case strings.HasPrefix(line, "Objective:"):
			_, v, ok := strings.Cut(line, "=")
			if !ok {
				return ans, fmt.Errorf("objective line %q", line)
			}
			fields := strings.Fields(v)
			if len(fields) == 0 {
				return ans, fmt.Errorf("objective line %q", line)
			}
			x, err := strconv.ParseFloat(fields[0], 64)
			if err != nil {
				return ans, fmt.Errorf("objective line %q: %v", line, err)
			}
			objective = x
		case strings.Contains(line, "Column name"):
			inColumns = true
		case inColumns && strings.TrimSpace(line) == "":
			inColumns = false
		case inColumns && strings.HasPrefix(strings.TrimSpace(line), "---"):
		case inColumns:
			fields := strings.Fields(line)
			if pending == "" {
				if len(fields) < 2 {
					return ans, fmt.Errorf("column line %q", line)
				}
				if len(fields) == 2 {
					pending = fields[1]
					continue
				}
				pending, fields = fields[1], fields[2:]
			}
			if len(fields) > 0 && fields[0] == "*" {
				fields = fields[1:]
			}
			if len(fields) == 0 {
				return ans, fmt.Errorf("column %s: no activity in %q", pending, line)
			}
			x, err := strconv.ParseFloat(fields[0], 64)
			if err != nil {
				return ans, fmt.Errorf("column %s: %q: %v", pending, line, err)
			}
			col := pending
			pending = ""
			var a, c int
			if _, err := fmt.Sscanf(col, "x%d_%d", &a, &c); err != nil {
				continue // zero
			}
			if a < 0 || a >= len(p.Accounts) || c < 0 || c >= len(p.CSMs) {
				return ans, fmt.Errorf("column %s names no account and CSM", col)
			}
			if math.Abs(x-1) < 1e-6 {
				if ans.owner[a] >= 0 {
					return ans, fmt.Errorf("account %d on CSMs %d and %d", a, ans.owner[a], c)
				}
				ans.owner[a] = c
			} else if math.Abs(x) > 1e-6 {
				return ans, fmt.Errorf("column %s at %v, neither 0 nor 1", col, x)
			}
		}
	}
	if err := sc.Err(); err != nil {
		return ans, err
	}
	switch status {
	case "INTEGER EMPTY":
		return oracleAnswer{}, nil
	case "INTEGER OPTIMAL":
	default:
		return ans, fmt.Errorf("glpsol status %q: no answer", status)
	}
	if math.IsNaN(objective) {
		return ans, errors.New("no objective in the report")
	}
	for a, c := range ans.owner {
		if c < 0 {
			return ans, fmt.Errorf("account %d on no CSM", a)
		}
	}
	ans.feasible, ans.objective = true, objective
	return ans, nil
}

// checkAssignment checks owner against the rules as stated, apart from
// the package's own helpers: every staying CSM within the band, departing
// CSMs with nothing, moves only to a staying CSM of the account's group,
// fixed accounts of staying CSMs where they are, at most MaxMoves moves.
// It returns the cost and the moves, and what is wrong ("" when nothing).
func checkAssignment(p Problem, owner []int) (cost float64, moves int, wrong string) {
	if len(owner) != len(p.Accounts) {
		return 0, 0, fmt.Sprintf("%d owners for %d accounts", len(owner), len(p.Accounts))
	}
	load := make([]float64, len(p.CSMs))
	for a, acc := range p.Accounts {
		c := owner[a]
		if c < 0 || c >= len(p.CSMs) {
			return 0, 0, fmt.Sprintf("account %s on CSM %d", acc.ID, c)
		}
		load[c] += acc.Hours
		if p.CSMs[c].Departing {
			wrong = fmt.Sprintf("account %s ends with departing %s", acc.ID, p.CSMs[c].ID)
		}
		if c == acc.Owner {
			continue
		}
		moves++
		cost += oracleWeight(p, a)
		switch {
		case acc.Fixed && !p.CSMs[acc.Owner].Departing:
			wrong = fmt.Sprintf("fixed account %s moved", acc.ID)
		case p.CSMs[c].Group != acc.Group:
			wrong = fmt.Sprintf("account %s (group %q) moved to %s (group %q)", acc.ID, acc.Group, p.CSMs[c].ID, p.CSMs[c].Group)
		}
	}
	for c, csm := range p.CSMs {
		if csm.Departing {
			continue
		}
		// Integer hours, edges in eighths: exact comparisons.
		if lo, hi := p.MinUtilization*csm.Capacity, p.MaxUtilization*csm.Capacity; load[c] < lo || load[c] > hi {
			wrong = fmt.Sprintf("CSM %s carries %v hours, band %v..%v", csm.ID, load[c], lo, hi)
		}
	}
	if p.MaxMoves > 0 && moves > p.MaxMoves {
		wrong = fmt.Sprintf("%d moves, cap %d", moves, p.MaxMoves)
	}
	return cost, moves, wrong
}

// describeBook writes p as Go, to paste into a test.
func describeBook(p Problem) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Problem{MinUtilization: %v, MaxUtilization: %v, Weight: %d, MaxMoves: %d,\n\tCSMs: []CSM{\n", p.MinUtilization, p.MaxUtilization, p.Weight, p.MaxMoves)
	for _, c := range p.CSMs {
		fmt.Fprintf(&b, "\t\t{ID: %q, Capacity: %v, Group: %q, Departing: %v},\n", c.ID, c.Capacity, c.Group, c.Departing)
	}
	b.WriteString("\t},\n\tAccounts: []Account{\n")
	for _, a := range p.Accounts {
		fmt.Fprintf(&b, "\t\t{ID: %q, Owner: %d, Hours: %v, ARR: %v, Group: %q, Fixed: %v},\n", a.ID, a.Owner, a.Hours, a.ARR, a.Group, a.Fixed)
	}
	b.WriteString("\t},\n}")
	return b.String()
}
