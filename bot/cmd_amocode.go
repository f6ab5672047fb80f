package bot

import (
	"context"
	"errors"
	"strings"
	"time"

	tele "gopkg.in/telebot.v3"

	"salesguard/amo"
)

// CodeReceiver exchanges an amoCRM OAuth authorization code for an account's new token pair
// at once (app wires the amoCRM clients). Its errors wrap amo.ErrCodeRefused when amoCRM
// refused the code or it was used before, and amo.ErrNotOAuth when the account uses a
// long-lived token. They never contain the code.
type CodeReceiver interface {
	UseAuthCode(ctx context.Context, account, code string) error
}

const (
	// maxAuthCode bounds an authorization code (amoCRM's are about 1 KB).
	maxAuthCode = 8 << 10
	// codeTimeout bounds one exchange: the client's own retries and back-offs included.
	codeTimeout = 3 * time.Minute
)

// onAmocode takes a new authorization code from an admin: /amocode <code>. The message that
// holds the code is deleted before anything else, the code is never echoed or logged, and
// the answer says whether amoCRM took it and what happens next.
func (b *Bot) onAmocode(c tele.Context, p Person) error {
	code := strings.TrimSpace(c.Message().Payload)
	if code == "" {
		return b.say(c, p, "bot.amocode.usage")
	}
	deleted := true
	if err := c.Delete(); err != nil {
		b.log.Warn("delete the message holding an authorization code", "chat_id", c.Chat().ID, "err", Redact(err, b.cfg.Token))
		deleted = false
	}
	pr := b.printer(p, c)
	text := esc(pr.T(b.useAuthCode(p.Account, code)))
	if !deleted {
		text += "\n\n" + esc(pr.T("bot.amocode.not_deleted"))
	}
	return c.Send(text, options(false, nil))
}

// useAuthCode hands the code to the account's client and returns the catalog key of the
// answer.
func (b *Bot) useAuthCode(account, code string) string {
	if b.codes == nil {
		return "bot.amocode.unavailable"
	}
	if len(code) > maxAuthCode || strings.ContainsAny(code, " \t\r\n") {
		return "bot.amocode.malformed"
	}
	ctx, cancel := context.WithTimeout(context.Background(), codeTimeout)
	defer cancel()
	err := b.codes.UseAuthCode(ctx, account, code)
	switch {
	case err == nil:
		b.log.Info("amoCRM authorization code accepted", "account", account)
		return "bot.amocode.ok"
	case errors.Is(err, amo.ErrNotOAuth):
		return "bot.amocode.not_oauth"
	case errors.Is(err, amo.ErrCodeRefused):
		b.log.Warn("amoCRM refused an authorization code", "account", account, "err", err)
		return "bot.amocode.refused"
	}
	b.log.Warn("exchange an authorization code", "account", account, "err", err)
	return "bot.amocode.failed"
}
