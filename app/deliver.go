package app

import (
	"context"
	"errors"
	"fmt"
	"html"
	"log/slog"
	"time"

	"salesguard/checks"
	"salesguard/notify"
	"salesguard/storage"
)

// outbox is what delivery needs from storage (implemented by *storage.DB).
type outbox interface {
	Due(now time.Time, limit int) ([]storage.OutboxItem, error)
	MarkSent(id uint64, ref notify.SentRef, at time.Time) error
	MarkFailed(id uint64, reason string, retryAt time.Time) error
	Park(id uint64, reason string, at time.Time) error
	Depth() (int, error)
}

// retryDelay is the backoff after the n-th failed attempt: 5 s doubling up to 10 minutes.
func retryDelay(attempts int) time.Duration {
	d := 5 * time.Second
	for i := 1; i < attempts && d < 10*time.Minute; i++ {
		d *= 2
	}
	return min(d, 10*time.Minute)
}

// deliveryResult reports one delivery round.
type deliveryResult struct {
	Sent        []storage.OutboxItem // delivered, with Ref set
	Unreachable []storage.OutboxItem // parked: the recipient can never get them
	Failed      int
	RetryAfter  time.Duration // the channel asked to wait (Telegram 429): the round stopped
}

// deliver sends every due outbox message, oldest first and in order per chat, until nothing is
// due, the channel asks to wait, or ctx ends. Nothing is lost: a failure leaves the message in
// the outbox with a later retry time; an unreachable recipient parks it.
//
// Exactly once, up to one message per crash: every message was written to the outbox in the
// same transaction as the ledger change that caused it (storage.Reconcile), and each one is
// marked sent in its own transaction right after its send returns, before the next send. A
// crash can only fall between one send and its mark, so a restart re-sends at most that one
// message; it can never skip one, since nothing is marked before it was sent.
func deliver(ctx context.Context, ob outbox, n notify.Notifier, now func() time.Time, log *slog.Logger) (deliveryResult, error) {
	var res deliveryResult
	blocked := map[int64]bool{} // chats that failed this round: later messages to them wait
	for round := 0; round < 1000; round++ {
		items, err := ob.Due(now(), 100)
		if err != nil {
			return res, err
		}
		progress := false
		for _, it := range items {
			if ctx.Err() != nil {
				return res, ctx.Err()
			}
			if blocked[it.Message.ChatID] {
				continue
			}
			progress = true
			ref, err := n.Send(ctx, it.Message)
			var ra *notify.RetryAfterError
			switch {
			case err == nil:
				if err := ob.MarkSent(it.ID, ref, now()); err != nil {
					return res, err
				}
				it.Ref = &ref
				res.Sent = append(res.Sent, it)
			case errors.Is(err, errNotEntitled):
				if err := ob.Park(it.ID, err.Error(), now()); err != nil {
					return res, err
				}
				log.Info("message dropped: its recipient no longer receives it", "chat_id", it.Message.ChatID,
					"kind", it.Message.Kind, "outbox_id", it.ID, "reason", err)
			case errors.Is(err, notify.ErrOffline):
				// Nothing can go out now: the messages stay as they are (no attempt counted,
				// nothing written) until the channel is back, at the next round.
				log.Debug("delivery waits for the channel", "pending_from", it.ID, "err", err)
				return res, nil
			case errors.As(err, &ra):
				wait := max(ra.After, time.Second)
				if err := ob.MarkFailed(it.ID, err.Error(), now().Add(wait)); err != nil {
					return res, err
				}
				res.Failed++
				res.RetryAfter = wait
				log.Warn("delivery throttled", "chat_id", it.Message.ChatID, "retry_after", wait)
				return res, nil
			case errors.Is(err, notify.ErrUnreachable):
				if err := ob.Park(it.ID, err.Error(), now()); err != nil {
					return res, err
				}
				res.Unreachable = append(res.Unreachable, it)
				blocked[it.Message.ChatID] = true
				log.Warn("recipient unreachable, message parked", "chat_id", it.Message.ChatID, "outbox_id", it.ID)
			default:
				if err := ob.MarkFailed(it.ID, err.Error(), now().Add(retryDelay(it.Attempts+1))); err != nil {
					return res, err
				}
				res.Failed++
				blocked[it.Message.ChatID] = true
				log.Warn("delivery failed, will retry", "chat_id", it.Message.ChatID, "outbox_id", it.ID,
					"attempt", it.Attempts+1, "err", err)
			}
		}
		if !progress {
			return res, nil
		}
	}
	return res, nil
}

// Deliver sends what is due in the outbox, records the delivered alerts in the ledger (to edit
// them when they are fixed), and handles recipients who blocked the bot: they are marked
// unreachable and the heads are told once.
func (a *App) Deliver(ctx context.Context) error {
	res, err := deliver(ctx, a.store, &entitledNotifier{app: a, next: a.opt.Notifier}, a.clock.Now, a.log)
	for _, it := range res.Sent {
		m := it.Message
		if a.opt.Metrics != nil {
			a.opt.Metrics.AlertsSent.WithLabelValues(string(m.Kind)).Inc()
		}
		if m.Kind == notify.KindCatchUp && len(m.FindingKeys) > 0 {
			a.recordTold(m)
		}
		if m.Kind == notify.KindAlert && m.FindingKey != "" && it.Ref != nil {
			k, err := checks.ParseKey(m.FindingKey)
			if err == nil {
				err = a.store.SetAlertRef(m.Account, k, *it.Ref)
			}
			if err != nil && !errors.Is(err, storage.ErrNotFound) {
				a.log.Warn("record alert message", "key", m.FindingKey, "err", err)
			}
		}
	}
	for _, it := range res.Unreachable {
		if err := a.markUnreachable(it.Message); err != nil {
			a.log.Warn("mark unreachable", "chat_id", it.Message.ChatID, "err", err)
		}
	}
	if a.opt.Metrics != nil {
		if n, err := a.store.Depth(); err == nil {
			a.opt.Metrics.OutboxDepth.Set(float64(n))
		}
	}
	return err
}

// markUnreachable records that a person blocked the bot and tells the account's heads, once:
// a person already marked is not reported again.
func (a *App) markUnreachable(m notify.Message) error {
	p, ok, err := a.store.PersonIn(m.Account, m.ChatID)
	if err != nil || !ok || p.Unreachable {
		return err
	}
	p.Unreachable = true
	if err := a.store.PutPerson(p); err != nil {
		return err
	}
	people, err := a.store.People(m.Account)
	if err != nil {
		return err
	}
	name := p.Name
	if name == "" {
		name = fmt.Sprintf("#%d", p.TelegramID)
	}
	for _, h := range people {
		if h.Role == storage.RoleHead && !h.Unreachable && h.TelegramID != p.TelegramID {
			text := a.opt.Catalog.Printer(a.lang(h.Lang)).T("health.undeliverable", html.EscapeString(name))
			msg := notify.Message{Account: m.Account, ChatID: h.TelegramID, Kind: notify.KindNotice, Text: text}
			if _, err := a.store.Enqueue(msg, a.clock.Now()); err != nil {
				return err
			}
		}
	}
	return nil
}

// recordTold records in the ledger that a delivered catch-up message told its chat of the
// entries it summed up (LedgerEntry.Told). A failure is logged: the message went out, and the
// record only says so.
func (a *App) recordTold(m notify.Message) {
	keys := make([]checks.Key, 0, len(m.FindingKeys))
	for _, s := range m.FindingKeys {
		if k, err := checks.ParseKey(s); err == nil {
			keys = append(keys, k)
		}
	}
	if err := a.store.SetTold(m.Account, keys, m.ChatID); err != nil {
		a.log.Warn("record catch-up", "chat_id", m.ChatID, "err", err)
	}
}
