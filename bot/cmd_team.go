package bot

import (
	"fmt"
	"strconv"
	"strings"

	tele "gopkg.in/telebot.v3"

	"salesguard/amo"
	"salesguard/checks"
	"salesguard/notify"
)

// onTeam lists the amoCRM users and who each is in SalesGuard (issue 11). An admin gets an
// "invite" button next to each user nobody is yet.
func (b *Bot) onTeam(c tele.Context, p Person) error { return b.sendTeam(c, p, viewTeam) }

// onManagers shows the admin the same list, then the people tied to no amoCRM user, then who
// is away.
func (b *Bot) onManagers(c tele.Context, p Person) error { return b.sendTeam(c, p, viewManagers) }

func (b *Bot) sendTeam(c tele.Context, p Person, view string) error {
	pr := b.printer(p, c)
	text, rows, err := b.teamPage(pr, p, view, 0)
	if err != nil {
		return err
	}
	return reply(c, b.headed(c, p, pr, text), rows)
}

// mayViewTeam says who may see a view: /team the staff, /managers the admins.
func mayViewTeam(p Person, view string) bool {
	if view == viewManagers {
		return p.Role == RoleAdmin
	}
	return p.Role == RoleAdmin || p.Role == RoleHead
}

// onTeamButton turns a page of the team list, or creates a manager invite for an amoCRM user
// (admins only) and redraws the page. The data is user input: it is parsed strictly and the
// presser's rights are checked again, so a forged press does nothing the presser may not do.
func (b *Bot) onTeamButton(c tele.Context, p Person) error {
	a, ok := parseTeamData(c.Data())
	if !ok || !isPrivate(c) || !mayViewTeam(p, a.view) || (a.invite != 0 && p.Role != RoleAdmin) {
		return c.Respond()
	}
	if a.invite != 0 {
		if !b.inSnapshot(p.Account, a.invite) {
			return b.respond(c, p, "team.invite.gone")
		}
		if err := b.respond(c, p, "team.invite.done"); err != nil {
			return err
		}
		if err := b.createInvite(c, p, RoleManager, a.invite); err != nil {
			return err
		}
	} else if err := c.Respond(); err != nil {
		return err
	}
	text, rows, err := b.teamPage(b.printer(p, c), p, a.view, a.page)
	if err != nil {
		return err
	}
	return redraw(c, text, rows)
}

// inSnapshot reports whether an amoCRM user exists in the account's last snapshot.
func (b *Bot) inSnapshot(account string, id amo.UserID) bool {
	snap := b.src.Snapshot(account)
	if snap == nil {
		return false
	}
	for _, u := range snap.Users {
		if u.ID == id {
			return true
		}
	}
	return false
}

// teamPage renders one page (clamped) of a view of the team list for a viewer.
func (b *Bot) teamPage(pr Printer, p Person, view string, page int) (string, [][]notify.Button, error) {
	title, blocks, err := b.teamBlocks(pr, p, view)
	if err != nil {
		return "", nil, err
	}
	pages := paginate(blocks, teamPageSize, teamMessageLimit)
	page = min(max(page, 0), len(pages)-1)
	lines := []string{title}
	var rows [][]notify.Button
	for _, bl := range pages[page] {
		lines = append(lines, bl.text)
		if bl.invite != 0 && p.Role == RoleAdmin {
			rows = append(rows, []notify.Button{{Text: pr.T("team.button.invite", cut(bl.name, buttonNameShown)),
				Unique: uniqTeam, Data: teamData(teamAction{view: view, page: page, invite: bl.invite})}})
		}
	}
	if len(rows) > 0 {
		lines = append(lines, "", esc(pr.T("team.hint")))
	}
	if len(pages) > 1 {
		lines = append(lines, "", esc(pr.T("bot.list.page", page+1, len(pages))))
		rows = append(rows, teamNav(pr, view, page, len(pages)))
	}
	return joinBlock(lines), rows, nil
}

// teamBlocks builds the title and every entry of a view: the amoCRM users, then for
// /managers the people tied to none and who is away.
func (b *Bot) teamBlocks(pr Printer, p Person, view string) (string, []block, error) {
	people, err := b.store.People(p.Account)
	if err != nil {
		return "", nil, fmt.Errorf("list people: %w", err)
	}
	invites, err := b.store.In(p.Account).Invites()
	if err != nil {
		return "", nil, fmt.Errorf("list invites: %w", err)
	}
	snap := b.src.Snapshot(p.Account)
	members, rest := teamOf(snap, people, invites, p)
	linked := 0
	var blocks []block
	for _, m := range members {
		if len(m.people) > 0 {
			linked++
		}
		blocks = append(blocks, memberBlock(pr, m, location(snap)))
	}
	title := "<b>" + esc(pr.T("team.title")) + "</b>"
	switch {
	case snap == nil:
		blocks = []block{{text: esc(pr.T("team.not_loaded"))}}
	case len(members) == 0:
		blocks = []block{{text: esc(pr.T("team.no_users"))}}
	default:
		title += " · " + esc(pr.T("team.linked_count", linked, len(members)))
	}
	if view == viewManagers {
		blocks = append(append(blocks, restBlocks(pr, rest, snap)...), b.awayBlocks(pr, p, snap)...)
	}
	return title, blocks, nil
}

// teamNav is the row of "previous" and "next" buttons of a team list page.
func teamNav(pr Printer, view string, page, pages int) []notify.Button {
	var row []notify.Button
	if page > 0 {
		row = append(row, notify.Button{Text: "« " + pr.T("bot.button.prev"), Unique: uniqTeam, Data: teamData(teamAction{view: view, page: page - 1})})
	}
	if page < pages-1 {
		row = append(row, notify.Button{Text: pr.T("bot.button.next") + " »", Unique: uniqTeam, Data: teamData(teamAction{view: view, page: page + 1})})
	}
	return row
}

// restBlocks lists the people tied to no amoCRM user of the snapshot, under their own title.
func restBlocks(pr Printer, rest []Person, snap *amo.Snapshot) []block {
	if len(rest) == 0 {
		return nil
	}
	out := []block{{text: "\n<b>" + esc(pr.T("team.others")) + "</b>"}}
	for _, q := range rest {
		amoName := pr.T("bot.managers.unmapped")
		if q.AmoUserID != 0 {
			amoName = cut(userName(snap, q.AmoUserID), nameShown)
		}
		out = append(out, block{text: bullet(esc(pr.T("bot.managers.line", cut(q.Name, nameShown), pr.T("bot.role."+string(q.Role)),
			amoName, strconv.FormatInt(q.TelegramID, 10))))})
	}
	return out
}

// awayBlocks lists the current and coming absences of the managers the viewer sees.
func (b *Bot) awayBlocks(pr Printer, p Person, snap *amo.Snapshot) []block {
	out := []block{{text: "\n<b>" + esc(pr.T("bot.managers.away")) + "</b>"}}
	loc := location(snap)
	today := checks.DateOf(b.clock.Now().In(loc))
	for _, a := range b.src.Settings(p.Account).Calendar.Absences {
		if a.To.Before(today) || !p.Sees(a.Manager) {
			continue
		}
		out = append(out, block{text: bullet(esc(pr.T("bot.managers.absence", cut(userName(snap, a.Manager), nameShown),
			pr.Date(a.From.In(loc)), pr.Date(a.To.In(loc)))))})
	}
	if len(out) == 1 {
		out = append(out, block{text: esc(pr.T("bot.managers.nobody_away"))})
	}
	return out
}

// redraw replaces the pressed message's text and buttons ("not modified" is no error).
func redraw(c tele.Context, text string, rows [][]notify.Button) error {
	if c.Message() == nil {
		return reply(c, text, rows)
	}
	err := c.Edit(text, options(false, rows))
	if err != nil && strings.Contains(err.Error(), "message is not modified") {
		return nil
	}
	return err
}
