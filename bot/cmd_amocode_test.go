package bot

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"testing"

	"salesguard/amo"
)

// fakeCodes is a CodeReceiver that records the codes it gets and answers err.
type fakeCodes struct {
	mu  sync.Mutex
	got []string // "account code"
	err error
}

func (f *fakeCodes) UseAuthCode(_ context.Context, account, code string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.got = append(f.got, account+" "+code)
	return f.err
}

func (f *fakeCodes) calls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.got...)
}

const secretCode = "def50200SECRETcode"

// newAmocodeHarness is the fixture bot with a code receiver and a log that is kept.
func newAmocodeHarness(t *testing.T, err error) (*harness, *fakeCodes, *bytes.Buffer) {
	t.Helper()
	h := newHarness(t, "")
	codes := &fakeCodes{err: err}
	h.bot.codes = codes
	var log bytes.Buffer
	h.bot.log = slog.New(slog.NewTextHandler(&log, &slog.HandlerOptions{Level: slog.LevelDebug}))
	return h, codes, &log
}

// assertNoCode fails when the code shows up in any Bot API call or in the log.
func assertNoCode(t *testing.T, calls []call, log *bytes.Buffer) {
	t.Helper()
	for _, c := range calls {
		for k, v := range c.Params {
			if strings.Contains(v, "SECRET") {
				t.Errorf("%s %s echoes the code: %q", c.Method, k, v)
			}
		}
	}
	if strings.Contains(log.String(), "SECRET") {
		t.Errorf("the log holds the code: %s", log)
	}
}

func TestAmocodeDeletesTheMessageAndAnswersInTheAdminsLanguage(t *testing.T) {
	for _, tt := range []struct {
		name, lang string
		err        error
		key        string
	}{
		{"accepted", "en", nil, "bot.amocode.ok"},
		{"accepted in Russian", "ru", nil, "bot.amocode.ok"},
		{"refused in Spanish", "es", fmt.Errorf("%w: %w: refused", amo.ErrReauthorize, amo.ErrCodeRefused), "bot.amocode.refused"},
		{"amoCRM unreachable", "en", errors.New("oauth authorization_code grant: dial tcp: connection refused"), "bot.amocode.failed"},
		{"long-lived token", "ru", amo.ErrNotOAuth, "bot.amocode.not_oauth"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h, codes, log := newAmocodeHarness(t, tt.err)
			h.send(idAdmin, tt.lang, "/amocode  "+secretCode+" ")
			calls := h.tg.take("setMyCommands")
			if len(calls) != 2 || calls[0].Method != "deleteMessage" || calls[1].Method != "sendMessage" {
				t.Fatalf("calls = %+v, want deleteMessage then sendMessage", calls)
			}
			if calls[0].Params["message_id"] != strconv.Itoa(h.msgID) || calls[0].Params["chat_id"] != strconv.FormatInt(idAdmin, 10) {
				t.Errorf("deleted %v, want message %d of chat %d", calls[0].Params, h.msgID, idAdmin)
			}
			if want := esc(mustCatalog(t).Printer(tt.lang).T(tt.key)); calls[1].Params["text"] != want {
				t.Errorf("answer %q, want %q", calls[1].Params["text"], want)
			}
			if got := codes.calls(); len(got) != 1 || got[0] != "acme "+secretCode {
				t.Errorf("receiver got %q, want the trimmed code for account acme", got)
			}
			assertNoCode(t, calls, log)
		})
	}
}

func TestAmocodeRefusesOthersAndExplains(t *testing.T) {
	h, codes, log := newAmocodeHarness(t, nil)
	en := mustCatalog(t).Printer("en")
	h.send(idManager, "en", "/amocode "+secretCode)
	calls := h.tg.take("setMyCommands")
	if len(calls) != 1 || calls[0].Params["text"] != esc(en.T("bot.error.forbidden")) {
		t.Fatalf("manager: %+v, want forbidden", calls)
	}
	h.send(idAdmin, "en", "/amocode")
	calls = append(calls, h.tg.take("setMyCommands")...)
	if len(calls) != 2 || calls[1].Method != "sendMessage" || calls[1].Params["text"] != esc(en.T("bot.amocode.usage")) {
		t.Fatalf("no code: %+v, want the usage and nothing deleted", calls[1:])
	}
	h.send(idAdmin, "en", "/amocode "+strings.Repeat("x", maxAuthCode+1))
	got := h.tg.take("setMyCommands")
	if len(got) != 2 || got[0].Method != "deleteMessage" || got[1].Params["text"] != esc(en.T("bot.amocode.malformed")) {
		t.Fatalf("malformed code: %+v, want it deleted and explained", got)
	}
	if n := len(codes.calls()); n != 0 {
		t.Errorf("receiver called %d times, want 0", n)
	}
	assertNoCode(t, calls, log)
}

func TestAmocodeWhenTheMessageCannotBeDeleted(t *testing.T) {
	h, codes, log := newAmocodeHarness(t, nil)
	h.tg.fail("deleteMessage", `{"ok":false,"error_code":400,"description":"Bad Request: message can't be deleted"}`)
	h.sendGroup(idAdmin, "/amocode "+secretCode)
	calls := h.tg.take("setMyCommands")
	en := mustCatalog(t).Printer("en")
	want := esc(en.T("bot.amocode.ok")) + "\n\n" + esc(en.T("bot.amocode.not_deleted"))
	if len(calls) != 2 || calls[1].Params["text"] != want || calls[1].Params["chat_id"] != "-42" {
		t.Fatalf("calls = %+v, want the answer with the deletion notice in the group", calls)
	}
	if len(codes.calls()) != 1 {
		t.Error("the code was not used")
	}
	assertNoCode(t, calls, log)
}

func TestAmocodeWithoutReceiver(t *testing.T) {
	h := newHarness(t, "")
	h.send(idAdmin, "es", "/amocode "+secretCode)
	calls := h.tg.take("setMyCommands")
	if len(calls) != 2 || calls[0].Method != "deleteMessage" ||
		calls[1].Params["text"] != esc(mustCatalog(t).Printer("es").T("bot.amocode.unavailable")) {
		t.Fatalf("calls = %+v, want the message deleted and AMO_AUTH_CODE explained", calls)
	}
}
