package app

import (
	"salesguard/bot"
	"salesguard/checks"
	"salesguard/storage"
)

var _ bot.ReviewStore = (*BotStore)(nil)

// ReviewSample returns the call review sample the weekly report sent for a week (R7).
func (s *BotStore) ReviewSample(week checks.Date) ([]checks.ReviewCall, bool, error) {
	return s.db.ReviewSample(s.account, week)
}

// PutCallVerdict stores a head's verdict on a sampled call.
func (s *BotStore) PutCallVerdict(v bot.CallVerdict) error {
	return s.db.PutCallVerdict(storage.CallVerdict{Account: s.account, Week: v.Week, Day: v.Day, NoteID: v.NoteID,
		DealID: v.DealID, Manager: v.Manager, OK: v.OK, By: v.By, ByName: v.ByName, At: v.At})
}

// CallVerdicts returns the verdicts on the calls made on the days from..to.
func (s *BotStore) CallVerdicts(from, to checks.Date) ([]bot.CallVerdict, error) {
	vs, err := s.db.CallVerdicts(s.account, from, to)
	if err != nil {
		return nil, err
	}
	return botCallVerdicts(vs), nil
}

// botCallVerdicts converts stored call verdicts to the bot's.
func botCallVerdicts(vs []storage.CallVerdict) []bot.CallVerdict {
	out := make([]bot.CallVerdict, 0, len(vs))
	for _, v := range vs {
		out = append(out, bot.CallVerdict{Week: v.Week, Day: v.Day, NoteID: v.NoteID, DealID: v.DealID,
			Manager: v.Manager, OK: v.OK, By: v.By, ByName: v.ByName, At: v.At})
	}
	return out
}
