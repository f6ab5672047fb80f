package bot

import (
	"strings"
	"testing"
	"time"

	"salesguard/amo"
	"salesguard/checks"
)

func TestSetLimitStageTime(t *testing.T) {
	ref := amo.StatusRef{PipelineID: 1, StatusID: 2}
	other := checks.StageLimit{Stage: amo.StatusRef{PipelineID: 1, StatusID: 3}, Limit: checks.Duration(time.Hour)}
	start := []checks.StageLimit{other, {Stage: ref, Limit: checks.Duration(2 * time.Hour), Time: checks.StageTimeWorking}}
	tests := []struct {
		text  string
		limit time.Duration
		mode  checks.StageTime
	}{
		{"3 ч", 3 * time.Hour, checks.StageTimeWorking}, // keeps the stage's choice
		{"1 h calendar", time.Hour, checks.StageTimeCalendar},
		{"1 ч календарное", time.Hour, checks.StageTimeCalendar},
		{"2 días laborables", 48 * time.Hour, checks.StageTimeWorking},
		{"45 min (working)", 45 * time.Minute, checks.StageTimeWorking},
		{"1 ч авто", time.Hour, checks.StageTimeAuto},
		{"2", 48 * time.Hour, checks.StageTimeWorking}, // a bare number is days
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			got, ok := setLimit(start, ref, tt.text)
			if !ok {
				t.Fatalf("setLimit(%q) refused", tt.text)
			}
			if len(got) != 2 || got[0] != other {
				t.Fatalf("other stages changed: %+v", got)
			}
			if l := got[1]; l.Limit.D() != tt.limit || l.Time != tt.mode {
				t.Errorf("setLimit(%q) = %v %q, want %v %q", tt.text, l.Limit.D(), l.Time, tt.limit, tt.mode)
			}
		})
	}
	if _, ok := setLimit(start, ref, "calendar"); ok {
		t.Error(`"calendar" alone is not a limit`)
	}
	if got, ok := setLimit(start, ref, "-"); !ok || len(got) != 1 {
		t.Errorf(`"-" should remove the limit: %+v`, got)
	}
}

func TestLimitTextSaysHowItCounts(t *testing.T) {
	p := mustCatalog(t).Printer("en")
	ref := amo.StatusRef{PipelineID: 1, StatusID: 2}
	for _, tt := range []struct {
		l    checks.StageLimit
		want string
	}{
		{checks.StageLimit{Stage: ref, Limit: checks.Duration(time.Hour)}, "1 h (working time)"},
		{checks.StageLimit{Stage: ref, Limit: checks.Duration(48 * time.Hour)}, "2 days (calendar time)"},
		{checks.StageLimit{Stage: ref, Limit: checks.Duration(48 * time.Hour), Time: checks.StageTimeWorking}, "2 days (working time)"},
	} {
		if got := limitText(p, []checks.StageLimit{tt.l}, ref); got != tt.want {
			t.Errorf("limitText(%+v) = %q, want %q", tt.l, got, tt.want)
		}
	}
}

func TestHistoryShowsTheCheckboxRuleAndStageTimeInWords(t *testing.T) {
	p := mustCatalog(t).Printer("ru")
	if got := historyValue(p, "r10.checkbox", `"set"`, nil); got != "чекбокс заполнен, если задан" {
		t.Errorf(`r10.checkbox "set" = %q`, got)
	}
	if got := historyValue(p, "r10.checkbox", `""`, nil); got != "чекбокс заполнен, если отмечен" {
		t.Errorf(`r10.checkbox "" = %q`, got)
	}
	got := historyValue(p, "r4.limits", `[{"stage":{"pipeline_id":1,"status_id":2},"limit":"1h","time":"calendar"}]`, nil)
	if !strings.Contains(got, "1 ч (календарное время)") {
		t.Errorf("r4.limits = %q", got)
	}
}
