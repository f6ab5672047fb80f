package checks

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strconv"
	"testing"
	"time"

	"salesguard/amo"
	"salesguard/workset"
)

var propSteps = flag.Int("prop.steps", 400, "steps of each incremental-evaluation property run")

// world is a random account the property test mutates: it keeps the amoCRM-side state and
// hands out pages of changes as a sync would.
type world struct {
	r        *rand.Rand
	now      time.Time
	nextID   int64
	leads    map[amo.LeadID]*amo.Lead
	contacts map[amo.ContactID]*amo.Contact
	tasks    map[amo.TaskID]*amo.Task
}

func newWorld(seed uint64, now time.Time) *world {
	return &world{r: rand.New(rand.NewPCG(seed, 77)), now: now, nextID: 1000,
		leads: map[amo.LeadID]*amo.Lead{}, contacts: map[amo.ContactID]*amo.Contact{}, tasks: map[amo.TaskID]*amo.Task{}}
}

func (w *world) id() int64 { w.nextID++; return w.nextID }

var propStages = []amo.StatusID{tUnsorted, tNew, tMissed, tCallBack, tWork, tHot, amo.StatusWon, amo.StatusLost}

func (w *world) pick(n int) int { return w.r.IntN(n) }

func (w *world) anyLead() *amo.Lead {
	if len(w.leads) == 0 {
		return nil
	}
	ids := make([]amo.LeadID, 0, len(w.leads))
	for id := range w.leads {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return w.leads[ids[w.pick(len(ids))]]
}

func (w *world) anyContact() *amo.Contact {
	if len(w.contacts) == 0 {
		return nil
	}
	ids := make([]amo.ContactID, 0, len(w.contacts))
	for id := range w.contacts {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return w.contacts[ids[w.pick(len(ids))]]
}

// ago returns a moment up to span before now.
func (w *world) ago(span time.Duration) time.Time {
	return w.now.Add(-time.Duration(w.r.Int64N(int64(span/time.Second)+1)) * time.Second).Truncate(time.Second)
}

// change makes one random change and returns the page a sync would read.
func (w *world) change() *amo.Changes {
	ch := &amo.Changes{TakenAt: w.now}
	now := w.now.Truncate(time.Second)
	switch k := w.pick(13); {
	case k < 2 || len(w.leads) == 0: // a new lead, often with a contact
		l := &amo.Lead{ID: amo.LeadID(w.id()), Name: "deal", PipelineID: tPipe, StatusID: propStages[w.pick(3)],
			ResponsibleUserID: amo.UserID(1 + w.pick(3)), CreatedAt: w.ago(48 * time.Hour), UpdatedAt: now}
		if w.pick(4) == 0 {
			l.CreatedBy = l.ResponsibleUserID
		}
		l.CustomFields = w.fields(amo.EntityLeads)
		if c := w.anyContact(); c != nil && w.pick(2) == 0 {
			l.ContactIDs = []amo.ContactID{c.ID}
			c.LeadIDs = append(c.LeadIDs, l.ID)
			ch.Contacts = append(ch.Contacts, *c)
		} else if w.pick(2) == 0 {
			c := &amo.Contact{ID: amo.ContactID(w.id()), LeadIDs: []amo.LeadID{l.ID}, CustomFields: w.fields(amo.EntityContacts)}
			w.contacts[c.ID] = c
			l.ContactIDs = []amo.ContactID{c.ID}
			ch.Contacts = append(ch.Contacts, *c)
		}
		w.leads[l.ID] = l
		ch.Leads = append(ch.Leads, *l)
	case k < 4: // a move, with its event
		l := w.anyLead()
		before := l.Status()
		l.StatusID = propStages[w.pick(len(propStages))]
		if !l.IsOpen() {
			l.ClosedAt = now
			if l.StatusID == amo.StatusLost {
				l.LossReasonID = amo.LossReasonID(w.pick(3))
			}
		}
		l.UpdatedAt = now
		after := l.Status()
		ch.Leads = append(ch.Leads, *l)
		ch.Events = append(ch.Events, amo.Event{ID: "e" + strconv.FormatInt(w.id(), 10), Type: amo.EventLeadStatusChanged,
			EntityType: "lead", EntityID: int64(l.ID), CreatedBy: amo.UserID(w.pick(3)), CreatedAt: now,
			StatusBefore: &before, StatusAfter: &after})
	case k < 5: // another manager takes over
		l := w.anyLead()
		l.ResponsibleUserID, l.UpdatedAt = amo.UserID(1+w.pick(3)), now
		ch.Leads = append(ch.Leads, *l)
	case k < 7: // a task is set or done
		l := w.anyLead()
		if w.pick(2) == 0 || len(w.tasks) == 0 {
			t := &amo.Task{ID: amo.TaskID(w.id()), ResponsibleUserID: l.ResponsibleUserID, EntityID: int64(l.ID),
				EntityType: amo.EntityLeads, Text: "call", CompleteTill: now.Add(time.Duration(w.pick(96)-24) * time.Hour),
				CreatedAt: now, UpdatedAt: now}
			if w.pick(5) == 0 {
				t.EntityID, t.EntityType = 0, ""
			}
			w.tasks[t.ID] = t
			ch.Tasks = append(ch.Tasks, *t)
			break
		}
		for _, t := range w.tasks {
			if !t.IsCompleted {
				t.IsCompleted, t.UpdatedAt = true, now
				if w.pick(2) == 0 {
					t.Result = "договорились о встрече"
				}
				ch.Tasks = append(ch.Tasks, *t)
				break
			}
		}
	case k < 10: // a call or a comment, on the deal or its contact
		l := w.anyLead()
		n := amo.Note{ID: amo.NoteID(w.id()), EntityType: amo.EntityLeads, EntityID: int64(l.ID),
			CreatedBy: l.ResponsibleUserID, ResponsibleUserID: l.ResponsibleUserID, CreatedAt: w.ago(2 * time.Hour)}
		if len(l.ContactIDs) > 0 && w.pick(2) == 0 {
			n.EntityType, n.EntityID = amo.EntityContacts, int64(l.ContactIDs[0])
		}
		switch w.pick(3) {
		case 0:
			n.NoteType, n.Text = amo.NoteCommon, "перезвонить"
		default:
			n.NoteType = []string{amo.NoteCallOut, amo.NoteCallIn}[w.pick(2)]
			n.Call = &amo.Call{Duration: int64(w.pick(5) * 25), Status: 4, Link: "https://rec/" + strconv.Itoa(int(n.ID))}
		}
		ch.Notes = append(ch.Notes, n)
	case k < 11: // a chat message or an outgoing call event
		l := w.anyLead()
		typ := []string{amo.EventOutgoingChatMessage, amo.EventOutgoingCall, amo.EventIncomingChatMessage}[w.pick(3)]
		ch.Events = append(ch.Events, amo.Event{ID: "e" + strconv.FormatInt(w.id(), 10), Type: typ, EntityType: "lead",
			EntityID: int64(l.ID), CreatedBy: l.ResponsibleUserID, CreatedAt: w.ago(time.Hour)})
	case k < 12: // custom fields filled, emptied, a box checked or unchecked (R10)
		if c := w.anyContact(); c != nil && w.pick(3) == 0 {
			c.CustomFields = w.fields(amo.EntityContacts)
			ch.Contacts = append(ch.Contacts, *c)
			break
		}
		l := w.anyLead()
		l.CustomFields, l.UpdatedAt = w.fields(amo.EntityLeads), now
		ch.Leads = append(ch.Leads, *l)
	default: // a deletion
		l := w.anyLead()
		delete(w.leads, l.ID)
		ch.Marks = append(ch.Marks, amo.Mark{Entity: amo.EntityLeads, ID: int64(l.ID), At: now, Deleted: true})
	}
	return ch
}

// propFields are the custom fields of the property test's account: a field of several types
// on deals (some of which amoCRM requires at later stages) and a checkbox on contacts.
var propFields = []amo.CustomField{
	{ID: 801, EntityType: amo.EntityLeads, Name: "Договор", Type: amo.FieldTypeCheckbox, RequiredStatuses: []amo.StatusRef{ref(tHot)}},
	{ID: 802, EntityType: amo.EntityLeads, Name: "Смета", Type: amo.FieldTypeFile},
	{ID: 803, EntityType: amo.EntityLeads, Name: "Бюджет", Type: amo.FieldTypeNumeric, RequiredStatuses: []amo.StatusRef{ref(tWork), ref(tHot)}},
	{ID: 804, EntityType: amo.EntityLeads, Name: "Юрлицо", Type: amo.FieldTypeLegalEntity},
	{ID: 805, EntityType: amo.EntityLeads, Name: "Материал", Type: amo.FieldTypeChainedList},
	{ID: 811, EntityType: amo.EntityContacts, Name: "Согласие", Type: amo.FieldTypeCheckbox},
}

// fields returns random values of an entity's fields: each absent, empty or filled (a
// checkbox unchecked or checked), as fieldSamples has them.
func (w *world) fields(entity string) []amo.FieldValue {
	var out []amo.FieldValue
	for _, cf := range propFields {
		if cf.EntityType != entity {
			continue
		}
		switch w.pick(3) {
		case 1:
			out = append(out, amo.FieldValue{FieldID: cf.ID, Type: cf.Type, Values: []string{fieldSamples[cf.Type][1]}})
		case 2:
			out = append(out, amo.FieldValue{FieldID: cf.ID, Type: cf.Type, Values: []string{fieldSamples[cf.Type][0]}})
		}
	}
	return out
}

// settings returns random settings for the changes this property covers: how R4 stages count
// time, which fields R10 requires and when a checkbox fills them, holidays, R1's limit.
func (w *world) settings() Settings {
	s := DefaultSettings()
	s.R1.Limit = Duration(time.Duration(5+w.pick(30)) * time.Minute)
	times := []StageTime{StageTimeAuto, StageTimeWorking, StageTimeCalendar}
	if w.pick(2) == 0 {
		s.R4.Limits = []StageLimit{
			{Stage: ref(tNew), Limit: Duration(time.Hour), Time: times[w.pick(3)]},
			{Stage: ref(tCallBack), Limit: Duration(time.Duration(1+w.pick(10)) * time.Hour), Time: times[w.pick(3)]},
			{Stage: ref(tUnsorted), Limit: Duration(time.Duration(10+w.pick(50)) * time.Minute), Time: times[w.pick(3)]},
		}
	}
	rules := []CheckboxRule{CheckboxDefault, CheckboxChecked, CheckboxSet}
	s.R10.Checkbox = rules[w.pick(3)]
	s.R10.FromAmo = w.pick(4) > 0
	for _, cf := range propFields {
		if w.pick(2) == 0 {
			s.R10.Required = append(s.R10.Required, RequiredField{Entity: cf.EntityType, Field: cf.ID,
				From: ref(propStages[1+w.pick(4)]), Checkbox: rules[w.pick(3)]})
		}
	}
	if w.pick(3) == 0 { // today or tomorrow off
		s.Calendar.Holidays = []Date{DateOf(w.now.In(msk)).AddDays(w.pick(2))}
	}
	return s
}

// normalize drops what a finding measures at its evaluation (R1's waiting time, R4's stay,
// R11's days), which an incremental evaluation keeps from when the deal was last looked at.
func normalize(fs []Finding) []Finding {
	out := slices.Clone(fs)
	for i := range out {
		f := &out[i]
		if (f.Rule == R1 && f.Kind == KindNotTaken) || f.Rule == R4 || f.Rule == R11 {
			f.Value = 0
		}
	}
	SortFindings(out)
	return out
}

// TestIncrementalMatchesFull applies random changes and clock moves to a working set and
// checks, after every step, that the findings the engine keeps by re-evaluating only what
// changed or came due equal a full evaluation.
func TestIncrementalMatchesFull(t *testing.T) {
	for seed := uint64(1); seed <= 6; seed++ {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) { runProperty(t, seed, *propSteps, 0) })
	}
}

// TestIncrementalThrottledAccount runs the property with the account-wide rules throttled to
// every 5 minutes (as the service runs them): whenever no change waits for them, the findings
// equal a full evaluation, and a waiting change always has a wake-up within AccountEvery.
func TestIncrementalThrottledAccount(t *testing.T) {
	for seed := uint64(1); seed <= 3; seed++ {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) { runProperty(t, seed, *propSteps, 5*time.Minute) })
	}
}

func runProperty(t *testing.T, seed uint64, steps int, accountEvery time.Duration) {
	start := mskAt(t, 2026, 11, 16, 8, 0) // a Monday morning
	w := newWorld(seed, start)
	ws := workset.New()
	snap := baseSnap()
	snap.LossReasons = []amo.LossReason{{ID: 1, Name: "Недозвон"}, {ID: 2, Name: "Другое"}}
	acct := snap.Account
	ws.Apply(&amo.Changes{TakenAt: start, Account: &acct, Users: snap.Users, Pipelines: snap.Pipelines,
		LossReasons: snap.LossReasons, CustomFields: propFields, Dictionaries: true})
	settings := DefaultSettings()
	e := NewEngine()
	e.AccountEvery = accountEvery
	compared := 0
	seen := map[string]int{} // what the compared evaluations held, so the property is not vacuous
	defer func() {
		if compared < steps/4 {
			t.Errorf("only %d of %d steps could be compared", compared, steps)
		}
		if steps >= 400 {
			for _, what := range []string{"R4 working", "R4 calendar", "R10", "R12"} {
				if seen[what] == 0 {
					t.Errorf("no %s finding in %d steps (%v)", what, steps, seen)
				}
			}
		}
	}()
	cur := map[Scope][]Finding{}
	emit := func(r ScopeResult) error {
		if len(r.Findings) == 0 {
			delete(cur, r.Scope)
		} else {
			cur[r.Scope] = slices.Clone(r.Findings)
		}
		return nil
	}
	for step := range steps {
		what := ""
		switch k := w.pick(10); {
		case k < 6:
			ch := w.change()
			what = fmt.Sprintf("change leads %d contacts %d tasks %d notes %d events %d marks %d", len(ch.Leads), len(ch.Contacts), len(ch.Tasks), len(ch.Notes), len(ch.Events), len(ch.Marks))
			if len(ch.Notes) > 0 {
				what += fmt.Sprintf(" note %+v", ch.Notes[0])
			}
			ws.Apply(ch)
		case k < 9:
			d := []time.Duration{time.Minute, 7 * time.Minute, 40 * time.Minute, 3 * time.Hour, 26 * time.Hour}[w.pick(5)]
			if next := e.NextWake(); !next.IsZero() && next.After(w.now) && w.pick(3) == 0 {
				d = next.Sub(w.now) // exactly to a deadline (an end of day, a stage limit)
				if w.pick(2) == 0 {
					d -= time.Nanosecond // or just before it
				}
			}
			w.now = w.now.Add(d)
			what = "clock +" + d.String()
			if w.pick(4) == 0 {
				ws.Prune(w.now)
				what += ", prune"
			}
		default:
			settings = w.settings()
			ws.MarkAll()
			what = fmt.Sprintf("settings r4 %+v r10 %+v holidays %v", settings.R4, settings.R10, settings.Calendar.Holidays)
		}
		if err := ws.CheckMemory(); err != nil {
			t.Fatalf("step %d (%s): %v", step, what, err)
		}
		in, err := NewInput(ws, settings, w.now)
		if err != nil {
			t.Fatal(err)
		}
		if err := e.Step(in, ws.TakeDirty(), emit); err != nil {
			t.Fatal(err)
		}
		if e.AccountPending() {
			if next := e.NextWake(); next.IsZero() || next.After(w.now.Add(accountEvery)) {
				t.Fatalf("step %d (%s): a change waits for the account-wide rules but the next wake is %v", step, what, next)
			}
			continue
		}
		compared++
		var got []Finding
		for _, fs := range cur {
			got = append(got, fs...)
		}
		want := EvaluateMask(in.At(w.now), enabledRules(settings))
		for _, f := range want {
			switch {
			case f.Rule == R4 && f.Unit == UnitMinutes:
				seen["R4 working"]++
			case f.Rule == R4:
				seen["R4 calendar"]++
			case f.Rule == R10 || f.Rule == R12:
				seen[string(f.Rule)]++
			}
		}
		if g, wn := normalize(got), normalize(want); !reflect.DeepEqual(g, wn) {
			fresh := callHealthOf(in.At(w.now))
			t.Logf("engine health %+v, fresh %+v", e.health, fresh)
			for _, f := range want {
				if slot := ws.Deal(f.DealID); slot >= 0 {
					t.Logf("deal %d: contacts %v listed %v", f.DealID, ws.ContactsOf(slot), ws.Deals()[slot].ContactIDs())
					for _, c := range ws.ContactsOf(slot) {
						t.Logf("  contact %d deals %v acts %d", ws.Contacts()[c].ID, ws.DealsOf(c), len(ws.Contacts()[c].Acts()))
					}
				}
			}
			t.Fatalf("step %d (%s) at %s: incremental has %d findings, a full evaluation %d\n%s",
				step, what, w.now.Format(time.DateTime), len(g), len(wn), diffFindings(g, wn))
		}
	}
}

// diffFindings lists the findings one side has and the other lacks.
func diffFindings(got, want []Finding) string {
	key := func(f Finding) string { return fmt.Sprintf("%+v", f) }
	g, w := map[string]bool{}, map[string]bool{}
	for _, f := range got {
		g[key(f)] = true
	}
	for _, f := range want {
		w[key(f)] = true
	}
	var out string
	for k := range g {
		if !w[k] {
			out += "  only incremental: " + k + "\n"
		}
	}
	for k := range w {
		if !g[k] {
			out += "  only full:        " + k + "\n"
		}
	}
	return out
}
