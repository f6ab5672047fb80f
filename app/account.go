package app

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"salesguard/amo"
	"salesguard/checks"
	"salesguard/workset"
)

// accountState is what the loop keeps in memory for one account between cycles: the working
// set, the incremental engine and where the sync stands. Everything in it can be rebuilt from
// storage, so a restart loses nothing and re-reads nothing it has.
type accountState struct {
	Account
	log *slog.Logger

	// mu guards the working set: the cycle holds it to write while it applies a page or
	// evaluates, the bot's commands to read.
	mu     sync.RWMutex
	loaded bool
	// ready says the first cycle of this process ran (the "account ready" line is logged).
	ready  bool
	ws     *workset.Set
	engine *checks.Engine
	state  amo.SyncState
	// input is the last evaluation's prepared input, reused while the settings and the
	// dictionaries stay the same.
	input    *checks.Input
	inputFor string // the settings (JSON) and dictionary generation input was built for
	settings checks.Settings

	prunedAt     time.Time
	syncList     string       // the list the last page came from: pruned when a list is done
	syncPages    int          // pages saved since the start
	unsaved      unsavedPages // pages of the running poll applied and not saved yet
	filterWarned bool         // the is_api_filter_enabled warning was logged
	skipped      skippedItems // amoCRM items skipped as malformed since the admins were last told
	health       string       // last reported sync health ("ok", "banned", …); "" before the first sync
	// openByRule counts the ledger's open entries per rule (the findings metric).
	openByRule map[checks.RuleID]int
	// lastCycle records what the last cycle did, for the log and the benchmarks.
	lastCycle CycleStats
}

// CycleStats say what one cycle of an account did.
type CycleStats struct {
	Pages, Items, Requests int
	Full                   bool // the first, full sync ran (or resumed) in this cycle
	Sync, Eval, Ledger     time.Duration
	Scopes, Changed        int // scopes evaluated, and those whose findings changed
	Opened, Closed         int
	// CPU is the process's CPU time during the cycle (all goroutines, the collector too).
	CPU time.Duration
}

// accountEvery is how often at most a change re-evaluates the account-wide rules (R7's
// telephony trouble, R13's sample, data health): they read every call of the account, 45 ms at
// 100k deals, which a busy account would pay on every poll.
const accountEvery = 5 * time.Minute

// load builds the account's working set from storage on the first cycle: the kept records
// only, the sync state, and the ledger's open keys for the engine, so a restart resumes
// incrementally and the first evaluation reports only what changed while it was down.
func (a *App) load(acc *accountState) error {
	if acc.loaded {
		return nil
	}
	started := a.clock.Now()
	prefetched, err := a.store.Prefetch(acc.Key)
	if err != nil {
		acc.log.Warn("read-ahead of the working set failed: the load reads it page by page", "err", err)
	}
	ws := workset.New()
	ws.BaseURL = acc.BaseURL
	st, err := a.store.LoadWorkset(acc.Key, ws)
	if err != nil {
		return fmt.Errorf("load working set: %w", err)
	}
	keys, err := a.store.OpenKeys(acc.Key)
	if err != nil {
		return err
	}
	engine := checks.NewEngine()
	engine.AccountEvery = accountEvery
	engine.Seed(keys)
	acc.openByRule = map[checks.RuleID]int{}
	for _, k := range keys {
		acc.openByRule[k.Rule()]++
	}
	ws.TakeDirty() // the first evaluation is a full one
	acc.mu.Lock()
	acc.ws, acc.engine, acc.state, acc.loaded = ws, engine, st, true
	acc.mu.Unlock()
	a.releaseMemory(acc)
	deals, tasks, contacts, acts := ws.Counts()
	acc.log.Info("working set loaded", "deals", deals, "tasks", tasks, "contacts", contacts, "items", acts,
		"open_findings", len(keys), "full_done", st.FullDone, "pages_read_ahead", prefetched,
		"took", a.clock.Since(started).Round(time.Millisecond))
	return nil
}

// prepare returns the input of an evaluation at now, rebuilt only when the settings or the
// dictionaries changed (a change also asks the working set for a full evaluation).
func (acc *accountState) prepare(s checks.Settings, now time.Time) (*checks.Input, error) {
	raw, err := json.Marshal(s)
	if err != nil {
		return nil, err
	}
	key := fmt.Sprintf("%d/%s", acc.ws.DictGen(), raw)
	if acc.input != nil && acc.inputFor == key {
		return acc.input.At(now), nil
	}
	in, err := checks.NewInput(acc.ws, s, now)
	if err != nil {
		return nil, err
	}
	if acc.input != nil {
		acc.ws.MarkAll()
	}
	acc.input, acc.inputFor, acc.settings = in, key, s
	return in, nil
}

// dict returns the account's dictionaries as a snapshot without entities, for rendering (nil
// before the first sync).
func (acc *accountState) view(now time.Time) *amo.Snapshot {
	if acc.ws == nil {
		return nil
	}
	d := acc.ws.Dict()
	return &amo.Snapshot{TakenAt: now, BaseURL: acc.BaseURL, Account: d.Account, Users: d.Users,
		Pipelines: d.Pipelines, LossReasons: d.LossReasons, CustomFields: d.CustomFields}
}
