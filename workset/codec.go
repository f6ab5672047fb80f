package workset

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"

	"salesguard/amo"
)

// codecVersion is the first byte of every record; a record of another version is refused.
const codecVersion = 2

// ErrCorrupt means a record could not be decoded.
var ErrCorrupt = errors.New("workset: corrupt record")

// Encode returns the record of an entity of the set, or false when the set holds none (it
// was removed or evicted since it changed: its Change says what to do).
func (s *Set) Encode(kind RecordKind, id int64) ([]byte, bool) {
	e := &encoder{b: make([]byte, 0, 128)}
	e.b = append(e.b, codecVersion)
	switch kind {
	case RecDeal:
		i, ok := s.dealAt[amo.LeadID(id)]
		if !ok {
			return nil, false
		}
		s.encodeDeal(e, &s.deals[i])
	case RecContact:
		i, ok := s.contactAt[amo.ContactID(id)]
		if !ok {
			return nil, false
		}
		c := &s.contacts[i]
		e.i(int64(c.ID))
		e.ids(leadIDs(c.DealIDs()))
		e.ids(fieldIDs(c.Fields()))
		s.encodeTrail(e, &c.Trail)
	case RecTask:
		i, ok := s.taskAt[amo.TaskID(id)]
		if !ok {
			return nil, false
		}
		s.encodeTask(e, &s.tasks[i])
	case RecPendingDeal, RecPendingContact:
		t, ok := s.pending[owner{contact: kind == RecPendingContact, id: id}]
		if !ok {
			return nil, false
		}
		s.encodeTrail(e, t)
	default:
		return nil, false
	}
	return e.b, true
}

func (s *Set) encodeDeal(e *encoder, d *Deal) {
	e.i(int64(d.ID))
	e.s(s.DealName(d))
	e.i(int64(d.Responsible))
	e.i(int64(d.Stage.PipelineID))
	e.i(int64(d.Stage.StatusID))
	e.i(int64(d.LossReason))
	e.i(d.Created)
	e.i(d.Updated)
	e.i(d.Closed)
	e.i(d.ClosestTask)
	var flags uint64
	if d.ByUser {
		flags |= 1
	}
	if d.Deleted {
		flags |= 2
	}
	e.u(flags)
	e.ids(contactIDs(d.ContactIDs()))
	e.ids(fieldIDs(d.Fields()))
	e.i(d.FirstDone)
	e.i(d.FirstTake)
	s.encodeTrail(e, &d.Trail)
}

func (s *Set) encodeTask(e *encoder, t *Task) {
	e.i(int64(t.ID))
	e.i(int64(t.Responsible))
	e.i(t.Entity)
	e.s(s.TaskText(t))
	e.s(s.TaskResult(t))
	var flags uint64
	if t.Completed {
		flags |= 1
	}
	if t.onDeal {
		flags |= 2
	}
	e.u(flags)
	e.i(t.Till)
	e.i(t.Created)
	e.i(t.Updated)
}

// encodeTrail writes a trail; stage slots are written as the stages themselves.
func (s *Set) encodeTrail(e *encoder, t *Trail) {
	acts := t.Acts()
	e.u(uint64(len(acts)))
	for i := range acts {
		a := &acts[i]
		e.i(a.At)
		e.i(a.ID)
		e.u(uint64(a.Kind))
		e.i(int64(a.By))
		if a.Kind == EvMove {
			from, to := a.Move()
			s.encodeStage(e, from)
			s.encodeStage(e, to)
		} else {
			e.i(a.Aux)
		}
		e.i(int64(a.Dur))
		e.u(uint64(a.CallStatus))
		e.s(s.ActText(a))
	}
	e.i(t.LastComm)
	for sec := range nSections {
		ws := t.section(sec)
		e.u(uint64(t.count(sec)))
		switch sec {
		case secEntered:
			for _, w := range ws {
				e.i(int64(w & atMask))
				s.encodeStage(e, int32(w>>atBits))
			}
		case secMoves:
			for _, w := range ws {
				m := moveOf(w)
				e.i(m.At)
				s.encodeStage(e, m.From)
				s.encodeStage(e, m.To)
				e.bool(m.ByUser)
			}
		default:
			for _, w := range ws {
				e.u(w)
			}
		}
	}
}

func (s *Set) encodeStage(e *encoder, slot int32) {
	r, ok := s.Stage(slot)
	if !ok {
		e.u(0)
		return
	}
	e.u(1)
	e.i(int64(r.PipelineID))
	e.i(int64(r.StatusID))
}

// Load adds a persisted record to the set, as it was when it was encoded (hot records at
// start-up). It marks nothing to persist and nothing dirty: the caller evaluates the whole
// set after loading. A record of an entity the set already holds replaces nothing and is an
// error.
func (s *Set) Load(kind RecordKind, data []byte) error {
	return s.load(kind, data, false)
}

// Restore brings a cold record back (an evicted deal or contact amoCRM shows again) and marks
// it to be persisted hot and evaluated. An entity the set already holds is left alone.
func (s *Set) Restore(kind RecordKind, data []byte) error {
	return s.load(kind, data, true)
}

func (s *Set) load(kind RecordKind, data []byte, restore bool) error {
	if !restore {
		s.loading = true
		defer func() { s.loading = false }()
	}
	d := &decoder{b: data}
	if v := d.byte(); v != codecVersion {
		return fmt.Errorf("%w: version %d", ErrCorrupt, v)
	}
	switch kind {
	case RecDeal:
		nd := s.decodeDeal(d)
		if d.err != nil {
			return d.fail("deal")
		}
		if _, ok := s.dealAt[nd.ID]; ok {
			if restore {
				return nil
			}
			return fmt.Errorf("%w: deal %d twice", ErrCorrupt, nd.ID)
		}
		s.addDeal(nd)
		if restore {
			s.change(RecDeal, int64(nd.ID), OpPut)
		}
	case RecContact:
		c := Contact{ID: amo.ContactID(d.i())}
		c.dealIDs = decodeIDs(d, s.mem.leads)
		c.fields = decodeIDs(d, s.mem.fields)
		c.Trail = s.decodeTrail(d)
		if d.err != nil {
			return d.fail("contact")
		}
		if _, ok := s.contactAt[c.ID]; ok {
			if restore {
				return nil
			}
			return fmt.Errorf("%w: contact %d twice", ErrCorrupt, c.ID)
		}
		s.addContact(c)
		if restore {
			s.change(RecContact, int64(c.ID), OpPut)
		}
	case RecTask:
		t := s.decodeTask(d)
		if d.err != nil {
			return d.fail("task")
		}
		if _, ok := s.taskAt[t.ID]; ok {
			return fmt.Errorf("%w: task %d twice", ErrCorrupt, t.ID)
		}
		s.tasksSeen = true
		i := slot(&s.tasks, &s.freeTasks)
		s.tasks[i] = t
		s.taskAt[t.ID] = i
		s.linkTask(i)
	default:
		return fmt.Errorf("%w: kind %d", ErrCorrupt, kind)
	}
	if !restore {
		s.dirty.reset()
	}
	return nil
}

// LoadPending adds the persisted pending items of a deal or contact the set does not hold.
func (s *Set) LoadPending(kind RecordKind, id int64, data []byte) error {
	d := &decoder{b: data}
	if v := d.byte(); v != codecVersion {
		return fmt.Errorf("%w: version %d", ErrCorrupt, v)
	}
	t := s.decodeTrail(d)
	if d.err != nil {
		return d.fail("pending trail")
	}
	o := owner{contact: kind == RecPendingContact, id: id}
	if p, ok := s.pending[o]; ok {
		p.merge(&s.mem, &t)
		s.mem.releaseTrail(&t)
		return nil
	}
	s.pending[o] = &t
	return nil
}

func (s *Set) decodeDeal(d *decoder) Deal {
	nd := Deal{ID: amo.LeadID(d.i())}
	nd.name = s.texts.addBytes(d.bytes())
	nd.Responsible = amo.UserID(d.i())
	nd.Stage = amo.StatusRef{PipelineID: amo.PipelineID(d.i()), StatusID: amo.StatusID(d.i())}
	nd.LossReason = amo.LossReasonID(d.i())
	nd.Created, nd.Updated, nd.Closed, nd.ClosestTask = d.i(), d.i(), d.i(), d.i()
	flags := d.u()
	nd.ByUser, nd.Deleted = flags&1 != 0, flags&2 != 0
	nd.contactIDs = decodeIDs(d, s.mem.contacts)
	nd.fields = decodeIDs(d, s.mem.fields)
	nd.FirstDone = d.i()
	nd.FirstTake = d.i()
	nd.Trail = s.decodeTrail(d)
	return nd
}

func (s *Set) decodeTask(d *decoder) Task {
	t := Task{ID: amo.TaskID(d.i()), deal: -1, live: true}
	t.Responsible = amo.UserID(d.i())
	t.Entity = d.i()
	t.text = s.texts.putBytes(d.bytes())
	t.result = s.texts.putBytes(d.bytes())
	flags := d.u()
	t.Completed, t.onDeal = flags&1 != 0, flags&2 != 0
	t.Till, t.Created, t.Updated = d.i(), d.i(), d.i()
	return t
}

func (s *Set) decodeTrail(d *decoder) Trail {
	var t Trail
	if n := d.count(); n > 0 {
		acts := s.mem.acts.carveLen(n)[:0]
		for range n {
			a := Act{At: d.i(), ID: d.i(), Kind: ActKind(d.u()), By: amo.UserID(d.i())}
			if a.Kind == EvMove {
				from, to := s.decodeStage(d), s.decodeStage(d)
				a.Aux = moveAux(from, to)
			} else {
				a.Aux = d.i()
			}
			a.Dur = int32(d.i())
			a.CallStatus = uint8(d.u())
			a.str = s.texts.addBytes(d.bytes())
			acts = append(acts, a)
		}
		t.acts = vecAt(acts[:cap(acts)], len(acts))
	}
	t.LastComm = d.i()
	// The aggregates are rebuilt in the set's scratch pool and copied once to their own size:
	// inserting them one by one into blocks of the set's pool would leave a block of every
	// size behind.
	s.scratch.reset()
	scratch := mem{words: &s.scratch}
	for sec := range nSections {
		n := d.count()
		for i := range n {
			switch sec {
			case secEntered:
				at := d.i()
				if st := s.decodeStage(d); st >= 0 {
					t.putEntry(&scratch, at, st)
				}
			case secMoves:
				m := Move{At: d.i()}
				m.From, m.To = s.decodeStage(d), s.decodeStage(d)
				m.ByUser = d.u() == 1
				t.putMove(&scratch, m, true)
			default:
				var buf [2]uint64 // the widest section: no allocation per item
				words := buf[:secWidth[sec]]
				for k := range words {
					words[k] = d.u()
				}
				if d.err == nil {
					t.insert(&scratch, sec, i, words...)
				}
			}
		}
	}
	t.agg = s.mem.words.carve(t.agg.s()) // the scratch is reset before the next trail
	return t
}

func (s *Set) decodeStage(d *decoder) int32 {
	if d.u() == 0 {
		return -1
	}
	r := amo.StatusRef{PipelineID: amo.PipelineID(d.i()), StatusID: amo.StatusID(d.i())}
	if d.err != nil {
		return -1
	}
	return s.StageSlot(r)
}

// meta is the set-wide state persisted beside the records.
type meta struct {
	Dict      Dict `json:"dict"`
	TasksSeen bool `json:"tasks_seen"`
}

// MarshalMeta returns the set-wide state (the dictionaries, whether tasks were seen) as JSON.
func (s *Set) MarshalMeta() ([]byte, error) {
	return json.Marshal(meta{Dict: s.dict, TasksSeen: s.tasksSeen})
}

// UnmarshalMeta restores the set-wide state written by MarshalMeta.
func (s *Set) UnmarshalMeta(b []byte) error {
	var m meta
	if err := json.Unmarshal(b, &m); err != nil {
		return fmt.Errorf("%w: meta: %v", ErrCorrupt, err)
	}
	s.dict, s.tasksSeen = m.Dict, m.TasksSeen
	s.dictGen++
	return nil
}

// encoder appends varints and strings.
type encoder struct{ b []byte }

func (e *encoder) u(v uint64) { e.b = binary.AppendUvarint(e.b, v) }
func (e *encoder) i(v int64)  { e.b = binary.AppendVarint(e.b, v) }
func (e *encoder) bool(v bool) {
	if v {
		e.u(1)
	} else {
		e.u(0)
	}
}

func (e *encoder) s(v string) {
	e.u(uint64(len(v)))
	e.b = append(e.b, v...)
}

// ids writes a list of ids, each as the difference to the one before.
func (e *encoder) ids(v []int64) {
	e.u(uint64(len(v)))
	prev := int64(0)
	for _, x := range v {
		e.i(x - prev)
		prev = x
	}
}

// decoder reads what encoder wrote; the first problem sticks in err and zero values follow.
type decoder struct {
	b   []byte
	err error
}

// maxCount bounds a decoded list length, so a corrupt record cannot allocate much.
const maxCount = 1 << 20

func (d *decoder) byte() byte {
	if d.err != nil || len(d.b) == 0 {
		d.err = ErrCorrupt
		return 0
	}
	v := d.b[0]
	d.b = d.b[1:]
	return v
}

func (d *decoder) u() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.err = ErrCorrupt
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) i() int64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.err = ErrCorrupt
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) count() int {
	n := d.u()
	if n > maxCount || n > uint64(len(d.b)) {
		if d.err == nil && n != 0 {
			d.err = ErrCorrupt
		}
		return 0
	}
	return int(n)
}

// decodeIDs reads a list of ids written by encoder.ids, into a block of its length carved
// from p.
func decodeIDs[T ~int64](d *decoder, p *pool[T]) vec[T] {
	n := d.count()
	if n == 0 {
		return vec[T]{}
	}
	out := p.carveLen(n)
	prev := int64(0)
	for i := range out {
		prev += d.i()
		out[i] = T(prev)
	}
	return vecAt(out, n)
}

// bytes reads a string written by encoder.s without copying it (valid while the record is).
func (d *decoder) bytes() []byte {
	n := d.u()
	if d.err != nil || n > uint64(len(d.b)) || n > math.MaxInt32 {
		d.err = ErrCorrupt
		return nil
	}
	v := d.b[:n:n]
	d.b = d.b[n:]
	return v
}

func (d *decoder) fail(what string) error {
	return fmt.Errorf("%w: %s", ErrCorrupt, what)
}

func leadIDs(v []amo.LeadID) []int64 {
	out := make([]int64, len(v))
	for i, x := range v {
		out[i] = int64(x)
	}
	return out
}

func contactIDs(v []amo.ContactID) []int64 {
	out := make([]int64, len(v))
	for i, x := range v {
		out[i] = int64(x)
	}
	return out
}

func fieldIDs(v []amo.FieldID) []int64 {
	out := make([]int64, len(v))
	for i, x := range v {
		out[i] = int64(x)
	}
	return out
}
