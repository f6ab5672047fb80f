package checks

import (
	"time"

	"salesguard/amo"
)

// evalR11 implements R11 (shared/RULES.md): an open deal has some communication (a call, a
// chat message, an SMS or e-mail, a note) at least every Days days. A deal with none at all
// counts from its creation. Value = whole days since the last communication.
func evalR11(in *Input) []Finding {
	var out []Finding
	limit := time.Duration(in.Settings.R11.Days) * 24 * time.Hour
	for i := range in.Snap.Leads {
		l := &in.Snap.Leads[i]
		if !l.IsOpen() || !in.Meaning.IsWatched(l) {
			continue
		}
		last := lastCommunication(in, i, l)
		if in.Now.Sub(last) < limit {
			continue
		}
		f := Finding{Rule: R11, Level: LevelWarning, DealID: l.ID, ManagerID: l.ResponsibleUserID,
			Due: last.Add(limit), Value: float64(int(in.Now.Sub(last) / (24 * time.Hour))),
			Limit: float64(in.Settings.R11.Days), Unit: UnitDays, Args: dealArgs(in, l)}
		out = addFinding(out, f)
	}
	return out
}

// lastCommunication returns the time of the latest communication on a deal or its contacts,
// or the deal's creation when there is none.
func lastCommunication(in *Input, i int, l *amo.Lead) time.Time {
	last := l.CreatedAt
	es := in.Ix.eventsOf(i, l)
	for i := len(es) - 1; i >= 0; i-- {
		if es[i].CreatedAt.Before(last) {
			break
		}
		if isCommunicationEvent(es[i].Type) {
			last = es[i].CreatedAt
			break
		}
	}
	ns := in.Ix.notesOf(i, l)
	for i := len(ns) - 1; i >= 0; i-- {
		if ns[i].CreatedAt.Before(last) {
			break
		}
		if isCommunicationNote(ns[i].NoteType) {
			last = ns[i].CreatedAt
			break
		}
	}
	return last
}

func isCommunicationEvent(t string) bool {
	switch t {
	case amo.EventOutgoingCall, amo.EventIncomingCall, amo.EventOutgoingChatMessage, amo.EventIncomingChatMessage,
		amo.EventOutgoingSMS, amo.EventOutgoingMail, amo.EventCommonNoteAdded:
		return true
	}
	return false
}

func isCommunicationNote(t string) bool {
	switch t {
	case amo.NoteCallIn, amo.NoteCallOut, amo.NoteCommon, amo.NoteSMSIn, amo.NoteSMSOut, amo.NoteMail:
		return true
	}
	return false
}
