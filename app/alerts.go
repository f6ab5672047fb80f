package app

import (
	"fmt"
	"math"
	"slices"
	"time"

	"salesguard/amo"
	"salesguard/bot"
	"salesguard/checks"
	"salesguard/notify"
	"salesguard/storage"
)

// Renderer turns findings, digests and plans into messages (implemented by *bot.Renderer).
type Renderer interface {
	Alert(f checks.Finding, snap *amo.Snapshot, lang string) notify.Message
	// Reminder renders an escalation again, for heads who have not acknowledged it.
	Reminder(f checks.Finding, snap *amo.Snapshot, lang string) notify.Message
	Fixed(f checks.Finding, snap *amo.Snapshot, lang string, alert notify.SentRef) notify.Message
	Nudge(fs []checks.Finding, snap *amo.Snapshot, end time.Time, lang string) notify.Message
	DataHealth(fs []checks.Finding, snap *amo.Snapshot, lang string) notify.Message
	Digest(d checks.Digest, snap *amo.Snapshot, lang string) notify.Message
	LateDigest(d checks.Digest, snap *amo.Snapshot, at time.Time, lang string) notify.Message
	Weekly(d checks.Digest, from, to checks.Date, others []checks.OtherText, rv bot.WeeklyReview, snap *amo.Snapshot, lang string) notify.Message
	ReviewCalls(week checks.Date, m amo.UserID, calls []checks.ReviewCall, vs []bot.CallVerdict, snap *amo.Snapshot, names func(amo.LeadID) string, lang string) notify.Message
	Plan(mp checks.ManagerPlan, snap *amo.Snapshot, day checks.Date, lang string) notify.Message
	CatchUp(fs []checks.Finding, snap *amo.Snapshot, head bool, lang string) notify.Message
}

// jobLedgerSeeded marks that an account's ledger has been filled once. On the very first
// evaluation of a new account the findings already in the CRM are recorded without alerting (a
// new install must not flood people with last month's violations), except R1 and data health,
// which are about now.
const jobLedgerSeeded = "ledger-seeded"

// reconcileBatch is how many findings of changed scopes are reconciled in one transaction.
const reconcileBatch = 4000

// reconciler collects the changed scopes of one evaluation and reconciles them with the ledger
// in batches, each with the messages it queues, in one transaction.
type reconciler struct {
	app      *App
	acc      *accountState
	settings checks.Settings
	now      time.Time
	seeded   bool
	dir      *directory
	cal      *checks.Calendar
	snap     *amo.Snapshot

	batch    []checks.ScopeResult
	findings int
	spent    time.Duration
	opened   int
	closed   int
	err      error
}

func (a *App) newReconciler(acc *accountState, s checks.Settings, now time.Time) *reconciler {
	return &reconciler{app: a, acc: acc, settings: s, now: now}
}

// add queues a changed scope, reconciling when the batch is full. The scope's findings are
// copied: the engine reuses them.
func (r *reconciler) add(s checks.ScopeResult) error {
	s.Findings = slices.Clone(s.Findings)
	r.batch = append(r.batch, s)
	r.findings += len(s.Findings) + 1
	if r.findings >= reconcileBatch {
		return r.flush()
	}
	return nil
}

// prepareOnce reads what the messages need, on the first batch: who gets what, the calendar,
// whether the ledger was seeded.
func (r *reconciler) prepareOnce() error {
	if r.dir != nil {
		return nil
	}
	seeded, err := r.app.store.LastRun(r.acc.Key, jobLedgerSeeded)
	if err != nil {
		return fmt.Errorf("ledger: %w", err)
	}
	r.seeded = !seeded.IsZero()
	if r.dir, err = r.app.directory(r.acc); err != nil {
		return err
	}
	if r.cal, err = checks.NewCalendar(r.settings.Calendar, r.acc.ws.Dict().Account.TimeZone); err != nil {
		return fmt.Errorf("calendar: %w", err)
	}
	r.snap = r.acc.view(r.now)
	return nil
}

// flush reconciles the batch.
func (r *reconciler) flush() error {
	if len(r.batch) == 0 {
		return nil
	}
	if err := r.prepareOnce(); err != nil {
		return err
	}
	started := r.app.clock.Now()
	d, err := r.app.store.Reconcile(r.acc.Key, r.now, r.batch, r.settings.Enabled, r.messages)
	r.spent += r.app.clock.Since(started)
	r.batch, r.findings = r.batch[:0], 0
	if err != nil {
		return fmt.Errorf("ledger: %w", err)
	}
	if len(d.Opened)+len(d.Closed) > 0 {
		r.app.releaseMemory(r.acc) // a first evaluation writes the ledger in many batches
	}
	r.opened += len(d.Opened)
	r.closed += len(d.Closed)
	for _, f := range d.Opened {
		r.acc.openByRule[f.Rule]++
	}
	for _, e := range d.Closed {
		r.acc.openByRule[e.Finding.Rule]--
	}
	return nil
}

// finish records that the ledger has been seeded, after the first evaluation.
func (r *reconciler) finish() error {
	if r.dir == nil || r.seeded {
		return nil
	}
	if err := r.app.store.SetLastRun(r.acc.Key, jobLedgerSeeded, r.now); err != nil {
		return fmt.Errorf("ledger: %w", err)
	}
	return nil
}

// messages builds what a ledger delta sends: an alert for each finding that opened (to whom
// its level says), one data-health summary to the admins, and the "fixed" edit of every
// delivered alert whose finding closed. It runs inside the ledger's transaction and does no
// I/O.
func (r *reconciler) messages(d storage.LedgerDelta) []storage.Queued {
	q := &queue{app: r.app, acc: r.acc, dir: r.dir, cal: r.cal, sched: r.settings.Schedule, ladder: r.settings.Escalation, now: r.now, snap: r.snap}
	var health []checks.Finding
	for _, f := range d.Opened {
		if !r.seeded && f.Rule != checks.R1 && f.Rule != checks.RuleDataHealth {
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
	if len(health) > 0 {
		for _, rc := range r.dir.admins {
			q.add(r.app.opt.Renderer.DataHealth(health, r.snap, rc.Lang), rc.Chat, r.now)
		}
	}
	for _, e := range d.Closed {
		for _, ref := range e.Alerts {
			m := r.app.opt.Renderer.Fixed(e.Finding, r.snap, r.dir.langOf(ref.ChatID, r.app.opt.Lang), ref)
			m.Edit = &ref
			q.add(m, ref.ChatID, r.now)
		}
	}
	return q.out
}

// queue collects messages for one account.
type queue struct {
	app   *App
	acc   *accountState
	dir   *directory
	cal   *checks.Calendar
	sched checks.ScheduleSettings
	// ladder is the escalation ladder: the director chat and the reminders of escalations.
	ladder checks.EscalationSettings
	now    time.Time
	snap   *amo.Snapshot
	out    []storage.Queued
}

func (q *queue) add(m notify.Message, chat int64, at time.Time) {
	m.ChatID, m.Account = chat, q.acc.Key
	q.out = append(q.out, storage.Queued{Message: m, At: at})
}

// alert queues a finding for whoever it is for: a warning to the responsible manager (not on
// their day off), an escalation to the heads. Outside working hours it waits for the next
// working moment — late rather than never — except escalations the head asked for.
func (q *queue) alert(f checks.Finding) {
	q.send(f, false)
}

// send queues a finding's alert, or its reminder (an escalation nobody acknowledged yet), to
// whoever it is for. An escalation to the heads asks for its next reminder every
// ladder.RemindEvery of working time; the director step goes to the director chat, once.
func (q *queue) send(f checks.Finding, reminder bool) {
	var to []recipient
	switch {
	case f.Level == checks.LevelWarning:
		if q.cal.IsAbsent(f.ManagerID, checks.DateOf(q.now.In(q.cal.Location()))) {
			return
		}
		to = q.dir.managers[f.ManagerID]
	case f.Level == checks.LevelEscalation && f.Kind == checks.KindDirector:
		if q.ladder.DirectorChat == 0 {
			return // switched off since the finding opened
		}
		to = []recipient{q.dir.director(q.ladder.DirectorChat, q.app.opt.Lang)}
	case f.Level == checks.LevelEscalation:
		to = q.dir.heads
	default:
		return
	}
	at := q.now
	if !(f.Level == checks.LevelEscalation && q.sched.EscalationsOffHours) {
		at = q.cal.NextWorking(q.now)
	}
	var remind time.Time
	if f.Level == checks.LevelEscalation && f.Kind != checks.KindDirector && q.ladder.RemindEvery > 0 {
		remind = q.cal.AddWorking(at, q.ladder.RemindEvery.D())
	}
	for _, rc := range to {
		var m notify.Message
		if reminder {
			m = q.app.opt.Renderer.Reminder(f, q.snap, rc.Lang)
		} else {
			m = q.app.opt.Renderer.Alert(f, q.snap, rc.Lang)
		}
		m.FindingKey = f.Key().String()
		q.add(m, rc.Chat, at)
		q.out[len(q.out)-1].Remind = remind
	}
}

// reminders re-alerts the open findings whose snooze ended, from the ledger's time-ordered
// index (read only when none is due).
func (a *App) reminders(acc *accountState, s checks.Settings, now time.Time) error {
	due, err := a.store.DueReminders(acc.Key, now)
	if err != nil || len(due) == 0 {
		return err
	}
	acc.mu.RLock()
	dir, err := a.directory(acc)
	if err != nil {
		acc.mu.RUnlock()
		return err
	}
	cal, err := checks.NewCalendar(s.Calendar, acc.ws.Dict().Account.TimeZone)
	snap := acc.view(now)
	if err != nil {
		acc.mu.RUnlock()
		return fmt.Errorf("calendar: %w", err)
	}
	q := &queue{app: a, acc: acc, dir: dir, cal: cal, sched: s.Schedule, ladder: s.Escalation, now: now, snap: snap}
	for _, e := range due {
		f := e.Finding
		if f.Level != checks.LevelEscalation {
			q.alert(f) // a snooze that ended
			continue
		}
		if e.AckedBy != 0 || s.Escalation.RemindEvery == 0 {
			continue // someone took it in hand (or reminders were switched off): no more
		}
		if f.Unit == checks.UnitMinutes { // "waiting 75 min" now, not the 31 of the first alert
			f.Value += math.Round(cal.WorkingDuration(e.OpenedAt, now).Minutes())
		}
		q.send(f, true)
	}
	acc.mu.RUnlock()
	if err := a.store.FireReminders(acc.Key, due, q.out); err != nil {
		return fmt.Errorf("ledger reminders: %w", err)
	}
	return nil
}
