package checks

import (
	"cmp"
	"slices"
	"strings"

	"salesguard/amo"
)

// KindMissingFields is the kind of R10 findings.
const KindMissingFields = "missing_fields"

// fieldKey names a custom field of deals or contacts.
type fieldKey struct {
	entity string
	id     amo.FieldID
}

// fieldPlan is what R10 needs from the dictionaries, built once per evaluation.
type fieldPlan struct {
	names   map[fieldKey]string
	byStage map[amo.StatusRef][]fieldKey // fields amoCRM requires at a stage (FromAmo)
}

func (in *Input) fields() *fieldPlan {
	if in.fieldPlan != nil {
		return in.fieldPlan
	}
	cfs := in.WS.Dict().CustomFields
	p := &fieldPlan{names: make(map[fieldKey]string, len(cfs)), byStage: map[amo.StatusRef][]fieldKey{}}
	for _, cf := range cfs {
		k := fieldKey{cf.EntityType, cf.ID}
		p.names[k] = cf.Name
		if in.Settings.R10.FromAmo {
			for _, st := range cf.RequiredStatuses {
				p.byStage[st] = append(p.byStage[st], k)
			}
		}
	}
	in.fieldPlan = p
	return p
}

// r10 checks that the fields required at a deal's stage are filled (shared/RULES.md R10): the
// configured fields, each required from a stage on (that stage and the later ones of its
// pipeline by sort; won and lost count as after every stage), and, with FromAmo, the fields
// amoCRM itself requires at the deal's exact stage. Deal fields are read from the deal, contact
// fields from its main contact. Open deals and deals closed recently are checked; one finding
// per deal lists the missing fields (Fields, by id; Value counts them).
func r10(v *view, o *out) {
	if !v.watched() || (!v.open() && !recentClosure(v.in, v.d, o)) {
		return
	}
	missing := missingFields(v, v.in.fields())
	if len(missing) == 0 {
		return
	}
	f := v.base(R10, LevelWarning)
	f.Due, f.Value, f.Unit, f.Kind, f.Fields = enteredStage(v), float64(len(missing)), UnitCount, KindMissingFields, missing
	o.add(f)
}

// missingFields returns the fields required at the deal's stage and empty, sorted by name
// (then id).
func missingFields(v *view, p *fieldPlan) []amo.FieldID {
	in, d := v.in, v.d
	var req []fieldKey
	for _, rf := range in.Settings.R10.Required {
		if stageReached(in, d.Stage, rf.From) {
			req = append(req, fieldKey{rf.Entity, rf.Field})
		}
	}
	req = append(req, p.byStage[d.Stage]...)
	if len(req) == 0 {
		return nil
	}
	var contact []amo.FieldID
	haveContact := false
	if cs := d.ContactIDs(); len(cs) > 0 {
		if ci := in.WS.Contact(cs[0]); ci >= 0 {
			contact, haveContact = in.WS.Contacts()[ci].Fields(), true
		}
	}
	var missing []fieldKey
	for _, k := range req {
		if slices.Contains(missing, k) {
			continue
		}
		filled := false
		switch {
		case k.entity == amo.EntityLeads:
			filled = d.HasField(k.id)
		case k.entity == amo.EntityContacts && haveContact:
			_, filled = slices.BinarySearch(contact, k.id)
		}
		if !filled {
			missing = append(missing, k)
		}
	}
	slices.SortFunc(missing, func(a, b fieldKey) int {
		return cmp.Or(strings.Compare(FieldName(p.names[a], a.id), FieldName(p.names[b], b.id)), cmp.Compare(a.id, b.id))
	})
	out := make([]amo.FieldID, len(missing))
	for i, k := range missing {
		out[i] = k.id
	}
	return out
}

// stageReached reports whether a deal at stage cur is at stage from or past it in the same
// pipeline.
func stageReached(in *Input, cur, from amo.StatusRef) bool {
	if from.PipelineID != cur.PipelineID {
		return false
	}
	if cur.StatusID == amo.StatusWon || cur.StatusID == amo.StatusLost {
		return true
	}
	if from.StatusID == amo.StatusWon || from.StatusID == amo.StatusLost {
		return false
	}
	c, st := in.Statuses[cur], in.Statuses[from]
	if c == nil || st == nil {
		return cur.StatusID == from.StatusID
	}
	return c.Sort >= st.Sort
}

// FieldName returns a field's name, or "#id" for a field the account no longer has.
func FieldName(name string, id amo.FieldID) string {
	if name != "" {
		return name
	}
	return "#" + itoa(int64(id))
}
