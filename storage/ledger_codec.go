package storage

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"time"

	"salesguard/amo"
	"salesguard/checks"
	"salesguard/notify"
)

// ledgerVersion is the first byte of an encoded ledger entry. Version 3 appends Told; a
// version 2 entry reads as one told to nobody.
const ledgerVersion = 3

// errBadEntry means a ledger entry could not be decoded.
var errBadEntry = errors.New("corrupt ledger entry")

// encodeEntry writes a ledger entry compactly: varints and length-prefixed strings, times as
// seconds and nanoseconds. What the key holds (scope, rule, level, kind, day, deal) is not
// written again: decodeEntry reads it back from the key.
func encodeEntry(e *LedgerEntry) []byte { return appendEntry(make([]byte, 0, 64), e) }

// appendEntry appends the encoding of e to b (many entries share one buffer in a batch).
func appendEntry(b []byte, e *LedgerEntry) []byte {
	w := &lw{b: b}
	w.b = append(w.b, ledgerVersion)
	f := &e.Finding
	w.s(string(f.Unit))
	w.i(int64(f.AccountID))
	w.i(int64(f.ManagerID))
	w.t(f.Due)
	w.f(f.Value)
	w.f(f.Limit)
	w.s(f.DealName)
	w.i(int64(f.Stage.PipelineID))
	w.i(int64(f.Stage.StatusID))
	w.i(int64(f.Task))
	w.s(f.TaskText)
	w.s(f.Result)
	w.i(int64(f.TaskBy))
	w.i(int64(f.Note))
	w.t(f.CallAt)
	w.bool(f.Incoming)
	w.s(f.Link)
	w.i(int64(f.Count))
	w.i(int64(f.Extra))
	w.u(uint64(f.Failed))
	w.s(f.Reason)
	w.u(uint64(len(f.Fields)))
	for _, id := range f.Fields {
		w.i(int64(id))
	}
	w.t(e.OpenedAt)
	w.t(e.ClosedAt)
	w.u(uint64(len(e.Alerts)))
	for _, a := range e.Alerts {
		w.i(a.ChatID)
		w.i(int64(a.MessageID))
	}
	w.t(e.SnoozedUntil)
	w.i(e.AckedBy)
	w.t(e.AckedAt)
	w.u(uint64(len(e.Told)))
	for _, c := range e.Told {
		w.i(c)
	}
	return w.b
}

// decodeEntry reads what encodeEntry wrote.
func decodeEntry(key, b []byte) (LedgerEntry, error) {
	var e LedgerEntry
	k, ok := checks.KeyFromBytes(key)
	if !ok {
		return e, fmt.Errorf("%w: key of %d bytes", errBadEntry, len(key))
	}
	e.Key = k
	r := &lr{b: b}
	v := r.byte()
	if v != ledgerVersion && v != 2 {
		return e, fmt.Errorf("%w: version %d", errBadEntry, v)
	}
	f := &e.Finding
	f.Rule, f.Level, f.Kind = k.KeyFields()
	f.Scope, f.DealID, f.Day = k.ScopeOf(), k.Deal(), k.Day()
	f.Unit = checks.Unit(r.s())
	f.AccountID = amo.AccountID(r.i())
	f.ManagerID = amo.UserID(r.i())
	f.Due, f.Value, f.Limit = r.t(), r.f(), r.f()
	f.DealName = r.s()
	f.Stage = amo.StatusRef{PipelineID: amo.PipelineID(r.i()), StatusID: amo.StatusID(r.i())}
	f.Task, f.TaskText, f.Result, f.TaskBy = amo.TaskID(r.i()), r.s(), r.s(), amo.UserID(r.i())
	f.Note, f.CallAt, f.Incoming, f.Link = amo.NoteID(r.i()), r.t(), r.bool(), r.s()
	f.Count, f.Extra, f.Failed, f.Reason = int(r.i()), int(r.i()), uint8(r.u()), r.s()
	if n := r.count(); n > 0 {
		f.Fields = make([]amo.FieldID, n)
		for i := range f.Fields {
			f.Fields[i] = amo.FieldID(r.i())
		}
	}
	e.OpenedAt, e.ClosedAt = r.t(), r.t()
	if n := r.count(); n > 0 {
		e.Alerts = make([]notify.SentRef, n)
		for i := range e.Alerts {
			e.Alerts[i] = notify.SentRef{ChatID: r.i(), MessageID: int(r.i())}
		}
	}
	e.SnoozedUntil, e.AckedBy, e.AckedAt = r.t(), r.i(), r.t()
	if v >= 3 {
		if n := r.count(); n > 0 {
			e.Told = make([]int64, n)
			for i := range e.Told {
				e.Told[i] = r.i()
			}
		}
	}
	if r.err != nil {
		return LedgerEntry{}, fmt.Errorf("%w: %v", errBadEntry, r.err)
	}
	return e, nil
}

// lw appends the fields of an entry.
type lw struct{ b []byte }

func (w *lw) u(v uint64) { w.b = binary.AppendUvarint(w.b, v) }
func (w *lw) i(v int64)  { w.b = binary.AppendVarint(w.b, v) }

// f writes a number: most are whole (counts, minutes, seconds), written as varints.
func (w *lw) f(v float64) {
	if n := int64(v); float64(n) == v && n > -1<<50 && n < 1<<50 {
		w.u(0)
		w.i(n)
		return
	}
	w.u(1)
	w.b = binary.BigEndian.AppendUint64(w.b, math.Float64bits(v))
}
func (w *lw) s(v string) {
	w.u(uint64(len(v)))
	w.b = append(w.b, v...)
}
func (w *lw) bool(v bool) {
	if v {
		w.b = append(w.b, 1)
	} else {
		w.b = append(w.b, 0)
	}
}
func (w *lw) t(v time.Time) {
	if v.IsZero() {
		w.i(0)
		return
	}
	w.i(v.Unix())
	w.u(uint64(v.Nanosecond()))
}

// lr reads an entry's fields; the first problem sticks in err and zero values follow.
type lr struct {
	b   []byte
	err error
}

func (r *lr) fail(what string) {
	if r.err == nil {
		r.err = errors.New(what)
	}
}

func (r *lr) byte() byte {
	if len(r.b) == 0 {
		r.fail("truncated")
		return 0
	}
	v := r.b[0]
	r.b = r.b[1:]
	return v
}

func (r *lr) u() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.fail("bad varint")
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *lr) i() int64 {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.fail("bad varint")
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *lr) f() float64 {
	if r.u() == 0 {
		return float64(r.i())
	}
	if len(r.b) < 8 {
		r.fail("truncated float")
		return 0
	}
	v := math.Float64frombits(binary.BigEndian.Uint64(r.b))
	r.b = r.b[8:]
	return v
}

func (r *lr) count() int {
	n := r.u()
	if n > uint64(len(r.b)) {
		r.fail("bad count")
		return 0
	}
	return int(n)
}

func (r *lr) s() string {
	n := r.count()
	if r.err != nil {
		return ""
	}
	v := string(r.b[:n])
	r.b = r.b[n:]
	return v
}

func (r *lr) bool() bool { return r.byte() == 1 }

func (r *lr) t() time.Time {
	v := r.i()
	if v == 0 {
		return time.Time{}
	}
	return time.Unix(v, int64(r.u())).UTC()
}
