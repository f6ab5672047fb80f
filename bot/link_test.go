package bot

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"salesguard/notify"
)

// syncBuffer is a log sink safe for the bot's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestConnectsInBackground: the bot is built and started while the Bot API fails; it makes
// no call in New, reports each state once, keeps the outbox waiting (ErrOffline) and retries
// with back-off on the fake clock until Telegram answers; then it publishes the menus, polls,
// and sends.
func TestConnectsInBackground(t *testing.T) {
	const token = "777:SECRET-link-token"
	tg := newFakeTelegram(t)
	tg.fail("getMe", `{"ok":false,"error_code":502,"description":"Bad Gateway"}`)
	tg.fail("getMe", `{"ok":false,"error_code":401,"description":"Unauthorized"}`)
	tg.fail("getMe", `{"ok":false,"error_code":401,"description":"Unauthorized"}`)
	clock := clockwork.NewFakeClockAt(fixtureNow)
	links := make(chan Link, 16)
	logs := &syncBuffer{}
	b, err := New(Config{Token: token, APIURL: tg.URL, Account: "acme", Admins: []int64{idAdmin}},
		Deps{Store: newFakeStore(), Source: fixtureSource(), Catalog: mustCatalog(t), Clock: clock,
			Logger: slog.New(slog.NewTextHandler(logs, nil)), OnLink: func(l Link) { links <- l }})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	if n := len(tg.take()); n != 0 {
		t.Fatalf("New made %d Bot API calls; want none", n)
	}
	if st := b.Link().State; st != LinkConnecting {
		t.Fatalf("state before Start = %s", st)
	}
	_, err = b.Notifier().Send(context.Background(), notify.Message{ChatID: 42, Text: "hi"})
	if !errors.Is(err, notify.ErrOffline) {
		t.Fatalf("Send before connecting: %v; want ErrOffline", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer func() { cancel(); b.Stop() }()
	b.Start(ctx)

	want := func(state LinkState) Link {
		t.Helper()
		select {
		case l := <-links:
			if l.State != state {
				t.Fatalf("link state %s (%s); want %s", l.State, l.Err, state)
			}
			return l
		case <-time.After(10 * time.Second): // a guard against a hang
			t.Fatalf("no link state %s reported", state)
		}
		return Link{}
	}
	want(LinkUnreachable)
	// Back-off: 1 s, then 2 s, then 4 s; each retry waits on the fake clock.
	for _, d := range []time.Duration{time.Second, 2 * time.Second} {
		if err := clock.BlockUntilContext(ctx, 1); err != nil {
			t.Fatal(err)
		}
		clock.Advance(d)
		if d == time.Second {
			l := want(LinkUnauthorized)
			if strings.Contains(l.Err, token) {
				t.Errorf("link error shows the token: %s", l.Err)
			}
		}
	}
	if err := clock.BlockUntilContext(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if got := tg.count("getMe"); got != 3 {
		t.Errorf("getMe calls before the third wait = %d; want 3 (no retry without waiting)", got)
	}
	clock.Advance(4 * time.Second)
	want(LinkConnected)
	if b.Username() != "sg_bot" {
		t.Errorf("username not taken from getMe")
	}
	deadline := time.After(10 * time.Second)
	for tg.count("getUpdates") == 0 || tg.count("setMyCommands") == 0 {
		select {
		case <-deadline:
			t.Fatalf("after connecting: getUpdates %d, setMyCommands %d", tg.count("getUpdates"), tg.count("setMyCommands"))
		case <-time.After(5 * time.Millisecond): // polling the fake server's record, not waiting for time to pass
		}
	}
	if _, err := b.Notifier().Send(context.Background(), notify.Message{ChatID: 42, Text: "hi"}); err != nil {
		t.Fatalf("Send once connected: %v", err)
	}
	cancel()
	b.Stop()
	out := logs.String()
	if strings.Contains(out, token) || strings.Contains(out, "SECRET") {
		t.Errorf("the token reached the log:\n%s", out)
	}
	for _, line := range []string{"telegram unreachable", "telegram refused the bot token", "telegram connected"} {
		if n := strings.Count(out, line); n != 1 {
			t.Errorf("%q logged %d times; want once:\n%s", line, n, out)
		}
	}
}
