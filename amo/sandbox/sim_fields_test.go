package sandbox

import (
	"encoding/json"
	"testing"

	"salesguard/amo"
)

// TestTypedFieldShapes: the simulated deals carry a field of every type, filled, empty and
// (checkboxes) unchecked, and the wire renders each value in the JSON type amoCRM sends
// (API.md §4.6): objects for files, legal and linked entities, chained lists, items, payers
// and suppliers (null when empty), bools for checkboxes, numbers for numbers and dates, enum
// ids for options and enum codes for smart address parts.
func TestTypedFieldShapes(t *testing.T) {
	w, _ := mustPopulate(t, SimConfig{Seed: 5, Managers: 3, LeadsPerDay: 20, Days: 5})
	d := snapshot(w)
	type seen struct{ filled, empty, unchecked int }
	by := map[string]*seen{}
	for _, l := range allLeads(&d) {
		for _, wf := range fieldValues(l.CustomFields) {
			if wf.FieldID < typedFieldBase {
				continue
			}
			var model amo.FieldValue
			for _, v := range l.CustomFields {
				if int64(v.FieldID) == wf.FieldID {
					model = v
				}
			}
			s := by[wf.FieldType]
			if s == nil {
				s = &seen{}
				by[wf.FieldType] = s
			}
			switch model.State() {
			case amo.FieldFilled:
				s.filled++
			case amo.FieldUnchecked:
				s.unchecked++
			default:
				s.empty++
			}
			raw, err := json.Marshal(wf)
			if err != nil {
				t.Fatal(err)
			}
			var back struct {
				Values []map[string]json.RawMessage `json:"values"`
			}
			if err := json.Unmarshal(raw, &back); err != nil {
				t.Fatal(err)
			}
			for _, v := range back.Values {
				checkShape(t, wf.FieldType, model.State(), v)
			}
		}
	}
	for _, typ := range amo.FieldTypes {
		if typ == amo.FieldTypeMultitext {
			continue
		}
		s := by[typ]
		if s == nil || s.filled == 0 || s.empty+s.unchecked == 0 {
			t.Errorf("%s: %+v, want filled and empty values", typ, s)
		}
	}
	if by[amo.FieldTypeCheckbox].unchecked == 0 {
		t.Error("no unchecked checkbox")
	}
	if TypedFieldID(amo.FieldTypeFile) == 0 || TypedFieldID(amo.FieldTypeMultitext) != 0 {
		t.Error("TypedFieldID")
	}
}

// checkShape checks one rendered value against the JSON kind of its type.
func checkShape(t *testing.T, typ string, st amo.FieldState, v map[string]json.RawMessage) {
	t.Helper()
	val := v["value"]
	kind := byte(0)
	if len(val) > 0 {
		kind = val[0]
	}
	var ok bool
	switch typ {
	case amo.FieldTypeFile, amo.FieldTypeLegalEntity, amo.FieldTypeLinkedEntity, amo.FieldTypeChainedList,
		amo.FieldTypeItems, amo.FieldTypePayer, amo.FieldTypeSupplier:
		ok = kind == '{' || (kind == 'n' && st == amo.FieldEmpty)
	case amo.FieldTypeCheckbox:
		ok = string(val) == "true" || string(val) == "false"
	case amo.FieldTypeNumeric, amo.FieldTypePrice, amo.FieldTypeMonetary, amo.FieldTypeDate, amo.FieldTypeDateTime, amo.FieldTypeBirthday:
		ok = (kind >= '0' && kind <= '9') || (kind == '"' && st == amo.FieldEmpty)
	case amo.FieldTypeSelect, amo.FieldTypeMultiselect, amo.FieldTypeRadiobutton, amo.FieldTypeCategory:
		ok = kind == '"' && len(v["enum_id"]) > 0
	case amo.FieldTypeSmartAddress:
		ok = kind == '"' && len(v["enum_code"]) > 0
	default:
		ok = kind == '"'
	}
	if !ok {
		t.Errorf("%s (%d): value %s, enum %s/%s", typ, st, val, v["enum_id"], v["enum_code"])
	}
}
