package checks

import (
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
	deal := func(fs ...amo.FieldValue) func(*amo.Lead) {
		return func(l *amo.Lead) { l.CustomFields = fs }
	}
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
