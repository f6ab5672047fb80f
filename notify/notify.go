// Package notify holds what travels from the watch loop to a person: the message, its buttons,
// and the errors a delivery channel reports. The console (demo) and the Telegram bot both
// implement Notifier; the outbox in storage persists Message values as JSON.
package notify

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Kind says what a message is, for logs, metrics and ordering.
type Kind string

// Message kinds.
const (
	KindAlert      Kind = "alert"  // a finding for a manager (warning) or the head (escalation)
	KindFixed      Kind = "fixed"  // edit of an alert: the finding cleared
	KindNudge      Kind = "nudge"  // the pre-close nudge
	KindPlan       Kind = "plan"   // the morning plan
	KindDigest     Kind = "digest" // the end-of-day digest
	KindWeekly     Kind = "weekly" // the weekly report
	KindDataHealth Kind = "data_health"
	KindNotice     Kind = "notice"   // anything else (the bot being blocked, …)
	KindCatchUp    Kind = "catch_up" // what was already open when a person started getting alerts
	KindReminder   Kind = "reminder" // an escalation again, until someone acknowledges it
)

// Button is an inline button: either a URL to open or callback data for the bot.
type Button struct {
	Text string `json:"text"`
	URL  string `json:"url,omitempty"`
	// Unique and Data form the callback ("\f<unique>|<data>" in telebot); the bot validates them.
	Unique string `json:"unique,omitempty"`
	Data   string `json:"data,omitempty"`
}

// Attachment is a file sent with or instead of text (a chart, an XLSX).
type Attachment struct {
	Name    string `json:"name"`
	MIME    string `json:"mime"`
	IsPhoto bool   `json:"is_photo,omitempty"`
	Data    []byte `json:"data"`
}

// Message is one outgoing message. Text is HTML (Telegram's subset) unless Plain is set; every
// CRM string in it has been escaped by the renderer.
type Message struct {
	Account string `json:"account,omitempty"` // account key, for logs and per-account ordering
	ChatID  int64  `json:"chat_id"`
	Kind    Kind   `json:"kind"`
	Text    string `json:"text"`
	Plain   bool   `json:"plain,omitempty"`
	// Buttons are rows of inline buttons.
	Buttons [][]Button `json:"buttons,omitempty"`
	// Attachment, when set, is sent as a photo or document with Text as its caption.
	Attachment *Attachment `json:"attachment,omitempty"`
	// FindingKey ties an alert to its ledger entry, so the alert can be edited when it clears.
	FindingKey string `json:"finding_key,omitempty"`
	// FindingKeys are the ledger entries a catch-up message sums up, recorded as told to its
	// chat once it is delivered.
	FindingKeys []string `json:"finding_keys,omitempty"`
	// Edit, when set, edits this earlier message instead of sending a new one.
	Edit *SentRef `json:"edit,omitempty"`
	// Late marks a digest or report sent after downtime.
	Late bool `json:"late,omitempty"`
}

// SentRef identifies a delivered message so it can be edited later.
type SentRef struct {
	ChatID    int64 `json:"chat_id"`
	MessageID int   `json:"message_id"`
}

// Notifier delivers messages. It returns the reference of the delivered message or an error;
// RetryAfterError and ErrUnreachable tell the outbox how to proceed.
type Notifier interface {
	Send(ctx context.Context, m Message) (SentRef, error)
}

// ErrUnreachable means the recipient can never get the message (the bot was blocked, the chat
// is gone). The outbox parks the message and reports it instead of retrying.
var ErrUnreachable = errors.New("notify: recipient unreachable")

// ErrOffline means the channel itself is not connected (the Bot API is down or refuses the
// token): nothing can be sent now, to anyone. The outbox stops the round and keeps every
// message as it is, without counting an attempt.
var ErrOffline = errors.New("notify: channel not connected")

// RetryAfterError asks the caller to retry no earlier than After (Telegram 429 retry_after).
type RetryAfterError struct {
	After time.Duration
	Err   error
}

// Error implements error.
func (e *RetryAfterError) Error() string {
	return fmt.Sprintf("retry after %s: %v", e.After, e.Err)
}

// Unwrap returns the underlying error.
func (e *RetryAfterError) Unwrap() error { return e.Err }
