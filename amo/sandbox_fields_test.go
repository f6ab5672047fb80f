package amo_test

import (
	"context"
	"testing"

	"salesguard/amo"
	"salesguard/amo/sandbox"
)

// TestSandboxCustomFieldStates syncs a simulated account whose deals carry a field of every
// type (filled, empty, unchecked) and checks that each decoded value means what the world's
// value means: the wire shapes decode to the same filled / unchecked / empty state.
func TestSandboxCustomFieldStates(t *testing.T) {
	e := newEnv(t, sandbox.DefaultConfig("tok"), nil)
	ch, err := e.client.Sync(context.Background(), amo.SyncState{})
	if err != nil {
		t.Fatal(err)
	}
	var snap amo.Snapshot
	snap.Apply(ch)
	types := map[amo.FieldID]string{}
	for _, cf := range snap.CustomFields {
		types[cf.ID] = cf.Type
	}
	count := map[string]map[amo.FieldState]int{}
	e.w.Read(func(d *sandbox.Data) {
		for _, l := range snap.Leads {
			wl := d.Leads[l.ID]
			if wl == nil {
				continue
			}
			want := map[amo.FieldID]amo.FieldState{}
			for _, v := range wl.CustomFields {
				want[v.FieldID] = v.State()
			}
			for _, v := range l.CustomFields {
				if v.Type != types[v.FieldID] {
					t.Errorf("lead %d field %d: type %q, dictionary %q", l.ID, v.FieldID, v.Type, types[v.FieldID])
				}
				if got := v.State(); got != want[v.FieldID] {
					t.Errorf("lead %d field %d (%s) %q: state %d, world %d", l.ID, v.FieldID, v.Type, v.Values, got, want[v.FieldID])
				}
				if count[v.Type] == nil {
					count[v.Type] = map[amo.FieldState]int{}
				}
				count[v.Type][v.State()]++
				delete(want, v.FieldID)
			}
			for id, st := range want {
				if st != amo.FieldEmpty {
					t.Errorf("lead %d: field %d (state %d) not decoded", l.ID, id, st)
				}
			}
		}
	})
	for _, typ := range amo.FieldTypes {
		if c := count[typ]; c[amo.FieldFilled] == 0 && typ != amo.FieldTypeMultitext { // multitext is on contacts
			t.Errorf("%s: no filled value synced (%v)", typ, c)
		}
	}
	if count[amo.FieldTypeCheckbox][amo.FieldUnchecked] == 0 || count[amo.FieldTypeFile][amo.FieldEmpty] == 0 {
		t.Errorf("no unchecked checkbox or empty file synced: %v", count)
	}
}
