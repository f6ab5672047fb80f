package bot

import (
	"strings"
	"testing"
)

func TestReportCommandsAccess(t *testing.T) {
	allowed := map[string][]int64{
		"/report": {idAdmin, idHead, idManager}, "/audit": {idAdmin, idHead},
		"/funnel": {idAdmin, idHead}, "/settings": {idAdmin},
	}
	forbidden := esc(mustCatalog(t).Printer("en").T("bot.error.forbidden"))
	for cmd, who := range allowed {
		for _, from := range []int64{idAdmin, idHead, idManager, idStranger} {
			t.Run(strings.TrimPrefix(cmd, "/")+"/"+roleName(from), func(t *testing.T) {
				h := auditHarness(t, "en")
				h.send(idStranger, "en", "/help")
				h.tg.take()
				h.send(from, "en", cmd)
				calls := h.tg.take("setMyCommands")
				switch {
				case from == idStranger:
					if len(calls) != 0 {
						t.Errorf("stranger got %+v", calls)
					}
				case contains64(who, from):
					if len(calls) == 0 || calls[0].Params["text"] == forbidden {
						t.Errorf("calls = %+v, want the command's answer", calls)
					}
				default:
					if len(calls) != 1 || calls[0].Params["text"] != forbidden {
						t.Errorf("calls = %+v, want %q", calls, forbidden)
					}
				}
			})
		}
	}
}

func TestReportCommandsPrivateOnly(t *testing.T) {
	for _, cmd := range []string{"/report", "/audit", "/funnel", "/settings"} {
		h := auditHarness(t, "en")
		h.sendGroup(idAdmin, cmd)
		calls := h.tg.take("setMyCommands")
		want := esc(mustCatalog(t).Printer("en").T("bot.error.private"))
		if len(calls) != 1 || calls[0].Params["text"] != want {
			t.Errorf("%s in a group: %+v", cmd, calls)
		}
	}
}
