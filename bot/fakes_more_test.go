package bot

import (
	"encoding/json"
	"time"

	"salesguard/amo"
	"salesguard/checks"
)

// The fakes' settings, audit, table, funnel methods (the Store and Source methods of the
// reports and settings).

func (s *fakeStore) LoadSettings() (checks.Settings, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.settings == nil {
		return checks.DefaultSettings(), nil
	}
	return *s.settings, nil
}

func (s *fakeStore) SaveSettings(st checks.Settings, who string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	// a JSON round trip, like storage, so a later edit of st's slices does not leak in
	data, err := json.Marshal(st)
	if err != nil {
		return err
	}
	var stored checks.Settings
	if err := json.Unmarshal(data, &stored); err != nil {
		return err
	}
	s.settings = &stored
	s.saves++
	s.history = append([]SettingsRevision{{At: fixtureNow, Who: who, Changes: []SettingsChange{{Path: "*", Old: "", New: string(data)}}}}, s.history...)
	return nil
}

func (s *fakeStore) SettingsHistory(limit int) ([]SettingsRevision, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.history[:min(limit, len(s.history))], nil
}

func (s *fakeStore) PutVerdict(v Verdict) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range s.verdicts {
		if s.verdicts[i].Day == v.Day && s.verdicts[i].DealID == v.DealID {
			s.verdicts[i] = v
			return nil
		}
	}
	s.verdicts = append(s.verdicts, v)
	return nil
}

func (s *fakeStore) Verdicts(from, to checks.Date) ([]Verdict, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Verdict
	for _, v := range s.verdicts {
		if !v.Day.Before(from) && !to.Before(v.Day) {
			out = append(out, v)
		}
	}
	return out, nil
}

func (s *fakeStore) Table(from, to checks.Date) ([]checks.TableRow, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []checks.TableRow
	for _, r := range s.table {
		if !r.Day.Before(from) && !to.Before(r.Day) {
			out = append(out, r)
		}
	}
	return out, nil
}

func (s *fakeSource) AuditSample(string, checks.Date) (map[amo.UserID][]amo.LeadID, error) {
	return s.audit, nil
}

func (s *fakeSource) Funnel(string, time.Time, time.Time) (checks.FunnelStats, error) {
	return s.funnel, nil
}
