package checks

import (
	"testing"
	"time"

	"salesguard/amo"
	"salesguard/workset"
)

// The test account: pipeline 10 in Europe/Moscow with an unsorted stage, a first stage and
// named stages, managers 1 and 2.
const (
	tPipe      amo.PipelineID = 10
	tUnsorted  amo.StatusID   = 100
	tNew       amo.StatusID   = 101
	tMissed    amo.StatusID   = 102
	tCallBack  amo.StatusID   = 103
	tWork      amo.StatusID   = 104
	tHot       amo.StatusID   = 105
	tManager   amo.UserID     = 1
	tManager2  amo.UserID     = 2
	tAccountTZ                = "Europe/Moscow"
)

func ref(s amo.StatusID) amo.StatusRef { return amo.StatusRef{PipelineID: tPipe, StatusID: s} }

func loadLoc(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("load %s: %v", name, err)
	}
	return loc
}

// mskAt returns a moment in Moscow.
func mskAt(t testing.TB, y int, mo time.Month, d, h, mi int) time.Time {
	t.Helper()
	return time.Date(y, mo, d, h, mi, 0, 0, loadLoc(t, tAccountTZ))
}

func baseSnap() *amo.Snapshot {
	return &amo.Snapshot{
		Account: amo.Account{ID: 7, TimeZone: tAccountTZ},
		Users:   []amo.User{{ID: tManager, Name: "Anna", IsActive: true}, {ID: tManager2, Name: "Boris", IsActive: true}},
		Pipelines: []amo.Pipeline{{ID: tPipe, Name: "Продажи", Statuses: []amo.Status{
			{ID: tUnsorted, Name: "Неразобранное", Sort: 10, Type: amo.StatusTypeUnsorted},
			{ID: tNew, Name: "Новый лид", Sort: 20},
			{ID: tMissed, Name: "Недозвон", Sort: 30},
			{ID: tCallBack, Name: "Перезвонить", Sort: 40},
			{ID: tWork, Name: "ОП взял в работу", Sort: 50},
			{ID: tHot, Name: "Горячие", Sort: 60},
			{ID: amo.StatusWon, Name: "Успешно", Sort: 10000},
			{ID: amo.StatusLost, Name: "Закрыто", Sort: 11000},
		}}},
	}
}

type leadOpt func(*amo.Lead)

func created(at time.Time) leadOpt         { return func(l *amo.Lead) { l.CreatedAt, l.UpdatedAt = at, at } }
func owner(u amo.UserID) leadOpt           { return func(l *amo.Lead) { l.ResponsibleUserID = u } }
func contacts(cs ...amo.ContactID) leadOpt { return func(l *amo.Lead) { l.ContactIDs = cs } }

func lead(id amo.LeadID, status amo.StatusID, opts ...leadOpt) amo.Lead {
	l := amo.Lead{ID: id, Name: "deal", PipelineID: tPipe, StatusID: status, ResponsibleUserID: tManager}
	for _, o := range opts {
		o(&l)
	}
	return l
}

func task(id amo.TaskID, deal amo.LeadID, till time.Time, done bool) amo.Task {
	t := amo.Task{ID: id, ResponsibleUserID: tManager, CompleteTill: till, IsCompleted: done, Text: "call"}
	if deal != 0 {
		t.EntityID, t.EntityType = int64(deal), amo.EntityLeads
	}
	return t
}

func event(id string, typ string, deal amo.LeadID, at time.Time) amo.Event {
	return amo.Event{ID: id, Type: typ, EntityID: int64(deal), EntityType: "lead", CreatedBy: tManager, CreatedAt: at}
}

func moved(id string, deal amo.LeadID, from, to amo.StatusID, at time.Time) amo.Event {
	e := event(id, amo.EventLeadStatusChanged, deal, at)
	f, tt := ref(from), ref(to)
	e.StatusBefore, e.StatusAfter = &f, &tt
	return e
}

func mustInput(t testing.TB, snap *amo.Snapshot, s Settings, now time.Time) *Input {
	t.Helper()
	in, err := NewInput(workset.FromSnapshot(snap), s, now)
	if err != nil {
		t.Fatalf("new input: %v", err)
	}
	return in
}

// only returns the findings of one rule and level.
func only(fs []Finding, lv Level) []Finding {
	var out []Finding
	for _, f := range fs {
		if f.Level == lv {
			out = append(out, f)
		}
	}
	return out
}

func dealIDs(fs []Finding) []amo.LeadID {
	var out []amo.LeadID
	for _, f := range fs {
		out = append(out, f.DealID)
	}
	return out
}
