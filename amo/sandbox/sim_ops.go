package sandbox

import (
	"fmt"
	"strconv"
	"time"

	"salesguard/amo"
)

// leadState is what the simulator remembers about a deal it drives.
type leadState struct {
	id      amo.LeadID
	mgr     *manager
	contact amo.ContactID
	pipe    int
	stage   StageKey
	task    amo.TaskID // the open task the manager works on, or 0
	path    int        // position in workPath once the deal is in work
	tries   int        // calls to a client who does not answer
	giveUp  int        // R6: close as "can't reach" after this many tries (0 = by the rules)
	stale   time.Time  // R4: the deal stays in the call-back stage until then
	idle    bool       // nobody will touch the deal again (R2, forgotten)
}

// event appends an event and returns it.
func (s *Sim) event(d *Data, at time.Time, typ, entity string, id int64, by amo.UserID) *amo.Event {
	d.Events = append(d.Events, amo.Event{ID: "ev" + strconv.FormatInt(d.ID(), 36), Type: typ,
		EntityID: id, EntityType: entity, CreatedBy: by, CreatedAt: at.UTC()})
	return &d.Events[len(d.Events)-1]
}

// touch marks the lead as changed by a user at a moment; updated_at never goes back.
func touch(d *Data, id amo.LeadID, at time.Time, by amo.UserID) {
	if ld := d.Leads[id]; ld != nil {
		if at.After(ld.UpdatedAt) {
			ld.UpdatedAt = at.UTC()
		}
		ld.UpdatedBy = by
	}
}

// touchContact bumps a contact's updated_at.
func touchContact(d *Data, id amo.ContactID, at time.Time) {
	if c := d.Contacts[id]; c != nil && at.After(c.UpdatedAt) {
		c.UpdatedAt = at.UTC()
	}
}

// createLead creates a contact (or reuses a client's existing one), a deal in the given stage
// and the lead_added event. by is 0 for web forms and the unsorted inbox.
func (s *Sim) createLead(d *Data, at time.Time, m *manager, pipe int, stage StageKey, by amo.UserID) *leadState {
	at = at.UTC()
	s.leadNo++
	l := &leadState{id: amo.LeadID(d.ID()), mgr: m, pipe: pipe, stage: stage}
	ref := s.stages[pipe][stage]
	lead := &amo.Lead{ID: l.id, Name: fmt.Sprintf(s.cat.leadName, s.leadNo), ResponsibleUserID: m.id, GroupID: 1,
		PipelineID: ref.PipelineID, StatusID: ref.StatusID, CreatedBy: by, UpdatedBy: by, CreatedAt: at, UpdatedAt: at}
	lead.CustomFields = append(lead.CustomFields, s.value(FieldSource))
	lead.CustomFields = append(lead.CustomFields, s.typedValues(l.id)...)
	d.Leads[l.id] = lead
	s.leads[l.id] = l
	m.load++
	if len(s.contacts) > 20 && s.chance(0.05) { // a returning client
		if id := pick(s.rng, s.contacts); d.Contacts[id] != nil {
			l.contact = id
		}
	}
	if l.contact == 0 {
		c := &amo.Contact{ID: amo.ContactID(d.ID()), Name: s.personName(), ResponsibleUserID: m.id, CreatedAt: at, UpdatedAt: at,
			CustomFields: []amo.FieldValue{s.value(FieldPhone)}}
		if s.chance(0.6) {
			c.CustomFields = append(c.CustomFields, s.value(FieldEmail))
		}
		d.Contacts[c.ID] = c
		l.contact = c.ID
		s.contacts = append(s.contacts, c.ID)
	}
	c := d.Contacts[l.contact]
	c.LeadIDs = append(c.LeadIDs, l.id)
	touchContact(d, c.ID, at)
	lead.ContactIDs = []amo.ContactID{l.contact}
	s.event(d, at, amo.EventLeadAdded, "lead", int64(l.id), by)
	return l
}

// value returns a filled FieldValue.
func (s *Sim) value(k FieldKey) amo.FieldValue {
	v := s.fieldMeta(k)
	v.Values = []string{s.fieldValue(k)}
	return v
}

// hasField reports whether the deal has the field filled.
func hasField(ld *amo.Lead, id amo.FieldID) bool {
	for _, v := range ld.CustomFields {
		if v.FieldID == id && v.Filled() {
			return true
		}
	}
	return false
}

// setField fills a deal field.
func (s *Sim) setField(d *Data, l *leadState, at time.Time, k FieldKey) {
	ld := d.Leads[l.id]
	if ld == nil || hasField(ld, s.fields[k]) {
		return
	}
	v := s.value(k)
	ld.CustomFields = append(ld.CustomFields, v)
	if k == FieldBudget {
		if p, err := strconv.ParseInt(v.Values[0], 10, 64); err == nil {
			ld.Price = p
		}
	}
	touch(d, l.id, at, l.mgr.id)
}

// call writes a call note on the deal or on its contact (telephony puts calls on the contact
// card when the client has several deals, API.md §4.8) with its event.
func (s *Sim) call(d *Data, l *leadState, at time.Time, out bool, dur int64, onContact bool) amo.NoteID {
	c := &amo.Call{Duration: dur, Phone: s.fieldValue(FieldPhone), Uniq: "call-" + strconv.FormatInt(d.ID(), 36),
		Source: "sandbox-telephony", Responsible: strconv.FormatInt(int64(l.mgr.id), 10)}
	switch {
	case dur >= 30:
		c.Status, c.Result = 4, s.cat.callResult
		c.Link = "https://records.sandbox.local/" + c.Uniq + ".mp3"
	case dur > 0:
		c.Status, c.Result = pick(s.rng, []int{1, 3, 7}), s.cat.missResult
	default:
		c.Status, c.Result = 6, s.cat.missResult
	}
	typ, ev := amo.NoteCallOut, amo.EventOutgoingCall
	if !out {
		typ, ev = amo.NoteCallIn, amo.EventIncomingCall
	}
	n := s.note(d, l, at, typ, "", onContact)
	n.Call = c
	entity, id := "lead", int64(l.id)
	if onContact {
		entity, id = "contact", int64(l.contact)
	}
	s.event(d, at, ev, entity, id, l.mgr.id).NoteID = n.ID
	return n.ID
}

// note creates a note on the deal or its contact and bumps updated_at.
func (s *Sim) note(d *Data, l *leadState, at time.Time, typ, text string, onContact bool) *amo.Note {
	at = at.UTC()
	n := &amo.Note{ID: amo.NoteID(d.ID()), EntityID: int64(l.id), EntityType: amo.EntityLeads, NoteType: typ, Text: text,
		CreatedBy: l.mgr.id, ResponsibleUserID: l.mgr.id, CreatedAt: at, UpdatedAt: at}
	if onContact {
		n.EntityID, n.EntityType = int64(l.contact), amo.EntityContacts
		touchContact(d, l.contact, at)
	} else {
		touch(d, l.id, at, l.mgr.id)
	}
	d.Notes[n.ID] = n
	return n
}

// comment writes a text note on the deal with its common_note_added event.
func (s *Sim) comment(d *Data, l *leadState, at time.Time, text string) amo.NoteID {
	n := s.note(d, l, at, amo.NoteCommon, text, false)
	s.event(d, at, amo.EventCommonNoteAdded, "lead", int64(l.id), l.mgr.id).NoteID = n.ID
	return n.ID
}

// chat records an outgoing chat message to the deal's contact.
func (s *Sim) chat(d *Data, l *leadState, at time.Time) {
	s.event(d, at, amo.EventOutgoingChatMessage, "lead", int64(l.id), l.mgr.id).LinkedContactID = l.contact
	touch(d, l.id, at, l.mgr.id)
}
