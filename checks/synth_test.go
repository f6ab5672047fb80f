package checks

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"time"

	"salesguard/amo"
)

// synthAccount builds a deterministic account of n open deals with 3n tasks, 10n events,
// 3n notes and n contacts over the 90 days before now, spread over 50 managers.
func synthAccount(n int, now time.Time) *amo.Snapshot {
	r := rand.New(rand.NewPCG(42, uint64(n)))
	snap := baseSnap()
	for u := 3; u <= 50; u++ {
		snap.Users = append(snap.Users, amo.User{ID: amo.UserID(u), Name: "m" + strconv.Itoa(u), IsActive: true})
	}
	snap.LossReasons = []amo.LossReason{{ID: 1, Name: "Недозвон"}, {ID: 2, Name: "Другое"}, {ID: 3, Name: "Дорого"}}
	stages := []amo.StatusID{tUnsorted, tNew, tMissed, tCallBack, tWork, tHot}
	span := int64(90 * 24 * time.Hour)
	ago := func() time.Time { return now.Add(-time.Duration(r.Int64N(span))) }
	snap.Leads = make([]amo.Lead, n)
	snap.Contacts = make([]amo.Contact, n)
	for i := range snap.Leads {
		id := amo.LeadID(i + 1)
		l := lead(id, stages[r.IntN(len(stages))], created(ago()), owner(amo.UserID(1+r.IntN(50))),
			contacts(amo.ContactID(i+1)))
		if r.IntN(10) == 0 {
			l.StatusID = amo.StatusLost
			l.LossReasonID = amo.LossReasonID(r.IntN(4))
			l.ClosedAt = l.CreatedAt.Add(time.Duration(r.Int64N(int64(10 * 24 * time.Hour))))
		}
		snap.Leads[i] = l
		snap.Contacts[i] = amo.Contact{ID: amo.ContactID(i + 1), LeadIDs: []amo.LeadID{id}}
	}
	leadAt := func() (amo.LeadID, time.Time) {
		l := &snap.Leads[r.IntN(n)]
		return l.ID, l.CreatedAt.Add(time.Duration(r.Int64N(int64(now.Sub(l.CreatedAt)) + 1)))
	}
	snap.Tasks = make([]amo.Task, 3*n)
	for i := range snap.Tasks {
		id, at := leadAt()
		tk := task(amo.TaskID(i+1), id, at.Add(time.Duration(r.Int64N(int64(72*time.Hour)))), r.IntN(3) > 0)
		tk.ResponsibleUserID, tk.UpdatedAt, tk.CreatedAt = snap.Leads[id-1].ResponsibleUserID, at, at
		if tk.IsCompleted && r.IntN(2) == 0 {
			tk.Result = "договорились о встрече"
		}
		snap.Tasks[i] = tk
	}
	types := []string{amo.EventOutgoingCall, amo.EventIncomingCall, amo.EventOutgoingChatMessage,
		amo.EventIncomingChatMessage, amo.EventCommonNoteAdded, amo.EventLeadStatusChanged, amo.EventTaskCompleted}
	snap.Events = make([]amo.Event, 10*n)
	for i := range snap.Events {
		id, at := leadAt()
		e := event(strconv.Itoa(i), types[r.IntN(len(types))], id, at)
		e.CreatedBy = snap.Leads[id-1].ResponsibleUserID
		if e.Type == amo.EventLeadStatusChanged {
			from, to := ref(stages[r.IntN(len(stages))]), ref(stages[r.IntN(len(stages))])
			e.StatusBefore, e.StatusAfter = &from, &to
		}
		snap.Events[i] = e
	}
	snap.Notes = make([]amo.Note, 3*n)
	for i := range snap.Notes {
		id, at := leadAt()
		nt := amo.Note{ID: amo.NoteID(i + 1), EntityType: amo.EntityLeads, EntityID: int64(id), CreatedAt: at,
			CreatedBy: snap.Leads[id-1].ResponsibleUserID, NoteType: amo.NoteCommon, Text: "перезвонить во вторник"}
		if r.IntN(3) > 0 {
			nt.NoteType = []string{amo.NoteCallOut, amo.NoteCallIn}[r.IntN(2)]
			nt.Call = &amo.Call{Duration: r.Int64N(300), Link: "https://rec/" + strconv.Itoa(i)}
			if r.IntN(2) == 0 {
				nt.EntityType, nt.EntityID = amo.EntityContacts, int64(id)
			}
		}
		snap.Notes[i] = nt
	}
	// The event log and notes arrive in time order from amoCRM; keep that shape here.
	slices.SortFunc(snap.Events, func(a, b amo.Event) int { return a.CreatedAt.Compare(b.CreatedAt) })
	slices.SortFunc(snap.Notes, func(a, b amo.Note) int { return a.CreatedAt.Compare(b.CreatedAt) })
	return snap
}
