package checks

import (
	"cmp"
	"slices"
	"strings"

	"salesguard/amo"
	"salesguard/workset"
)

// DigestTopDeals is how many deals the digest lists for a look.
const DigestTopDeals = 10

// Digest is the end-of-day summary the head gets and the morning meeting shows (RULES.md "The
// daily table, the meeting and the bonus"). It carries numbers and ids, not text.
type Digest struct {
	Day Date `json:"day"`
	// Managers is the ranking ("hall of fame"): fewest violations today first, ties by name.
	Managers []ManagerDigest `json:"managers"`
	// Totals holds today's violations of each rule over the whole team, in rulebook order,
	// rules with no violation left out.
	Totals []RuleCount `json:"totals,omitempty"`
	// Total is today's violations of the team; Yesterday the day before's; WeekAvg the daily
	// average over the days of the week rows (0 when there were none).
	Total     int     `json:"total"`
	Yesterday int     `json:"yesterday"`
	WeekAvg   float64 `json:"week_avg"`
	HasWeek   bool    `json:"has_week"`
	// HasYesterday says the table has rows of the day before; HasWeek that it has rows of a
	// week day other than that one (on a second day only yesterday exists, and "vs last week"
	// would repeat "vs yesterday").
	HasYesterday bool `json:"has_yesterday,omitempty"`
	// Deals are the open findings to look at, most severe first (at most DigestTopDeals).
	Deals []Finding `json:"deals,omitempty"`
	// Unsorted are the deals left in an unsorted or first stage at the end of the working day
	// (R12, checked at that moment only), by manager and deal, at most DigestTopDeals of them;
	// UnsortedCount counts them all.
	Unsorted      []Finding `json:"unsorted,omitempty"`
	UnsortedCount int       `json:"unsorted_count,omitempty"`
}

// ManagerDigest is one manager's line of the digest.
type ManagerDigest struct {
	Manager amo.UserID `json:"manager"`
	Name    string     `json:"name"`
	// Rank is the 1-based place in the ranking; managers with equal totals share a rank.
	Rank int `json:"rank"`
	// ByRule holds today's violations of each rule, in rulebook order, zeros left out.
	ByRule    []RuleCount `json:"by_rule,omitempty"`
	Total     int         `json:"total"`
	Yesterday int         `json:"yesterday"`
	WeekAvg   float64     `json:"week_avg"`
	// Response holds the day's first-response figures (R1), nil when no lead came in.
	Response *ResponseStat `json:"response,omitempty"`
}

// RuleCount is the number of violations of one rule.
type RuleCount struct {
	Rule  RuleID `json:"rule"`
	Count int    `json:"count"`
}

// DeltaYesterday is today's total minus yesterday's (negative is better).
func (m ManagerDigest) DeltaYesterday() int { return m.Total - m.Yesterday }

// DeltaWeek is today's total minus the week's daily average (negative is better).
func (m ManagerDigest) DeltaWeek() float64 { return float64(m.Total) - m.WeekAvg }

// BuildDigest summarises a day from the daily table rows of today, of yesterday and of the
// week before (any number of days; the average divides by the distinct days present), the open
// findings (for the deals to look at) and the snapshot (for manager names).
//
// The managers listed are those with a row in any of the three periods plus the active users
// responsible for an open deal in the snapshot, so a manager with a clean day ranks first
// instead of being missing. Data-health rows and findings are not violations and are skipped.
func BuildDigest(day Date, today, yesterday, week []TableRow, findings []Finding, ws *workset.Set) Digest {
	d := Digest{Day: day}
	lines := map[amo.UserID]*ManagerDigest{}
	line := func(id amo.UserID) *ManagerDigest {
		if m, ok := lines[id]; ok {
			return m
		}
		m := &ManagerDigest{Manager: id}
		lines[id] = m
		return m
	}
	todayByRule := map[amo.UserID]map[RuleID]int{}
	teamByRule := map[RuleID]int{}
	for _, r := range violations(today) {
		line(r.Manager).Total += r.Count
		if todayByRule[r.Manager] == nil {
			todayByRule[r.Manager] = map[RuleID]int{}
		}
		todayByRule[r.Manager][r.Rule] += r.Count
		teamByRule[r.Rule] += r.Count
		d.Total += r.Count
	}
	yesterdays := map[Date]bool{}
	for _, r := range yesterday {
		yesterdays[r.Day] = true
	}
	d.HasYesterday = len(yesterdays) > 0
	for _, r := range violations(yesterday) {
		line(r.Manager).Yesterday += r.Count
		d.Yesterday += r.Count
	}
	days := map[Date]bool{}
	otherDay := false
	weekSum := map[amo.UserID]int{}
	for _, r := range violations(week) {
		line(r.Manager)
		days[r.Day] = true
		otherDay = otherDay || !yesterdays[r.Day]
		weekSum[r.Manager] += r.Count
	}
	if n := len(days); n > 0 && otherDay {
		d.HasWeek = true
		team := 0
		for id, s := range weekSum {
			lines[id].WeekAvg = float64(s) / float64(n)
			team += s
		}
		d.WeekAvg = float64(team) / float64(n)
	}
	for id := range activeManagers(ws) {
		line(id)
	}
	names := userNames(ws)
	for id, m := range lines {
		m.Name = names[id]
		m.ByRule = ruleCounts(todayByRule[id])
		d.Managers = append(d.Managers, *m)
	}
	rankManagers(d.Managers)
	d.Totals = ruleCounts(teamByRule)
	d.Deals = topDeals(findings, DigestTopDeals)
	d.Unsorted, d.UnsortedCount = unsorted(findings, DigestTopDeals)
	return d
}

// unsorted picks R12's deals from the open findings, in the usual finding order, at most n,
// and counts them all.
func unsorted(fs []Finding, n int) ([]Finding, int) {
	var out []Finding
	for _, f := range fs {
		if f.Rule == R12 && f.Level == LevelWarning && f.DealID != 0 {
			out = append(out, f)
		}
	}
	SortFindings(out)
	out = slices.CompactFunc(out, func(a, b Finding) bool { return a.DealID == b.DealID })
	total := len(out)
	if len(out) > n {
		out = out[:n:n]
	}
	return out, total
}

// violations drops rows that are not discipline violations.
func violations(rows []TableRow) []TableRow {
	out := make([]TableRow, 0, len(rows))
	for _, r := range rows {
		if r.Rule != RuleDataHealth && r.Count > 0 {
			out = append(out, r)
		}
	}
	return out
}

func activeManagers(ws *workset.Set) map[amo.UserID]bool {
	out := map[amo.UserID]bool{}
	if ws == nil {
		return out
	}
	active := map[amo.UserID]bool{}
	for _, u := range ws.Dict().Users {
		active[u.ID] = u.IsActive
	}
	for _, d := range ws.Deals() {
		if d.Live() && d.IsOpen() && !d.Deleted && active[d.Responsible] {
			out[d.Responsible] = true
		}
	}
	return out
}

func userNames(ws *workset.Set) map[amo.UserID]string {
	out := map[amo.UserID]string{}
	if ws != nil {
		for _, u := range ws.Dict().Users {
			out[u.ID] = u.Name
		}
	}
	return out
}

func ruleCounts(m map[RuleID]int) []RuleCount {
	var out []RuleCount
	for r, n := range m {
		if n > 0 {
			out = append(out, RuleCount{Rule: r, Count: n})
		}
	}
	slices.SortFunc(out, func(a, b RuleCount) int { return cmp.Compare(ruleOrder(a.Rule), ruleOrder(b.Rule)) })
	return out
}

// rankManagers sorts best first (fewest violations, then by name, then id) and numbers the
// places; equal totals share a place (1, 2, 2, 4).
func rankManagers(ms []ManagerDigest) {
	slices.SortFunc(ms, func(a, b ManagerDigest) int {
		return cmp.Or(
			cmp.Compare(a.Total, b.Total),
			strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)),
			cmp.Compare(a.Manager, b.Manager),
		)
	})
	for i := range ms {
		if i > 0 && ms[i].Total == ms[i-1].Total {
			ms[i].Rank = ms[i-1].Rank
		} else {
			ms[i].Rank = i + 1
		}
	}
}

// topDeals picks the most severe open findings on deals: escalations before warnings, then by
// how far over the limit (Value/Limit), then in the usual finding order; each problem once.
// Info and data-health findings are observations, not violations, and are left out.
func topDeals(fs []Finding, n int) []Finding {
	var out []Finding
	for _, f := range fs {
		if f.DealID != 0 && (f.Level == LevelWarning || f.Level == LevelEscalation) {
			out = append(out, f)
		}
	}
	SortFindings(out)
	slices.SortStableFunc(out, func(a, b Finding) int {
		return cmp.Or(
			cmp.Compare(levelWeight(b.Level), levelWeight(a.Level)),
			cmp.Compare(overRatio(b), overRatio(a)),
		)
	})
	// An escalation repeats its warning: keep each problem once, at its most severe level.
	seen := map[Key]bool{}
	uniq := out[:0]
	for _, f := range out {
		k := f
		k.Level = ""
		if key := k.Key(); !seen[key] {
			seen[key] = true
			uniq = append(uniq, f)
		}
	}
	if len(uniq) > n {
		uniq = uniq[:n]
	}
	return uniq
}

func levelWeight(l Level) int {
	if l == LevelEscalation {
		return 2
	}
	return 1
}

func overRatio(f Finding) float64 {
	if f.Limit <= 0 {
		return 0
	}
	return f.Value / f.Limit
}

// AddResponses attaches the day's R1 response figures to the managers of the digest (the
// median first response and the share within the limit, RULES.md R1 "Reported").
func (d *Digest) AddResponses(stats map[amo.UserID]ResponseStat) {
	for i := range d.Managers {
		if st, ok := stats[d.Managers[i].Manager]; ok && st.Count > 0 {
			d.Managers[i].Response = &st
		}
	}
}
