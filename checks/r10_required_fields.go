package checks

import (
	"slices"
	"strconv"
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

// evalR10 checks that the fields required at a deal's stage are filled (shared/RULES.md R10):
// the configured fields, each required from a stage on (that stage and the later ones of its
// pipeline by sort; won and lost count as after every stage), and, with FromAmo, the fields
// amoCRM itself requires at the deal's exact stage. Deal fields are read from the deal, contact
// fields from its main contact. Open deals and deals closed recently are checked; one finding
// per deal lists the missing fields by name.
func evalR10(in *Input) []Finding {
	names := make(map[fieldKey]string, len(in.Snap.CustomFields))
	byStage := map[amo.StatusRef][]fieldKey{}
	for _, cf := range in.Snap.CustomFields {
		k := fieldKey{cf.EntityType, cf.ID}
		names[k] = cf.Name
		for _, st := range cf.RequiredStatuses {
			if in.Settings.R10.FromAmo {
				byStage[st] = append(byStage[st], k)
			}
		}
	}
	var out []Finding
	for i := range in.Snap.Leads {
		l := &in.Snap.Leads[i]
		if !in.Meaning.IsWatched(l) || (!l.IsOpen() && in.Now.Sub(closedTime(l)) > recentClosed) {
			continue
		}
		missing := missingFields(in, l, names, byStage[l.Status()])
		if len(missing) == 0 {
			continue
		}
		out = addFinding(out, Finding{
			Rule: R10, Level: LevelWarning, AccountID: in.Snap.Account.ID, DealID: l.ID,
			ManagerID: l.ResponsibleUserID, Due: in.Now, Value: float64(len(missing)),
			Unit: UnitCount, Kind: KindMissingFields,
			Args: map[string]string{"fields": strings.Join(missing, ",")},
		})
	}
	SortFindings(out)
	return out
}

// missingFields returns the sorted names of the fields required at the deal's stage and empty.
// fromAmo holds the fields amoCRM requires at the deal's exact stage.
func missingFields(in *Input, l *amo.Lead, names map[fieldKey]string, fromAmo []fieldKey) []string {
	var req []fieldKey
	for _, rf := range in.Settings.R10.Required {
		if stageReached(in, l, rf.From) {
			req = append(req, fieldKey{rf.Entity, rf.Field})
		}
	}
	req = append(req, fromAmo...)
	var contact *amo.Contact
	if len(l.ContactIDs) > 0 {
		contact = in.Ix.Contacts[l.ContactIDs[0]]
	}
	var missing []string
	seen := map[fieldKey]bool{}
	for _, k := range req {
		if seen[k] {
			continue
		}
		seen[k] = true
		var values []amo.FieldValue
		switch {
		case k.entity == amo.EntityLeads:
			values = l.CustomFields
		case k.entity == amo.EntityContacts && contact != nil:
			values = contact.CustomFields
		}
		if !slices.ContainsFunc(values, func(v amo.FieldValue) bool { return v.FieldID == k.id && v.Filled() }) {
			missing = append(missing, fieldName(names, k))
		}
	}
	slices.Sort(missing)
	return missing
}

// stageReached reports whether a deal is at stage from or past it in the same pipeline.
func stageReached(in *Input, l *amo.Lead, from amo.StatusRef) bool {
	if from.PipelineID != l.PipelineID {
		return false
	}
	if !l.IsOpen() {
		return true
	}
	if from.StatusID == amo.StatusWon || from.StatusID == amo.StatusLost {
		return false
	}
	cur, st := in.Ix.Statuses[l.Status()], in.Ix.Statuses[from]
	if cur == nil || st == nil {
		return l.StatusID == from.StatusID
	}
	return cur.Sort >= st.Sort
}

// fieldName returns a field's name, or "#id" for a field the account no longer has.
func fieldName(names map[fieldKey]string, k fieldKey) string {
	if n := names[k]; n != "" {
		return n
	}
	return "#" + strconv.FormatInt(int64(k.id), 10)
}
