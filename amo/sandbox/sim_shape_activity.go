package sandbox

import (
	"slices"
	"strconv"

	"salesguard/amo"
)

// notes creates n notes on random worked deals: three in four are calls, the rest comments;
// every third note is on the deal's contact.
func (b *shapeBuilder) notes(n int) {
	if len(b.deals) == 0 {
		return
	}
	if len(b.d.Notes) == 0 {
		b.d.Notes = make(map[amo.NoteID]*amo.Note, n)
	}
	slab, calls, texts := make([]amo.Note, n), make([]amo.Call, 0, n), b.s.cat.callNotes
	for i := range slab {
		dl, nt := b.deal(), &slab[i]
		off := b.between(dl.created, dl.end)
		at := b.at(off)
		*nt = amo.Note{ID: amo.NoteID(b.d.ID()), EntityID: int64(dl.id), EntityType: amo.EntityLeads,
			NoteType: amo.NoteCommon, Text: texts[b.r.IntN(len(texts))], CreatedBy: dl.by, ResponsibleUserID: dl.by,
			CreatedAt: at, UpdatedAt: at}
		if i%4 != 0 {
			calls = append(calls, b.call(nt.ID, dl.by))
			nt.NoteType, nt.Text, nt.Call = amo.NoteCallOut, "", &calls[len(calls)-1]
			if b.r.IntN(10) == 0 {
				nt.NoteType = amo.NoteCallIn
			}
		}
		if i%3 == 0 {
			nt.EntityID, nt.EntityType = int64(dl.contact), amo.EntityContacts
			dl.cLast = max(dl.cLast, off)
		} else {
			dl.touch(off)
		}
		b.d.Notes[nt.ID] = nt
	}
}

// call returns the parameters of a call: two in three are missed or a few seconds long, the
// rest last 20 s to 10 min; calls of 30 s and more were answered and have a recording (R7, R9).
func (b *shapeBuilder) call(id amo.NoteID, by amo.UserID) amo.Call {
	c := amo.Call{Duration: int64(b.r.IntN(16)), Status: 6, Result: b.s.cat.missResult,
		Uniq: "call-" + strconv.FormatInt(int64(id), 36), Source: "sandbox-telephony",
		Responsible: strconv.FormatInt(int64(by), 10)}
	if b.r.IntN(3) == 0 {
		c.Duration = 20 + int64(b.r.IntN(580))
	}
	if c.Duration >= 30 {
		c.Status, c.Result, c.Link = 4, b.s.cat.callResult, "https://records.sandbox.local/"+c.Uniq+".mp3"
	}
	return c
}

// Kinds of the events BuildShape makes, in the order random events cycle through them.
const (
	evStatus = iota
	evCall
	evNote
	evTaskDone
	evChat
	evKinds
)

// events appends n events about worked deals in time order. Up to a third are the first
// response to a web-form lead, one to forty minutes after it arrived (R1); the rest are status
// changes, calls, comments, completed tasks and chat messages at random moments of the deals'
// lives. Times and deals are drawn first and sorted as packed keys (the second above, the draw
// number below), then the events are made in that order.
func (b *shapeBuilder) events(n int) {
	if len(b.deals) == 0 || n == 0 {
		return
	}
	keys, deals, kinds := make([]uint64, n), make([]int32, n), make([]uint8, n)
	draw := func(i, deal, kind int, off int32) {
		keys[i] = uint64(off)<<32 | uint64(i)
		deals[i], kinds[i] = int32(deal), uint8(kind)
	}
	i := 0
	for j := 0; j < len(b.deals) && i < n/3; j++ {
		if dl := &b.deals[j]; dl.l.CreatedBy == 0 {
			draw(i, j, evCall, b.by(dl.created+60+int32(b.r.IntN(40*60)), dl.created, dl.end))
			i++
		}
	}
	for ; i < n; i++ {
		j := b.r.IntN(len(b.deals))
		dl := &b.deals[j]
		kind, off := i%evKinds, b.between(dl.created, dl.end)
		switch {
		case kind == evStatus && !dl.open():
			off = dl.end // the move that closed the deal
		case kind == evStatus && dl.stage == 0:
			kind = evCall // nothing comes before the unsorted stage
		}
		draw(i, j, kind, off)
	}
	slices.Sort(keys)
	b.makeEvents(keys, deals, kinds)
}

// makeEvents appends the drawn events in key order.
func (b *shapeBuilder) makeEvents(keys []uint64, deals []int32, kinds []uint8) {
	b.d.Events = slices.Grow(b.d.Events, len(keys))
	refs := make([]amo.StatusRef, 0, 2*len(keys)/evKinds+2)
	stages := pipelineStages()
	types := [evKinds]string{amo.EventLeadStatusChanged, amo.EventOutgoingCall, amo.EventCommonNoteAdded,
		amo.EventTaskCompleted, amo.EventOutgoingChatMessage}
	for _, k := range keys {
		i, off := uint32(k), int32(k>>32)
		dl := &b.deals[deals[i]]
		e := amo.Event{ID: "ev" + strconv.FormatInt(b.d.ID(), 36), Type: types[kinds[i]], EntityID: int64(dl.id),
			EntityType: "lead", CreatedBy: dl.by, CreatedAt: b.at(off)}
		switch kinds[i] {
		case evStatus:
			before := dl.stage
			if dl.open() {
				before--
			}
			refs = append(refs, b.s.stages[dl.pipe][stages[dl.pipe][before]],
				amo.StatusRef{PipelineID: b.s.pipes[dl.pipe], StatusID: dl.status})
			e.StatusBefore, e.StatusAfter = &refs[len(refs)-2], &refs[len(refs)-1]
		case evChat:
			e.LinkedContactID = dl.contact
		}
		dl.touch(off)
		b.d.Events = append(b.d.Events, e)
	}
}
