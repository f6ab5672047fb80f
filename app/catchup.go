package app

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"salesguard/checks"
	"salesguard/notify"
	"salesguard/storage"
)

// Alerts are addressed to people, not to the moment a finding opens: a person who starts
// receiving alerts (invited, mapped to an amoCRM user, made a head) gets one message with the
// problems already open for them, then every later change as usual.
//
// An audience is what a person receives alerts as: "manager:<amo user id>" or "head". The job
// key audienceJob(person, audience) remembers that the person was caught up in it. catchUp runs
// at the start of every evaluating cycle, before the ledger changes: so the open entries it
// summarises are exactly those opened before the person entered the directory, and every
// finding opened after that is alerted to them one by one.

// audienceJob is the job key remembering that a person was caught up as audience.
func audienceJob(tg int64, audience string) string {
	return "audience:" + strconv.FormatInt(tg, 10) + ":" + audience
}

// audienceOf names what p receives alerts as, or "" when nothing (admins, unmapped managers,
// people who blocked the bot).
func audienceOf(p storage.Person) string {
	switch {
	case p.Unreachable:
		return ""
	case p.Role == storage.RoleManager && p.AmoUserID != 0:
		return "manager:" + strconv.FormatInt(int64(p.AmoUserID), 10)
	case p.Role == storage.RoleHead:
		return "head"
	}
	return ""
}

// catchUp sends each person who entered an audience since the last cycle one message summing
// up their open problems. On an account whose ledger is not seeded yet (a new install) they are
// only marked: the first evaluation records what is already in the CRM without alerting anyone.
// The message is queued before the mark is saved, so a crash between the two repeats it once
// rather than losing it.
func (a *App) catchUp(acc *accountState, s checks.Settings, now time.Time) error {
	if a.opt.Console {
		return nil
	}
	people, err := a.store.People(acc.Key)
	if err != nil {
		return fmt.Errorf("people: %w", err)
	}
	marks, err := a.store.Jobs(acc.Key, "audience:")
	if err != nil {
		return fmt.Errorf("catch-up: %w", err)
	}
	type newcomer struct {
		p        storage.Person
		audience string
	}
	var todo []newcomer
	current := map[string]bool{}
	for _, p := range people {
		aud := audienceOf(p)
		if aud == "" {
			continue
		}
		key := audienceJob(p.TelegramID, aud)
		current[key] = true
		if marks[key].IsZero() {
			todo = append(todo, newcomer{p, aud})
		}
	}
	// A mark whose person left the audience (removed, unmapped, another role) is reset: if they
	// come back they are caught up again, since what was queued for them meanwhile was dropped.
	for key := range marks {
		if !current[key] {
			if err := a.store.SetLastRun(acc.Key, key, time.Time{}); err != nil {
				return fmt.Errorf("catch-up: %w", err)
			}
		}
	}
	if len(todo) == 0 {
		return nil
	}
	seeded, err := a.store.LastRun(acc.Key, jobLedgerSeeded)
	if err != nil {
		return fmt.Errorf("catch-up: %w", err)
	}
	var open []storage.LedgerEntry
	if !seeded.IsZero() {
		managers := map[int64]bool{}
		heads := false
		for _, n := range todo {
			if n.p.Role == storage.RoleHead {
				heads = true
			} else {
				managers[int64(n.p.AmoUserID)] = true
			}
		}
		open, err = a.store.OpenMatching(acc.Key, func(e *storage.LedgerEntry) bool {
			f := &e.Finding
			if !alertRules[f.Rule] {
				return false
			}
			switch f.Level {
			case checks.LevelWarning:
				return managers[int64(f.ManagerID)]
			case checks.LevelEscalation:
				return heads && e.AckedBy == 0
			}
			return false
		})
		if err != nil {
			return fmt.Errorf("catch-up: %w", err)
		}
	}
	acc.mu.RLock()
	snap := acc.view(now)
	tz := acc.ws.Dict().Account.TimeZone
	acc.mu.RUnlock()
	cal, err := checks.NewCalendar(s.Calendar, tz)
	if err != nil {
		return fmt.Errorf("calendar: %w", err)
	}
	for _, n := range todo {
		var fs []checks.Finding
		var keys []string
		for i := range open {
			f := &open[i].Finding
			if slices.ContainsFunc(open[i].Alerts, func(r notify.SentRef) bool { return r.ChatID == n.p.TelegramID }) {
				continue // delivered to them already (the same chat in another role)
			}
			if n.p.Role == storage.RoleHead && f.Level == checks.LevelEscalation ||
				n.p.Role == storage.RoleManager && f.Level == checks.LevelWarning && f.ManagerID == n.p.AmoUserID {
				fs = append(fs, *f)
				keys = append(keys, open[i].Key.String())
			}
		}
		if len(fs) > 0 {
			m := a.opt.Renderer.CatchUp(fs, snap, n.p.Role == storage.RoleHead, a.lang(n.p.Lang))
			m.ChatID, m.Account, m.FindingKeys = n.p.TelegramID, acc.Key, keys
			at := now
			if !(n.p.Role == storage.RoleHead && s.Schedule.EscalationsOffHours) {
				at = cal.NextWorking(now)
			}
			if _, err := a.store.Enqueue(m, at); err != nil {
				return fmt.Errorf("catch-up: %w", err)
			}
		}
		if err := a.store.SetLastRun(acc.Key, audienceJob(n.p.TelegramID, n.audience), now); err != nil {
			return fmt.Errorf("catch-up: %w", err)
		}
		acc.log.Info("caught up", "telegram_id", n.p.TelegramID, "audience", n.audience, "open", len(fs))
	}
	return nil
}

// errNotEntitled: the recipient of a queued message no longer receives it (removed, unmapped).
var errNotEntitled = errors.New("the recipient no longer receives these messages")

// entitled is the last check before a message leaves, against the message's account: a person
// removed from that account (whatever other accounts they belong to), or a manager unmapped
// from their amoCRM user there, gets nothing more, even what was queued for them. A bootstrap
// admin (Options.Admins) is an admin of every account, stored or not.
func (a *App) entitled(m notify.Message) error {
	switch {
	case a.opt.Console:
		return nil
	case m.ChatID < 0:
		return a.teamChat(m)
	}
	switch m.Kind {
	case notify.KindAlert, notify.KindReminder, notify.KindFixed, notify.KindNudge, notify.KindPlan, notify.KindCatchUp,
		notify.KindDigest, notify.KindWeekly:
	default:
		return nil // notices and data health go to admins, bootstrap ones included
	}
	p, ok, err := a.store.PersonIn(m.Account, m.ChatID)
	if err != nil {
		return fmt.Errorf("recipient %d: %w", m.ChatID, err)
	}
	switch {
	case !ok && slices.Contains(a.opt.Admins, m.ChatID):
		return nil
	case !ok:
		return fmt.Errorf("chat %d: removed from account %s: %w", m.ChatID, m.Account, errNotEntitled)
	case p.Role == storage.RoleManager && p.AmoUserID == 0:
		return fmt.Errorf("chat %d: no amoCRM user mapped: %w", m.ChatID, errNotEntitled)
	case p.Role == storage.RoleManager && m.Kind == notify.KindWeekly:
		// The weekly report and its call review are the heads': a head made a manager since it
		// was queued must not learn which of their calls are reviewed.
		return fmt.Errorf("chat %d: a manager gets no weekly report: %w", m.ChatID, errNotEntitled)
	}
	return nil
}

// teamChat lets a message to a group (a negative chat id) out only when the group is the team
// chat its account's settings name: a group is not a person, the settings choose it. What was
// queued for the console's pseudo-chats (a run without Telegram numbers its head, admin and
// managers below zero) or for a team chat since replaced goes nowhere once Telegram is set up.
func (a *App) teamChat(m notify.Message) error {
	s, err := a.settings(m.Account)
	if err != nil {
		return fmt.Errorf("chat %d: %w", m.ChatID, err)
	}
	if s.Schedule.DigestChat != m.ChatID {
		return fmt.Errorf("chat %d is not the team chat of account %s (queued for the console before Telegram was set up, or for a team chat since replaced): %w",
			m.ChatID, m.Account, errNotEntitled)
	}
	return nil
}

// entitledNotifier checks entitled before every send.
type entitledNotifier struct {
	app  *App
	next notify.Notifier
}

// Send implements notify.Notifier.
func (n *entitledNotifier) Send(ctx context.Context, m notify.Message) (notify.SentRef, error) {
	if err := n.app.entitled(m); err != nil {
		return notify.SentRef{}, err
	}
	return n.next.Send(ctx, m)
}
