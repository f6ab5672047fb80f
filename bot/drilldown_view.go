package bot

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	tele "gopkg.in/telebot.v3"

	"salesguard/amo"
	"salesguard/checks"
	"salesguard/notify"
	"salesguard/report"
)

const (
	// drillPageLines is how many violations a page of a list shows at most.
	drillPageLines = 10
	// drillPageLimit bounds a page's text in bytes, under Telegram's 4096 characters: a page
	// takes fewer lines when they are long (names are cut, so one line always fits).
	drillPageLimit = 3600
	// Cuts of the CRM texts in a list line, in characters.
	drillDealWidth    = 64
	drillManagerWidth = 32
	drillNoteWidth    = 120
)

// onDrill answers a drill-down button: a list of violations, a page of it or the summary of a
// period. The data is user input and the presser's rights are checked again here: a manager
// opens only their own line, a head only the managers they see, and every list is rebuilt
// for the presser. Deals are never shown in a group: a press there answers in the presser's
// private chat. Opening a list sends a new message (the digest or the report stays); paging
// and "back" edit the list in place.
func (b *Bot) onDrill(c tele.Context, p Person) error {
	ref, ok := parseDrillData(c.Data())
	if !ok {
		return c.Respond()
	}
	if !mayDrill(p, ref) {
		return b.respond(c, p, "bot.drill.forbidden")
	}
	pr := b.printer(p, c)
	text, rows, err := b.drillView(pr, p, ref)
	if err != nil {
		return err
	}
	if ref.view == drillOpen || !isPrivate(c) {
		notice := ""
		if !isPrivate(c) {
			notice = "bot.drill.sent_private"
		}
		if err := b.respond(c, p, notice); err != nil {
			return err
		}
		if _, err := c.Bot().Send(tele.ChatID(p.TelegramID), text, sendOptions(c, rows)); err != nil {
			return fmt.Errorf("send drill-down: %w", err)
		}
		return nil
	}
	if err := c.Respond(); err != nil {
		return err
	}
	err = c.Edit(text, options(false, rows))
	if err != nil && strings.Contains(err.Error(), "message is not modified") {
		return nil
	}
	return err
}

// drillView renders what a reference shows to p.
func (b *Bot) drillView(pr Printer, p Person, ref drillRef) (string, [][]notify.Button, error) {
	q := tallyQuery{verdicts: ref.source == drillReport, items: ref.view != drillIndex, rule: ref.rule, manager: ref.manager}
	t, err := b.tallyOf(p, period{ref.from, ref.to}, q)
	if err != nil {
		return "", nil, fmt.Errorf("drill-down %s: %w", drillData(ref), err)
	}
	snap := b.src.Snapshot(p.Account)
	if ref.view == drillIndex {
		text, buttons := drillSummary(pr, snap, ref, t.rows)
		return text, buttons, nil
	}
	text, buttons := drillList(pr, snap, p, ref, t)
	return text, buttons, nil
}

// drillSummary renders the summary of a period: its total and a button per rule and per
// manager, leading to their lists.
func drillSummary(pr Printer, snap *amo.Snapshot, ref drillRef, rows []checks.TableRow) (string, [][]notify.Button) {
	total := 0
	for _, r := range rows {
		total += r.Count
	}
	sub := []string{pr.Count("violations", total)}
	if ref.manager != 0 {
		sub = append([]string{cut(userName(snap, ref.manager), drillManagerWidth)}, sub...)
	}
	lines := []string{"<b>" + esc(pr.T("bot.drill.index.title", drillPeriod(pr, ref))) + "</b>", esc(strings.Join(sub, " · ")), ""}
	if total == 0 {
		return joinBlock(append(lines, esc(pr.T("bot.drill.empty")))), nil
	}
	rules, managers := rowCounts(rows, snap)
	return joinBlock(append(lines, esc(pr.T("bot.drill.index.hint")))),
		drillButtons(pr, ref.with(drillPage, "", ref.manager, 0), rules, managers)
}

// drillPeriod writes a reference's period: one day, or the first and the last.
func drillPeriod(pr Printer, ref drillRef) string {
	if ref.from == ref.to {
		return pr.Date(ref.from.In(time.UTC))
	}
	return pr.T("bot.drill.period", pr.Date(ref.from.In(time.UTC)), pr.Date(ref.to.In(time.UTC)))
}

// drillEntry is one line of a list, with the rule it is listed under.
type drillEntry struct {
	rule checks.RuleID
	line string
}

// drillList renders one page of a list: the rule or the manager, the period and the count
// (with a warning when the violations listed are fewer or more than counted), then the
// violations by rule, day, manager and deal, each with the deal's link, the manager unless
// the list is theirs, and what was measured against the limit.
func drillList(pr Printer, snap *amo.Snapshot, p Person, ref drillRef, t tally) (string, [][]notify.Button) {
	count := 0
	for _, r := range t.rows {
		count += r.Count
	}
	head := drillHeader(pr, snap, ref, count, len(t.items))
	back := []notify.Button{{Text: pr.T("bot.drill.back"), Unique: uniqDrill, Data: drillData(ref.back(p))}}
	if len(t.items) == 0 {
		return head + "\n\n" + esc(pr.T("bot.drill.empty")), [][]notify.Button{back}
	}
	entries := drillEntries(pr, snap, ref, t.items)
	pages := drillPages(pr, entries, ref.rule == "", drillPageLimit-len(head)-64)
	page := min(ref.page, len(pages)-1)
	text := head + "\n" + pages[page]
	if len(pages) == 1 {
		return text, [][]notify.Button{back}
	}
	text += "\n\n" + esc(pr.T("bot.list.page", page+1, len(pages)))
	var nav []notify.Button
	if page > 0 {
		nav = append(nav, notify.Button{Text: "« " + pr.T("bot.button.prev"), Unique: uniqDrill, Data: drillData(ref.with(drillPage, ref.rule, ref.manager, page-1))})
	}
	if page < len(pages)-1 {
		nav = append(nav, notify.Button{Text: pr.T("bot.button.next") + " »", Unique: uniqDrill, Data: drillData(ref.with(drillPage, ref.rule, ref.manager, page+1))})
	}
	return text, [][]notify.Button{nav, back}
}

// drillHeader is a list's title, its period and count, and the warning when the list and the
// count differ.
func drillHeader(pr Printer, snap *amo.Snapshot, ref drillRef, count, listed int) string {
	var title string
	var sub []string
	switch {
	case ref.rule != "":
		title = string(ref.rule) + " · " + ruleName(pr, ref.rule)
		if ref.manager != 0 {
			sub = append(sub, cut(userName(snap, ref.manager), drillManagerWidth))
		}
	case ref.manager != 0:
		title = "👤 " + cut(userName(snap, ref.manager), drillManagerWidth)
	default:
		title = pr.T("bot.drill.index.title", drillPeriod(pr, ref))
	}
	if ref.rule != "" || ref.manager != 0 {
		sub = append(sub, drillPeriod(pr, ref))
	}
	sub = append(sub, pr.Count("violations", count))
	lines := []string{"<b>" + esc(title) + "</b>", esc(strings.Join(sub, " · "))}
	if listed != count {
		lines = append(lines, esc(pr.T("bot.drill.mismatch", pr.Number(count), pr.Number(listed))))
	}
	return strings.Join(lines, "\n")
}

// drillEntries sorts the violations (rule order, day, manager name, deal) and renders a line
// for each.
func drillEntries(pr Printer, snap *amo.Snapshot, ref drillRef, items []drillItem) []drillEntry {
	items = slices.Clone(items)
	names := map[amo.UserID]string{}
	for _, it := range items {
		if _, ok := names[it.f.ManagerID]; !ok {
			names[it.f.ManagerID] = userName(snap, it.f.ManagerID)
		}
	}
	slices.SortStableFunc(items, func(a, b drillItem) int {
		return cmp.Or(cmp.Compare(slices.Index(checks.AllRuleIDs, a.f.Rule), slices.Index(checks.AllRuleIDs, b.f.Rule)),
			a.day.Compare(b.day), strings.Compare(strings.ToLower(names[a.f.ManagerID]), strings.ToLower(names[b.f.ManagerID])),
			cmp.Compare(a.f.ManagerID, b.f.ManagerID), cmp.Compare(a.f.DealID, b.f.DealID), strings.Compare(a.f.Subject(), b.f.Subject()))
	})
	layout := pr.T("report.layout.day_short")
	out := make([]drillEntry, 0, len(items))
	for _, it := range items {
		var parts []string
		if ref.from != ref.to {
			parts = append(parts, esc(it.day.In(time.UTC).Format(layout)))
		}
		deal := dealLink(snap, it.f.DealID, cut(it.f.DealName, drillDealWidth))
		if it.f.DealID == 0 && strings.TrimSpace(it.f.TaskText) != "" {
			deal = esc(cut(strings.TrimSpace(it.f.TaskText), drillDealWidth))
		}
		parts = append(parts, deal)
		if ref.manager == 0 {
			parts = append(parts, esc(cut(names[it.f.ManagerID], drillManagerWidth)))
		}
		line := strings.Join(parts, " · ")
		detail := report.Detail(it.f, pr)
		if note := strings.TrimSpace(it.note); note != "" {
			detail = strings.TrimSpace(detail + " — " + cut(note, drillNoteWidth))
		}
		if detail != "" {
			line += " — " + esc(detail)
		}
		out = append(out, drillEntry{rule: it.f.Rule, line: bullet(line)})
	}
	return out
}

// drillPages splits entries into pages of at most drillPageLines entries and budget bytes,
// each page starting with a blank line; grouped, each rule's entries on a page come under the
// rule's name. A page holds at least one entry.
func drillPages(pr Printer, entries []drillEntry, grouped bool, budget int) []string {
	render := func(es []drillEntry) string {
		var lines []string
		for i, e := range es {
			switch {
			case grouped && (i == 0 || e.rule != es[i-1].rule):
				lines = append(lines, "", "<b>"+esc(string(e.rule)+" · "+ruleName(pr, e.rule))+"</b>")
			case i == 0:
				lines = append(lines, "")
			}
			lines = append(lines, e.line)
		}
		return strings.Join(lines, "\n")
	}
	var pages []string
	start := 0
	for i := range entries {
		if n := i - start; n > 0 && (n == drillPageLines || len(render(entries[start:i+1])) > budget) {
			pages = append(pages, render(entries[start:i]))
			start = i
		}
	}
	return append(pages, render(entries[start:]))
}
