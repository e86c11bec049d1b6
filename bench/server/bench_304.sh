#!/usr/bin/env bash
# Conditional manifest GET (304) with screen authentication: the content
# server's real route against the bare libmicrohttpd floor
# (../shared/bench/http-floor/floor.c beside the repository, or
# TAULU_FLOOR_SRC), same machine, same load generator,
# same run. Prints both figures and the ratio. Goal: >= 10,000 requests/s.
#
#   bench/server/bench_304.sh [BUILD_DIR] [SECONDS]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-${TAULU_BUILD_DIR:-$root/build}}
secs=${2:-10}
floor_src=${TAULU_FLOOR_SRC:-$root/../shared/bench/http-floor/floor.c}
server="$build/content-server/infotaulu-server"
freeport="$build/tests/support/taulu-freeport"

command -v wrk >/dev/null || { echo "bench_304: wrk is not installed" >&2; exit 2; }
[ -x "$server" ] || { echo "bench_304: build first ($server)" >&2; exit 2; }
[ -f "$floor_src" ] || { echo "bench_304: no floor at $floor_src" >&2; exit 2; }

tmp=$(mktemp -d)
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$tmp"
}
trap cleanup EXIT

# Our server with the demo content (screens with tokens, signed manifests).
"$server" --data-dir "$tmp/data" --demo --port 0 --port-file "$tmp/port" \
    --player-config-out "$tmp/players" --log-level warning \
    >"$tmp/server.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do [ -s "$tmp/port" ] && [ -s "$tmp/players/screen-1.conf" ] && break; sleep 0.1; done
port=$(cat "$tmp/port")
token=$(sed -n 's/^screen_token = //p' "$tmp/players/screen-1.conf")
url="http://127.0.0.1:$port/api/v1/screens/screen-1/manifest"
etag=$(curl -s -D - -o /dev/null -H "Authorization: Bearer $token" "$url" |
       sed -n 's/^ETag: *//Ip' | tr -d '\r')
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" \
       -H "If-None-Match: $etag" "$url")
[ "$code" = 304 ] || { echo "bench_304: expected 304, got $code" >&2; exit 1; }

run_wrk() { # url, header...
    local u=$1; shift
    local args=()
    for h in "$@"; do args+=(-H "$h"); done
    wrk -t1 -c50 -d"${secs}s" "${args[@]}" "$u" | tee -a "$tmp/wrk.txt" |
        awk '/Requests\/sec/ {print $2}'
}

cc -O2 "$floor_src" -o "$tmp/floor" -lmicrohttpd
fport=$("$freeport")
"$tmp/floor" "$fport" 2 $((4 * secs + 30)) &
pids+=($!)
sleep 0.5

# Alternate floor and ours twice and keep the better run of each, so a
# burst of other load on the machine does not decide the ratio.
best() { awk -v a="$1" -v b="$2" 'BEGIN { print (a > b ? a : b) }'; }
f1=$(run_wrk "http://127.0.0.1:$fport/x" 'If-None-Match: "v42"')
o1=$(run_wrk "$url" "Authorization: Bearer $token" "If-None-Match: $etag")
f2=$(run_wrk "http://127.0.0.1:$fport/x" 'If-None-Match: "v42"')
o2=$(run_wrk "$url" "Authorization: Bearer $token" "If-None-Match: $etag")
floor=$(best "$f1" "$f2")
ours=$(best "$o1" "$o2")
echo "runs: floor $f1 $f2; ours $o1 $o2 (req/s)"
# Still 304 after the load (nothing degraded into 200s or errors).
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" \
       -H "If-None-Match: $etag" "$url")
[ "$code" = 304 ] || { echo "bench_304: after load got $code" >&2; exit 1; }

grep -E 'Latency|Non-2xx|Socket errors' "$tmp/wrk.txt" | sed 's/^/  /'
awk -v o="$ours" -v f="$floor" 'BEGIN {
    printf "manifest 304 (screen auth): %10.0f req/s\n", o
    printf "http floor (bare MHD):      %10.0f req/s\n", f
    printf "ratio ours/floor:           %10.2f\n", o / f
    printf "goal >= 10000 req/s:        %s\n", (o >= 10000 ? "met" : "NOT met")
}'
