package bot

import (
	"strings"
	"testing"

	"salesguard/amo"
)

// Fuzz targets for the team list and team chat buttons (issue 11): each parser refuses what
// its builder cannot have written and reads back exactly what the builder wrote.

func FuzzParseTeamData(f *testing.F) {
	for _, s := range []string{"p:t:0", "p:m:9999", "i:t:0:3", "i:m:12:9223372036854775807", "p:t:10000", "p:t:-1",
		"p:t:01", "p:t:+1", "i:t:0:0", "i:t:0:-3", "i:t:0:+3", "i:t:0", "p:x:0", "p:t:0:1", "i:t:0:3:4", "x:t:0", "", ":::"} {
		f.Add(s, true, 0, int64(3))
	}
	f.Fuzz(func(t *testing.T, s string, managers bool, page int, user int64) {
		a, ok := parseTeamData(s)
		if ok {
			if (a.view != viewTeam && a.view != viewManagers) || a.page < 0 || a.page > maxListPage || a.invite < 0 {
				t.Fatalf("parseTeamData(%q) = %+v", s, a)
			}
			if teamData(a) != s {
				t.Fatalf("parseTeamData(%q) = %+v writes back as %q", s, a, teamData(a))
			}
		} else if a != (teamAction{}) {
			t.Fatalf("refused %q but returned %+v", s, a)
		}
		want := teamAction{view: viewTeam, page: page}
		if managers {
			want.view = viewManagers
		}
		if user > 0 {
			want.invite = amo.UserID(user)
		}
		data := teamData(want)
		got, ok := parseTeamData(data)
		if wantOK := page >= 0 && page <= maxListPage; ok != wantOK || ok && got != want || len(data) > maxCallbackData {
			t.Fatalf("teamData(%+v) = %q reads back as %+v, %v", want, data, got, ok)
		}
	})
}

func FuzzParseGroupData(f *testing.F) {
	for _, s := range []string{"y:-42", "n:-1001234567890", "y:42", "y:0", "y:-0", "y:-042", "x:-42", "y:", "y-42", "y:-42:1",
		"n:-9223372036854775808", "y:-9223372036854775809", ""} {
		f.Add(s, true, int64(-42))
	}
	f.Fuzz(func(t *testing.T, s string, yes bool, chat int64) {
		confirm, id, ok := parseGroupData(s)
		if ok {
			if id >= 0 || groupData(confirm, id) != s {
				t.Fatalf("parseGroupData(%q) = %v, %d", s, confirm, id)
			}
		} else if confirm || id != 0 {
			t.Fatalf("refused %q but returned %v, %d", s, confirm, id)
		}
		data := groupData(yes, chat)
		c2, id2, ok := parseGroupData(data)
		if ok != (chat < 0) || ok && (c2 != yes || id2 != chat) || len(data) > maxCallbackData {
			t.Fatalf("groupData(%v, %d) = %q reads back as %v, %d, %v", yes, chat, data, c2, id2, ok)
		}
		if strings.ContainsAny(data, " \n") {
			t.Fatalf("groupData wrote %q", data)
		}
	})
}
