package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

const hookSecret = "main-hook-secret-0123456789"

func TestConfigWebhooks(t *testing.T) {
	base := map[string]string{"AMO_BASE_URL": "https://example.amocrm.ru", "AMO_TOKEN": "tok"}
	with := func(kv ...string) map[string]string {
		m := map[string]string{}
		for k, v := range base {
			m[k] = v
		}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	secretFile := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(secretFile, []byte(hookSecret+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		env     map[string]string
		wantErr []string
		check   func(t *testing.T, c Config)
	}{
		{"defaults", with(), nil, func(t *testing.T, c Config) {
			if c.MetricsAddr != "" || c.PublicURL != "" || c.WebhookPoll != 10*time.Minute || c.Accounts[0].WebhookSecret != "" {
				t.Errorf("%+v", c)
			}
		}},
		{"the listener and its alias", with("METRICS_ADDR", ":9090"), nil, func(t *testing.T, c Config) {
			if c.MetricsAddr != ":9090" {
				t.Errorf("METRICS_ADDR alias: %q", c.MetricsAddr)
			}
		}},
		{"both names, one address", with("METRICS_ADDR", ":9090", "SALESGUARD_HTTP_ADDR", ":9090"), nil, nil},
		{"both names, two addresses", with("METRICS_ADDR", ":9090", "SALESGUARD_HTTP_ADDR", ":8080"), []string{"SALESGUARD_HTTP_ADDR", "differ"}, nil},
		{"webhooks", with("SALESGUARD_HTTP_ADDR", ":8080", "AMO_WEBHOOK_SECRET", hookSecret, "SALESGUARD_PUBLIC_URL", "https://sg.example.com/",
			"WEBHOOK_POLL_INTERVAL", "15m", "SALESGUARD_ACCOUNTS", "b", "AMO_B_BASE_URL", "https://b.kommo.com", "AMO_B_TOKEN", "t",
			"AMO_B_WEBHOOK_SECRET_FILE", secretFile), nil, func(t *testing.T, c Config) {
			if c.MetricsAddr != ":8080" || c.PublicURL != "https://sg.example.com" || c.WebhookPoll != 15*time.Minute {
				t.Errorf("%+v", c)
			}
			if c.Accounts[0].WebhookSecret != hookSecret || c.Accounts[1].WebhookSecret != hookSecret {
				t.Errorf("secrets: %q %q", c.Accounts[0].WebhookSecret, c.Accounts[1].WebhookSecret)
			}
			if s := c.String(); strings.Contains(s, hookSecret) || !strings.Contains(s, "webhook=set") {
				t.Errorf("String() does not mask the webhook secret: %s", s)
			}
		}},
		{"secret without the listener", with("AMO_WEBHOOK_SECRET", hookSecret), []string{"SALESGUARD_HTTP_ADDR is not"}, nil},
		{"short secret", with("SALESGUARD_HTTP_ADDR", ":8080", "AMO_WEBHOOK_SECRET", "abc"), []string{"AMO_WEBHOOK_SECRET: want 16 to 128"}, nil},
		{"secret with a slash", with("SALESGUARD_HTTP_ADDR", ":8080", "AMO_WEBHOOK_SECRET", "abcdefgh/ijklmnopq"), []string{"AMO_WEBHOOK_SECRET: want"}, nil},
		{"public URL without a secret", with("SALESGUARD_HTTP_ADDR", ":8080", "SALESGUARD_PUBLIC_URL", "https://sg.example.com"), []string{"no account has a webhook secret"}, nil},
		{"bad public URL", with("SALESGUARD_HTTP_ADDR", ":8080", "AMO_WEBHOOK_SECRET", hookSecret, "SALESGUARD_PUBLIC_URL", "sg.example.com"), []string{"SALESGUARD_PUBLIC_URL"}, nil},
		{"public URL with a query", with("SALESGUARD_HTTP_ADDR", ":8080", "AMO_WEBHOOK_SECRET", hookSecret, "SALESGUARD_PUBLIC_URL", "https://sg.example.com/?a=1"), []string{"without a query"}, nil},
		{"safety poll too short", with("WEBHOOK_POLL_INTERVAL", "30s"), []string{"WEBHOOK_POLL_INTERVAL"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := ConfigFromEnv(envOf(tt.env), true)
			if len(tt.wantErr) > 0 {
				if err == nil {
					t.Fatal("want a config error")
				}
				for _, w := range tt.wantErr {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error %q does not mention %q", err, w)
					}
				}
				if strings.Contains(err.Error(), hookSecret) || strings.Contains(err.Error(), "abcdefgh/ijk") {
					t.Errorf("the problem shows the secret: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tt.check != nil {
				tt.check(t, c)
			}
		})
	}
}

// TestWebhooksCommand manages the subscription by hand against the sandbox: add is
// idempotent, list hides the secret, remove takes it away.
func TestWebhooksCommand(t *testing.T) {
	_, base := startSandbox(t, time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC))
	env := map[string]string{"AMO_BASE_URL": base, "AMO_TOKEN": "tok", "AMO_RATE_LIMIT": "0",
		"SALESGUARD_DB": filepath.Join(t.TempDir(), "db"), "SALESGUARD_HTTP_ADDR": "127.0.0.1:0",
		"AMO_WEBHOOK_SECRET": hookSecret, "SALESGUARD_PUBLIC_URL": "https://sg.example.com"}
	do := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := run(context.Background(), append([]string{"webhooks"}, args...), envOf(env), &out, &errb)
		return code, out.String(), errb.String()
	}
	if code, out, _ := do("list"); code != 0 || !strings.Contains(out, "no webhooks") {
		t.Fatalf("list before: %d %q", code, out)
	}
	if code, out, errs := do("add"); code != 0 || !strings.Contains(out, "webhook subscribed: https://sg.example.com/amocrm/webhook/main/<secret>") {
		t.Fatalf("add: %d %q %q", code, out, errs)
	}
	if code, out, _ := do("add"); code != 0 || !strings.Contains(out, "already subscribed") {
		t.Fatalf("add again: %d %q", code, out)
	}
	code, out, _ := do("list")
	if code != 0 || !strings.Contains(out, "(this service)") || !strings.Contains(out, "enabled") {
		t.Fatalf("list: %d %q", code, out)
	}
	if code, out, _ := do("remove"); code != 0 || !strings.Contains(out, "webhook removed") {
		t.Fatalf("remove: %d %q", code, out)
	}
	if code, out, _ := do("list"); code != 0 || !strings.Contains(out, "no webhooks") {
		t.Fatalf("list after: %d %q", code, out)
	}
	for _, args := range [][]string{{}, {"purge"}, {"list", "extra"}, {"add", "--account", "nope"}} {
		if code, _, _ := do(args...); code != 2 {
			t.Errorf("webhooks %v: exit %d, want 2", args, code)
		}
	}
	all := out
	for _, args := range [][]string{{"list"}, {"add"}, {"remove"}} {
		_, o, e := do(args...)
		all += o + e
	}
	if strings.Contains(all, hookSecret) {
		t.Errorf("the secret appears in the output: %s", all)
	}
}

// logWatch collects what is written and lets a test wait for a line.
type logWatch struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	note chan struct{}
}

func (w *logWatch) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	select {
	case w.note <- struct{}{}:
	default:
	}
	return w.buf.Write(p)
}

func (w *logWatch) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// waitFor waits until the output holds want; the real-time bound only guards against a hang.
func (w *logWatch) waitFor(t *testing.T, want string, exited <-chan int) {
	t.Helper()
	guard := time.After(60 * time.Second)
	for !strings.Contains(w.String(), want) {
		select {
		case <-w.note:
		case code := <-exited:
			t.Fatalf("run exited %d: %s", code, w.String())
		case <-guard:
			t.Fatalf("no %q in the log: %s", want, w.String())
		}
	}
}

// TestRunTakesWebhooks runs the service as `salesguard run` does: it subscribes itself in the
// sandbox under SALESGUARD_PUBLIC_URL, and the sandbox's webhook reaches the one listener that
// also serves /metrics; the secret never appears in the log.
func TestRunTakesWebhooks(t *testing.T) {
	sim, base := startSandbox(t, time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // the service listens there; a port taken meanwhile fails the test, not silently
	env := map[string]string{"AMO_BASE_URL": base, "AMO_TOKEN": "tok", "AMO_RATE_LIMIT": "0", "LOG_LEVEL": "debug",
		"SALESGUARD_DB": filepath.Join(t.TempDir(), "db"), "SALESGUARD_HTTP_ADDR": addr,
		"AMO_WEBHOOK_SECRET": hookSecret, "SALESGUARD_PUBLIC_URL": "http://" + addr}
	logs := &logWatch{note: make(chan struct{}, 1)}
	ctx, cancel := context.WithCancel(context.Background())
	exited := make(chan int, 1)
	go func() { exited <- run(ctx, []string{"run"}, envOf(env), io.Discard, logs) }()
	logs.waitFor(t, "amoCRM webhook registered", exited)
	logs.waitFor(t, "account ready", exited)
	sim.NewLead(time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC), sim.Managers()[0])
	logs.waitFor(t, `msg="amoCRM webhook"`, exited)
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), `salesguard_amocrm_webhooks_total{account="main",result="ok"}`) {
		t.Errorf("/metrics does not count the webhook")
	}
	cancel()
	if code := <-exited; code != 0 {
		t.Errorf("run exit %d", code)
	}
	if strings.Contains(logs.String(), hookSecret) {
		t.Errorf("the webhook secret appears in the log")
	}
}
