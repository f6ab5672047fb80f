package sandbox

import (
	"sync"
	"time"

	"salesguard/amo"
)

// World is the sandbox account's data: what the HTTP server serves and the simulator writes.
// All access goes through Read and Update so the server and the simulator can run at once.
type World struct {
	mu   sync.RWMutex
	data Data
	// version counts Update calls so the server can cache sorted indices between changes.
	version uint64
	// observers run after each Update, outside the lock (the servers' webhook senders).
	observers []func()
}

// Data is the content of a World. Entities are stored as the client's own model types; the
// server turns them into API v4 JSON (and back into its quirks) when it serves them.
type Data struct {
	// Now is the simulated current time; the server stamps nothing itself.
	Now time.Time

	Account      amo.Account
	Users        []amo.User
	Pipelines    []amo.Pipeline
	LossReasons  []amo.LossReason
	CustomFields []amo.CustomField

	Leads    map[amo.LeadID]*amo.Lead
	Contacts map[amo.ContactID]*amo.Contact
	Tasks    map[amo.TaskID]*amo.Task
	Notes    map[amo.NoteID]*amo.Note
	Events   []amo.Event // in creation order

	// DeletedLeads keeps deleted leads for with=only_deleted (id, updated_at, updated_by).
	DeletedLeads map[amo.LeadID]*amo.Lead

	// NextID hands out ids for new entities; one counter for all kinds keeps them distinct.
	NextID int64
}

// NewWorld returns an empty world at the given simulated time.
func NewWorld(now time.Time) *World {
	return &World{data: Data{
		Now:          now,
		Leads:        map[amo.LeadID]*amo.Lead{},
		Contacts:     map[amo.ContactID]*amo.Contact{},
		Tasks:        map[amo.TaskID]*amo.Task{},
		Notes:        map[amo.NoteID]*amo.Note{},
		DeletedLeads: map[amo.LeadID]*amo.Lead{},
		NextID:       1_000_000,
	}}
}

// Read runs f with the data locked for reading. f must not keep references after it returns.
func (w *World) Read(f func(d *Data)) {
	w.mu.RLock()
	defer w.mu.RUnlock()
	f(&w.data)
}

// Update runs f with the data locked for writing, then, with the lock released, tells the
// observers (OnUpdate) that the world changed.
func (w *World) Update(f func(d *Data)) {
	for _, o := range w.update(f) {
		o()
	}
}

func (w *World) update(f func(d *Data)) []func() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.version++
	f(&w.data)
	return w.observers
}

// OnUpdate registers f to run after every Update, outside the world's lock, in the goroutine
// that called Update: what f does (a server sends its webhooks) never holds up readers, and
// f may Read the world.
func (w *World) OnUpdate(f func()) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.observers = append(w.observers[:len(w.observers):len(w.observers)], f)
}

// Version returns how many times Update has run. Any change to the data must go through Update
// (never through pointers kept from an earlier call), or the server's cached indices go stale.
func (w *World) Version() uint64 {
	w.mu.RLock()
	defer w.mu.RUnlock()
	return w.version
}

// Now returns the simulated current time.
func (w *World) Now() time.Time {
	w.mu.RLock()
	defer w.mu.RUnlock()
	return w.data.Now
}

// ID returns a fresh entity id.
func (d *Data) ID() int64 {
	d.NextID++
	return d.NextID
}
