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
	b.tb.Handle(tele.OnAddedToGroup, b.onAddedToGroup)
	b.tb.Handle(tele.OnDocument, b.guard(everyone, false, b.onDocument))
	b.tb.Handle(tele.OnCallback, func(c tele.Context) error { return c.Respond() }) // forged or stale
	b.tb.Handle(tele.OnText, b.guard(everyone, false, b.onText))
}

// identify resolves the sender. Bootstrap admins are created on first contact; a stranger
// gets one polite "not authorised" (remembered, so never twice) and nothing else, except
// that /start with an invite code goes through to redeem it.
func (b *Bot) identify(next tele.HandlerFunc) tele.HandlerFunc {
	return func(c tele.Context) error {
		s := c.Sender()
		if s == nil || s.IsBot {
			return nil
		}
		p, ok, err := b.person(s)
		if err != nil {
			return err
		}
		if ok {
			if p.Unreachable { // they write to the bot again: deliveries resume
				p.Unreachable = false
				if err := b.store.PutPerson(p); err != nil {
					return fmt.Errorf("mark %d reachable: %w", p.TelegramID, err)
				}
			}
			c.Set(ctxPerson, p)
			return next(c)
		}
		if c.Callback() == nil && isPrivate(c) && c.Message() != nil && c.Message().Payload != "" &&
			commandOf(c.Message()) == "start" {
			return b.redeem(c, c.Message().Payload)
		}
		return b.stranger(c)
	}
}

// person loads the sender, creating or promoting a bootstrap admin.
func (b *Bot) person(s *tele.User) (Person, bool, error) {
	p, ok, err := b.store.Person(s.ID)
	if err != nil {
		return Person{}, false, fmt.Errorf("load person %d: %w", s.ID, err)
	}
	if !slices.Contains(b.cfg.Admins, s.ID) || (ok && p.Role == RoleAdmin) {
		return p, ok, nil
	}
	if !ok {
		p = Person{TelegramID: s.ID, Name: displayName(s), Account: b.cfg.Account}
	}
	p.Role = RoleAdmin
	if err := b.store.PutPerson(p); err != nil {
		return Person{}, false, fmt.Errorf("save bootstrap admin %d: %w", s.ID, err)
	}
	if err := b.syncPerson(p); err != nil { // their menu is an admin's from the first message on
		b.log.Warn("publish the admin's commands", "err", Redact(err, b.cfg.Token))
	}
	return p, true, nil
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
		return h(c, p)
	}
}

// button runs a callback handler for a known person; the handler validates the data and the
// person's rights itself. Strangers never get here (identify answers them).
func (b *Bot) button(h handler) tele.HandlerFunc {
	return func(c tele.Context) error {
		p, ok := c.Get(ctxPerson).(Person)
		if !ok {
			return c.Respond()
		}
		return h(c, p)
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
