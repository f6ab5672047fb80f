package bot

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html"
	"log/slog"
	"regexp"
	"strconv"
	"strings"
	"time"

	tele "gopkg.in/telebot.v3"

	"salesguard/notify"
)

// Telegram limits (Bot API: sendMessage text 1-4096 characters, captions 0-1024).
const (
	maxText    = 4096
	maxCaption = 1024
)

// Notifier delivers notify.Message values over the Telegram Bot API. It implements
// notify.Notifier and is safe for concurrent use (telebot's client is).
type Notifier struct {
	tb  *tele.Bot
	log *slog.Logger
	// ready reports whether the bot is connected; nil means always. While it is not, Send
	// asks the outbox to retry later instead of calling the Bot API.
	ready func() bool
	state func() LinkState
	// label, when set, adapts a message to its recipient before it is sent (the account's
	// header and tagged buttons for a person in several accounts: notifier_label.go).
	label func(notify.Message) notify.Message
}

var _ notify.Notifier = (*Notifier)(nil)

// Send delivers one message: an edit of an earlier message when m.Edit is set, a photo or a
// document when m.Attachment is set, else HTML text split on line boundaries into parts of at
// most 4096 characters (the buttons go with the last part, whose reference is returned).
//
// Errors: Telegram's 429 becomes *notify.RetryAfterError; "blocked by the user", "user is
// deactivated", "chat not found" and other 403s wrap notify.ErrUnreachable; markup Telegram
// cannot parse is logged and the message is re-sent once as plain text.
func (n *Notifier) Send(ctx context.Context, m notify.Message) (notify.SentRef, error) {
	if err := ctx.Err(); err != nil {
		return notify.SentRef{}, fmt.Errorf("send %s to %d: %w", m.Kind, m.ChatID, err)
	}
	if n.ready != nil && !n.ready() {
		return notify.SentRef{}, fmt.Errorf("send %s to %d: telegram %s: %w", m.Kind, m.ChatID, n.state(), notify.ErrOffline)
	}
	if n.label != nil {
		m = n.label(m)
	}
	ref, err := n.send(ctx, m)
	if err != nil && isBadMarkup(err) && !m.Plain {
		n.log.Warn("telegram rejected the markup; re-sending as plain text",
			"chat_id", m.ChatID, "kind", m.Kind, "finding_key", m.FindingKey, "edit_message_id", editID(m), "err", err)
		plain := m
		plain.Plain = true
		plain.Text = plainText(m.Text)
		ref, err = n.send(ctx, plain)
		if err == nil {
			n.log.Info("sent as plain text", "chat_id", m.ChatID, "message_id", ref.MessageID)
		}
	}
	if err != nil {
		return notify.SentRef{}, Redact(fmt.Errorf("send %s to %d: %w", m.Kind, m.ChatID, mapError(err)), n.tb.Token)
	}
	return ref, nil
}

func editID(m notify.Message) int {
	if m.Edit == nil {
		return 0
	}
	return m.Edit.MessageID
}

func (n *Notifier) send(ctx context.Context, m notify.Message) (notify.SentRef, error) {
	switch {
	case m.Edit != nil:
		return n.edit(m)
	case m.Attachment != nil:
		return n.sendFile(ctx, m)
	}
	return n.sendText(ctx, m.ChatID, m.Text, m.Plain, m.Buttons)
}

// options builds fresh send options each time: telebot rewrites button data in place when it
// sends, so a keyboard must never be reused between calls.
func options(plain bool, rows [][]notify.Button) *tele.SendOptions {
	o := &tele.SendOptions{DisableWebPagePreview: true, ReplyMarkup: markup(rows)}
	if !plain {
		o.ParseMode = tele.ModeHTML
	}
	return o
}

func (n *Notifier) sendText(ctx context.Context, chat int64, text string, plain bool, rows [][]notify.Button) (notify.SentRef, error) {
	parts := splitText(text, maxText)
	var ref notify.SentRef
	for i, part := range parts {
		if err := ctx.Err(); err != nil {
			return ref, err
		}
		var buttons [][]notify.Button
		if i == len(parts)-1 {
			buttons = rows
		}
		msg, err := n.tb.Send(tele.ChatID(chat), part, options(plain, buttons))
		if err != nil {
			return ref, err
		}
		ref = notify.SentRef{ChatID: chat, MessageID: msg.ID}
	}
	return ref, nil
}

func (n *Notifier) edit(m notify.Message) (notify.SentRef, error) {
	chat := m.Edit.ChatID
	if chat == 0 {
		chat = m.ChatID
	}
	stored := tele.StoredMessage{MessageID: strconv.Itoa(m.Edit.MessageID), ChatID: chat}
	text := m.Text
	if parts := splitText(text, maxText); len(parts) > 1 {
		text = parts[0]
	}
	_, err := n.tb.Edit(stored, text, options(m.Plain, m.Buttons))
	if err != nil && !errors.Is(err, tele.ErrMessageNotModified) && !errors.Is(err, tele.ErrSameMessageContent) {
		return notify.SentRef{}, err
	}
	return notify.SentRef{ChatID: chat, MessageID: m.Edit.MessageID}, nil
}

// sendFile sends a photo or a document with the text as caption; a text too long for a
// caption follows as its own message.
func (n *Notifier) sendFile(ctx context.Context, m notify.Message) (notify.SentRef, error) {
	a := m.Attachment
	caption, rest := m.Text, ""
	if utf16Len(caption) > maxCaption {
		caption, rest = "", m.Text
	}
	file := tele.FromReader(bytes.NewReader(a.Data))
	var what tele.Sendable
	if a.IsPhoto {
		what = &tele.Photo{File: file, Caption: caption}
	} else {
		what = &tele.Document{File: file, Caption: caption, FileName: a.Name, MIME: a.MIME}
	}
	var buttons [][]notify.Button
	if rest == "" {
		buttons = m.Buttons
	}
	msg, err := n.tb.Send(tele.ChatID(m.ChatID), what, options(m.Plain, buttons))
	if err != nil {
		return notify.SentRef{}, err
	}
	ref := notify.SentRef{ChatID: m.ChatID, MessageID: msg.ID}
	if rest != "" {
		return n.sendText(ctx, m.ChatID, rest, m.Plain, m.Buttons)
	}
	return ref, nil
}

// mapError turns telebot's errors into the delivery errors of notify.
func mapError(err error) error {
	var flood tele.FloodError
	if errors.As(err, &flood) {
		return &notify.RetryAfterError{After: time.Duration(flood.RetryAfter) * time.Second, Err: err}
	}
	var te *tele.Error
	if errors.As(err, &te) {
		switch {
		case te.Code == 429:
			return &notify.RetryAfterError{After: time.Second, Err: err}
		case te.Code == 403, errors.Is(err, tele.ErrChatNotFound):
			return fmt.Errorf("%w: %w", notify.ErrUnreachable, err)
		}
		return err
	}
	// telebot reports descriptions it does not know as "telegram: <description> (<code>)".
	if s := err.Error(); strings.HasSuffix(s, "(403)") {
		return fmt.Errorf("%w: %w", notify.ErrUnreachable, err)
	}
	return err
}

// isBadMarkup reports Telegram's 400 for HTML it cannot parse.
func isBadMarkup(err error) bool {
	return strings.Contains(err.Error(), "can't parse entities")
}

var (
	linkTag = regexp.MustCompile(`<a\s+href="([^"]*)"\s*>(.*?)</a>`)
	anyTag  = regexp.MustCompile(`<[^>]*>`)
)

// plainText turns our HTML into readable plain text: links become "text (url)", other tags
// are dropped and entities unescaped.
func plainText(s string) string {
	s = linkTag.ReplaceAllString(s, "$2 ($1)")
	s = anyTag.ReplaceAllString(s, "")
	return html.UnescapeString(s)
}

// utf16Len counts the text the way Telegram measures it (UTF-16 code units).
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

// splitText cuts text into parts of at most limit UTF-16 units, on line boundaries; a single
// line longer than the limit is cut between runes. Blank lines at a cut are dropped.
func splitText(s string, limit int) []string {
	if utf16Len(s) <= limit {
		return []string{s}
	}
	var parts []string
	var cur []string
	curLen := 0
	flush := func() {
		if t := strings.Trim(strings.Join(cur, "\n"), "\n"); t != "" {
			parts = append(parts, t)
		}
		cur, curLen = nil, 0
	}
	for _, line := range strings.Split(s, "\n") {
		l := utf16Len(line)
		if len(cur) > 0 && curLen+1+l > limit {
			flush()
		}
		for l > limit {
			head, tail := cutUTF16(line, limit)
			parts = append(parts, head)
			line, l = tail, utf16Len(tail)
		}
		if len(cur) == 0 && line == "" {
			continue
		}
		if len(cur) > 0 {
			curLen++
		}
		cur = append(cur, line)
		curLen += l
	}
	flush()
	return parts
}

// cutUTF16 splits s after at most n UTF-16 units, on a rune boundary.
func cutUTF16(s string, n int) (string, string) {
	used := 0
	for i, r := range s {
		w := 1
		if r >= 0x10000 {
			w = 2
		}
		if used+w > n {
			return s[:i], s[i:]
		}
		used += w
	}
	return s, ""
}

// NewNotifier returns a notifier that only sends (no commands, no polling): the demo uses it to
// send the simulated team's messages to an admin's real chat.
func NewNotifier(cfg Config, log *slog.Logger) (*Notifier, error) {
	if cfg.Token == "" {
		return nil, errors.New("bot token is empty")
	}
	if log == nil {
		log = slog.Default()
	}
	tb, err := tele.NewBot(tele.Settings{URL: cfg.APIURL, Token: cfg.Token, Offline: true, ParseMode: tele.ModeHTML})
	if err != nil {
		return nil, fmt.Errorf("telegram: %w", err)
	}
	return &Notifier{tb: tb, log: log}, nil
}

// Redact hides the bot token in an error's text. HTTP errors from the Bot API client name the
// request URL, which carries the token (/bot<token>/method); nothing may log it. Errors.Is and
// errors.As still see the original error.
func Redact(err error, token string) error {
	if err == nil || token == "" || !strings.Contains(err.Error(), token) {
		return err
	}
	return &redactedError{msg: strings.ReplaceAll(err.Error(), token, "<token>"), err: err}
}

type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }
