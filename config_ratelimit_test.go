package main

import (
	"context"
	"log/slog"
	"math"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"salesguard/amo"
	"salesguard/amo/sandbox"
)

func TestConfigRateLimit(t *testing.T) {
	const real, local = "https://example.amocrm.ru", "http://127.0.0.1:8765"
	tests := []struct {
		name, base, rate string
		want             float64
		wantErr          string // substring; "" = valid
	}{
		{"unset", real, "", 7, ""},
		{"7 on amoCRM", real, "7", 7, ""},
		{"50 on amoCRM", real, "50", 50, ""},
		{"0 on 127.0.0.1", local, "0", 0, ""},
		{"0 on localhost", "http://localhost:8765", "0", 0, ""},
		{"0 on ::1", "http://[::1]:8765", "0", 0, ""},
		{"0 on 127.8.9.10", "http://127.8.9.10", "0.0", 0, ""},
		{"1000 on loopback", local, "1000", 1000, ""},
		{"0 on amoCRM", real, "0", 0, "AMO_RATE_LIMIT=0 (unlimited) is only allowed for a loopback AMO_BASE_URL (the sandbox); amoCRM bans clients above 7 requests per second"},
		{"0 on a look-alike host", "http://localhost.example.com", "0", 0, "only allowed for a loopback"},
		{"0 on a private address", "http://192.168.1.5:8765", "0", 0, "only allowed for a loopback"},
		{"51 on amoCRM", real, "51", 0, `AMO_RATE_LIMIT="51": want a number from 0.1 to 50`},
		{"1001 on loopback", local, "1001", 0, "want a number from 0.1 to 1000 (or 0 for no limit"},
		{"NaN", real, "NaN", 0, `AMO_RATE_LIMIT="NaN": want a number`},
		{"NaN on loopback", local, "nan", 0, "want a number"},
		{"Inf", real, "Inf", 0, "want a number"},
		{"-Inf on loopback", local, "-Inf", 0, "want a number"},
		{"-1", real, "-1", 0, "want a number"},
		{"-1 on loopback", local, "-1", 0, "want a number"},
		{"not a number", real, "fast", 0, "want a number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := map[string]string{"AMO_BASE_URL": tt.base, "AMO_TOKEN": "tok", "AMO_RATE_LIMIT": tt.rate}
			c, err := ConfigFromEnv(envOf(env), true)
			if tt.wantErr != "" {
				if err == nil || !IsConfigError(err) || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := c.Accounts[0].RateLimit; got != tt.want {
				t.Errorf("RateLimit = %g, want %g", got, tt.want)
			}
		})
	}
}

func TestConfigRateLimitNamedAccount(t *testing.T) {
	env := map[string]string{
		"AMO_BASE_URL": "http://127.0.0.1:1", "AMO_TOKEN": "t", "AMO_RATE_LIMIT": "0",
		"SALESGUARD_ACCOUNTS": "client-b", "AMO_CLIENT_B_BASE_URL": "https://b.kommo.com",
		"AMO_CLIENT_B_TOKEN": "u", "AMO_CLIENT_B_RATE_LIMIT": "0",
	}
	_, err := ConfigFromEnv(envOf(env), true)
	want := "AMO_CLIENT_B_RATE_LIMIT=0 (unlimited) is only allowed for a loopback AMO_CLIENT_B_BASE_URL"
	if err == nil || !strings.Contains(err.Error(), want) || strings.Count(err.Error(), "unlimited") != 1 {
		t.Fatalf("error %v, want only the second account refused", err)
	}
}

func TestConfigRateLimitWithoutAccount(t *testing.T) {
	c, err := ConfigFromEnv(envOf(map[string]string{"AMO_RATE_LIMIT": "0"}), false)
	if err != nil || len(c.Accounts) != 0 {
		t.Fatalf("a stray AMO_RATE_LIMIT without an account: %v, %d accounts", err, len(c.Accounts))
	}
}

func TestClientRateLimit(t *testing.T) {
	tests := []struct {
		base string
		rate float64
		want float64
	}{
		{"http://127.0.0.1:8765", 0, amo.Unlimited},
		{"http://localhost", 0, amo.Unlimited},
		{"https://example.amocrm.ru", 0, 0}, // amo's default 7, never unlimited
		{"http://127.0.0.1:8765", 7, 7},
	}
	for _, tt := range tests {
		if got := clientRateLimit(AccountConfig{BaseURL: tt.base, RateLimit: tt.rate}); got != tt.want {
			t.Errorf("clientRateLimit(%s, %g) = %g, want %g", tt.base, tt.rate, got, tt.want)
		}
	}
}

func TestAmoConfigRateLimit(t *testing.T) {
	tests := []struct {
		name    string
		base    string
		rate    float64
		wantErr string
	}{
		{"default", "https://example.amocrm.ru", 0, ""},
		{"7", "https://example.amocrm.ru", 7, ""},
		{"unlimited on loopback", "http://127.0.0.1:8765", amo.Unlimited, ""},
		{"unlimited on amoCRM", "https://example.amocrm.ru", amo.Unlimited, "only allowed for a loopback"},
		{"negative", "http://127.0.0.1:8765", -2, "negative"},
		{"NaN", "http://127.0.0.1:8765", math.NaN(), "not a number"},
		{"Inf", "https://example.amocrm.ru", math.Inf(1), "not a number"},
		{"-Inf", "https://example.amocrm.ru", math.Inf(-1), "not a number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := amo.Config{BaseURL: tt.base, Token: "t", RateLimit: tt.rate}.Validate()
			if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Errorf("Validate() = %v, want %q", err, tt.wantErr)
			}
		})
	}
}

// TestUnlimitedClientNeverWaits makes many requests on a fake clock that never moves: with a
// limit the client would block on its limiter.
func TestUnlimitedClientNeverWaits(t *testing.T) {
	w := sandbox.NewWorld(time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC))
	sandbox.BuildShape(w, sandbox.Shape{Leads: 10}, 1)
	srv := httptest.NewServer(sandbox.NewServer(w, sandbox.Config{Token: "tok"}))
	defer srv.Close()
	c, err := amo.New(amo.Config{BaseURL: srv.URL, Token: "tok", RateLimit: clientRateLimit(AccountConfig{BaseURL: srv.URL}),
		Clock: clockwork.NewFakeClock(), Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second) // a guard, not a measure
	defer cancel()
	for i := range 20 {
		if _, err := c.Account(ctx); err != nil {
			t.Fatalf("request %d: %v", i+1, err)
		}
	}
	if n := c.Requests(); n != 20 {
		t.Errorf("%d requests, want 20", n)
	}
}
