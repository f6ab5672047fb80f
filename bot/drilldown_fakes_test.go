package bot

import (
	"salesguard/checks"
)

// fakeFound holds the fake store's findings behind its stored table, by day: what the ledger
// held when each day was counted (storage.DB.TableFindings).
type fakeFound struct {
	days map[checks.Date][]checks.Finding
}

func (s *fakeStore) TableFindings(from, to checks.Date, keep func(*checks.Finding) bool) (map[checks.Date][]checks.Finding, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[checks.Date][]checks.Finding{}
	for day, fs := range s.found.days {
		if day.Before(from) || to.Before(day) {
			continue
		}
		for _, f := range fs {
			if keep == nil || keep(&f) {
				out[day] = append(out[day], f)
			}
		}
	}
	return out, nil
}

// storeDay stores a day as the digest job does: its table counted from fs, and fs as the
// findings the ledger held at that moment.
func (s *fakeStore) storeDay(day checks.Date, fs []checks.Finding) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.found.days == nil {
		s.found.days = map[checks.Date][]checks.Finding{}
	}
	s.found.days[day] = append(s.found.days[day], fs...)
	s.table = append(s.table, checks.Table(fs, day)...)
}
