package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"salesguard/amo"
	"salesguard/checks"
	"salesguard/locales"
	"salesguard/report"
	"salesguard/storage"
	"salesguard/workset"
)

// cmdReport writes the daily table of a period as XLSX (with the violations behind the counts,
// deal by deal), CSV or a PNG chart, from the history the service keeps. While the service
// runs, it reads a hot copy taken through METRICS_ADDR.
func cmdReport(ctx context.Context, e env) error {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	from := fs.String("from", "", "first day, YYYY-MM-DD (default 7 days ago)")
	to := fs.String("to", "", "last day, YYYY-MM-DD (default yesterday)")
	format := fs.String("format", "", "xlsx, csv or png (default from the -o file's extension)")
	out := fs.String("o", "", "output file (required)")
	by := fs.String("by", "manager", "png only: one line per manager or per rule")
	lang := fs.String("lang", "", "language: ru, en or es (default SALESGUARD_LANG)")
	account := fs.String("account", "main", "the account")
	if err := fs.Parse(e.args); err != nil {
		return usagef("%v", err)
	}
	if *out == "" {
		return usagef("-o FILE is required")
	}
	if *format == "" {
		*format = strings.TrimPrefix(filepath.Ext(*out), ".")
	}
	if *format != "xlsx" && *format != "csv" && *format != "png" {
		return usagef("--format %q: want xlsx, csv or png", *format)
	}
	chartBy := report.ByManager
	switch *by {
	case "manager":
	case "rule":
		chartBy = report.ByRule
	default:
		return usagef("--by %q: want manager or rule", *by)
	}
	today := checks.DateOf(time.Now())
	period := report.Table{From: today.AddDays(-7), To: today.AddDays(-1)}
	var err error
	if *from != "" {
		if period.From, err = checks.ParseDate(*from); err != nil {
			return usagef("--from: %v", err)
		}
	}
	if *to != "" {
		if period.To, err = checks.ParseDate(*to); err != nil {
			return usagef("--to: %v", err)
		}
	}
	if period.To.Before(period.From) {
		return usagef("--to %s is before --from %s", period.To, period.From)
	}
	cfg, err := ConfigFromEnv(e.getenv, false)
	if err != nil {
		return err
	}
	if *lang == "" {
		*lang = cfg.Language
	}
	db, cleanup, err := openForReading(ctx, cfg)
	if err != nil {
		return err
	}
	defer cleanup()
	if period.Rows, err = db.Table(*account, period.From, period.To); err != nil {
		return err
	}
	verdicts, err := verdictRows(db, *account, period.From, period.To)
	if err != nil {
		return err
	}
	period.Rows = append(period.Rows, verdicts...)
	meta, err := db.WorksetMeta(*account)
	if err != nil {
		return err
	}
	period.Managers = map[amo.UserID]string{}
	if meta != nil {
		ws := workset.New()
		if err := ws.UnmarshalMeta(meta); err != nil {
			return err
		}
		for _, u := range ws.Dict().Users {
			period.Managers[u.ID] = u.Name
		}
	}
	if *format == "xlsx" {
		if period.Findings, err = reportFindings(db, *account, period.From, period.To); err != nil {
			return err
		}
	}
	cat, err := locales.Load()
	if err != nil {
		return err
	}
	p := cat.Printer(*lang)
	var data []byte
	switch *format {
	case "xlsx":
		data, err = report.XLSX(period, p)
	case "csv":
		data, err = report.CSV(period, p)
	case "png":
		data, err = report.Chart(period, p, chartBy)
	}
	if err != nil {
		return fmt.Errorf("render %s: %w", *format, err)
	}
	if err := os.WriteFile(*out, data, 0o600); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s: %s to %s, %d rows, %d findings, %d bytes\n", *out, period.From, period.To, len(period.Rows),
		len(period.Findings), len(data))
	return nil
}

// reportFindings lists the violations behind the stored table of from..to for the workbook's
// findings sheet: per day, those the table counted (report.Counted) among the findings it was
// counted from (storage.DB.TableFindings), with links to the deals when the account's URL is
// known. Days stored before these were recorded have none (the sheet says so).
func reportFindings(db *storage.DB, account string, from, to checks.Date) ([]report.FindingRow, error) {
	found, err := db.TableFindings(account, from, to, nil)
	if err != nil {
		return nil, err
	}
	acc, _, err := db.Account(account)
	if err != nil {
		return nil, err
	}
	var out []report.FindingRow
	for day, fs := range found {
		for _, f := range report.Counted(fs, day) {
			row := report.FindingRow{Day: day, Finding: f}
			if acc.BaseURL != "" && f.DealID != 0 {
				row.URL = amo.DealURL(acc.BaseURL, f.DealID)
			}
			out = append(out, row)
		}
	}
	return out, nil
}

// openForReading opens the database, or, when the service holds it, a hot copy fetched from the
// service. cleanup closes and removes what it opened.
func openForReading(ctx context.Context, cfg Config) (*storage.DB, func(), error) {
	db, err := storage.Open(cfg.DB, storage.Options{Timeout: 300 * time.Millisecond})
	if err == nil {
		return db, func() { db.Close() }, nil
	}
	if !errors.Is(err, storage.ErrInUse) || cfg.MetricsAddr == "" {
		return nil, nil, err
	}
	dir, derr := os.MkdirTemp("", "salesguard-report-")
	if derr != nil {
		return nil, nil, derr
	}
	copyPath := filepath.Join(dir, "copy.db")
	token, err := clientBackupToken(cfg)
	if err == nil {
		err = backupFromService(ctx, cfg.MetricsAddr, token, copyPath)
	}
	if err != nil {
		os.RemoveAll(dir)
		return nil, nil, fmt.Errorf("the service holds %s; asking it for a copy: %w", cfg.DB, err)
	}
	db, err = storage.Open(copyPath, storage.Options{})
	if err != nil {
		os.RemoveAll(dir)
		return nil, nil, err
	}
	return db, func() { db.Close(); os.RemoveAll(dir) }, nil
}

// verdictRows are the table rows the heads' verdicts add, as /report counts them: an audit
// verdict of "violation" is an R13 violation on the day of its sample, a call judged not OK an
// R7 violation on the day of the call (its last verdict counts).
func verdictRows(db *storage.DB, account string, from, to checks.Date) ([]checks.TableRow, error) {
	vs, err := db.Verdicts(account, from, to)
	if err != nil {
		return nil, err
	}
	var rows []checks.TableRow
	for _, v := range vs {
		if !v.OK {
			rows = append(rows, checks.TableRow{Day: v.Day, Manager: v.Manager, Rule: checks.R13, Count: 1})
		}
	}
	cvs, err := db.CallVerdicts(account, from, to)
	if err != nil {
		return nil, err
	}
	calls := make([]checks.CallVerdict, len(cvs))
	for i, v := range cvs {
		calls[i] = checks.CallVerdict{Day: v.Day, Manager: v.Manager, NoteID: v.NoteID, OK: v.OK}
	}
	return append(rows, checks.CallVerdictRows(calls)...), nil
}
