package checks

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"salesguard/amo"
	"salesguard/workset"
)

// Fixture for the tests of R5–R10, R13 and data health: one pipeline (10) with the stages
// new (100), missed call (101), talks (102), decision (103), and loss reasons can't reach (1),
// other (2), expensive (3). Moscow time; Monday–Friday 09:00–18:00.

const (
	pipe      amo.PipelineID   = 10
	stNew     amo.StatusID     = 100
	stMissed  amo.StatusID     = 101
	stTalks   amo.StatusID     = 102
	stDecide  amo.StatusID     = 103
	rsnCant   amo.LossReasonID = 1
	rsnOther  amo.LossReasonID = 2
	rsnPrice  amo.LossReasonID = 3
	mgrA      amo.UserID       = 1
	mgrB      amo.UserID       = 2
	mgrC      amo.UserID       = 3
	baseEpoch                  = 1000
)

var msk = mustLoc("Europe/Moscow")

func mustLoc(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err) // test setup only
	}
	return l
}

// at returns a Moscow time on a day of November 2026 (18 = Wednesday).
func at(day, hour, minute int) time.Time { return time.Date(2026, 11, day, hour, minute, 0, 0, msk) }

type fixture struct {
	snap   *amo.Snapshot
	s      Settings
	nextID int64
}

func newFixture() *fixture {
	st := func(id amo.StatusID, name string, sort int) amo.Status {
		return amo.Status{ID: id, PipelineID: pipe, Name: name, Sort: sort}
	}
	return &fixture{
		s:      DefaultSettings(),
		nextID: baseEpoch,
		snap: &amo.Snapshot{
			BaseURL: "https://acme.amocrm.ru",
			Account: amo.Account{ID: 7, TimeZone: "Europe/Moscow", IsLossReasonEnabled: true},
			Users: []amo.User{
				{ID: mgrA, Name: "Anna", IsActive: true}, {ID: mgrB, Name: "Boris", IsActive: true},
				{ID: mgrC, Name: "Carmen", IsActive: true},
			},
			Pipelines: []amo.Pipeline{{ID: pipe, Name: "Sales", Statuses: []amo.Status{
				st(stNew, "Новая заявка", 10), st(stMissed, "Недозвон", 20), st(stTalks, "Переговоры", 30),
				st(stDecide, "Принимают решение", 40), st(amo.StatusWon, "Успешно", 10000),
				st(amo.StatusLost, "Закрыто", 11000),
			}}},
			LossReasons: []amo.LossReason{{ID: rsnCant, Name: "Недозвон"}, {ID: rsnOther, Name: "Другое"}, {ID: rsnPrice, Name: "Дорого"}},
		},
	}
}

func (f *fixture) id() int64 { f.nextID++; return f.nextID }

// lead adds a deal created at created and returns its id.
func (f *fixture) lead(id amo.LeadID, m amo.UserID, status amo.StatusID, created time.Time, opts ...func(*amo.Lead)) amo.LeadID {
	l := amo.Lead{ID: id, ResponsibleUserID: m, PipelineID: pipe, StatusID: status, CreatedAt: created, UpdatedAt: created}
	for _, o := range opts {
		o(&l)
	}
	f.snap.Leads = append(f.snap.Leads, l)
	return id
}

// lost closes a deal as lost at closed with a reason.
func lost(closed time.Time, r amo.LossReasonID) func(*amo.Lead) {
	return func(l *amo.Lead) {
		l.StatusID, l.LossReasonID, l.ClosedAt, l.UpdatedAt = amo.StatusLost, r, closed, closed
	}
}

func withContact(c amo.ContactID) func(*amo.Lead) {
	return func(l *amo.Lead) { l.ContactIDs = append(l.ContactIDs, c) }
}

func (f *fixture) contact(id amo.ContactID, leads ...amo.LeadID) {
	f.snap.Contacts = append(f.snap.Contacts, amo.Contact{ID: id, LeadIDs: leads})
}

// call adds a call note on a deal (or on a contact when c != 0) and returns its id.
func (f *fixture) call(l amo.LeadID, typ string, when time.Time, secs int64, m amo.UserID, opts ...func(*amo.Note)) amo.NoteID {
	n := amo.Note{
		ID: amo.NoteID(f.id()), EntityID: int64(l), EntityType: amo.EntityLeads, NoteType: typ,
		Call: &amo.Call{Duration: secs}, CreatedBy: m, ResponsibleUserID: m, CreatedAt: when, UpdatedAt: when,
	}
	for _, o := range opts {
		o(&n)
	}
	f.snap.Notes = append(f.snap.Notes, n)
	return n.ID
}

func onContact(c amo.ContactID) func(*amo.Note) {
	return func(n *amo.Note) { n.EntityID, n.EntityType = int64(c), amo.EntityContacts }
}

func withStatus(s int) func(*amo.Note) { return func(n *amo.Note) { n.Call.Status = s } }

func withLink(u string) func(*amo.Note) { return func(n *amo.Note) { n.Call.Link = u } }

// outCalls adds n short outgoing calls on a deal, one every step from start.
func (f *fixture) outCalls(l amo.LeadID, start time.Time, step time.Duration, n int, secs int64, m amo.UserID) {
	for i := range n {
		f.call(l, amo.NoteCallOut, start.Add(time.Duration(i)*step), secs, m)
	}
}

// note adds a note of any type with a text on a deal.
func (f *fixture) note(l amo.LeadID, typ, text string, when time.Time, opts ...func(*amo.Note)) {
	n := amo.Note{
		ID: amo.NoteID(f.id()), EntityID: int64(l), EntityType: amo.EntityLeads, NoteType: typ,
		Text: text, CreatedAt: when, UpdatedAt: when,
	}
	for _, o := range opts {
		o(&n)
	}
	f.snap.Notes = append(f.snap.Notes, n)
}

func (f *fixture) event(l amo.LeadID, typ string, when time.Time, opts ...func(*amo.Event)) {
	e := amo.Event{ID: fmt.Sprint(f.id()), Type: typ, EntityID: int64(l), EntityType: "lead", CreatedAt: when}
	for _, o := range opts {
		o(&e)
	}
	f.snap.Events = append(f.snap.Events, e)
}

func statusChange(from, to amo.StatusID) func(*amo.Event) {
	return func(e *amo.Event) {
		e.StatusBefore = &amo.StatusRef{PipelineID: pipe, StatusID: from}
		e.StatusAfter = &amo.StatusRef{PipelineID: pipe, StatusID: to}
	}
}

// input prepares the rules' input at now with the fixture's stage and reason meanings.
func (f *fixture) input(t *testing.T, now time.Time) *Input {
	t.Helper()
	in, err := NewInput(workset.FromSnapshot(f.snap), f.s, now)
	if err != nil {
		t.Fatalf("NewInput: %v", err)
	}
	in.Meaning.MissedCall = map[amo.StatusRef]bool{{PipelineID: pipe, StatusID: stMissed}: true}
	in.Meaning.CantReach = map[amo.LossReasonID]bool{rsnCant: true}
	in.Meaning.Other = map[amo.LossReasonID]bool{rsnOther: true}
	return in
}

// brief renders findings compactly for comparison: "deal/level/kind[/subject]".
func brief(fs []Finding) []string {
	out := make([]string, 0, len(fs))
	for _, f := range fs {
		s := fmt.Sprintf("%d/%s/%s", f.DealID, f.Level, f.Kind)
		if sub := f.Subject(); sub != "" {
			s += "/" + sub
		}
		out = append(out, s)
	}
	return out
}

func checkBrief(t *testing.T, got []Finding, want ...string) {
	t.Helper()
	if g := brief(got); !slices.Equal(g, want) {
		t.Errorf("findings:\n got  %s\n want %s", strings.Join(g, ", "), strings.Join(want, ", "))
	}
}

// keepCallsAlive adds a call by each manager on a spare deal so data health stays quiet.
func (f *fixture) keepCallsAlive(now time.Time, ms ...amo.UserID) {
	for i, m := range ms {
		id := f.lead(amo.LeadID(9000+i), m, stTalks, now.Add(-48*time.Hour))
		f.call(id, amo.NoteCallOut, now.Add(-47*time.Hour), 100, m)
		f.note(id, amo.NoteCommon, "договорились", now.Add(-47*time.Hour))
	}
}
