package bot

import (
	"strings"
	"testing"
	"time"

	"salesguard/checks"
	"salesguard/locales"
)

func TestDigestShowsFirstResponse(t *testing.T) {
	cat, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	d := checks.Digest{Day: checks.Date{Year: 2026, Month: 11, Day: 24}, Total: 1, Managers: []checks.ManagerDigest{{
		Manager: 7, Name: `<b>Ann</b> & "Co"`, Rank: 1, Total: 1, ByRule: []checks.RuleCount{{Rule: checks.R1, Count: 1}},
		Response: &checks.ResponseStat{Count: 4, WithinLimit: 3, Median: 9 * time.Minute},
	}}}
	tests := []struct{ lang, want string }{
		{"en", "median 9 min"},
		{"ru", "медиана 9 мин"},
		{"es", "mediana 9 min"},
	}
	for _, tt := range tests {
		text := NewRenderer(cat).Digest(d, nil, tt.lang).Text
		if !strings.Contains(text, tt.want) || !strings.Contains(text, "75") {
			t.Errorf("%s digest lacks the response line %q:\n%s", tt.lang, tt.want, text)
		}
		if strings.Contains(text, "<b>Ann</b>") || !strings.Contains(text, "&lt;b&gt;Ann&lt;/b&gt; &amp; &#34;Co&#34;") {
			t.Errorf("%s: the manager's name is not escaped:\n%s", tt.lang, text)
		}
	}
}
