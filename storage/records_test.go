package storage

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"salesguard/amo"
	"salesguard/checks"
)

func TestAccounts(t *testing.T) {
	db := mustOpen(t)
	for _, a := range []Account{
		{Key: "main", BaseURL: "https://a.amocrm.ru", Name: "A", AddedAt: t0},
		{Key: "client-a", BaseURL: "https://b.kommo.com", AddedAt: t0},
	} {
		if err := db.PutAccount(a); err != nil {
			t.Fatal(err)
		}
	}
	as, err := db.Accounts()
	if err != nil || len(as) != 2 || as[0].Key != "client-a" || as[1].Key != "main" {
		t.Errorf("accounts %+v, %v", as, err)
	}
	a, found, err := db.Account("main")
	if err != nil || !found || a.Name != "A" || !a.AddedAt.Equal(t0) {
		t.Errorf("account main %+v, %v, %v", a, found, err)
	}
	if _, found, _ := db.Account("nope"); found {
		t.Error("missing account found")
	}
	for _, bad := range []Account{{Key: "", BaseURL: "x"}, {Key: "k"}, {Key: string(make([]byte, 65)), BaseURL: "x"}} {
		if err := db.PutAccount(bad); err == nil {
			t.Errorf("PutAccount(%+v): want an error", bad)
		}
	}
}

func TestTokenStore(t *testing.T) {
	db := mustOpen(t)
	ctx := context.Background()
	ts := db.TokenStore("main")
	if tok, err := ts.LoadToken(ctx); err != nil || tok != (amo.Token{}) {
		t.Fatalf("missing token: %v, %v; want zero and no error", tok, err)
	}
	want := amo.Token{AccessToken: "a", RefreshToken: "r", ExpiresAt: t0}
	if err := ts.SaveToken(ctx, want); err != nil {
		t.Fatal(err)
	}
	got, err := ts.LoadToken(ctx)
	if err != nil || got.AccessToken != "a" || got.RefreshToken != "r" || !got.ExpiresAt.Equal(t0) {
		t.Errorf("token %+v, %v", got, err)
	}
	if other, _ := db.TokenStore("client-a").LoadToken(ctx); other != (amo.Token{}) {
		t.Error("token leaked to another account")
	}
}

func TestSettingsAndHistory(t *testing.T) {
	db := mustOpen(t)
	if _, found, err := db.LoadSettings("main"); err != nil || found {
		t.Fatalf("no settings yet: found %v, %v", found, err)
	}
	s := checks.DefaultSettings()
	if err := db.SaveSettings("main", s, "config", t0); err != nil {
		t.Fatal(err)
	}
	s2 := s
	s2.R11.Days = s.R11.Days + 5
	s2.Disabled = []checks.RuleID{checks.R7}
	if err := db.SaveSettings("main", s2, "tg:42", t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := db.SaveSettings("main", s2, "tg:42", t0.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	got, found, err := db.LoadSettings("main")
	if err != nil || !found || !reflect.DeepEqual(got, s2) {
		t.Errorf("settings %+v, %v, %v", got, found, err)
	}
	hist, err := db.SettingsHistory("main", 0)
	if err != nil || len(hist) != 1 {
		t.Fatalf("history %+v, %v; want 1 revision (saving the defaults first and an identical save record nothing)", hist, err)
	}
	var paths []string
	for _, c := range hist[0].Changes {
		paths = append(paths, c.Path)
	}
	if hist[0].Who != "tg:42" || !reflect.DeepEqual(paths, []string{"disabled", "r11.days"}) {
		t.Errorf("newest revision %+v, paths %v", hist[0], paths)
	}
	if string(hist[0].Changes[1].New) == string(hist[0].Changes[1].Old) {
		t.Errorf("old and new equal: %+v", hist[0].Changes[1])
	}
	if h, _ := db.SettingsHistory("main", 1); len(h) != 1 || h[0].Who != "tg:42" {
		t.Errorf("limited history %+v", h)
	}
}

func TestTable(t *testing.T) {
	db := mustOpen(t)
	d1, d2, d3 := checks.Date{Year: 2026, Month: 3, Day: 1}, checks.Date{Year: 2026, Month: 3, Day: 2}, checks.Date{Year: 2026, Month: 3, Day: 10}
	row := func(d checks.Date, m amo.UserID, n int) checks.TableRow {
		return checks.TableRow{Day: d, Manager: m, Rule: checks.R3, Count: n}
	}
	mustPut := func(day checks.Date, rows ...checks.TableRow) {
		t.Helper()
		if err := db.PutTable("main", day, rows); err != nil {
			t.Fatal(err)
		}
	}
	mustPut(d1, row(d1, 1, 1))
	mustPut(d2, row(d2, 1, 9), row(d2, 2, 9))
	mustPut(d2, row(d2, 1, 2), checks.TableRow{Manager: 2, Rule: checks.R3, Count: 3}) // replaces the day
	mustPut(d3, row(d3, 1, 4))

	got, err := db.Table("main", d1, d2)
	want := []checks.TableRow{row(d1, 1, 1), row(d2, 1, 2), row(d2, 2, 3)}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("table %+v, %v; want %+v", got, err, want)
	}
	if got, _ := db.Table("main", d3, d3); len(got) != 1 {
		t.Errorf("one-day range: %+v", got)
	}
	if err := db.PutTable("main", d1, []checks.TableRow{row(d2, 1, 1)}); err == nil {
		t.Error("row of another day: want an error")
	}
	if got, err := db.Table("other", d1, d3); err != nil || len(got) != 0 {
		t.Errorf("other account %+v, %v", got, err)
	}
}

func TestVerdicts(t *testing.T) {
	db := mustOpen(t)
	d1, d2 := checks.Date{Year: 2026, Month: 3, Day: 1}, checks.Date{Year: 2026, Month: 3, Day: 2}
	for _, v := range []Verdict{
		{Account: "main", Day: d2, DealID: 5, Manager: 1, OK: true, By: 42, At: t0},
		{Account: "main", Day: d1, DealID: 9, Manager: 1, OK: false, Comment: "no call", By: 42, At: t0},
		{Account: "main", Day: d1, DealID: 9, Manager: 1, OK: true, By: 43, At: t0}, // overrides
		{Account: "client-a", Day: d1, DealID: 1, By: 1, At: t0},
	} {
		if err := db.PutVerdict(v); err != nil {
			t.Fatal(err)
		}
	}
	got, err := db.Verdicts("main", d1, d2)
	if err != nil || len(got) != 2 || got[0].DealID != 9 || !got[0].OK || got[0].By != 43 || got[1].DealID != 5 {
		t.Errorf("verdicts %+v, %v", got, err)
	}
	if got, _ := db.Verdicts("main", d2, d2); len(got) != 1 {
		t.Errorf("one day: %+v", got)
	}
	if err := db.PutVerdict(Verdict{Account: "main", DealID: 1}); err == nil {
		t.Error("verdict with no day: want an error")
	}
}

func TestPeople(t *testing.T) {
	db := mustOpen(t)
	for _, p := range []Person{
		{TelegramID: 100, Account: "main", Role: RoleAdmin, AddedAt: t0},
		{TelegramID: 100, Account: "client-a", Role: RoleHead, AddedAt: t0},
		{TelegramID: 7, Account: "main", AmoUserID: 10, Role: RoleManager, Lang: "ru", AddedAt: t0},
	} {
		if err := db.PutPerson(p); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.PutPerson(Person{TelegramID: 1, Account: "main", Role: "boss"}); err == nil {
		t.Error("unknown role: want an error")
	}
	p, found, err := db.Person(100)
	if err != nil || !found || p.Account != "client-a" {
		t.Errorf("person 100 = %+v, %v, %v; want the client-a membership first", p, found, err)
	}
	ms, _ := db.Memberships(100)
	if len(ms) != 2 {
		t.Errorf("memberships %+v", ms)
	}
	if p, found, _ := db.PersonIn("main", 7); !found || p.AmoUserID != 10 {
		t.Errorf("person 7 in main %+v", p)
	}
	people, err := db.People("main")
	if err != nil || len(people) != 2 || people[0].TelegramID != 7 || people[1].TelegramID != 100 {
		t.Errorf("people of main %+v, %v", people, err)
	}
	if err := db.DeletePerson("main", 100); err != nil {
		t.Fatal(err)
	}
	if err := db.DeletePerson("main", 100); !errors.Is(err, ErrNotFound) {
		t.Errorf("second delete: %v, want ErrNotFound", err)
	}
	if _, found, _ := db.Person(5); found {
		t.Error("unknown person found")
	}
}

func TestInvites(t *testing.T) {
	db := mustOpen(t)
	inv := Invite{Code: "abc", Account: "main", Role: RoleManager, AmoUserID: 10, CreatedBy: 100, ExpiresAt: t0.Add(time.Hour)}
	if err := db.PutInvite(inv); err != nil {
		t.Fatal(err)
	}
	if err := db.PutInvite(inv); err == nil {
		t.Error("duplicate code: want an error")
	}
	if err := db.PutInvite(Invite{Code: "old", Account: "main", Role: RoleHead, ExpiresAt: t0}); err != nil {
		t.Fatal(err)
	}
	if err := db.PutInvite(Invite{Code: "gone", Account: "main", Role: RoleHead, ExpiresAt: t0}); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name    string
		code    string
		wantErr error
	}{
		{"valid", "abc", nil},
		{"used twice", "abc", ErrNotFound},
		{"expired", "old", ErrInviteExpired},
		{"expired is deleted", "old", ErrNotFound},
		{"unknown", "zzz", ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := db.TakeInvite(tt.code, t0.Add(time.Minute))
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("take %q: %v, want %v", tt.code, err, tt.wantErr)
			}
			if err == nil && (got.AmoUserID != 10 || got.Role != RoleManager) {
				t.Errorf("invite %+v", got)
			}
		})
	}
	if n, err := db.PruneInvites(t0); err != nil || n != 1 {
		t.Errorf("prune invites: %d, %v; want 1", n, err)
	}
}

func TestJobs(t *testing.T) {
	db := mustOpen(t)
	if last, err := db.LastRun("main", "digest"); err != nil || !last.IsZero() {
		t.Fatalf("never ran: %v, %v", last, err)
	}
	if err := db.SetLastRun("main", "digest", t0); err != nil {
		t.Fatal(err)
	}
	if last, err := db.LastRun("main", "digest"); err != nil || !last.Equal(t0) {
		t.Errorf("last run %v, %v", last, err)
	}
	if last, _ := db.LastRun("client-a", "digest"); !last.IsZero() {
		t.Error("job run leaked to another account")
	}
	if err := db.SetLastRun("main", "", t0); err == nil {
		t.Error("empty job: want an error")
	}
}
