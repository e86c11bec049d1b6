#!/usr/bin/env bash
# Browser tests of the web UI. Starts the real server binary on a free
# loopback port with a fresh data dir and the web root, creates the first
# coordinator with --create-coordinator, seeds centres, organisations,
# users and screens through the API, then runs the tests (node:test) in
# Debian's headless Chromium. Screenshots go to OUT/screenshots.
#
#   tests/e2e/run.sh [SERVER_BIN] [SOURCE_DIR] [OUT_DIR]
#   TAULU_E2E_FILES=test_ui.mjs tests/e2e/run.sh ...   # only that file
#
# Exits 77 (CTest: skipped) when there is no Chromium or no Node.js.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=${2:-$(cd "$here/../.." && pwd)}
bin=${1:-$src/build/content-server/infotaulu-server}
out=${3:-$src/build/tests/e2e}
chromium=${TAULU_CHROMIUM:-/usr/bin/chromium}

command -v node >/dev/null 2>&1 || { echo "e2e: no node; skipped" >&2; exit 77; }
[ -x "$chromium" ] || { echo "e2e: no $chromium (scripts/deps.sh --with-browser); skipped" >&2; exit 77; }
[ -x "$bin" ] || { echo "e2e: no server binary $bin" >&2; exit 1; }
mkdir -p "$out"
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
src=$(cd "$src" && pwd)
out=$(cd "$out" && pwd)

cd "$here"
if [ ! -d node_modules/playwright-core ] || [ ! -d node_modules/axe-core ]; then
    npm ci --no-audit --no-fund --loglevel=error
fi

mkdir -p "$out"
work=$(mktemp -d "${TMPDIR:-/tmp}/taulu-e2e.XXXXXX")
server_pid=""
cleanup() {
    if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
        kill "$server_pid"
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

# One attempt: a fresh data dir, server and seed, then every test file.
attempt() {
    local work="$1"
    mkdir -p "$work"
    coord_email=anna@pohde.fi
    coord_password=koordinaattori-e2e-$$
    mkdir -p "$work/data"
    printf '%s\n' "$coord_password" |
        "$bin" --data-dir "$work/data" --create-coordinator "$coord_email" --name "Anna Koordinaattori" >/dev/null

    "$bin" --data-dir "$work/data" --listen 127.0.0.1 --port 0 --port-file "$work/port" \
        --web-root "$src/content-server/web" --log-level warning >"$out/server.log" 2>&1 &
    server_pid=$!
    for _ in $(seq 1 100); do
        [ -s "$work/port" ] && break
        sleep 0.1
    done
    [ -s "$work/port" ] || { echo "e2e: the server did not start" >&2; cat "$out/server.log" >&2; exit 1; }
    base="http://127.0.0.1:$(tr -d '[:space:]' <"$work/port")"
    curl -fsS "$base/healthz" >/dev/null 2>&1 || sleep 0.5

    node lib/seed-cli.mjs "$base" "$coord_email" "$coord_password" "$work/world.json"

    rm -rf "$out/screenshots"
    export TAULU_E2E_BASE="$base" TAULU_E2E_WORLD="$work/world.json" \
        TAULU_E2E_SHOTS="$out/screenshots" TAULU_E2E_SRC="$src" \
        TAULU_E2E_COORD_EMAIL="$coord_email" TAULU_E2E_COORD_PASSWORD="$coord_password"
    # test_flow.mjs starts its own broker, server and player (lib/system.mjs).
    export TAULU_E2E_OUT="$out" TAULU_E2E_SERVER_BIN="$bin" \
        TAULU_E2E_PLAYER="${TAULU_E2E_PLAYER:-$(dirname "$bin")/../player/infotaulu-player}"
    local rc=0
    # TAULU_E2E_FILES: some of the files (e.g. test_ui.mjs), to run one
    # again and again; they share this server and seed.
    # shellcheck disable=SC2086 # a list of file names
    node --test --test-concurrency=1 --test-reporter=spec ${TAULU_E2E_FILES:-test_*.mjs} || rc=$?
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
    return $rc
}

# One attempt, no retry: a test that fails now and then has a cause to
# find, and a retry hides it (one hid a button that moved under the
# pointer, and a test that read the page before its answer had come).
attempt "$work/1"
