package sandbox

import (
	"fmt"
	"strings"
	"time"

	"salesguard/amo"
)

// Shape is the size of a generated account.
type Shape struct{ Leads, Tasks, Notes, Events int }

// namedShape is one entry of the shapes every benchmark and `salesguard sandbox --size` share.
type namedShape struct {
	name  string
	shape Shape
}

// shapes lists the named shapes, smallest first.
func shapes() []namedShape {
	return []namedShape{
		{"small", Shape{Leads: 1_000, Tasks: 3_000, Notes: 3_000, Events: 10_000}},
		{"medium", Shape{Leads: 10_000, Tasks: 30_000, Notes: 30_000, Events: 100_000}},
		{"large", Shape{Leads: 100_000, Tasks: 300_000, Notes: 300_000, Events: 1_000_000}},
	}
}

// ShapeNames returns the names ShapeByName accepts, smallest first.
func ShapeNames() []string {
	var out []string
	for _, s := range shapes() {
		out = append(out, s.name)
	}
	return out
}

// ShapeByName returns a named shape: "small" (1k leads, 3k tasks, 3k notes, 10k events),
// "medium" (10k, 30k, 30k, 100k) or "large" (100k, 300k, 300k, 1M). The error lists the
// valid names.
func ShapeByName(name string) (Shape, error) {
	for _, s := range shapes() {
		if s.name == name {
			return s.shape, nil
		}
	}
	return Shape{}, fmt.Errorf("unknown account shape %q: want %s", name, strings.Join(ShapeNames(), ", "))
}

// BuildShape fills w, a new World, with a generated account of shape sh in a few seconds:
// the dictionaries of a quiet simulator (20 managers, two pipelines) and then the deals,
// tasks, notes and events, all created within the 90 days before the world's Now and none
// after it. The same seed gives the same account.
//
// The data is consistent: each deal has its own contact; tasks, notes and events name
// existing deals or contacts; closest_task_at is the earliest open task; updated_at covers
// every change; events are in time order and status changes carry before/after. It is not a
// story (AdvanceTo does not drive these deals) but it trips every rule: unanswered new leads
// from web forms, deals without an open task, overdue tasks, stale stages, lost deals with and
// without a reason, tasks closed without a result, short and long calls with recordings.
// The returned simulator knows the dictionaries (Stage, Reason, Field, Managers).
func BuildShape(w *World, sh Shape, seed int64) *Sim {
	s := NewSim(w, SimConfig{Seed: seed, Quiet: true, Start: w.Now()})
	s.Populate()
	w.Update(func(d *Data) {
		b := newShapeBuilder(s, d, seed)
		b.leads(max(sh.Leads, 0))
		b.tasks(max(sh.Tasks, 0))
		b.notes(max(sh.Notes, 0))
		b.events(max(sh.Events, 0))
		b.finish()
	})
	return s
}

// BuildLarge fills w with leads deals, tasks tasks and eventsAndNotes notes and events, half
// and half.
//
// Deprecated: use BuildShape with a named Shape, so every benchmark measures the same account.
func BuildLarge(w *World, leads, tasks, eventsAndNotes int, seed int64) *Sim {
	return BuildShape(w, Shape{Leads: leads, Tasks: tasks, Notes: eventsAndNotes / 2, Events: eventsAndNotes / 2}, seed)
}

// Page sizes of a full sync: 250 per page for entities and notes, 100 for events (API.md §4).
const (
	syncPageLimit  = 250
	eventPageLimit = 100
	// dictionaryReads are the account, users, pipelines, loss reasons and the lead and contact
	// custom fields.
	dictionaryReads = 6
)

// MinFullSyncRequests returns the least number of requests a full sync of w can make: one page
// per limit entities (an empty list still costs one request) of leads, contacts, tasks, lead
// notes, contact notes (250 each) and of the events created within eventHistory before the
// world's Now (100), plus the six dictionary reads.
func MinFullSyncRequests(w *World, eventHistory time.Duration) int {
	return CountData(w, eventHistory).fullSyncRequests()
}

// fullSyncRequests is MinFullSyncRequests for these counts.
func (c Counts) fullSyncRequests() int {
	pages := func(n, limit int) int { return max(1, (n+limit-1)/limit) }
	return dictionaryReads + pages(c.Leads, syncPageLimit) + pages(c.Contacts, syncPageLimit) +
		pages(c.Tasks, syncPageLimit) + pages(c.LeadNotes, syncPageLimit) + pages(c.ContactNotes, syncPageLimit) +
		pages(c.RecentEvents, eventPageLimit)
}

// Counts is the size of each list of a World.
type Counts struct {
	Leads        int `json:"leads"`
	Contacts     int `json:"contacts"`
	Tasks        int `json:"tasks"`
	Notes        int `json:"notes"`
	LeadNotes    int `json:"lead_notes"`
	ContactNotes int `json:"contact_notes"`
	Events       int `json:"events"`
	// RecentEvents counts the events within the history window a full sync reads.
	RecentEvents int `json:"recent_events"`
	DeletedLeads int `json:"deleted_leads"`
}

// CountData returns the size of each list of w; RecentEvents counts the events created within
// eventHistory before the world's Now.
func CountData(w *World, eventHistory time.Duration) Counts {
	var c Counts
	w.Read(func(d *Data) { c = countData(d, eventHistory) })
	return c
}

// countData counts the lists of d, which is locked.
func countData(d *Data, eventHistory time.Duration) Counts {
	c := Counts{Leads: len(d.Leads), Contacts: len(d.Contacts), Tasks: len(d.Tasks), Notes: len(d.Notes),
		Events: len(d.Events), DeletedLeads: len(d.DeletedLeads)}
	for _, nt := range d.Notes {
		if nt.EntityType == amo.EntityLeads {
			c.LeadNotes++
		} else {
			c.ContactNotes++
		}
	}
	from := d.Now.Add(-eventHistory)
	for i := range d.Events {
		if at := d.Events[i].CreatedAt; !at.Before(from) && !at.After(d.Now) {
			c.RecentEvents++
		}
	}
	return c
}
