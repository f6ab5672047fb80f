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
	subSnap            = "snap"             // singletons: sync state, dictionaries, taken_at
	subLeads           = "leads"            // u64 id → amo.Lead
	subContacts        = "contacts"         // u64 id → amo.Contact
	subTasks           = "tasks"            // u64 id → amo.Task
	subNotes           = "notes"            // u64 id → amo.Note
	subEvents          = "events"           // time(created_at) + 0x00 + id → amo.Event
	subLedgerOpen      = "ledger_open"      // finding key → LedgerEntry
	subLedgerClosed    = "ledger_closed"    // time(closed_at) + 0x00 + finding key → LedgerEntry
	subTable           = "table"            // day → []checks.TableRow
	subAudit           = "audit"            // day + 0x00 + u64 deal → Verdict
	subJobs            = "jobs"             // job name → time
)

// Keys of singleton records.
var (
	keySchemaVersion = []byte("schema_version")
	keyToken         = []byte("token")
	keySettings      = []byte("settings")
	keySyncState     = []byte("sync_state")
	keyTakenAt       = []byte("taken_at")
	keyAccount       = []byte("account")
	keyUsers         = []byte("users")
	keyPipelines     = []byte("pipelines")
	keyLossReasons   = []byte("loss_reasons")
	keyCustomFields  = []byte("custom_fields")
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
