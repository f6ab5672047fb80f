package workset

import (
	"hash/maphash"
	"reflect"
	"testing"

	"salesguard/amo"
)

// TestTextArena stores each text once, reads back what was put, and survives a hash collision
// and a trim.
func TestTextArena(t *testing.T) {
	a := newTextArena()
	call, done := a.put("Перезвонить"), a.put("done")
	if again := a.put("Перезвонить"); again != call {
		t.Errorf("an equal text stored twice: %v, %v", call, again)
	}
	if a.put("") != (strRef{}) || a.str(strRef{}) != "" {
		t.Error("the empty text is not the zero ref")
	}
	// A text whose hash another text holds is stored on its own, not mistaken for it.
	other := "another text"
	a.at[maphash.String(a.seed, other)] = call
	if r := a.put(other); a.str(r) != other || r == call {
		t.Errorf("a hash collision gave %q", a.str(r))
	}
	if a.reput(done, "done") != done || a.str(a.reput(done, "done!")) != "done!" {
		t.Error("reput does not keep an equal text or store a changed one")
	}
	s := a.str(call)
	for i := range 1000 { // grows the array: what was read stays as it was
		a.put(string(rune('a'+i%26)) + "xyz")
	}
	a.trim()
	if s != "Перезвонить" || a.str(call) != "Перезвонить" || a.str(done) != "done" {
		t.Errorf("after growth and trim: %q, %q, %q", s, a.str(call), a.str(done))
	}
}

// changes applies p to s and returns how many records it changed.
func changes(s *Set, p *amo.Changes) int {
	s.Apply(p)
	return len(s.TakeChanged())
}

// rereadThenEdit asserts that reading a record again unchanged records no change and that
// the edited record is one.
func rereadThenEdit(t *testing.T, s *Set, unchanged, edited *amo.Changes, what string) {
	t.Helper()
	if n := changes(s, unchanged); n != 0 {
		t.Errorf("the same %s read again: %d changes, want none", what, n)
	}
	if n := changes(s, edited); n != 1 {
		t.Errorf("an edited %s: %d changes, want 1", what, n)
	}
}

// TestTaskTextsKeptByTheSet: an unchanged task read again records no change; a new result
// does; a recarve keeps every text and drops the ones no task refers to.
func TestTaskTextsKeptByTheSet(t *testing.T) {
	s := New()
	task := amo.Task{ID: 7, EntityID: 1, EntityType: amo.EntityLeads, Text: "call", Result: "first", IsCompleted: true,
		CompleteTill: t0, CreatedAt: t0, UpdatedAt: t0}
	p := page(t0)
	p.Tasks = []amo.Task{task}
	changes(s, p)
	edited := page(t0)
	task.Result = "second"
	edited.Tasks = []amo.Task{task}
	rereadThenEdit(t, s, p, edited, "task")
	before := len(s.texts.b)
	s.Recarve()
	got := s.TaskByID(7)
	if s.TaskText(got) != "call" || s.TaskResult(got) != "second" {
		t.Errorf("after a recarve: %q, %q", s.TaskText(got), s.TaskResult(got))
	}
	if len(s.texts.b) >= before {
		t.Errorf("recarve kept %d bytes of texts, had %d with the old result", len(s.texts.b), before)
	}
}

// TestSlotsHoldNoPointer: the deal, contact and task arrays and the pools' chunks are never
// scanned by the collector only while a Deal, a Contact, a Task and an Act hold no pointer (a
// string, slice, map or pointer field would bring it back).
func TestSlotsHoldNoPointer(t *testing.T) {
	var walk func(reflect.Type) string
	walk = func(typ reflect.Type) string {
		switch typ.Kind() {
		case reflect.Struct:
			for i := range typ.NumField() {
				if p := walk(typ.Field(i).Type); p != "" {
					return typ.Field(i).Name + "." + p
				}
			}
			return ""
		case reflect.Array:
			return walk(typ.Elem())
		case reflect.String, reflect.Slice, reflect.Map, reflect.Pointer, reflect.Interface, reflect.Chan, reflect.Func, reflect.UnsafePointer:
			return typ.Kind().String()
		}
		return ""
	}
	for _, typ := range []reflect.Type{reflect.TypeFor[Deal](), reflect.TypeFor[Contact](), reflect.TypeFor[Task](), reflect.TypeFor[Act]()} {
		if p := walk(typ); p != "" {
			t.Errorf("%s holds a pointer: %s", typ.Name(), p)
		}
	}
}

// TestNoteTextsKeptByTheSet: a note read again unchanged records no change, an edited one
// does; a recarve keeps the texts of deals' and of pending trails' items.
func TestNoteTextsKeptByTheSet(t *testing.T) {
	s := New()
	p := page(t0)
	p.Leads = []amo.Lead{lead(1, 10, 0)}
	note := amo.Note{ID: 4, EntityType: amo.EntityLeads, EntityID: 1, NoteType: amo.NoteCommon, Text: "договорились", CreatedAt: t0, CreatedBy: 5}
	waiting := amo.Note{ID: 5, EntityType: amo.EntityLeads, EntityID: 2, NoteType: amo.NoteCommon, Text: "ждёт сделку", CreatedAt: t0, CreatedBy: 5}
	p.Notes = []amo.Note{note, waiting}
	changes(s, p)
	again, edited := page(t0), page(t0)
	again.Notes = []amo.Note{note}
	note.Text = "перезвонить в пятницу"
	edited.Notes = []amo.Note{note}
	rereadThenEdit(t, s, again, edited, "note")
	s.Recarve()
	acts := s.DealByID(1).Acts()
	if len(acts) != 1 || s.ActText(&acts[0]) != "перезвонить в пятницу" {
		t.Fatalf("after a recarve the deal's note reads %q", s.ActText(&acts[0]))
	}
	later := page(t0)
	later.Leads = []amo.Lead{lead(2, 10, 0)}
	s.Apply(later)
	acts = s.DealByID(2).Acts()
	if len(acts) != 1 || s.ActText(&acts[0]) != "ждёт сделку" {
		t.Fatalf("the note that waited for its deal through a recarve reads %v", acts)
	}
}
