// Package checks is the pure core of SalesGuard: it turns an amoCRM snapshot, the account's
// settings and a moment into findings, one rule of shared/RULES.md per file
// (r01_first_response.go … r13_audit_sample.go, datahealth.go). It does no I/O, reads no clock
// and logs nothing; equal inputs give equal outputs.
//
// Evaluation (Run): Settings.Validate → NewCalendar (working time in the account's zone) →
// BuildIndex (lookups, linear time) → Resolve (what stages and loss reasons mean, configured or
// detected by name in ru/en/es) → each enabled rule → SortFindings.
//
// Rules and default thresholds (DefaultSettings):
//
//	R1  new lead taken within 15 working minutes; escalation at 2×; taken late = info for the table
//	R2  open deal has an open task
//	R3  no open task past complete_till (one finding per deal)
//	R4  time in stage under its limit (new 1h, missed call 5d, call back 2d, trial 14d, decision 20d);
//	    limits up to 1h count working time, longer ones calendar time, unless the stage says otherwise
//	R5  lost deals have a concrete loss reason; "other" explained in a note within 24h
//	R6  ≥3 attempts on each of the first 2 days, ≥15 in 5 days, at ≥2 hours, a message after a miss
//	R7  calls ≥30s are real touches; 20–40s telephony trouble; 3 calls ≥60s per manager for review
//	R8  completed tasks carry a result (≥5 letters, not "ок"/"done"/…)
//	R9  a note within 30 min after each call ≥30s
//	R10 required fields filled from their stage on: any value of any type; a checkbox when checked
//	    (or when set at all, as configured)
//	R11 some communication at least every 30 days
//	R12 no deal left in the unsorted/first stage at the end of the working day (checked then only)
//	R13 a reproducible audit sample of 3 deals per manager per day
//
// Around the rules: Table, Totals and KPI build the daily table and the "hall of fame";
// ResponseStats and Funnel the R1 and R4 reports; Plan the morning plan; BuildDigest the
// end-of-day summary.
package checks
