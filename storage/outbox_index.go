package storage

import (
	"encoding/binary"
	"time"
)

// pendingValue is the pending-index value: chat id and next attempt, so Due decodes only the
// items it returns.
func pendingValue(it OutboxItem) []byte {
	v := make([]byte, 16)
	binary.BigEndian.PutUint64(v[:8], uint64(it.Message.ChatID))
	binary.BigEndian.PutUint64(v[8:], uint64(nanos(it.NextAt)))
	return v
}

func decodePending(v []byte) (chat, next int64) {
	if len(v) != 16 {
		return 0, 0
	}
	return int64(binary.BigEndian.Uint64(v[:8])), int64(binary.BigEndian.Uint64(v[8:]))
}

// nanos is t in Unix nanoseconds, 0 for the zero time (always due).
func nanos(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

// NextRetry is a deterministic exponential backoff for the attempts-th failed delivery:
// 30 s, 1 min, 2 min, … capped at 30 min.
func NextRetry(attempts int) time.Duration {
	const base, maxDelay = 30 * time.Second, 30 * time.Minute
	if attempts < 1 {
		attempts = 1
	}
	if attempts > 16 {
		return maxDelay
	}
	return min(base<<(attempts-1), maxDelay)
}
