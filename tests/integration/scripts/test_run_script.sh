#!/usr/bin/env bash
# test_run_script.sh SOURCE_DIR: the README's `scripts/run.sh`, run the way
# a newcomer runs it, on a copy of the source tree (so that nothing of a
# build directory, run/ or an installed copy helps it):
#
#   scripts/run.sh --headless --seconds N
#
# It must install what is missing (scripts/deps.sh), build, and print the
# server's address; at that address GET / must serve the
# web UI's sign-in page, the demo coordinator of run/data/demo-login.txt
# must sign in through the JSON API (docs/api.md: POST /api/v1/login, then
# GET /api/v1/me with the session cookie), and the headless player must
# write a valid PNG of screen-1's registered size into run/frames/. A
# SIGTERM then stops run.sh and everything it started.
#
# Label integration; it builds the two programs in the copy (about a
# minute on two busy cores).
set -euo pipefail
src=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
limit_start=${TAULU_RUN_TEST_START_LIMIT:-240} # s until the address shows

tmp=$(mktemp -d "${TMPDIR:-/tmp}/taulu-run-script-XXXXXX")
copy="$tmp/src"
runpid=""
cleanup() {
    if [ -n "$runpid" ] && kill -0 "$runpid" 2>/dev/null; then
        # run.sh leads its own process group (setsid below): the build or
        # anything it started goes with it.
        kill -TERM -- "-$runpid" 2>/dev/null || true
        sleep 1
        kill -KILL -- "-$runpid" 2>/dev/null || true
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT
fail() {
    echo "FAIL: $*" >&2
    for f in "$tmp/run.out" "$copy/run/server.log" "$copy/run/player.log"; do
        [ -f "$f" ] && { echo "--- $f (end)" >&2; tail -n 30 "$f" >&2; }
    done
    exit 1
}

# 1. The copy: the files git knows in the working tree (tracked or new,
# not ignored), or without git the tree minus build output.
mkdir -p "$copy"
if git -C "$src" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    (cd "$src" && git ls-files -z --cached --others --exclude-standard |
        while IFS= read -r -d '' f; do
            [ -e "$f" ] && printf '%s\0' "$f"
        done | tar --null -T - -cf -) | tar -C "$copy" -xf -
else
    tar -C "$src" --exclude='./build*' --exclude=./run \
        --exclude=./node_modules --exclude=./tests/e2e/node_modules \
        -cf - . | tar -C "$copy" -xf -
fi
[ -x "$copy/scripts/run.sh" ] || fail "the copy has no scripts/run.sh"
[ ! -e "$copy/build" ] || fail "the copy has a build directory"

# 2. run.sh as the README says, in its own process group; the environment
# of this test (TAULU_BUILD_DIR, DISPLAY, ...) is not the newcomer's.
t0=$(date +%s)
: >"$tmp/run.out" # exists before run.sh writes to it: polled below
(cd "$copy" && exec env -u TAULU_BUILD_DIR -u TAULU_RUN_DIR -u DISPLAY \
    -u WAYLAND_DISPLAY setsid scripts/run.sh --headless --seconds 600 \
    >"$tmp/run.out" 2>&1) &
runpid=$!

url=""
while [ -z "$url" ]; do
    kill -0 "$runpid" 2>/dev/null || fail "run.sh ended before the address"
    [ $(($(date +%s) - t0)) -lt "$limit_start" ] ||
        fail "no address after $limit_start s"
    url=$(sed -n 's|^run: content server \(http://127\.0\.0\.1:[0-9][0-9]*\).*|\1|p' \
        "$tmp/run.out" | head -n 1)
    [ -n "$url" ] || sleep 0.5
done
echo "address after $(($(date +%s) - t0)) s: $url"
if grep -q '^deps: installing' "$tmp/run.out"; then
    echo "note: scripts/deps.sh installed: $(sed -n 's/^deps: installing://p' "$tmp/run.out")"
fi

# 3. The sign-in page at /.
code=$(curl -s -o "$tmp/index.html" -w '%{http_code} %{content_type}' "$url/")
case "$code" in
"200 text/html"*) ;;
*) fail "GET / answered $code" ;;
esac
grep -q '<title data-i18n="title.signin">Infotaulu</title>' "$tmp/index.html" ||
    fail "GET / is not the sign-in page"
grep -q 'js/page-signin.js' "$tmp/index.html" || fail "no sign-in script"
code=$(curl -s -o /dev/null -w '%{http_code}' "$url/js/page-signin.js")
[ "$code" = 200 ] || fail "GET /js/page-signin.js answered $code"
grep -q 'no web UI' "$copy/run/server.log" && fail "the server warned of no web UI"

# 4. The demo coordinator signs in through the JSON API.
login="$copy/run/data/demo-login.txt"
[ -s "$login" ] || fail "no $login"
body=$(python3 - "$login" <<'EOF'
import json, sys
kv = dict(l.split(": ", 1) for l in open(sys.argv[1]).read().splitlines() if ": " in l)
print(json.dumps({"email": kv["email"], "password": kv["password"]}))
EOF
)
code=$(curl -s -c "$tmp/jar" -o "$tmp/login.json" -w '%{http_code}' \
    -H 'Content-Type: application/json' --data-binary "$body" \
    "$url/api/v1/login")
[ "$code" = 200 ] || fail "POST /api/v1/login answered $code: $(cat "$tmp/login.json")"
grep -q 'taulu_session' "$tmp/jar" || fail "no session cookie"
code=$(curl -s -b "$tmp/jar" -o "$tmp/me.json" -w '%{http_code}' "$url/api/v1/me")
[ "$code" = 200 ] || fail "GET /api/v1/me answered $code"
code=$(curl -s -b "$tmp/jar" -o "$tmp/screen.json" -w '%{http_code}' \
    "$url/api/v1/screens/1")
[ "$code" = 200 ] || fail "GET /api/v1/screens/1 answered $code"
read -r email coord w h < <(python3 - "$login" "$tmp/me.json" "$tmp/screen.json" <<'EOF'
import json, sys
me = json.load(open(sys.argv[2]))["user"]
s = json.load(open(sys.argv[3]))
s = s.get("screen", s)
print(me["email"], int(bool(me["coordinator"])), s["width_px"], s["height_px"])
EOF
)
grep -q "^email: $email\$" "$login" || fail "signed in as $email, not the demo's"
[ "$coord" = 1 ] || fail "$email is not a coordinator"

# 5. A frame of screen-1 from the headless player.
frame=""
for _ in $(seq 120); do
    frame=$(find "$copy/run/frames" -name '*.png' -size +0 2>/dev/null |
        sort | head -n 1)
    [ -n "$frame" ] && break
    kill -0 "$runpid" 2>/dev/null || fail "run.sh ended before a frame"
    sleep 0.5
done
[ -n "$frame" ] || fail "no PNG in run/frames after 60 s"
sleep 0.5 # the player writes a frame whole (rename), but let it settle
python3 "$here/pngcheck.py" "$frame" "$w" "$h" || fail "bad frame $frame"
echo "frame ${w}x${h}: $(basename "$frame") after $(($(date +%s) - t0)) s"

# 6. SIGTERM stops run.sh and what it started.
kill -TERM "$runpid"
for _ in $(seq 50); do
    kill -0 "$runpid" 2>/dev/null || break
    sleep 0.2
done
kill -0 "$runpid" 2>/dev/null && fail "run.sh did not stop on SIGTERM"
wait "$runpid" 2>/dev/null || true
runpid=""
if curl -s -o /dev/null --max-time 2 "$url/healthz"; then
    fail "the server still answers after run.sh stopped"
fi
echo "ok: scripts/run.sh from a fresh copy in $(($(date +%s) - t0)) s"
