package bot

import (
	"testing"

	"salesguard/amo"
	"salesguard/checks"
)

// Fuzz target for the drill-down buttons' data (issue 11): parseDrillData refuses what
// drillData cannot have written, and reads back exactly what it wrote, within Telegram's 64
// bytes. The seed corpus is below and in testdata/fuzz/FuzzParseDrillData.

func FuzzParseDrillData(f *testing.F) {
	for _, s := range []string{
		"do:20260311:20260311:R3:0:0", "dp:20260310:20260310:R2:0:1", "ri:20260309:20260311:-:0:0",
		"ri:20260309:20260311:-:1:0", "rp:20250311:20260310:R13:9223372036854775807:9999", "ro:20260309:20260311:-:2:0",
		"do:20260311:20260311:R3:0:1", "di:20260311:20260311:R3:0:0", "do:20260311:20260310:R3:0:0",
		"do:20250101:20260311:R3:0:0", "do:20260311:20260311:R99:0:0", "do:20260311:20260311:R3:01:0",
		"do:20260311:20260311:R3:-0:0", "do:20260311:20260311:R3:0:0:", "xo:20260311:20260311:R3:0:0",
		"do:20260230:20260311:R3:0:0", "do:2026031:20260311:R3:0:0", "", ":::::", "do:::::",
	} {
		f.Add(s, uint8(0), 0, 0, 0, int64(0), 0)
	}
	f.Add("", uint8(5), 300, 365, 12, int64(1<<62), maxListPage)
	f.Fuzz(func(t *testing.T, s string, kind uint8, start, span, rule int, manager int64, page int) {
		r, ok := parseDrillData(s)
		if ok {
			if drillData(r) != s || len(s) > maxDrillData || r.to.Before(r.from) || r.manager < 0 || r.page < 0 || r.page > maxListPage {
				t.Fatalf("parseDrillData(%q) = %+v, written back as %q", s, r, drillData(r))
			}
		} else if r != (drillRef{}) {
			t.Fatalf("refused %q but returned %+v", s, r)
		}
		// What the builder writes for any sane reference reads back as itself.
		want := drillRef{source: "dr"[kind%2], view: "opi"[int(kind/2)%3], manager: amo.UserID(manager), page: page}
		want.from = checks.DateOf(fixtureNow).AddDays(-(fuzzAbs(start) % 4000))
		want.to = want.from.AddDays(fuzzAbs(span) % maxReportDays)
		if ids := checks.AllRuleIDs; rule%(len(ids)+1) != 0 {
			want.rule = ids[fuzzAbs(rule)%len(ids)]
		}
		if want.view == drillOpen {
			want.page = 0
		}
		if want.view == drillIndex {
			want.rule, want.page = "", 0
		}
		data := drillData(want)
		got, ok := parseDrillData(data)
		sane := manager >= 0 && want.page >= 0 && want.page <= maxListPage
		if ok != sane || ok && got != want || len("\f"+uniqDrill+"|"+data) > maxCallbackData {
			t.Fatalf("drillData(%+v) = %q reads back as %+v, %v", want, data, got, ok)
		}
	})
}

func fuzzAbs(n int) int {
	if n < 0 {
		return -(n + 1) // never negative, even for the smallest int
	}
	return n
}
