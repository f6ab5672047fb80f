package workset

import (
	"bytes"
	"fmt"
	"reflect"
	"runtime"
	"slices"
	"testing"
	"time"

	"salesguard/amo"
)

var t0 = time.Date(2026, 11, 18, 9, 0, 0, 0, time.UTC)

func page(at time.Time) *amo.Changes { return &amo.Changes{TakenAt: at} }

func lead(id amo.LeadID, status amo.StatusID, contacts ...amo.ContactID) amo.Lead {
	return amo.Lead{ID: id, Name: "deal", PipelineID: 1, StatusID: status, ResponsibleUserID: 5,
		CreatedAt: t0.Add(-time.Hour), UpdatedAt: t0.Add(-time.Hour), ContactIDs: contacts}
}

func call(id amo.NoteID, entity string, on int64, at time.Time, dur int64) amo.Note {
	return amo.Note{ID: id, EntityType: entity, EntityID: on, NoteType: amo.NoteCallOut, CreatedAt: at, CreatedBy: 5,
		Call: &amo.Call{Duration: dur, Link: "https://rec/x"}}
}

// TestApplyIsIdempotent: reading a page again changes nothing and marks nothing.
func TestApplyIsIdempotent(t *testing.T) {
	s := New()
	p := page(t0)
	p.Leads = []amo.Lead{lead(1, 10, 50)}
	p.Contacts = []amo.Contact{{ID: 50, LeadIDs: []amo.LeadID{1}}}
	p.Tasks = []amo.Task{{ID: 7, EntityID: 1, EntityType: amo.EntityLeads, CompleteTill: t0, UpdatedAt: t0}}
	p.Notes = []amo.Note{call(3, amo.EntityContacts, 50, t0.Add(-time.Minute), 40)}
	p.Events = []amo.Event{{ID: "e1", Type: amo.EventOutgoingCall, EntityType: "lead", EntityID: 1, CreatedAt: t0.Add(-2 * time.Minute)}}
	s.Apply(p)
	if d := s.TakeDirty(); len(d.Deals) != 1 || !d.Account {
		t.Fatalf("first apply: dirty %+v", d)
	}
	if ch := s.TakeChanged(); len(ch) != 3 {
		t.Fatalf("first apply: changed %+v, want the deal, the contact and the task", ch)
	}
	s.Apply(p)
	if d := s.TakeDirty(); !d.IsZero() {
		t.Errorf("second apply marked %+v dirty", d)
	}
	if ch := s.TakeChanged(); len(ch) != 0 {
		t.Errorf("second apply changed %+v", ch)
	}
	d := s.DealByID(1)
	if got := s.Contacts()[s.ContactsOf(s.Deal(1))[0]].Acts(); len(got) != 1 || got[0].Dur != 40 {
		t.Errorf("contact's call: %+v", got)
	}
	var atts []Attempt
	d.EachAttempt(func(a Attempt) bool { atts = append(atts, a); return true })
	if len(atts) != 1 || !atts[0].Event || d.LastComm != t0.Add(-2*time.Minute).Unix() {
		t.Errorf("deal aggregates: attempts %+v last comm %d", atts, d.LastComm)
	}
}

// TestItemsBeforeTheirDeal: a note and a task that arrive before their deal wait for it.
func TestItemsBeforeTheirDeal(t *testing.T) {
	s := New()
	p := page(t0)
	p.Notes = []amo.Note{call(3, amo.EntityLeads, 1, t0.Add(-time.Minute), 90)}
	p.Tasks = []amo.Task{{ID: 7, EntityID: 1, EntityType: amo.EntityLeads, CompleteTill: t0}}
	s.Apply(p)
	if d := s.TakeDirty(); len(d.Tasks) != 1 {
		t.Errorf("an orphan task's scope is not dirty: %+v", d)
	}
	p = page(t0)
	p.Leads = []amo.Lead{lead(1, 10)}
	s.Apply(p)
	d := s.DealByID(1)
	if _, ok := d.LongestBefore(t0.Unix()); len(d.Acts()) != 1 || !ok || len(s.TasksOf(s.Deal(1))) != 1 {
		t.Fatalf("deal did not collect what waited: acts %v call %v tasks %v", d.Acts(), ok, s.TasksOf(s.Deal(1)))
	}
	if dirty := s.TakeDirty(); !slices.Contains(dirty.Tasks, 7) {
		t.Errorf("the task's orphan scope must be evaluated again: %+v", dirty)
	}
}

// TestPeaksKeepTheLongestAsOfAnyMoment checks the staircase of record calls R5 reads.
func TestPeaksKeepTheLongestAsOfAnyMoment(t *testing.T) {
	var tr Trail
	set := New() // its pools hold the trail's lists
	defer runtime.KeepAlive(set)
	for _, c := range []struct {
		at  int64
		dur int32
	}{{100, 30}, {300, 90}, {200, 60}, {400, 20}, {250, 95}, {500, 95}} {
		tr.putPeak(&set.mem, Peak{At: c.at, Note: c.at, Dur: c.dur})
	}
	var got [][2]int64
	for p := range tr.peaks() {
		got = append(got, [2]int64{p.At, int64(p.Dur)})
	}
	want := [][2]int64{{100, 30}, {200, 60}, {250, 95}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("peaks %v, want %v", got, want)
	}
	for _, c := range []struct {
		at   int64
		want int32
	}{{99, 0}, {100, 30}, {249, 60}, {1000, 95}} {
		p, _ := tr.LongestBefore(c.at)
		if p.Dur != c.want {
			t.Errorf("longest at %d = %d, want %d", c.at, p.Dur, c.want)
		}
	}
}

// TestPruneEvictsAndRestores: a deal closed long ago leaves the set (persisted cold) and comes
// back with its aggregates when amoCRM shows it again.
func TestPruneEvictsAndRestores(t *testing.T) {
	s := New()
	p := page(t0)
	l := lead(1, amo.StatusWon)
	l.ClosedAt = t0.Add(-time.Hour)
	p.Leads = []amo.Lead{l, lead(2, 10)}
	p.Notes = []amo.Note{call(3, amo.EntityLeads, 1, t0.Add(-2*time.Hour), 120)}
	s.Apply(p)
	s.TakeChanged()
	later := t0.Add(KeepClosed + time.Hour)
	st := s.Prune(later)
	if st.EvictedDeals != 1 || s.DealByID(1) != nil || s.DealByID(2) == nil {
		t.Fatalf("prune: %+v", st)
	}
	var cold []byte
	for _, c := range s.TakeChanged() {
		if c.Kind == RecDeal && c.ID == 1 && c.Op == OpCold {
			cold = c.Data
		}
	}
	if cold == nil {
		t.Fatal("the evicted deal was not handed over to be persisted cold")
	}
	if err := s.Restore(RecDeal, cold); err != nil {
		t.Fatal(err)
	}
	if d := s.DealByID(1); d == nil {
		t.Fatal("deal not restored")
	} else if p, ok := d.LongestBefore(t0.Unix()); !ok || p.Dur != 120 {
		t.Fatalf("restored deal lost its history: %+v", d)
	}
}

// TestCodecRoundTrip encodes every record kind and loads it into a new set.
func TestCodecRoundTrip(t *testing.T) {
	s := New()
	p := page(t0)
	acct := amo.Account{ID: 1, TimeZone: "Europe/Moscow"}
	p.Account, p.Dictionaries = &acct, true
	l := lead(1, 10, 50)
	l.CustomFields = []amo.FieldValue{{FieldID: 9, Values: []string{"x"}}}
	l.CreatedBy = 5
	p.Leads = []amo.Lead{l}
	p.Contacts = []amo.Contact{{ID: 50, LeadIDs: []amo.LeadID{1}, CustomFields: []amo.FieldValue{{FieldID: 4, Values: []string{"+7"}}}}}
	p.Tasks = []amo.Task{{ID: 7, EntityID: 1, EntityType: amo.EntityLeads, Text: "call", Result: "done", IsCompleted: true,
		CompleteTill: t0, CreatedAt: t0, UpdatedAt: t0}}
	before, after := amo.StatusRef{PipelineID: 1, StatusID: 9}, amo.StatusRef{PipelineID: 1, StatusID: 10}
	p.Notes = []amo.Note{call(3, amo.EntityLeads, 1, t0.Add(-time.Minute), 40),
		{ID: 4, EntityType: amo.EntityLeads, EntityID: 1, NoteType: amo.NoteCommon, Text: "договорились", CreatedAt: t0, CreatedBy: 5},
		call(5, amo.EntityLeads, 99, t0, 10)}
	p.Events = []amo.Event{{ID: "m", Type: amo.EventLeadStatusChanged, EntityType: "lead", EntityID: 1, CreatedAt: t0,
		StatusBefore: &before, StatusAfter: &after}, {ID: "c", Type: amo.EventOutgoingChatMessage, EntityType: "lead", EntityID: 1, CreatedAt: t0},
		{ID: "f", Type: "custom_field_value_changed", EntityType: "lead", EntityID: 1, CreatedAt: t0}}
	s.Apply(p)
	changes := s.TakeChanged()
	n := newWithMeta(t, s)
	for _, c := range changes {
		data, ok := s.Encode(c.Kind, c.ID)
		if !ok {
			t.Fatalf("no record for %+v", c)
		}
		var err error
		if c.Kind == RecPendingDeal || c.Kind == RecPendingContact {
			err = n.LoadPending(c.Kind, c.ID, data)
		} else {
			err = n.Load(c.Kind, data)
		}
		if err != nil {
			t.Fatalf("load %+v: %v", c, err)
		}
	}
	a, b := s.DealByID(1), n.DealByID(1)
	if b == nil {
		t.Fatal("deal missing after load")
	}
	if !sameActs(s, a.Acts(), n, b.Acts()) || a.LastComm != b.LastComm || s.DealName(a) != n.DealName(b) ||
		!slices.Equal(a.Fields(), b.Fields()) || a.ByUser != b.ByUser || !reflect.DeepEqual(moves(s, a), moves(n, b)) {
		t.Errorf("deal differs after a round trip:\n%+v\n%+v", a, b)
	}
	if at, ok := b.EnteredAt(n.StageSlotOf(after)); !ok || at != t0.Unix() {
		t.Errorf("stage entry lost in a round trip: %d %v", at, ok)
	}
	if !reflect.DeepEqual(n.Dict(), s.Dict()) || !n.TasksSeen() {
		t.Error("meta differs after a round trip")
	}
	if got := n.TaskByID(7); got == nil || n.TaskResult(got) != "done" || got.Deal() != n.Deal(1) {
		t.Errorf("task after a round trip: %+v", got)
	}
	if ci := n.Contact(50); ci < 0 || !n.Contacts()[ci].HasField(4) || !slices.Contains(n.ContactsOf(n.Deal(1)), ci) {
		t.Error("contact or its link lost in a round trip")
	}
	if d := n.TakeDirty(); !d.IsZero() {
		t.Errorf("loading marked %+v dirty", d)
	}
}

// FuzzLoad feeds arbitrary bytes to the record decoder: it must return an error or a record,
// never panic or allocate without bound, and leave the set's lists sound.
func FuzzLoad(f *testing.F) {
	s := New()
	p := page(t0)
	p.Leads = []amo.Lead{lead(1, 10, 50)}
	p.Notes = []amo.Note{call(3, amo.EntityLeads, 1, t0, 40)}
	s.Apply(p)
	for _, c := range s.TakeChanged() {
		if data, ok := s.Encode(c.Kind, c.ID); ok {
			f.Add(uint8(c.Kind), data)
		}
	}
	f.Add(uint8(RecTask), []byte{codecVersion, 2, 4})
	f.Fuzz(func(t *testing.T, kind uint8, data []byte) {
		n := New()
		k := RecordKind(kind%5 + 1)
		if k == RecPendingDeal || k == RecPendingContact {
			_ = n.LoadPending(k, 1, data)
		} else {
			_ = n.Load(k, data)
		}
		n.Loaded()
		if err := n.CheckMemory(); err != nil { // what a bad record left holds no one's memory
			t.Fatal(err)
		}
	})
}

// TestAggSections exercises the packed aggregates: each section keeps its order and caps, and
// survives a codec round trip.
func TestAggSections(t *testing.T) {
	var tr Trail
	s := New() // its pools hold the trail's lists
	m := &s.mem
	for i := range 300 {
		tr.putAttempt(m, Attempt{At: int64(1000 - i), Key: int64(i), Dur: int32(i)})
	}
	n, last := 0, int64(0)
	tr.EachAttempt(func(a Attempt) bool {
		if a.At < last {
			t.Errorf("attempts out of order at %d", a.At)
		}
		last = a.At
		n++
		return true
	})
	if n != MaxAttempts {
		t.Errorf("%d attempts kept, want the earliest %d", n, MaxAttempts)
	}
	for i := range 40 {
		tr.putMessage(m, int64(2000+i))
	}
	if !tr.MessageIn(2039, 2039) || tr.MessageIn(2040, 2050) || !tr.MessageIn(2000, 2007) {
		t.Error("messages: the latest 32 are kept, and earlier ones assumed when all of them are later")
	}
	tr.putEntry(m, 50, 3)
	tr.putEntry(m, 70, 3)
	tr.putEntry(m, 60, 3)
	if at, ok := tr.EnteredAt(3); !ok || at != 70 {
		t.Errorf("entered %d %v, want the latest 70", at, ok)
	}
	tr.putMove(m, Move{At: 10, From: -1, To: 3, ByUser: true}, true)
	tr.putMove(m, Move{At: 5, From: 2, To: 4}, true)
	tr.putMove(m, Move{At: 10, From: -1, To: 3, ByUser: true}, true)
	var ms []Move
	tr.EachMove(func(m Move) bool { ms = append(ms, m); return true })
	if len(ms) != 2 || ms[0].At != 5 || ms[1].From != -1 || !ms[1].ByUser {
		t.Errorf("moves %+v", ms)
	}
	tr.putTouch(m, 3)
	tr.putTouch(m, 1)
	if !tr.TouchedIn(900, 1800) || tr.TouchedIn(1800, 2700) {
		t.Error("touches")
	}
	s.StageSlot(amo.StatusRef{PipelineID: 1, StatusID: 1})
	s.StageSlot(amo.StatusRef{PipelineID: 1, StatusID: 2})
	s.StageSlot(amo.StatusRef{PipelineID: 1, StatusID: 3})
	s.StageSlot(amo.StatusRef{PipelineID: 1, StatusID: 4})
	s.StageSlot(amo.StatusRef{PipelineID: 1, StatusID: 5})
	e := &encoder{}
	s.encodeTrail(e, &tr)
	got := s.decodeTrail(&decoder{b: e.b})
	if !slices.Equal(got.agg.s(), tr.agg.s()) {
		t.Errorf("aggregates differ after a round trip:\n%v\n%v", got.agg.s(), tr.agg.s())
	}
	tr.trim(m, 4000, 8)
	ms = ms[:0]
	tr.EachMove(func(m Move) bool { ms = append(ms, m); return true })
	if len(ms) != 1 || tr.TouchedIn(0, 1<<40) {
		t.Errorf("trim: moves %+v, touches left %v", ms, tr.TouchedIn(0, 1<<40))
	}
	runtime.KeepAlive(s)
}

// moves lists a deal's moves with their stages, as a set knows them.
func moves(s *Set, d *Deal) []string {
	var out []string
	d.EachMove(func(m Move) bool {
		from, _ := s.Stage(m.From)
		to, _ := s.Stage(m.To)
		out = append(out, fmt.Sprint(m.At, from, to, m.ByUser))
		return true
	})
	return out
}

// TestCompactKeepsLinks evicts most deals of a set so Prune compacts it, and checks every link
// survives: deals to contacts and tasks, contacts to deals, orphans and awaiting deals.
func TestCompactKeepsLinks(t *testing.T) {
	old := compactMin
	compactMin = 10
	defer func() { compactMin = old }()
	s := New()
	p := page(t0)
	for i := range 100 {
		id := amo.LeadID(i + 1)
		l := lead(id, 10, amo.ContactID(1000+i))
		if i%4 != 0 {
			l.StatusID, l.ClosedAt = amo.StatusWon, t0.Add(-time.Hour)
		}
		p.Leads = append(p.Leads, l)
		p.Contacts = append(p.Contacts, amo.Contact{ID: amo.ContactID(1000 + i), LeadIDs: []amo.LeadID{id}})
	}
	p.Leads = append(p.Leads, lead(500, 10, 9999)) // its contact never comes: it awaits
	p.Tasks = []amo.Task{{ID: 1, EntityID: 1, EntityType: amo.EntityLeads, CompleteTill: t0},
		{ID: 2, EntityID: 77777, EntityType: amo.EntityLeads, CompleteTill: t0}} // on a deal never seen
	s.Apply(p)
	st := s.Prune(t0.Add(KeepClosed + 2*time.Hour))
	if err := s.CheckMemory(); err != nil {
		t.Fatalf("after a compaction: %v", err)
	}
	if st.EvictedDeals != 75 || len(s.freeDeals) != 0 || len(s.Deals()) != 26 {
		t.Fatalf("prune %+v; %d slots, %d free", st, len(s.Deals()), len(s.freeDeals))
	}
	for i := range 100 {
		id := amo.LeadID(i + 1)
		slot := s.Deal(id)
		if i%4 != 0 {
			if slot >= 0 {
				t.Errorf("deal %d kept", id)
			}
			continue
		}
		d := s.Deals()[slot]
		if d.ID != id || len(s.ContactsOf(slot)) != 1 {
			t.Fatalf("deal %d: %+v contacts %v", id, d.ID, s.ContactsOf(slot))
		}
		c := s.ContactsOf(slot)[0]
		if s.Contacts()[c].ID != amo.ContactID(1000+i) || !slices.Contains(s.DealsOf(c), slot) {
			t.Errorf("deal %d: contact link broken", id)
		}
	}
	if tk := s.TaskByID(1); tk == nil || tk.Deal() != s.Deal(1) || !slices.Contains(s.TasksOf(s.Deal(1)), s.taskAt[1]) {
		t.Error("task link broken")
	}
	if os := s.orphans[77777]; len(os) != 1 || s.tasks[os[0]].ID != 2 {
		t.Errorf("orphans %v", s.orphans)
	}
	if ws := s.awaiting[9999]; len(ws) != 1 || s.deals[ws[0]].ID != 500 {
		t.Errorf("awaiting %v", s.awaiting)
	}
}

// TestReserve checks that sizes reserve an empty set and that a bad hint is ignored.
func TestReserve(t *testing.T) {
	s := New()
	for _, bad := range [][]byte{nil, {0xff}, {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, 1, 1}} {
		s.Reserve(bad)
		if cap(s.Deals()) != 0 {
			t.Fatalf("Reserve(%x) reserved %d deals", bad, cap(s.Deals()))
		}
	}
	e := &encoder{}
	e.u(10)
	e.u(20)
	e.u(30)
	s.Reserve(e.b)
	if cap(s.Deals()) != 10 || cap(s.Tasks()) != 20 || cap(s.Contacts()) != 30 {
		t.Fatalf("reserved %d, %d, %d; want 10, 20, 30", cap(s.Deals()), cap(s.Tasks()), cap(s.Contacts()))
	}
	if cap(s.texts.b) != 0 {
		t.Errorf("sizes without the texts' size reserved %d bytes of texts", cap(s.texts.b))
	}
	for _, c := range []struct{ texts, want uint64 }{{5000, 5000}, {1 << 40, 0}} {
		s := New()
		e := &encoder{}
		e.u(10)
		e.u(20)
		e.u(30)
		e.u(c.texts)
		s.Reserve(e.b)
		if cap(s.Deals()) != 10 || uint64(cap(s.texts.b)) != c.want {
			t.Errorf("texts %d: reserved %d deals and %d bytes of texts, want 10 and %d", c.texts, cap(s.Deals()), cap(s.texts.b), c.want)
		}
	}
}

// TestLoadedSetChangesLikeTheOriginal loads a set from its records (the lists and strings
// carved to their length, the links re-carved by Loaded), recarves the original, applies the same
// later pages to both, recarves the loaded one, and compares every record byte for byte: what
// was carved grows, shrinks and changes like what was allocated.
func TestLoadedSetChangesLikeTheOriginal(t *testing.T) {
	s := New()
	p := page(t0)
	p.Account, p.Dictionaries = &amo.Account{ID: 1, TimeZone: "Europe/Moscow"}, true
	for i := 1; i <= 600; i++ {
		l := lead(amo.LeadID(i), 10, amo.ContactID(1000+i))
		l.Name = fmt.Sprintf("deal %d", i)
		p.Leads = append(p.Leads, l)
		p.Contacts = append(p.Contacts, amo.Contact{ID: amo.ContactID(1000 + i), LeadIDs: []amo.LeadID{amo.LeadID(i)}})
		p.Tasks = append(p.Tasks, amo.Task{ID: amo.TaskID(i), EntityID: int64(i), EntityType: amo.EntityLeads, Text: "call",
			CompleteTill: t0.Add(time.Hour), CreatedAt: t0, UpdatedAt: t0})
		p.Notes = append(p.Notes, call(amo.NoteID(i), amo.EntityLeads, int64(i), t0.Add(-time.Minute), int64(i%90)))
	}
	s.Apply(p)
	s.TakeChanged()
	n := newWithMeta(t, s)
	n.Reserve(s.Sizes())
	load := func(k RecordKind, id int64) {
		data, ok := s.Encode(k, id)
		if !ok {
			t.Fatalf("no record %d %d", k, id)
		}
		if err := n.Load(k, data); err != nil {
			t.Fatal(err)
		}
	}
	eachRecord(s, load)
	n.Loaded()
	s.Recarve() // the original carved too: what it holds must not change
	checkMemory(t, "after the load", n)
	checkMemory(t, "after a recarve", s)

	later := page(t0.Add(10 * time.Minute))
	for i := 1; i <= 600; i += 3 {
		l := lead(amo.LeadID(i), 11, amo.ContactID(1000+i), amo.ContactID(1000+i+1))
		l.Name = fmt.Sprintf("renamed %d", i)
		l.UpdatedAt = t0.Add(10 * time.Minute)
		later.Leads = append(later.Leads, l)
		later.Tasks = append(later.Tasks, amo.Task{ID: amo.TaskID(5000 + i), EntityID: int64(i), EntityType: amo.EntityLeads,
			Text: "meet", CompleteTill: t0.Add(2 * time.Hour), CreatedAt: t0.Add(5 * time.Minute), UpdatedAt: t0.Add(5 * time.Minute)})
		later.Notes = append(later.Notes, call(amo.NoteID(9000+i), amo.EntityLeads, int64(i), t0.Add(5*time.Minute), 300))
	}
	for _, set := range []*Set{s, n} {
		set.Apply(later)
		set.Prune(t0.Add(10 * time.Minute))
	}
	checkMemory(t, "after the later page", s, n)
	n.Recarve()
	checkMemory(t, "after the loaded set's recarve", n)
	same := func(k RecordKind, id int64) {
		a, okA := s.Encode(k, id)
		b, okB := n.Encode(k, id)
		if okA != okB || !bytes.Equal(a, b) {
			t.Fatalf("record %d of kind %d: loaded set %x (%v), original %x (%v)", id, k, b, okB, a, okA)
		}
	}
	eachRecord(s, same)
	for i := int32(0); i < int32(len(s.Deals())); i++ {
		if !s.Deals()[i].Live() {
			continue
		}
		id := s.Deals()[i].ID
		a, b := s.TasksOf(i), n.TasksOf(n.Deal(id))
		if len(a) != len(b) || len(s.ContactsOf(i)) != len(n.ContactsOf(n.Deal(id))) {
			t.Fatalf("deal %d: links differ after the later page: %v %v", id, a, b)
		}
	}
}

// checkMemory fails the test when a set's lists break the pools' invariants (CheckMemory).
func checkMemory(t *testing.T, when string, sets ...*Set) {
	t.Helper()
	for _, s := range sets {
		if err := s.CheckMemory(); err != nil {
			t.Fatalf("%s: %v", when, err)
		}
	}
}

// newWithMeta returns an empty set holding s's meta (its dictionaries), as a load starts.
func newWithMeta(t *testing.T, s *Set) *Set {
	t.Helper()
	meta, err := s.MarshalMeta()
	if err != nil {
		t.Fatal(err)
	}
	n := New()
	if err := n.UnmarshalMeta(meta); err != nil {
		t.Fatal(err)
	}
	return n
}

// eachRecord calls f with the kind and id of every live deal, contact and task of s.
func eachRecord(s *Set, f func(RecordKind, int64)) {
	for _, d := range s.Deals() {
		if d.Live() {
			f(RecDeal, int64(d.ID))
		}
	}
	for _, c := range s.Contacts() {
		if c.Live() {
			f(RecContact, int64(c.ID))
		}
	}
	for _, x := range s.Tasks() {
		if x.Live() {
			f(RecTask, int64(x.ID))
		}
	}
}

// TestPruneRecarvesDaily checks when Prune carves the set again: not at the first prune after
// a load (the load carved it), then once RecarveEvery has passed.
func TestPruneRecarvesDaily(t *testing.T) {
	s := New()
	p := page(t0)
	p.Leads = []amo.Lead{lead(1, 10, 50)}
	p.Notes = []amo.Note{call(3, amo.EntityLeads, 1, t0.Add(-time.Minute), 40)}
	s.Apply(p)
	s.Loaded()
	s.Prune(t0)
	if s.carvedAt != t0.Unix() {
		t.Fatalf("after the first prune carvedAt = %d, want %d (the clock starts)", s.carvedAt, t0.Unix())
	}
	before := &s.deals[0].Acts()[0]
	s.Prune(t0.Add(RecarveEvery - time.Minute))
	if &s.deals[0].Acts()[0] != before || s.carvedAt != t0.Unix() {
		t.Error("a prune within RecarveEvery carved the set again")
	}
	at := t0.Add(RecarveEvery + time.Minute)
	s.Prune(at)
	if s.carvedAt != at.Unix() || &s.deals[0].Acts()[0] == before {
		t.Errorf("a prune after RecarveEvery did not carve the set: carvedAt %d, want %d", s.carvedAt, at.Unix())
	}
	if got := s.deals[0].Acts(); len(got) != 1 || got[0].ID != 3 {
		t.Errorf("the deal's items after the recarve: %+v", got)
	}
	checkMemory(t, "after the recarve", s)
}

// sameActs reports whether two sets' raw items are equal, their texts compared by content
// (each set keeps its own).
func sameActs(sa *Set, a []Act, sb *Set, b []Act) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if sa.ActText(&x) != sb.ActText(&y) {
			return false
		}
		x.str, y.str = strRef{}, strRef{}
		if x != y {
			return false
		}
	}
	return true
}
