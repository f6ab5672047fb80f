package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// watchWriter collects what is written and signals when a line contains want.
type watchWriter struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	want string
	hit  chan struct{}
	once sync.Once
}

func (w *watchWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if bytes.Contains(p, []byte(w.want)) {
		w.once.Do(func() { close(w.hit) })
	}
	return w.buf.Write(p)
}

func (w *watchWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// fakeTelegram answers the Bot API; the first sendMessage breaks the connection, as a network
// failure does, so the error names the request URL (which carries the token).
func fakeTelegram(t *testing.T, done <-chan struct{}) (*httptest.Server, func() string) {
	var mu sync.Mutex
	var bodies bytes.Buffer
	sends := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies.Write(body)
		method := r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:]
		if method == "sendMessage" {
			sends++
		}
		first := method == "sendMessage" && sends == 1
		mu.Unlock()
		switch {
		case first:
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close()
			}
			return
		case method == "getUpdates":
			select { // long polling: answer when the test ends
			case <-done:
			case <-r.Context().Done():
			}
			_ = json.NewEncoder(w).Encode(map[string]any{"ok": true, "result": []any{}})
			return
		case method == "getMe":
			_ = json.NewEncoder(w).Encode(map[string]any{"ok": true, "result": map[string]any{"id": 1, "is_bot": true, "username": "sg_bot", "first_name": "SG"}})
			return
		case method == "sendMessage":
			_ = json.NewEncoder(w).Encode(map[string]any{"ok": true, "result": map[string]any{"message_id": sends, "date": 1, "chat": map[string]any{"id": 42}}})
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"ok": true, "result": true})
	}))
	t.Cleanup(srv.Close)
	return srv, func() string {
		mu.Lock()
		defer mu.Unlock()
		return bodies.String()
	}
}

func TestNoSecretInLogsOrMessages(t *testing.T) {
	const amoToken, tgToken = "amo-SECRET-7f3a9c", "123456:TG-SECRET-b81e"
	msk, _ := time.LoadLocation("Europe/Moscow")
	_, base := startSandbox(t, time.Date(2026, 11, 24, 12, 0, 0, 0, msk)) // its token is "tok": ours is refused
	done := make(chan struct{})
	tg, bodies := fakeTelegram(t, done)
	env := map[string]string{
		"AMO_BASE_URL": base, "AMO_TOKEN": amoToken, "TELEGRAM_TOKEN": tgToken, "TELEGRAM_API_URL": tg.URL,
		"SALESGUARD_ADMINS": "42", "SALESGUARD_DB": filepath.Join(t.TempDir(), "db"), "LOG_LEVEL": "debug",
	}
	logs := &watchWriter{want: "delivery failed", hit: make(chan struct{})}
	var stdout bytes.Buffer
	ctx, cancel := context.WithCancel(context.Background())
	exited := make(chan int)
	go func() { exited <- run(ctx, []string{"run"}, envOf(env), &stdout, logs) }()
	select {
	case <-logs.hit:
	case code := <-exited:
		t.Fatalf("run exited %d early: %s", code, logs.String())
	case <-time.After(60 * time.Second): // a guard against a hang, not a wait for time to pass
		t.Fatalf("no delivery failure logged: %s", logs.String())
	}
	cancel()
	close(done)
	if code := <-exited; code != 0 {
		t.Errorf("run exit %d", code)
	}
	all := logs.String() + stdout.String() + bodies()
	for _, secret := range []string{amoToken, tgToken, "TG-SECRET"} {
		if strings.Contains(all, secret) {
			t.Errorf("secret %q appears in the output:\n%s", secret, all)
		}
	}
	if !strings.Contains(logs.String(), "<token>") {
		t.Errorf("the failed request was not logged with the token masked:\n%s", logs.String())
	}
	if sent := bodies(); !strings.Contains(sent, "rejects the token") && !strings.Contains(sent, "токен") {
		t.Errorf("the admin was not told about the rejected token: %s", sent)
	}
}
