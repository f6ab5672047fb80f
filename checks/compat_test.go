package checks

import "salesguard/amo"

// Per-rule entry points for the rule tests: each evaluates one rule over the whole working set.

func evalR5(in *Input) []Finding         { return Evaluate(in, R5) }
func evalR6(in *Input) []Finding         { return Evaluate(in, R6) }
func evalR7(in *Input) []Finding         { return Evaluate(in, R7) }
func evalR8(in *Input) []Finding         { return Evaluate(in, R8) }
func evalR9(in *Input) []Finding         { return Evaluate(in, R9) }
func evalR10(in *Input) []Finding        { return Evaluate(in, R10) }
func evalR13(in *Input) []Finding        { return Evaluate(in, R13) }
func evalDataHealth(in *Input) []Finding { return Evaluate(in, RuleDataHealth) }

// trouble evaluates R7's telephony-trouble finding alone, with call data taken as present.
func trouble(in *Input) []Finding {
	in.health = &callHealth{managerOff: map[amo.UserID]bool{}}
	o := &out{now: in.Now}
	r7Trouble(in, o)
	SortFindings(o.fs)
	return o.fs
}

// callDataMissing reports whether the call rules must stay quiet for manager m.
func callDataMissing(in *Input, m amo.UserID) bool { return callHealthOf(in).missing(m) }
