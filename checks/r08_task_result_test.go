package checks

import (
	"testing"
	"time"

	"salesguard/amo"
)

func TestEvalR8(t *testing.T) {
	now := at(18, 10, 0)
	tests := []struct {
		name    string
		result  string
		done    time.Time
		mod     func(*amo.Task)
		want    []string
		letters float64
	}{
		{"empty", "", at(17, 15, 0), nil, []string{"1/warning/empty_result/task:77"}, 0},
		{"only spaces", "  \n ", at(17, 15, 0), nil, []string{"1/warning/empty_result/task:77"}, 0},
		{"trivial phrase", " Ок! ", at(17, 15, 0), nil, []string{"1/warning/trivial_result/task:77"}, 2},
		{"a plus", "+", at(17, 15, 0), nil, []string{"1/warning/trivial_result/task:77"}, 0},
		{"trivial even though long enough", "Позвонил.", at(17, 15, 0), nil, []string{"1/warning/trivial_result/task:77"}, 8},
		{"four letters", "звон", at(17, 15, 0), nil, []string{"1/warning/trivial_result/task:77"}, 4},
		{"five letters", "hello", at(17, 15, 0), nil, nil, 0},
		{"a real result", "Договорились о встрече в пятницу", at(17, 15, 0), nil, nil, 0},
		{"completed at the start of yesterday", "", at(17, 0, 0), nil, []string{"1/warning/empty_result/task:77"}, 0},
		{"completed the day before yesterday", "", at(16, 23, 59), nil, nil, 0},
		{"still open", "", at(17, 15, 0), func(t *amo.Task) { t.IsCompleted = false }, nil, 0},
		{"on a contact", "", at(17, 15, 0), func(t *amo.Task) { t.EntityType = amo.EntityContacts }, nil, 0},
		{"on an unwatched deal", "", at(17, 15, 0), func(t *amo.Task) { t.EntityID = 2 }, nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture()
			f.lead(1, mgrA, stTalks, at(2, 10, 0))
			f.lead(2, mgrA, stTalks, at(2, 10, 0), func(l *amo.Lead) { l.PipelineID = 99 })
			task := amo.Task{
				ID: 77, ResponsibleUserID: mgrB, EntityID: 1, EntityType: amo.EntityLeads, Text: "Перезвонить",
				IsCompleted: true, Result: tt.result, CompleteTill: at(17, 12, 0), CreatedAt: at(16, 9, 0), UpdatedAt: tt.done,
			}
			if tt.mod != nil {
				tt.mod(&task)
			}
			f.snap.Tasks = append(f.snap.Tasks, task)
			got := evalR8(f.input(t, now))
			checkBrief(t, got, tt.want...)
			if len(got) == 1 {
				g := got[0]
				if g.ManagerID != mgrA || g.Value != tt.letters || g.Limit != 5 || g.Result != tt.result || g.TaskBy != 2 {
					t.Errorf("finding = %+v", g)
				}
			}
		})
	}
}

func TestCountLettersUpTo(t *testing.T) {
	for _, s := range []string{"", "ok", "Ок!", "+ - .", "Перезвонить завтра в 10:00", "llamó, ¿sí?", "日本語のテキスト", "a1b2c3", "\xff\xfeab"} {
		n := countLetters(s)
		for limit := 0; limit <= n+2; limit++ {
			if got, want := countLettersUpTo(s, limit), min(n, limit); got != want {
				t.Errorf("countLettersUpTo(%q, %d) = %d, want %d", s, limit, got, want)
			}
		}
	}
}
