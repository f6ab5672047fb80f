package sandbox

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"time"

	"salesguard/amo"
)

// BuildLarge fills w with a big account for benchmarks, fast: the dictionaries of a quiet
// simulator (20 managers), then leads deals spread over the 90 days before the world's Now,
// tasks tasks on random deals (about a third open), and eventsAndNotes entries split evenly
// between notes (calls and comments, a third on contacts) and events (status changes, calls,
// notes, completed tasks). Each deal has one contact. The data is consistent (references,
// closest_task_at, updated_at) but follows no story; it is not driven by AdvanceTo. The
// returned simulator knows the dictionaries (Stage, Reason, Field, Managers).
func BuildLarge(w *World, leads, tasks, eventsAndNotes int, seed int64) *Sim {
	s := NewSim(w, SimConfig{Seed: seed, Quiet: true, Start: w.Now()})
	s.Populate()
	r := rand.New(rand.NewPCG(uint64(seed), 0x5eed))
	w.Update(func(d *Data) {
		b := largeBuilder{s: s, d: d, r: r, now: d.Now}
		b.leads(leads)
		b.tasks(tasks)
		b.notes(eventsAndNotes / 2)
		b.events(eventsAndNotes - eventsAndNotes/2)
	})
	return s
}

// largeBuilder holds the state of one BuildLarge run.
type largeBuilder struct {
	s   *Sim
	d   *Data
	r   *rand.Rand
	now time.Time
	ids []amo.LeadID
}

// ago returns a random moment within the last span before now, to the second.
func (b *largeBuilder) ago(span time.Duration) time.Time {
	return b.now.Add(-time.Duration(b.r.Int64N(int64(span/time.Second))) * time.Second)
}

// leads creates n deals with one contact each.
func (b *largeBuilder) leads(n int) {
	b.ids = make([]amo.LeadID, 0, n)
	keys := pipelineStages()
	for i := range n {
		at := b.ago(90 * 24 * time.Hour)
		p := i & 1
		m := b.s.managers[b.r.IntN(len(b.s.managers))]
		ref := b.s.stages[p][keys[p][b.r.IntN(len(keys[p]))]]
		lead := &amo.Lead{ID: amo.LeadID(b.d.ID()), Name: "Lead " + strconv.Itoa(i+1), ResponsibleUserID: m.id,
			PipelineID: ref.PipelineID, StatusID: ref.StatusID, CreatedAt: at, UpdatedAt: at, UpdatedBy: m.id,
			Price: int64(b.r.IntN(500)) * 1000}
		if b.r.IntN(10) < 3 {
			lead.StatusID, lead.ClosedAt = amo.StatusWon, at.Add(time.Hour)
			if b.r.IntN(2) == 0 {
				lead.StatusID, lead.LossReasonID = amo.StatusLost, b.s.reasons[b.r.IntN(int(reasonCount))]
			}
			lead.UpdatedAt = lead.ClosedAt
		}
		c := &amo.Contact{ID: amo.ContactID(b.d.ID()), Name: "Client " + strconv.Itoa(i+1), ResponsibleUserID: m.id,
			CreatedAt: at, UpdatedAt: at, LeadIDs: []amo.LeadID{lead.ID}}
		lead.ContactIDs = []amo.ContactID{c.ID}
		b.d.Leads[lead.ID] = lead
		b.d.Contacts[c.ID] = c
		b.ids = append(b.ids, lead.ID)
	}
}

// lead returns a random deal, or nil when there are none.
func (b *largeBuilder) lead() *amo.Lead {
	if len(b.ids) == 0 {
		return nil
	}
	return b.d.Leads[b.ids[b.r.IntN(len(b.ids))]]
}

// bump moves a deal's updated_at forward to at.
func bump(l *amo.Lead, at time.Time) {
	if at.After(l.UpdatedAt) {
		l.UpdatedAt = at
	}
}

// tasks creates n tasks on random deals and sets closest_task_at.
func (b *largeBuilder) tasks(n int) {
	for range n {
		l := b.lead()
		if l == nil {
			return
		}
		at := l.CreatedAt.Add(time.Duration(b.r.IntN(48*60)) * time.Minute)
		if at.After(b.now) {
			at = b.now
		}
		t := &amo.Task{ID: amo.TaskID(b.d.ID()), ResponsibleUserID: l.ResponsibleUserID, EntityID: int64(l.ID),
			EntityType: amo.EntityLeads, TaskTypeID: taskTypeCall, Text: "Call back",
			CompleteTill: at.Add(time.Duration(1+b.r.IntN(72)) * time.Hour).Truncate(time.Minute),
			CreatedBy:    l.ResponsibleUserID, UpdatedBy: l.ResponsibleUserID, CreatedAt: at, UpdatedAt: at}
		if !l.IsOpen() || b.r.IntN(3) > 0 {
			t.IsCompleted, t.Result = true, "Talked, sending the proposal"
		} else if t.CompleteTill.Before(l.ClosestTaskAt) || l.ClosestTaskAt.IsZero() {
			l.ClosestTaskAt = t.CompleteTill
		}
		b.d.Tasks[t.ID] = t
		bump(l, at)
	}
}

// notes creates n notes: mostly calls, some comments, a third on the deal's contact.
func (b *largeBuilder) notes(n int) {
	for i := range n {
		l := b.lead()
		if l == nil {
			return
		}
		at := b.ago(b.now.Sub(l.CreatedAt) + time.Second)
		nt := &amo.Note{ID: amo.NoteID(b.d.ID()), EntityID: int64(l.ID), EntityType: amo.EntityLeads, NoteType: amo.NoteCommon,
			Text: "Discussed the price", CreatedBy: l.ResponsibleUserID, ResponsibleUserID: l.ResponsibleUserID,
			CreatedAt: at, UpdatedAt: at}
		if i%4 != 0 {
			dur := int64(b.r.IntN(16))
			if b.r.IntN(3) == 0 {
				dur = 60 + int64(b.r.IntN(540))
			}
			nt.NoteType, nt.Text = amo.NoteCallOut, ""
			nt.Call = &amo.Call{Duration: dur, Status: 6, Uniq: "u" + strconv.Itoa(i)}
			if dur >= 30 {
				nt.Call.Status, nt.Call.Link = 4, "https://records.sandbox.local/u"+strconv.Itoa(i)+".mp3"
			}
		}
		if i%3 == 0 {
			nt.EntityID, nt.EntityType = int64(l.ContactIDs[0]), amo.EntityContacts
		} else {
			bump(l, at)
		}
		b.d.Notes[nt.ID] = nt
	}
}

// events appends n events about random deals, in time order.
func (b *largeBuilder) events(n int) {
	start := len(b.d.Events)
	types := []string{amo.EventLeadStatusChanged, amo.EventOutgoingCall, amo.EventCommonNoteAdded, amo.EventTaskCompleted}
	for i := range n {
		l := b.lead()
		if l == nil {
			return
		}
		e := amo.Event{ID: "ev" + strconv.FormatInt(b.d.ID(), 36), Type: types[i%len(types)], EntityID: int64(l.ID),
			EntityType: "lead", CreatedBy: l.ResponsibleUserID, CreatedAt: b.ago(b.now.Sub(l.CreatedAt) + time.Second)}
		if e.Type == amo.EventLeadStatusChanged {
			st := l.Status()
			p := 0
			if l.PipelineID == b.s.pipes[1] {
				p = 1
			}
			before := b.s.stages[p][StageNew]
			e.StatusBefore, e.StatusAfter = &before, &st
		}
		bump(l, e.CreatedAt)
		b.d.Events = append(b.d.Events, e)
	}
	sortEvents(b.d.Events[start:])
}

// sortEvents orders events by creation time, keeping the order of equal times.
func sortEvents(es []amo.Event) {
	slices.SortStableFunc(es, func(a, b amo.Event) int { return a.CreatedAt.Compare(b.CreatedAt) })
}
