package storage

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"salesguard/checks"
)

func revisionPaths(rev SettingsRevision) []string {
	var out []string
	for _, c := range rev.Changes {
		out = append(out, c.Path)
	}
	return out
}

// The first save (an import into a new account, say) lists the settings it changed against
// the defaults that were in force, not the whole file.
func TestFirstSaveListsChangedSettings(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(*checks.Settings)
		paths []string
	}{
		{"defaults", func(*checks.Settings) {}, nil},
		{"an import", func(s *checks.Settings) {
			s.R1.Limit = checks.Duration(20 * time.Minute)
			s.Calendar.Week[time.Saturday] = checks.DayHours{Start: 600, End: 840}
			s.Disabled = []checks.RuleID{checks.R7}
		}, []string{"calendar.week", "disabled", "r1.limit"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := mustOpen(t)
			s := checks.DefaultSettings()
			tt.edit(&s)
			if err := db.SaveSettings("main", s, "tg:42", t0); err != nil {
				t.Fatal(err)
			}
			if got, found, err := db.LoadSettings("main"); err != nil || !found || !reflect.DeepEqual(got, s) {
				t.Fatalf("stored %+v, %v, %v", got, found, err)
			}
			hist, err := db.SettingsHistory("main", 0)
			if err != nil {
				t.Fatal(err)
			}
			if tt.paths == nil {
				if len(hist) != 0 {
					t.Errorf("saving the defaults recorded %+v", hist)
				}
				return
			}
			if len(hist) != 1 || !reflect.DeepEqual(revisionPaths(hist[0]), tt.paths) {
				t.Fatalf("history %+v, want one revision with %v", hist, tt.paths)
			}
			if c := hist[0].Changes[2]; string(c.Old) != `"15m0s"` || string(c.New) != `"20m0s"` {
				t.Errorf("r1.limit change %s → %s", c.Old, c.New)
			}
		})
	}
}

// A revision written by an older version, one change holding the whole first settings, is
// read as the settings it changed against the defaults.
func TestHistoryExpandsOldWholeRevisions(t *testing.T) {
	db := mustOpen(t)
	s := checks.DefaultSettings()
	s.R11.Days = 60
	whole, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	def, err := json.Marshal(checks.DefaultSettings())
	if err != nil {
		t.Fatal(err)
	}
	old := []SettingsRevision{
		{At: t0, Who: "config", Changes: []SettingsChange{{Path: "", Old: json.RawMessage("null"), New: def}}},
		{At: t0.Add(time.Hour), Who: "tg:1", Changes: []SettingsChange{{Path: "", Old: json.RawMessage("null"), New: whole}}},
	}
	err = db.bolt.Update(func(tx *bolt.Tx) error {
		hist, err := accountBucket(tx, "main", subSettingsHistory)
		if err != nil {
			return err
		}
		for i, rev := range old {
			if err := putJSON(hist, joinKey(timeKey(rev.At), u64(uint64(i+1))), rev); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	hist, err := db.SettingsHistory("main", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(hist) != 1 || hist[0].Who != "tg:1" || !reflect.DeepEqual(revisionPaths(hist[0]), []string{"r11.days"}) ||
		string(hist[0].Changes[0].Old) != "30" || string(hist[0].Changes[0].New) != "60" {
		t.Errorf("history %+v; want the second revision as r11.days 30 → 60 (the first changed nothing)", hist)
	}
}
