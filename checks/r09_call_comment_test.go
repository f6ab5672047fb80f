package checks

import (
	"testing"
	"time"

	"salesguard/amo"
)

func TestEvalR9(t *testing.T) {
	now := at(18, 12, 0)
	call := at(18, 10, 0)
	hit := []string{"1/warning/no_comment/note:1001"}
	tests := []struct {
		name  string
		setup func(f *fixture)
		want  []string
	}{
		{"no comment", func(f *fixture) {
			f.call(1, amo.NoteCallOut, call, 60, mgrA)
		}, hit},
		{"incoming call of exactly MinCall", func(f *fixture) {
			f.call(1, amo.NoteCallIn, call, 30, mgrA)
		}, hit},
		{"a 29-second call", func(f *fixture) {
			f.call(1, amo.NoteCallOut, call, 29, mgrA)
		}, nil},
		{"comment at the end of the window", func(f *fixture) {
			f.call(1, amo.NoteCallOut, call, 60, mgrA)
			f.note(1, amo.NoteCommon, "Договорились на пятницу", call.Add(30*time.Minute))
		}, nil},
		{"comment a minute too late", func(f *fixture) {
			f.call(1, amo.NoteCallOut, call, 60, mgrA)
			f.note(1, amo.NoteCommon, "Договорились на пятницу", call.Add(31*time.Minute))
		}, hit},
		{"comment written during the call", func(f *fixture) {
			f.call(1, amo.NoteCallOut, call, 120, mgrA)
			f.note(1, amo.NoteCommon, "Клиент думает", call.Add(-time.Minute))
		}, nil},
		{"comment on the contact", func(f *fixture) {
			f.call(1, amo.NoteCallOut, call, 60, mgrA)
			f.note(0, amo.NoteCommon, "Перезвонить в 15:00", call.Add(5*time.Minute), onContact(50))
		}, nil},
		{"blank comment", func(f *fixture) {
			f.call(1, amo.NoteCallOut, call, 60, mgrA)
			f.note(1, amo.NoteCommon, " ", call.Add(5*time.Minute))
		}, hit},
		{"a service note is no comment", func(f *fixture) {
			f.call(1, amo.NoteCallOut, call, 60, mgrA)
			f.note(1, amo.NoteService, "Robot", call.Add(5*time.Minute))
		}, hit},
		{"window ends now", func(f *fixture) {
			f.call(1, amo.NoteCallOut, now.Add(-30*time.Minute), 60, mgrA)
		}, hit},
		{"window still open", func(f *fixture) {
			f.call(1, amo.NoteCallOut, now.Add(-29*time.Minute), 60, mgrA)
		}, nil},
		{"older than the look-back", func(f *fixture) {
			f.call(1, amo.NoteCallOut, now.Add(-r9Lookback-time.Second), 60, mgrA)
		}, nil},
		{"call on a contact shared by two deals", func(f *fixture) {
			f.call(0, amo.NoteCallOut, call, 60, mgrA, onContact(50))
			f.lead(2, mgrB, stTalks, at(2, 10, 0), withContact(50))
		}, hit},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture()
			f.lead(1, mgrA, stTalks, at(2, 10, 0), withContact(50))
			f.contact(50, 1)
			tt.setup(f)
			got := evalR9(f.input(t, now))
			checkBrief(t, got, tt.want...)
			if len(got) == 1 && (got[0].ManagerID != mgrA || got[0].Limit != 30 || got[0].Unit != UnitSeconds) {
				t.Errorf("finding = %+v", got[0])
			}
		})
	}
}
