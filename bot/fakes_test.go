package bot

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"salesguard/amo"
	"salesguard/checks"
)

// call is one recorded Bot API request.
type call struct {
	Method string
	Params map[string]string
}

// fakeTelegram answers Bot API calls like Telegram does and records them. Scripted failures
// are consumed in order, per method.
type fakeTelegram struct {
	*httptest.Server
	mu    sync.Mutex
	calls []call
	fails map[string][]string // method → raw JSON answers to give before succeeding
	next  int
	files map[string][]byte // file_id → content, served by getFile and the download path
}

// putFile makes a file downloadable by its id (getFile, then /file/bot<token>/<path>).
func (f *fakeTelegram) putFile(id string, data []byte) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.files[id] = data
}

func newFakeTelegram(t *testing.T) *fakeTelegram {
	t.Helper()
	f := &fakeTelegram{fails: map[string][]string{}, next: 100, files: map[string][]byte{}}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.Close)
	return f
}

// fail scripts the next answer of a method.
func (f *fakeTelegram) fail(method, body string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fails[method] = append(f.fails[method], body)
}

func (f *fakeTelegram) serve(w http.ResponseWriter, r *http.Request) {
	if rest, ok := strings.CutPrefix(r.URL.Path, "/file/bot"); ok {
		_, path, _ := strings.Cut(rest, "/")
		f.mu.Lock()
		data, found := f.files[strings.TrimPrefix(path, "documents/")]
		f.mu.Unlock()
		if !found {
			http.NotFound(w, r)
			return
		}
		_, _ = w.Write(data)
		return
	}
	i := strings.LastIndex(r.URL.Path, "/")
	method := r.URL.Path[i+1:]
	params := readParams(r)
	f.mu.Lock()
	f.calls = append(f.calls, call{method, params})
	var scripted string
	if q := f.fails[method]; len(q) > 0 {
		scripted, f.fails[method] = q[0], q[1:]
	}
	f.next++
	id := f.next
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	if method == "getUpdates" && scripted == "" {
		// A short long poll: it ends when the bot cancels it, or empty after a moment.
		select {
		case <-r.Context().Done():
		case <-time.After(50 * time.Millisecond):
		}
		_, _ = io.WriteString(w, `{"ok":true,"result":[]}`)
		return
	}
	if scripted != "" {
		_, _ = io.WriteString(w, scripted)
		return
	}
	chat := params["chat_id"]
	if chat == "" {
		chat = "0"
	}
	msg := fmt.Sprintf(`{"message_id":%d,"date":1,"chat":{"id":%s,"type":"private"}`, id, chat)
	switch method {
	case "sendMessage", "editMessageText", "editMessageReplyMarkup":
		text, _ := json.Marshal(params["text"])
		_, _ = fmt.Fprintf(w, `{"ok":true,"result":%s,"text":%s}}`, msg, text)
	case "sendPhoto":
		_, _ = fmt.Fprintf(w, `{"ok":true,"result":%s,"photo":[{"file_id":"p","file_unique_id":"p","width":1,"height":1}]}}`, msg)
	case "sendDocument":
		_, _ = fmt.Fprintf(w, `{"ok":true,"result":%s,"document":{"file_id":"d","file_unique_id":"d"}}}`, msg)
	case "getMe":
		_, _ = io.WriteString(w, `{"ok":true,"result":{"id":1,"is_bot":true,"first_name":"SG","username":"sg_bot"}}`)
	case "getFile":
		id, _ := json.Marshal(params["file_id"])
		path, _ := json.Marshal("documents/" + params["file_id"])
		_, _ = fmt.Fprintf(w, `{"ok":true,"result":{"file_id":%s,"file_unique_id":"u","file_path":%s}}`, id, path)
	default:
		_, _ = io.WriteString(w, `{"ok":true,"result":true}`)
	}
}

// readParams decodes a telebot request: a JSON object of strings, or a multipart form.
func readParams(r *http.Request) map[string]string {
	out := map[string]string{}
	mt, mp, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt == "multipart/form-data" {
		mr := multipart.NewReader(r.Body, mp["boundary"])
		for {
			part, err := mr.NextPart()
			if err != nil {
				break
			}
			b, _ := io.ReadAll(part)
			out[part.FormName()+".size"] = fmt.Sprint(len(b)) // file parts: their content
			out[part.FormName()+".data"] = string(b)
			if part.FileName() != "" {
				out[part.FormName()] = "file:" + part.FileName()
			} else {
				out[part.FormName()] = string(b)
			}
		}
		return out
	}
	var raw map[string]any
	_ = json.NewDecoder(r.Body).Decode(&raw)
	for k, v := range raw {
		if s, ok := v.(string); ok {
			out[k] = s
		} else {
			b, _ := json.Marshal(v)
			out[k] = string(b)
		}
	}
	return out
}

// take returns and forgets the recorded calls, leaving out the given methods.
func (f *fakeTelegram) take(skip ...string) []call {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []call
	for _, c := range f.calls {
		if !contains(skip, c.Method) {
			out = append(out, c)
		}
	}
	f.calls = nil
	return out
}

// count returns how many calls of a method were recorded (without forgetting them).
func (f *fakeTelegram) count(method string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, c := range f.calls {
		if c.Method == method {
			n++
		}
	}
	return n
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// fakeStore is an in-memory Store and, for its home account ("acme"), AccountStore: the
// tests of one account read its fields directly. In(other) gives another account's data, a
// fakeStore of its own; people, invites and current accounts live in the root.
type fakeStore struct {
	mu        sync.Mutex
	account   string                      // the account whose data this store holds
	root      *fakeStore                  // nil for the root
	people    map[int64]Person            // memberships of the home account
	others    map[string]map[int64]Person // memberships of the other accounts
	current   map[int64]string
	subs      map[string]*fakeStore
	invites   map[string]Invite // every account's invites (the root's)
	strangers map[int64]bool
	snoozed   map[string]time.Time
	acked     map[string]int64
	settings  *checks.Settings // nil: defaults
	history   []SettingsRevision
	saves     int
	verdicts  []Verdict
	table     []checks.TableRow
	reviews   fakeReviews // review_fakes_test.go
	found     fakeFound   // drilldown_fakes_test.go
}

func newFakeStore(people ...Person) *fakeStore {
	s := newAccountStore("acme", nil)
	for _, p := range people {
		_ = s.PutPerson(p)
	}
	return s
}

func newAccountStore(account string, root *fakeStore) *fakeStore {
	return &fakeStore{account: account, root: root, people: map[int64]Person{}, others: map[string]map[int64]Person{},
		current: map[int64]string{}, subs: map[string]*fakeStore{}, invites: map[string]Invite{},
		strangers: map[int64]bool{}, snoozed: map[string]time.Time{}, acked: map[string]int64{}}
}

// In returns the data of an account: the root's own for its account, else a store of that
// account's.
func (s *fakeStore) In(account string) AccountStore {
	s.mu.Lock()
	defer s.mu.Unlock()
	if account == s.account {
		return s
	}
	sub, ok := s.subs[account]
	if !ok {
		sub = newAccountStore(account, s)
		s.subs[account] = sub
	}
	return sub
}

// sub returns an account's data as the fake (tests read its fields).
func (s *fakeStore) sub(account string) *fakeStore { return s.In(account).(*fakeStore) }

// put stores a membership (a test's shorthand for PutPerson).
func (s *fakeStore) put(p Person) { _ = s.PutPerson(p) }

func (s *fakeStore) Memberships(id int64) ([]Person, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Person
	if p, ok := s.people[id]; ok {
		out = append(out, p)
	}
	for _, ps := range s.others {
		if p, ok := ps[id]; ok {
			out = append(out, p)
		}
	}
	slices.SortFunc(out, func(a, b Person) int { return strings.Compare(a.Account, b.Account) })
	return out, nil
}

func (s *fakeStore) PutPerson(p Person) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p.Account == s.account || p.Account == "" {
		s.people[p.TelegramID] = p
		return nil
	}
	if s.others[p.Account] == nil {
		s.others[p.Account] = map[int64]Person{}
	}
	s.others[p.Account][p.TelegramID] = p
	return nil
}

func (s *fakeStore) People(account string) ([]Person, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if account != s.account {
		var out []Person
		for _, p := range s.others[account] {
			out = append(out, p)
		}
		slices.SortFunc(out, func(a, b Person) int { return cmp.Compare(a.TelegramID, b.TelegramID) })
		return out, nil
	}
	var out []Person
	for _, id := range []int64{100, 200, 300, 301} {
		if p, ok := s.people[id]; ok {
			out = append(out, p)
		}
	}
	for id, p := range s.people {
		if id != 100 && id != 200 && id != 300 && id != 301 {
			out = append(out, p)
		}
	}
	return out, nil
}

func (s *fakeStore) CurrentAccount(id int64) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.current[id], nil
}

func (s *fakeStore) SetCurrentAccount(id int64, account string) error {
	ms, _ := s.Memberships(id)
	if !slices.ContainsFunc(ms, func(p Person) bool { return p.Account == account }) {
		return fmt.Errorf("person %d is not in account %s", id, account)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.current[id] = account
	return nil
}

func (s *fakeStore) PutInvite(inv Invite) error {
	if s.root != nil {
		inv.Account = s.account
		return s.root.PutInvite(inv)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.invites[inv.Code] = inv
	return nil
}

func (s *fakeStore) TakeInvite(code string) (Invite, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	inv, ok := s.invites[code]
	delete(s.invites, code)
	return inv, ok, nil
}

func (s *fakeStore) MarkStranger(id int64) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	first := !s.strangers[id]
	s.strangers[id] = true
	return first, nil
}

func (s *fakeStore) Snooze(key string, until time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.snoozed[key] = until
	return nil
}

func (s *fakeStore) Ack(key string, by int64, _ time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.acked[key] = by
	return nil
}

// fakeSource serves a fixed account.
type fakeSource struct {
	accounts []string // nil: none named (the bot serves Config.Account)
	pending  []checks.PendingLead
	snap     *amo.Snapshot
	findings []checks.Finding
	settings checks.Settings
	digest   checks.Digest
	plans    []checks.ManagerPlan
	review   map[amo.UserID][]checks.ReviewCall
	audit    map[amo.UserID][]amo.LeadID // the sample of every day
	funnel   checks.FunnelStats
}

func (s *fakeSource) Findings(_ string, rules ...checks.RuleID) []checks.Finding {
	if len(rules) == 0 {
		return s.findings
	}
	var out []checks.Finding
	for _, f := range s.findings {
		if slices.Contains(rules, f.Rule) {
			out = append(out, f)
		}
	}
	return out
}

func (s *fakeSource) OpenFinding(_ string, k checks.Key) (checks.Finding, bool) {
	for _, f := range s.findings {
		if f.Key() == k {
			return f, true
		}
	}
	return checks.Finding{}, false
}

func (s *fakeSource) DealName(_ string, id amo.LeadID) string {
	for _, l := range s.snap.Leads {
		if l.ID == id {
			return l.Name
		}
	}
	return ""
}

func (s *fakeSource) Accounts() []string                                     { return s.accounts }
func (s *fakeSource) Snapshot(string) *amo.Snapshot                          { return s.snap }
func (s *fakeSource) Settings(string) checks.Settings                        { return s.settings }
func (s *fakeSource) Digest(string) (checks.Digest, error)                   { return s.digest, nil }
func (s *fakeSource) Plans(string) ([]checks.ManagerPlan, error)             { return s.plans, nil }
func (s *fakeSource) ReviewSample(string) map[amo.UserID][]checks.ReviewCall { return s.review }
func (s *fakeSource) Pending(string) []checks.PendingLead                    { return s.pending }
