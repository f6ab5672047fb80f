package bot

import (
	"cmp"
	"slices"
	"strings"

	"salesguard/amo"
	"salesguard/checks"
	"salesguard/notify"
)

const (
	// drillMaxManagers caps the manager buttons under a digest, a report or a summary; the
	// managers with the most violations get them (the others are reachable with /report).
	drillMaxManagers = 24
	// drillButtonName cuts a manager's name on a button.
	drillButtonName = 18
)

// drillManager is a manager's count, for a button.
type drillManager struct {
	id    amo.UserID
	name  string
	count int
}

// drillButtons lays out the buttons that open the violations behind counts: the rules, four
// to a row, then the managers with the most violations, two to a row. base gives the source,
// the view and the period; a rule's button keeps base's manager.
func drillButtons(p Printer, base drillRef, rules []checks.RuleCount, managers []drillManager) [][]notify.Button {
	var out [][]notify.Button
	var row []notify.Button
	flush := func(width int) {
		if len(row) == width {
			out, row = append(out, row), nil
		}
	}
	for _, rc := range rules {
		if rc.Count <= 0 {
			continue
		}
		ref := base.with(base.view, rc.Rule, base.manager, 0)
		row = append(row, notify.Button{Text: string(rc.Rule) + " · " + p.Number(rc.Count), Unique: uniqDrill, Data: drillData(ref)})
		flush(4)
	}
	if len(row) > 0 {
		out, row = append(out, row), nil
	}
	managers = slices.DeleteFunc(slices.Clone(managers), func(m drillManager) bool { return m.count <= 0 })
	slices.SortStableFunc(managers, func(a, b drillManager) int {
		return cmp.Or(cmp.Compare(b.count, a.count), strings.Compare(strings.ToLower(a.name), strings.ToLower(b.name)), cmp.Compare(a.id, b.id))
	})
	for _, m := range managers[:min(len(managers), drillMaxManagers)] {
		ref := base.with(base.view, "", m.id, 0)
		row = append(row, notify.Button{Text: cut(m.name, drillButtonName) + " · " + p.Number(m.count), Unique: uniqDrill, Data: drillData(ref)})
		flush(2)
	}
	if len(row) > 0 {
		out = append(out, row)
	}
	return out
}

// reportDrillButtons lead from a report's counts to the violations behind them: per rule (of
// mgr when the report is one manager's) and per manager.
func reportDrillButtons(p Printer, snap *amo.Snapshot, per period, mgr amo.UserID, rows []checks.TableRow) [][]notify.Button {
	rules, managers := rowCounts(rows, snap)
	base := drillRef{source: drillReport, view: drillOpen, from: per.from, to: per.to, manager: mgr}
	return drillButtons(p, base, rules, managers)
}

// rowCounts sums table rows per rule (in rulebook order) and per manager (named from snap).
func rowCounts(rows []checks.TableRow, snap *amo.Snapshot) ([]checks.RuleCount, []drillManager) {
	byRule := map[checks.RuleID]int{}
	byManager := map[amo.UserID]int{}
	for _, r := range rows {
		byRule[r.Rule] += r.Count
		byManager[r.Manager] += r.Count
	}
	var rules []checks.RuleCount
	for _, id := range checks.AllRuleIDs {
		if n := byRule[id]; n > 0 {
			rules = append(rules, checks.RuleCount{Rule: id, Count: n})
		}
	}
	var managers []drillManager
	for id, n := range byManager {
		managers = append(managers, drillManager{id: id, name: userName(snap, id), count: n})
	}
	return rules, managers
}
