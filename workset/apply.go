package workset

import (
	"hash/fnv"
	"reflect"
	"slices"
	"time"

	"salesguard/amo"
)

// Apply folds one page of a sync into the set: dictionaries, leads, contacts, tasks, notes,
// events and deletions, in that order, at ch.TakenAt (the moment the page describes: items
// older than their window only feed the aggregates). Reading an item again changes nothing.
func (s *Set) Apply(ch *amo.Changes) {
	if ch == nil {
		return
	}
	now := Sec(ch.TakenAt)
	s.now = now
	s.applyDict(ch)
	for i := range ch.Leads {
		s.putLead(&ch.Leads[i])
	}
	for i := range ch.Contacts {
		s.putContact(&ch.Contacts[i])
	}
	for i := range ch.Tasks {
		s.putTask(&ch.Tasks[i], now)
	}
	for i := range ch.Notes {
		s.putNote(&ch.Notes[i], now)
	}
	for i := range ch.Events {
		s.putEvent(&ch.Events[i], now)
	}
	for _, m := range ch.Marks {
		s.applyMark(m)
	}
	for _, id := range ch.DeletedLeads {
		s.applyMark(amo.Mark{Entity: amo.EntityLeads, ID: int64(id), Deleted: true})
	}
	for _, id := range ch.DeletedContacts {
		s.applyMark(amo.Mark{Entity: amo.EntityContacts, ID: int64(id), Deleted: true})
	}
	for _, id := range ch.DeletedTasks {
		s.applyMark(amo.Mark{Entity: amo.EntityTasks, ID: int64(id), Deleted: true})
	}
}

// applyDict replaces the dictionaries that were read; a change asks for a full evaluation.
func (s *Set) applyDict(ch *amo.Changes) {
	next := s.dict
	if ch.Account != nil {
		next.Account = *ch.Account
	}
	if ch.Users != nil {
		next.Users = slices.Clone(ch.Users)
	}
	if ch.Pipelines != nil {
		next.Pipelines = slices.Clone(ch.Pipelines)
	}
	if ch.LossReasons != nil {
		next.LossReasons = slices.Clone(ch.LossReasons)
	}
	if ch.CustomFields != nil {
		next.CustomFields = slices.Clone(ch.CustomFields)
	}
	if !reflect.DeepEqual(next, s.dict) {
		s.dict = next
		s.dictGen++
		s.dirty.all = true
	}
}

// dealOf compacts a lead, but for its name and lists (putLead stores them).
func dealOf(l *amo.Lead) Deal {
	return Deal{
		ID: l.ID, Responsible: l.ResponsibleUserID, Stage: l.Status(),
		LossReason: l.LossReasonID, Created: Sec(l.CreatedAt), Updated: Sec(l.UpdatedAt),
		Closed: Sec(l.ClosedAt), ClosestTask: Sec(l.ClosestTaskAt), ByUser: l.CreatedBy != 0,
		Deleted: l.IsDeleted,
	}
}

// sameDeal reports whether a deal of the set says the same to the rules as a lead read
// again (nd is dealOf it, fields its filled fields).
func (s *Set) sameDeal(d, nd *Deal, l *amo.Lead, fields []amo.FieldID) bool {
	return d.ID == nd.ID && d.Responsible == nd.Responsible && d.Stage == nd.Stage &&
		d.LossReason == nd.LossReason && d.Created == nd.Created && d.Updated == nd.Updated &&
		d.Closed == nd.Closed && d.ClosestTask == nd.ClosestTask && d.ByUser == nd.ByUser &&
		d.Deleted == nd.Deleted && s.texts.str(d.name) == l.Name &&
		slices.Equal(d.ContactIDs(), l.ContactIDs) && slices.Equal(d.Fields(), fields)
}

// filledFields returns what R10 reads of custom field values, sorted: the id of each field
// holding a value (amo.FieldValue.State), and -id for each checkbox present and unchecked
// (whether that counts as filled is a setting of the rule). The field-type logic runs here,
// once per change, so an evaluation only searches ids.
func filledFields(vs []amo.FieldValue) []amo.FieldID {
	var out []amo.FieldID
	for _, v := range vs {
		switch v.State() {
		case amo.FieldFilled:
			out = append(out, v.FieldID)
		case amo.FieldUnchecked:
			out = append(out, -v.FieldID)
		}
	}
	slices.Sort(out)
	out = slices.Compact(out)
	// A field listed twice, once checked: the checked value wins. The negative ids come
	// first; the positive ones are not moved while the negative ones are filtered.
	neg, _ := slices.BinarySearch(out, 0)
	pos, n := out[neg:], 0
	for _, id := range out[:neg] {
		if !hasField(pos, -id) {
			out[n] = id
			n++
		}
	}
	if n == neg {
		return out
	}
	return append(out[:n], pos...)
}

// putLead upserts a deal. A deal the API lists as deleted is removed.
func (s *Set) putLead(l *amo.Lead) {
	nd := dealOf(l)
	fields := filledFields(l.CustomFields)
	if i, ok := s.dealAt[l.ID]; ok {
		d := &s.deals[i]
		if s.sameDeal(d, &nd, l, fields) {
			return
		}
		if nd.Deleted {
			s.removeDeal(i, OpDelete)
			return
		}
		contactsChanged := !slices.Equal(d.ContactIDs(), l.ContactIDs)
		nd.Trail, nd.taskSlots, nd.cs, nd.live = d.Trail, d.taskSlots, d.cs, true
		nd.FirstDone, nd.FirstTake = d.FirstDone, d.FirstTake
		nd.name, nd.contactIDs, nd.fields = s.texts.readd(d.name, l.Name), d.contactIDs, d.fields
		s.mem.contacts.store(&nd.contactIDs, l.ContactIDs)
		s.mem.fields.store(&nd.fields, fields)
		*d = nd
		if contactsChanged {
			s.relinkDeal(i)
		}
		s.dirtyDeal(i)
		s.change(RecDeal, int64(l.ID), OpPut)
		return
	}
	if nd.Deleted {
		return
	}
	nd.name = s.texts.add(l.Name)
	nd.contactIDs, nd.fields = s.mem.contacts.carve(l.ContactIDs), s.mem.fields.carve(fields)
	s.addDeal(nd)
	s.change(RecDeal, int64(l.ID), OpPut)
}

// releaseDeal gives back a deal's blocks (it is leaving its slot).
func (s *Set) releaseDeal(d *Deal) {
	s.mem.releaseTrail(&d.Trail)
	s.mem.contacts.release(d.contactIDs)
	s.mem.fields.release(d.fields)
	s.mem.links.release(d.taskSlots)
	s.mem.links.release(d.cs)
}

// releaseContact gives back a contact's blocks (it is leaving its slot).
func (s *Set) releaseContact(c *Contact) {
	s.mem.releaseTrail(&c.Trail)
	s.mem.leads.release(c.dealIDs)
	s.mem.fields.release(c.fields)
	s.mem.links.release(c.ds)
}

// addDeal puts a new deal in a slot and links what waited for it: its pending items, tasks on
// it and its contacts.
func (s *Set) addDeal(nd Deal) int32 {
	i := slot(&s.deals, &s.freeDeals)
	nd.live = true
	s.deals[i] = nd
	s.dealAt[nd.ID] = i
	if p, ok := s.pending[owner{id: int64(nd.ID)}]; ok {
		delete(s.pending, owner{id: int64(nd.ID)})
		s.replay(owner{id: int64(nd.ID)}, p)
		s.mem.releaseTrail(p)
		s.change(RecPendingDeal, int64(nd.ID), OpDelete)
		s.change(RecDeal, int64(nd.ID), OpPut)
	}
	for _, t := range s.orphans[nd.ID] {
		s.tasks[t].deal = i
		s.mem.links.push(&s.deals[i].taskSlots, t)
		s.dirty.tasks[s.tasks[t].ID] = struct{}{} // its orphan finding, if any, goes
	}
	delete(s.orphans, nd.ID)
	s.relinkDeal(i)
	s.dirtyDeal(i)
	return i
}

// removeDeal takes a deal out of the set: its tasks become orphans, its links go.
func (s *Set) removeDeal(i int32, o Op) {
	d := &s.deals[i]
	if o == OpCold {
		s.evict(RecDeal, int64(d.ID))
	}
	for _, c := range d.cs.s() {
		s.mem.links.store(&s.contacts[c].ds, removeSlot(s.contacts[c].ds.s(), i))
	}
	for _, c := range d.ContactIDs() {
		if ws, ok := s.awaiting[c]; ok {
			if ws = removeSlot(ws, i); len(ws) == 0 {
				delete(s.awaiting, c)
			} else {
				s.awaiting[c] = ws
			}
		}
	}
	for _, t := range d.taskSlots.s() {
		s.tasks[t].deal = -1
		s.orphans[d.ID] = append(s.orphans[d.ID], t)
		s.dirty.tasks[s.tasks[t].ID] = struct{}{}
	}
	s.dirtyDeal(i)
	s.change(RecDeal, int64(d.ID), o)
	delete(s.dealAt, d.ID)
	s.releaseDeal(d)
	*d = Deal{}
	s.freeDeals = append(s.freeDeals, i)
}

// addLink adds slot x to a list of links unless it is there.
func (s *Set) addLink(v *vec[int32], x int32) {
	if !slices.Contains(v.s(), x) {
		s.mem.links.push(v, x)
	}
}

// relinkDeal links a deal to the contacts it lists (those the set holds; the others await),
// keeping the links of contacts that list the deal.
func (s *Set) relinkDeal(i int32) {
	d := &s.deals[i]
	want := s.want[:0]
	defer func() { s.want = want[:0] }()
	for _, c := range d.ContactIDs() {
		if ci, ok := s.contactAt[c]; ok {
			want = addSlot(want, ci)
		} else {
			s.awaiting[c] = addSlot(s.awaiting[c], i)
		}
	}
	for _, ci := range d.cs.s() {
		if slices.Contains(s.contacts[ci].DealIDs(), d.ID) {
			want = addSlot(want, ci)
		}
	}
	for _, ci := range d.cs.s() {
		if !slices.Contains(want, ci) {
			s.dirtyContact(ci) // its calls may count on another deal now
			s.mem.links.store(&s.contacts[ci].ds, removeSlot(s.contacts[ci].ds.s(), i))
		}
	}
	for _, ci := range want {
		s.addLink(&s.contacts[ci].ds, i)
	}
	s.mem.links.store(&d.cs, want)
}

// relinkContact links a contact to the deals it lists (those the set holds), keeping the
// links of deals that list the contact.
func (s *Set) relinkContact(ci int32) {
	c := &s.contacts[ci]
	want := s.want[:0]
	defer func() { s.want = want[:0] }()
	for _, id := range c.DealIDs() {
		if di, ok := s.dealAt[id]; ok {
			want = addSlot(want, di)
		}
	}
	for _, di := range c.ds.s() {
		if slices.Contains(s.deals[di].ContactIDs(), c.ID) {
			want = addSlot(want, di)
		}
	}
	for _, di := range c.ds.s() {
		if !slices.Contains(want, di) {
			s.dirtyDeal(di)
			s.mem.links.store(&s.deals[di].cs, removeSlot(s.deals[di].cs.s(), ci))
		}
	}
	for _, di := range want {
		if !slices.Contains(s.deals[di].cs.s(), ci) {
			s.mem.links.push(&s.deals[di].cs, ci)
			s.dirtyDeal(di)
		}
	}
	s.mem.links.store(&c.ds, want)
}

// putContact upserts a contact.
func (s *Set) putContact(in *amo.Contact) {
	fields := filledFields(in.CustomFields)
	if i, ok := s.contactAt[in.ID]; ok {
		c := &s.contacts[i]
		if slices.Equal(c.DealIDs(), in.LeadIDs) && slices.Equal(c.Fields(), fields) {
			return
		}
		dealsChanged := !slices.Equal(c.DealIDs(), in.LeadIDs)
		s.mem.leads.store(&c.dealIDs, in.LeadIDs)
		s.mem.fields.store(&c.fields, fields)
		if dealsChanged {
			s.relinkContact(i)
		}
		s.dirtyContact(i)
		s.change(RecContact, int64(in.ID), OpPut)
		return
	}
	s.addContact(Contact{ID: in.ID, dealIDs: s.mem.leads.carve(in.LeadIDs), fields: s.mem.fields.carve(fields)})
	s.change(RecContact, int64(in.ID), OpPut)
}

// addContact puts a new contact in a slot, with its pending items and the deals awaiting it.
func (s *Set) addContact(nc Contact) int32 {
	i := slot(&s.contacts, &s.freeContacts)
	nc.live = true
	s.contacts[i] = nc
	s.contactAt[nc.ID] = i
	if p, ok := s.pending[owner{contact: true, id: int64(nc.ID)}]; ok {
		delete(s.pending, owner{contact: true, id: int64(nc.ID)})
		s.replay(owner{contact: true, id: int64(nc.ID)}, p)
		s.mem.releaseTrail(p)
		s.change(RecPendingContact, int64(nc.ID), OpDelete)
		s.change(RecContact, int64(nc.ID), OpPut)
		s.dirty.account = true
	}
	for _, di := range s.awaiting[nc.ID] {
		s.addLink(&s.contacts[i].ds, di)
		s.addLink(&s.deals[di].cs, i)
	}
	delete(s.awaiting, nc.ID)
	s.relinkContact(i)
	s.dirtyContact(i)
	return i
}

// removeContact takes a contact out of the set; deals listing it await it again.
func (s *Set) removeContact(i int32, o Op) {
	c := &s.contacts[i]
	if o == OpCold {
		s.evict(RecContact, int64(c.ID))
	}
	s.dirtyContact(i)
	for _, di := range c.ds.s() {
		s.mem.links.store(&s.deals[di].cs, removeSlot(s.deals[di].cs.s(), i))
		if slices.Contains(s.deals[di].ContactIDs(), c.ID) {
			s.awaiting[c.ID] = addSlot(s.awaiting[c.ID], di)
		}
	}
	s.change(RecContact, int64(c.ID), o)
	delete(s.contactAt, c.ID)
	s.releaseContact(c)
	*c = Contact{}
	s.freeContacts = append(s.freeContacts, i)
	s.dirty.account = true
}

// putTask upserts a task. A task completed more than KeepDone before now is not kept: its
// completion is folded into its deal (R1) and a kept copy goes.
func (s *Set) putTask(in *amo.Task, now int64) {
	s.tasksSeen = true
	if in.IsCompleted && now != 0 && Sec(in.UpdatedAt) < now-int64(KeepDone/time.Second) {
		s.doneTask(in)
		return
	}
	nt := Task{
		ID: in.ID, Responsible: in.ResponsibleUserID, Entity: in.EntityID, onDeal: in.EntityType == amo.EntityLeads,
		Completed: in.IsCompleted, Till: Sec(in.CompleteTill), Created: Sec(in.CreatedAt), Updated: Sec(in.UpdatedAt),
		deal: -1, live: true,
	}
	if i, ok := s.taskAt[in.ID]; ok {
		t := &s.tasks[i]
		nt.text, nt.result = s.texts.reput(t.text, in.Text), s.texts.reput(t.result, in.Result)
		old := *t
		old.deal = -1
		if old == nt {
			return
		}
		s.unlinkTask(i)
		nt.deal = -1
		*t = nt
		s.linkTask(i)
		s.change(RecTask, int64(in.ID), OpPut)
		return
	}
	nt.text, nt.result = s.texts.put(in.Text), s.texts.put(in.Result)
	i := slot(&s.tasks, &s.freeTasks)
	s.tasks[i] = nt
	s.taskAt[in.ID] = i
	s.linkTask(i)
	s.change(RecTask, int64(in.ID), OpPut)
}

// doneTask takes an old completed task: its deal keeps when it was done, the set drops it.
func (s *Set) doneTask(in *amo.Task) {
	if di, ok := s.dealAt[in.LeadID()]; ok && in.LeadID() != 0 {
		d := &s.deals[di]
		if at := Sec(in.UpdatedAt); at >= d.Created && (d.FirstDone == 0 || at < d.FirstDone) {
			d.FirstDone = at
			s.dirtyDeal(di)
			s.change(RecDeal, int64(d.ID), OpPut)
		}
	}
	if i, ok := s.taskAt[in.ID]; ok {
		s.removeTask(i)
	}
}

// linkTask attaches a task to its deal, or to the orphans waiting for the deal, and marks what
// its findings belong to.
func (s *Set) linkTask(i int32) {
	t := &s.tasks[i]
	id := t.LeadID()
	if id == 0 {
		s.dirty.tasks[t.ID] = struct{}{}
		return
	}
	if di, ok := s.dealAt[id]; ok {
		t.deal = di
		s.mem.links.push(&s.deals[di].taskSlots, i)
		s.dirtyDeal(di)
		return
	}
	s.orphans[id] = append(s.orphans[id], i)
	s.dirty.tasks[t.ID] = struct{}{}
}

// unlinkTask detaches a task from its deal or the orphans, marking what it left.
func (s *Set) unlinkTask(i int32) {
	t := &s.tasks[i]
	s.dirty.tasks[t.ID] = struct{}{}
	if t.deal >= 0 {
		s.mem.links.store(&s.deals[t.deal].taskSlots, removeSlot(s.deals[t.deal].taskSlots.s(), i))
		s.dirtyDeal(t.deal)
		t.deal = -1
		return
	}
	if id := t.LeadID(); id != 0 {
		if os := removeSlot(s.orphans[id], i); len(os) == 0 {
			delete(s.orphans, id)
		} else {
			s.orphans[id] = os
		}
	}
}

// removeTask takes a task out of the set.
func (s *Set) removeTask(i int32) {
	s.unlinkTask(i)
	t := &s.tasks[i]
	s.change(RecTask, int64(t.ID), OpDelete)
	delete(s.taskAt, t.ID)
	*t = Task{}
	s.freeTasks = append(s.freeTasks, i)
}

// noteKinds maps note types to kinds.
var noteKinds = map[string]ActKind{
	amo.NoteCommon: NoteCommon, amo.NoteCallIn: NoteCallIn, amo.NoteCallOut: NoteCallOut,
	amo.NoteSMSIn: NoteSMSIn, amo.NoteSMSOut: NoteSMSOut, amo.NoteMail: NoteMail,
}

// eventKinds maps event types to kinds; other types are EvOther.
var eventKinds = map[string]ActKind{
	amo.EventOutgoingCall: EvOutCall, amo.EventIncomingCall: EvInCall,
	amo.EventOutgoingChatMessage: EvOutChat, amo.EventIncomingChatMessage: EvInChat,
	amo.EventOutgoingSMS: EvOutSMS, amo.EventOutgoingMail: EvOutMail,
	amo.EventCommonNoteAdded: EvNoteAdded, amo.EventTaskCompleted: EvTaskDone,
	amo.EventLeadStatusChanged: EvMove,
}

// contactEventKind reports whether events of a kind logged on a contact count for its deals
// (API.md §4.9: chat messages and calls made from the contact's card).
func contactEventKind(k ActKind) bool {
	switch k {
	case EvOutCall, EvInCall, EvOutChat, EvInChat, EvOutSMS, EvOutMail, EvNoteAdded:
		return true
	}
	return false
}

// putNote folds a note into its deal's or contact's trail.
func (s *Set) putNote(n *amo.Note, now int64) {
	k, ok := noteKinds[n.NoteType]
	if !ok {
		k = NoteOther
	}
	a := Act{At: Sec(n.CreatedAt), ID: int64(n.ID), Aux: int64(n.ResponsibleUserID), By: n.CreatedBy, Kind: k}
	switch {
	case k == NoteCommon:
		a.str = s.texts.add(n.Text)
	case k.IsCall() && n.Call != nil:
		a.Dur = int32(min(max(n.Call.Duration, 0), 1<<31-1))
		a.CallStatus = uint8(min(max(n.Call.Status, 0), 255))
		a.str = s.texts.add(n.Call.Link)
	}
	var o owner
	switch n.EntityType {
	case amo.EntityLeads:
		o = owner{id: n.EntityID}
	case amo.EntityContacts:
		o = owner{contact: true, id: n.EntityID}
	default:
		return
	}
	s.addAct(o, a, now)
}

// putEvent folds an event into its deal's (or, for communication, its contact's) trail.
func (s *Set) putEvent(e *amo.Event, now int64) {
	k, ok := eventKinds[e.Type]
	if !ok {
		k = EvOther
	}
	a := Act{At: Sec(e.CreatedAt), ID: hashID(e.ID), Aux: int64(e.NoteID), By: e.CreatedBy, Kind: k}
	var o owner
	switch e.EntityType {
	case "lead":
		o = owner{id: e.EntityID}
	case "contact":
		if !contactEventKind(k) {
			return
		}
		o = owner{contact: true, id: e.EntityID}
	default:
		return
	}
	if k == EvMove {
		if e.StatusAfter == nil {
			return // a move nobody can tell the target of says nothing
		}
		from := int32(-1)
		if e.StatusBefore != nil {
			from = s.StageSlot(*e.StatusBefore)
		}
		a.Aux = moveAux(from, s.StageSlot(*e.StatusAfter))
	}
	s.addAct(o, a, now)
}

// replay folds the items that waited for a deal or contact into it, as if they came now.
func (s *Set) replay(o owner, p *Trail) {
	for _, a := range p.Acts() {
		s.addAct(o, a, s.now)
	}
	p.EachMove(func(m Move) bool {
		s.addAct(o, Act{At: m.At, Kind: EvMove, Aux: moveAux(m.From, m.To), By: byUser(m.ByUser)}, s.now)
		return true
	})
	for _, q := range p.section(secTouches) {
		s.addAct(o, Act{At: int64(q) * 900, Kind: EvOther}, s.now)
	}
}

// byUser stands for "some user" in an item rebuilt from a move that a user made.
func byUser(yes bool) amo.UserID {
	if yes {
		return -1
	}
	return 0
}

// Taking reports whether an item takes a lead (R1): an outgoing call, chat message, SMS or
// e-mail, a completed task, or a comment by a user. Moves are judged by the checks (what a
// first stage is is a setting).
func (a *Act) Taking() bool {
	switch a.Kind {
	case EvOutCall, EvOutChat, EvOutSMS, EvOutMail, EvTaskDone, NoteCallOut, NoteSMSOut:
		return true
	case EvNoteAdded, NoteCommon:
		return a.By != 0
	}
	return false
}

// addAct folds an item into its owner's trail, or the owner's pending trail, and marks what
// changed (nothing when the item was read before).
func (s *Set) addAct(o owner, a Act, now int64) {
	window := int64(ActWindow / time.Second)
	if a.Kind == EvMove {
		window = int64(MoveWindow / time.Second)
	}
	raw := now == 0 || a.At >= now-window
	if o.contact {
		if _, ok := s.contactAt[amo.ContactID(o.id)]; !ok && len(s.awaiting[amo.ContactID(o.id)]) > 0 {
			// A contact deals list but amoCRM did not list itself: its items still count
			// for those deals.
			s.addContact(Contact{ID: amo.ContactID(o.id)})
			s.change(RecContact, o.id, OpPut)
		}
	}
	var t *Trail
	mark := func() {}
	touchOnly, taken := false, false
	switch {
	case !o.contact:
		if i, ok := s.dealAt[amo.LeadID(o.id)]; ok {
			d := &s.deals[i]
			t = &d.Trail
			mark = func() { s.dirtyDeal(i); s.change(RecDeal, o.id, OpPut) }
			if a.Taking() && a.At >= d.Created && (d.FirstTake == 0 || a.At < d.FirstTake) {
				d.FirstTake, taken = a.At, true
			}
			// A deal keeps its recent notes raw (R5, R7, R9); its events only feed the
			// aggregates and the touches (R13).
			switch {
			case a.Kind.IsNote():
				raw = raw && (now == 0 || a.At >= now-int64(NoteWindow/time.Second))
			case a.Kind != EvMove && a.Kind != EvOther:
				touchOnly = raw && now != 0
			}
		}
	default:
		if i, ok := s.contactAt[amo.ContactID(o.id)]; ok {
			t = &s.contacts[i].Trail
			mark = func() { s.dirtyContact(i); s.change(RecContact, o.id, OpPut) }
		}
	}
	if t == nil {
		if !raw {
			return // too old to wait for its owner
		}
		t = s.pending[o]
		if t == nil {
			t = &Trail{}
			s.pending[o] = t
		}
		kind := RecPendingDeal
		if o.contact {
			kind = RecPendingContact
		}
		mark = func() { s.change(kind, o.id, OpPut) }
	}
	changed := taken
	switch {
	case a.Kind == EvOther:
		changed = raw && t.putTouch(&s.mem, int32(a.At/900))
	case touchOnly:
		changed = t.add(&s.mem, a, false)
		changed = t.putTouch(&s.mem, int32(a.At/900)) || changed
	default:
		changed = t.add(&s.mem, a, raw)
	}
	if !changed {
		return
	}
	mark()
	if a.Kind.IsCall() {
		s.dirty.account = true // calls per manager (R7, data health)
	}
}

// applyMark applies a deletion: an entity deleted at m.At goes unless it was updated after
// (restored). Restorations need nothing: the entity comes back through its list.
func (s *Set) applyMark(m amo.Mark) {
	if !m.Deleted {
		return
	}
	at := Sec(m.At)
	switch m.Entity {
	case amo.EntityLeads:
		if i, ok := s.dealAt[amo.LeadID(m.ID)]; ok && (at == 0 || s.deals[i].Updated <= at) {
			s.removeDeal(i, OpDelete)
		}
	case amo.EntityContacts:
		if i, ok := s.contactAt[amo.ContactID(m.ID)]; ok {
			s.removeContact(i, OpDelete)
		}
	case amo.EntityTasks:
		if i, ok := s.taskAt[amo.TaskID(m.ID)]; ok && (at == 0 || s.tasks[i].Updated <= at) {
			s.removeTask(i)
		}
	}
}

// hashID turns an event's string id into a number (FNV-64a).
func hashID(id string) int64 {
	h := fnv.New64a()
	h.Write([]byte(id))
	return int64(h.Sum64())
}
