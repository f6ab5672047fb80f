package locales

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

func mustLoad(t testing.TB) *Catalog {
	t.Helper()
	c, err := Load()
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return c
}

// catalogFS builds a translations tree from "lang/file.json" → content.
func catalogFS(files map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for name, body := range files {
		fsys["translations/"+name] = &fstest.MapFile{Data: []byte(body)}
	}
	return fsys
}

func TestLoadEmbedded(t *testing.T) {
	c := mustLoad(t)
	if got, want := c.Languages(), []string{"en", "es", "ru"}; !slices.Equal(got, want) {
		t.Errorf("Languages() = %v, want %v", got, want)
	}
	if len(c.Keys()) < 100 {
		t.Errorf("only %d keys loaded", len(c.Keys()))
	}
}

func TestLoadMergesFiles(t *testing.T) {
	fsys := catalogFS(map[string]string{
		"en/core.json": `{"a.x": "X %[1]s"}`,
		"en/bot.json":  `{"bot.y": {"one": "%[1]d y", "other": "%[1]d ys"}}`,
		"ru/core.json": `{"a.x": "Икс %[1]s"}`,
		"ru/bot.json":  `{"bot.y": {"one": "%[1]d игрек", "few": "%[1]d игрека", "many": "%[1]d игреков", "other": "%[1]d игрека"}}`,
	})
	c, err := load(fsys, "translations")
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	ru := c.Printer("ru")
	if got := ru.N("bot.y", 3); got != "3 игрека" {
		t.Errorf(`N("bot.y", 3) = %q`, got)
	}
	if got := ru.T("a.x", "1"); got != "Икс 1" {
		t.Errorf(`T("a.x") = %q`, got)
	}
}

func TestLoadRejects(t *testing.T) {
	ruDeals := `{"one": "%[1]d сделка", "few": "%[1]d сделки", "many": "%[1]d сделок", "other": "%[1]d сделки"}`
	tests := []struct {
		name  string
		files map[string]string
		want  string // a fragment of the error
	}{
		{"duplicate across files",
			map[string]string{"en/a.json": `{"a.x": "1"}`, "en/b.json": `{"a.x": "2"}`},
			`key "a.x" is defined in translations/en/a.json and translations/en/b.json`},
		{"duplicate in one file",
			map[string]string{"en/a.json": `{"a.x": "1", "a.x": "2"}`},
			`key "a.x" is defined twice`},
		{"key missing in a language",
			map[string]string{"en/a.json": `{"a.x": "1", "a.y": "2"}`, "ru/a.json": `{"a.x": "1"}`},
			`ru: a.y: key is missing`},
		{"key missing in default",
			map[string]string{"en/a.json": `{"a.x": "1"}`, "ru/a.json": `{"a.x": "1", "a.z": "3"}`},
			`ru: a.z: key is missing in en`},
		{"placeholders differ",
			map[string]string{"en/a.json": `{"a.x": "%[1]s %[2]d"}`, "ru/a.json": `{"a.x": "%[1]s"}`},
			`placeholders "%[1]s" differ from en "%[1]s %[2]d"`},
		{"verb differs",
			map[string]string{"en/a.json": `{"a.x": "%[1]s"}`, "es/a.json": `{"a.x": "%[1]d"}`},
			`placeholders "%[1]d" differ`},
		{"unnumbered verb",
			map[string]string{"en/a.json": `{"a.x": "hello %s"}`},
			`has no argument index`},
		{"one index two verbs",
			map[string]string{"en/a.json": `{"a.x": "%[1]s %[1]d"}`},
			`argument 1 is used as %s and %d`},
		{"ru plural lacks few",
			map[string]string{"en/a.json": `{"a.n": {"one": "%[1]d deal", "other": "%[1]d deals"}}`,
				"ru/a.json": `{"a.n": {"one": "%[1]d сделка", "many": "%[1]d сделок", "other": "%[1]d сделки"}}`},
			`missing [few]`},
		{"en plural with unused few",
			map[string]string{"en/a.json": `{"a.n": {"one": "x", "few": "y", "other": "z"}}`},
			`unused [few]`},
		{"unknown category",
			map[string]string{"en/a.json": `{"a.n": {"single": "x"}}`},
			`unknown plural category "single"`},
		{"plural in one language only",
			map[string]string{"en/a.json": `{"a.n": "%[1]d deals"}`, "ru/a.json": `{"a.n": ` + ruDeals + `}`},
			`plural in one language and plain in en`},
		{"markup",
			map[string]string{"en/a.json": `{"a.x": "<b>bold</b>"}`},
			`contains '<', '>' or '&'`},
		{"bad key",
			map[string]string{"en/a.json": `{"Flat": "x"}`},
			`key "Flat": want dotted words`},
		{"non-string value",
			map[string]string{"en/a.json": `{"a.x": 5}`},
			`want a string or an object of plural forms`},
		{"broken json",
			map[string]string{"en/a.json": `{"a.x": "1"`},
			`translations/en/a.json`},
		{"no default language",
			map[string]string{"ru/a.json": `{"a.x": "1"}`},
			`default language "en" is missing`},
		{"language without files",
			map[string]string{"en/a.json": `{"a.x": "1"}`, "ru/readme.txt": `x`},
			`no *.json files`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := load(catalogFS(tt.files), "translations")
			if err == nil {
				t.Fatalf("load succeeded, want error containing %q", tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v\nwant it to contain %q", err, tt.want)
			}
		})
	}
}

func TestLoadReportsEveryProblem(t *testing.T) {
	_, err := load(catalogFS(map[string]string{
		"en/a.json": `{"a.x": "%s", "a.y": "<"}`,
	}), "translations")
	if err == nil {
		t.Fatal("load succeeded")
	}
	for _, want := range []string{"en: a.x:", "en: a.y:"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %v lacks %q", err, want)
		}
	}
}

func TestPlaceholders(t *testing.T) {
	tests := []struct {
		in      string
		want    string
		wantErr bool
	}{
		{"plain", "", false},
		{"100%% sure", "", false},
		{"%[2]s then %[1]d", "%[1]d %[2]s", false},
		{"%[1]s and %[1]s again", "%[1]s", false},
		{"%-[1]5.2f", "%[1]f", false},
		{"%s", "", true},
		{"%[0]s", "", true},
		{"%[1]", "", true},
		{"%[1s", "", true},
		{"trailing %", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			ph, err := placeholders(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("placeholders(%q) error = %v, wantErr %v", tt.in, err, tt.wantErr)
			}
			if err == nil && signature(ph) != tt.want {
				t.Errorf("signature = %q, want %q", signature(ph), tt.want)
			}
		})
	}
}
