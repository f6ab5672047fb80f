package checks

import (
	"bytes"
	"cmp"
	"container/heap"
	"hash/fnv"
	"slices"
	"time"

	"salesguard/amo"
	"salesguard/workset"
)

// Engine evaluates one account incrementally. It remembers, for every scope (a deal, a task
// on no deal, the account), a hash of the keys of its findings and the moment they may next
// change by time alone (a deadline queue). A Step re-evaluates only the scopes the changes
// touched, the scopes whose moment passed, and the account-wide rules when something they read
// changed; every other scope keeps its findings. Full evaluates everything, and is the
// reference Step must agree with (the property test in incremental_test.go checks it after
// every change and every clock move).
//
// The engine does no I/O and reads no clock: the moment comes in the Input. It is not safe for
// concurrent use.
type Engine struct {
	scopes map[Scope]scopeState
	queue  wakeQueue
	health *callHealth
	mask   ruleMask
	ready  bool
}

// scopeState is what the engine remembers of one scope.
type scopeState struct {
	hash uint64 // of the sorted keys of its findings; 0 when it has none
	wake int64  // Unix nanoseconds of its next deadline; 0 when none
}

// ScopeResult is one evaluated scope: all of its findings, in key order. Changed says the set
// of their keys differs from what the engine knew: only then does the ledger need to look.
// Findings is valid until the emit callback returns.
type ScopeResult struct {
	Scope    Scope
	Findings []Finding
	Changed  bool
}

// NewEngine returns an engine that knows no findings yet.
func NewEngine() *Engine { return &Engine{scopes: map[Scope]scopeState{}} }

// Seed tells the engine which findings are already known (the ledger's open entries, by key),
// so the first Full reports as changed only the scopes that differ from them. keys must come
// sorted (the ledger's order).
func (e *Engine) Seed(keys []Key) {
	clear(e.scopes)
	for i := 0; i < len(keys); {
		s := keys[i].ScopeOf()
		j := i
		for j < len(keys) && keys[j].ScopeOf() == s {
			j++
		}
		e.scopes[s] = scopeState{hash: hashKeys(keys[i:j])}
		i = j
	}
	e.ready = false
}

// Ready reports whether the engine has evaluated everything once since it was created or
// seeded, so Step may be incremental.
func (e *Engine) Ready() bool { return e.ready }

// Full evaluates every scope of the working set with the enabled rules and calls emit with
// each, in key order (deals by id, then tasks, then the account); scopes the engine knew that
// are gone follow, empty. It stops at the first error emit returns.
func (e *Engine) Full(in *Input, emit func(ScopeResult) error) error {
	e.mask = enabledRules(in.Settings)
	if usesHealth(e.mask) {
		e.health = callHealthOf(in)
	} else {
		e.health = nil
	}
	in.health = e.health
	e.queue = e.queue[:0]
	for s, st := range e.scopes { // the queue is rebuilt: forget what it held
		st.wake = 0
		e.scopes[s] = st
	}
	seen := make(map[Scope]bool, len(e.scopes))
	o := &out{now: in.Now}
	visit := func(s Scope) error {
		seen[s] = true
		o.fs, o.wake = o.fs[:0], time.Time{}
		e.eval(in, s, o)
		return e.record(s, o, emit)
	}
	deals := in.WS.Deals()
	order := make([]int32, 0, len(deals))
	for i := range deals {
		if deals[i].Live() {
			order = append(order, int32(i))
		}
	}
	slices.SortFunc(order, func(a, b int32) int { return cmp.Compare(deals[a].ID, deals[b].ID) })
	for _, i := range order {
		if err := visit(Scope{Kind: ScopeDeal, ID: int64(deals[i].ID)}); err != nil {
			return err
		}
	}
	var tasks []amo.TaskID
	for _, t := range in.WS.Tasks() {
		if t.Live() && t.Deal() < 0 {
			tasks = append(tasks, t.ID)
		}
	}
	slices.Sort(tasks)
	for _, id := range tasks {
		if err := visit(Scope{Kind: ScopeTask, ID: int64(id)}); err != nil {
			return err
		}
	}
	if err := visit(Scope{Kind: ScopeAccount}); err != nil {
		return err
	}
	var gone []Scope
	for s := range e.scopes {
		if !seen[s] {
			gone = append(gone, s)
		}
	}
	slices.SortFunc(gone, compareScopes)
	for _, s := range gone {
		o.fs, o.wake = o.fs[:0], time.Time{}
		if err := e.record(s, o, emit); err != nil {
			return err
		}
	}
	e.ready = true
	return nil
}

// Step evaluates, at in.Now, what may have changed since the last evaluation: the scopes dirty
// names (a dirty deal brings the deals that share a contact with it), the scopes whose deadline
// passed, and the account when it is dirty or due. It falls back to Full when the engine is
// not ready, dirty says All, or the enabled rules changed. emit gets each evaluated scope, in
// key order.
func (e *Engine) Step(in *Input, dirty workset.Dirty, emit func(ScopeResult) error) error {
	if !e.ready || dirty.All || enabledRules(in.Settings) != e.mask {
		return e.Full(in, emit)
	}
	todo := map[Scope]bool{}
	for _, id := range dirty.Deals {
		todo[Scope{Kind: ScopeDeal, ID: int64(id)}] = true
	}
	for _, id := range dirty.Tasks {
		todo[Scope{Kind: ScopeTask, ID: int64(id)}] = true
	}
	if dirty.Account {
		todo[Scope{Kind: ScopeAccount}] = true
	}
	now := in.Now.UnixNano()
	for len(e.queue) > 0 && e.queue[0].at <= now {
		w := heap.Pop(&e.queue).(wakeEntry)
		if st, ok := e.scopes[w.scope]; ok && st.wake == w.at {
			todo[w.scope] = true
		}
	}
	if len(todo) == 0 {
		return nil
	}
	if todo[Scope{Kind: ScopeAccount}] && usesHealth(e.mask) {
		h := callHealthOf(in)
		e.healthChanged(in, h, todo)
		e.health = h
	}
	in.health = e.health
	for s := range todo {
		if s.Kind == ScopeDeal {
			e.neighbours(in, amo.LeadID(s.ID), todo)
		}
	}
	list := make([]Scope, 0, len(todo))
	for s := range todo {
		list = append(list, s)
	}
	slices.SortFunc(list, compareScopes)
	o := &out{now: in.Now}
	for _, s := range list {
		o.fs, o.wake = o.fs[:0], time.Time{}
		e.eval(in, s, o)
		if err := e.record(s, o, emit); err != nil {
			return err
		}
	}
	return nil
}

// eval evaluates one scope into o; the account scope also waits for the call-data health.
func (e *Engine) eval(in *Input, s Scope, o *out) {
	evalScope(in, e.mask, s, o)
	if s.Kind == ScopeAccount && e.health != nil {
		o.wakeAt(e.health.wake)
	}
}

// neighbours adds the deals sharing a contact with deal id: a call on a shared contact counts
// on one of them, chosen by their state.
func (e *Engine) neighbours(in *Input, id amo.LeadID, todo map[Scope]bool) {
	slot := in.WS.Deal(id)
	if slot < 0 {
		return
	}
	deals := in.WS.Deals()
	for _, c := range in.WS.ContactsOf(slot) {
		for _, d := range in.WS.DealsOf(c) {
			todo[Scope{Kind: ScopeDeal, ID: int64(deals[d].ID)}] = true
		}
	}
}

// healthChanged adds the deals of every manager whose call data went missing or came back
// (all deals when the whole account's did): R6, R7 and R9 read it.
func (e *Engine) healthChanged(in *Input, h *callHealth, todo map[Scope]bool) {
	if h.sameAs(e.health) {
		return
	}
	all := e.health == nil || h.accountOff != e.health.accountOff
	deals := in.WS.Deals()
	for i := range deals {
		d := &deals[i]
		if d.Live() && (all || h.managerOff[d.Responsible] != e.health.managerOff[d.Responsible]) {
			todo[Scope{Kind: ScopeDeal, ID: int64(d.ID)}] = true
		}
	}
}

// record sorts a scope's findings by key, compares their keys with what the engine knew,
// remembers the new hash and deadline, and emits the scope.
func (e *Engine) record(s Scope, o *out, emit func(ScopeResult) error) error {
	slices.SortFunc(o.fs, compareByKey)
	h := hashFindings(o.fs)
	st := e.scopes[s]
	changed := st.hash != h
	st.hash = h
	old := st.wake
	st.wake = 0
	if !o.wake.IsZero() {
		st.wake = o.wake.UnixNano()
		if st.wake != old { // the same deadline is queued already
			heap.Push(&e.queue, wakeEntry{at: st.wake, scope: s})
		}
	}
	if st.hash == 0 && st.wake == 0 {
		delete(e.scopes, s)
	} else {
		e.scopes[s] = st
	}
	if len(e.queue) > 64 && len(e.queue) > 4*len(e.scopes) {
		e.compactQueue()
	}
	return emit(ScopeResult{Scope: s, Findings: o.fs, Changed: changed})
}

// compactQueue rebuilds the deadline queue from the scopes, dropping stale entries.
func (e *Engine) compactQueue() {
	e.queue = e.queue[:0]
	for s, st := range e.scopes {
		if st.wake != 0 {
			e.queue = append(e.queue, wakeEntry{at: st.wake, scope: s})
		}
	}
	heap.Init(&e.queue)
}

// NextWake returns the earliest deadline the engine waits for (zero when none): the moment a
// timer should run a Step even if nothing changes.
func (e *Engine) NextWake() time.Time {
	for len(e.queue) > 0 {
		w := e.queue[0]
		if st, ok := e.scopes[w.scope]; ok && st.wake == w.at {
			return time.Unix(0, w.at)
		}
		heap.Pop(&e.queue) // stale: the scope was evaluated again since
	}
	return time.Time{}
}

func compareScopes(a, b Scope) int {
	return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.ID, b.ID))
}

func compareByKey(a, b Finding) int {
	ka, kb := a.Key(), b.Key()
	return bytes.Compare(ka[:], kb[:])
}

// hashFindings hashes the keys of findings sorted by key (0 for none); equal keys count once.
func hashFindings(fs []Finding) uint64 {
	if len(fs) == 0 {
		return 0
	}
	h := fnv.New64a()
	var last Key
	for i := range fs {
		k := fs[i].Key()
		if i > 0 && k == last {
			continue
		}
		h.Write(k[:])
		last = k
	}
	return h.Sum64() | 1 // never 0
}

// hashKeys hashes sorted keys as hashFindings does.
func hashKeys(keys []Key) uint64 {
	if len(keys) == 0 {
		return 0
	}
	h := fnv.New64a()
	for i, k := range keys {
		if i > 0 && k == keys[i-1] {
			continue
		}
		h.Write(k[:])
	}
	return h.Sum64() | 1
}

// wakeEntry is a scope waiting for a moment.
type wakeEntry struct {
	at    int64
	scope Scope
}

// wakeQueue is a min-heap of wake entries; entries whose scope was evaluated again since are
// stale and skipped when they come up.
type wakeQueue []wakeEntry

func (q wakeQueue) Len() int           { return len(q) }
func (q wakeQueue) Less(i, j int) bool { return q[i].at < q[j].at }
func (q wakeQueue) Swap(i, j int)      { q[i], q[j] = q[j], q[i] }
func (q *wakeQueue) Push(x any)        { *q = append(*q, x.(wakeEntry)) }
func (q *wakeQueue) Pop() any {
	old := *q
	x := old[len(old)-1]
	*q = old[:len(old)-1]
	return x
}
