package storage

import (
	"testing"
	"time"
)

func TestInvitesListsUsableOnes(t *testing.T) {
	db := mustOpen(t)
	for _, inv := range []Invite{
		{Code: "a", Account: "main", Role: RoleManager, AmoUserID: 3, ExpiresAt: t0.Add(time.Hour)},
		{Code: "b", Account: "main", Role: RoleHead, ExpiresAt: t0},                 // expired at t0
		{Code: "c", Account: "other", Role: RoleHead, ExpiresAt: t0.Add(time.Hour)}, // another account
		{Code: "d", Account: "main", Role: RoleHead},                                // never expires
		{Code: "e", Account: "main", Role: RoleManager, ExpiresAt: t0.Add(time.Hour)},
	} {
		if err := db.PutInvite(inv); err != nil {
			t.Fatalf("put %s: %v", inv.Code, err)
		}
	}
	if _, err := db.TakeInvite("e", t0); err != nil { // used
		t.Fatalf("take: %v", err)
	}
	got, err := db.Invites("main", t0)
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, inv := range got {
		codes = append(codes, inv.Code)
	}
	if len(codes) != 2 || codes[0] != "a" || codes[1] != "d" || got[0].AmoUserID != 3 {
		t.Errorf("invites = %+v, want a and d", got)
	}
}
