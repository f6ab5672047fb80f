package bot

import (
	"fmt"

	"salesguard/amo"
	"salesguard/checks"
	"salesguard/report"
)

// TableFindingStore gives the findings behind the stored daily table. storage implements it
// (through app).
type TableFindingStore interface {
	// TableFindings returns, for each stored day of from..to (inclusive), the findings its
	// table was counted from (the ledger entries open at the moment of the count) among those
	// keep accepts (nil: all); a day whose moment was not recorded is absent.
	TableFindings(from, to checks.Date, keep func(*checks.Finding) bool) (map[checks.Date][]checks.Finding, error)
}

// kindCallReview marks the finding that stands for a sampled call judged not OK (R7).
const kindCallReview = "call_review"

// drillItem is one violation behind a count: a finding the table counted, or an audit or
// call verdict of "violation".
type drillItem struct {
	day  checks.Date
	f    checks.Finding
	note string // the comment of an audit verdict
}

// tally is what the counts of a period are made of for one person: the table rows, and the
// violations behind them when asked for.
type tally struct {
	rows  []checks.TableRow
	items []drillItem
}

// tallyQuery says which counts to collect.
type tallyQuery struct {
	verdicts bool          // also the audit (R13) and call review (R7) verdicts, as /report counts
	items    bool          // also the violations behind the rows
	rule     checks.RuleID // "" = every rule
	manager  amo.UserID    // 0 = every manager the person sees
}

// keeps reports whether a manager's violation of a rule is in the query for p.
func (q tallyQuery) keeps(p Person, m amo.UserID, r checks.RuleID) bool {
	return p.Sees(m) && (q.manager == 0 || m == q.manager) && (q.rule == "" || r == q.rule)
}

// tallyOf collects the counts of a period as the digest (the daily table) or /report (the
// table and the verdicts) show them, for p: the stored days, today's live table when today is
// not stored yet, and with q.verdicts the audit and call verdicts of "violation". With q.items
// each row's violations come from the same place as its count: a stored day's from the ledger
// as it was when the day was counted (TableFindingStore), today's from the same live
// evaluation as its count, a verdict's from the verdict.
//
// A count and its list can still differ. A stored day lists fewer when the history no longer
// holds a finding (storage.DB.TableFindings says when). Today's counts are evaluated anew at
// each press: a finding fixed since the digest or /report was sent is in neither the new count
// nor the list, so a button's number can be larger than the list it opens (whose header gives
// the count at the press).
func (b *Bot) tallyOf(p Person, pr period, q tallyQuery) (tally, error) {
	var t tally
	rows, err := b.store.In(p.Account).Table(pr.from, pr.to)
	if err != nil {
		return t, fmt.Errorf("table: %w", err)
	}
	stored := map[checks.Date]bool{}
	for _, r := range rows {
		stored[r.Day] = true
	}
	if today := b.today(p.Account); !today.Before(pr.from) && !pr.to.Before(today) && !stored[today] {
		live := b.src.Findings(p.Account)
		rows = append(rows, checks.Table(live, today)...)
		if q.items {
			t.items = b.countedItems(t.items, p, q, today, live)
		}
	}
	if q.items {
		found, err := b.store.In(p.Account).TableFindings(pr.from, pr.to, func(f *checks.Finding) bool { return q.keeps(p, f.ManagerID, f.Rule) })
		if err != nil {
			return t, fmt.Errorf("table findings: %w", err)
		}
		for day, fs := range found {
			if stored[day] {
				t.items = b.countedItems(t.items, p, q, day, fs)
			}
		}
	}
	if q.verdicts {
		if rows, t.items, err = b.verdictTally(p, pr, q, rows, t.items); err != nil {
			return t, err
		}
	}
	for _, r := range rows {
		if r.Count > 0 && q.keeps(p, r.Manager, r.Rule) {
			t.rows = append(t.rows, r)
		}
	}
	return t, nil
}

// countedItems appends the violations the table counts among a day's findings (report.Counted)
// that the query keeps.
func (b *Bot) countedItems(items []drillItem, p Person, q tallyQuery, day checks.Date, fs []checks.Finding) []drillItem {
	for _, f := range report.Counted(fs, day) {
		if q.keeps(p, f.ManagerID, f.Rule) {
			items = append(items, drillItem{day: day, f: f})
		}
	}
	return items
}

// verdictTally adds the audit verdicts of "violation" (R13) and the sampled calls judged not OK
// (R7) of a period to rows and, when asked, to items.
func (b *Bot) verdictTally(p Person, pr period, q tallyQuery, rows []checks.TableRow, items []drillItem) ([]checks.TableRow, []drillItem, error) {
	vs, err := b.store.In(p.Account).Verdicts(pr.from, pr.to)
	if err != nil {
		return nil, nil, fmt.Errorf("verdicts: %w", err)
	}
	for _, v := range vs {
		if v.OK {
			continue
		}
		rows = append(rows, checks.TableRow{Day: v.Day, Manager: v.Manager, Rule: checks.R13, Count: 1})
		if q.items && q.keeps(p, v.Manager, checks.R13) {
			f := checks.Finding{Rule: checks.R13, Kind: checks.KindAudit, DealID: v.DealID, ManagerID: v.Manager, Day: v.Day,
				DealName: b.src.DealName(p.Account, v.DealID)}
			items = append(items, drillItem{day: v.Day, f: f, note: v.Comment})
		}
	}
	calls, err := b.reviewRows(p.Account, pr.from, pr.to) // calls judged not OK count as R7
	if err != nil {
		return nil, nil, err
	}
	rows = append(rows, calls...)
	if !q.items || len(calls) == 0 {
		return rows, items, nil
	}
	cvs, err := b.store.In(p.Account).CallVerdicts(pr.from, pr.to)
	if err != nil {
		return nil, nil, fmt.Errorf("call verdicts: %w", err)
	}
	for _, v := range lastCallVerdicts(cvs) {
		if !v.OK && q.keeps(p, v.Manager, checks.R7) {
			f := checks.Finding{Rule: checks.R7, Kind: kindCallReview, DealID: v.DealID, ManagerID: v.Manager, Note: v.NoteID,
				Day: v.Day, DealName: b.src.DealName(p.Account, v.DealID)}
			items = append(items, drillItem{day: v.Day, f: f})
		}
	}
	return rows, items, nil
}

// lastCallVerdicts keeps the last verdict on each call, as checks.CallVerdictRows counts them.
func lastCallVerdicts(vs []CallVerdict) []CallVerdict {
	return checks.LastByNote(vs, func(v *CallVerdict) amo.NoteID { return v.NoteID })
}

// findingRows converts the violations behind a report to the rows of its findings sheet, with
// the links to the deals.
func findingRows(snap *amo.Snapshot, items []drillItem) []report.FindingRow {
	out := make([]report.FindingRow, 0, len(items))
	for _, it := range items {
		var url string
		if it.f.DealID != 0 {
			url = dealURL(snap, it.f.DealID)
		}
		out = append(out, report.FindingRow{Day: it.day, Finding: it.f, URL: url, Note: it.note})
	}
	return out
}
