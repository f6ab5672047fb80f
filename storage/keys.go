package storage

import (
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Root buckets.
var (
	bucketMeta          = []byte("meta")           // schema_version
	bucketAccounts      = []byte("accounts")       // account key → Account
	bucketAccountData   = []byte("acct")           // account key → nested per-account buckets
	bucketOutbox        = []byte("outbox")         // u64 id → outboxRecord
	bucketOutboxPending = []byte("outbox_pending") // u64 id → chat id (8) + next attempt unix nanos (8)
	bucketOutboxParked  = []byte("outbox_parked")  // u64 id → empty
	bucketPeople        = []byte("people")         // u64 telegram id + account key → Person
	bucketInvites       = []byte("invites")        // code → Invite
)

// Per-account buckets, nested under acct/<account key>/.
const (
	subToken           = "token"            // "token" → amo.Token
	subSettings        = "settings"         // "settings" → checks.Settings
	subSettingsHistory = "settings_history" // time + u64 seq → SettingsRevision
	subWSMeta          = "ws_meta"          // "meta" → working-set meta, "sync_state" → amo.SyncState
	subWSDeals         = "ws_deals"         // u64 id → workset deal record (kept deals)
	subWSDealsCold     = "ws_deals_cold"    // u64 id → workset deal record (evicted deals)
	subWSContacts      = "ws_contacts"      // u64 id → workset contact record
	subWSContactsCold  = "ws_contacts_cold" // u64 id → workset contact record (evicted)
	subWSTasks         = "ws_tasks"         // u64 id → workset task record
	subWSPending       = "ws_pending"       // kind (1) + u64 id → workset trail record
	subLedgerOpen      = "ledger2_open"     // checks.Key (32 bytes) → LedgerEntry (binary)
	subLedgerDue       = "ledger2_due"      // u64 unix nanos + checks.Key → nothing: snoozes by end
	subLedgerClosed    = "ledger2_closed"   // u64 unix nanos (closed) + checks.Key → LedgerEntry
	subTable           = "table"            // day → []checks.TableRow
	subAudit           = "audit"            // day + 0x00 + u64 deal → Verdict
	subJobs            = "jobs"             // job name → time
	subBan             = "ban"              // "until" → time: the end of an amoCRM ban cool-down
)

// Buckets of schema versions before 3: the snapshot of whole entities and the ledger keyed by
// text. Version 3 drops them (the working set is synced anew).
var legacyAccountBuckets = []string{"snap", "leads", "contacts", "tasks", "notes", "events", "ledger_open", "ledger_closed"}

// Keys of singleton records.
var (
	keySchemaVersion = []byte("schema_version")
	keyToken         = []byte("token")
	keyBanUntil      = []byte("until")
	keySettings      = []byte("settings")
	keySyncState     = []byte("sync_state")
	keyWSMeta        = []byte("meta")
	keyWSSizes       = []byte("sizes")
)

// maxAccountKey bounds an account key; keys are short names like "main" or "client-a".
const maxAccountKey = 64

// timeKeyLayout is RFC 3339 in UTC with a fixed nine-digit fraction, so keys sort in time order
// (time.RFC3339Nano drops trailing zeros and would not).
const timeKeyLayout = "2006-01-02T15:04:05.000000000Z"

// u64 encodes v big-endian so keys sort numerically.
func u64(v uint64) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, v)
	return b
}

// idKey encodes an amoCRM id (always positive) big-endian.
func idKey[T ~int64](id T) []byte { return u64(uint64(id)) }

// timeKey encodes t as sortable RFC 3339 UTC text.
func timeKey(t time.Time) []byte { return []byte(t.UTC().Format(timeKeyLayout)) }

// joinKey concatenates parts with a 0x00 separator, which sorts before any printable byte.
func joinKey(parts ...[]byte) []byte {
	var k []byte
	for i, p := range parts {
		if i > 0 {
			k = append(k, 0)
		}
		k = append(k, p...)
	}
	return k
}

// clone copies a bbolt byte slice, valid only inside its transaction.
func clone(b []byte) []byte { return append([]byte(nil), b...) }

func checkAccount(account string) error {
	if account == "" {
		return errors.New("empty account key")
	}
	if len(account) > maxAccountKey {
		return fmt.Errorf("account key %.16q… longer than %d bytes", account, maxAccountKey)
	}
	return nil
}

// accountBucket returns the named per-account bucket. In a read transaction a missing bucket
// is returned as nil (nothing stored yet); in a write transaction it is created.
func accountBucket(tx *bolt.Tx, account, name string) (*bolt.Bucket, error) {
	if err := checkAccount(account); err != nil {
		return nil, err
	}
	root := tx.Bucket(bucketAccountData)
	if !tx.Writable() {
		acct := root.Bucket([]byte(account))
		if acct == nil {
			return nil, nil
		}
		return acct.Bucket([]byte(name)), nil
	}
	acct, err := root.CreateBucketIfNotExists([]byte(account))
	if err != nil {
		return nil, fmt.Errorf("create bucket of account %s: %w", account, err)
	}
	b, err := acct.CreateBucketIfNotExists([]byte(name))
	if err != nil {
		return nil, fmt.Errorf("create bucket %s of account %s: %w", name, account, err)
	}
	return b, nil
}
