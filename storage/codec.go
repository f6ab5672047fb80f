package storage

import (
	"bytes"
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// getJSON decodes the value at key into v and reports whether it was there. A nil bucket
// holds nothing. Decoding copies, so v never aliases bbolt memory.
func getJSON(b *bolt.Bucket, key []byte, v any) (bool, error) {
	if b == nil {
		return false, nil
	}
	data := b.Get(key)
	if data == nil {
		return false, nil
	}
	if err := json.Unmarshal(data, v); err != nil {
		return true, fmt.Errorf("decode %q: %w", key, err)
	}
	return true, nil
}

// putJSON stores v as JSON at key.
func putJSON(b *bolt.Bucket, key []byte, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %q: %w", key, err)
	}
	if err := b.Put(key, data); err != nil {
		return fmt.Errorf("put %q: %w", key, err)
	}
	return nil
}

// putIfChanged stores data at key unless the same bytes are already there, so unchanged
// entities do not dirty pages. It reports whether it wrote.
func putIfChanged(b *bolt.Bucket, key, data []byte) (bool, error) {
	if old := b.Get(key); old != nil && bytes.Equal(old, data) {
		return false, nil
	}
	if err := b.Put(key, data); err != nil {
		return false, fmt.Errorf("put %q: %w", key, err)
	}
	return true, nil
}

// eachJSON decodes every value of b in key order and hands it to fn. A nil bucket is empty.
func eachJSON[T any](b *bolt.Bucket, fn func(k []byte, v T) error) error {
	if b == nil {
		return nil
	}
	return b.ForEach(func(k, data []byte) error {
		var v T
		if err := json.Unmarshal(data, &v); err != nil {
			return fmt.Errorf("decode %q: %w", k, err)
		}
		return fn(k, v)
	})
}
