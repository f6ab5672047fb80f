package main

import "strings"

// demoLanguage picks the demo's language when --lang is not given: SALESGUARD_LANG when set,
// else the system locale (LC_ALL, then LC_MESSAGES, then LANG, the POSIX order: "ru_RU.UTF-8",
// "es_MX", "es" all count), else English. Only ru, en and es have catalogs; any other locale
// ("de_DE", "C", "POSIX") is English.
func demoLanguage(getenv func(string) string) string {
	if v := strings.TrimSpace(getenv("SALESGUARD_LANG")); v != "" {
		return v // validated by ConfigFromEnv
	}
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v := strings.TrimSpace(getenv(name))
		if v == "" {
			continue
		}
		// The first locale set decides, as it does for every POSIX program.
		lang := strings.ToLower(v)
		if i := strings.IndexAny(lang, "_.@-"); i >= 0 {
			lang = lang[:i]
		}
		switch lang {
		case "ru", "en", "es":
			return lang
		}
		return "en"
	}
	return "en"
}
