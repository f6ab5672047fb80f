package bot

import (
	"slices"

	"salesguard/checks"
)

// fakeReviews is the fake store's call review: the stored samples by week and the verdicts.
type fakeReviews struct {
	samples  map[checks.Date][]checks.ReviewCall
	verdicts []CallVerdict
}

func (s *fakeStore) ReviewSample(week checks.Date) ([]checks.ReviewCall, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	calls, ok := s.reviews.samples[week]
	return slices.Clone(calls), ok, nil
}

func (s *fakeStore) PutCallVerdict(v CallVerdict) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := slices.IndexFunc(s.reviews.verdicts, func(x CallVerdict) bool { return x.Day == v.Day && x.NoteID == v.NoteID })
	if i >= 0 {
		s.reviews.verdicts[i] = v
	} else {
		s.reviews.verdicts = append(s.reviews.verdicts, v)
	}
	return nil
}

func (s *fakeStore) CallVerdicts(from, to checks.Date) ([]CallVerdict, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []CallVerdict
	for _, v := range s.reviews.verdicts {
		if !v.Day.Before(from) && !to.Before(v.Day) {
			out = append(out, v)
		}
	}
	return out, nil
}

// putSample stores a week's sample, as the weekly job does.
func (s *fakeStore) putSample(week checks.Date, calls []checks.ReviewCall) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.reviews.samples == nil {
		s.reviews.samples = map[checks.Date][]checks.ReviewCall{}
	}
	s.reviews.samples[week] = calls
}
