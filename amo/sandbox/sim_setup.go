package sandbox

import (
	"fmt"
	"time"

	"salesguard/amo"
)

// manager is a simulated sales manager with a personality: how often they break a rule.
type manager struct {
	id   amo.UserID
	name string
	// sloppiness is the base probability of breaking a rule on a given occasion: most managers
	// sit at 5–10 %, about one in five is worse (15–25 %).
	sloppiness float64
	load       int // open deals, to spread new leads
}

// setup fills the dictionaries: account, users, pipelines, loss reasons and custom fields.
func (s *Sim) setup(d *Data, from time.Time) {
	c := s.cat
	d.Now = from
	d.Account = amo.Account{
		ID:                  amo.AccountID(d.ID()),
		Name:                c.account,
		Subdomain:           "sandbox",
		Country:             c.country,
		TimeZone:            s.cfg.TimeZone,
		IsLossReasonEnabled: true,
		IsUnsortedOn:        true,
		IsAPIFilterEnabled:  true,
	}
	s.setupUsers(d)
	s.setupPipelines(d)
	for k := range reasonCount {
		id := amo.LossReasonID(d.ID())
		s.reasons[k] = id
		d.LossReasons = append(d.LossReasons, amo.LossReason{ID: id, Name: c.reasons[k], Sort: int(k+1) * 10})
	}
	s.setupFields(d)
}

// setupUsers creates the admin, the head and the managers.
func (s *Sim) setupUsers(d *Data) {
	c := s.cat
	s.admin = amo.UserID(d.ID())
	d.Users = append(d.Users, amo.User{ID: s.admin, Name: c.admin, Email: "admin@sandbox.local",
		Lang: s.cfg.Lang, IsAdmin: true, IsActive: true})
	s.head = amo.UserID(d.ID())
	d.Users = append(d.Users, amo.User{ID: s.head, Name: c.head, Email: "head@sandbox.local",
		Lang: s.cfg.Lang, IsActive: true, GroupID: 1})
	offset := s.rng.IntN(len(c.firstNames)) // distinct (first, last) pairs for the first 144 managers
	for i := range s.cfg.Managers {
		first := (i + offset) % len(c.firstNames)
		name := s.fullName(first, (i*5+i/len(c.firstNames)+offset)%len(c.lastNames))
		m := &manager{id: amo.UserID(d.ID()), name: name, sloppiness: 0.04 + 0.05*s.rng.Float64()}
		if i%5 == 1 { // one manager in five is worse
			m.sloppiness = 0.15 + 0.07*s.rng.Float64()
		}
		s.managers = append(s.managers, m)
		d.Users = append(d.Users, amo.User{ID: m.id, Name: m.name,
			Email: fmt.Sprintf("manager%d@sandbox.local", i+1), Lang: s.cfg.Lang, IsActive: true, GroupID: 1})
	}
}

// setupPipelines creates the two pipelines with the stages of seeds 000 and 002.
func (s *Sim) setupPipelines(d *Data) {
	for p, keys := range pipelineStages() {
		pid := amo.PipelineID(d.ID())
		s.pipes[p] = pid
		pl := amo.Pipeline{ID: pid, Name: s.cat.pipelines[p], Sort: (p + 1) * 10, IsMain: p == 0}
		for i, k := range keys {
			st := amo.Status{ID: amo.StatusID(d.ID()), PipelineID: pid, Name: s.cat.stages[k], Sort: (i + 1) * 10}
			if k == StageUnsorted {
				st.Type = amo.StatusTypeUnsorted
			}
			pl.Statuses = append(pl.Statuses, st)
			s.stages[p][k] = amo.StatusRef{PipelineID: pid, StatusID: st.ID}
		}
		won := map[string]string{"ru": "Успешно реализовано", "en": "Closed - won", "es": "Logrado con éxito"}
		lost := map[string]string{"ru": "Закрыто и не реализовано", "en": "Closed - lost", "es": "Venta perdida"}
		pl.Statuses = append(pl.Statuses,
			amo.Status{ID: amo.StatusWon, PipelineID: pid, Name: langOr(won, s.cfg.Lang), Sort: 10000},
			amo.Status{ID: amo.StatusLost, PipelineID: pid, Name: langOr(lost, s.cfg.Lang), Sort: 11000})
		d.Pipelines = append(d.Pipelines, pl)
	}
}

// langOr returns the text of a language, Russian when the language is unknown.
func langOr(m map[string]string, lang string) string {
	if v, ok := m[lang]; ok {
		return v
	}
	return m["ru"]
}

// setupFields creates the custom fields and the stages from which deal fields are required
// (R10; amoCRM lists each such stage in required_statuses).
func (s *Sim) setupFields(d *Data) {
	type spec struct {
		key    FieldKey
		entity string
		typ    string
		code   string
		from   [2]StageKey // required from this stage on, per pipeline; StageUnsorted = never
	}
	specs := []spec{
		{FieldBudget, amo.EntityLeads, "numeric", "", [2]StageKey{StageOffer, StageDecision}},
		{FieldProduct, amo.EntityLeads, "select", "", [2]StageKey{StageHot, StageTrial}},
		{FieldSource, amo.EntityLeads, "select", "", [2]StageKey{}},
		{FieldBuild, amo.EntityLeads, "text", "", [2]StageKey{StageCalc, StageUnsorted}},
		{FieldPhone, amo.EntityContacts, "multitext", "PHONE", [2]StageKey{}},
		{FieldEmail, amo.EntityContacts, "multitext", "EMAIL", [2]StageKey{}},
	}
	for i, sp := range specs {
		f := amo.CustomField{ID: amo.FieldID(d.ID()), EntityType: sp.entity, Name: s.cat.fields[sp.key],
			Code: sp.code, Type: sp.typ, Sort: (i + 1) * 10}
		s.fields[sp.key] = f.ID
		for p, from := range sp.from {
			if from == StageUnsorted {
				continue
			}
			for _, ref := range s.stagesFrom(p, from) {
				f.RequiredStatuses = append(f.RequiredStatuses, ref)
				s.required[ref] = append(s.required[ref], sp.key)
			}
		}
		d.CustomFields = append(d.CustomFields, f)
	}
	s.setupTypedFields(d)
}

// stagesFrom returns the stage from and every later normal stage of a pipeline.
func (s *Sim) stagesFrom(p int, from StageKey) []amo.StatusRef {
	var out []amo.StatusRef
	on := false
	for _, k := range pipelineStages()[p] {
		on = on || k == from
		if on {
			out = append(out, s.stages[p][k])
		}
	}
	return out
}

// fieldValue returns a plausible value for a field.
func (s *Sim) fieldValue(k FieldKey) string {
	c := s.cat
	switch k {
	case FieldBudget:
		return fmt.Sprint((20 + s.rng.IntN(480)) * 1000)
	case FieldProduct:
		return pick(s.rng, c.products)
	case FieldSource:
		return pick(s.rng, c.sources)
	case FieldBuild:
		return pick(s.rng, c.builds)
	case FieldPhone:
		return fmt.Sprintf("+7 9%02d %03d-%02d-%02d", s.rng.IntN(100), s.rng.IntN(1000), s.rng.IntN(100), s.rng.IntN(100))
	default:
		return fmt.Sprintf("client%d@example.com", s.rng.IntN(1_000_000))
	}
}

// fieldName and fieldCode describe a field for a FieldValue.
func (s *Sim) fieldMeta(k FieldKey) amo.FieldValue {
	v := amo.FieldValue{FieldID: s.fields[k], Name: s.cat.fields[k]}
	switch k {
	case FieldPhone:
		v.Code, v.Type = "PHONE", "multitext"
	case FieldEmail:
		v.Code, v.Type = "EMAIL", "multitext"
	case FieldBudget:
		v.Type = "numeric"
	case FieldBuild:
		v.Type = "text"
	default:
		v.Type = "select"
	}
	return v
}

// personName returns a random client name.
func (s *Sim) personName() string {
	return s.fullName(s.rng.IntN(len(s.cat.firstNames)), s.rng.IntN(len(s.cat.lastNames)))
}

// fullName joins a first name and a surname, in the feminine form for a woman.
func (s *Sim) fullName(first, last int) string {
	name := s.cat.lastNames[last]
	if first%2 == 0 {
		name += s.cat.femaleEnd
	}
	return s.cat.firstNames[first] + " " + name
}
