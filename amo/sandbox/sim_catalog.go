package sandbox

// StageKey names a stage of the simulated pipelines independently of the account language.
type StageKey int

// The stages of the simulated pipelines (seeds 000 and 002). The main pipeline ("roofing", seed
// 002) has Unsorted, New, Taken, Missed, CallBack, Hot, Calc, Offer, Estimate; the second one
// ("courses", seed 000) has Unsorted, New, Taken, Missed, CallBack, Trial, Decision. Both end
// with the system statuses 142 (won) and 143 (lost).
const (
	StageUnsorted StageKey = iota // the incoming stage, type 1
	StageNew                      // "Новый лид": the first normal stage
	StageTaken                    // "ОП взял в работу"
	StageMissed                   // "Недозвон"
	StageCallBack                 // "Перезвонить"
	StageHot                      // "Горячие"
	StageCalc                     // "Объемы у Турала" / "Расчёт"
	StageOffer                    // "КП готово"
	StageEstimate                 // "Смета готова"
	StageTrial                    // "Пробное занятие"
	StageDecision                 // "Принятие решения"
	stageCount
)

// ReasonKey names a loss reason independently of the account language.
type ReasonKey int

// The loss reasons of the simulated account.
const (
	ReasonCantReach ReasonKey = iota // "Недозвон" / "No contesta" / "Can't reach"
	ReasonOther                      // "Другое" / "Otro" / "Other": a note must explain it (R5)
	ReasonExpensive                  // "Дорого"
	ReasonElsewhere                  // "Купил в другом месте"
	ReasonNoNeed                     // "Пропала потребность"
	reasonCount
)

// FieldKey names a custom field of the simulated account.
type FieldKey int

// The custom fields of the simulated account: four on deals, two on contacts.
const (
	FieldBudget  FieldKey = iota // deals, numeric; required from StageOffer / StageDecision
	FieldProduct                 // deals, select; required from StageHot / StageTrial
	FieldSource                  // deals, select; filled when the lead arrives
	FieldBuild                   // deals, text "Стадия стройки"; required from StageCalc
	FieldPhone                   // contacts, multitext, code PHONE
	FieldEmail                   // contacts, multitext, code EMAIL
	fieldCount
)

// pipelineStages lists the stages of the two simulated pipelines in display order.
func pipelineStages() [2][]StageKey {
	return [2][]StageKey{
		{StageUnsorted, StageNew, StageTaken, StageMissed, StageCallBack, StageHot, StageCalc, StageOffer, StageEstimate},
		{StageUnsorted, StageNew, StageTaken, StageMissed, StageCallBack, StageTrial, StageDecision},
	}
}

// workPath is the order in which a deal that is going well moves through each pipeline.
func workPath() [2][]StageKey {
	return [2][]StageKey{
		{StageHot, StageCalc, StageOffer, StageEstimate},
		{StageTrial, StageDecision},
	}
}

// catalog holds every text of the simulated account in one language.
type catalog struct {
	account    string
	country    string
	pipelines  [2]string
	stages     [stageCount]string
	reasons    [reasonCount]string
	fields     [fieldCount]string
	products   []string
	sources    []string
	builds     []string
	firstNames []string // female and male names alternate, female first
	lastNames  []string
	femaleEnd  string // appended to a surname for a woman (Russian: Смирнов → Смирнова)
	head       string
	admin      string
	leadName   string // fmt pattern with the lead number
	callNotes  []string
	missNotes  []string
	otherNotes []string
	taskTexts  []string
	results    []string
	trivial    []string // results that say nothing (R8)
	callResult string
	missResult string
}

// catalogFor returns the texts of a language; unknown languages get Russian, the seeds' language.
func catalogFor(lang string) *catalog {
	switch lang {
	case "en":
		return enCatalog()
	case "es":
		return esCatalog()
	default:
		return ruCatalog()
	}
}

func ruCatalog() *catalog {
	return &catalog{
		account:   "Кровля и курсы",
		country:   "RU",
		pipelines: [2]string{"Кровля", "Курсы"},
		stages: [stageCount]string{"Неразобранное", "Новый лид", "ОП взял в работу", "Недозвон", "Перезвонить",
			"Горячие", "Объемы у Турала", "КП готово", "Смета готова", "Пробное занятие", "Принятие решения"},
		reasons:    [reasonCount]string{"Недозвон", "Другое", "Дорого", "Купил в другом месте", "Пропала потребность"},
		fields:     [fieldCount]string{"Бюджет", "Продукт", "Источник", "Стадия стройки", "Телефон", "Email"},
		products:   []string{"Металлочерепица", "Мягкая кровля", "Профнастил", "Водосток", "Курс английского", "Курс рисования"},
		sources:    []string{"Сайт", "Авито", "Звонок", "Instagram", "Рекомендация"},
		builds:     []string{"Фундамент", "Коробка", "Стропила", "Готовый дом", "Реконструкция"},
		firstNames: []string{"Анна", "Иван", "Мария", "Алексей", "Ольга", "Дмитрий", "Елена", "Сергей", "Наталья", "Павел", "Татьяна", "Артём"},
		lastNames:  []string{"Смирнов", "Иванов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов", "Михайлов", "Новиков", "Фёдоров", "Морозов", "Волков"},
		femaleEnd:  "а",
		head:       "Турал Алиев (РОП)",
		admin:      "Администратор",
		leadName:   "Заявка №%d",
		callNotes: []string{"Клиент просит расчёт, пришлёт план крыши до пятницы", "Обсудили цену, думает, перезвонить в четверг",
			"Договорились о замере на объекте", "Отправил КП на почту, ждёт звонка", "Клиент выбирает между двумя вариантами покрытия"},
		missNotes:  []string{"Не берёт трубку, отправил сообщение в WhatsApp", "Сбросил звонок, написал в Telegram"},
		otherNotes: []string{"Клиент переехал в другой город", "Объект продан, кровля не нужна", "Дубль заявки от того же клиента"},
		taskTexts:  []string{"Перезвонить клиенту", "Уточнить размеры крыши", "Отправить КП", "Встреча на объекте", "Напомнить о пробном занятии"},
		results:    []string{"Созвонились, клиент ждёт КП до пятницы", "Отправил смету, обсудим в понедельник", "Клиент подтвердил встречу", "Не дозвонился, перенёс на завтра"},
		trivial:    []string{"", "ок", ".", "+"},
		callResult: "Разговор состоялся",
		missResult: "Не дозвонились",
	}
}

func enCatalog() *catalog {
	return &catalog{
		account:   "Roofs & Courses",
		country:   "US",
		pipelines: [2]string{"Roofing", "Courses"},
		stages: [stageCount]string{"Incoming leads", "New lead", "Sales took it", "Missed call", "Call back",
			"Hot", "Calculation", "Proposal ready", "Estimate ready", "Trial lesson", "Making a decision"},
		reasons:    [reasonCount]string{"Can't reach", "Other", "Too expensive", "Bought elsewhere", "No longer needed"},
		fields:     [fieldCount]string{"Budget", "Product", "Source", "Construction stage", "Phone", "Email"},
		products:   []string{"Metal tiles", "Shingles", "Gutters", "English course", "Drawing course"},
		sources:    []string{"Website", "Facebook", "Phone call", "Instagram", "Referral"},
		builds:     []string{"Foundation", "Walls", "Rafters", "Finished house", "Renovation"},
		firstNames: []string{"Emma", "James", "Olivia", "Liam", "Ava", "Noah", "Mia", "Lucas", "Sophia", "Ethan", "Grace", "Henry"},
		lastNames:  []string{"Smith", "Johnson", "Brown", "Taylor", "Miller", "Wilson", "Moore", "Clark", "Walker", "Hall", "Young", "King"},
		head:       "Tural Aliev (Head of sales)",
		admin:      "Administrator",
		leadName:   "Request #%d",
		callNotes: []string{"Client wants a quote, will send the roof plan by Friday", "Discussed the price, call back on Thursday",
			"Agreed on a site visit", "Sent the proposal by e-mail, waiting for the call", "Client is choosing between two options"},
		missNotes:  []string{"No answer, sent a WhatsApp message", "Call rejected, wrote on Telegram"},
		otherNotes: []string{"Client moved to another city", "House sold, no roof needed", "Duplicate of another request"},
		taskTexts:  []string{"Call the client back", "Ask for the roof size", "Send the proposal", "Site meeting", "Remind about the trial lesson"},
		results:    []string{"Talked, the client waits for the proposal by Friday", "Sent the estimate, will discuss on Monday", "Client confirmed the meeting", "No answer, moved to tomorrow"},
		trivial:    []string{"", "ok", "done", "."},
		callResult: "Conversation took place",
		missResult: "No answer",
	}
}

func esCatalog() *catalog {
	return &catalog{
		account:   "Techos y Cursos",
		country:   "ES",
		pipelines: [2]string{"Techos", "Cursos"},
		stages: [stageCount]string{"Leads entrantes", "Nueva solicitud", "En trabajo", "Llamada perdida", "Volver a llamar",
			"Calientes", "Cálculo", "Propuesta lista", "Presupuesto listo", "Clase de prueba", "Toma la decisión"},
		reasons:    [reasonCount]string{"No contesta", "Otro", "Caro", "Compró en otro lugar", "Ya no lo necesita"},
		fields:     [fieldCount]string{"Presupuesto", "Producto", "Fuente", "Etapa de obra", "Teléfono", "Email"},
		products:   []string{"Teja metálica", "Tejado asfáltico", "Canalones", "Curso de inglés", "Curso de dibujo"},
		sources:    []string{"Sitio web", "Facebook", "Llamada", "Instagram", "Recomendación"},
		builds:     []string{"Cimientos", "Paredes", "Vigas", "Casa terminada", "Reforma"},
		firstNames: []string{"Lucía", "Javier", "Sofía", "Carlos", "Martina", "Diego", "Paula", "Pablo", "Elena", "Andrés", "Carmen", "Miguel"},
		lastNames:  []string{"García", "Martínez", "López", "Sánchez", "Pérez", "Gómez", "Martín", "Jiménez", "Ruiz", "Hernández", "Díaz", "Moreno"},
		head:       "Tural Aliev (Jefe de ventas)",
		admin:      "Administrador",
		leadName:   "Solicitud n.º %d",
		callNotes: []string{"El cliente pide presupuesto, enviará el plano el viernes", "Hablamos del precio, volver a llamar el jueves",
			"Quedamos en visitar la obra", "Envié la propuesta por correo", "El cliente elige entre dos opciones"},
		missNotes:  []string{"No contesta, le escribí por WhatsApp", "Colgó, le escribí por Telegram"},
		otherNotes: []string{"El cliente se mudó a otra ciudad", "Vendió la casa", "Solicitud duplicada"},
		taskTexts:  []string{"Volver a llamar", "Pedir las medidas del tejado", "Enviar la propuesta", "Reunión en la obra", "Recordar la clase de prueba"},
		results:    []string{"Hablamos, espera la propuesta el viernes", "Envié el presupuesto, hablamos el lunes", "El cliente confirmó la reunión", "No contesta, lo paso a mañana"},
		trivial:    []string{"", "listo", "ok", "."},
		callResult: "Conversación realizada",
		missResult: "No contesta",
	}
}
