// Package report turns the daily table of the effective head of sales (shared/RULES.md "The
// daily table": per manager, per day, the number of violations of each rule) into files a
// person opens: an XLSX workbook (with one sheet listing the violations behind the counts,
// deal by deal), a CSV of the detail rows and a PNG trend chart.
//
// Every function takes a Table and a *locales.Printer and returns the file's bytes; nothing
// here does I/O, reads the clock or keeps state, so the same input gives the same bytes in
// all three formats (tests check it), and calls may run concurrently. An empty table still gives valid files with a "no data"
// note. All texts come from the catalog keys "report.*", "rule.<id>.name" and, for what a
// finding measured (Detail, shared with the bot's lists), "drill.detail.*".
package report
