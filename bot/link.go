package bot

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	tele "gopkg.in/telebot.v3"
)

// LinkState is the state of the bot's connection to the Bot API.
type LinkState string

// Link states. The service runs in all of them: alerts wait in the outbox until the bot is
// connected.
const (
	// LinkConnecting: getMe has not answered yet.
	LinkConnecting LinkState = "connecting"
	// LinkConnected: getMe answered and updates are being received.
	LinkConnected LinkState = "connected"
	// LinkUnreachable: the Bot API did not answer (network, 5xx); the bot retries with back-off.
	LinkUnreachable LinkState = "unreachable"
	// LinkUnauthorized: the Bot API refused the token (401, or 404 for a malformed one); the
	// admin must fix TELEGRAM_TOKEN. The bot keeps retrying slowly, in case it was revoked and
	// restored.
	LinkUnauthorized LinkState = "unauthorized"
)

// Link is the bot's connection state, reported to Deps.OnLink on every change.
type Link struct {
	State LinkState
	// Since is when the state began.
	Since time.Time
	// Err is the last error, with the token masked ("" when connected).
	Err string
}

// Back-off between connection attempts: from linkRetryMin doubling up to linkRetryMax.
const (
	linkRetryMin = time.Second
	linkRetryMax = 5 * time.Minute
)

// Link returns the bot's connection state.
func (b *Bot) Link() Link {
	b.linkMu.Lock()
	defer b.linkMu.Unlock()
	return b.link
}

// connected reports whether the Bot API answered the last request.
func (b *Bot) connected() bool { return b.Link().State == LinkConnected }

// setLink records a connection state, and logs and reports it when it changed. err is the
// failure that led to it (nil when connected); the token never reaches the log.
func (b *Bot) setLink(state LinkState, err error) {
	b.linkMu.Lock()
	changed := b.link.State != state
	if changed {
		b.link.State, b.link.Since = state, b.clock.Now()
	}
	b.link.Err = ""
	if err != nil {
		b.link.Err = Redact(err, b.cfg.Token).Error()
	}
	l := b.link
	b.linkMu.Unlock()
	if !changed {
		return
	}
	switch state {
	case LinkConnected:
		b.log.Info("telegram connected", "bot", "@"+b.Username())
	case LinkUnauthorized:
		b.log.Error("telegram refused the bot token: set TELEGRAM_TOKEN to the token @BotFather gave; "+
			"amoCRM is still watched and alerts wait in the outbox", "err", l.Err)
	default:
		b.log.Warn("telegram unreachable: retrying in the background; alerts wait in the outbox", "err", l.Err)
	}
	if b.onLink != nil {
		b.onLink(l)
	}
}

// linkStateOf classifies a failed Bot API call.
func linkStateOf(err error) LinkState {
	if errors.Is(err, tele.ErrUnauthorized) || errors.Is(err, tele.ErrNotFound) {
		return LinkUnauthorized
	}
	return LinkUnreachable
}

// connect calls getMe until it answers, with back-off, then publishes the menus and starts
// receiving updates. It returns when connected or when stop is closed.
func (b *Bot) connect(stop <-chan struct{}) {
	delay := linkRetryMin
	for {
		me, err := b.getMe()
		if err == nil {
			b.tb.Me = me // before updates flow: handlers read it
			b.setLink(LinkConnected, nil)
			break
		}
		b.setLink(linkStateOf(err), err)
		select {
		case <-stop:
			return
		case <-b.clock.After(delay):
		}
		delay = min(2*delay, linkRetryMax)
	}
	if err := b.SyncCommands(); err != nil {
		b.log.Warn("publish bot commands", "err", Redact(err, b.cfg.Token))
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.running { // stopped while connecting
		return
	}
	b.polling = true
	go b.tb.Start()
}

// getMe asks the Bot API who the bot is: the token check.
func (b *Bot) getMe() (*tele.User, error) {
	data, err := b.tb.Raw("getMe", nil)
	if err != nil {
		return nil, fmt.Errorf("telegram getMe: %w", err)
	}
	var resp struct {
		Result *tele.User `json:"result"`
	}
	if err := json.Unmarshal(data, &resp); err != nil || resp.Result == nil {
		return nil, fmt.Errorf("telegram getMe: unexpected answer (%d bytes)", len(data))
	}
	return resp.Result, nil
}

// backoffPoller is a long poller that waits between failed getUpdates calls, doubling the
// wait, and reports the link state. telebot's LongPoller retries at once, which spins and
// floods the log while the Bot API is down.
type backoffPoller struct {
	b       *Bot
	timeout time.Duration
	allowed []string
	lastID  int
}

// Poll implements tele.Poller.
func (p *backoffPoller) Poll(tb *tele.Bot, dest chan tele.Update, stop chan struct{}) {
	allowed, _ := json.Marshal(p.allowed)
	delay := linkRetryMin
	for {
		select {
		case <-stop:
			return
		default:
		}
		params := map[string]string{
			"offset":          strconv.Itoa(p.lastID + 1),
			"timeout":         strconv.Itoa(int(p.timeout / time.Second)),
			"allowed_updates": string(allowed),
		}
		updates, err := getUpdates(tb, params)
		if err != nil {
			select {
			case <-stop: // the request was cancelled by Stop
				return
			default:
			}
			p.b.setLink(linkStateOf(err), err)
			select {
			case <-stop:
				return
			case <-p.b.clock.After(delay):
			}
			delay = min(2*delay, linkRetryMax)
			continue
		}
		delay = linkRetryMin
		p.b.setLink(LinkConnected, nil)
		for _, u := range updates {
			p.lastID = u.ID
			select {
			case dest <- u:
			case <-stop:
				return
			}
		}
	}
}

// getUpdates is one long-polling call.
func getUpdates(tb *tele.Bot, params map[string]string) ([]tele.Update, error) {
	data, err := tb.Raw("getUpdates", params)
	if err != nil {
		return nil, fmt.Errorf("telegram getUpdates: %w", err)
	}
	var resp struct {
		Result []tele.Update `json:"result"`
	}
	if err := json.Unmarshal(data, &resp); err != nil {
		return nil, fmt.Errorf("telegram getUpdates: decode the answer: %w", err)
	}
	return resp.Result, nil
}
