package bot

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"salesguard/amo"
	"salesguard/checks"
)

const (
	// reportNameWidth caps the manager column of the report table (in characters).
	reportNameWidth = 16
	// reportChunkLines is how many table lines go into one <pre> block.
	reportChunkLines = 40
	// reportMessageLimit keeps each report message well under Telegram's 4096 characters.
	reportMessageLimit = 3500
)

// reportLine is one manager's row of the report table.
type reportLine struct {
	manager amo.UserID
	name    string
	byRule  map[checks.RuleID]int
	total   int
}

// reportText renders the daily table of a period as HTML messages: a header and the total,
// the manager × rule table in <pre> (names escaped and cut to fit), the rules' names, and the
// KPI ranking (penalty points for the bonus, fewest first). Long reports are split into
// several messages, each under reportMessageLimit.
func reportText(p Printer, snap *amo.Snapshot, per period, rows []checks.TableRow) []string {
	title := p.T("bot.report.header", p.Date(per.from.In(time.UTC)), p.Date(per.to.In(time.UTC)))
	if per.from == per.to {
		title = p.T("bot.report.header_day", p.Date(per.from.In(time.UTC)))
	}
	head := "<b>" + esc(title) + "</b>"
	if len(rows) == 0 {
		return []string{head + "\n" + esc(p.T("bot.report.empty"))}
	}
	lines, rules, totals := reportLines(snap, rows)
	blocks := []string{head + "\n" + esc(p.N("bot.report.total", totals.Total))}
	table := reportTable(p, lines, rules, totals)
	for i := 0; i < len(table); i += reportChunkLines {
		blocks = append(blocks, "<pre>"+strings.Join(table[i:min(i+reportChunkLines, len(table))], "\n")+"</pre>")
	}
	legend := make([]string, 0, len(rules))
	for _, r := range rules {
		legend = append(legend, esc(string(r)+" — "+ruleName(p, r)))
	}
	blocks = append(blocks, strings.Join(legend, "\n"))
	kpi := []string{"<b>" + esc(p.T("bot.report.kpi.title")) + "</b>"}
	names := map[amo.UserID]string{}
	for _, l := range lines {
		names[l.manager] = l.name
	}
	for _, k := range checks.KPI(rows, nil) {
		kpi = append(kpi, esc(p.N("bot.report.kpi.line", k.Points, k.Rank, names[k.Manager], p.Count("violations", k.Violations))))
	}
	for i := 0; i < len(kpi); i += reportChunkLines {
		blocks = append(blocks, strings.Join(kpi[i:min(i+reportChunkLines, len(kpi))], "\n"))
	}
	return packBlocks(blocks, reportMessageLimit)
}

// reportLines merges rows per manager (sorted by name), and lists the rules that occur.
func reportLines(snap *amo.Snapshot, rows []checks.TableRow) ([]reportLine, []checks.RuleID, checks.TableTotals) {
	by := map[amo.UserID]*reportLine{}
	for _, r := range rows {
		l := by[r.Manager]
		if l == nil {
			l = &reportLine{manager: r.Manager, name: userName(snap, r.Manager), byRule: map[checks.RuleID]int{}}
			by[r.Manager] = l
		}
		l.byRule[r.Rule] += r.Count
		l.total += r.Count
	}
	totals := checks.Totals(rows)
	var rules []checks.RuleID
	for _, r := range append(slices.Clone(checks.AllRuleIDs), checks.RuleDataHealth) {
		if totals.ByRule[r] > 0 {
			rules = append(rules, r)
		}
	}
	lines := make([]reportLine, 0, len(by))
	for _, l := range by {
		lines = append(lines, *l)
	}
	slices.SortFunc(lines, func(a, b reportLine) int {
		return cmp.Or(strings.Compare(strings.ToLower(a.name), strings.ToLower(b.name)), cmp.Compare(a.manager, b.manager))
	})
	return lines, rules, totals
}

// reportTable lays the lines out in fixed-width columns (escaped for <pre>).
func reportTable(p Printer, lines []reportLine, rules []checks.RuleID, totals checks.TableTotals) []string {
	nameW := min(max(utf8.RuneCountInString(p.T("bot.report.col.manager")), utf8.RuneCountInString(p.T("bot.report.col.total"))), reportNameWidth)
	for _, l := range lines {
		nameW = max(nameW, min(utf8.RuneCountInString(l.name), reportNameWidth))
	}
	widths := make([]int, len(rules)+1)
	for i, r := range rules {
		widths[i] = max(len(r), len(strconv.Itoa(totals.ByRule[r])))
	}
	widths[len(rules)] = max(1, len(strconv.Itoa(totals.Total)))
	row := func(name string, cells []string) string {
		var b strings.Builder
		b.WriteString(esc(padRight(cut(name, nameW), nameW)))
		for i, c := range cells {
			b.WriteString(" " + strings.Repeat(" ", max(0, widths[i]-utf8.RuneCountInString(c))) + c)
		}
		return b.String()
	}
	cellsOf := func(byRule map[checks.RuleID]int, total int) []string {
		out := make([]string, 0, len(rules)+1)
		for _, r := range rules {
			if n := byRule[r]; n > 0 {
				out = append(out, strconv.Itoa(n))
			} else {
				out = append(out, "·")
			}
		}
		return append(out, strconv.Itoa(total))
	}
	header := make([]string, 0, len(rules)+1)
	for _, r := range rules {
		header = append(header, string(r))
	}
	out := []string{row(p.T("bot.report.col.manager"), append(header, "Σ"))}
	for _, l := range lines {
		out = append(out, row(l.name, cellsOf(l.byRule, l.total)))
	}
	return append(out, row(p.T("bot.report.col.total"), cellsOf(totals.ByRule, totals.Total)))
}

// cut shortens s to n characters, ending with "…" when cut.
func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// padRight pads s with spaces to n characters.
func padRight(s string, n int) string {
	return s + strings.Repeat(" ", max(0, n-utf8.RuneCountInString(s)))
}

// packBlocks joins blocks with blank lines into messages of at most limit bytes each (a
// block longer than limit gets a message of its own).
func packBlocks(blocks []string, limit int) []string {
	var out []string
	cur := ""
	for _, b := range blocks {
		if b == "" {
			continue
		}
		if cur != "" && len(cur)+2+len(b) > limit {
			out = append(out, cur)
			cur = ""
		}
		if cur != "" {
			cur += "\n\n"
		}
		cur += b
	}
	if cur != "" {
		out = append(out, cur)
	}
	return out
}
