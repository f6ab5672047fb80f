package app

import (
	"fmt"
	"time"

	"salesguard/amo"
	"salesguard/checks"
	"salesguard/notify"
)

// Renderer turns findings, digests and plans into messages (implemented by *bot.Renderer).
type Renderer interface {
	Alert(f checks.Finding, snap *amo.Snapshot, lang string) notify.Message
	Fixed(f checks.Finding, snap *amo.Snapshot, lang string, alert notify.SentRef) notify.Message
	Nudge(fs []checks.Finding, snap *amo.Snapshot, end time.Time, lang string) notify.Message
	DataHealth(fs []checks.Finding, snap *amo.Snapshot, lang string) notify.Message
	Digest(d checks.Digest, snap *amo.Snapshot, lang string) notify.Message
	LateDigest(d checks.Digest, snap *amo.Snapshot, at time.Time, lang string) notify.Message
	Weekly(d checks.Digest, from, to checks.Date, others []checks.OtherText, snap *amo.Snapshot, lang string) notify.Message
	Plan(mp checks.ManagerPlan, snap *amo.Snapshot, day checks.Date, lang string) notify.Message
}

// jobLedgerSeeded marks that an account's ledger has been filled once. On the very first cycle
// of a new account the findings already in the CRM are recorded without alerting (a new install
// must not flood people with last month's violations), except R1 and data health, which are
// about now.
const jobLedgerSeeded = "ledger-seeded"

// reconcile records the findings in the ledger and queues the alerts for the new ones, the
// reminders whose snooze ended, and the "fixed" edits of cleared alerts.
func (a *App) reconcile(acc *accountState, s checks.Settings, fs []checks.Finding, now time.Time) error {
	var evaluated []checks.RuleID
	for _, r := range append(append([]checks.RuleID{}, checks.AllRuleIDs...), checks.RuleDataHealth) {
		if s.Enabled(r) {
			evaluated = append(evaluated, r)
		}
	}
	opened, closed, err := a.store.Reconcile(acc.Key, now, fs, evaluated)
	if err != nil {
		return fmt.Errorf("ledger: %w", err)
	}
	seeded, err := a.store.LastRun(acc.Key, jobLedgerSeeded)
	if err != nil {
		return fmt.Errorf("ledger: %w", err)
	}
	if seeded.IsZero() {
		if err := a.store.SetLastRun(acc.Key, jobLedgerSeeded, now); err != nil {
			return fmt.Errorf("ledger: %w", err)
		}
	}
	reminders, err := a.store.DueReminders(acc.Key, now)
	if err != nil {
		return fmt.Errorf("ledger reminders: %w", err)
	}
	dir, err := a.directory(acc)
	if err != nil {
		return err
	}
	cal, err := checks.NewCalendar(s.Calendar, acc.snap.Account.TimeZone)
	if err != nil {
		return fmt.Errorf("calendar: %w", err)
	}
	q := &queue{app: a, acc: acc, dir: dir, cal: cal, sched: s.Schedule, now: now}
	var health []checks.Finding
	for _, f := range opened {
		if seeded.IsZero() && f.Rule != checks.R1 && f.Rule != checks.RuleDataHealth {
			continue
		}
		if f.Level == checks.LevelDataHealth {
			health = append(health, f)
			continue
		}
		if alertRules[f.Rule] {
			q.alert(f)
		}
	}
	for _, e := range reminders {
		q.alert(e.Finding)
	}
	if len(health) > 0 {
		for _, r := range dir.admins {
			q.add(a.opt.Renderer.DataHealth(health, acc.snap, r.Lang), r.Chat, now)
		}
	}
	for _, e := range closed {
		if e.Alert != nil {
			m := a.opt.Renderer.Fixed(e.Finding, acc.snap, dir.langOf(e.Alert.ChatID, a.opt.Lang), *e.Alert)
			m.Edit = e.Alert
			q.add(m, e.Alert.ChatID, now)
		}
	}
	return q.err
}

// queue enqueues messages for one account, remembering the first error.
type queue struct {
	app   *App
	acc   *accountState
	dir   *directory
	cal   *checks.Calendar
	sched checks.ScheduleSettings
	now   time.Time
	err   error
}

func (q *queue) add(m notify.Message, chat int64, at time.Time) {
	if q.err != nil {
		return
	}
	m.ChatID, m.Account = chat, q.acc.Key
	if _, err := q.app.store.Enqueue(m, at); err != nil {
		q.err = fmt.Errorf("enqueue %s: %w", m.Kind, err)
	}
}

// alert queues a finding for whoever it is for: a warning to the responsible manager (not on
// their day off), an escalation to the heads. Outside working hours it waits for the next
// working moment — late rather than never — except escalations the head asked for.
func (q *queue) alert(f checks.Finding) {
	var to []recipient
	switch f.Level {
	case checks.LevelWarning:
		if q.cal.IsAbsent(f.ManagerID, checks.DateOf(q.now.In(q.cal.Location()))) {
			return
		}
		to = q.dir.managers[f.ManagerID]
	case checks.LevelEscalation:
		to = q.dir.heads
	default:
		return
	}
	at := q.now
	if !(f.Level == checks.LevelEscalation && q.sched.EscalationsOffHours) {
		at = q.cal.NextWorking(q.now)
	}
	for _, r := range to {
		m := q.app.opt.Renderer.Alert(f, q.acc.snap, r.Lang)
		m.FindingKey = f.Key()
		q.add(m, r.Chat, at)
	}
}
