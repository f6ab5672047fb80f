package app

import (
	"testing"
	"time"

	"salesguard/bot"
)

// TestBotStoreInvites: /team shows the invites still usable, and only this account's.
func TestBotStoreInvites(t *testing.T) {
	s := openBotStore(t)
	now := s.clock.Now()
	for _, inv := range []bot.Invite{
		{Code: "live", Role: bot.RoleManager, AmoUserID: 3, CreatedBy: 100, ExpiresAt: now.Add(time.Hour)},
		{Code: "dead", Role: bot.RoleHead, CreatedBy: 100, ExpiresAt: now.Add(-time.Minute)},
		{Code: "used", Role: bot.RoleManager, AmoUserID: 4, CreatedBy: 100, ExpiresAt: now.Add(time.Hour)},
	} {
		if err := s.PutInvite(inv); err != nil {
			t.Fatal(err)
		}
	}
	if _, ok, err := s.TakeInvite("used"); err != nil || !ok {
		t.Fatalf("take: %v %v", ok, err)
	}
	got, err := s.Invites()
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Code != "live" || got[0].AmoUserID != 3 || got[0].Account != "acme" ||
		got[0].Role != bot.RoleManager || !got[0].ExpiresAt.Equal(now.Add(time.Hour)) {
		t.Errorf("invites = %+v, want the live one", got)
	}
}
