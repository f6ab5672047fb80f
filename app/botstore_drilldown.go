package app

import (
	"salesguard/bot"
	"salesguard/checks"
)

var _ bot.TableFindingStore = (*BotStore)(nil)

// TableFindings returns, per stored day of from..to, the findings its table was counted from
// (storage.DB.TableFindings: the ledger at the digest's moment).
func (s *BotStore) TableFindings(from, to checks.Date, keep func(*checks.Finding) bool) (map[checks.Date][]checks.Finding, error) {
	return s.db.TableFindings(s.account, from, to, keep)
}
