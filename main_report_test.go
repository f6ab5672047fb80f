package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"image/png"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"salesguard/locales"
	"salesguard/report"
)

// TestDemoThenReport runs the demo for two working days into a kept database, then exports
// the daily table with `report` in each format and reads the files back.
func TestDemoThenReport(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "demo.db")
	env := envOf(map[string]string{"SALESGUARD_DB": db})
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"demo", "--speed", "0", "--days", "2", "--managers", "3",
		"--leads-per-day", "30", "--history", "2", "--lang", "en", "--start", "2026-11-24", "--db", db}, env, &out, &errb)
	if code != 0 {
		t.Fatalf("demo exit %d: %s", code, errb.String())
	}
	if !strings.Contains(out.String(), "· digest") {
		t.Fatalf("the demo sent no digest:\n%s", out.String())
	}
	for _, format := range []string{"csv", "xlsx", "png"} {
		file := filepath.Join(dir, "week."+format)
		out.Reset()
		errb.Reset()
		code := run(context.Background(), []string{"report", "--account", "demo", "--from", "2026-11-24", "--to", "2026-11-25",
			"--lang", "ru", "-o", file}, env, &out, &errb)
		if code != 0 {
			t.Fatalf("report %s exit %d: %s", format, code, errb.String())
		}
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		switch format {
		case "csv":
			if !bytes.HasPrefix(data, []byte("\uFEFF")) {
				t.Error("the CSV has no BOM")
			}
			r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\uFEFF"))))
			r.Comma = ';'
			rows, err := r.ReadAll()
			if err != nil || len(rows) < 2 {
				t.Errorf("CSV: %d rows, %v", len(rows), err)
			}
		case "xlsx":
			f, err := excelize.OpenReader(bytes.NewReader(data))
			if err != nil {
				t.Fatalf("XLSX: %v", err)
			}
			if len(f.GetSheetList()) != 4 {
				t.Errorf("XLSX sheets: %v", f.GetSheetList())
			}
			checkFindingsSheet(t, f)
		case "png":
			img, err := png.Decode(bytes.NewReader(data))
			if err != nil {
				t.Fatalf("PNG: %v", err)
			}
			if b := img.Bounds(); b.Dx() < 600 || b.Dy() < 300 {
				t.Errorf("PNG size %v", b)
			}
		}
	}
	if code := run(context.Background(), []string{"report", "--account", "demo", "-o", filepath.Join(dir, "x.doc")}, env, &out, &errb); code != 2 {
		t.Errorf("unknown format: exit %d, want 2", code)
	}
}

// checkFindingsSheet reads the workbook's findings sheet back: one row per violation the
// detail sheet counts (the demo's digests recorded what their tables were counted from), each
// with a date, a manager, a rule with its Russian name, a deal and a detail.
func checkFindingsSheet(t *testing.T, f *excelize.File) {
	t.Helper()
	cat, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	p := cat.Printer("ru")
	names := report.SheetNames(p)
	detail, err := f.GetRows(names[2])
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, r := range detail[1:] {
		n, err := strconv.Atoi(r[len(r)-1])
		if err != nil {
			t.Fatalf("detail row %q: %v", r, err)
		}
		total += n
	}
	rows, err := f.GetRows(names[3])
	if err != nil {
		t.Fatal(err)
	}
	if total == 0 || len(rows) != 1+total {
		t.Fatalf("findings sheet: %d rows for %d violations counted:\n%q", len(rows)-1, total, rows)
	}
	for i, r := range rows[1:] {
		if len(r) < 5 || r[0] == "" || r[1] == "" || !strings.HasPrefix(r[2], "R") || r[3] != p.T("rule."+r[2]+".name") || r[4] == "" {
			t.Errorf("findings row %d = %q", i+2, r)
		}
	}
	if raw, _ := f.GetCellValue(names[3], "A2", excelize.Options{RawCellValue: true}); raw != "46350" { // 2026-11-24
		t.Errorf("findings A2 = %q, want the first day as a date", raw)
	}
}
