package amo

import (
	"context"
	"slices"
	"testing"
)

// TestCustomFieldShapes decodes a page with a field of every type in the shapes amoCRM sends
// (testdata/leads_custom_fields.json): lead 101 has every field filled, lead 102 has empty,
// unchecked and deleted values, lead 103 has none.
func TestCustomFieldShapes(t *testing.T) {
	f := newFakeAPI(t)
	f.raw["/api/v4/leads"] = mustRead(t, "leads_custom_fields.json")
	c, _ := newTestClient(t, f, nil)
	leads, err := c.ListLeads(context.Background(), Window{})
	if err != nil {
		t.Fatal(err)
	}
	if len(leads) != 3 {
		t.Fatalf("got %d leads, want 3", len(leads))
	}
	byID := func(l Lead) map[FieldID]FieldValue {
		m := map[FieldID]FieldValue{}
		for _, v := range l.CustomFields {
			m[v.FieldID] = v
		}
		return m
	}
	full, empty := byID(leads[0]), byID(leads[1])
	t.Run("every type filled", func(t *testing.T) {
		types := map[string]bool{}
		for id, v := range full {
			types[v.Type] = true
			if st := v.State(); st != FieldFilled {
				t.Errorf("field %d (%s) %q: state %d, want filled", id, v.Type, v.Values, st)
			}
		}
		for _, typ := range FieldTypes {
			if !types[typ] && typ != FieldTypeMultitext { // multitext is on contacts
				t.Errorf("the page has no %s field", typ)
			}
		}
	})
	tests := []struct {
		name  string
		field FieldID
		want  FieldState
	}{
		{"blank text", 1, FieldEmpty},
		{"numeric zero is a value", 2, FieldFilled},
		{"unchecked checkbox", 3, FieldUnchecked},
		{"select with no values", 4, FieldEmpty},
		{"multiselect option by enum_id only", 5, FieldFilled},
		{"null date", 6, FieldEmpty},
		{"smart address part without text", 11, FieldEmpty},
		{"legal entity with blank members", 13, FieldEmpty},
		{"empty items object", 17, FieldEmpty},
		{"linked entity naming only its type", 19, FieldEmpty},
		{"chained list without an element", 20, FieldEmpty},
		{"deleted file", 22, FieldEmpty},
		{"null payer", 23, FieldEmpty},
		{"untyped bool is an unchecked checkbox", 25, FieldUnchecked},
		{"checkbox sent as \"1\"", 26, FieldFilled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, ok := empty[tt.field]
			if !ok {
				t.Fatalf("field %d not decoded", tt.field)
			}
			if st := v.State(); st != tt.want {
				t.Errorf("field %d (%s) %q: state %d, want %d", tt.field, v.Type, v.Values, st, tt.want)
			}
		})
	}
	t.Run("texts", func(t *testing.T) {
		for _, tc := range []struct {
			got  []string
			want []string
		}{
			{full[3].Values, []string{"true"}},
			{full[5].Values, []string{"Монтаж", "Доставка"}},
			{full[20].Values, []string{`{"catalog_id":5001,"catalog_element_id":5002}`}},
			{empty[3].Values, []string{"false"}},
			{empty[5].Values, []string{"4202"}},
			{empty[17].Values, []string{""}},
			{empty[23].Values, []string{""}},
		} {
			if !slices.Equal(tc.got, tc.want) {
				t.Errorf("values %q, want %q", tc.got, tc.want)
			}
		}
		if empty[25].Type != FieldTypeCheckbox {
			t.Errorf("untyped bool field has type %q", empty[25].Type)
		}
	})
	if leads[2].CustomFields != nil {
		t.Errorf("null custom_fields_values: %+v", leads[2].CustomFields)
	}
}

// TestFieldValueState covers values built in code (the sandbox, tests) as well as decoded.
func TestFieldValueState(t *testing.T) {
	tests := []struct {
		name string
		v    FieldValue
		want FieldState
	}{
		{"no values", FieldValue{Type: FieldTypeText}, FieldEmpty},
		{"untyped text", FieldValue{Values: []string{"x"}}, FieldFilled},
		{"untyped blank", FieldValue{Values: []string{" ", ""}}, FieldEmpty},
		{"text holding braces is text", FieldValue{Type: FieldTypeText, Values: []string{"{}"}}, FieldFilled},
		{"checkbox checked", FieldValue{Type: FieldTypeCheckbox, Values: []string{"true"}}, FieldFilled},
		{"checkbox unchecked", FieldValue{Type: FieldTypeCheckbox, Values: []string{"false"}}, FieldUnchecked},
		{"checkbox \"0\"", FieldValue{Type: FieldTypeCheckbox, Values: []string{"0"}}, FieldUnchecked},
		{"checkbox with no value", FieldValue{Type: FieldTypeCheckbox, Values: []string{""}}, FieldEmpty},
		{"file", FieldValue{Type: FieldTypeFile, Values: []string{`{"file_uuid":"u","file_name":"a.pdf","is_deleted":false}`}}, FieldFilled},
		{"file deleted", FieldValue{Type: FieldTypeFile, Values: []string{`{"file_uuid":"u","is_deleted":true}`}}, FieldEmpty},
		{"payer", FieldValue{Type: FieldTypePayer, Values: []string{`{"name":"ООО","entity_id":1,"entity_type":"companies"}`}}, FieldFilled},
		{"items discount type alone", FieldValue{Type: FieldTypeItems, Values: []string{`{"discount":{"type":"amount","value":0}}`}}, FieldEmpty},
		{"object not JSON is text", FieldValue{Type: FieldTypeFile, Values: []string{"{oops"}}, FieldFilled},
		{"second value filled", FieldValue{Type: FieldTypeMultiselect, Values: []string{"", "B"}}, FieldFilled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.v.State(); got != tt.want {
				t.Errorf("state %d, want %d", got, tt.want)
			}
			if got := tt.v.Filled(); got != (tt.want == FieldFilled) {
				t.Errorf("filled %v", got)
			}
		})
	}
}
