package workset

import (
	"slices"

	"salesguard/amo"
)

// Dict holds the account's dictionaries: small, read whole, replaced when re-read.
type Dict struct {
	Account      amo.Account       `json:"account"`
	Users        []amo.User        `json:"users"`
	Pipelines    []amo.Pipeline    `json:"pipelines"`
	LossReasons  []amo.LossReason  `json:"loss_reasons"`
	CustomFields []amo.CustomField `json:"custom_fields"`
}

// owner names a deal or a contact, for pending items and records.
type owner struct {
	contact bool
	id      int64
}

// Set is the working set of one account. It is not safe for concurrent use: the caller
// serialises Apply, Prune and the evaluations, and guards readers (the bot's commands).
// The lists a Deal, a Contact or a Trail gives out live in the set's pools (pool.go): read
// them through a set the reader holds (a slot alone does not keep the pools), and not across
// a change of the set.
type Set struct {
	// BaseURL is the account's URL, for links to deals.
	BaseURL string
	dict    Dict

	deals     []Deal
	dealAt    map[amo.LeadID]int32
	freeDeals []int32

	tasks     []Task
	taskAt    map[amo.TaskID]int32
	freeTasks []int32
	// orphans holds, per deal id not in the set, the slots of tasks on it.
	orphans map[amo.LeadID][]int32

	contacts     []Contact
	contactAt    map[amo.ContactID]int32
	freeContacts []int32
	// awaiting holds, per contact id not in the set, the slots of deals listing it.
	awaiting map[amo.ContactID][]int32

	// pending holds the items of deals and contacts the set does not hold (yet).
	pending map[owner]*Trail

	stages  []amo.StatusRef
	stageAt map[amo.StatusRef]int32
	// texts keeps the tasks' texts and results, deals' names and raw items' texts (text.go).
	texts textArena
	// mem holds the lists of deals, contacts and trails (pool.go).
	mem mem
	// want is the scratch list relinkDeal and relinkContact build a deal's or contact's links in.
	want []int32
	// scratch is where a decoded trail's aggregates are rebuilt (codec.go).
	scratch pool[uint64]

	// tasksSeen says the account has tasks at all (R2 trusts closest_task_at otherwise).
	tasksSeen bool
	// dictGen counts the changes of the dictionaries.
	dictGen uint64
	// now is the moment of the last page applied (0 for a snapshot: no window applies).
	now int64

	dirty dirtySet
	// loading is set while Load adds a record: nothing is marked dirty (the caller evaluates
	// the whole set after loading), which saves a walk over each deal's contacts.
	loading bool
	// carvedAt is when the set was last carved (Recarve), 0 before the first Prune.
	carvedAt int64
	changed  map[recKey]Op
	cold     map[recKey][]byte // records evicted since the last TakeChanged
}

// New returns an empty working set.
func New() *Set {
	s := &Set{
		dealAt:    map[amo.LeadID]int32{},
		taskAt:    map[amo.TaskID]int32{},
		orphans:   map[amo.LeadID][]int32{},
		contactAt: map[amo.ContactID]int32{},
		awaiting:  map[amo.ContactID][]int32{},
		pending:   map[owner]*Trail{},
		stageAt:   map[amo.StatusRef]int32{},
		texts:     newTextArena(),
		changed:   map[recKey]Op{},
		cold:      map[recKey][]byte{},
		dirty:     newDirtySet(),
	}
	s.mem = newMem(&s.texts)
	return s
}

// Dict returns the dictionaries. Callers must not modify them.
func (s *Set) Dict() *Dict { return &s.dict }

// Deals returns the deal slots; skip those that are not Live. Callers must not modify them.
func (s *Set) Deals() []Deal { return s.deals }

// Tasks returns the task slots; skip those that are not Live.
func (s *Set) Tasks() []Task { return s.tasks }

// Contacts returns the contact slots; skip those that are not Live.
func (s *Set) Contacts() []Contact { return s.contacts }

// Deal returns the slot of a deal, -1 when the set does not hold it.
func (s *Set) Deal(id amo.LeadID) int32 {
	if i, ok := s.dealAt[id]; ok {
		return i
	}
	return -1
}

// DealByID returns a deal of the set, nil when it holds none with that id.
func (s *Set) DealByID(id amo.LeadID) *Deal {
	if i, ok := s.dealAt[id]; ok {
		return &s.deals[i]
	}
	return nil
}

// Contact returns the slot of a contact, -1 when the set does not hold it.
func (s *Set) Contact(id amo.ContactID) int32 {
	if i, ok := s.contactAt[id]; ok {
		return i
	}
	return -1
}

// TaskByID returns a task of the set, nil when it holds none with that id.
func (s *Set) TaskByID(id amo.TaskID) *Task {
	if i, ok := s.taskAt[id]; ok {
		return &s.tasks[i]
	}
	return nil
}

// TasksOf returns the slots of a deal's tasks.
func (s *Set) TasksOf(deal int32) []int32 { return s.deals[deal].taskSlots.s() }

// ContactsOf returns the slots of a deal's contacts (listed by the deal or listing it).
func (s *Set) ContactsOf(deal int32) []int32 { return s.deals[deal].cs.s() }

// DealsOf returns the slots of a contact's deals.
func (s *Set) DealsOf(contact int32) []int32 { return s.contacts[contact].ds.s() }

// Pending calls f with the trail of every deal or contact the set does not hold, whose items
// arrived anyway (they still count account-wide, as in calls per manager).
func (s *Set) Pending(f func(t *Trail)) {
	for _, t := range s.pending {
		f(t)
	}
}

// TasksSeen reports whether the account has shown any task.
func (s *Set) TasksSeen() bool { return s.tasksSeen }

// Stage returns the stage of a stage slot.
func (s *Set) Stage(slot int32) (amo.StatusRef, bool) {
	if slot < 0 || int(slot) >= len(s.stages) {
		return amo.StatusRef{}, false
	}
	return s.stages[slot], true
}

// StageSlot returns the slot of a stage, interning it.
func (s *Set) StageSlot(r amo.StatusRef) int32 {
	if i, ok := s.stageAt[r]; ok {
		return i
	}
	i := int32(len(s.stages))
	s.stages = append(s.stages, r)
	s.stageAt[r] = i
	return i
}

// Counts reports how many deals, tasks and contacts the set holds, and how many raw items.
func (s *Set) Counts() (deals, tasks, contacts, acts int) {
	for i := range s.deals {
		if s.deals[i].live {
			deals++
			acts += s.deals[i].acts.len()
		}
	}
	for i := range s.tasks {
		if s.tasks[i].live {
			tasks++
		}
	}
	for i := range s.contacts {
		if s.contacts[i].live {
			contacts++
			acts += s.contacts[i].acts.len()
		}
	}
	for _, t := range s.pending {
		acts += t.acts.len()
	}
	return deals, tasks, contacts, acts
}

// slot takes a free slot of a list or appends one.
func slot[T any](list *[]T, free *[]int32) int32 {
	if n := len(*free); n > 0 {
		i := (*free)[n-1]
		*free = (*free)[:n-1]
		return i
	}
	*list = append(*list, *new(T))
	return int32(len(*list) - 1)
}

// removeSlot deletes v from a slot list.
func removeSlot(list []int32, v int32) []int32 {
	if i := slices.Index(list, v); i >= 0 {
		return slices.Delete(list, i, i+1)
	}
	return list
}

// addSlot adds v to a slot list unless it is there.
func addSlot(list []int32, v int32) []int32 {
	if slices.Contains(list, v) {
		return list
	}
	return append(list, v)
}

// StageSlotOf returns the slot of a stage without interning it, -1 when the set never saw it.
func (s *Set) StageSlotOf(r amo.StatusRef) int32 {
	if i, ok := s.stageAt[r]; ok {
		return i
	}
	return -1
}
