// Package bot is SalesGuard's Telegram side (telebot v3): people and their roles, invites,
// the commands that list a person's problems, the alert buttons, and the Notifier that
// delivers notify.Message values. All text is rendered by Renderer from the locales catalog,
// in HTML, with every amoCRM string escaped. The bot reads the account through Source and
// keeps people, invites, snoozes and acknowledgements through Store; both are declared here
// with only the methods the bot uses, and app wires them.
package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/jonboulle/clockwork"
	tele "gopkg.in/telebot.v3"

	"salesguard/locales"
)

// Config is how the bot connects to Telegram and who administers it.
type Config struct {
	// Token is the bot token from @BotFather. It never reaches a log.
	Token string
	// APIURL is the Bot API base URL; empty means https://api.telegram.org.
	APIURL string
	// WebhookURL, when set, switches from long polling to a webhook at this public URL;
	// updates are then served on ListenAddr (default ":8443") and must carry WebhookSecret
	// (Telegram's X-Telegram-Bot-Api-Secret-Token header).
	WebhookURL    string
	WebhookSecret string
	ListenAddr    string
	// PollTimeout is the long-polling timeout; default 10s (zero would poll in a tight loop).
	PollTimeout time.Duration
	// Admins are the Telegram ids that are admins of every served account from the start
	// (SALESGUARD_ADMINS); an admin invited with /invite admin is an admin of one account.
	Admins []int64
	// Account is the first account the bot serves, used when Source names none (tests, the
	// demo). The accounts come from Source.Accounts; invitees join the invite's account.
	Account string
	// InviteTTL is how long an invite link works; default 72h.
	InviteTTL time.Duration
	// Offline skips getMe and handles updates synchronously: for tests and the demo. Username
	// then names the bot (it is read from getMe otherwise).
	Offline  bool
	Username string
}

// String describes the config with the token and the webhook secret masked.
func (c Config) String() string {
	mask := func(s string) string {
		if s == "" {
			return ""
		}
		return "***"
	}
	return fmt.Sprintf("bot.Config{APIURL:%q WebhookURL:%q ListenAddr:%q PollTimeout:%s Admins:%v Account:%q Token:%s WebhookSecret:%s}",
		c.APIURL, c.WebhookURL, c.ListenAddr, c.PollTimeout, c.Admins, c.Account, mask(c.Token), mask(c.WebhookSecret))
}

// Deps are what the bot talks to.
type Deps struct {
	Store   Store
	Source  Source
	Catalog *locales.Catalog
	Clock   clockwork.Clock // default: the real clock
	Logger  *slog.Logger    // default: slog.Default()
	// HTTPClient, when set, replaces telebot's client (timeouts, proxies).
	HTTPClient *http.Client
	// OnLink, when set, hears every change of the connection to the Bot API (for /healthz
	// and the metrics). It must not block.
	OnLink func(Link)
	// Codes, when set, takes the amoCRM authorization codes admins send with /amocode.
	Codes CodeReceiver
}

// Bot is the running Telegram bot.
type Bot struct {
	cfg    Config
	tb     *tele.Bot
	store  Store
	src    Source
	cat    *locales.Catalog
	render *Renderer
	clock  clockwork.Clock
	log    *slog.Logger
	notif  *Notifier
	// inputs holds who the bot awaits a typed value or a comment from (settings, audit).
	inputs awaiting
	codes  CodeReceiver // nil: /amocode explains how else to give a code

	onLink func(Link)
	linkMu sync.Mutex
	link   Link

	mu      sync.Mutex
	running bool
	polling bool // tb.Start runs (Stop must only stop it then: telebot's Stop blocks otherwise)
	done    chan struct{}
}

// New builds the bot and registers its routes. It makes no request: Start connects in the
// background, so the service runs while the Bot API is down or refuses the token.
func New(cfg Config, deps Deps) (*Bot, error) {
	if cfg.Token == "" {
		return nil, errors.New("bot token is empty")
	}
	if deps.Store == nil || deps.Source == nil || deps.Catalog == nil {
		return nil, errors.New("bot needs a store, a source and a catalog")
	}
	if cfg.PollTimeout <= 0 {
		cfg.PollTimeout = 10 * time.Second
	}
	if cfg.WebhookURL != "" && cfg.ListenAddr == "" {
		cfg.ListenAddr = ":8443"
	}
	if cfg.InviteTTL <= 0 {
		cfg.InviteTTL = 72 * time.Hour
	}
	if deps.Clock == nil {
		deps.Clock = clockwork.NewRealClock()
	}
	if deps.Logger == nil {
		deps.Logger = slog.Default()
	}
	b := &Bot{cfg: cfg, store: deps.Store, src: deps.Source, cat: deps.Catalog,
		render: NewRenderer(deps.Catalog), clock: deps.Clock, log: deps.Logger, onLink: deps.OnLink}
	b.link = Link{State: LinkConnecting, Since: deps.Clock.Now()}
	b.codes = deps.Codes
	st := tele.Settings{
		URL:         cfg.APIURL,
		Token:       cfg.Token,
		Poller:      b.poller(),
		Offline:     true, // getMe is Start's, in the background
		Synchronous: cfg.Offline,
		ParseMode:   tele.ModeHTML,
		OnError:     b.onError,
	}
	if deps.HTTPClient != nil {
		st.Client = deps.HTTPClient
	}
	tb, err := tele.NewBot(st)
	if err != nil {
		return nil, Redact(fmt.Errorf("telegram bot: %w", err), cfg.Token)
	}
	if cfg.Offline {
		tb.Me = &tele.User{ID: 1, IsBot: true, Username: cfg.Username, FirstName: cfg.Username}
		b.link.State = LinkConnected
	}
	b.tb = tb
	b.notif = &Notifier{tb: tb, log: deps.Logger, ready: b.connected, state: func() LinkState { return b.Link().State },
		label: b.labelMessage}
	b.routes()
	return b, nil
}

// Notifier returns the notifier that delivers messages through this bot.
func (b *Bot) Notifier() *Notifier { return b.notif }

// Renderer returns the bot's renderer.
func (b *Bot) Renderer() *Renderer { return b.render }

// Username returns the bot's @username (without "@").
func (b *Bot) Username() string { return b.tb.Me.Username }

// ProcessUpdate handles one update as if it had been polled (tests, the demo).
func (b *Bot) ProcessUpdate(u tele.Update) { b.tb.ProcessUpdate(u) }

// Start connects to the Bot API in the background (getMe, retried with back-off while
// Telegram is unreachable or refuses the token), then publishes the command menus and starts
// receiving updates. It returns at once; the bot stops when ctx is done or Stop is called. A
// second Start is a no-op.
func (b *Bot) Start(ctx context.Context) {
	b.mu.Lock()
	if b.running {
		b.mu.Unlock()
		return
	}
	b.running = true
	b.done = make(chan struct{})
	done := b.done
	if b.cfg.Offline {
		b.polling = true
		b.mu.Unlock()
		if err := b.SyncCommands(); err != nil {
			b.log.Warn("publish bot commands", "err", Redact(err, b.cfg.Token))
		}
		go b.tb.Start()
	} else {
		b.mu.Unlock()
		go b.connect(done)
	}
	go func() {
		select {
		case <-ctx.Done():
			b.Stop()
		case <-b.done:
		}
	}()
}

// Stop stops receiving updates and waits for the poller to finish. It is safe to call more
// than once and before Start.
func (b *Bot) Stop() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.running {
		return
	}
	b.running = false
	close(b.done)
	if b.polling {
		b.polling = false
		b.tb.Stop()
	}
}

// poller picks the webhook when a public URL is configured, long polling otherwise.
func (b *Bot) poller() tele.Poller {
	if b.cfg.WebhookURL != "" {
		return &webhookPoller{listen: b.cfg.ListenAddr, publicURL: b.cfg.WebhookURL,
			secret: b.cfg.WebhookSecret, log: b.log}
	}
	return &backoffPoller{b: b, timeout: b.cfg.PollTimeout, allowed: []string{"message", "callback_query", "my_chat_member"}}
}

// onError logs a handler's error once, with the chat and sender for context.
func (b *Bot) onError(err error, c tele.Context) {
	args := []any{"err", Redact(err, b.cfg.Token)}
	if c != nil {
		if ch := c.Chat(); ch != nil {
			args = append(args, "chat_id", ch.ID)
		}
		if s := c.Sender(); s != nil {
			args = append(args, "user_id", s.ID)
		}
	}
	b.log.Error("telegram update", args...)
}

// lang picks a person's language: their choice, else their Telegram client's.
func langOf(p Person, c tele.Context) string {
	if p.Lang != "" {
		return p.Lang
	}
	if s := c.Sender(); s != nil {
		return normLang(s.LanguageCode)
	}
	return "en"
}

// normLang reduces a client language code to a catalog language ("ru-RU" → "ru").
func normLang(code string) string {
	code = strings.ToLower(code)
	switch {
	case strings.HasPrefix(code, "ru"):
		return "ru"
	case strings.HasPrefix(code, "es"):
		return "es"
	}
	return "en"
}
