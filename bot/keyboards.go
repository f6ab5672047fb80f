package bot

import (
	"crypto/sha256"
	"encoding/base32"
	"strconv"
	"strings"

	tele "gopkg.in/telebot.v3"

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

// shortKeyLen is the length of a finding key's digest in callback data (Telegram allows 64
// bytes of callback data; ledger keys can be longer).
const shortKeyLen = 16

var keyEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// shortKey digests a finding key for callback data; the handler finds the finding again by
// comparing digests among the sender's visible findings, so a forged digest matches nothing.
func shortKey(key string) string {
	sum := sha256.Sum256([]byte(key))
	return strings.ToLower(keyEncoding.EncodeToString(sum[:]))[:shortKeyLen]
}

// isShortKey validates the shape of a digest from callback data.
func isShortKey(s string) bool {
	if len(s) != shortKeyLen {
		return false
	}
	for _, c := range s {
		if (c < 'a' || c > 'z') && (c < '2' || c > '7') {
			return false
		}
	}
	return true
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
