package checks

import (
	"maps"
	"salesguard/workset"
	"slices"
	"testing"
	"time"

	"salesguard/amo"
)

func TestResolveByName(t *testing.T) {
	snap := &amo.Snapshot{
		Pipelines: []amo.Pipeline{
			{ID: 1, Statuses: []amo.Status{ // Russian
				{ID: 10, Name: "Неразобранное", Sort: 0, Type: amo.StatusTypeUnsorted},
				{ID: 12, Name: "Недозвон", Sort: 30}, {ID: 11, Name: "Новый лид", Sort: 20},
				{ID: 13, Name: "Перезвонить", Sort: 40}, {ID: 14, Name: "Пробное занятие", Sort: 50},
				{ID: 15, Name: "Принятие решения", Sort: 60}, {ID: 16, Name: "КП готово", Sort: 70},
				{ID: 17, Name: "Горячие", Sort: 80}, {ID: amo.StatusWon, Name: "Успешно"},
			}},
			{ID: 2, Statuses: []amo.Status{ // English
				{ID: 21, Name: "New lead", Sort: 10}, {ID: 22, Name: "No answer", Sort: 20},
				{ID: 23, Name: "Call back", Sort: 30}, {ID: 24, Name: "Trial lesson", Sort: 40},
				{ID: 25, Name: "Decision", Sort: 50}, {ID: 26, Name: "Photo shoot", Sort: 60},
			}},
			{ID: 3, Statuses: []amo.Status{ // Spanish
				{ID: 31, Name: "Nueva solicitud", Sort: 10}, {ID: 32, Name: "No contesta", Sort: 20},
				{ID: 33, Name: "Volver a llamar", Sort: 30}, {ID: 34, Name: "Clase de prueba", Sort: 40},
				{ID: 35, Name: "Toma de decisión", Sort: 50},
			}},
			{ID: 4, IsArchive: true, Statuses: []amo.Status{{ID: 41, Name: "Новый лид"}}},
		},
		LossReasons: []amo.LossReason{
			{ID: 1, Name: "Недозвон"}, {ID: 2, Name: "Другое (укажите)"}, {ID: 3, Name: "No contesta"},
			{ID: 4, Name: "Otro"}, {ID: 5, Name: "Otra empresa"}, {ID: 6, Name: "Can’t reach"},
			{ID: 7, Name: "Other"}, {ID: 8, Name: "Дорого"},
		},
	}
	s := DefaultSettings()
	m := Resolve(s, workset.FromSnapshot(snap).Dict())
	r := func(p amo.PipelineID, st amo.StatusID) amo.StatusRef {
		return amo.StatusRef{PipelineID: p, StatusID: st}
	}
	sortedRefs := func(set map[amo.StatusRef]bool) []amo.StatusRef {
		return slices.SortedFunc(maps.Keys(set), func(a, b amo.StatusRef) int {
			return int(a.PipelineID-b.PipelineID)*1000 + int(a.StatusID-b.StatusID)
		})
	}
	if got := slices.Sorted(maps.Keys(m.Watched)); !slices.Equal(got, []amo.PipelineID{1, 2, 3}) {
		t.Errorf("watched = %v", got)
	}
	if got, want := sortedRefs(m.First), []amo.StatusRef{r(1, 10), r(1, 11), r(2, 21), r(3, 31)}; !slices.Equal(got, want) {
		t.Errorf("first = %v, want %v", got, want)
	}
	if got, want := sortedRefs(m.MissedCall), []amo.StatusRef{r(1, 12), r(2, 22), r(3, 32)}; !slices.Equal(got, want) {
		t.Errorf("missed = %v, want %v", got, want)
	}
	if got := slices.Sorted(maps.Keys(m.CantReach)); !slices.Equal(got, []amo.LossReasonID{1, 3, 6}) {
		t.Errorf("cant reach = %v", got)
	}
	if got := slices.Sorted(maps.Keys(m.Other)); !slices.Equal(got, []amo.LossReasonID{2, 4, 7}) {
		t.Errorf("other = %v", got)
	}
	day := 24 * time.Hour
	wantLimits := map[amo.StatusRef]time.Duration{
		r(1, 11): time.Hour, r(1, 12): 5 * day, r(1, 13): 2 * day, r(1, 14): 14 * day, r(1, 15): 20 * day,
		r(2, 21): time.Hour, r(2, 22): 5 * day, r(2, 23): 2 * day, r(2, 24): 14 * day, r(2, 25): 20 * day,
		r(3, 31): time.Hour, r(3, 32): 5 * day, r(3, 33): 2 * day, r(3, 34): 14 * day, r(3, 35): 20 * day,
	}
	if !maps.Equal(m.StageLimits, wantLimits) {
		t.Errorf("limits = %v\nwant %v", m.StageLimits, wantLimits)
	}
	if !(m.Priority[r(1, 16)] < m.Priority[r(1, 17)] && m.Priority[r(1, 17)] < m.Priority[r(1, 11)] &&
		m.Priority[r(1, 11)] < m.Priority[r(1, 12)]) {
		t.Errorf("priority order wrong: %v", m.Priority)
	}
	if _, ok := m.Priority[r(2, 26)]; ok {
		t.Error(`"Photo shoot" matched "hot"`)
	}
}

func TestResolveExplicit(t *testing.T) {
	snap := baseSnap()
	snap.LossReasons = []amo.LossReason{{ID: 1, Name: "Недозвон"}, {ID: 9, Name: "Другое"}}
	s := DefaultSettings()
	s.Pipelines = []amo.PipelineID{tPipe}
	s.Stages.First = []amo.StatusRef{ref(tWork)}
	s.Stages.MissedCall = []amo.StatusRef{ref(tCallBack)}
	s.LossReasons.CantReach = []amo.LossReasonID{9}
	s.LossReasons.Other = []amo.LossReasonID{1}
	s.R4.ByName = false
	s.R4.Limits = []StageLimit{{Stage: ref(tHot), Limit: Duration(3 * time.Hour)}}
	s.Plan.Priority = []amo.StatusRef{ref(tWork), ref(tNew)}
	m := Resolve(s, workset.FromSnapshot(snap).Dict())
	if len(m.First) != 1 || !m.First[ref(tWork)] || len(m.MissedCall) != 1 || !m.MissedCall[ref(tCallBack)] {
		t.Errorf("stages: first %v missed %v", m.First, m.MissedCall)
	}
	if len(m.CantReach) != 1 || !m.CantReach[9] || len(m.Other) != 1 || !m.Other[1] {
		t.Errorf("reasons: %v %v", m.CantReach, m.Other)
	}
	if len(m.StageLimits) != 1 || m.StageLimits[ref(tHot)] != 3*time.Hour {
		t.Errorf("limits: %v", m.StageLimits)
	}
	if m.Priority[ref(tWork)] != 0 || m.Priority[ref(tNew)] != 1 || len(m.Priority) != 2 {
		t.Errorf("priority: %v", m.Priority)
	}
}
