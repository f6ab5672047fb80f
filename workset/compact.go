package workset

import "salesguard/amo"

// compact packs the live deals, contacts and tasks into new slot arrays of their own size when
// a fifth or more of the slots are free (after a first sync evicts the deals closed long
// ago), remapping every slot that refers to them, and reports whether it did. It changes no
// record and nothing the rules read.
func (s *Set) compact() bool {
	if !worthCompacting(len(s.deals), len(s.freeDeals)) && !worthCompacting(len(s.contacts), len(s.freeContacts)) &&
		!worthCompacting(len(s.tasks), len(s.freeTasks)) {
		return false
	}
	s.compactNow()
	return true
}

// compactNow is compact without the check.
func (s *Set) compactNow() {
	dealMap := make([]int32, len(s.deals))
	deals := make([]Deal, 0, len(s.deals)-len(s.freeDeals))
	for i := range s.deals {
		dealMap[i] = -1
		if s.deals[i].live {
			dealMap[i] = int32(len(deals))
			deals = append(deals, s.deals[i])
		}
	}
	contactMap := make([]int32, len(s.contacts))
	contacts := make([]Contact, 0, len(s.contacts)-len(s.freeContacts))
	for i := range s.contacts {
		contactMap[i] = -1
		if s.contacts[i].live {
			contactMap[i] = int32(len(contacts))
			contacts = append(contacts, s.contacts[i])
		}
	}
	taskMap := make([]int32, len(s.tasks))
	tasks := make([]Task, 0, len(s.tasks)-len(s.freeTasks))
	for i := range s.tasks {
		taskMap[i] = -1
		if s.tasks[i].live {
			taskMap[i] = int32(len(tasks))
			tasks = append(tasks, s.tasks[i])
		}
	}
	s.dealAt = make(map[amo.LeadID]int32, len(deals))
	s.contactAt = make(map[amo.ContactID]int32, len(contacts))
	s.taskAt = make(map[amo.TaskID]int32, len(tasks))
	remap := func(slots []int32, m []int32) {
		for i, v := range slots {
			slots[i] = m[v]
		}
	}
	for i := range deals {
		remap(deals[i].taskSlots.s(), taskMap)
		remap(deals[i].cs.s(), contactMap)
		s.dealAt[deals[i].ID] = int32(i)
	}
	for i := range contacts {
		remap(contacts[i].ds.s(), dealMap)
		s.contactAt[contacts[i].ID] = int32(i)
	}
	for i := range tasks {
		if tasks[i].deal >= 0 {
			tasks[i].deal = dealMap[tasks[i].deal]
		}
		s.taskAt[tasks[i].ID] = int32(i)
	}
	for id, ts := range s.orphans {
		if ts = remapLive(ts, taskMap); len(ts) == 0 {
			delete(s.orphans, id)
		} else {
			s.orphans[id] = ts
		}
	}
	for id, ds := range s.awaiting {
		if ds = remapLive(ds, dealMap); len(ds) == 0 {
			delete(s.awaiting, id)
		} else {
			s.awaiting[id] = ds
		}
	}
	s.deals, s.contacts, s.tasks = deals, contacts, tasks
	s.freeDeals, s.freeContacts, s.freeTasks = nil, nil, nil
}

// remapLive maps slots to their new numbers, dropping the ones that are gone.
func remapLive(slots []int32, m []int32) []int32 {
	out := slots[:0]
	for _, v := range slots {
		if n := m[v]; n >= 0 {
			out = append(out, n)
		}
	}
	return out
}

// compactMin is how many free slots make compacting worth it.
var compactMin = 1024

// worthCompacting reports whether free slots are a fifth of the slots or more (and many).
func worthCompacting(slots, free int) bool { return free > compactMin && free*5 >= slots }

// resized returns m, or a copy of it of its own size when it holds few entries: a Go map never
// gives back the room it grew to, and the maps of things waiting (contacts a deal lists before
// the contacts are read, tasks before their deals) are large during a first sync only.
func resized[K comparable, V any](m map[K]V) map[K]V {
	if len(m) > compactMin {
		return m
	}
	out := make(map[K]V, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// Sizes encodes how many deals, tasks and contacts the set holds, and how many bytes its
// texts take, for Reserve.
func (s *Set) Sizes() []byte {
	e := &encoder{}
	e.u(uint64(len(s.deals) - len(s.freeDeals)))
	e.u(uint64(len(s.tasks) - len(s.freeTasks)))
	e.u(uint64(len(s.contacts) - len(s.freeContacts)))
	e.u(uint64(len(s.texts.b)))
	return e.b
}

// Reserve sizes an empty set's arrays, maps and text arena for what Sizes encoded, before it
// is loaded record by record: they are allocated once, at their size, instead of growing by
// copies that leave a quarter unused (and, for the texts, 25 MB of garbage at a restart of a
// large account). A bad or implausible encoding reserves nothing (it is only a hint).
func (s *Set) Reserve(sizes []byte) {
	d := &decoder{b: sizes}
	deals, tasks, contacts := d.u(), d.u(), d.u()
	const most = 1 << 24
	if d.err != nil || deals > most || tasks > most || contacts > most || len(s.deals)+len(s.tasks)+len(s.contacts) > 0 {
		return
	}
	// The texts' size came later: sizes written before it reserve no texts. At most 2 KiB a
	// record is plausible.
	if texts := d.u(); d.err == nil && texts <= (deals+tasks+contacts+1)<<11 && len(s.texts.b) == 0 {
		s.texts.b = make([]byte, 0, texts)
	}
	s.deals = make([]Deal, 0, deals)
	s.tasks = make([]Task, 0, tasks)
	s.contacts = make([]Contact, 0, contacts)
	s.dealAt = make(map[amo.LeadID]int32, deals)
	s.taskAt = make(map[amo.TaskID]int32, tasks)
	s.contactAt = make(map[amo.ContactID]int32, contacts)
}
