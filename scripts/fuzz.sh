#!/usr/bin/env bash
# fuzz.sh runs every Fuzz target of the module, one at a time, and fails if any of them finds
# a crash (the failing input is left in <package>/testdata/fuzz/<target>/ for `go test` to
# replay; keep it there as a regression seed once fixed).
#
#   scripts/fuzz.sh [package ...]        default: every package of the module (./...)
#
#   FUZZTIME       how long each target runs: a duration (60s, 5m) or a count (1000000x);
#                  default 60s
#   FUZZ_PARALLEL  fuzzing workers per target (go test -parallel); default 1
#   FUZZ_RUN       only the targets whose name matches this regexp; default all
#
# For each target it prints the package, the name and go test's last status line, the one
# with the final execs count. Needs Go 1.18 or later; nothing reaches the network.
set -euo pipefail

fuzztime=${FUZZTIME:-60s}
parallel=${FUZZ_PARALLEL:-1}
only=${FUZZ_RUN:-.}
case "${1:-}" in -h|--help) sed -n '2,14p' "$0"; exit 0 ;; esac

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
pkgs=("$@")
[ ${#pkgs[@]} -gt 0 ] || pkgs=(./...)

# go test -list prints a package's matching names, then its "ok <import path>" line.
targets=()
names=()
while IFS= read -r line; do
	case "$line" in
	Fuzz*) names+=("$line") ;;
	ok*)
		pkg=$(awk '{print $2}' <<<"$line")
		for n in ${names[@]+"${names[@]}"}; do
			if grep -Eq -- "$only" <<<"$n"; then targets+=("$pkg $n"); fi
		done
		names=()
		;;
	esac
done < <(go test -list '^Fuzz' "${pkgs[@]}")
[ ${#targets[@]} -gt 0 ] || { echo "fuzz: no Fuzz targets found in ${pkgs[*]}" >&2; exit 2; }

log=$(mktemp "${TMPDIR:-/tmp}/salesguard-fuzz.XXXXXX")
trap 'rm -f "$log"' EXIT
failed=()
echo "fuzz: ${#targets[@]} targets, ${fuzztime} each, -parallel ${parallel}"
for t in "${targets[@]}"; do
	pkg=${t% *} name=${t#* }
	status=ok
	if ! go test -run '^$' -fuzz "^${name}\$" -fuzztime "$fuzztime" -parallel "$parallel" -timeout 0 "$pkg" >"$log" 2>&1; then
		status=FAIL
		failed+=("$pkg $name")
	fi
	last=$(grep -E '^fuzz: elapsed: .*execs: ' "$log" | tail -n 1 || true)
	printf '%-4s %s %s: %s\n' "$status" "$pkg" "$name" "${last:-no status line}"
	if [ "$status" = FAIL ]; then
		grep -vE '^fuzz: elapsed: ' "$log" | tail -n 40 | sed 's/^/    /'
	fi
done

if [ ${#failed[@]} -gt 0 ]; then
	echo "fuzz: ${#failed[@]} of ${#targets[@]} targets failed:" >&2
	printf '  %s\n' "${failed[@]}" >&2
	exit 1
fi
echo "fuzz: all ${#targets[@]} targets passed"
