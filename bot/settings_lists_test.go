package bot

import (
	"slices"
	"strings"
	"testing"

	"salesguard/amo"
	"salesguard/checks"
)

func TestSettingsListsAcceptGoodRefuseBad(t *testing.T) {
	budget := checks.RequiredField{Entity: amo.EntityLeads, Field: 80, From: amo.StatusRef{PipelineID: 5, StatusID: 52}}
	phone := checks.RequiredField{Entity: amo.EntityContacts, Field: 81, From: amo.StatusRef{PipelineID: 6, StatusID: 61}}
	s51, s52, s61 := amo.StatusRef{PipelineID: 5, StatusID: 51}, amo.StatusRef{PipelineID: 5, StatusID: 52}, amo.StatusRef{PipelineID: 6, StatusID: 61}
	cases := []struct {
		name    string
		presses []string
		saves   int
		check   func(s checks.Settings) bool
	}{
		{"production on", []string{"cal", "t:prod:RU"}, 1, func(s checks.Settings) bool { return s.Calendar.Production == "RU" }},
		{"production off", []string{"t:prod:RU", "t:prod:RU"}, 2, func(s checks.Settings) bool { return s.Calendar.Production == "" }},
		{"production unknown", []string{"t:prod:XX"}, 0, func(s checks.Settings) bool { return s.Calendar.Production == "" }},
		{"from_amo", []string{"rq", "t:amo"}, 1, func(s checks.Settings) bool { return s.R10.FromAmo != checks.DefaultSettings().R10.FromAmo }},
		{"add a deal field", []string{"rq", "rqe", "rqf:l", "rqp:l:80", "rqs:l:80:5", "rq+:l:80:5:52"}, 1,
			func(s checks.Settings) bool { return slices.Equal(s.R10.Required, []checks.RequiredField{budget}) }},
		{"add a contact field", []string{"rq+:c:81:6:61"}, 1,
			func(s checks.Settings) bool { return slices.Equal(s.R10.Required, []checks.RequiredField{phone}) }},
		{"add twice", []string{"rq+:l:80:5:52", "rq+:l:80:5:52"}, 1,
			func(s checks.Settings) bool { return slices.Equal(s.R10.Required, []checks.RequiredField{budget}) }},
		{"add and remove", []string{"rq+:l:80:5:52", "rq+:c:81:6:61", "rq-:l:80:5:52"}, 3,
			func(s checks.Settings) bool { return slices.Equal(s.R10.Required, []checks.RequiredField{phone}) }},
		{"field of the other entity", []string{"rq+:c:80:5:52"}, 0, func(s checks.Settings) bool { return len(s.R10.Required) == 0 }},
		{"stage of another pipeline", []string{"rq+:l:80:6:51"}, 0, func(s checks.Settings) bool { return len(s.R10.Required) == 0 }},
		{"remove what is not there", []string{"rq-:l:80:5:52"}, 0, func(s checks.Settings) bool { return len(s.R10.Required) == 0 }},
		{"priority in order", []string{"pri", "pp:o:6", "st:o:6:61", "pp:o:5", "st:o:5:52", "st:o:5:51"}, 3,
			func(s checks.Settings) bool { return slices.Equal(s.Plan.Priority, []amo.StatusRef{s61, s52, s51}) }},
		{"priority press again removes", []string{"st:o:5:51", "st:o:5:52", "st:o:5:51"}, 3,
			func(s checks.Settings) bool { return slices.Equal(s.Plan.Priority, []amo.StatusRef{s52}) }},
		{"priority clear", []string{"st:o:5:51", "st:o:6:61", "t:pri"}, 3, func(s checks.Settings) bool { return len(s.Plan.Priority) == 0 }},
		{"priority unknown stage", []string{"st:o:5:61"}, 0, func(s checks.Settings) bool { return len(s.Plan.Priority) == 0 }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := settingsHarness(t, "en")
			for _, p := range tc.presses {
				h.press(idAdmin, "\fset|"+p)
			}
			s := h.settings(t)
			if h.store.saves != tc.saves || !tc.check(s) {
				t.Fatalf("saves = %d (want %d), settings %+v", h.store.saves, tc.saves, s)
			}
			if tc.saves > 0 && h.store.history[0].Who != "tg:100" {
				t.Errorf("change recorded as %q", h.store.history[0].Who)
			}
			if err := s.Validate(); err != nil {
				t.Errorf("saved settings are invalid: %v", err)
			}
		})
	}
}

// A production calendar Validate does not know is refused with the reason and what is
// allowed, and nothing is saved.
func TestSettingsProductionRefusedExplains(t *testing.T) {
	h := settingsHarness(t, "en")
	h.press(idAdmin, "\fset|t:prod:XX")
	calls := h.tg.take()
	if h.store.saves != 0 {
		t.Fatal("an unknown production calendar was saved")
	}
	i := slices.IndexFunc(calls, func(c call) bool { return c.Method == "answerCallbackQuery" })
	if i < 0 {
		t.Fatalf("no answer: %+v", calls)
	}
	text := calls[i].Params["text"]
	if !strings.Contains(text, "Russian production calendar") || !strings.Contains(text, "RU") || calls[i].Params["show_alert"] != "true" {
		t.Errorf("answer = %+v, want an alert naming the setting and the allowed values", calls[i].Params)
	}
}

// The list screens show the saved values, escaping CRM names.
func TestSettingsListScreensShowValues(t *testing.T) {
	h := settingsHarness(t, "en")
	for _, p := range []string{"rq+:l:80:5:52", "st:o:6:61", "t:prod:RU"} {
		h.press(idAdmin, "\fset|"+p)
	}
	for data, want := range map[string][]string{
		"rq":     {"Deal: Budget &lt;EUR&gt;, from Sales &lt;main&gt; → Missed call"},
		"pri":    {"1. Partners → Intro", "Clear the order"},
		"pp:o:6": {"1. Intro"},
		"cal":    {"✅ Russian production calendar (RU)"},
	} {
		h.tg.take()
		h.press(idAdmin, "\fset|"+data)
		calls := h.tg.take()
		i := slices.IndexFunc(calls, func(c call) bool { return c.Method == "editMessageText" })
		if i < 0 {
			t.Fatalf("%s: no redraw: %+v", data, calls)
		}
		all := calls[i].Params["text"] + calls[i].Params["reply_markup"]
		for _, w := range want {
			if !strings.Contains(all, w) {
				t.Errorf("%s: %q not in\n%s", data, w, all)
			}
		}
	}
}

func TestParseWords(t *testing.T) {
	cases := []struct {
		in   string
		want []string
		ok   bool
	}{
		{"-", []string{}, true},
		{"", []string{}, true},
		{"ок", []string{"ок"}, true},
		{" ок , done,,+ ", []string{"ок", "done", "+"}, true},
		{"listo\nhecho, listo", []string{"listo", "hecho"}, true},
		{"no answer, " + strings.Repeat("я", 50), []string{"no answer", strings.Repeat("я", 50)}, true},
		{strings.Repeat("я", 51), nil, false},
		{strings.Repeat("w,", maxTrivialWords) + "x", nil, true},
	}
	for _, tc := range cases {
		t.Run(cut(tc.in, 20), func(t *testing.T) {
			var got []string
			err := parseInto(&got, tc.in, nil)
			if (err == nil) != tc.ok {
				t.Fatalf("parseInto(%q) error = %v, want ok %v", tc.in, err, tc.ok)
			}
			if tc.ok && tc.want != nil && !slices.Equal(got, tc.want) {
				t.Errorf("parseInto(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}
