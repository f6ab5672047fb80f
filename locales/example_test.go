package locales_test

import (
	"fmt"
	"time"

	"salesguard/locales"
)

func Example() {
	cat, err := locales.Load()
	if err != nil {
		fmt.Println(err)
		return
	}
	ru := cat.Printer("ru_RU")
	fmt.Println(ru.T(locales.AlertKey("R2", "no_task"), "Окна ПВХ"))
	fmt.Println(ru.N("plan.summary", 45, ru.Duration(135*time.Minute)))
	fmt.Println(ru.Count("deals", 21), "·", ru.Count("deals", 11))
	fmt.Println(cat.Printer("es-MX").T("alert.R4.stale", "Ventanas", "Ana", "3 días", "1 día", "Negociación"))
	// Output:
	// 📌 Сделка «Окна ПВХ» без задачи. Поставьте следующий шаг, чтобы не потерять клиента.
	// 45 задач, ≈ 2 ч 15 мин
	// 21 сделка · 11 сделок
	// 🐢 El lead “Ventanas” lleva 3 días en la etapa “Negociación” (límite: 1 día). Avánzalo o corrige la etapa.
}
