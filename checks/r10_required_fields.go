package checks

import (
	"cmp"
	"slices"
	"strings"

	"salesguard/amo"
	"salesguard/workset"
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
// (then id). Any value of any type fills a field (the working set keeps which fields hold one,
// amo.FieldValue.State); a checkbox present and unchecked fills it only under CheckboxSet (the
// field's rule, else the account-wide one). A field required twice is filled by the rule of
// its first requirement, the configured ones coming first. Only the result is allocated.
func missingFields(v *view, p *fieldPlan) []amo.FieldID {
	in, d := v.in, v.d
	rs, amoReq := in.Settings.R10.Required, p.byStage[d.Stage]
	if len(rs) == 0 && len(amoReq) == 0 {
		return nil
	}
	global := in.Settings.R10.Checkbox
	contact := mainContact{v: v}
	var room [8]fieldKey // a few fields at most, in practice: no allocation but the result
	missing := room[:0]
	for i, rf := range rs {
		k := fieldKey{rf.Entity, rf.Field}
		if stageReached(in, d.Stage, rf.From) && !requiredBefore(in, d, rs[:i], k) &&
			!isFilled(d, &contact, k, rf.Checkbox.countsSet(global)) {
			missing = append(missing, k)
		}
	}
	set := global.countsSet(CheckboxChecked)
	for j, k := range amoReq {
		if !requiredBefore(in, d, rs, k) && !slices.Contains(amoReq[:j], k) && !isFilled(d, &contact, k, set) {
			missing = append(missing, k)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	if len(missing) > 1 {
		slices.SortFunc(missing, func(a, b fieldKey) int {
			return cmp.Or(strings.Compare(FieldName(p.names[a], a.id), FieldName(p.names[b], b.id)), cmp.Compare(a.id, b.id))
		})
	}
	out := make([]amo.FieldID, len(missing))
	for i, k := range missing {
		out[i] = k.id
	}
	return out
}

// requiredBefore reports whether one of the configured requirements rs requires field k at
// the deal's stage (so a later requirement of k is not looked at again).
func requiredBefore(in *Input, d *workset.Deal, rs []RequiredField, k fieldKey) bool {
	for _, rf := range rs {
		if rf.Entity == k.entity && rf.Field == k.id && stageReached(in, d.Stage, rf.From) {
			return true
		}
	}
	return false
}

// mainContact is a deal's main contact (the first it lists), found on first use: most stages
// require no contact field.
type mainContact struct {
	v      *view
	c      *workset.Contact
	looked bool
}

// get returns the contact, nil when the set does not hold it. It is among the deal's linked
// contacts (usually one): they are looked through before the set's index of every contact.
func (m *mainContact) get() *workset.Contact {
	if m.looked {
		return m.c
	}
	m.looked = true
	ids := m.v.d.ContactIDs()
	if len(ids) == 0 {
		return nil
	}
	ws := m.v.in.WS
	contacts := ws.Contacts()
	for _, ci := range ws.ContactsOf(m.v.slot) {
		if contacts[ci].ID == ids[0] {
			m.c = &contacts[ci]
			return m.c
		}
	}
	if ci := ws.Contact(ids[0]); ci >= 0 {
		m.c = &contacts[ci]
	}
	return m.c
}

// isFilled reports whether field k holds a value on the deal or its main contact; set says an
// unchecked checkbox fills it.
func isFilled(d *workset.Deal, contact *mainContact, k fieldKey, set bool) bool {
	st := amo.FieldEmpty
	switch k.entity {
	case amo.EntityLeads:
		st = d.FieldState(k.id)
	case amo.EntityContacts:
		if c := contact.get(); c != nil {
			st = c.FieldState(k.id)
		}
	}
	return st == amo.FieldFilled || (st == amo.FieldUnchecked && set)
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
