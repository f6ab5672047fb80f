package bot

import (
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"salesguard/amo"
	"salesguard/checks"
	"salesguard/locales"
	"salesguard/workset"
)

// Two accounts, two teams, one bot. "acme" is the fixture account; "north" is its twin with
// other names: the same deal, user and finding ids, so a finding key means a deal in either
// account and only the account a press resolves to tells them apart.
const acctNorth = "north"

// The people of the two accounts. The agency's admin (idAdmin, a bootstrap admin) is an admin
// of both; idBothHead heads sales in both; everyone else belongs to one account.
const (
	idNorthAdmin   int64 = 700 // invited admin of north only
	idNorthHead    int64 = 400
	idNorthManager int64 = 500 // amoCRM user 1 in north
	idBothHead     int64 = 600
)

// markers are strings only an account's own data contains: a reply to someone outside the
// account must hold none of them.
var markers = map[string][]string{
	"acme":    {"Acme", "Olga", "Boris", "Gamma", "Epsilon", "Send the quote", "acme.amocrm.ru"},
	acctNorth: {"North Ltd", "Nadia", "Nikolai", "Tundra", "Aurora", "Fjord", "north.amocrm.ru"},
}

// northNames renames the fixture's users and deals.
var northNames = map[string]string{
	"Olga": "Nadia", "Boris <boss>": "Nikolai", "Anna": "Nestor",
	hostileDeal: "Polar <i>", "Beta": "Fjord", "Gamma": "Tundra", "Delta": "Glacier", "Epsilon": "Aurora", "Zeta": "Iceberg",
	"Call <back> & confirm": "Ring the harbour", "Send the quote": "Chart the route", "Demo": "Sonar",
	"Overdue <call>": "Late radio", "Send the invoice": "Send the manifest",
}

func northName(s string) string {
	if n, ok := northNames[s]; ok {
		return n
	}
	return s
}

// northSource is the north account: the fixture renamed, its digest built again.
func northSource() *fakeSource {
	src := fixtureSource()
	snap := src.snap
	snap.BaseURL = "https://north.amocrm.ru"
	snap.Account = amo.Account{ID: 8, Name: "North Ltd", Subdomain: "north", TimeZone: "UTC"}
	for i := range snap.Users {
		snap.Users[i].Name = northName(snap.Users[i].Name)
	}
	for i := range snap.Leads {
		snap.Leads[i].Name = northName(snap.Leads[i].Name)
	}
	for i := range src.findings {
		f := &src.findings[i]
		f.AccountID, f.DealName, f.TaskText = 8, northName(f.DealName), northName(f.TaskText)
	}
	for i := range src.plans {
		for j := range src.plans[i].Items {
			it := &src.plans[i].Items[j]
			it.Text, it.DealName = northName(it.Text), northName(it.DealName)
		}
	}
	day := checks.DateOf(fixtureNow)
	src.digest = checks.BuildDigest(day, checks.Table(src.findings, day), nil, nil, src.findings, workset.FromSnapshot(snap))
	src.audit = map[amo.UserID][]amo.LeadID{1: {10, 12}, 2: {11}}
	return src
}

// multiSource serves each account from its own fake.
type multiSource struct {
	keys []string
	by   map[string]*fakeSource
}

func (m *multiSource) of(account string) *fakeSource {
	if s, ok := m.by[account]; ok {
		return s
	}
	return &fakeSource{}
}

func (m *multiSource) Accounts() []string { return m.keys }
func (m *multiSource) Findings(a string, rules ...checks.RuleID) []checks.Finding {
	return m.of(a).Findings(a, rules...)
}
func (m *multiSource) OpenFinding(a string, k checks.Key) (checks.Finding, bool) {
	return m.of(a).OpenFinding(a, k)
}
func (m *multiSource) DealName(a string, id amo.LeadID) string {
	if m.of(a).snap == nil {
		return ""
	}
	return m.of(a).DealName(a, id)
}
func (m *multiSource) Snapshot(a string) *amo.Snapshot              { return m.of(a).snap }
func (m *multiSource) Settings(a string) checks.Settings            { return m.of(a).settings }
func (m *multiSource) Digest(a string) (checks.Digest, error)       { return m.of(a).digest, nil }
func (m *multiSource) Plans(a string) ([]checks.ManagerPlan, error) { return m.of(a).plans, nil }
func (m *multiSource) Pending(a string) []checks.PendingLead        { return m.of(a).pending }
func (m *multiSource) Funnel(a string, _, _ time.Time) (checks.FunnelStats, error) {
	return m.of(a).funnel, nil
}
func (m *multiSource) ReviewSample(a string) map[amo.UserID][]checks.ReviewCall {
	return m.of(a).review
}
func (m *multiSource) AuditSample(a string, _ checks.Date) (map[amo.UserID][]amo.LeadID, error) {
	return m.of(a).audit, nil
}

// accountsHarness is one bot serving acme and north, with both teams.
type accountsHarness struct {
	*harness
	src *multiSource
}

func newAccountsHarness(t *testing.T) *accountsHarness {
	t.Helper()
	return newAccountsHarnessWith(t, mustCatalog(t))
}

func newAccountsHarnessWith(t *testing.T, cat *locales.Catalog) *accountsHarness {
	t.Helper()
	tg := newFakeTelegram(t)
	store := newFakeStore()
	for _, p := range []Person{
		{TelegramID: idHead, Name: "Helga Head", Role: RoleHead, Account: "acme", Lang: "en"},
		{TelegramID: idManager, Name: "Olga", Role: RoleManager, Account: "acme", AmoUserID: 1, Lang: "en"},
		{TelegramID: idNorthAdmin, Name: "Nora Admin", Role: RoleAdmin, Account: acctNorth, Lang: "en"},
		{TelegramID: idNorthHead, Name: "Nils Head", Role: RoleHead, Account: acctNorth, Lang: "en"},
		{TelegramID: idNorthManager, Name: "Nadia", Role: RoleManager, Account: acctNorth, AmoUserID: 1, Lang: "en"},
		{TelegramID: idBothHead, Name: "Agnes Agency", Role: RoleHead, Account: "acme", Lang: "en"},
		{TelegramID: idBothHead, Name: "Agnes Agency", Role: RoleHead, Account: acctNorth, Lang: "en"},
	} {
		store.put(p)
	}
	acme := fixtureSource()
	acme.audit = map[amo.UserID][]amo.LeadID{1: {10, 12}, 2: {11}}
	src := &multiSource{keys: []string{"acme", acctNorth}, by: map[string]*fakeSource{"acme": acme, acctNorth: northSource()}}
	clock := clockwork.NewFakeClockAt(fixtureNow)
	b, err := New(Config{Token: "t", APIURL: tg.URL, Offline: true, Username: "sg_bot", Admins: []int64{idAdmin}, Account: "acme"},
		Deps{Store: store, Source: src, Catalog: cat, Clock: clock, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatalf("new bot: %v", err)
	}
	return &accountsHarness{harness: &harness{bot: b, tg: tg, store: store, src: acme, clock: clock, msgID: 1}, src: src}
}

// roleIn is who a person is in an account ("" when they do not belong to it).
func roleIn(id int64, account string) Role {
	switch {
	case account != "acme" && account != acctNorth:
		return ""
	case id == idAdmin:
		return RoleAdmin
	case id == idBothHead:
		return RoleHead
	case account == "acme" && id == idHead, account == acctNorth && id == idNorthHead:
		return RoleHead
	case account == "acme" && id == idManager, account == acctNorth && id == idNorthManager:
		return RoleManager
	case account == acctNorth && id == idNorthAdmin:
		return RoleAdmin
	}
	return ""
}

// accountsOf lists the accounts a person belongs to.
func accountsOf(id int64) []string {
	var out []string
	for _, a := range []string{"acme", acctNorth} {
		if roleIn(id, a) != "" {
			out = append(out, a)
		}
	}
	return out
}

// everyActor is everyone of both teams and a stranger.
var everyActor = []int64{idAdmin, idNorthAdmin, idHead, idNorthHead, idBothHead, idManager, idNorthManager, idStranger}

func actorName(id int64) string {
	return map[int64]string{idAdmin: "agency_admin", idNorthAdmin: "north_admin", idHead: "acme_head", idNorthHead: "north_head",
		idBothHead: "both_head", idManager: "acme_manager", idNorthManager: "north_manager", idStranger: "stranger"}[id]
}

// foreign returns the marker of an account other than those allowed that text holds, "" when none.
func foreign(text string, allowed ...string) string {
	for account, ms := range markers {
		if contains(allowed, account) {
			continue
		}
		for _, m := range ms {
			if strings.Contains(text, m) {
				return account + ":" + m
			}
		}
	}
	return ""
}
