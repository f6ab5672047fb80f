package sandbox

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"salesguard/amo"
)

// shapeSpan is how far back BuildShape creates deals; freshSpan how far back the unanswered
// new leads arrived.
const (
	shapeSpan = 90 * 24 * time.Hour
	freshSpan = 72 * time.Hour
	hourSecs  = int32(time.Hour / time.Second)
	daySecs   = 24 * hourSecs
)

// shapeBuilder holds the state of one BuildShape run. Entities are allocated in slabs, one
// slice per kind, and the random picks read and write compact shapeDeal records rather than
// the deals themselves, whose updated_at and closest_task_at are written once at the end:
// a large account is memory-bound, and this keeps it a few seconds.
type shapeBuilder struct {
	s     *Sim
	d     *Data
	r     *rand.Rand
	base  time.Time // the start of the window: Now minus shapeSpan, to the second
	now   int32     // Now in seconds since base; nothing is created after it
	deals []shapeDeal
}

// shapeDeal is a deal managers work on (the unanswered new leads are not) and what the builder
// needs to know about it. Times are seconds since the builder's base.
type shapeDeal struct {
	l       *amo.Lead
	c       *amo.Contact
	id      amo.LeadID
	contact amo.ContactID
	by      amo.UserID // the responsible manager
	status  amo.StatusID
	created int32
	end     int32 // closed_at, or Now: all activity on the deal happens before it
	last    int32 // the latest change of the deal
	cLast   int32 // the latest change of the contact
	closest int32 // the earliest deadline of an open task, 0 = none
	pipe    int8
	stage   int8 // index in pipelineStages of the stage, or of the last one before closing
	byUser  bool // last is a change by the manager, not by the web form
}

// newShapeBuilder starts a BuildShape run on d, which is locked for writing.
func newShapeBuilder(s *Sim, d *Data, seed int64) *shapeBuilder {
	now := d.Now.Truncate(time.Second)
	return &shapeBuilder{s: s, d: d, r: rand.New(rand.NewPCG(uint64(seed), 0x5eed)),
		base: now.Add(-shapeSpan), now: int32(shapeSpan / time.Second)}
}

// at returns the moment off seconds after the window start.
func (b *shapeBuilder) at(off int32) time.Time { return b.base.Add(time.Duration(off) * time.Second) }

// between returns a random second in [from, to]; from when to is not after it.
func (b *shapeBuilder) between(from, to int32) int32 {
	if to <= from {
		return from
	}
	return from + int32(b.r.Int64N(int64(to-from)+1))
}

// by returns off when it is not after end, else a random second in [from, end] (end when from
// is after it): what would have happened after the window's end happened at some moment
// before it, not all at its last second (a real account has no pile of changes at one second,
// and a pile at Now would be read again by the first incremental polls).
func (b *shapeBuilder) by(off, from, end int32) int32 {
	if off <= end {
		return off
	}
	return b.between(min(from, end), end)
}

// deal returns a random worked deal; callers check that there is one.
func (b *shapeBuilder) deal() *shapeDeal { return &b.deals[b.r.IntN(len(b.deals))] }

// touch records the manager's change of the deal at off.
func (dl *shapeDeal) touch(off int32) {
	if off > dl.last {
		dl.last, dl.byUser = off, true
	}
}

// finish writes what the random picks changed back into the deals and contacts.
func (b *shapeBuilder) finish() {
	for i := range b.deals {
		dl := &b.deals[i]
		dl.l.UpdatedAt, dl.c.UpdatedAt = b.at(dl.last), b.at(dl.cLast)
		if dl.byUser {
			dl.l.UpdatedBy = dl.by
		}
		if dl.closest != 0 {
			dl.l.ClosestTaskAt = b.at(dl.closest)
		}
	}
}

// shapeText holds the texts of deals and contacts, made once.
type shapeText struct {
	prefix, suffix string   // around the number of a deal's name
	names          []string // every first name and surname pair of the catalog
	budgets        []int64  // deal budgets, 20 000 to 500 000
	budgetText     []string
}

func (b *shapeBuilder) texts() shapeText {
	c := b.s.cat
	t := shapeText{names: make([]string, 0, len(c.firstNames)*len(c.lastNames))}
	t.prefix, t.suffix, _ = strings.Cut(c.leadName, "%d")
	for f := range c.firstNames {
		for l := range c.lastNames {
			t.names = append(t.names, b.s.fullName(f, l))
		}
	}
	for v := int64(20_000); v <= 500_000; v += 10_000 {
		t.budgets, t.budgetText = append(t.budgets, v), append(t.budgetText, strconv.FormatInt(v, 10))
	}
	return t
}

// leads creates n deals with a contact each. The last n/100 are unanswered new leads from web
// forms (R1, R12): in the first stage, with no task, note or event.
func (b *shapeBuilder) leads(n int) {
	if len(b.d.Leads) == 0 {
		b.d.Leads, b.d.Contacts = make(map[amo.LeadID]*amo.Lead, n), make(map[amo.ContactID]*amo.Contact, n)
	}
	leads, contacts := make([]amo.Lead, n), make([]amo.Contact, n)
	cids, lids := make([]amo.ContactID, n), make([]amo.LeadID, n)
	fields, values := make([]amo.FieldValue, n), make([]string, n)
	tx, fresh := b.texts(), n/100
	b.deals = make([]shapeDeal, 0, n-fresh)
	for i := range n {
		l, c := &leads[i], &contacts[i]
		dl := b.lead(l, c, i >= n-fresh)
		l.Name, c.Name = tx.prefix+strconv.Itoa(i+1)+tx.suffix, tx.names[b.r.IntN(len(tx.names))]
		cids[i], lids[i] = c.ID, l.ID
		l.ContactIDs, c.LeadIDs = cids[i:i+1:i+1], lids[i:i+1:i+1]
		if k := b.r.IntN(len(tx.budgets) * 5 / 3); k < len(tx.budgets) { // three deals in five have a budget (R10)
			fields[i], values[i] = b.s.fieldMeta(FieldBudget), tx.budgetText[k]
			fields[i].Values = values[i : i+1 : i+1]
			l.Price, l.CustomFields = tx.budgets[k], fields[i:i+1:i+1]
		}
		b.d.Leads[l.ID], b.d.Contacts[c.ID] = l, c
		if dl.end != 0 { // not an unanswered new lead
			b.deals = append(b.deals, dl)
		}
	}
}

// lead fills a deal and its contact; for an unanswered new lead the returned end is 0.
func (b *shapeBuilder) lead(l *amo.Lead, c *amo.Contact, fresh bool) shapeDeal {
	m := b.s.managers[b.r.IntN(len(b.s.managers))].id
	span := int32(shapeSpan / time.Second)
	if fresh {
		span = int32(freshSpan / time.Second)
	}
	dl := shapeDeal{l: l, c: c, id: amo.LeadID(b.d.ID()), contact: amo.ContactID(b.d.ID()), by: m,
		created: b.between(b.now-span+1, b.now), end: b.now}
	dl.last, dl.cLast = dl.created, dl.created
	if b.r.IntN(4) == 0 {
		dl.pipe = 1
	}
	keys := pipelineStages()[dl.pipe]
	switch {
	case fresh:
		dl.stage, dl.end = int8(b.r.IntN(2)), 0 // unsorted or new
	case b.r.IntN(20) == 0:
		dl.stage = 1 // taken but left in the first stage
	default:
		dl.stage = int8(2 + b.r.IntN(len(keys)-2))
	}
	dl.status = b.s.stages[dl.pipe][keys[dl.stage]].StatusID
	at := b.at(dl.created)
	*l = amo.Lead{ID: dl.id, ResponsibleUserID: m, GroupID: 1, PipelineID: b.s.pipes[dl.pipe], StatusID: dl.status,
		CreatedAt: at, UpdatedAt: at, Price: int64(b.r.IntN(500)) * 1000}
	if !fresh && b.r.IntN(5) == 0 {
		l.CreatedBy, l.UpdatedBy = m, m // entered by the manager rather than by a web form
	}
	*c = amo.Contact{ID: dl.contact, ResponsibleUserID: m, CreatedAt: at, UpdatedAt: at}
	if !fresh && b.r.IntN(10) < 3 {
		b.close(&dl)
	}
	return dl
}

// close wins or loses a deal within a month of its creation; one lost deal in ten has no
// loss reason (R5).
func (b *shapeBuilder) close(dl *shapeDeal) {
	dl.end = b.by(b.between(dl.created+hourSecs, dl.created+30*daySecs), dl.created, b.now)
	dl.status = amo.StatusWon
	if b.r.IntN(2) == 0 {
		dl.status = amo.StatusLost
		if b.r.IntN(10) > 0 {
			dl.l.LossReasonID = b.s.reasons[b.r.IntN(int(reasonCount))]
		}
	}
	dl.l.StatusID, dl.l.ClosedAt = dl.status, b.at(dl.end)
	dl.touch(dl.end)
}

// open reports whether the deal is neither won nor lost.
func (dl *shapeDeal) open() bool { return dl.status != amo.StatusWon && dl.status != amo.StatusLost }

// tasks creates n tasks on random worked deals: on an open deal one in three is open, the
// rest were completed before the deal closed.
func (b *shapeBuilder) tasks(n int) {
	if len(b.deals) == 0 {
		return
	}
	if len(b.d.Tasks) == 0 {
		b.d.Tasks = make(map[amo.TaskID]*amo.Task, n)
	}
	slab, texts := make([]amo.Task, n), b.s.cat.taskTexts
	for i := range slab {
		dl, t := b.deal(), &slab[i]
		*t = amo.Task{ID: amo.TaskID(b.d.ID()), ResponsibleUserID: dl.by, EntityID: int64(dl.id),
			EntityType: amo.EntityLeads, TaskTypeID: taskTypeCall, Text: texts[b.r.IntN(len(texts))],
			CreatedBy: dl.by, UpdatedBy: dl.by}
		if b.r.IntN(5) == 0 {
			t.TaskTypeID = taskTypeMeeting
		}
		if dl.open() && b.r.IntN(3) == 0 {
			b.openTask(dl, t)
		} else {
			b.doneTask(dl, t)
		}
		b.d.Tasks[t.ID] = t
	}
}

// openTask is set within the last week and due one hour to five days later, so some are
// overdue (R3) and some are ahead; it may be the deal's closest task.
func (b *shapeBuilder) openTask(dl *shapeDeal, t *amo.Task) {
	set := b.between(max(dl.created, b.now-7*daySecs), b.now)
	t.CreatedAt, t.UpdatedAt = b.at(set), b.at(set)
	due := b.at(set + hourSecs + int32(b.r.IntN(5*24*60))*60).Truncate(time.Minute)
	t.CompleteTill = due
	if off := int32(due.Sub(b.base) / time.Second); dl.closest == 0 || off < dl.closest {
		dl.closest = off
	}
	dl.touch(set)
}

// doneTask was completed within two days of being set, before the deal closed; one in twenty
// has an empty or trivial result (R8).
func (b *shapeBuilder) doneTask(dl *shapeDeal, t *amo.Task) {
	set := b.between(dl.created, dl.end)
	done := b.by(set+600+int32(b.r.IntN(48*60))*60, set, dl.end)
	t.CreatedAt, t.UpdatedAt, t.IsCompleted = b.at(set), b.at(done), true
	t.CompleteTill = b.at(set + int32(1+b.r.IntN(72))*hourSecs).Truncate(time.Minute)
	t.Result = b.s.cat.results[b.r.IntN(len(b.s.cat.results))]
	if b.r.IntN(20) == 0 {
		t.Result = b.s.cat.trivial[b.r.IntN(len(b.s.cat.trivial))]
	}
	dl.touch(done)
}
