package app

import (
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jonboulle/clockwork"

	"salesguard/bot"
	"salesguard/checks"
	"salesguard/storage"
)

// BotStore adapts the database to what the bot keeps: people and their memberships of every
// account, invites by code (bot.Store), and one account's data (bot.AccountStore; In gives
// another account's). The account it is made for is the home account: the one strangers are
// remembered in and whose data the store serves itself.
type BotStore struct {
	db      *storage.DB
	account string
	clock   clockwork.Clock
}

var (
	_ bot.Store        = (*BotStore)(nil)
	_ bot.AccountStore = (*BotStore)(nil)
)

// NewBotStore returns the bot's store, serving account's data itself.
func NewBotStore(db *storage.DB, account string, clock clockwork.Clock) *BotStore {
	return &BotStore{db: db, account: account, clock: clock}
}

// In returns the store of one account's data (settings, snoozes, verdicts, invites, …).
func (s *BotStore) In(account string) bot.AccountStore {
	return &BotStore{db: s.db, account: account, clock: s.clock}
}

func toBot(p storage.Person) bot.Person {
	return bot.Person{TelegramID: p.TelegramID, Name: p.Name, Role: bot.Role(p.Role), Account: p.Account,
		AmoUserID: p.AmoUserID, Team: p.Team, Lang: p.Lang, Unreachable: p.Unreachable}
}

func toBotInvite(inv storage.Invite) bot.Invite {
	return bot.Invite{Code: inv.Code, Account: inv.Account, Role: bot.Role(inv.Role), AmoUserID: inv.AmoUserID,
		CreatedBy: inv.CreatedBy, ExpiresAt: inv.ExpiresAt}
}

// Memberships returns a Telegram user's memberships of every account, by account key.
func (s *BotStore) Memberships(tgID int64) ([]bot.Person, error) {
	ps, err := s.db.Memberships(tgID)
	if err != nil {
		return nil, err
	}
	out := make([]bot.Person, 0, len(ps))
	for _, p := range ps {
		out = append(out, toBot(p))
	}
	return out, nil
}

// PutPerson creates or replaces a person's membership of p.Account (the home account when
// empty), keeping when they joined it.
func (s *BotStore) PutPerson(p bot.Person) error {
	account := p.Account
	if account == "" {
		account = s.account
	}
	old, ok, err := s.db.PersonIn(account, p.TelegramID)
	if err != nil {
		return err
	}
	added := s.clock.Now()
	if ok {
		added = old.AddedAt
	}
	return s.db.PutPerson(storage.Person{TelegramID: p.TelegramID, Account: account, AmoUserID: p.AmoUserID,
		Role: storage.Role(p.Role), Lang: p.Lang, Name: p.Name, Team: p.Team, Unreachable: p.Unreachable, AddedAt: added})
}

// People lists an account's people.
func (s *BotStore) People(account string) ([]bot.Person, error) {
	ps, err := s.db.People(account)
	if err != nil {
		return nil, err
	}
	out := make([]bot.Person, 0, len(ps))
	for _, p := range ps {
		out = append(out, toBot(p))
	}
	return out, nil
}

// CurrentAccount returns the account a person chose to work in ("" when none).
func (s *BotStore) CurrentAccount(tgID int64) (string, error) { return s.db.CurrentAccount(tgID) }

// SetCurrentAccount remembers the account a person works in.
func (s *BotStore) SetCurrentAccount(tgID int64, account string) error {
	return s.db.SetCurrentAccount(tgID, account)
}

// PutInvite stores an invite to this store's account.
func (s *BotStore) PutInvite(inv bot.Invite) error {
	return s.db.PutInvite(storage.Invite{Code: inv.Code, Account: s.account, Role: storage.Role(inv.Role),
		AmoUserID: inv.AmoUserID, CreatedBy: inv.CreatedBy, ExpiresAt: inv.ExpiresAt})
}

// TakeInvite uses an invite once, whatever its account (the invite names it); an unknown,
// used or expired code is not ok.
func (s *BotStore) TakeInvite(code string) (bot.Invite, bool, error) {
	inv, err := s.db.TakeInvite(code, s.clock.Now())
	switch {
	case errors.Is(err, storage.ErrNotFound), errors.Is(err, storage.ErrInviteExpired):
		return bot.Invite{}, false, nil
	case err != nil:
		return bot.Invite{}, false, err
	}
	return toBotInvite(inv), true, nil
}

// Invites lists this store's account's invites that can still be used.
func (s *BotStore) Invites() ([]bot.Invite, error) {
	invs, err := s.db.Invites(s.account, s.clock.Now())
	if err != nil {
		return nil, err
	}
	out := make([]bot.Invite, 0, len(invs))
	for _, inv := range invs {
		out = append(out, toBotInvite(inv))
	}
	return out, nil
}

// MarkStranger remembers that a stranger was told they are not authorised (first is true once).
func (s *BotStore) MarkStranger(tgID int64) (bool, error) {
	key := "stranger:" + strconv.FormatInt(tgID, 10)
	last, err := s.db.LastRun(s.account, key)
	if err != nil || !last.IsZero() {
		return false, err
	}
	return true, s.db.SetLastRun(s.account, key, s.clock.Now())
}

// Snooze silences the reminders of a finding until a moment.
func (s *BotStore) Snooze(key string, until time.Time) error {
	k, err := checks.ParseKey(key)
	if err != nil {
		return fmt.Errorf("snooze: %w", err)
	}
	if err := s.db.Snooze(s.account, k, until); err != nil {
		return fmt.Errorf("snooze: %w", err)
	}
	return nil
}

// Ack records that a head acknowledged an escalation.
func (s *BotStore) Ack(key string, by int64, at time.Time) error {
	k, err := checks.ParseKey(key)
	if err != nil {
		return fmt.Errorf("acknowledge: %w", err)
	}
	if err := s.db.Ack(s.account, k, by, at); err != nil {
		return fmt.Errorf("acknowledge: %w", err)
	}
	return nil
}

// LoadSettings returns the account's stored settings, or the defaults when none are stored.
func (s *BotStore) LoadSettings() (checks.Settings, error) {
	st, ok, err := s.db.LoadSettings(s.account)
	if err != nil {
		return checks.Settings{}, err
	}
	if !ok {
		return checks.DefaultSettings(), nil
	}
	return st, nil
}

// SaveSettings stores settings the bot validated; storage records who, when, old → new.
func (s *BotStore) SaveSettings(st checks.Settings, who string) error {
	return s.db.SaveSettings(s.account, st, who, s.clock.Now())
}

// SettingsHistory returns the latest settings revisions, newest first.
func (s *BotStore) SettingsHistory(limit int) ([]bot.SettingsRevision, error) {
	revs, err := s.db.SettingsHistory(s.account, limit)
	if err != nil {
		return nil, err
	}
	out := make([]bot.SettingsRevision, 0, len(revs))
	for _, r := range revs {
		br := bot.SettingsRevision{At: r.At, Who: r.Who}
		for _, ch := range r.Changes {
			br.Changes = append(br.Changes, bot.SettingsChange{Path: ch.Path, Old: string(ch.Old), New: string(ch.New)})
		}
		out = append(out, br)
	}
	return out, nil
}

// PutVerdict stores an audit verdict (R13).
func (s *BotStore) PutVerdict(v bot.Verdict) error {
	return s.db.PutVerdict(storage.Verdict{Account: s.account, Day: v.Day, DealID: v.DealID, Manager: v.Manager,
		OK: v.OK, Comment: v.Comment, By: v.By, At: v.At})
}

// Verdicts returns the audit verdicts of the days from..to.
func (s *BotStore) Verdicts(from, to checks.Date) ([]bot.Verdict, error) {
	vs, err := s.db.Verdicts(s.account, from, to)
	if err != nil {
		return nil, err
	}
	out := make([]bot.Verdict, 0, len(vs))
	for _, v := range vs {
		out = append(out, bot.Verdict{Day: v.Day, DealID: v.DealID, Manager: v.Manager, OK: v.OK,
			Comment: v.Comment, By: v.By, At: v.At})
	}
	return out, nil
}

// Table returns the stored daily table rows of the days from..to.
func (s *BotStore) Table(from, to checks.Date) ([]checks.TableRow, error) {
	return s.db.Table(s.account, from, to)
}
