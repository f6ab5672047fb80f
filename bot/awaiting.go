package bot

import (
	"sync"
	"time"

	tele "gopkg.in/telebot.v3"
)

// awaitTTL is how long the bot waits for a typed value or comment after a button press.
const awaitTTL = 10 * time.Minute

// awaitKind says what the bot expects in a person's next text message.
type awaitKind int

const (
	awaitSetting awaitKind = iota + 1 // a settings value (field names which)
	awaitComment                      // a comment on an audit verdict
)

// await is one expected text message.
type await struct {
	kind    awaitKind
	account string  // the account the value is for (the asking press's)
	field   string  // awaitSetting: the field's path, e.g. "r1.limit" or "r4.<pipeline>.<status>"
	verdict Verdict // awaitComment: the verdict the comment goes to
	until   time.Time
}

// awaiting holds, per Telegram user, the text the bot waits for. The zero value is ready.
type awaiting struct {
	mu sync.Mutex
	m  map[int64]await
}

// set replaces what the bot waits for from a user.
func (a *awaiting) set(id int64, w await) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.m == nil {
		a.m = map[int64]await{}
	}
	a.m[id] = w
}

// take returns and forgets what the bot waits for from a user; expired entries are dropped.
func (a *awaiting) take(id int64, now time.Time) (await, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	w, ok := a.m[id]
	delete(a.m, id)
	for k, v := range a.m { // drop the expired entries of others too, so the map stays small
		if now.After(v.until) {
			delete(a.m, k)
		}
	}
	if !ok || now.After(w.until) {
		return await{}, false
	}
	return w, true
}

// clear forgets what the bot waits for from a user.
func (a *awaiting) clear(id int64) {
	a.mu.Lock()
	defer a.mu.Unlock()
	delete(a.m, id)
}

// onText routes a text message: a value or comment the bot awaits from the sender, else the
// "unknown" answer. The value goes to the account it was asked for, as the sender's
// membership of that account, checked now.
func (b *Bot) onText(c tele.Context, p Person) error {
	if !isPrivate(c) {
		return nil
	}
	w, ok := b.inputs.take(p.TelegramID, b.clock.Now())
	if !ok {
		return b.onUnknown(c, p)
	}
	if w.account != "" && w.account != p.Account { // asked by a button of another account
		m, found, err := b.memberIn(p.TelegramID, w.account)
		if err != nil {
			return err
		}
		if !found {
			return b.onUnknown(c, p)
		}
		p, c = m, scoped(c, m)
	}
	switch w.kind {
	case awaitSetting:
		if p.Role != RoleAdmin {
			return b.onUnknown(c, p)
		}
		return b.applyField(c, p, w.field, c.Text())
	case awaitComment:
		if p.Role != RoleAdmin && p.Role != RoleHead {
			return b.onUnknown(c, p)
		}
		return b.saveComment(c, p, w.verdict, c.Text())
	}
	return b.onUnknown(c, p)
}
