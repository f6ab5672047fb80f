// Package workset holds what SalesGuard's rules read about one amoCRM account, and nothing
// more: the working set. It sits between the sync and the checks in the one-way flow
//
//	poll amoCRM → changes → working set → checks (pure) → findings → ledger → outbox → delivery
//
// and is fed one sync page at a time (Set.Apply), so memory follows what the rules need, not the
// size of the account's history.
//
// What it keeps, in compact types (integer ids, Unix seconds, slots instead of pointers, repeated
// strings interned):
//
//   - deals that are open, closed within KeepClosed, or still carry an open task; the rest are
//     evicted (Set.Prune) and persisted cold, to come back if amoCRM reopens them;
//   - open tasks, and tasks completed within KeepDone (R8); a completed task that leaves leaves its
//     completion time folded into its deal (R1: a completed task takes a lead);
//   - contacts linked to a deal that is kept, with their filled fields (R10) and their activity
//     (calls and chats are often logged on the contact, API.md §6.9);
//   - per deal and per contact a Trail: the raw notes and events of the last ActWindow (status
//     moves: MoveWindow), which R1, R5, R7, R9, R13 and the funnel read, and aggregates kept up to
//     date as items arrive, for what rules read further back: the last communication (R11), the
//     last move into each status (R4), every outgoing call attempt (R6), the latest written
//     messages (R6), the longest call as of any moment (R5).
//
// Items that arrive before their deal or contact wait in a pending trail (ActWindow at most).
// Every change marks what it touched: Set.TakeDirty tells the evaluation which deals and scopes
// to re-evaluate, Set.TakeChanged tells persistence which records to write (codec.go encodes
// them). The package does no I/O and reads no clock: the moment a page describes comes with it.
package workset
