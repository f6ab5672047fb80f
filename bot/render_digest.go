package bot

import (
	"math"
	"strings"
	"time"

	"salesguard/amo"
	"salesguard/checks"
	"salesguard/notify"
)

// planMaxItems caps the tasks listed in a plan; the rest are counted.
const planMaxItems = 40

// location returns the account's time zone from the snapshot, UTC when unknown.
func location(snap *amo.Snapshot) *time.Location {
	if snap == nil || snap.Account.TimeZone == "" {
		return time.UTC
	}
	loc, err := time.LoadLocation(snap.Account.TimeZone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// Digest renders the end-of-day summary: totals and their change, the hall of fame (best
// first), violations by rule and the deals to look at, with buttons that open the deals behind
// each rule's and each manager's count (digestButtons). Manager names are escaped.
func (r *Renderer) Digest(d checks.Digest, snap *amo.Snapshot, lang string) notify.Message {
	p := r.p(lang)
	day := d.Day.In(location(snap))
	lines := []string{"<b>" + esc(p.T("digest.header", p.Date(day), p.Weekday(day.Weekday()))) + "</b>", ""}
	if d.Total == 0 {
		lines = append(lines, esc(p.T("digest.nothing")))
	} else {
		lines = append(lines, esc(p.N("digest.total", d.Total)))
	}
	switch { // with no history yet (a new install) there is nothing to compare with
	case d.HasWeek:
		lines = append(lines, esc(p.T("digest.change", p.Delta(d.Total-d.Yesterday), weekDelta(p, d.HasWeek, float64(d.Total)-d.WeekAvg))))
	case d.HasYesterday: // the second day: a week to compare with does not exist yet
		lines = append(lines, esc(p.T("digest.change.day", p.Delta(d.Total-d.Yesterday))))
	}
	lines = append(lines, "", "<b>"+esc(p.T("digest.ranking.title"))+"</b>")
	lines = append(lines, ranking(p, d)...)
	if resp := responses(p, d); len(resp) > 0 {
		lines = append(lines, "", "<b>"+esc(p.T("digest.response.title"))+"</b>")
		lines = append(lines, resp...)
	}
	if len(d.Totals) > 0 {
		lines = append(lines, "", "<b>"+esc(p.T("digest.rules.title"))+"</b>")
		for _, rc := range d.Totals {
			lines = append(lines, bullet(esc(p.T("digest.rule", ruleName(p, rc.Rule), p.Number(rc.Count)))))
		}
	}
	lines = append(lines, unsortedLines(p, d, snap)...)
	if len(d.Deals) > 0 {
		lines = append(lines, "", "<b>"+esc(p.T("digest.deals.title"))+"</b>")
		for _, f := range d.Deals {
			lines = append(lines, bullet(p.T("digest.deal", dealLink(snap, f.DealID, f.DealName),
				esc(userName(snap, f.ManagerID)), esc(ruleName(p, f.Rule)))))
		}
	}
	return notify.Message{Kind: notify.KindDigest, Text: joinBlock(lines), Buttons: digestButtons(p, d)}
}

// digestButtons lead from the digest's counts to the deals behind them (the drill-down): one
// button per rule with violations and one per manager with violations in the ranking, for the
// digest's day. They are built without knowing who will press them: onDrill checks the
// presser's rights at each press.
func digestButtons(p Printer, d checks.Digest) [][]notify.Button {
	managers := make([]drillManager, 0, len(d.Managers))
	for _, m := range d.Managers {
		name := m.Name
		if name == "" {
			name = userName(nil, m.Manager)
		}
		managers = append(managers, drillManager{id: m.Manager, name: name, count: m.Total})
	}
	base := drillRef{source: drillDigest, view: drillOpen, from: d.Day, to: d.Day}
	return drillButtons(p, base, d.Totals, managers)
}

// unsortedLines lists the deals left unsorted at the end of the day (R12, checked then), with
// their managers, and how many more there are; nothing when none was left.
func unsortedLines(p Printer, d checks.Digest, snap *amo.Snapshot) []string {
	if d.UnsortedCount == 0 {
		return nil
	}
	lines := []string{"", "<b>" + esc(p.N("digest.unsorted.title", d.UnsortedCount)) + "</b>"}
	for _, f := range d.Unsorted {
		lines = append(lines, bullet(p.T("digest.unsorted.deal", dealLink(snap, f.DealID, f.DealName), esc(userName(snap, f.ManagerID)))))
	}
	if more := d.UnsortedCount - len(d.Unsorted); more > 0 {
		lines = append(lines, esc(p.N("digest.more", more)))
	}
	return lines
}

// weekDelta formats the change against the week's daily average, rounded to a whole number.
func weekDelta(p Printer, has bool, delta float64) string {
	if !has {
		return p.Delta(0)
	}
	return p.Delta(int(math.Round(delta)))
}

// responses lists each manager's first-response figures of the day (R1): the median in
// working time and the share of leads taken within the limit.
func responses(p Printer, d checks.Digest) []string {
	var out []string
	for _, m := range d.Managers {
		if m.Response == nil {
			continue
		}
		name := m.Name
		if name == "" {
			name = userName(nil, m.Manager)
		}
		out = append(out, bullet(esc(p.T("digest.response.line", name, p.Duration(m.Response.Median),
			p.Percent(m.Response.Share()), p.Count("leads", m.Response.Count)))))
	}
	return out
}

// ranking lists the clean managers on one line, then the others with their place, count,
// the rules broken and the change against yesterday.
func ranking(p Printer, d checks.Digest) []string {
	var clean []string
	var out []string
	for _, m := range d.Managers {
		name := m.Name
		if name == "" {
			name = userName(nil, m.Manager)
		}
		if m.Total == 0 {
			clean = append(clean, name)
			continue
		}
		var rules []string
		for _, rc := range m.ByRule {
			rules = append(rules, string(rc.Rule)+"×"+p.Number(rc.Count))
		}
		line := p.T("digest.ranking.line", m.Rank, name, p.Count("violations", m.Total)) + " (" + strings.Join(rules, ", ") + ")"
		if d.HasWeek {
			line += " " + p.Delta(m.DeltaYesterday())
		}
		out = append(out, esc(line))
	}
	if len(clean) > 0 {
		out = append([]string{esc(p.T("digest.ranking.clean", strings.Join(clean, ", ")))}, out...)
	}
	return out
}

// Plan renders a manager's morning plan for a day: the tasks in priority order with their
// deals and how long they take; overdue tasks are marked and come with a reminder.
func (r *Renderer) Plan(mp checks.ManagerPlan, snap *amo.Snapshot, day checks.Date, lang string) notify.Message {
	return r.plan(mp, snap, day, 8, lang)
}

// PlanNow renders the plan asked for with /today at now: the greeting follows the local time
// of day.
func (r *Renderer) PlanNow(mp checks.ManagerPlan, snap *amo.Snapshot, now time.Time, lang string) notify.Message {
	local := now.In(location(snap))
	return r.plan(mp, snap, checks.DateOf(local), local.Hour(), lang)
}

// planHeader greets by the local hour: morning until noon, afternoon until 18:00, evening.
func planHeader(p Printer, day checks.Date, hour int, loc *time.Location) string {
	key := "plan.header"
	switch {
	case hour >= 18:
		key = "plan.header.evening"
	case hour >= 12:
		key = "plan.header.afternoon"
	}
	t := day.In(loc)
	return "<b>" + esc(p.T(key, p.Weekday(t.Weekday()), p.Date(t))) + "</b>"
}

func (r *Renderer) plan(mp checks.ManagerPlan, snap *amo.Snapshot, day checks.Date, hour int, lang string) notify.Message {
	p := r.p(lang)
	loc := location(snap)
	lines := []string{planHeader(p, day, hour, loc)}
	if len(mp.Items) == 0 {
		lines = append(lines, esc(p.T("plan.empty")))
		return notify.Message{Kind: notify.KindPlan, Text: joinLines(lines...)}
	}
	lines = append(lines, esc(p.N("plan.summary", len(mp.Items), p.Duration(mp.Total))))
	overdue := 0
	for _, it := range mp.Items {
		if it.Overdue {
			overdue++
		}
	}
	if overdue > 0 {
		lines = append(lines, esc(p.N("plan.overdue_first", overdue)))
	}
	// Sections, in the plan's order: the overdue tasks, then one per stage (by the configured
	// priority), then the tasks on no deal.
	section := ""
	for i, it := range mp.Items {
		if i == planMaxItems {
			lines = append(lines, esc(p.N("plan.more", len(mp.Items)-i)))
			break
		}
		if h := planSection(p, it, snap); h != section {
			section = h
			lines = append(lines, "", "<b>"+esc(h)+"</b>")
		}
		lines = append(lines, planLine(p, it, snap, loc))
	}
	return notify.Message{Kind: notify.KindPlan, Text: joinBlock(lines)}
}

// planSection is the header of the section a task is listed under.
func planSection(p Printer, it checks.PlanItem, snap *amo.Snapshot) string {
	switch {
	case it.Overdue:
		return p.T("plan.section.overdue")
	case it.DealID == 0:
		return p.T("plan.section.no_deal")
	}
	return stageName(p, snap, it.Stage)
}

// planLine is one task: when (the date for an overdue one), the deal and the task's text.
func planLine(p Printer, it checks.PlanItem, snap *amo.Snapshot, loc *time.Location) string {
	when := p.Time(it.Till.In(loc))
	mark := "•"
	if it.Overdue {
		when = p.Date(it.Till.In(loc))
		mark = "❗"
	}
	deal := esc(p.T("bot.plan.no_deal"))
	if it.DealID != 0 {
		deal = dealLink(snap, it.DealID, it.DealName)
	}
	return mark + " " + p.T("plan.item", esc(when), deal, esc(it.Text))
}

// joinBlock joins lines, keeping empty ones as paragraph breaks.
func joinBlock(lines []string) string { return strings.TrimSpace(strings.Join(lines, "\n")) }
