package sandbox

import (
	"hash/fnv"
	"strconv"

	"salesguard/amo"
)

// typedFieldBase is the id of the first typed field. Typed fields take fixed ids rather than
// the world's sequence, so every other id of a simulated account stays what it was.
const typedFieldBase = 880_001

// typedField is a deal field of one amoCRM type (API.md §4.6), beyond the fields the story
// fills: the simulated account has one of every type, so that what the rules make of each
// value shape (R10: any non-empty value fills a field, a checkbox when checked) is seen end to
// end. Values are in amo.FieldValue's text form (objects as compact JSON); the wire renders
// them in the JSON types the live API sends. None is required by amoCRM (required_statuses):
// the story does not fill them, so only a configured R10 requirement reads them.
type typedField struct {
	typ    string
	names  map[string]string // by language
	filled []string          // a value that fills the field (several for multiple values)
	empty  []string          // a value that holds nothing (nil: "values": [])
}

// typedFields lists the typed fields in amo.FieldTypes order (multitext is on contacts
// already: phone and e-mail).
func typedFields() []typedField {
	n := func(ru, en, es string) map[string]string { return map[string]string{"ru": ru, "en": en, "es": es} }
	return []typedField{
		{amo.FieldTypeText, n("Комментарий", "Comment", "Comentario"), []string{"Перезвонить после обеда"}, []string{""}},
		{amo.FieldTypeNumeric, n("Площадь, м²", "Area, m²", "Superficie, m²"), []string{"120"}, []string{""}},
		{amo.FieldTypeCheckbox, n("Договор подписан", "Contract signed", "Contrato firmado"), []string{"true"}, []string{"false"}},
		{amo.FieldTypeSelect, n("Тип объекта", "Property type", "Tipo de inmueble"), []string{"Дом"}, nil},
		{amo.FieldTypeMultiselect, n("Услуги", "Services", "Servicios"), []string{"Монтаж", "Доставка"}, nil},
		{amo.FieldTypeDate, n("Дата замера", "Survey date", "Fecha de medición"), []string{"1767225600"}, []string{""}},
		{amo.FieldTypeURL, n("Сайт", "Website", "Sitio web"), []string{"https://example.com/roof"}, []string{""}},
		{amo.FieldTypeTextarea, n("Пожелания", "Wishes", "Deseos"), []string{"Звонить после 18:00,\nне раньше"}, []string{"\n"}},
		{amo.FieldTypeRadiobutton, n("Клиент", "Client kind", "Tipo de cliente"), []string{"Частник"}, nil},
		{amo.FieldTypeStreetAddress, n("Адрес объекта", "Site address", "Dirección de obra"), []string{"Москва, Тверская 1"}, []string{""}},
		{amo.FieldTypeSmartAddress, n("Адрес доставки", "Delivery address", "Dirección de entrega"), []string{"Россия", "Москва"}, []string{""}},
		{amo.FieldTypeBirthday, n("День рождения", "Birthday", "Cumpleaños"), []string{"631152000"}, []string{""}},
		{amo.FieldTypeLegalEntity, n("Юрлицо", "Legal entity", "Persona jurídica"),
			[]string{`{"name":"ООО «Ромашка»","entity_type":null,"vat_id":"7701234567","tax_registration_reason_code":"770101001","address":"Москва","kpp":"770101001","external_uid":null}`},
			[]string{`{"name":"","entity_type":null,"vat_id":null,"tax_registration_reason_code":null,"address":"","kpp":"","external_uid":null}`}},
		{amo.FieldTypeDateTime, n("Начало работ", "Work starts", "Inicio de obra"), []string{"1767261600"}, []string{""}},
		{amo.FieldTypePrice, n("Цена", "Price", "Precio"), []string{"25000"}, []string{""}},
		{amo.FieldTypeCategory, n("Категория", "Category", "Categoría"), []string{"Опт"}, nil},
		{amo.FieldTypeItems, n("Товары", "Items", "Productos"),
			[]string{`{"sku":"R-1","description":"Черепица","unit_price":500,"quantity":40,"unit_type":"м²","discount":{"type":"percentage","value":5},"vat_rate_id":0,"external_uid":null}`},
			[]string{""}},
		{amo.FieldTypeTrackingData, n("utm_source", "utm_source", "utm_source"), []string{"google"}, []string{""}},
		{amo.FieldTypeLinkedEntity, n("Контакт на объекте", "Site contact", "Contacto en obra"),
			[]string{`{"name":"Иван Петров","entity_id":9001,"entity_type":"contacts","catalog_id":null}`},
			[]string{`{"name":null,"entity_id":0,"entity_type":"contacts","catalog_id":null}`}},
		{amo.FieldTypeChainedList, n("Материал", "Material", "Material"),
			[]string{`{"catalog_id":5001,"catalog_element_id":5002}`}, []string{`{"catalog_id":5001,"catalog_element_id":0}`}},
		{amo.FieldTypeMonetary, n("Сумма", "Amount", "Importe"), []string{"1999.99"}, []string{""}},
		{amo.FieldTypeFile, n("Смета (файл)", "Estimate (file)", "Presupuesto (archivo)"),
			[]string{`{"file_uuid":"3c0b0cfa-5c1f-4b9e-9d53-2a6f8b1d7e21","version_uuid":"7a2cde10-8f41-4d2a-b0c4-1e9a5f3b6d88","file_name":"смета.pdf","file_size":34567,"is_deleted":false}`},
			[]string{`{"file_uuid":"0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0","version_uuid":"1a2b3c4d-5e6f-4071-8293-a4b5c6d7e8f9","file_name":"старая.pdf","file_size":10,"is_deleted":true}`}},
		{amo.FieldTypePayer, n("Плательщик", "Payer", "Pagador"),
			[]string{`{"name":"ООО Плательщик","entity_id":7001,"entity_type":"companies"}`}, []string{""}},
		{amo.FieldTypeSupplier, n("Поставщик", "Supplier", "Proveedor"),
			[]string{`{"name":"ИП Поставщик","entity_id":7002,"entity_type":"companies"}`}, []string{""}},
	}
}

// TypedFieldID returns the id of the simulated account's deal field of an amoCRM type (0 for
// a type it has no typed field of, such as multitext).
func TypedFieldID(typ string) amo.FieldID {
	for i, f := range typedFields() {
		if f.typ == typ {
			return amo.FieldID(typedFieldBase + i)
		}
	}
	return 0
}

// setupTypedFields adds the typed fields to the dictionary, after the story's fields.
func (s *Sim) setupTypedFields(d *Data) {
	for i, f := range typedFields() {
		d.CustomFields = append(d.CustomFields, amo.CustomField{ID: amo.FieldID(typedFieldBase + i),
			EntityType: amo.EntityLeads, Name: langOr(f.names, s.cfg.Lang), Type: f.typ, Sort: 1000 + i*10})
	}
}

// typedValues returns a new lead's values of the typed fields. Each field is absent, empty or
// filled (a checkbox unchecked or checked) by a hash of the lead id and the field, not by the
// simulator's random source, so the story is the same with them as without.
func (s *Sim) typedValues(id amo.LeadID) []amo.FieldValue {
	var out []amo.FieldValue
	for i, f := range typedFields() {
		h := fnv.New32a()
		_, _ = h.Write([]byte(strconv.FormatInt(int64(id), 10) + "/" + f.typ))
		v := amo.FieldValue{FieldID: amo.FieldID(typedFieldBase + i), Name: langOr(f.names, s.cfg.Lang), Type: f.typ}
		switch h.Sum32() % 4 {
		case 0, 1: // absent: most deals leave most fields alone
			continue
		case 2:
			v.Values = f.empty
		default:
			v.Values = f.filled
		}
		out = append(out, v)
	}
	return out
}
