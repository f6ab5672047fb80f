package bot

import (
	"encoding/base64"
	"strconv"
	"strings"

	tele "gopkg.in/telebot.v3"

	"salesguard/checks"
	"salesguard/notify"
)

// Callback uniques. Telegram sends the data back as "\f<unique>|<data>"; it is user input,
// so every handler parses it strictly and re-checks the sender's rights.
const (
	uniqSnooze = "snz"  // data "<h|t>:<key>": snooze a warning for an hour or until tomorrow
	uniqAck    = "ack"  // data "<key>": a head acknowledges an escalation
	uniqPage   = "pg"   // data "<command>:<page>": turn a list's page
	uniqLang   = "lang" // data "<lang>": choose the language
)

// Snooze periods in callback data.
const (
	snoozeHour     = "h"
	snoozeTomorrow = "t"
)

// shortKeyLen is the length of a finding key in callback data: its 32 bytes in unpadded
// base64url (Telegram allows 64 bytes of callback data).
const shortKeyLen = 43

// shortKey encodes a finding key for callback data; the handler looks the open entry up by it
// and checks the sender's rights again, so a forged key finds nothing or nothing they may act on.
func shortKey(k checks.Key) string { return base64.RawURLEncoding.EncodeToString(k[:]) }

// parseShortKey reads a finding key from callback data.
func parseShortKey(s string) (checks.Key, bool) {
	var k checks.Key
	if len(s) != shortKeyLen {
		return k, false
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) != checks.KeySize {
		return k, false
	}
	copy(k[:], b)
	return k, true
}

// isShortKey validates the shape of a key from callback data.
func isShortKey(s string) bool {
	_, ok := parseShortKey(s)
	return ok
}

// parseSnooze reads "<h|t>:<key>".
func parseSnooze(data string) (period, key string, ok bool) {
	period, key, ok = strings.Cut(data, ":")
	if !ok || (period != snoozeHour && period != snoozeTomorrow) || !isShortKey(key) {
		return "", "", false
	}
	return period, key, true
}

// pageData encodes a list page for a button.
func pageData(cmd string, page int) string { return cmd + ":" + strconv.Itoa(page) }

// parsePage reads "<command>:<page>" for a known list command and a sane page number.
func parsePage(data string) (cmd string, page int, ok bool) {
	cmd, n, ok := strings.Cut(data, ":")
	if !ok || !isListCommand(cmd) || len(n) > 4 {
		return "", 0, false
	}
	page, err := strconv.Atoi(n)
	if err != nil || page < 0 {
		return "", 0, false
	}
	return cmd, page, true
}

// markup converts rows of notify buttons into an inline keyboard; nil when there are none.
func markup(rows [][]notify.Button) *tele.ReplyMarkup {
	if len(rows) == 0 {
		return nil
	}
	m := &tele.ReplyMarkup{}
	for _, row := range rows {
		var r []tele.InlineButton
		for _, b := range row {
			ib := tele.InlineButton{Text: b.Text, URL: b.URL}
			if b.URL == "" {
				ib.Unique = b.Unique
				ib.Data = b.Data
			}
			r = append(r, ib)
		}
		m.InlineKeyboard = append(m.InlineKeyboard, r)
	}
	return m
}
