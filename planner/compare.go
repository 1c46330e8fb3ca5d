package planner

import (
	"context"
	"os"
	"reflect"

	"github.com/csplan/csplan/accountcsv"
	"github.com/csplan/csplan/client"
	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
)

// Compare runs two plans through ComparePlans: both results, the inputs
// that changed and the deltas. Each side's accounts CSV is read whole
// (the unary call's bound applies); two plans on one file send it once.
// A refused field comes back as a PlanError at its plan file's line.
func Compare(ctx context.Context, c *client.Client, base, whatIf *Plan, opts Options) (*csplanv1.ComparePlansResponse, error) {
	req := &csplanv1.ComparePlansRequest{Base: base.Proto(), WhatIf: whatIf.Proto()}
	var err error
	bp, wp := base.AccountsPath(), whatIf.AccountsPath()
	switch {
	case bp != "" && bp == wp && reflect.DeepEqual(base.ReadOptions(), whatIf.ReadOptions()):
		req.Accounts, err = readAccounts(bp, base.ReadOptions(), opts, base, whatIf)
	default:
		if bp != "" {
			if req.BaseAccounts, err = readAccounts(bp, base.ReadOptions(), opts, base); err != nil {
				return nil, err
			}
		}
		if wp != "" {
			req.WhatIfAccounts, err = readAccounts(wp, whatIf.ReadOptions(), opts, whatIf)
		}
	}
	if err != nil {
		return nil, err
	}
	if opts.CallTimeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, opts.CallTimeout)
		defer cancel()
	}
	resp, err := c.Planning.ComparePlans(ctx, req)
	if err != nil {
		return nil, explainSides(err, base, whatIf)
	}
	return resp, nil
}

// readAccounts reads a whole accounts CSV for the plans that use it.
func readAccounts(path string, read accountcsv.Options, opts Options, plans ...*Plan) ([]*csplanv1.Account, error) {
	rd, closeFile, err := openAccounts(path, read)
	if err != nil {
		return nil, err
	}
	defer closeFile()
	for _, p := range plans {
		if err := p.checkAttributes(rd); err != nil {
			return nil, err
		}
	}
	accounts, err := rd.ReadAll()
	if err == nil {
		opts.skipped(path, rd.Skipped())
	}
	return accounts, err
}

// openAccounts opens a CRM export for reading, row by row.
func openAccounts(path string, opts accountcsv.Options) (*accountcsv.Reader, func() error, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	rd, err := accountcsv.NewReaderWith(f, path, opts)
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return rd, f.Close, nil
}
