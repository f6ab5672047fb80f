#!/usr/bin/env bash
# bench-service.sh measures the service as a user runs it: `salesguard sandbox --size SIZE` in
# its own process, `salesguard run` against it in another, and the figures read from outside
# (/proc, the sandbox's request counters, the service's log and the database file).
#
#   scripts/bench-service.sh [--size small|medium|large] [--rate N] [--idle N] [--busy N] [--keep] [--profile]
#
#   --size   the account (default large: 100k leads, 300k tasks, 300k notes, 1M events)
#   --rate   requests per second of both the sandbox and the service (default 0: unlimited; 7 is
#            amoCRM's real limit, and makes the large full sync take about 22 minutes)
#   --idle   idle cycles to average (default 6)
#   --busy   cycles with 100 changed deals to take the median and mean of (default 10)
#   --keep   keep the working directory (database, logs) and print where it is
#   --profile  save heap and CPU profiles of the first run (SALESGUARD_PPROF) and print the heap's top
#
# It needs Go, curl and a Linux /proc. Nothing reaches the internet. The goals are issue 9's,
# for the large account on 2 cores.
set -euo pipefail

size=large rate=0 idle=6 busy_n=10 keep=0 profile=0
while [ $# -gt 0 ]; do
	case "$1" in
	--size) size=$2; shift 2 ;;
	--rate) rate=$2; shift 2 ;;
	--idle) idle=$2; shift 2 ;;
	--busy) busy_n=$2; shift 2 ;;
	--keep) keep=1; shift ;;
	--profile) profile=1; shift ;;
	-h|--help) sed -n '2,16p' "$0"; exit 0 ;;
	*) echo "bench-service: unknown argument $1 (see --help)" >&2; exit 2 ;;
	esac
done
[ -r /proc/self/status ] || { echo "bench-service: needs Linux /proc" >&2; exit 2; }
command -v curl >/dev/null || { echo "bench-service: needs curl" >&2; exit 2; }

root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/salesguard-bench.XXXXXX")
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	if [ "$keep" = 1 ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo $((20000 + RANDOM % 20000)); }
sb_port=$(free_port)
metrics_port=$(free_port)
sb="http://127.0.0.1:$sb_port"

echo "building salesguard…"
(cd "$root" && go build -o "$work/salesguard" .)
bin=$work/salesguard

# ms converts a Go duration (1m2.5s, 830ms, 12.3µs) to milliseconds.
ms() { awk -v d="$1" 'BEGIN {
	t = 0; n = ""
	for (i = 1; i <= length(d); i++) {
		c = substr(d, i, 1)
		if (c ~ /[0-9.]/) { n = n c; continue }
		u = c; if (substr(d, i + 1, 1) == "s" && c != "s") { u = c "s"; i++ }
		if (u == "h") t += n * 3600000; else if (u == "m") t += n * 60000; else if (u == "s") t += n * 1000
		else if (u == "ms") t += n; else if (u == "µs" || u == "us") t += n / 1000; else if (u == "ns") t += n / 1e6
		n = ""
	}
	printf "%.1f", t }'; }
# field prints key=value's value from a logfmt line.
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$2"; }
status_kb() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }
wait_for() { # wait_for FILE PATTERN SECONDS
	local i=0
	until grep -q "$2" "$1" 2>/dev/null; do
		sleep 0.2; i=$((i + 1))
		if [ $i -gt $(($3 * 5)) ]; then echo "bench-service: timed out waiting for '$2' in $1" >&2; tail -5 "$1" >&2; exit 1; fi
	done
}

echo "starting the sandbox (--size $size, --rate-limit $rate)…"
"$bin" sandbox --size "$size" --rate-limit "$rate" --addr "127.0.0.1:$sb_port" >"$work/sandbox.log" 2>&1 &
pids+=($!)
wait_for "$work/sandbox.log" "amoCRM sandbox" 600
until curl -fs "$sb/_sandbox/stats" >"$work/stats0.json"; do sleep 0.2; done
min_req=$(sed -n 's/.*"min_full_sync_requests":\([0-9]*\).*/\1/p' "$work/stats0.json")
total0=$(sed -n 's/^{"total":\([0-9]*\).*/\1/p' "$work/stats0.json")

service_env=(AMO_BASE_URL="$sb" AMO_TOKEN=sandbox-token AMO_RATE_LIMIT="$rate" SALESGUARD_DB="$work/salesguard.db"
	POLL_INTERVAL=10s LOG_LEVEL=debug METRICS_ADDR="127.0.0.1:$metrics_port" SALESGUARD_LANG=en SALESGUARD_PPROF=$profile)
# The runtime's knobs pass through, to compare settings: SALESGUARD_MEMORY_LIMIT=0 GOGC=50 scripts/bench-service.sh
for v in SALESGUARD_MEMORY_LIMIT GOMEMLIMIT GOGC; do
	if [ -n "${!v:-}" ]; then service_env+=("$v=${!v}"); fi
done
start_service() { # start_service LOG
	env "${service_env[@]}" "$bin" run >"$1.out" 2>"$1" &
	svc=$!
	pids+=($svc)
}

sample_rss() { # sample_rss PID FILE: seconds since the epoch, VmRSS, RssAnon, RssFile (kB), every 0.2 s
	while [ -r "/proc/$1/status" ]; do
		awk -v t="$(date +%s.%N)" '/^VmRSS:/ { r = $2 } /^RssAnon:/ { a = $2 } /^RssFile:/ { f = $2 } END { if (r) print t, r, a, f }' "/proc/$1/status" >>"$2" 2>/dev/null || true
		sleep 0.2
	done
}

echo "first run: full sync…"
t0=$(date +%s.%N)
start_service "$work/run1.log"
sample_rss "$svc" "$work/rss1.tsv" &
wait_for "$work/run1.log" "msg=\"account ready\"" 7200
ready1=$(date +%s.%N)
full=$(grep 'msg=cycle' "$work/run1.log" | grep 'full=true' | tail -1)
sync_ms=$(ms "$(field sync "$full")")
first_ms=$(awk -v e="$(ms "$(field eval "$full")")" -v l="$(ms "$(field ledger "$full")")" 'BEGIN { printf "%.0f", e + l }')
stats=$(curl -fs "$sb/_sandbox/stats")
reqs=$(($(sed -n 's/^{"total":\([0-9]*\).*/\1/p' <<<"$stats") - total0))
r429=$(sed -n 's/.*"rate_limited":\([0-9]*\).*/\1/p' <<<"$stats")

echo "idle cycles…"
n0=$(grep -c 'msg=cycle' "$work/run1.log" || true)
until [ "$(grep 'msg=cycle' "$work/run1.log" | tail -n +$((n0 + 1)) | grep -c ' pages=[1-9]')" -ge "$idle" ]; do sleep 0.5; done
idle_cpu=$(grep 'msg=cycle' "$work/run1.log" | tail -n +$((n0 + 1)) | grep ' pages=[1-9]' | grep ' items=0 ' | head -n "$idle" |
	while read -r l; do ms "$(field cpu "$l")"; echo; done | sort -n | awk '{ v[NR] = $1 } END { if (NR) printf "%.1f", v[int((NR + 1) / 2)] }')

if [ "$profile" = 1 ]; then
	curl -fs "http://127.0.0.1:$metrics_port/debug/pprof/heap?gc=1" >"$work/heap1.pb.gz"
	curl -fs "http://127.0.0.1:$metrics_port/metrics" | grep -E '^go_(gc_duration_seconds_count|memstats_heap_alloc_bytes|memstats_sys_bytes)' >"$work/gc1.txt" || true
fi

echo "cycles with 100 changed deals…"
# One cycle's CPU counts a garbage collection when one falls in it (tens of ms at this size):
# the median of $busy_n such cycles is the figure; their mean (collections amortized) and the
# largest (a cycle with a collection) are printed beside it.
busy_cpus=()
for _ in $(seq "$busy_n"); do
	n1=$(grep -c 'msg=cycle' "$work/run1.log")
	curl -fs -X POST "$sb/_sandbox/touch?deals=100" >/dev/null
	until grep 'msg=cycle' "$work/run1.log" | tail -n +$((n1 + 1)) | grep -q ' items=[1-9]'; do sleep 0.2; done
	busy=$(grep 'msg=cycle' "$work/run1.log" | tail -n +$((n1 + 1)) | grep ' items=[1-9]' | head -1)
	busy_cpus+=("$(ms "$(field cpu "$busy")")")
	busy_changed=$(field changed "$busy")
done
busy_cpu=$(printf '%s\n' "${busy_cpus[@]}" | sort -n | awk '{ v[NR] = $1 } END { printf "%.1f", v[int((NR + 1) / 2)] }')
busy_max=$(printf '%s\n' "${busy_cpus[@]}" | sort -n | tail -1)
# The mean counts the collections at the rate they fall: the CPU such cycles cost over time.
busy_mean=$(printf '%s\n' "${busy_cpus[@]}" | awk '{ t += $1 } END { printf "%.1f", t / NR }')
hwm1=$(status_kb "$svc" VmHWM)
rss1=$(status_kb "$svc" VmRSS)
# When the peak was, against the end of the first cycle (from the samples).
peak_at=$(awk -v end="$ready1" '$2 > m { m = $2; t = $1; a = $3; f = $4 } END { printf "%+.0f s from the end of the first cycle: anon %d MB, file %d MB", t - end, a / 1024, f / 1024 }' "$work/rss1.tsv")

echo "restart…"
kill -TERM "$svc"; wait "$svc" 2>/dev/null || true
db_bytes=$(stat -c %s "$work/salesguard.db")
# The restart is measured from a cold page cache, as after a reboot: the database file's pages
# are dropped from the kernel's cache (GNU dd's "drop cache for the whole file"), so the figure
# does not depend on whether this machine's kernel kept them while the service idled.
cache="cold cache"
dd if="$work/salesguard.db" iflag=nocache count=0 status=none 2>/dev/null || cache="cache as it was"
t1=$(date +%s.%N)
start_service "$work/run2.log"
wait_for "$work/run2.log" "msg=\"account ready\"" 600
t2=$(date +%s.%N)
restart_ms=$(awk -v a="$t1" -v b="$t2" 'BEGIN { printf "%.0f", (b - a) * 1000 }')
ready=$(grep 'msg="account ready"' "$work/run2.log" | tail -1)
hwm2=$(status_kb "$svc" VmHWM)

bound="none (unlimited)"
if [ "$rate" != 0 ]; then bound=$(awk -v n="$min_req" -v r="$rate" 'BEGIN { printf "%.1f s", n / r }'); fi

cat <<EOF

salesguard bench-service: size $size, rate $rate, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)${SALESGUARD_MEMORY_LIMIT:+, SALESGUARD_MEMORY_LIMIT=$SALESGUARD_MEMORY_LIMIT}${GOGC:+, GOGC=$GOGC}
figure                                   measured          goal
full-sync requests / minimum             $reqs / $min_req (429s: $r429)   1.000x, 0 x 429
full-sync wall time / rate bound         $(awk -v m="$sync_ms" 'BEGIN { printf "%.1f s", m / 1000 }') / $bound   close to the bound
peak RSS (VmHWM), first run              $((hwm1 / 1024)) MB (now $((rss1 / 1024)) MB)   <= 150 MB
  sampled peak                           $peak_at
first cycle after the full sync          ${first_ms} ms (eval+ledger)   <= 2000 ms
CPU of an idle cycle (median of $idle)      ${idle_cpu} ms   <= 20 ms
CPU of a cycle with 100 changed deals    ${busy_cpu} ms (median of $busy_n, mean $busy_mean, max $busy_max; $busy_changed scopes changed)   <= 50 ms
restart to the first cycle ($cache)  ${restart_ms} ms (in process: $(field since_start "$ready"))   <= 2000 ms
peak RSS (VmHWM) after the restart       $((hwm2 / 1024)) MB   <= 150 MB
database file                            $((db_bytes / 1048576)) MB   <= 150 MB
EOF
if [ "$profile" = 1 ]; then
	echo
	cat "$work/gc1.txt"
	go tool pprof -sample_index=inuse_space -top "$work/heap1.pb.gz" 2>/dev/null | sed -n '5,25p'
fi
