package app

import "salesguard/bot"

var _ bot.Source = (*Source)(nil)

// Accounts returns the keys of the watched accounts, in configuration order: the accounts one
// bot serves (bot.Source). A membership of any other account (one removed from
// SALESGUARD_ACCOUNTS) is ignored by the bot.
func (s *Source) Accounts() []string {
	out := make([]string, 0, len(s.a.accounts))
	for _, acc := range s.a.accounts {
		out = append(out, acc.Key)
	}
	return out
}
