package app

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

type fakeBackup struct{}

func (fakeBackup) Backup(w io.Writer) (int64, error) {
	n, err := io.WriteString(w, "DB")
	return int64(n), err
}

// TestBackupNeedsItsToken: /backup serves the database copy only with the token, and only to
// loopback unless the token was configured for remote backups.
func TestBackupNeedsItsToken(t *testing.T) {
	const token = "0123456789abcdef0123"
	tests := []struct {
		name   string
		auth   BackupAuth
		remote string
		header string
		want   int
	}{
		{"loopback with the token", BackupAuth{Token: token}, "127.0.0.1:5000", "Bearer " + token, http.StatusOK},
		{"loopback without a token", BackupAuth{Token: token}, "127.0.0.1:5000", "", http.StatusUnauthorized},
		{"loopback with a wrong token", BackupAuth{Token: token}, "[::1]:5000", "Bearer " + token + "x", http.StatusUnauthorized},
		{"another host, loopback only", BackupAuth{Token: token}, "10.0.0.7:5000", "Bearer " + token, http.StatusForbidden},
		{"another host, remote allowed", BackupAuth{Token: token, Remote: true}, "10.0.0.7:5000", "Bearer " + token, http.StatusOK},
		{"no token configured", BackupAuth{}, "127.0.0.1:5000", "Bearer ", http.StatusUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := NewMetrics().Handler(time.Now, time.Minute, fakeBackup{}, tt.auth)
			r := httptest.NewRequest(http.MethodGet, "/backup", nil)
			r.RemoteAddr = tt.remote
			if tt.header != "" {
				r.Header.Set("Authorization", tt.header)
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != tt.want {
				t.Fatalf("status %d; want %d (%s)", w.Code, tt.want, w.Body)
			}
			if (w.Code == http.StatusOK) != (w.Body.String() == "DB") {
				t.Errorf("body %q with status %d", w.Body, w.Code)
			}
		})
	}
}

// TestHealthzSaysWhatTelegramIs: a refused token fails /healthz; an outage is a line under ok.
func TestHealthzSaysWhatTelegramIs(t *testing.T) {
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	m := NewMetrics()
	m.lastPollOK.Store(now.Unix())
	h := m.Handler(func() time.Time { return now }, time.Minute, nil, BackupAuth{})
	get := func() (int, string) {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/healthz", nil))
		return w.Code, w.Body.String()
	}
	if code, body := get(); code != 200 || body != "ok\n" {
		t.Errorf("no bot: %d %q", code, body)
	}
	m.SetTelegram("unreachable", now, "dial tcp: refused")
	if code, body := get(); code != 200 || !strings.Contains(body, "telegram: unreachable since 2026-11-24T09:00:00Z: dial tcp: refused") {
		t.Errorf("outage: %d %q", code, body)
	}
	m.SetTelegram("unauthorized", now, "401 Unauthorized")
	if code, body := get(); code != http.StatusServiceUnavailable || !strings.Contains(body, "fix TELEGRAM_TOKEN") {
		t.Errorf("refused token: %d %q", code, body)
	}
	m.SetTelegram("connected", now, "")
	if code, body := get(); code != 200 || body != "ok\n" {
		t.Errorf("connected: %d %q", code, body)
	}
}
