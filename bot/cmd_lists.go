package bot

import (
	"cmp"
	"slices"
	"strings"
	"time"

	tele "gopkg.in/telebot.v3"

	"salesguard/amo"
	"salesguard/checks"
	"salesguard/notify"
)

// pageSize is how many deals a list page shows.
const pageSize = 10

// listCommands are the commands that list deals, in menu order.
var listCommands = []string{"overdue", "notask", "unanswered", "stale", "lost", "calls"}

func isListCommand(cmd string) bool { return slices.Contains(listCommands, cmd) }

// listKeeps says which findings a list command shows.
func listKeeps(cmd string, f checks.Finding) bool {
	switch cmd {
	case "overdue":
		return f.Rule == checks.R3
	case "notask":
		return f.Rule == checks.R2
	case "unanswered": // R1: leads not taken yet (taken-late info is history, not a to-do)
		return f.Rule == checks.R1 && f.Kind != checks.KindTakenLate
	case "stale":
		return f.Rule == checks.R4
	case "lost": // R5 and R6's unjustified closures
		return f.Rule == checks.R5 || (f.Rule == checks.R6 && f.Kind == checks.KindUnjustifiedClosure)
	case "calls": // R6 attempts on open deals, R7 touches
		return (f.Rule == checks.R6 && f.Kind != checks.KindUnjustifiedClosure) || f.Rule == checks.R7
	}
	return false
}

// entry is one line of a list, with the manager it belongs to (for grouping).
type entry struct {
	manager amo.UserID
	line    string
}

// listHandler serves a list command's first page.
func (b *Bot) listHandler(cmd string) handler {
	return func(c tele.Context, p Person) error {
		text, rows := b.listPage(c, p, cmd, 0)
		return reply(c, b.headed(c, p, b.printer(p, c), text), rows)
	}
}

// onPage turns a list's page. The data is validated and the list rebuilt for the presser,
// so a forged page shows only what the presser may see anyway.
func (b *Bot) onPage(c tele.Context, p Person) error {
	cmd, page, ok := parsePage(c.Data())
	if !ok || !isPrivate(c) {
		return c.Respond()
	}
	text, rows := b.listPage(c, p, cmd, page)
	text = b.headed(c, p, b.printer(p, c), text)
	if err := c.Respond(); err != nil {
		return err
	}
	err := c.Edit(text, options(false, rows))
	if err != nil && (strings.Contains(err.Error(), "message is not modified")) {
		return nil
	}
	return err
}

// listPage renders one page of a list for a person: their own deals for a manager, the
// team's grouped by manager for a head or an admin.
func (b *Bot) listPage(c tele.Context, p Person, cmd string, page int) (string, [][]notify.Button) {
	pr := b.printer(p, c)
	snap := b.src.Snapshot(p.Account)
	entries := b.listEntries(pr, p, cmd, snap)
	title := "<b>" + esc(pr.T("bot.list."+cmd)) + "</b>"
	if len(entries) == 0 {
		return title + "\n" + esc(pr.T("bot.list.empty")), nil
	}
	pages := (len(entries) + pageSize - 1) / pageSize
	page = min(max(page, 0), pages-1)
	lines := []string{title + " · " + esc(pr.Count("deals", len(entries)))}
	grouped := p.Role != RoleManager
	var last amo.UserID = -1
	for _, e := range entries[page*pageSize : min((page+1)*pageSize, len(entries))] {
		if grouped && e.manager != last {
			lines = append(lines, "", "<b>"+esc(userName(snap, e.manager))+"</b>")
			last = e.manager
		}
		lines = append(lines, bullet(e.line))
	}
	if pages == 1 {
		return joinBlock(lines), nil
	}
	lines = append(lines, "", esc(pr.T("bot.list.page", page+1, pages)))
	var row []notify.Button
	if page > 0 {
		row = append(row, notify.Button{Text: "« " + pr.T("bot.button.prev"), Unique: uniqPage, Data: pageData(cmd, page-1)})
	}
	if page < pages-1 {
		row = append(row, notify.Button{Text: pr.T("bot.button.next") + " »", Unique: uniqPage, Data: pageData(cmd, page+1)})
	}
	return joinBlock(lines), [][]notify.Button{row}
}

// listEntries collects the visible findings of a list (an escalation or an info only when its
// warning is absent, so each problem shows once), plus, for a head or an admin, the review
// sample for /calls.
func (b *Bot) listEntries(pr Printer, p Person, cmd string, snap *amo.Snapshot) []entry {
	now := b.clock.Now()
	if snap != nil && !snap.TakenAt.IsZero() {
		now = snap.TakenAt
	}
	fs := b.src.Findings(p.Account)
	warned := map[checks.Key]bool{}
	for _, f := range fs {
		if f.Level == checks.LevelWarning {
			warned[problemKey(f)] = true
		}
	}
	var out []entry
	pending := b.src.Pending(p.Account)
	if cmd == "unanswered" && pending != nil {
		for _, pl := range pending {
			if !p.Sees(pl.Manager) {
				continue
			}
			link := dealLink(snap, pl.DealID, pl.Name)
			line := pr.T("bot.unanswered.left", link, esc(pr.Duration(pl.Left)))
			if pl.Left < 0 {
				line = pr.T("bot.unanswered.late", link, esc(pr.Duration(-pl.Left)))
			}
			out = append(out, entry{pl.Manager, line})
		}
		fs = nil // the pending list already holds R1's late leads
	}
	for _, f := range fs {
		if !listKeeps(cmd, f) || !p.Sees(f.ManagerID) || f.Level == checks.LevelDataHealth ||
			(f.Level != checks.LevelWarning && warned[problemKey(f)]) { // one line per problem
			continue
		}
		out = append(out, entry{f.ManagerID, sentence(pr, f, snap, now)})
	}
	if cmd == "calls" && p.Role != RoleManager { // a manager must not know which calls are reviewed
		out = append(out, b.reviewEntries(pr, p, snap)...)
	}
	names := func(id amo.UserID) string { return strings.ToLower(userName(snap, id)) }
	slices.SortStableFunc(out, func(a, b entry) int {
		return cmp.Or(strings.Compare(names(a.manager), names(b.manager)), cmp.Compare(a.manager, b.manager))
	})
	return out
}

// problemKey is a finding's key without its level.
func problemKey(f checks.Finding) checks.Key {
	f.Level = ""
	return f.Key()
}

// reviewEntries renders the week's calls to review (R7) with their recording links.
func (b *Bot) reviewEntries(pr Printer, p Person, snap *amo.Snapshot) []entry {
	var out []entry
	sample := b.src.ReviewSample(p.Account)
	for m, calls := range sample {
		if !p.Sees(m) {
			continue
		}
		for _, rc := range calls {
			if !safeURL(rc.Link) {
				continue
			}
			f := checks.Finding{Rule: checks.R7, Kind: "call_sample", DealID: rc.DealID, ManagerID: m,
				Value: rc.Duration.Seconds(), Unit: checks.UnitSeconds, Link: rc.Link}
			line := pr.T("alert.R7.call_sample", dealLink(snap, rc.DealID, b.src.DealName(p.Account, rc.DealID)), esc(userName(snap, m)),
				esc(pr.Duration(rc.Duration.Round(time.Second))), "", extra(pr, f, snap))
			out = append(out, entry{m, line})
		}
	}
	slices.SortStableFunc(out, func(a, b entry) int { return cmp.Compare(a.manager, b.manager) })
	return out
}
