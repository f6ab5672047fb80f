// Package sandbox emulates an amoCRM (Kommo) account over HTTP for tests, benchmarks, the demo
// and `salesguard sandbox`: a World holds the account's data, a Server serves it as API v4
// (/api/v4/..., with the real API's paging, filters, quirks, rate limit, ban and OAuth;
// shared/amocrm/API.md), a Sim plays a sales team that works in simulated time, and BuildShape
// generates a large still account of a named Shape in seconds.
//
// # Control API
//
// Besides /api/v4 the Server answers a few routes under /_sandbox/ for scripts and tests. They
// exist only in the sandbox, need no token, are not rate-limited, get no injected faults and are
// not counted in Stats, so a script can read the counters of a sync without changing them:
//
//   - POST /_sandbox/touch?deals=N (default 1, at most 100000) changes N distinct random open
//     deals as their managers would, at the world's Now: a move to the next stage with its
//     lead_status_changed event, or a comment with its common_note_added event; updated_at
//     becomes Now. It answers {"touched": N, "ids": [...], "at": "..."}. The picks follow
//     Config.Seed, so the same seed and world give the same deals. With Config.WorldClock set
//     (a world that runs in real time) the world first moves forward to that clock's now.
//   - GET /_sandbox/stats answers the request counters (total, by_status, by_endpoint,
//     rate_limited, banned), the world's now, the size of each list (counts) and
//     min_full_sync_requests, the least number of requests a full sync with a 30-day event
//     history can make (MinFullSyncRequests).
//   - POST /_sandbox/advance?to=RFC3339 moves the world's clock forward (through Config.Advance
//     when set, so a simulator plays the team up to then); a time before Now is a 409.
//
// Errors are application/problem+json with a 400 or 409; a wrong method gets a 405.
//
// # Webhooks
//
// The API is read-only but for GET, POST and DELETE /api/v4/webhooks (API.md §5), which keep
// the account's subscriptions. After every change of the World (World.Update, whoever calls
// it: the simulator, the control API, a test) the server compares the entities with what it
// last saw and posts the changes to every subscription that asked for them, as amoCRM does:
// form-encoded with percent-encoded brackets (leads[add], leads[update], leads[status],
// leads[responsible], leads[delete], leads[note], contacts[…], task[add|update|delete]),
// v2-style fields, the account last. Sending happens after the World's lock is released; a
// failed delivery is logged and tried again 5 and 15 minutes later (Config.Clock), never
// fatal. Server.Deliveries tells what was sent.
package sandbox
