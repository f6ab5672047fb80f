package app

import (
	"time"

	"salesguard/amo"
	"salesguard/checks"
)

// Source is the live view of the accounts for the bot's commands. Every answer is computed
// from the working set at the moment it is asked (under the account's read lock, so a cycle
// never changes it underneath), and findings about alerts come from the ledger.
type Source struct{ a *App }

// Source returns the view the bot reads.
func (a *App) Source() *Source { return &Source{a: a} }

func (s *Source) account(key string) *accountState {
	for _, acc := range s.a.accounts {
		if acc.Key == key {
			return acc
		}
	}
	return nil
}

// with runs f on an account's working set at now, with the settings in use, under the read
// lock; errNotReady before the first full sync.
func (s *Source) with(key string, f func(acc *accountState, in *checks.Input) error) error {
	acc := s.account(key)
	if acc == nil {
		return errNotReady
	}
	acc.mu.RLock()
	defer acc.mu.RUnlock()
	if acc.ws == nil || !acc.state.FullDone {
		return errNotReady
	}
	settings := acc.settings
	if acc.input == nil {
		settings = checks.DefaultSettings()
		if st, err := s.a.settings(key); err == nil {
			settings = st
		}
	}
	in, err := checks.NewInput(acc.ws, settings, s.a.clock.Now())
	if err != nil {
		return err
	}
	return f(acc, in)
}

// Findings evaluates the given rules (every enabled rule when none is given) now.
func (s *Source) Findings(account string, rules ...checks.RuleID) []checks.Finding {
	var out []checks.Finding
	_ = s.with(account, func(_ *accountState, in *checks.Input) error {
		if len(rules) == 0 {
			out = checks.EvaluateEnabled(in)
			return nil
		}
		var on []checks.RuleID
		for _, r := range rules {
			if in.Settings.Enabled(r) {
				on = append(on, r)
			}
		}
		if len(on) > 0 {
			out = checks.Evaluate(in, on...)
		}
		return nil
	})
	return out
}

// OpenFinding returns the finding of an open ledger entry, as it was alerted.
func (s *Source) OpenFinding(account string, key checks.Key) (checks.Finding, bool) {
	e, ok, err := s.a.store.Entry(account, key)
	if err != nil || !ok {
		return checks.Finding{}, false
	}
	return e.Finding, true
}

// Snapshot returns the account's dictionaries (users, pipelines, reasons, fields) and links, as
// a snapshot without entities; nil before the first sync. Callers must not modify it.
func (s *Source) Snapshot(account string) *amo.Snapshot {
	acc := s.account(account)
	if acc == nil {
		return nil
	}
	acc.mu.RLock()
	defer acc.mu.RUnlock()
	return acc.view(s.a.clock.Now())
}

// DealName returns a deal's name, "" when the account holds no such deal.
func (s *Source) DealName(account string, id amo.LeadID) string {
	acc := s.account(account)
	if acc == nil {
		return ""
	}
	acc.mu.RLock()
	defer acc.mu.RUnlock()
	if acc.ws == nil {
		return ""
	}
	if d := acc.ws.DealByID(id); d != nil {
		return acc.ws.DealName(d)
	}
	return ""
}

// Settings returns the settings the last cycle used.
func (s *Source) Settings(account string) checks.Settings {
	acc := s.account(account)
	if acc == nil {
		return checks.DefaultSettings()
	}
	acc.mu.RLock()
	defer acc.mu.RUnlock()
	if acc.input == nil {
		if st, err := s.a.settings(account); err == nil {
			return st
		}
		return checks.DefaultSettings()
	}
	return acc.settings
}

// Digest builds today's digest from a fresh evaluation and the stored history.
func (s *Source) Digest(account string) (checks.Digest, error) {
	var d checks.Digest
	err := s.with(account, func(acc *accountState, in *checks.Input) error {
		day := checks.DateOf(in.Now.In(in.Cal.Location()))
		store := s.a.store
		yesterday, err := store.Table(account, day.AddDays(-1), day.AddDays(-1))
		if err != nil {
			return err
		}
		week, err := store.Table(account, day.AddDays(-7), day.AddDays(-1))
		if err != nil {
			return err
		}
		fs := checks.EvaluateEnabled(in)
		d = checks.BuildDigest(day, checks.Table(fs, day), yesterday, week, fs, acc.ws)
		d.AddResponses(checks.ResponseStats(in, day))
		return nil
	})
	return d, err
}

// Plans returns today's morning plans.
func (s *Source) Plans(account string) ([]checks.ManagerPlan, error) {
	var out []checks.ManagerPlan
	err := s.with(account, func(_ *accountState, in *checks.Input) error {
		out = checks.Plan(in, checks.DateOf(in.Now.In(in.Cal.Location())))
		return nil
	})
	return out, err
}

// ReviewSample returns this week's calls to review (R7), the same all week.
func (s *Source) ReviewSample(account string) map[amo.UserID][]checks.ReviewCall {
	var out map[amo.UserID][]checks.ReviewCall
	_ = s.with(account, func(_ *accountState, in *checks.Input) error {
		today := checks.DateOf(in.Now.In(in.Cal.Location()))
		monday := today.AddDays(-((int(today.Weekday()) + 6) % 7))
		out = checks.ReviewSample(in, monday, reviewSeed(account))
		return nil
	})
	return out
}

// AuditSample returns the R13 audit sample of a day, with the account's N per manager; the
// same deals whenever it is asked (checks.AuditSample is reproducible).
func (s *Source) AuditSample(account string, day checks.Date) (map[amo.UserID][]amo.LeadID, error) {
	var out map[amo.UserID][]amo.LeadID
	err := s.with(account, func(_ *accountState, in *checks.Input) error {
		out = checks.AuditSample(in, day, in.Settings.R13.PerManager)
		return nil
	})
	return out, err
}

// Funnel returns the stage statistics of the watched pipelines for [from, to).
func (s *Source) Funnel(account string, from, to time.Time) (checks.FunnelStats, error) {
	var out checks.FunnelStats
	err := s.with(account, func(_ *accountState, in *checks.Input) error {
		out = checks.Funnel(in, from, to)
		return nil
	})
	return out, err
}

// Pending returns the new leads nobody has taken yet, with the time left (R1).
func (s *Source) Pending(account string) []checks.PendingLead {
	var out []checks.PendingLead
	err := s.with(account, func(_ *accountState, in *checks.Input) error {
		out = checks.PendingResponses(in)
		return nil
	})
	if err == nil && out == nil {
		out = []checks.PendingLead{}
	}
	return out
}
