package checks

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"salesguard/amo"
	"salesguard/workset"
)

// Names that give stages and loss reasons their meaning when the settings name no ids, in
// Russian, English and Spanish (lower case; matched as substrings, case-insensitively).
var (
	missedCallNames = []string{"недозвон", "не дозвонились", "не дозвон", "нет ответа", "no contesta",
		"sin respuesta", "missed call", "no answer", "can't reach", "cant reach", "unreachable"}
	otherReasonNames = []string{"другое", "иное", "otro", "otra", "other"}
)

// nameLimit is a default R4 limit for stages whose name matches.
type nameLimit struct {
	names []string
	limit time.Duration
}

// stageLimitNames are the R4 defaults of 000 rule 5, checked in order (the first match wins).
var stageLimitNames = []nameLimit{
	{missedCallNames, 5 * 24 * time.Hour},
	{[]string{"новый лид", "новая заявка", "новое обращение", "new request", "new lead", "nueva solicitud",
		"nuevo lead", "nuevo cliente potencial"}, time.Hour},
	{[]string{"перезвонить", "call back", "callback", "volver a llamar"}, 2 * 24 * time.Hour},
	{[]string{"пробн", "trial", "clase de prueba"}, 14 * 24 * time.Hour},
	{[]string{"принятие решения", "decision", "decisión", "decision making"}, 20 * 24 * time.Hour},
}

// priorityNames orders stages for the morning plan by name (002: "КП готово" and "Смета
// готова" first, then "Горячие", then "ОП взял в работу"; 000 rule 4: new requests first, then
// missed calls, then invoices). Lower is earlier.
var priorityNames = []struct {
	names    []string
	priority int
}{
	{[]string{"кп готово", "смета готова", "proposal ready", "quote ready", "propuesta lista", "presupuesto listo"}, 10},
	{[]string{"горяч", "hot", "caliente"}, 20},
	{[]string{"новый лид", "новая заявка", "new request", "new lead", "nueva solicitud", "nuevo lead"}, 30},
	{missedCallNames, 40},
	{[]string{"счет", "счёт", "invoice", "factura"}, 50},
	{[]string{"оп взял в работу", "взят в работу", "в работе", "in progress", "en proceso", "en curso"}, 60},
}

// matchAny reports whether one of subs occurs in name at the start of a word, ignoring case
// ("горяч" matches "Горячие", "hot" does not match "Photo").
func matchAny(name string, subs []string) bool {
	n := normName(name)
	for _, s := range subs {
		for i := 0; i <= len(n)-len(s); {
			j := strings.Index(n[i:], s)
			if j < 0 {
				break
			}
			at := i + j
			if prev, _ := utf8.DecodeLastRuneInString(n[:at]); at == 0 || !unicode.IsLetter(prev) {
				return true
			}
			i = at + 1
		}
	}
	return false
}

// matchWhole reports whether name is one of words, alone or followed by a note in brackets or
// after a colon or dash ("Другое (укажите)", "Other: see note"), but not "Otra empresa".
func matchWhole(name string, words []string) bool {
	n := normName(name)
	for _, w := range words {
		rest, ok := strings.CutPrefix(n, w)
		if !ok {
			continue
		}
		rest = strings.TrimSpace(rest)
		if rest == "" || strings.ContainsRune("(:-—–/.,", []rune(rest)[0]) {
			return true
		}
	}
	return false
}

func normName(s string) string {
	return strings.ToLower(strings.TrimSpace(strings.ReplaceAll(s, "’", "'")))
}

// Resolve works out what the account's stages and reasons mean for the rules: ids from the
// settings where given, otherwise detected by name in ru/en/es (see the name lists above).
func Resolve(s Settings, snap *workset.Dict) *Meaning {
	m := &Meaning{
		Watched:     map[amo.PipelineID]bool{},
		First:       map[amo.StatusRef]bool{},
		MissedCall:  map[amo.StatusRef]bool{},
		CantReach:   map[amo.LossReasonID]bool{},
		Other:       map[amo.LossReasonID]bool{},
		StageLimits: map[amo.StatusRef]time.Duration{},
		Priority:    map[amo.StatusRef]int{},
	}
	for _, p := range s.Pipelines {
		m.Watched[p] = true
	}
	if len(s.Pipelines) == 0 {
		for _, p := range snap.Pipelines {
			if !p.IsArchive {
				m.Watched[p.ID] = true
			}
		}
	}
	resolveStages(m, s, snap)
	resolveReasons(m, s, snap)
	return m
}

func resolveStages(m *Meaning, s Settings, snap *workset.Dict) {
	for _, r := range s.Stages.First {
		m.First[r] = true
	}
	for _, r := range s.Stages.MissedCall {
		m.MissedCall[r] = true
	}
	for i, r := range s.Plan.Priority {
		m.Priority[r] = i
	}
	for _, p := range snap.Pipelines {
		if !m.Watched[p.ID] {
			continue
		}
		var first *amo.Status
		for j := range p.Statuses {
			st := &p.Statuses[j]
			ref := amo.StatusRef{PipelineID: p.ID, StatusID: st.ID}
			if st.ID == amo.StatusWon || st.ID == amo.StatusLost {
				continue
			}
			if len(s.Stages.First) == 0 {
				if st.Type == amo.StatusTypeUnsorted {
					m.First[ref] = true
				} else if first == nil || st.Sort < first.Sort {
					first = st
				}
			}
			if len(s.Stages.MissedCall) == 0 && matchAny(st.Name, missedCallNames) {
				m.MissedCall[ref] = true
			}
			if s.R4.ByName {
				for _, nl := range stageLimitNames {
					if matchAny(st.Name, nl.names) {
						m.StageLimits[ref] = nl.limit
						break
					}
				}
			}
			if len(s.Plan.Priority) == 0 {
				for _, pn := range priorityNames {
					if matchAny(st.Name, pn.names) {
						m.Priority[ref] = pn.priority
						break
					}
				}
			}
		}
		if first != nil {
			m.First[amo.StatusRef{PipelineID: p.ID, StatusID: first.ID}] = true
		}
	}
	for _, l := range s.R4.Limits {
		m.StageLimits[l.Stage] = l.Limit.D()
	}
}

func resolveReasons(m *Meaning, s Settings, snap *workset.Dict) {
	for _, r := range s.LossReasons.CantReach {
		m.CantReach[r] = true
	}
	for _, r := range s.LossReasons.Other {
		m.Other[r] = true
	}
	for _, r := range snap.LossReasons {
		if len(s.LossReasons.CantReach) == 0 && matchAny(r.Name, missedCallNames) {
			m.CantReach[r.ID] = true
		}
		if len(s.LossReasons.Other) == 0 && matchWhole(r.Name, otherReasonNames) {
			m.Other[r.ID] = true
		}
	}
}
