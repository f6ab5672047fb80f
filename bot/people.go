package bot

import (
	"slices"
	"time"

	"salesguard/amo"
	"salesguard/checks"
)

// Role is what a person may see and do in the bot.
type Role string

// Roles. An admin sees everything and the settings and invites people; a head sees their team
// (every manager when Team is empty) and acknowledges alerts; a manager sees only their deals.
const (
	RoleAdmin   Role = "admin"
	RoleHead    Role = "head"
	RoleManager Role = "manager"
)

// Valid reports whether r is one of the known roles.
func (r Role) Valid() bool { return r == RoleAdmin || r == RoleHead || r == RoleManager }

// Person is a Telegram user's membership of one account. A user in several accounts (an
// agency's head) has one Person per account, each with its own role, team and amoCRM user; the
// bot acts as the membership of their current account (/account, accounts.go).
type Person struct {
	TelegramID int64  `json:"telegram_id"`
	Name       string `json:"name,omitempty"`
	Role       Role   `json:"role"`
	// Account is the key of the amoCRM account the person belongs to.
	Account string `json:"account"`
	// AmoUserID ties a manager to their amoCRM user; 0 until the admin maps it.
	AmoUserID amo.UserID `json:"amo_user_id,omitempty"`
	// Team lists the managers a head sees; empty means every manager.
	Team []amo.UserID `json:"team,omitempty"`
	// Lang is the chosen language ("en", "ru", "es"); empty means the Telegram client's.
	Lang string `json:"lang,omitempty"`
	// Unreachable is set by the app when Telegram says the person blocked the bot.
	Unreachable bool `json:"unreachable,omitempty"`
}

// Sees reports whether the person may see the deals of a manager.
func (p Person) Sees(m amo.UserID) bool {
	switch p.Role {
	case RoleAdmin:
		return true
	case RoleHead:
		return len(p.Team) == 0 || slices.Contains(p.Team, m)
	case RoleManager:
		return p.AmoUserID != 0 && m == p.AmoUserID
	}
	return false
}

// Invite is a one-time code an admin hands out as https://t.me/<bot>?start=<code>.
type Invite struct {
	Code      string     `json:"code"`
	Account   string     `json:"account"`
	Role      Role       `json:"role"`
	AmoUserID amo.UserID `json:"amo_user_id,omitempty"` // the manager's amoCRM user, when known
	CreatedBy int64      `json:"created_by"`
	ExpiresAt time.Time  `json:"expires_at"`
}

// Store is what the bot keeps between restarts, for every account it serves: the people and
// their memberships, invites by code, and, through In, each account's own data. storage
// implements it (app.BotStore adapts it).
type Store interface {
	// Memberships returns every account membership of a Telegram user (one Person per
	// account), ordered by account key; none for a stranger.
	Memberships(tgID int64) ([]Person, error)
	// PutPerson creates or replaces a person's membership of p.Account.
	PutPerson(p Person) error
	// People lists the people of an account (for /team, /managers and setMyCommands).
	People(account string) ([]Person, error)
	// CurrentAccount returns the account a person chose with /account ("" when none).
	CurrentAccount(tgID int64) (string, error)
	// SetCurrentAccount remembers the account a person works in; they must belong to it.
	SetCurrentAccount(tgID int64, account string) error
	// TakeInvite returns and deletes an invite, so a code works once; ok is false when
	// unknown. The invite names the account it is to.
	TakeInvite(code string) (inv Invite, ok bool, err error)
	// MarkStranger remembers that a stranger was told they are not authorised; first is true
	// the first time only.
	MarkStranger(tgID int64) (first bool, err error)
	// In returns the data of one account.
	In(account string) AccountStore
}

// AccountStore is what the bot keeps for one account: invites, snoozes, acknowledgements,
// settings, audit and call review verdicts, the daily table.
type AccountStore interface {
	// PutInvite stores a new invite to this account.
	PutInvite(inv Invite) error
	// Invites lists the account's invites that can still be used (not taken, not expired),
	// for /team.
	Invites() ([]Invite, error)
	// Snooze silences the alerts of a finding (by checks.Finding.Key) until a moment.
	Snooze(findingKey string, until time.Time) error
	// Ack records that a head acknowledged an escalation.
	Ack(findingKey string, by int64, at time.Time) error
	// LoadSettings returns the account's stored settings, or checks.DefaultSettings when none
	// are stored yet.
	LoadSettings() (checks.Settings, error)
	// SaveSettings stores settings the bot has validated, recording who changed what and when
	// (who is "tg:<telegram id>").
	SaveSettings(s checks.Settings, who string) error
	// SettingsHistory returns the latest settings revisions, newest first, at most limit.
	SettingsHistory(limit int) ([]SettingsRevision, error)
	// PutVerdict stores a head's verdict on a deal of an audit sample (R13), replacing an
	// earlier verdict on the same deal and day.
	PutVerdict(v Verdict) error
	// Verdicts returns the verdicts on the samples of the days from..to (inclusive).
	Verdicts(from, to checks.Date) ([]Verdict, error)
	// Table returns the stored daily table rows of the days from..to (inclusive).
	Table(from, to checks.Date) ([]checks.TableRow, error)
	// TableFindingStore gives the findings behind the stored table (the drill-down).
	TableFindingStore
	// ReviewStore keeps the weekly call review samples and verdicts (R7).
	ReviewStore
}

// Source is the live view of an account the commands read. app implements it from the last
// snapshot and check run.
type Source interface {
	// Accounts returns the keys of the accounts the service watches, in configuration order.
	// A membership of any other account is ignored.
	Accounts() []string
	// Findings evaluates the given rules of an account now (every enabled rule when none is
	// given), sorted as checks.SortFindings does.
	Findings(account string, rules ...checks.RuleID) []checks.Finding
	// OpenFinding returns the finding of an open ledger entry (what was alerted) by its key.
	OpenFinding(account string, key checks.Key) (checks.Finding, bool)
	// DealName returns a deal's name, "" when unknown.
	DealName(account string, id amo.LeadID) string
	// Snapshot returns the last snapshot of an account (nil before the first sync).
	Snapshot(account string) *amo.Snapshot
	// Settings returns the account's settings (vacations for /managers, the calendar's zone).
	Settings(account string) checks.Settings
	// Digest builds today's digest now.
	Digest(account string) (checks.Digest, error)
	// Plans returns today's morning plans of every manager (checks.Plan).
	Plans(account string) ([]checks.ManagerPlan, error)
	// ReviewSample returns this week's calls to review per manager (checks.ReviewSample).
	ReviewSample(account string) map[amo.UserID][]checks.ReviewCall
	// Pending returns the new leads nobody has taken yet, late or not (checks.PendingResponses);
	// nil when unknown, and /unanswered then lists R1's findings.
	Pending(account string) []checks.PendingLead
	// AuditSample returns the R13 audit sample of a day: each manager's deals to review
	// (checks.AuditSample with the account's N, the same deals all day).
	AuditSample(account string, day checks.Date) (map[amo.UserID][]amo.LeadID, error)
	// Funnel returns the stage statistics of the watched pipelines for [from, to) (checks.Funnel).
	Funnel(account string, from, to time.Time) (checks.FunnelStats, error)
}
