package checks

import (
	"slices"
	"testing"
	"time"

	"salesguard/amo"
)

func TestEvalR5(t *testing.T) {
	now := at(18, 12, 0)
	created := at(10, 10, 0)
	tests := []struct {
		name  string
		setup func(f *fixture)
		want  []string
	}{
		{"no reason", func(f *fixture) {
			f.lead(1, mgrA, 0, created, lost(at(17, 10, 0), 0))
		}, []string{"1/warning/no_reason"}},
		{"no reason but reasons switched off", func(f *fixture) {
			f.snap.Account.IsLossReasonEnabled = false
			f.lead(1, mgrA, 0, created, lost(at(17, 10, 0), 0))
		}, nil},
		{"no reason closed exactly 7 days ago", func(f *fixture) {
			f.lead(1, mgrA, 0, created, lost(now.Add(-recentClosed), 0))
		}, []string{"1/warning/no_reason"}},
		{"no reason closed just over 7 days ago", func(f *fixture) {
			f.lead(1, mgrA, 0, created, lost(now.Add(-recentClosed-time.Minute), 0))
		}, nil},
		{"concrete reason", func(f *fixture) {
			f.lead(1, mgrA, 0, created, lost(at(17, 10, 0), rsnPrice))
		}, nil},
		{"other without note, window passed", func(f *fixture) {
			f.lead(1, mgrA, 0, created, lost(at(17, 11, 0), rsnOther))
		}, []string{"1/warning/other_without_note"}},
		{"other without note, window ends now", func(f *fixture) {
			f.lead(1, mgrA, 0, created, lost(at(17, 12, 0), rsnOther))
		}, []string{"1/warning/other_without_note"}},
		{"other without note, window still open", func(f *fixture) {
			f.lead(1, mgrA, 0, created, lost(at(17, 12, 1), rsnOther))
		}, nil},
		{"other with a note the next morning", func(f *fixture) {
			f.lead(1, mgrA, 0, created, lost(at(17, 11, 0), rsnOther))
			f.note(1, amo.NoteCommon, "ушли к конкурентам", at(18, 10, 0))
		}, nil},
		{"other with a note on the contact just before closing", func(f *fixture) {
			f.lead(1, mgrA, 0, created, lost(at(17, 11, 0), rsnOther), withContact(50))
			f.contact(50, 1)
			f.note(0, amo.NoteCommon, "переехал в другой город", at(17, 10, 55), func(n *amo.Note) {
				n.EntityID, n.EntityType = 50, amo.EntityContacts
			})
		}, nil},
		{"other with a blank note and a late one", func(f *fixture) {
			f.lead(1, mgrA, 0, created, lost(at(16, 11, 0), rsnOther))
			f.note(1, amo.NoteCommon, "   ", at(16, 12, 0))
			f.note(1, amo.NoteCommon, "забыл написать", at(17, 11, 1))
		}, []string{"1/warning/other_without_note"}},
		{"can't reach after a 60 s talk", func(f *fixture) {
			f.lead(1, mgrA, 0, created, lost(at(17, 11, 0), rsnCant))
			f.call(1, amo.NoteCallIn, at(16, 15, 0), 60, mgrA)
		}, []string{"1/escalation/cant_reach_contradicted/note:1001", "1/warning/cant_reach_contradicted/note:1001"}},
		{"can't reach after a 59 s call", func(f *fixture) {
			f.lead(1, mgrA, 0, created, lost(at(17, 11, 0), rsnCant))
			f.call(1, amo.NoteCallOut, at(16, 15, 0), 59, mgrA)
		}, nil},
		{"can't reach, the long call came after closing", func(f *fixture) {
			f.lead(1, mgrA, 0, created, lost(at(17, 11, 0), rsnCant))
			f.call(1, amo.NoteCallIn, at(17, 15, 0), 300, mgrA)
		}, nil},
		{"can't reach contradicted by a call on the contact", func(f *fixture) {
			f.lead(1, mgrA, 0, created, lost(at(17, 11, 0), rsnCant), withContact(50))
			f.contact(50, 1)
			f.call(0, amo.NoteCallOut, at(16, 15, 0), 10, mgrA, onContact(50))
			f.call(0, amo.NoteCallOut, at(16, 16, 0), 120, mgrA, onContact(50), withLink("https://rec/2"))
		}, []string{"1/escalation/cant_reach_contradicted/note:1002", "1/warning/cant_reach_contradicted/note:1002"}},
		{"open and unwatched deals are ignored", func(f *fixture) {
			f.lead(1, mgrA, stTalks, created)
			f.lead(2, mgrA, 0, created, lost(at(17, 10, 0), 0), func(l *amo.Lead) { l.PipelineID = 99 })
			f.lead(3, mgrA, 0, created, lost(at(17, 10, 0), 0), func(l *amo.Lead) { l.IsDeleted = true })
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture()
			tt.setup(f)
			checkBrief(t, evalR5(f.input(t, now)), tt.want...)
		})
	}
}

func TestEvalR5FindingData(t *testing.T) {
	f := newFixture()
	f.lead(1, mgrB, 0, at(10, 10, 0), lost(at(17, 11, 0), rsnCant))
	f.call(1, amo.NoteCallIn, at(16, 15, 0), 95, mgrA, withLink("https://rec/1"))
	fs := evalR5(f.input(t, at(18, 12, 0)))
	if len(fs) != 2 {
		t.Fatalf("got %d findings, want 2", len(fs))
	}
	g := fs[1]
	if g.ManagerID != mgrB || g.Value != 95 || g.Limit != 60 || g.Unit != UnitSeconds || g.Note == 0 || !g.CallAt.Equal(at(16, 15, 0)) {
		t.Errorf("finding = %+v", g)
	}
}

func TestOtherReasonTexts(t *testing.T) {
	f := newFixture()
	created := at(2, 10, 0)
	f.lead(1, mgrA, 0, created, lost(at(16, 11, 0), rsnOther))
	f.note(1, amo.NoteCommon, "Дорого!", at(16, 11, 5))
	f.lead(2, mgrB, 0, created, lost(at(17, 11, 0), rsnOther))
	f.note(2, amo.NoteCommon, "  дорого ", at(17, 12, 0))
	f.lead(3, mgrA, 0, created, lost(at(17, 15, 0), rsnOther))
	f.note(3, amo.NoteCommon, "Купили у соседа", at(17, 15, 30))
	f.lead(4, mgrA, 0, created, lost(at(17, 16, 0), rsnOther)) // no note: left to R5
	f.lead(5, mgrA, 0, created, lost(at(9, 16, 0), rsnOther))  // before the period
	f.note(5, amo.NoteCommon, "старое", at(9, 16, 10))
	f.lead(6, mgrA, 0, created, lost(at(17, 16, 0), rsnPrice))
	f.note(6, amo.NoteCommon, "дорого", at(17, 16, 10))

	got := OtherReasonTexts(f.input(t, at(23, 9, 0)), at(16, 0, 0), at(23, 0, 0))
	want := []OtherText{
		{Text: "Дорого!", Normalized: "дорого", Count: 2, Deals: []amo.LeadID{1, 2}},
		{Text: "Купили у соседа", Normalized: "купили у соседа", Count: 1, Deals: []amo.LeadID{3}},
	}
	if !slices.EqualFunc(got, want, func(a, b OtherText) bool {
		return a.Text == b.Text && a.Normalized == b.Normalized && a.Count == b.Count && slices.Equal(a.Deals, b.Deals)
	}) {
		t.Errorf("OtherReasonTexts = %+v, want %+v", got, want)
	}
}
