package bot

import (
	"crypto/sha256"
	"encoding/base64"
	"slices"
	"strings"

	tele "gopkg.in/telebot.v3"

	"salesguard/notify"
)

// A button shown to a person in several accounts carries the account it acts on: its data
// ends with accountSep and the account's tag. An account key may be 32 bytes and callback data
// only 64, so the tag is a short digest of the key, resolved at press time among the presser's
// own memberships: a tag of an account they do not belong to finds nothing, and the press is
// refused. A button whose data would outgrow Telegram's limit with the tag stays untagged and
// acts, like every untagged button, on the presser's current account.
const (
	accountSep    = "~"
	accountTagLen = 8 // 6 bytes of SHA-256 in unpadded base64url
	// maxCallbackBytes is Telegram's limit on a button's callback data ("\f<unique>|<data>").
	maxCallbackBytes = 64
)

// accountTag is the short form of an account key in callback data.
func accountTag(key string) string {
	sum := sha256.Sum256([]byte(key))
	return base64.RawURLEncoding.EncodeToString(sum[:6])
}

// isAccountTag validates the shape of a tag from callback data.
func isAccountTag(s string) bool {
	if len(s) != accountTagLen {
		return false
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	return err == nil && len(b) == 6 && base64.RawURLEncoding.EncodeToString(b) == s
}

// tagData appends an account tag to a button's data when it fits Telegram's limit and the
// data has none yet.
func tagData(unique, data, tag string) string {
	if strings.Contains(data, accountSep) || len("\f"+unique+"|"+data+accountSep+tag) > maxCallbackBytes {
		return data
	}
	return data + accountSep + tag
}

// Tag states of callback data.
const (
	tagNone = iota // no tag: the presser's current account
	tagOK          // a well-formed tag, cut off
	tagBad         // a separator without a valid tag: forged
)

// cutAccountTag splits callback data into the handler's part and the account tag.
func cutAccountTag(data string) (base, tag string, state int) {
	i := strings.LastIndex(data, accountSep)
	if i < 0 {
		return data, "", tagNone
	}
	if !isAccountTag(data[i+len(accountSep):]) || strings.Contains(data[:i], accountSep) {
		return "", "", tagBad
	}
	return data[:i], data[i+len(accountSep):], tagOK
}

// tagRows returns a copy of rows whose callback buttons carry the account's tag.
func tagRows(rows [][]notify.Button, account string) [][]notify.Button {
	if len(rows) == 0 {
		return rows
	}
	tag := accountTag(account)
	out := make([][]notify.Button, len(rows))
	for i, row := range rows {
		out[i] = slices.Clone(row)
		for j := range out[i] {
			if bt := &out[i][j]; bt.URL == "" && bt.Unique != "" && bt.Unique != uniqAccount {
				bt.Data = tagData(bt.Unique, bt.Data, tag)
			}
		}
	}
	return out
}

// tagMarkup returns a copy of an inline keyboard whose callback buttons carry the tag.
func tagMarkup(m *tele.ReplyMarkup, tag string) *tele.ReplyMarkup {
	if m == nil || len(m.InlineKeyboard) == 0 {
		return m
	}
	cp := *m
	cp.InlineKeyboard = make([][]tele.InlineButton, len(m.InlineKeyboard))
	for i, row := range m.InlineKeyboard {
		cp.InlineKeyboard[i] = slices.Clone(row)
		for j := range cp.InlineKeyboard[i] {
			if ib := &cp.InlineKeyboard[i][j]; ib.URL == "" && ib.Unique != "" && ib.Unique != uniqAccount {
				ib.Data = tagData(ib.Unique, ib.Data, tag)
			}
		}
	}
	return &cp
}

// accountContext is the context a handler runs in for a person in several accounts: every
// inline keyboard it sends or edits carries the account it acted on, so a later press acts on
// that account, whatever the person's current one is by then.
type accountContext struct {
	tele.Context
	tag string
}

func (c accountContext) tagged(opts []any) []any {
	out := make([]any, len(opts))
	for i, o := range opts {
		switch o := o.(type) {
		case *tele.SendOptions:
			if o != nil {
				cp := *o
				cp.ReplyMarkup = tagMarkup(o.ReplyMarkup, c.tag)
				out[i] = &cp
				continue
			}
		case *tele.ReplyMarkup:
			out[i] = tagMarkup(o, c.tag)
			continue
		}
		out[i] = o
	}
	return out
}

// Send sends with the keyboard tagged.
func (c accountContext) Send(what any, opts ...any) error {
	return c.Context.Send(what, c.tagged(opts)...)
}

// Reply replies with the keyboard tagged.
func (c accountContext) Reply(what any, opts ...any) error {
	return c.Context.Reply(what, c.tagged(opts)...)
}

// Edit edits with the keyboard tagged.
func (c accountContext) Edit(what any, opts ...any) error {
	return c.Context.Edit(what, c.tagged(opts)...)
}

// EditCaption edits a caption with the keyboard tagged.
func (c accountContext) EditCaption(caption string, opts ...any) error {
	return c.Context.EditCaption(caption, c.tagged(opts)...)
}

// EditOrSend edits or sends with the keyboard tagged.
func (c accountContext) EditOrSend(what any, opts ...any) error {
	return c.Context.EditOrSend(what, c.tagged(opts)...)
}

// EditOrReply edits or replies with the keyboard tagged.
func (c accountContext) EditOrReply(what any, opts ...any) error {
	return c.Context.EditOrReply(what, c.tagged(opts)...)
}

// scoped returns the context a handler for p runs in: tagged with p's account when the
// sender belongs to several.
func scoped(c tele.Context, p Person) tele.Context {
	if !isMulti(c) {
		return c
	}
	return accountContext{Context: c, tag: accountTag(p.Account)}
}

// sendOptions are options(false, rows) with the keyboard tagged as c's, for a message sent
// past the context (c.Bot().Send).
func sendOptions(c tele.Context, rows [][]notify.Button) *tele.SendOptions {
	o := options(false, rows)
	if ac, ok := c.(accountContext); ok {
		o.ReplyMarkup = tagMarkup(o.ReplyMarkup, ac.tag)
	}
	return o
}

// pressedAs resolves the membership a press acts as: the current one for untagged data, the
// presser's membership of the tagged account otherwise (the tag is cut off the data the
// handler reads). ok is false for a forged tag or an account the presser does not belong to.
func pressedAs(c tele.Context, p Person) (Person, bool) {
	cb := c.Callback()
	if cb == nil {
		return p, true
	}
	base, tag, state := cutAccountTag(cb.Data)
	switch state {
	case tagNone:
		return p, true
	case tagBad:
		return Person{}, false
	}
	cb.Data = base
	for _, m := range membersOf(c) {
		if accountTag(m.Account) == tag {
			return m, true
		}
	}
	return Person{}, false
}
