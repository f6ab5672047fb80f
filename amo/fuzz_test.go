package amo

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// Fuzz targets for every decoder of what the API sends (issue 10). Each list target checks
// the promises of decodeItems: a body that is not a HAL page is an error and yields nothing;
// otherwise every item of the page is either decoded or skipped with one warning naming the
// list, so one bad item never fails the page; and decoding allocates in proportion to the
// body. Run them with scripts/fuzz.sh.
//
// An item with "id": 0, a negative or a missing id is skipped with a warning like any
// malformed item (TestDecodeItemsSkipsItemsWithoutID); the count check above covers it.

// fuzzMaxBody caps fuzzed bodies: small inputs keep the executions fast and the allocation
// bound meaningful.
const fuzzMaxBody = 64 << 10

// fuzzAllocPerByte, fuzzAllocPerWarning and fuzzAllocBase bound what one decode may
// allocate: linear in the body, plus the text and error of each skipped item (about 1 KiB:
// a page of one-byte items costs some 500 bytes a byte), never more.
const (
	fuzzAllocPerByte    = 64
	fuzzAllocPerWarning = 2 << 10
	fuzzAllocBase       = 1 << 20
)

// allocCheckFrom is the smallest body whose allocation is measured: ReadMemStats stops the
// world, and a small body cannot allocate past the bound (fuzzAllocBase) anyway.
const allocCheckFrom = 4 << 10

// allocated returns the bytes f allocates.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// seedFile adds a recorded page from testdata as a seed.
func seedFile(f *testing.F, name string) {
	f.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
}

// seedPage adds pages of key built around the given items: as sent, one malformed, and the
// shapes the API uses for an empty list.
func seedPage(f *testing.F, key string, items ...string) {
	f.Helper()
	page := func(list string) []byte {
		return []byte(`{"_page":1,"_links":{"self":{"href":"x"},"next":{"href":"y"}},"_embedded":{"` + key + `":` + list + `}}`)
	}
	f.Add(page("[" + strings.Join(items, ",") + "]"))
	f.Add(page(`[` + items[0] + `,{"id":"x","name":[1]},7,null]`))
	f.Add(page(`[]`))
	f.Add(page(`null`))
	f.Add(page(`{}`))
	f.Add([]byte(`{"_embedded":[]}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(``))
	f.Add([]byte(`{"_links":{"next":null}}`))
}

// pageResult is what a list decode produced, for checkPage.
type pageResult struct {
	info     pageInfo
	err      error
	decoded  int // items the decoder kept
	warnings []string
	alloc    uint64
}

// decodePage runs decode on body, counting what it kept with kept.
func decodePage(body []byte, decode func([]byte, *Changes) (pageInfo, error), kept func(*Changes) int) pageResult {
	ch := &Changes{}
	var r pageResult
	if len(body) < allocCheckFrom {
		r.info, r.err = decode(body, ch)
	} else {
		r.alloc = allocated(func() { r.info, r.err = decode(body, ch) })
	}
	r.decoded, r.warnings = kept(ch), ch.Warnings
	return r
}

// checkPage asserts decodeItems' promises on a decoded page of key.
func checkPage(t *testing.T, body []byte, key string, r pageResult) {
	t.Helper()
	if r.err != nil {
		if r.decoded != 0 || len(r.warnings) != 0 || r.info.n != 0 {
			t.Fatalf("error %v, yet %d items kept, %d warnings, n=%d", r.err, r.decoded, len(r.warnings), r.info.n)
		}
		return
	}
	if r.decoded+len(r.warnings) != r.info.n {
		t.Fatalf("page of %d items: %d kept + %d skipped", r.info.n, r.decoded, len(r.warnings))
	}
	for _, w := range r.warnings {
		if !strings.HasPrefix(w, key+": item ") || !strings.Contains(w, " skipped: ") {
			t.Fatalf("warning %q does not name the list and the item", w)
		}
	}
	if r.info.last.After(r.info.seen) {
		t.Fatalf("last %v after seen %v", r.info.last, r.info.seen)
	}
	if limit := uint64(fuzzAllocPerByte*len(body) + fuzzAllocPerWarning*len(r.warnings) + fuzzAllocBase); r.alloc > limit {
		t.Fatalf("decoding %d bytes (%d skipped items) allocated %d bytes (limit %d)", len(body), len(r.warnings), r.alloc, limit)
	}
}

func fuzzList(f *testing.F, key string, decode func([]byte, *Changes) (pageInfo, error), kept func(*Changes) int) {
	f.Fuzz(func(t *testing.T, body []byte) {
		if len(body) > fuzzMaxBody {
			t.Skip()
		}
		checkPage(t, body, key, decodePage(body, decode, kept))
	})
}

func FuzzDecodeLeads(f *testing.F) {
	seedFile(f, "leads_page.json")
	seedPage(f, "leads",
		`{"id":1,"name":"L","price":"250","responsible_user_id":7,"status_id":10,"pipeline_id":1,"loss_reason_id":null,"created_at":"1700000000","updated_at":1700000100.5,"custom_fields_values":[{"field_id":3,"values":[{"value":"a"},{"value":1.5},{"value":null}]}],"_embedded":{"tags":[{"name":"vip"}],"contacts":[{"id":5,"is_main":false},{"id":6,"is_main":true}],"loss_reason":{"id":77}}}`,
		`{"id":2,"_embedded":[],"custom_fields_values":null}`,
		`{"id":3,"_embedded":{"loss_reason":[{"id":4}]},"closed_at":0,"closest_task_at":null}`)
	// Many main contacts: each one was prepended, a copy of the whole list (quadratic).
	f.Add([]byte(`{"_embedded":{"leads":[{"id":1,"_embedded":{"contacts":[` +
		strings.Repeat(`{"id":1,"is_main":true},`, 2500) + `{"id":2}]}}]}}`))
	f.Add([]byte(`{"_embedded":{"leads":[` + strings.Repeat(`1,`, 20000) + `1]}}`))
	fuzzList(f, "leads", decodeLeads, func(ch *Changes) int { return len(ch.Leads) })
}

func FuzzDecodeDeletedLeads(f *testing.F) {
	seedFile(f, "leads_page.json")
	seedPage(f, "leads", `{"id":9,"is_deleted":true,"updated_at":1700000000}`, `{"id":10,"updated_at":null}`)
	fuzzList(f, "leads", decodeDeletedLeads, func(ch *Changes) int {
		for _, m := range ch.Marks {
			if m.Entity != EntityLeads || !m.Deleted {
				panic(fmt.Sprintf("deleted-leads mark %+v", m))
			}
		}
		return len(ch.Marks)
	})
}

func FuzzDecodeContacts(f *testing.F) {
	seedPage(f, "contacts",
		`{"id":1,"name":"C","responsible_user_id":7,"created_at":1700000000,"updated_at":1700000100,"custom_fields_values":[{"field_id":1,"field_code":"PHONE","values":[{"value":"+7 900","enum_code":"WORK"}]}],"_embedded":{"leads":[{"id":5},{"id":"6"}]}}`,
		`{"id":2,"name":123,"_embedded":[]}`)
	fuzzList(f, "contacts", decodeContacts, func(ch *Changes) int { return len(ch.Contacts) })
}

func FuzzDecodeTasks(f *testing.F) {
	seedFile(f, "tasks_page.json")
	seedPage(f, "tasks",
		`{"id":1,"responsible_user_id":7,"entity_id":1,"entity_type":"leads","is_completed":true,"task_type_id":1,"text":"t","result":{"text":"done"},"complete_till":1700086400,"duration":"60","created_at":1700000000,"updated_at":1700000100}`,
		`{"id":2,"result":[],"entity_id":null,"text":5}`)
	fuzzList(f, "tasks", decodeTasks, func(ch *Changes) int { return len(ch.Tasks) })
}

func FuzzDecodeLeadNotes(f *testing.F) {
	seedFile(f, "notes_page.json")
	seedNotes(f)
	fuzzList(f, "notes", decodeNotes(EntityLeads), keptNotes(EntityLeads))
}

func FuzzDecodeContactNotes(f *testing.F) {
	seedFile(f, "notes_page.json")
	seedNotes(f)
	fuzzList(f, "notes", decodeNotes(EntityContacts), keptNotes(EntityContacts))
}

func seedNotes(f *testing.F) {
	seedPage(f, "notes",
		`{"id":1,"entity_id":1,"note_type":"call_out","params":{"duration":"45","call_status":4,"call_result":"ok","link":"https://x/r.mp3","phone":"+7","uniq":"u","source":"s"},"created_by":7,"responsible_user_id":7,"created_at":1700000000,"updated_at":1700000100}`,
		`{"id":2,"note_type":"common","params":[]}`,
		`{"id":3,"note_type":"call_in","params":{"duration":[1]}}`)
}

// keptNotes counts the notes and checks each carries the entity type of its path.
func keptNotes(entityType string) func(*Changes) int {
	return func(ch *Changes) int {
		for _, n := range ch.Notes {
			if n.EntityType != entityType || (n.Call != nil) != n.IsCall() {
				panic(fmt.Sprintf("note %+v on a %s page", n, entityType))
			}
		}
		return len(ch.Notes)
	}
}

func FuzzDecodeEvents(f *testing.F) {
	seedFile(f, "events_page.json")
	seedPage(f, "events",
		`{"id":"01hx","type":"lead_status_changed","entity_id":5,"entity_type":"lead","created_by":7,"created_at":1700000000,"value_after":[{"lead_status":{"id":142,"pipeline_id":1}}],"value_before":[{"lead_status":{"id":"10","pipeline_id":1}}]}`,
		`{"id":42,"type":"lead_deleted","entity_id":"6","created_at":"1700000001","value_after":{},"value_before":null}`,
		`{"id":"e3","type":"entity_responsible_changed","value_after":[{"responsible_user":{"id":9}},7,"x"]}`,
		`{"id":"e4","type":"outgoing_call","value_after":[{"note":{"id":11}}],"linked_talk_contact_id":"3"}`)
	fuzzList(f, "events", decodeEvents, func(ch *Changes) int {
		marks := 0
		for i := range ch.Events {
			if _, ok := markOf(&ch.Events[i]); ok {
				marks++
			}
		}
		if marks != len(ch.Marks) {
			panic(fmt.Sprintf("%d events mark an entity, %d marks", marks, len(ch.Marks)))
		}
		return len(ch.Events)
	})
}

// dictDecode decodes a dictionary page the way its Client method does.
func dictDecode[W any, M any](key string, model func(*W) M, out *[]M) func([]byte, *Changes) (pageInfo, error) {
	return func(body []byte, ch *Changes) (pageInfo, error) {
		return decodeItems(body, key, ch, func(w *W) { *out = append(*out, model(w)) })
	}
}

func FuzzDecodeUsers(f *testing.F) {
	seedFile(f, "users_page.json")
	seedPage(f, "users", `{"id":1,"name":"A","email":"a@x","lang":"ru","rights":{"is_admin":true,"is_active":null,"group_id":"3"}}`,
		`{"id":2,"rights":[]}`)
	f.Fuzz(func(t *testing.T, body []byte) {
		if len(body) > fuzzMaxBody {
			t.Skip()
		}
		var out []User
		r := decodePage(body, dictDecode("users", (*wireUser).model, &out), func(*Changes) int { return len(out) })
		checkPage(t, body, "users", r)
	})
}

func FuzzDecodePipelines(f *testing.F) {
	seedFile(f, "pipelines.json")
	seedPage(f, "pipelines", `{"id":1,"name":"P","sort":"1","is_main":true,"_embedded":{"statuses":[{"id":10,"name":"S","sort":10,"type":1},{"id":142,"pipeline_id":1}]}}`,
		`{"id":2,"_embedded":[]}`)
	f.Fuzz(func(t *testing.T, body []byte) {
		if len(body) > fuzzMaxBody {
			t.Skip()
		}
		var out []Pipeline
		r := decodePage(body, dictDecode("pipelines", (*wirePipeline).model, &out), func(*Changes) int { return len(out) })
		checkPage(t, body, "pipelines", r)
		for _, pl := range out {
			for _, s := range pl.Statuses {
				if pl.ID != 0 && s.PipelineID == 0 {
					t.Fatalf("status %d of pipeline %d has no pipeline", s.ID, pl.ID)
				}
			}
		}
	})
}

func FuzzDecodeLossReasons(f *testing.F) {
	seedFile(f, "loss_reasons.json")
	seedPage(f, "loss_reasons", `{"id":1,"name":"Дорого","sort":"2"}`, `{"id":2,"name":null}`)
	f.Fuzz(func(t *testing.T, body []byte) {
		if len(body) > fuzzMaxBody {
			t.Skip()
		}
		var out []LossReason
		r := decodePage(body, dictDecode("loss_reasons", (*wireLossReason).model, &out), func(*Changes) int { return len(out) })
		checkPage(t, body, "loss_reasons", r)
	})
}

func FuzzDecodeCustomFields(f *testing.F) {
	seedFile(f, "custom_fields.json")
	seedPage(f, "custom_fields", `{"id":1,"name":"Budget","code":null,"type":"numeric","sort":5,"required_statuses":[{"status_id":142,"pipeline_id":1}]}`,
		`{"id":2,"required_statuses":null}`)
	f.Fuzz(func(t *testing.T, body []byte) {
		if len(body) > fuzzMaxBody {
			t.Skip()
		}
		var out []CustomField
		model := func(w *wireCustomField) CustomField { return w.model(EntityLeads) }
		r := decodePage(body, dictDecode("custom_fields", model, &out), func(*Changes) int { return len(out) })
		checkPage(t, body, "custom_fields", r)
		for _, cf := range out {
			if cf.EntityType != EntityLeads {
				t.Fatalf("field %d of %q", cf.ID, cf.EntityType)
			}
		}
	})
}

func FuzzDecodeAccount(f *testing.F) {
	seedFile(f, "account.json")
	f.Add([]byte(`{"id":1,"name":7,"subdomain":"x","country":null,"is_api_filter_enabled":true,"_embedded":{"datetime_settings":{"timezone":"Europe/Moscow"}}}`))
	f.Add([]byte(`{"id":1,"_embedded":[]}`))
	f.Add([]byte(`{"id":"1"}`))
	f.Add([]byte(` `))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, body []byte) {
		if len(body) > fuzzMaxBody {
			t.Skip()
		}
		var a *Account
		var err error
		var n uint64
		if len(body) < allocCheckFrom {
			a, err = decodeAccount(body)
		} else {
			n = allocated(func() { a, err = decodeAccount(body) })
		}
		if (a == nil) == (err == nil) {
			t.Fatalf("account %v with error %v", a, err)
		}
		if len(bytes.TrimSpace(body)) == 0 && err == nil {
			t.Fatal("an empty body decoded")
		}
		if limit := uint64(fuzzAllocPerByte*len(body) + fuzzAllocBase); n > limit {
			t.Fatalf("decoding %d bytes allocated %d bytes", len(body), n)
		}
	})
}
