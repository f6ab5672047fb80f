package main

import (
	"strings"
	"testing"
)

func TestConfigMemoryLimit(t *testing.T) {
	tests := []struct {
		value   string
		want    int64
		wantErr string // substring; "" = valid
	}{
		{"", DefaultMemoryLimit, ""},
		{"0", 0, ""},
		{"100MiB", 100 << 20, ""},
		{"256MB", 256e6, ""},
		{"1GiB", 1 << 30, ""},
		{" 2 GiB ", 2 << 30, ""},
		{"134217728", 134217728, ""},
		{"128KiB", 0, "below 16MiB"},
		{"1000", 0, "below 16MiB"},
		{"-5MiB", 0, "want a size like 100MiB"},
		{"lots", 0, "want a size like 100MiB"},
		{"1.5GiB", 0, "want a size like 100MiB"},
		{"99999999999GiB", 0, "want a size like 100MiB"},
	}
	for _, tt := range tests {
		t.Run(tt.value, func(t *testing.T) {
			env := map[string]string{"AMO_BASE_URL": "https://example.amocrm.ru", "AMO_TOKEN": "tok", "SALESGUARD_MEMORY_LIMIT": tt.value}
			c, err := ConfigFromEnv(envOf(env), true)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), "SALESGUARD_MEMORY_LIMIT") {
					t.Fatalf("got %v, want an error naming SALESGUARD_MEMORY_LIMIT with %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || c.MemoryLimit != tt.want {
				t.Fatalf("got %d, %v; want %d", c.MemoryLimit, err, tt.want)
			}
		})
	}
}
