package checks

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"salesguard/workset"
)

// TestParallelMatchesSequential evaluates one account on several cores and in one loop, with
// the engine and the reference path, and expects the same findings in the same order.
func TestParallelMatchesSequential(t *testing.T) {
	now := time.Date(2026, 11, 18, 12, 0, 0, 0, time.UTC)
	ws := workset.FromSnapshot(synthAccount(3000, now))
	evaluate := func(floor int) ([]Finding, []ScopeResult) {
		old := parallelFloor
		parallelFloor = floor
		defer func() { parallelFloor = old }()
		in, err := NewInput(ws, DefaultSettings(), now)
		if err != nil {
			t.Fatal(err)
		}
		ref := EvaluateEnabled(in)
		in2, _ := NewInput(ws, DefaultSettings(), now)
		var scopes []ScopeResult
		err = NewEngine().Full(in2, func(r ScopeResult) error {
			r.Findings = append([]Finding(nil), r.Findings...)
			scopes = append(scopes, r)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return ref, scopes
	}
	seqRef, seqScopes := evaluate(1 << 30)
	parRef, parScopes := evaluate(1)
	if len(seqRef) == 0 || !reflect.DeepEqual(seqRef, parRef) {
		t.Fatalf("reference path: %d findings in one loop, %d on several cores (or they differ)", len(seqRef), len(parRef))
	}
	if !reflect.DeepEqual(seqScopes, parScopes) {
		t.Fatalf("engine: %d scopes in one loop, %d on several cores (or they differ)", len(seqScopes), len(parScopes))
	}
}

// TestParallelStopsOnError checks that an error from the consumer stops the evaluation.
func TestParallelStopsOnError(t *testing.T) {
	now := time.Date(2026, 11, 18, 12, 0, 0, 0, time.UTC)
	ws := workset.FromSnapshot(synthAccount(3000, now))
	old := parallelFloor
	parallelFloor = 1
	defer func() { parallelFloor = old }()
	in, err := NewInput(ws, DefaultSettings(), now)
	if err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	n := 0
	err = NewEngine().Full(in, func(ScopeResult) error {
		if n++; n == 700 {
			return boom
		}
		return nil
	})
	if !errors.Is(err, boom) || n != 700 {
		t.Fatalf("Full returned %v after %d scopes, want boom after 700", err, n)
	}
}
