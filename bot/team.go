package bot

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"

	"salesguard/amo"
)

// The team list (/team, /managers) is paged: a page holds at most teamPageSize entries and
// teamMessageLimit characters of them, so a message stays under Telegram's 4096 with the title
// and the footer. Names are cut to nameShown runes (escaping may grow a name up to fivefold)
// and an entry shows at most linksShown people and invites, so no single entry outgrows a page.
const (
	teamPageSize     = 10
	teamMessageLimit = 3300
	nameShown        = 48
	linksShown       = 5
	buttonNameShown  = 24
)

// member is an amoCRM user with the Telegram people tied to it and the invites pending for it.
type member struct {
	user    amo.User
	people  []Person
	invites []Invite
}

// teamOf ties the account's amoCRM users (those the viewer sees) to its people and pending
// invites. rest is the people tied to no amoCRM user of the snapshot (admins, heads, people
// mapped to a user that is gone).
func teamOf(snap *amo.Snapshot, people []Person, invites []Invite, viewer Person) (members []member, rest []Person) {
	known := map[amo.UserID]bool{}
	idx := map[amo.UserID]int{}
	if snap != nil {
		for _, u := range snap.Users {
			if known[u.ID] {
				continue
			}
			known[u.ID] = true
			if viewer.Sees(u.ID) {
				idx[u.ID] = len(members)
				members = append(members, member{user: u})
			}
		}
	}
	for _, q := range people {
		switch i, ok := idx[q.AmoUserID]; {
		case q.Account != viewer.Account:
		case q.AmoUserID != 0 && ok:
			members[i].people = append(members[i].people, q)
		case q.AmoUserID == 0 || !known[q.AmoUserID]:
			rest = append(rest, q)
		}
	}
	for _, inv := range invites {
		if i, ok := idx[inv.AmoUserID]; ok && inv.AmoUserID != 0 && inv.Account == viewer.Account {
			members[i].invites = append(members[i].invites, inv)
		}
	}
	slices.SortStableFunc(members, byActiveName)
	for i := range members {
		slices.SortFunc(members[i].people, func(a, b Person) int { return cmp.Compare(a.TelegramID, b.TelegramID) })
		slices.SortFunc(members[i].invites, func(a, b Invite) int { return a.ExpiresAt.Compare(b.ExpiresAt) })
	}
	slices.SortFunc(rest, func(a, b Person) int { return cmp.Compare(a.TelegramID, b.TelegramID) })
	return members, rest
}

// byActiveName orders the active users first, then by name and id.
func byActiveName(a, b member) int {
	if a.user.IsActive != b.user.IsActive {
		if a.user.IsActive {
			return -1
		}
		return 1
	}
	return cmp.Or(strings.Compare(strings.ToLower(a.user.Name), strings.ToLower(b.user.Name)), cmp.Compare(a.user.ID, b.user.ID))
}

// block is one entry of the team list (HTML), with the amoCRM user its "invite" button is
// for, if it offers one.
type block struct {
	text   string
	invite amo.UserID
	name   string // the user's name, for the button
}

// memberBlock renders an amoCRM user: name, id, amoCRM admin and inactive flags, then who they
// are in Telegram (name, SalesGuard role, Telegram id), the invites pending for them, or that
// nobody is. An active user nobody is gets an invite button.
func memberBlock(pr Printer, m member, loc *time.Location) block {
	id := strconv.FormatInt(int64(m.user.ID), 10)
	name := cmp.Or(strings.TrimSpace(m.user.Name), "#"+id)
	head := "<b>" + esc(cut(name, nameShown)) + "</b> · " + esc(pr.T("team.user.id", id))
	if m.user.IsAdmin {
		head += " · " + esc(pr.T("team.user.amo_admin"))
	}
	if !m.user.IsActive {
		head += " · " + esc(pr.T("team.user.inactive"))
	}
	lines := []string{bullet(head)}
	for i, q := range m.people {
		if i == linksShown {
			lines = append(lines, sub(esc(pr.N("bot.list.more", len(m.people)-i))))
			break
		}
		lines = append(lines, sub(esc(pr.T("team.linked", cut(cmp.Or(strings.TrimSpace(q.Name), "—"), nameShown),
			pr.T("bot.role."+string(q.Role)), strconv.FormatInt(q.TelegramID, 10)))))
	}
	for i, inv := range m.invites {
		if i == linksShown {
			lines = append(lines, sub(esc(pr.N("bot.list.more", len(m.invites)-i))))
			break
		}
		lines = append(lines, sub(esc(pr.T("team.pending", pr.T("bot.role."+string(inv.Role)), pr.DateTime(inv.ExpiresAt.In(loc))))))
	}
	bl := block{}
	if len(m.people) == 0 && len(m.invites) == 0 {
		lines = append(lines, sub(esc(pr.T("team.unlinked"))))
		if m.user.IsActive {
			bl.invite, bl.name = m.user.ID, name
		}
	}
	bl.text = strings.Join(lines, "\n")
	return bl
}

// sub indents a detail line under a list entry.
func sub(s string) string { return "   ↳ " + s }

// paginate cuts blocks into pages of at most size blocks and limit UTF-16 units (a block longer
// than limit gets a page of its own). There is always at least one page.
func paginate(blocks []block, size, limit int) [][]block {
	var pages [][]block
	var cur []block
	n := 0
	for _, bl := range blocks {
		l := utf16Len(bl.text) + 1
		if len(cur) > 0 && (len(cur) == size || n+l > limit) {
			pages, cur, n = append(pages, cur), nil, 0
		}
		cur, n = append(cur, bl), n+l
	}
	return append(pages, cur)
}
