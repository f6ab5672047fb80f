package workset

import (
	"slices"
	"testing"

	"salesguard/amo"
)

// TestFieldStates checks what the set keeps of custom field values (R10): the ids of fields
// holding a value of any type, -id for unchecked checkboxes, nothing for empty values, and
// that it survives a record round trip and a change of the value.
func TestFieldStates(t *testing.T) {
	fv := func(id amo.FieldID, typ string, vs ...string) amo.FieldValue {
		return amo.FieldValue{FieldID: id, Type: typ, Values: vs}
	}
	l := lead(1, 10, 50)
	l.CustomFields = []amo.FieldValue{
		fv(1, amo.FieldTypeText, "x"),
		fv(2, amo.FieldTypeCheckbox, "false"),
		fv(3, amo.FieldTypeCheckbox, "true"),
		fv(4, amo.FieldTypeFile, `{"file_uuid":"u","file_name":"a.pdf"}`),
		fv(5, amo.FieldTypeLegalEntity, ""),
		fv(6, amo.FieldTypeCheckbox, "false"), fv(6, amo.FieldTypeCheckbox, "true"), // listed twice: checked wins
		fv(7, amo.FieldTypeChainedList, `{"catalog_id":1,"catalog_element_id":2}`),
	}
	p := page(t0)
	p.Leads = []amo.Lead{l}
	p.Contacts = []amo.Contact{{ID: 50, LeadIDs: []amo.LeadID{1}, CustomFields: []amo.FieldValue{fv(8, amo.FieldTypeCheckbox, "false")}}}
	s := New()
	s.Apply(p)
	d := s.DealByID(1)
	if want := []amo.FieldID{-2, 1, 3, 4, 6, 7}; !slices.Equal(d.Fields(), want) {
		t.Fatalf("fields %v, want %v", d.Fields(), want)
	}
	states := map[amo.FieldID]amo.FieldState{1: amo.FieldFilled, 2: amo.FieldUnchecked, 3: amo.FieldFilled,
		4: amo.FieldFilled, 5: amo.FieldEmpty, 6: amo.FieldFilled, 7: amo.FieldFilled, 9: amo.FieldEmpty}
	for id, want := range states {
		if got := d.FieldState(id); got != want {
			t.Errorf("field %d: state %d, want %d", id, got, want)
		}
		if got := d.HasField(id); got != (want == amo.FieldFilled) {
			t.Errorf("field %d: HasField %v", id, got)
		}
	}
	c := &s.Contacts()[s.Contact(50)]
	if c.FieldState(8) != amo.FieldUnchecked || c.HasField(8) {
		t.Errorf("contact checkbox: fields %v", c.Fields())
	}

	n := New()
	for _, ch := range s.TakeChanged() {
		if ch.Kind != RecDeal && ch.Kind != RecContact {
			continue
		}
		data, ok := s.Encode(ch.Kind, ch.ID)
		if !ok {
			t.Fatalf("no record for %+v", ch)
		}
		if err := n.Load(ch.Kind, data); err != nil {
			t.Fatalf("load %+v: %v", ch, err)
		}
	}
	if got := n.DealByID(1); got == nil || !slices.Equal(got.Fields(), d.Fields()) {
		t.Fatalf("fields after a round trip: %+v", got)
	}
	if ci := n.Contact(50); ci < 0 || n.Contacts()[ci].FieldState(8) != amo.FieldUnchecked {
		t.Error("contact checkbox lost in a round trip")
	}

	// Checking the box is a change the rules must see.
	s.TakeDirty()
	l.CustomFields = []amo.FieldValue{fv(2, amo.FieldTypeCheckbox, "true")}
	p = page(t0)
	p.Leads = []amo.Lead{l}
	s.Apply(p)
	if d := s.DealByID(1); d.FieldState(2) != amo.FieldFilled || !slices.Equal(d.Fields(), []amo.FieldID{2}) {
		t.Errorf("after checking: fields %v", d.Fields())
	}
	if dirty := s.TakeDirty(); !slices.Contains(dirty.Deals, 1) {
		t.Errorf("checking a box did not mark the deal dirty: %+v", dirty)
	}
}
