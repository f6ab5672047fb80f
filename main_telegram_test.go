package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestRunWithoutTelegram starts the service while the Bot API is unreachable and while it
// refuses the token: the service keeps polling amoCRM, fills the outbox, says what is wrong in
// the log and on /healthz, and no line anywhere carries the token.
func TestRunWithoutTelegram(t *testing.T) {
	const tgToken = "424242:TG-SECRET-c0ffee"
	refusing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = io.WriteString(w, `{"ok":false,"error_code":401,"description":"Unauthorized"}`)
	}))
	t.Cleanup(refusing.Close)
	down := httptest.NewServer(http.NotFoundHandler())
	downURL := down.URL
	down.Close() // nothing listens there any more: connections are refused

	tests := []struct {
		name, apiURL, logLine, health string
		healthCode                    int
	}{
		{"unreachable", downURL, "telegram unreachable", "telegram: unreachable", http.StatusOK},
		{"token refused", refusing.URL, "telegram refused the bot token", "telegram: unauthorized", http.StatusServiceUnavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, base := startSandbox(t, time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC))
			env := map[string]string{
				"AMO_BASE_URL": base, "AMO_TOKEN": "tok", "AMO_RATE_LIMIT": "0",
				"TELEGRAM_TOKEN": tgToken, "TELEGRAM_API_URL": tt.apiURL,
				"SALESGUARD_ADMINS": "42", "SALESGUARD_DB": filepath.Join(t.TempDir(), "db"),
				"LOG_LEVEL": "debug", "METRICS_ADDR": "127.0.0.1:0",
			}
			logs := &watchWriter{want: "delivery waits for the channel", hit: make(chan struct{})}
			var stdout bytes.Buffer
			ctx, cancel := context.WithCancel(context.Background())
			exited := make(chan int)
			go func() { exited <- run(ctx, []string{"run"}, envOf(env), &stdout, logs) }()
			select {
			case <-logs.hit: // synced, checked, enqueued, and delivery waits for the bot
			case code := <-exited:
				t.Fatalf("run exited %d while Telegram is %s:\n%s", code, tt.name, logs.String())
			case <-time.After(60 * time.Second): // a guard against a hang
				t.Fatalf("the outbox never waited for the bot:\n%s", logs.String())
			}
			out := logs.String()
			for _, want := range []string{tt.logLine, `msg="account ready"`} {
				if !strings.Contains(out, want) {
					t.Errorf("log lacks %q:\n%s", want, out)
				}
			}
			addr := regexp.MustCompile(`msg="metrics listening" addr=(\S+)`).FindStringSubmatch(out)
			if addr == nil {
				t.Fatalf("no metrics address in the log:\n%s", out)
			}
			resp, err := http.Get("http://" + addr[1] + "/healthz")
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tt.healthCode || !strings.Contains(string(body), tt.health) {
				t.Errorf("/healthz = %d %q; want %d with %q", resp.StatusCode, body, tt.healthCode, tt.health)
			}
			cancel()
			if code := <-exited; code != 0 {
				t.Errorf("run exit %d", code)
			}
			all := logs.String() + stdout.String() + string(body)
			if strings.Contains(all, tgToken) || strings.Contains(all, "TG-SECRET") {
				t.Errorf("the token appears in the output:\n%s", all)
			}
		})
	}
}
