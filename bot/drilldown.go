package bot

import (
	"slices"
	"strconv"
	"strings"

	"salesguard/amo"
	"salesguard/checks"
)

// Drill-down (issue 11): the buttons under the digest and /report lead from a rule's count, or
// a manager's, to the deals behind it. The list is rebuilt at each press from what the count
// was made of (drilldown_data.go), for the presser and with their rights checked again.

// uniqDrill is the callback unique of the drill-down buttons; data
// "<source><view>:<from yyyymmdd>:<to yyyymmdd>:<rule | ->:<manager id | 0>:<page>", e.g.
// "do:20260311:20260311:R3:0:0". At most 2+1+8+1+8+1+3+1+19+1+4 = 49 bytes, so with
// "\fdd|" it stays within Telegram's 64.
const uniqDrill = "dd"

// Sources in drill-down data: what the count was made of.
const (
	drillDigest = 'd' // the daily table (the digest's counts)
	drillReport = 'r' // the daily table and the audit verdicts (the report's counts)
)

// Views in drill-down data.
const (
	drillOpen  = 'o' // the first page of a list, sent as a new message (from the digest, /report)
	drillPage  = 'p' // a page of a list, in place of the pressed message
	drillIndex = 'i' // the summary of the period's counts as buttons, in place
)

// drillAll stands for "every rule" in drill-down data.
const drillAll = "-"

// drillRef names what a drill-down button shows: a period's violations of one rule or of every
// rule, of one manager or of everyone the presser sees.
type drillRef struct {
	source, view byte
	from, to     checks.Date
	rule         checks.RuleID // "" = every rule
	manager      amo.UserID    // 0 = everyone the presser sees
	page         int
}

// drillData encodes a reference for a button.
func drillData(r drillRef) string {
	rule := string(r.rule)
	if rule == "" {
		rule = drillAll
	}
	return string([]byte{r.source, r.view}) + ":" + dayCode(r.from) + ":" + dayCode(r.to) + ":" + rule + ":" +
		strconv.FormatInt(int64(r.manager), 10) + ":" + strconv.Itoa(r.page)
}

// maxDrillData bounds the data parseDrillData reads (what drillData writes is shorter).
const maxDrillData = 60

// parseDrillData reads what drillData writes, and nothing else: a known source and view, two
// days in order within maxReportDays, a known rule or "-", a manager id ≥ 0 and a page in
// 0..maxListPage, each number in its one canonical form. A new list starts at page 0 and an
// index names no rule and no page, so every reference has one form.
func parseDrillData(data string) (drillRef, bool) {
	parts := strings.Split(data, ":")
	if len(data) > maxDrillData || len(parts) != 6 || len(parts[0]) != 2 {
		return drillRef{}, false
	}
	r := drillRef{source: parts[0][0], view: parts[0][1]}
	var ok1, ok2 bool
	r.from, ok1 = parseDayCode(parts[1])
	r.to, ok2 = parseDayCode(parts[2])
	m, ok3 := canonicalInt(parts[4])
	page, ok4 := canonicalInt(parts[5])
	switch {
	case r.source != drillDigest && r.source != drillReport,
		r.view != drillOpen && r.view != drillPage && r.view != drillIndex,
		!ok1 || !ok2 || !ok3 || !ok4 || r.to.Before(r.from) || (period{r.from, r.to}).days() > maxReportDays,
		m < 0 || page < 0 || page > maxListPage:
		return drillRef{}, false
	}
	if parts[3] != drillAll {
		if !slices.Contains(checks.AllRuleIDs, checks.RuleID(parts[3])) {
			return drillRef{}, false
		}
		r.rule = checks.RuleID(parts[3])
	}
	r.manager, r.page = amo.UserID(m), int(page)
	if (r.view == drillOpen && r.page != 0) || (r.view == drillIndex && (r.rule != "" || r.page != 0)) {
		return drillRef{}, false
	}
	return r, true
}

// mayDrill says whether a person may open a reference: a head or an admin any list of the
// managers they see (a rule's list then shows only those), a manager only their own line.
// It is checked at every press: the data is user input, and rights change.
func mayDrill(p Person, r drillRef) bool {
	switch p.Role {
	case RoleAdmin, RoleHead:
		return r.manager == 0 || p.Sees(r.manager)
	case RoleManager:
		return p.AmoUserID != 0 && r.manager == p.AmoUserID
	}
	return false
}

// back is where a list's "back" button leads: the summary of the same period, of the list's
// manager when the list was one of their rules (or the presser is a manager, who sees only
// themselves), else of everyone the presser sees.
func (r drillRef) back(p Person) drillRef {
	b := drillRef{source: r.source, view: drillIndex, from: r.from, to: r.to}
	if r.rule != "" || p.Role == RoleManager {
		b.manager = r.manager
	}
	return b
}

// with returns the reference of one rule or manager (an opened list's buttons, a summary's).
func (r drillRef) with(view byte, rule checks.RuleID, manager amo.UserID, page int) drillRef {
	r.view, r.rule, r.manager, r.page = view, rule, manager, page
	return r
}
