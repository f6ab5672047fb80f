package checks

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"salesguard/amo"
)

func TestEvalR10(t *testing.T) {
	now := at(18, 12, 0)
	const (
		budget amo.FieldID = 501
		source amo.FieldID = 502
		phone  amo.FieldID = 601
	)
	val := func(id amo.FieldID, vs ...string) amo.FieldValue { return amo.FieldValue{FieldID: id, Values: vs} }
	withPhone := func(f *fixture) {
		f.snap.Contacts = append(f.snap.Contacts, amo.Contact{ID: 50, LeadIDs: []amo.LeadID{1}, CustomFields: []amo.FieldValue{val(phone, "+7 900 000-00-00")}})
	}
	tests := []struct {
		name   string
		setup  func(f *fixture)
		want   []string
		fields string
	}{
		{"before the stage", func(f *fixture) {
			f.lead(1, mgrA, stMissed, at(2, 10, 0))
		}, nil, ""},
		{"at the stage, nothing filled, no contact", func(f *fixture) {
			f.lead(1, mgrA, stTalks, at(2, 10, 0))
		}, []string{"1/warning/missing_fields"}, "Бюджет,Телефон"},
		{"at the stage, all filled", func(f *fixture) {
			f.lead(1, mgrA, stTalks, at(2, 10, 0), withContact(50), deal(val(budget, "100000")))
			withPhone(f)
		}, nil, ""},
		{"the phone is on a second contact only", func(f *fixture) {
			f.lead(1, mgrA, stTalks, at(2, 10, 0), withContact(51), withContact(50), deal(val(budget, "100000")))
			f.contact(51, 1)
			withPhone(f)
		}, []string{"1/warning/missing_fields"}, "Телефон"},
		{"the phone is on a second contact only, read first", func(f *fixture) {
			f.lead(1, mgrA, stTalks, at(2, 10, 0), withContact(51), withContact(50), deal(val(budget, "100000")))
			withPhone(f)
			f.contact(51, 1)
		}, []string{"1/warning/missing_fields"}, "Телефон"},
		{"the main contact has the phone, a second one not", func(f *fixture) {
			f.lead(1, mgrA, stTalks, at(2, 10, 0), withContact(50), withContact(51), deal(val(budget, "100000")))
			f.contact(51, 1)
			withPhone(f)
		}, nil, ""},
		{"a blank value is not filled", func(f *fixture) {
			f.lead(1, mgrA, stTalks, at(2, 10, 0), withContact(50), deal(val(budget, " ", "")))
			withPhone(f)
		}, []string{"1/warning/missing_fields"}, "Бюджет"},
		{"later stage adds the field amoCRM requires there", func(f *fixture) {
			f.lead(1, mgrA, stDecide, at(2, 10, 0), withContact(50), deal(val(budget, "1")))
			withPhone(f)
		}, []string{"1/warning/missing_fields"}, "Источник"},
		{"amoCRM's own requirements switched off", func(f *fixture) {
			f.s.R10.FromAmo = false
			f.lead(1, mgrA, stDecide, at(2, 10, 0), withContact(50), deal(val(budget, "1")))
			withPhone(f)
		}, nil, ""},
		{"won recently counts as after every stage", func(f *fixture) {
			f.lead(1, mgrA, amo.StatusWon, at(2, 10, 0), withContact(50), func(l *amo.Lead) { l.ClosedAt = at(17, 10, 0) })
			withPhone(f)
		}, []string{"1/warning/missing_fields"}, "Бюджет"},
		{"won long ago", func(f *fixture) {
			f.lead(1, mgrA, amo.StatusWon, at(2, 10, 0), func(l *amo.Lead) { l.ClosedAt = at(10, 10, 0) })
		}, nil, ""},
		{"another pipeline", func(f *fixture) {
			f.lead(1, mgrA, stTalks, at(2, 10, 0), func(l *amo.Lead) { l.PipelineID = 11 })
			f.snap.Pipelines = append(f.snap.Pipelines, amo.Pipeline{ID: 11, Statuses: []amo.Status{{ID: stTalks, PipelineID: 11, Sort: 30}}})
		}, nil, ""},
		{"a field the account no longer has", func(f *fixture) {
			f.s.R10.Required = append(f.s.R10.Required, RequiredField{Entity: amo.EntityLeads, Field: 999, From: amo.StatusRef{PipelineID: pipe, StatusID: stNew}})
			f.lead(1, mgrA, stNew, at(2, 10, 0))
		}, []string{"1/warning/missing_fields"}, "#999"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture()
			f.snap.CustomFields = []amo.CustomField{
				{ID: budget, EntityType: amo.EntityLeads, Name: "Бюджет"},
				{ID: source, EntityType: amo.EntityLeads, Name: "Источник", RequiredStatuses: []amo.StatusRef{{PipelineID: pipe, StatusID: stDecide}}},
				{ID: phone, EntityType: amo.EntityContacts, Name: "Телефон"},
			}
			f.s.R10.Required = []RequiredField{
				{Entity: amo.EntityLeads, Field: budget, From: amo.StatusRef{PipelineID: pipe, StatusID: stTalks}},
				{Entity: amo.EntityContacts, Field: phone, From: amo.StatusRef{PipelineID: pipe, StatusID: stTalks}},
			}
			tt.setup(f)
			got := evalR10(f.input(t, now))
			checkBrief(t, got, tt.want...)
			for _, g := range got {
				if got := fieldNames(f, g.Fields); got != tt.fields || g.Kind != KindMissingFields {
					t.Errorf("fields = %q, want %q", got, tt.fields)
				}
			}
		})
	}
}

// fieldNames joins the names of fields as the old findings did.
func fieldNames(f *fixture, ids []amo.FieldID) string {
	var names []string
	for _, id := range ids {
		name := ""
		for _, cf := range f.snap.CustomFields {
			if cf.ID == id {
				name = cf.Name
			}
		}
		names = append(names, FieldName(name, id))
	}
	return strings.Join(names, ",")
}

// fieldSamples holds, for every custom field type, a value that fills it and one that does
// not, as amo decodes them (amo/testdata/leads_custom_fields.json): objects as compact JSON,
// null as "".
var fieldSamples = map[string][2]string{
	amo.FieldTypeText:          {"Кровля", "  "},
	amo.FieldTypeNumeric:       {"0", ""},
	amo.FieldTypeSelect:        {"Металлочерепица", ""},
	amo.FieldTypeMultiselect:   {"Монтаж", ""},
	amo.FieldTypeDate:          {"1735678800", ""},
	amo.FieldTypeURL:           {"https://example.com", ""},
	amo.FieldTypeTextarea:      {"две\nстроки", "\n"},
	amo.FieldTypeRadiobutton:   {"Частник", ""},
	amo.FieldTypeStreetAddress: {"Москва, Тверская 1", ""},
	amo.FieldTypeSmartAddress:  {"Москва", ""},
	amo.FieldTypeBirthday:      {"631152000", ""},
	amo.FieldTypeLegalEntity:   {`{"name":"ООО «Ромашка»","entity_type":null,"vat_id":"7701234567"}`, `{"name":"","entity_type":null,"vat_id":null}`},
	amo.FieldTypeDateTime:      {"1735700000", ""},
	amo.FieldTypePrice:         {"25000", ""},
	amo.FieldTypeCategory:      {"Опт", ""},
	amo.FieldTypeItems:         {`{"sku":"R-1","quantity":40,"discount":{"type":"percentage","value":5}}`, `{"discount":{"type":"amount","value":0}}`},
	amo.FieldTypeTrackingData:  {"google", ""},
	amo.FieldTypeLinkedEntity:  {`{"name":"Иван Петров","entity_id":9001,"entity_type":"contacts","catalog_id":null}`, `{"name":null,"entity_id":0,"entity_type":"contacts"}`},
	amo.FieldTypeChainedList:   {`{"catalog_id":5001,"catalog_element_id":5002}`, `{"catalog_id":5001,"catalog_element_id":0}`},
	amo.FieldTypeMonetary:      {"1999.99", ""},
	amo.FieldTypeFile:          {`{"file_uuid":"3c0b0cfa","file_name":"смета.pdf","file_size":34567,"is_deleted":false}`, `{"file_uuid":"3c0b0cfa","file_name":"смета.pdf","is_deleted":true}`},
	amo.FieldTypePayer:         {`{"name":"ООО Плательщик","entity_id":7001,"entity_type":"companies"}`, ""},
	amo.FieldTypeSupplier:      {`{"name":"ИП Поставщик","entity_id":7002,"entity_type":"companies"}`, ""},
	amo.FieldTypeMultitext:     {"+7 900 000-00-00", ""},
	amo.FieldTypeCheckbox:      {"true", "false"},
}

// TestR10EveryFieldType: a required field of every type is filled by any non-empty value and
// missing when empty; an unchecked checkbox is missing by default.
func TestR10EveryFieldType(t *testing.T) {
	now := at(18, 12, 0)
	for _, typ := range amo.FieldTypes {
		sample, ok := fieldSamples[typ]
		if !ok {
			t.Fatalf("no sample for %s", typ)
		}
		for i, filled := range []bool{true, false} {
			t.Run(typ+map[bool]string{true: " filled", false: " empty"}[filled], func(t *testing.T) {
				f := newFixture()
				f.snap.CustomFields = []amo.CustomField{{ID: 700, EntityType: amo.EntityLeads, Name: typ, Type: typ}}
				f.s.R10.Required = []RequiredField{{Entity: amo.EntityLeads, Field: 700, From: amo.StatusRef{PipelineID: pipe, StatusID: stTalks}}}
				f.lead(1, mgrA, stTalks, at(2, 10, 0), func(l *amo.Lead) {
					l.CustomFields = []amo.FieldValue{{FieldID: 700, Type: typ, Values: []string{sample[i]}}}
				})
				got := evalR10(f.input(t, now))
				if want := !filled; (len(got) == 1) != want {
					t.Errorf("value %q: findings %+v, want missing=%v", sample[i], got, want)
				}
			})
		}
	}
}

// TestR10Checkbox: a required checkbox counts as filled when checked, or, as the settings say
// (account-wide or for the field), when set at all; an absent checkbox is always missing.
func TestR10Checkbox(t *testing.T) {
	now := at(18, 12, 0)
	const box, contactBox amo.FieldID = 710, 711
	tests := []struct {
		name    string
		value   string // "" = the deal does not list the field
		global  CheckboxRule
		field   CheckboxRule
		missing bool
	}{
		{name: "checked", value: "true"},
		{name: "unchecked, default rule", value: "false", missing: true},
		{name: "unchecked, explicit checked rule", value: "false", global: CheckboxChecked, missing: true},
		{name: "unchecked, set at all counts", value: "false", global: CheckboxSet},
		{name: "unchecked, the field says set", value: "false", field: CheckboxSet},
		{name: "unchecked, the field says checked over a set rule", value: "false", global: CheckboxSet, field: CheckboxChecked, missing: true},
		{name: "absent, set at all counts", global: CheckboxSet, missing: true},
		{name: "absent", missing: true},
		{name: "checked as 1", value: "1"},
	}
	for _, tt := range tests {
		for _, onContact := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/contact=%v", tt.name, onContact), func(t *testing.T) {
				f := newFixture()
				f.snap.CustomFields = []amo.CustomField{
					{ID: box, EntityType: amo.EntityLeads, Name: "Договор", Type: amo.FieldTypeCheckbox},
					{ID: contactBox, EntityType: amo.EntityContacts, Name: "Согласие", Type: amo.FieldTypeCheckbox},
				}
				id, entity := box, amo.EntityLeads
				if onContact {
					id, entity = contactBox, amo.EntityContacts
				}
				f.s.R10.Checkbox = tt.global
				f.s.R10.Required = []RequiredField{{Entity: entity, Field: id, From: amo.StatusRef{PipelineID: pipe, StatusID: stTalks}, Checkbox: tt.field}}
				var vals []amo.FieldValue
				if tt.value != "" {
					vals = []amo.FieldValue{{FieldID: id, Type: amo.FieldTypeCheckbox, Values: []string{tt.value}}}
				}
				if onContact {
					f.lead(1, mgrA, stTalks, at(2, 10, 0), withContact(50))
					f.snap.Contacts = append(f.snap.Contacts, amo.Contact{ID: 50, LeadIDs: []amo.LeadID{1}, CustomFields: vals})
				} else {
					f.lead(1, mgrA, stTalks, at(2, 10, 0), deal(vals...))
				}
				got := evalR10(f.input(t, now))
				if (len(got) == 1) != tt.missing {
					t.Errorf("findings %+v, want missing=%v", got, tt.missing)
				}
			})
		}
	}
}

// TestR10CheckboxFromAmo: the fields amoCRM requires follow the account-wide checkbox rule.
func TestR10CheckboxFromAmo(t *testing.T) {
	for _, rule := range []CheckboxRule{CheckboxDefault, CheckboxChecked, CheckboxSet} {
		f := newFixture()
		f.snap.CustomFields = []amo.CustomField{{ID: 720, EntityType: amo.EntityLeads, Name: "Оплата", Type: amo.FieldTypeCheckbox,
			RequiredStatuses: []amo.StatusRef{{PipelineID: pipe, StatusID: stDecide}}}}
		f.s.R10.Checkbox = rule
		f.lead(1, mgrA, stDecide, at(2, 10, 0), deal(amo.FieldValue{FieldID: 720, Type: amo.FieldTypeCheckbox, Values: []string{"false"}}))
		got := evalR10(f.input(t, at(18, 12, 0)))
		if want := rule != CheckboxSet; (len(got) == 1) != want {
			t.Errorf("rule %q: findings %+v, want missing=%v", rule, got, want)
		}
	}
}

// TestCheckboxRuleJSON: the rules survive an export and an import; an unknown one is refused.
func TestCheckboxRuleJSON(t *testing.T) {
	s := DefaultSettings()
	s.R10.Checkbox = CheckboxSet
	s.R10.Required = []RequiredField{{Entity: amo.EntityLeads, Field: 1, From: amo.StatusRef{PipelineID: pipe, StatusID: stNew}, Checkbox: CheckboxChecked},
		{Entity: amo.EntityLeads, Field: 2, From: amo.StatusRef{PipelineID: pipe, StatusID: stNew}}}
	data, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	back := DefaultSettings()
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back.R10, s.R10) {
		t.Errorf("round trip: %+v, want %+v", back.R10, s.R10)
	}
	if err := back.Validate(); err != nil {
		t.Error(err)
	}
	if err := json.Unmarshal([]byte(`{"r10":{"checkbox":"maybe"}}`), &back); err == nil {
		t.Error("an unknown checkbox rule was accepted")
	}
	if d := DefaultSettings().R10.Checkbox; d != CheckboxChecked {
		t.Errorf("default rule %q", d)
	}
}

// deal sets a lead's custom field values.
func deal(fs ...amo.FieldValue) func(*amo.Lead) {
	return func(l *amo.Lead) { l.CustomFields = fs }
}
