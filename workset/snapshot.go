package workset

import "salesguard/amo"

// FromSnapshot builds a working set of a whole snapshot, with no window: every note and event
// is kept raw whatever its age (the snapshot's TakenAt is ignored). It is what tests and the
// one-off `salesguard check` evaluate; the service builds its set page by page instead.
func FromSnapshot(snap *amo.Snapshot) *Set {
	s := New()
	s.BaseURL = snap.BaseURL
	acct := snap.Account
	s.Apply(&amo.Changes{
		Account: &acct, Users: snap.Users, Pipelines: snap.Pipelines, LossReasons: snap.LossReasons,
		CustomFields: snap.CustomFields, Leads: snap.Leads, Contacts: snap.Contacts, Tasks: snap.Tasks,
		Notes: snap.Notes, Events: snap.Events,
	})
	s.TakeDirty()
	s.TakeChanged()
	return s
}
