package storage

import (
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"salesguard/checks"
)

func TestReviewSampleKeepsTheFirstPick(t *testing.T) {
	db := mustOpen(t)
	week := checks.Date{Year: 2026, Month: 3, Day: 2}
	if _, ok, err := db.ReviewSample("main", week); err != nil || ok {
		t.Fatalf("before any: ok %v, err %v", ok, err)
	}
	first := []checks.ReviewCall{
		{NoteID: 5, DealID: 12, ManagerID: 1, At: t0, Duration: 95 * time.Second, Link: "https://rec.example/5.mp3"},
		{NoteID: 6, ManagerID: 2, At: t0.Add(time.Hour), Duration: 70 * time.Second, Incoming: true, Link: "javascript:alert(1)"},
	}
	got, err := db.SaveReviewSample("main", week, first)
	if err != nil || !reflect.DeepEqual(got, first) {
		t.Fatalf("save = %+v, %v", got, err)
	}
	// A second save (the weekly report sent again) keeps what the head got first.
	again, err := db.SaveReviewSample("main", week, first[:1])
	if err != nil || !reflect.DeepEqual(again, first) {
		t.Errorf("second save = %+v, %v, want the first sample", again, err)
	}
	stored, ok, err := db.ReviewSample("main", week)
	if err != nil || !ok || !reflect.DeepEqual(stored, first) {
		t.Errorf("stored = %+v, %v, %v", stored, ok, err)
	}
	// An empty sample is stored too: the week was reported.
	empty, err := db.SaveReviewSample("main", week.AddDays(7), nil)
	if _, ok, _ := db.ReviewSample("main", week.AddDays(7)); err != nil || !ok || len(empty) != 0 {
		t.Errorf("empty sample: %v, %v, stored %v", empty, err, ok)
	}
	if _, ok, _ := db.ReviewSample("other", week); ok {
		t.Error("another account sees the sample")
	}
	if _, err := db.SaveReviewSample("main", checks.Date{}, first); err == nil {
		t.Error("a sample without a week was stored")
	}
}

func TestCallVerdictsRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "db")
	db, err := Open(path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	week := checks.Date{Year: 2026, Month: 3, Day: 2}
	at := t0.Add(6 * 24 * time.Hour).Truncate(time.Second)
	vs := []CallVerdict{
		{Account: "main", Week: week, Day: week.AddDays(1), NoteID: 9, DealID: 12, Manager: 1, OK: true, By: 200, ByName: "Helga <Head>", At: at},
		{Account: "main", Week: week, Day: week, NoteID: 1 << 40, Manager: 2, OK: false, By: 200, At: at},
		{Account: "main", Week: week, Day: week.AddDays(6), NoteID: 3, Manager: 1, OK: false, By: 201, At: at},
	}
	for _, v := range vs {
		if err := db.PutCallVerdict(v); err != nil {
			t.Fatal(err)
		}
	}
	// Judged again: the verdict replaces the first one.
	changed := vs[0]
	changed.OK, changed.By = false, 201
	if err := db.PutCallVerdict(changed); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db, err = Open(path, Options{NoSync: true}) // survives a restart
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	got, err := db.CallVerdicts("main", week, week.AddDays(6))
	want := []CallVerdict{vs[1], changed, vs[2]} // by day, then note
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("verdicts = %+v, %v\nwant %+v", got, err, want)
	}
	if got, _ := db.CallVerdicts("main", week.AddDays(1), week.AddDays(5)); len(got) != 1 || got[0].NoteID != 9 {
		t.Errorf("verdicts of Tue..Sat = %+v", got)
	}
	if got, _ := db.CallVerdicts("other", week, week.AddDays(6)); len(got) != 0 {
		t.Errorf("another account's verdicts: %+v", got)
	}
	for _, bad := range []CallVerdict{
		{Account: "main", Week: week, NoteID: 1},
		{Account: "main", Day: week, NoteID: 1},
		{Account: "main", Week: week, Day: week},
	} {
		if err := db.PutCallVerdict(bad); err == nil {
			t.Errorf("stored an incomplete verdict %+v", bad)
		}
	}
}
