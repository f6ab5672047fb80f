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
	// AccountEvery is the least time between two evaluations of the account-wide rules (R7's
	// telephony trouble, R13's sample, data health) that a change asks for: they read every
	// call of the account, so a busy account evaluates them at most this often rather than on
	// every poll. A change waits at most AccountEvery; their own deadlines are kept exactly.
	// 0 evaluates them on every change.
	AccountEvery time.Duration

	scopes map[scopeKey]scopeState
	gen    uint32 // counts Full evaluations: a scope not stamped with the current one is gone
	queue  wakeQueue
	health *callHealth
	mask   ruleMask
	ready  bool
	// accountAt is when the account scope was last evaluated (Unix ns); accountStale says a
	// change since then waits for it.
	accountAt    int64
	accountStale bool
	accountWake  int64 // the wake queued for a stale account (Unix ns), 0 when none
	accountDue   int64 // the account's own next deadline before AccountEvery deferred it
	lastNow      int64 // the moment of the last evaluation (Unix ns)
}

// AccountPending reports whether a change waits for the account-wide rules (see AccountEvery):
// until they run, the findings may differ from a full evaluation's.
func (e *Engine) AccountPending() bool {
	return e.accountStale || (e.accountDue != 0 && e.accountDue <= e.lastNow)
}

// scopeState is what the engine remembers of one scope.
type scopeState struct {
	hash uint64 // of the sorted keys of its findings; 0 when it has none
	wake int64  // Unix nanoseconds of its next deadline; 0 when none
	gen  uint32 // the Full evaluation that last saw it
}

// scopeKey packs a scope in a word (kind in the top byte; amoCRM ids are far below 2^56), so
// the engine's map and queue use the fast integer paths.
type scopeKey uint64

func keyOf(s Scope) scopeKey { return scopeKey(uint64(s.Kind)<<56 | uint64(s.ID)&(1<<56-1)) }

func (k scopeKey) scope() Scope { return Scope{Kind: ScopeKind(k >> 56), ID: int64(k & (1<<56 - 1))} }

// ScopeResult is one evaluated scope: all of its findings, in key order. Changed says the set
// of their keys differs from what the engine knew: only then does the ledger need to look.
// Findings is valid until the emit callback returns.
type ScopeResult struct {
	Scope    Scope
	Findings []Finding
	Changed  bool
}

// NewEngine returns an engine that knows no findings yet.
func NewEngine() *Engine { return &Engine{scopes: map[scopeKey]scopeState{}} }

// Seed tells the engine which findings are already known (the ledger's open entries, by key),
// so the first Full reports as changed only the scopes that differ from them. keys must come
// sorted (the ledger's order).
func (e *Engine) Seed(keys []Key) {
	n := 0 // the map is made at its size: growing it left 10 MB of garbage at a restart
	for i := 0; i < len(keys); n++ {
		s := keys[i].ScopeOf()
		for i < len(keys) && keys[i].ScopeOf() == s {
			i++
		}
	}
	e.scopes = make(map[scopeKey]scopeState, n)
	for i := 0; i < len(keys); {
		s := keys[i].ScopeOf()
		j := i
		for j < len(keys) && keys[j].ScopeOf() == s {
			j++
		}
		e.scopes[keyOf(s)] = scopeState{hash: hashKeys(keys[i:j])}
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
	e.gen++
	for s, st := range e.scopes { // the queue is rebuilt: forget what it held
		st.wake = 0
		e.scopes[s] = st
	}
	o := &out{now: in.Now}
	visit := func(s Scope) error {
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
	err := forDeals(in, e.mask, order, nil, func(slot int32, fs []Finding, wake time.Time) error {
		s := Scope{Kind: ScopeDeal, ID: int64(deals[slot].ID)}
		o.fs, o.wake = fs, wake
		return e.record(s, o, emit)
	})
	o.fs = nil // the last deal's findings belong to forDeals
	if err != nil {
		return err
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
	e.accountAt, e.accountStale, e.accountWake, e.lastNow = in.Now.UnixNano(), false, 0, in.Now.UnixNano()
	var gone []Scope
	for k, st := range e.scopes {
		if st.gen != e.gen {
			gone = append(gone, k.scope())
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
	now := in.Now.UnixNano()
	e.lastNow = now
	account := Scope{Kind: ScopeAccount}
	e.accountStale = e.accountStale || dirty.Account
	for len(e.queue) > 0 && e.queue[0].at <= now {
		w := heap.Pop(&e.queue).(wakeEntry)
		if st, ok := e.scopes[w.scope]; ok && st.wake == w.at {
			todo[w.scope.scope()] = true
		} else if w.scope == keyOf(account) && e.accountStale { // the wait of AccountEvery is over
			todo[account] = true
		}
	}
	if e.accountStale && !todo[account] {
		if next := e.accountAt + int64(e.AccountEvery); now >= next {
			todo[account] = true
		} else if e.accountWake != next {
			e.accountWake = next
			heap.Push(&e.queue, wakeEntry{at: next, scope: keyOf(account)})
		}
	}
	if todo[account] {
		e.accountAt, e.accountStale, e.accountWake = now, false, 0
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
	if s.Kind != ScopeAccount {
		return
	}
	if e.health != nil {
		o.wakeAt(e.health.wake)
	}
	// The account-wide rules slide windows over every call: some call leaves a window every
	// few seconds. Their deadlines wait AccountEvery too (accountDue remembers the exact one).
	e.accountDue = 0
	if e.AccountEvery > 0 && !o.wake.IsZero() {
		e.accountDue = o.wake.UnixNano()
		if least := in.Now.Add(e.AccountEvery); o.wake.Before(least) {
			o.wake = least
		}
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
	if len(o.fs) > 1 {
		slices.SortFunc(o.fs, compareByKey)
	}
	h := hashFindings(o.fs)
	k := keyOf(s)
	st := e.scopes[k]
	changed := st.hash != h
	st.hash, st.gen = h, e.gen
	old := st.wake
	st.wake = 0
	if !o.wake.IsZero() {
		st.wake = o.wake.UnixNano()
		if st.wake != old { // the same deadline is queued already
			heap.Push(&e.queue, wakeEntry{at: st.wake, scope: k})
		}
	}
	if st.hash == 0 && st.wake == 0 {
		delete(e.scopes, k)
	} else {
		e.scopes[k] = st
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
	if e.accountWake != 0 {
		e.queue = append(e.queue, wakeEntry{at: e.accountWake, scope: keyOf(Scope{Kind: ScopeAccount})})
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
		if w.scope.scope().Kind == ScopeAccount && e.accountStale {
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
	scope scopeKey
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
