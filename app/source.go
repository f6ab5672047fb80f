package app

import (
	"errors"
	"fmt"
	"hash/fnv"
	"time"

	"salesguard/amo"
	"salesguard/checks"
)

// Source is the live view of the accounts for the bot's commands: the last snapshot, findings
// and settings of each account, as the last completed cycle left them.
type Source struct{ a *App }

// Source returns the view the bot reads.
func (a *App) Source() *Source { return &Source{a: a} }

// errNoData means the account has not been read yet.
var errNoData = errors.New("the account has not been read yet: try again after the first poll")

func (s *Source) account(key string) *accountState {
	for _, acc := range s.a.accounts {
		if acc.Key == key {
			return acc
		}
	}
	return nil
}

func (s *Source) read(key string) (*amo.Snapshot, []checks.Finding, checks.Settings) {
	acc := s.account(key)
	if acc == nil {
		return nil, nil, checks.DefaultSettings()
	}
	acc.viewMu.RLock()
	defer acc.viewMu.RUnlock()
	if acc.view == nil {
		return nil, nil, checks.DefaultSettings()
	}
	return acc.view, acc.findings, acc.settings
}

// Findings returns the findings of the last cycle.
func (s *Source) Findings(account string) []checks.Finding {
	_, fs, _ := s.read(account)
	return fs
}

// Snapshot returns the last snapshot (nil before the first sync). Callers must not modify it.
func (s *Source) Snapshot(account string) *amo.Snapshot {
	snap, _, _ := s.read(account)
	return snap
}

// Settings returns the settings the last cycle used.
func (s *Source) Settings(account string) checks.Settings {
	_, _, st := s.read(account)
	return st
}

// Digest builds today's digest from the last cycle's findings and the stored history.
func (s *Source) Digest(account string) (checks.Digest, error) {
	snap, fs, st := s.read(account)
	if snap == nil {
		return checks.Digest{}, errNoData
	}
	cal, err := checks.NewCalendar(st.Calendar, snap.Account.TimeZone)
	if err != nil {
		return checks.Digest{}, err
	}
	day := checks.DateOf(s.a.clock.Now().In(cal.Location()))
	store := s.a.store
	yesterday, err := store.Table(account, day.AddDays(-1), day.AddDays(-1))
	if err != nil {
		return checks.Digest{}, fmt.Errorf("digest history: %w", err)
	}
	week, err := store.Table(account, day.AddDays(-7), day.AddDays(-1))
	if err != nil {
		return checks.Digest{}, fmt.Errorf("digest history: %w", err)
	}
	d := checks.BuildDigest(day, checks.Table(fs, day), yesterday, week, fs, snap)
	if in, err := checks.NewInput(snap, st, s.a.clock.Now()); err == nil {
		d.AddResponses(checks.ResponseStats(in, day))
	}
	return d, nil
}

// Plans returns today's morning plans.
func (s *Source) Plans(account string) ([]checks.ManagerPlan, error) {
	snap, _, st := s.read(account)
	if snap == nil {
		return nil, errNoData
	}
	in, err := checks.NewInput(snap, st, s.a.clock.Now())
	if err != nil {
		return nil, err
	}
	return checks.Plan(in, checks.DateOf(in.Now.In(in.Cal.Location()))), nil
}

// ReviewSample returns this week's calls to review (R7), the same all week.
func (s *Source) ReviewSample(account string) map[amo.UserID][]checks.ReviewCall {
	snap, _, st := s.read(account)
	if snap == nil {
		return nil
	}
	in, err := checks.NewInput(snap, st, s.a.clock.Now())
	if err != nil {
		return nil
	}
	today := checks.DateOf(in.Now.In(in.Cal.Location()))
	monday := today.AddDays(-((int(today.Weekday()) + 6) % 7))
	h := fnv.New64a()
	h.Write([]byte(account))
	return checks.ReviewSample(in, monday, h.Sum64())
}

// AuditSample returns the R13 audit sample of a day, with the account's N per manager; the
// same deals whenever it is asked (checks.AuditSample is reproducible).
func (s *Source) AuditSample(account string, day checks.Date) (map[amo.UserID][]amo.LeadID, error) {
	snap, _, st := s.read(account)
	if snap == nil {
		return nil, errNoData
	}
	in, err := checks.NewInput(snap, st, s.a.clock.Now())
	if err != nil {
		return nil, err
	}
	return checks.AuditSample(in, day, st.R13.PerManager), nil
}

// Funnel returns the stage statistics of the watched pipelines for [from, to).
func (s *Source) Funnel(account string, from, to time.Time) (checks.FunnelStats, error) {
	snap, _, st := s.read(account)
	if snap == nil {
		return checks.FunnelStats{}, errNoData
	}
	in, err := checks.NewInput(snap, st, s.a.clock.Now())
	if err != nil {
		return checks.FunnelStats{}, err
	}
	return checks.Funnel(in, from, to), nil
}

// Pending returns the new leads nobody has taken yet, with the time left (R1).
func (s *Source) Pending(account string) []checks.PendingLead {
	snap, _, st := s.read(account)
	if snap == nil {
		return nil
	}
	in, err := checks.NewInput(snap, st, s.a.clock.Now())
	if err != nil {
		return nil
	}
	out := checks.PendingResponses(in)
	if out == nil {
		out = []checks.PendingLead{}
	}
	return out
}
