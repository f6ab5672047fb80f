package locales

import (
	"fmt"
	"strings"
	"sync"
	"testing"
)

func TestPrinterLanguageFallback(t *testing.T) {
	c := mustLoad(t)
	tests := []struct{ in, want string }{
		{"ru", "ru"}, {"ru-RU", "ru"}, {"ru_RU", "ru"}, {"RU", "ru"}, {"ru_RU.UTF-8", "ru"},
		{"es", "es"}, {"es-MX", "es"}, {"es-419", "es"}, {"es_AR", "es"},
		{"en", "en"}, {"en-GB", "en"}, {" en ", "en"},
		{"", "en"}, {"de", "en"}, {"zz-ZZ", "en"}, {"-ru", "en"}, {"russian", "en"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := c.Printer(tt.in).Lang(); got != tt.want {
				t.Errorf("Printer(%q).Lang() = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestMissingKeyReturnsKey(t *testing.T) {
	p := mustLoad(t).Printer("ru")
	const key = "alert.R99.nothing"
	if p.Has(key) {
		t.Fatalf("Has(%q) = true", key)
	}
	for name, got := range map[string]string{
		"T":     p.T(key, "x"),
		"N":     p.N(key, 3, "x"),
		"Count": p.Count("R99", 3),
	} {
		want := key
		if name == "Count" {
			want = "count.R99"
		}
		if got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
}

func TestRussianPlurals(t *testing.T) {
	p := mustLoad(t).Printer("ru")
	tests := []struct {
		n    int
		want string
	}{
		{0, "0 сделок"}, {1, "1 сделка"}, {2, "2 сделки"}, {4, "4 сделки"}, {5, "5 сделок"},
		{11, "11 сделок"}, {12, "12 сделок"}, {14, "14 сделок"}, {21, "21 сделка"},
		{22, "22 сделки"}, {25, "25 сделок"}, {101, "101 сделка"}, {111, "111 сделок"},
		{1000, "1\u00a0000 сделок"}, {1001, "1\u00a0001 сделка"}, {-2, "-2 сделки"},
	}
	for _, tt := range tests {
		if got := p.Count("deals", tt.n); got != tt.want {
			t.Errorf("Count(deals, %d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}

func TestPluralsPerLanguage(t *testing.T) {
	c := mustLoad(t)
	tests := []struct {
		lang, key string
		n         int
		args      []any
		want      string
	}{
		{"en", "count.deals", 0, nil, "0 deals"},
		{"en", "count.deals", 1, nil, "1 deal"},
		{"en", "count.deals", 2, nil, "2 deals"},
		{"en", "count.deals", 1250, nil, "1,250 deals"},
		{"es", "count.tasks", 1, nil, "1 tarea"},
		{"es", "count.tasks", 0, nil, "0 tareas"},
		{"es", "count.tasks", 21, nil, "21 tareas"},
		{"es", "count.tasks", 1250, nil, "1.250 tareas"},
		{"ru", "count.days", 2, nil, "2 дня"},
		{"ru", "count.violations", 21, nil, "21 нарушение"},
		{"ru", "digest.manager", 5, []any{"Анна"}, "Анна: 5 нарушений"},
		{"ru", "digest.manager", 22, []any{"Анна"}, "Анна: 22 нарушения"},
		{"en", "digest.manager", 1, []any{"Ann"}, "Ann: 1 violation"},
		{"es", "digest.manager", 3, []any{"Ana"}, "Ana: 3 incumplimientos"},
		{"ru", "plan.summary", 45, []any{"2 ч 15 мин"}, "45 задач, ≈ 2 ч 15 мин"},
		{"ru", "plan.overdue_first", 21, nil, "Сначала закройте 21 просроченную задачу."},
		{"ru", "alert.R3.overdue_count", 3, []any{"Окна", "Анна", "2 дня"},
			"⌛ В сделке «Окна» 3 просроченные задачи, самая давняя — на 2 дня."},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/%s/%d", tt.lang, tt.key, tt.n), func(t *testing.T) {
			if got := c.Printer(tt.lang).N(tt.key, tt.n, tt.args...); got != tt.want {
				t.Errorf("N = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestTReordersArguments(t *testing.T) {
	c := mustLoad(t)
	args := []any{"Окна ПВХ", "Анна", "3 дня", "1 день", "Переговоры"}
	tests := []struct{ lang, key, want string }{
		{"ru", "alert.R4.stale", "🐢 Сделка «Окна ПВХ» стоит на этапе «Переговоры» уже 3 дня (норма — 1 день). Продвиньте её или поправьте этап."},
		{"es", "alert.R4.stale", "🐢 El lead “Окна ПВХ” lleva 3 дня en la etapa “Переговоры” (límite: 1 день). Avánzalo o corrige la etapa."},
		{"ru", "alert.R2.no_task", "📌 Сделка «Окна ПВХ» без задачи. Поставьте следующий шаг, чтобы не потерять клиента."},
		{"en", "alert.R1.escalation", "🚨 Lead “Окна ПВХ” (manager: Анна) has been waiting for 3 дня, the limit is 1 день."},
	}
	for _, tt := range tests {
		t.Run(tt.lang+"/"+tt.key, func(t *testing.T) {
			if got := c.Printer(tt.lang).T(tt.key, args...); got != tt.want {
				t.Errorf("T = %q\nwant  %q", got, tt.want)
			}
		})
	}
}

func TestTOnPluralKeyUsesOther(t *testing.T) {
	p := mustLoad(t).Printer("en")
	if got := p.T("count.deals", 7); got != "7 deals" {
		t.Errorf("T(count.deals, 7) = %q", got)
	}
}

func TestEveryMessageRendersWithoutFormatErrors(t *testing.T) {
	c := mustLoad(t)
	for _, lang := range c.Languages() {
		p := c.Printer(lang)
		for _, key := range c.Keys() {
			args := argsFor(t, p.msgs[key])
			var got string
			if p.msgs[key].isPlural() {
				got = p.N(key, 3, args[1:]...)
			} else {
				got = p.T(key, args...)
			}
			if containsFormatError(got) {
				t.Errorf("%s: %s renders %q", lang, key, got)
			}
		}
	}
}

// argsFor builds arguments matching an entry's verbs: an int for %d, a string otherwise.
func argsFor(t *testing.T, e entry) []any {
	t.Helper()
	texts := []string{e.text}
	if e.isPlural() {
		texts = nil
		for _, s := range e.forms {
			texts = append(texts, s)
		}
	}
	args := make([]any, 8)
	for i := range args {
		args[i] = fmt.Sprintf("a%d", i+1)
	}
	for _, s := range texts {
		ph, err := placeholders(s)
		if err != nil {
			t.Fatal(err)
		}
		for n, verb := range ph {
			if verb == 'd' {
				args[n-1] = n
			}
		}
	}
	return args
}

func containsFormatError(s string) bool {
	for _, bad := range []string{"%!", "(MISSING)", "%!(EXTRA", "(BADINDEX)"} {
		if strings.Contains(s, bad) {
			return true
		}
	}
	return false
}

func TestConcurrentUse(t *testing.T) {
	c := mustLoad(t)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			p := c.Printer([]string{"ru", "en", "es"}[i%3])
			for n := range 200 {
				_ = p.Count("deals", n)
				_ = p.Number(n * 1000)
				_ = p.T("alert.R2.no_task", "x")
			}
		})
	}
	wg.Wait()
}

func BenchmarkN(b *testing.B) {
	p := mustLoad(b).Printer("ru")
	for i := 0; b.Loop(); i++ {
		_ = p.N("digest.manager", i%1000, "Анна")
	}
}

func BenchmarkT(b *testing.B) {
	p := mustLoad(b).Printer("ru")
	for b.Loop() {
		_ = p.T("alert.R4.stale", "Окна", "Анна", "3 дня", "1 день", "Переговоры")
	}
}

func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		if _, err := Load(); err != nil {
			b.Fatal(err)
		}
	}
}
