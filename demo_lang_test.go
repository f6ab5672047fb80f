package main

import "testing"

func TestDemoLanguage(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"nothing set", nil, "en"},
		{"SALESGUARD_LANG wins", map[string]string{"SALESGUARD_LANG": "es", "LANG": "ru_RU.UTF-8"}, "es"},
		{"LANG ru", map[string]string{"LANG": "ru_RU.UTF-8"}, "ru"},
		{"LANG es_MX", map[string]string{"LANG": "es_MX"}, "es"},
		{"LC_ALL before LANG", map[string]string{"LC_ALL": "es_ES.UTF-8", "LANG": "ru_RU.UTF-8"}, "es"},
		{"LC_MESSAGES before LANG", map[string]string{"LC_MESSAGES": "ru", "LANG": "en_US.UTF-8"}, "ru"},
		{"C locale", map[string]string{"LANG": "C.UTF-8"}, "en"},
		{"unknown language", map[string]string{"LANG": "de_DE.UTF-8"}, "en"},
		{"first set decides", map[string]string{"LC_ALL": "de_DE", "LANG": "ru_RU"}, "en"},
		{"modifier", map[string]string{"LANG": "ru_RU@cyrillic"}, "ru"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := demoLanguage(func(k string) string { return tt.env[k] })
			if got != tt.want {
				t.Errorf("demoLanguage = %q, want %q", got, tt.want)
			}
		})
	}
}
