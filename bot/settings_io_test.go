package bot

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"salesguard/checks"
)

// exported runs "/settings export" (or the menu's button) and returns the file's content.
func exported(t *testing.T, h *harness, viaButton bool) []byte {
	t.Helper()
	if viaButton {
		h.press(idAdmin, "\fset|x")
	} else {
		h.send(idAdmin, "en", "/settings export")
	}
	for _, c := range h.tg.take("setMyCommands") {
		if c.Method == "sendDocument" {
			if !strings.HasSuffix(c.Params["document"], ".json") {
				t.Errorf("file name %q", c.Params["document"])
			}
			return []byte(c.Params["document.data"])
		}
	}
	t.Fatal("no sendDocument")
	return nil
}

func TestSettingsExportImportRoundTrip(t *testing.T) {
	for _, viaButton := range []bool{false, true} {
		h := settingsHarness(t, "en")
		custom := checks.DefaultSettings()
		custom.R1.Limit = checks.Duration(25 * time.Minute)
		custom.Disabled = []checks.RuleID{checks.R7}
		custom.Calendar.Holidays = []checks.Date{date(t, "2026-05-01")}
		custom.Schedule.DigestChat = -100500
		if err := h.store.SaveSettings(custom, "config"); err != nil {
			t.Fatal(err)
		}
		data := exported(t, h, viaButton)
		h.store.settings, h.store.saves = nil, 0
		h.sendDoc(idAdmin, "salesguard-settings.json", data)
		if h.store.saves != 1 {
			t.Fatalf("saves = %d, want the import saved once", h.store.saves)
		}
		got, _ := json.Marshal(h.settings(t))
		want, _ := json.Marshal(custom)
		if string(got) != string(want) {
			t.Errorf("round trip:\n got %s\nwant %s", got, want)
		}
		if calls := h.tg.take(); !strings.Contains(calls[len(calls)-1].Params["text"], "imported") {
			t.Errorf("no confirmation: %+v", calls)
		}
	}
}

func TestSettingsImportBadFileChangesNothing(t *testing.T) {
	invalid := checks.DefaultSettings()
	invalid.R1.Limit = 0
	invalid.R13.PerManager = 0
	invalid.Calendar.TimeZone = "Mars/Olympus"
	bad, _ := json.Marshal(invalid)
	cases := []struct {
		name, file string
		data       string
		want       []string // every problem must be named
	}{
		{"invalid values", "s.json", string(bad), []string{"r1.limit", "r13.per_manager", "calendar.time_zone", "3 problems"}},
		{"not json", "s.json", "{r1: ", []string{"Nothing imported"}},
		{"unknown key", "s.json", `{"r1": {"limit": "5m", "escalate_factor": 2}, "typo": 1}`, []string{"typo"}},
		{"bad duration", "s.json", `{"r1": {"limit": "soon"}}`, []string{"Nothing imported"}},
		{"two values", "s.json", `{} {}`, []string{"Nothing imported"}},
		{"not a json file", "s.txt", `{}`, []string{".json"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := settingsHarness(t, "en")
			h.sendDoc(idAdmin, tc.file, []byte(tc.data))
			if h.store.saves != 0 {
				t.Fatalf("a bad file was saved")
			}
			calls := h.tg.take("setMyCommands", "getFile")
			if len(calls) != 1 {
				t.Fatalf("calls = %+v, want one answer", calls)
			}
			for _, w := range tc.want {
				if !strings.Contains(calls[0].Params["text"], w) {
					t.Errorf("answer lacks %q:\n%s", w, calls[0].Params["text"])
				}
			}
		})
	}
}

func TestSettingsImportPartialFileKeepsDefaults(t *testing.T) {
	h := settingsHarness(t, "en")
	h.sendDoc(idAdmin, "s.json", []byte(`{"r11": {"days": 60}}`))
	s := h.settings(t)
	if h.store.saves != 1 || s.R11.Days != 60 || s.R1.Limit.D() != 15*time.Minute {
		t.Errorf("saves %d, settings %+v", h.store.saves, s)
	}
}

func TestSettingsHistoryScreen(t *testing.T) {
	h := settingsHarness(t, "en")
	h.press(idAdmin, "\fset|t:r:R5")
	h.tg.take()
	h.press(idAdmin, "\fset|h")
	for _, c := range h.tg.take() {
		if c.Method == "editMessageText" {
			if !strings.Contains(c.Params["text"], "Ada") {
				t.Errorf("history lacks who:\n%s", c.Params["text"])
			}
			return
		}
	}
	t.Error("no history screen")
}

// TestSettingsImportDownloadFailureIsAnswered: when Telegram does not give the file, the admin
// is told, in their language, and nothing changes.
func TestSettingsImportDownloadFailureIsAnswered(t *testing.T) {
	h := settingsHarness(t, "en")
	h.tg.fail("getFile", `{"ok":false,"error_code":400,"description":"Bad Request: file is too big"}`)
	h.sendDoc(idAdmin, "s.json", []byte(`{}`))
	if h.store.saves != 0 {
		t.Fatal("saved without a file")
	}
	calls := h.tg.take("setMyCommands", "getFile")
	if len(calls) != 1 || !strings.Contains(calls[0].Params["text"], "could not download the file") {
		t.Fatalf("calls = %+v, want the failure explained", calls)
	}
}
