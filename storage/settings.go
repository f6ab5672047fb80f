package storage

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"

	"salesguard/checks"
)

// SettingsChange is one changed value: the dotted JSON path ("r1.limit", "disabled") and its
// JSON before and after (null when absent). The first save of an account is compared with
// checks.DefaultSettings, which were in force until then, so an import lists the settings it
// changed. (Revisions written before that hold one change with the empty path, old null and
// the whole settings as new; SettingsHistory expands them the same way.)
type SettingsChange struct {
	Path string          `json:"path"`
	Old  json.RawMessage `json:"old"`
	New  json.RawMessage `json:"new"`
}

// SettingsRevision is one entry of an account's settings history.
type SettingsRevision struct {
	At      time.Time        `json:"at"`
	Who     string           `json:"who"` // who changed it: "tg:12345", "config", "migration"
	Changes []SettingsChange `json:"changes"`
}

// LoadSettings returns an account's settings and whether any were stored; the caller falls
// back to checks.DefaultSettings when not.
func (db *DB) LoadSettings(account string) (checks.Settings, bool, error) {
	var s checks.Settings
	var found bool
	err := db.bolt.View(func(tx *bolt.Tx) error {
		b, err := accountBucket(tx, account, subSettings)
		if err != nil {
			return err
		}
		found, err = getJSON(b, keySettings, &s)
		return err
	})
	if err != nil {
		return checks.Settings{}, false, fmt.Errorf("load settings of account %s: %w", account, err)
	}
	return s, found, nil
}

// SaveSettings stores an account's settings and, when they differ from the stored ones (the
// defaults, before the first save), records a revision with every changed leaf path (objects
// are compared key by key, lists as a whole). Saving identical settings records nothing.
// Validation is the caller's job.
func (db *DB) SaveSettings(account string, s checks.Settings, who string, at time.Time) error {
	data, err := json.Marshal(s)
	if err != nil {
		return fmt.Errorf("save settings of account %s: encode: %w", account, err)
	}
	err = db.bolt.Update(func(tx *bolt.Tx) error {
		b, err := accountBucket(tx, account, subSettings)
		if err != nil {
			return err
		}
		old, first, err := storedOrDefaults(b)
		if err != nil {
			return err
		}
		var changes []SettingsChange
		diffJSON("", old, data, &changes)
		if len(changes) == 0 && !first {
			return nil
		}
		if err := b.Put(keySettings, data); err != nil {
			return fmt.Errorf("put settings: %w", err)
		}
		if len(changes) == 0 {
			return nil // the defaults, now stored: nothing changed
		}
		hist, err := accountBucket(tx, account, subSettingsHistory)
		if err != nil {
			return err
		}
		seq, err := hist.NextSequence()
		if err != nil {
			return fmt.Errorf("next history sequence: %w", err)
		}
		rev := SettingsRevision{At: at, Who: who, Changes: changes}
		return putJSON(hist, joinKey(timeKey(at), u64(seq)), rev)
	})
	if err != nil {
		return fmt.Errorf("save settings of account %s: %w", account, err)
	}
	return nil
}

// SettingsHistory returns an account's settings revisions, newest first, at most limit of them
// (limit ≤ 0: all).
func (db *DB) SettingsHistory(account string, limit int) ([]SettingsRevision, error) {
	var out []SettingsRevision
	err := db.bolt.View(func(tx *bolt.Tx) error {
		b, err := accountBucket(tx, account, subSettingsHistory)
		if err != nil || b == nil {
			return err
		}
		c := b.Cursor()
		for k, v := c.Last(); k != nil && (limit <= 0 || len(out) < limit); k, v = c.Prev() {
			var rev SettingsRevision
			if err := json.Unmarshal(v, &rev); err != nil {
				return fmt.Errorf("decode revision %q: %w", k, err)
			}
			if err := expandWhole(&rev); err != nil {
				return fmt.Errorf("revision %q: %w", k, err)
			}
			if len(rev.Changes) > 0 { // an old first save of the very defaults changed nothing
				out = append(out, rev)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("settings history of account %s: %w", account, err)
	}
	return out, nil
}

// storedOrDefaults returns the stored settings, or the defaults (first) when none are stored.
func storedOrDefaults(b *bolt.Bucket) (data []byte, first bool, err error) {
	if old := clone(b.Get(keySettings)); old != nil {
		return old, false, nil
	}
	data, err = defaultsJSON()
	return data, true, err
}

// defaultsJSON is checks.DefaultSettings as stored.
func defaultsJSON() ([]byte, error) {
	data, err := json.Marshal(checks.DefaultSettings())
	if err != nil {
		return nil, fmt.Errorf("encode default settings: %w", err)
	}
	return data, nil
}

// expandWhole rewrites a revision of the older form, one change holding the whole first
// settings, as the leaf paths where they differ from the defaults.
func expandWhole(rev *SettingsRevision) error {
	if len(rev.Changes) != 1 || rev.Changes[0].Path != "" || string(orNull(rev.Changes[0].Old)) != "null" {
		return nil
	}
	def, err := defaultsJSON()
	if err != nil {
		return err
	}
	var changes []SettingsChange
	diffJSON("", def, rev.Changes[0].New, &changes)
	rev.Changes = changes
	return nil
}

// diffJSON appends the leaf paths where old and new differ. Two objects are compared key by
// key; anything else (lists, scalars, an object against null) is compared as a whole.
func diffJSON(path string, before, after json.RawMessage, out *[]SettingsChange) {
	if bytes.Equal(before, after) {
		return
	}
	oldObj, okOld := asObject(before)
	newObj, okNew := asObject(after)
	if !okOld || !okNew {
		*out = append(*out, SettingsChange{Path: path, Old: orNull(before), New: orNull(after)})
		return
	}
	keys := make([]string, 0, len(oldObj)+len(newObj))
	for k := range oldObj {
		keys = append(keys, k)
	}
	for k := range newObj {
		if _, ok := oldObj[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		p := k
		if path != "" {
			p = path + "." + k
		}
		diffJSON(p, oldObj[k], newObj[k], out)
	}
}

func asObject(raw json.RawMessage) (map[string]json.RawMessage, bool) {
	if len(raw) == 0 || raw[0] != '{' {
		return nil, false
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, false
	}
	return m, true
}

func orNull(raw json.RawMessage) json.RawMessage {
	if len(raw) == 0 {
		return json.RawMessage("null")
	}
	return raw
}
