package bot

import (
	"strings"
	"testing"

	"salesguard/amo"
	"salesguard/checks"
	"salesguard/workset"
)

// TestDigestUnsortedGolden: the digest lists the deals left unsorted at the end of the day
// (R12), escaped, with their managers (testdata/digest_unsorted.<lang>.golden).
func TestDigestUnsortedGolden(t *testing.T) {
	r := NewRenderer(mustCatalog(t))
	snap := fixtureSnap()
	end := fixtureNow.Add(150 * 60e9) // 18:00
	fs := append(fixtureFindings(),
		checks.Finding{Rule: checks.R12, Level: checks.LevelWarning, AccountID: 7, DealID: 10, ManagerID: 1, DealName: hostileDeal, Due: end},
		checks.Finding{Rule: checks.R12, Level: checks.LevelWarning, AccountID: 7, DealID: 15, ManagerID: 3, DealName: "Zeta", Due: end},
	)
	checks.SortFindings(fs)
	day := checks.DateOf(fixtureNow)
	d := checks.BuildDigest(day, checks.Table(fs, day), nil, nil, fs, workset.FromSnapshot(snap))
	for _, lang := range langs {
		t.Run(lang, func(t *testing.T) {
			m := r.Digest(d, snap, lang)
			if strings.Contains(m.Text, hostileDeal) {
				t.Error("a deal name is not escaped")
			}
			golden(t, "digest_unsorted."+lang, showMessage(m))
		})
	}
}

// TestDigestUnsortedMore: past DigestTopDeals the rest are counted, not listed.
func TestDigestUnsortedMore(t *testing.T) {
	r := NewRenderer(mustCatalog(t))
	var fs []checks.Finding
	for i := range checks.DigestTopDeals + 3 {
		fs = append(fs, checks.Finding{Rule: checks.R12, Level: checks.LevelWarning, DealID: amo.LeadID(100 + i), ManagerID: 1, DealName: "D"})
	}
	day := checks.DateOf(fixtureNow)
	d := checks.BuildDigest(day, checks.Table(fs, day), nil, nil, fs, nil)
	text := r.Digest(d, fixtureSnap(), "en").Text
	if !strings.Contains(text, "Left unsorted at the end of the day: 13 deals") || !strings.Contains(text, "…and 3 more deals") {
		t.Errorf("digest:\n%s", text)
	}
}
