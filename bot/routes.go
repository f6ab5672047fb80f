package bot

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	tele "gopkg.in/telebot.v3"

	"salesguard/notify"
)

// ctxPerson is the context key of the sender's Person, set by identify.
const ctxPerson = "person"

// handler is a command or button handler for a known person.
type handler func(c tele.Context, p Person) error

// Role sets used by the routes.
var (
	everyone = []Role{RoleAdmin, RoleHead, RoleManager}
	staff    = []Role{RoleAdmin, RoleHead}
	admins   = []Role{RoleAdmin}
)

// command is one slash command: who may use it and whether it only works in a private chat
// (anything naming deals or people is corrective detail, never shown in a group).
type command struct {
	name    string
	roles   []Role
	private bool
	h       handler
}

// commands lists every command in menu order.
func (b *Bot) commands() []command {
	cmds := []command{
		{"start", everyone, false, b.onStart},
		{"help", everyone, false, b.onHelp},
		{"lang", everyone, true, b.onLang},
		{"account", everyone, true, b.onAccount},
		{"today", everyone, true, b.onToday},
	}
	for _, name := range listCommands {
		cmds = append(cmds, command{name, everyone, true, b.listHandler(name)})
	}
	return append(cmds,
		command{"digest", staff, true, b.onDigest},
		command{"report", everyone, true, b.onReport},
		command{"audit", staff, true, b.onAudit},
		command{"funnel", staff, true, b.onFunnel},
		command{"settings", admins, true, b.onSettings},
		command{"team", staff, true, b.onTeam},
		command{"managers", admins, true, b.onManagers},
		command{"teamchat", admins, false, b.onTeamChat},
		command{"invite", admins, true, b.onInvite},
		command{"map", admins, true, b.onMap},
		command{"amocode", admins, false, b.onAmocode},
	)
}

// routes registers the group events that need no known sender first (the bot removed from a
// group, a group migrated to a supergroup: whoever did it may be unknown to the bot), then the
// middleware (telebot copies it into each handler registered after it, at Handle time), then
// the commands and the buttons.
func (b *Bot) routes() {
	b.tb.Handle(tele.OnUserLeft, b.onUserLeft)
	b.tb.Handle(tele.OnMigration, b.onMigration)
	b.tb.Handle(tele.OnMyChatMember, b.onMyChatMember)
	b.tb.Use(b.identify)
	for _, cmd := range b.commands() {
		b.tb.Handle("/"+cmd.name, b.guard(cmd.roles, cmd.private, cmd.h))
	}
	b.tb.Handle(&tele.InlineButton{Unique: uniqSnooze}, b.button(b.onSnooze))
	b.tb.Handle(&tele.InlineButton{Unique: uniqAck}, b.button(b.onAck))
	b.tb.Handle(&tele.InlineButton{Unique: uniqPage}, b.button(b.onPage))
	b.tb.Handle(&tele.InlineButton{Unique: uniqLang}, b.button(b.onLangButton))
	b.tb.Handle(&tele.InlineButton{Unique: uniqReport}, b.button(b.onReportFile))
	b.tb.Handle(&tele.InlineButton{Unique: uniqVerdict}, b.button(b.onVerdict))
	b.tb.Handle(&tele.InlineButton{Unique: uniqCallVerdict}, b.button(b.onCallVerdict))
	b.tb.Handle(&tele.InlineButton{Unique: uniqDrill}, b.button(b.onDrill))
	b.tb.Handle(&tele.InlineButton{Unique: uniqSettings}, b.button(b.onSettingsButton))
	b.tb.Handle(&tele.InlineButton{Unique: uniqTeam}, b.button(b.onTeamButton))
	b.tb.Handle(&tele.InlineButton{Unique: uniqGroup}, b.button(b.onGroupButton))
	b.tb.Handle(&tele.InlineButton{Unique: uniqAccount}, b.button(b.onAccountButton))
	b.tb.Handle(tele.OnAddedToGroup, b.onAddedToGroup)
	b.tb.Handle(tele.OnDocument, b.guard(everyone, false, b.onDocument))
	b.tb.Handle(tele.OnCallback, func(c tele.Context) error { return c.Respond() }) // forged or stale
	b.tb.Handle(tele.OnText, b.guard(everyone, false, b.onText))
}

// identify resolves the sender: their memberships of the served accounts and the current
// one (see accounts.go). Bootstrap admins are created on first contact; a stranger gets one
// polite "not authorised" (remembered, so never twice) and nothing else, except that /start
// with an invite code goes through to redeem it, as it does for a known person joining one
// more account.
func (b *Bot) identify(next tele.HandlerFunc) tele.HandlerFunc {
	return func(c tele.Context) error {
		s := c.Sender()
		if s == nil || s.IsBot {
			return nil
		}
		p, ms, ok, err := b.person(s)
		if err != nil {
			return err
		}
		invite := c.Callback() == nil && isPrivate(c) && c.Message() != nil && c.Message().Payload != "" &&
			commandOf(c.Message()) == "start"
		if !ok {
			if invite {
				return b.redeem(c, c.Message().Payload, nil)
			}
			return b.stranger(c)
		}
		if ms, err = b.reachable(ms); err != nil {
			return err
		}
		if i := slices.IndexFunc(ms, func(m Person) bool { return m.Account == p.Account }); i >= 0 {
			p = ms[i]
		}
		c.Set(ctxPerson, p)
		c.Set(ctxMembers, ms)
		if invite && isInviteCode(c.Message().Payload) {
			return b.redeem(c, c.Message().Payload, ms)
		}
		return next(c)
	}
}

// reachable clears the Unreachable mark of each of a person's memberships: they write to the
// bot again, so deliveries resume, in every account.
func (b *Bot) reachable(ms []Person) ([]Person, error) {
	for i := range ms {
		if !ms[i].Unreachable {
			continue
		}
		ms[i].Unreachable = false
		if err := b.store.PutPerson(ms[i]); err != nil {
			return nil, fmt.Errorf("mark %d reachable in account %s: %w", ms[i].TelegramID, ms[i].Account, err)
		}
	}
	return ms, nil
}

// stranger answers an unknown sender once.
func (b *Bot) stranger(c tele.Context) error {
	if c.Callback() != nil {
		return c.Respond()
	}
	if !isPrivate(c) {
		return nil
	}
	first, err := b.store.MarkStranger(c.Sender().ID)
	if err != nil {
		return fmt.Errorf("remember stranger %d: %w", c.Sender().ID, err)
	}
	if !first {
		return nil
	}
	p := b.cat.Printer(normLang(c.Sender().LanguageCode))
	return c.Send(esc(p.T("bot.error.stranger")), options(false, nil))
}

// guard re-checks the role (and the chat type) before a command runs.
func (b *Bot) guard(roles []Role, private bool, h handler) tele.HandlerFunc {
	return func(c tele.Context) error {
		p, ok := c.Get(ctxPerson).(Person)
		if !ok {
			return nil
		}
		if !slices.Contains(roles, p.Role) {
			return b.say(c, p, "bot.error.forbidden")
		}
		if private && !isPrivate(c) {
			return b.say(c, p, "bot.error.private")
		}
		return h(scoped(c, p), p)
	}
}

// button runs a callback handler for a known person, as their membership of the account the
// button carries (pressedAs; the current one for a button that carries none). The handler
// validates the data and the person's rights in that account itself. Strangers never get here
// (identify answers them), and neither does a press for an account the presser is not in.
func (b *Bot) button(h handler) tele.HandlerFunc {
	return func(c tele.Context) error {
		p, ok := c.Get(ctxPerson).(Person)
		if !ok {
			return c.Respond()
		}
		if p, ok = pressedAs(c, p); !ok {
			return c.Respond()
		}
		return h(scoped(c, p), p)
	}
}

// say sends a plain catalog text (args are plain text; the result is escaped).
func (b *Bot) say(c tele.Context, p Person, key string, args ...any) error {
	return c.Send(esc(b.printer(p, c).T(key, args...)), options(false, nil))
}

// reply sends HTML with buttons.
func reply(c tele.Context, text string, rows [][]notify.Button) error {
	return c.Send(text, options(false, rows))
}

// respond answers a button press with a short notice (empty: just stop the spinner).
func (b *Bot) respond(c tele.Context, p Person, key string) error {
	if key == "" {
		return c.Respond()
	}
	return c.Respond(&tele.CallbackResponse{Text: b.printer(p, c).T(key)})
}

func (b *Bot) printer(p Person, c tele.Context) Printer { return b.cat.Printer(langOf(p, c)) }

func isPrivate(c tele.Context) bool { return c.Chat() != nil && c.Chat().Type == tele.ChatPrivate }

// commandOf returns the command of a message without "/" and "@bot" ("/start@x a" → "start").
func commandOf(m *tele.Message) string {
	if m == nil || len(m.Text) < 2 || m.Text[0] != '/' {
		return ""
	}
	end := len(m.Text)
	for i, r := range m.Text {
		if r == ' ' || r == '@' || r == '\n' {
			end = i
			break
		}
	}
	return m.Text[1:end]
}

func displayName(u *tele.User) string {
	if u.Username != "" {
		return "@" + u.Username
	}
	if name := strings.TrimSpace(u.FirstName + " " + u.LastName); name != "" {
		return name
	}
	return "#" + strconv.FormatInt(u.ID, 10)
}
