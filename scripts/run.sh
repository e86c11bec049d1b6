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
# Only what the run needs (the whole tree with its tests is scripts/test.sh).
cmake --build "$build" -j"$(nproc)" \
    --target infotaulu-server infotaulu-player taulu-freeport
mkdir -p "$run"

pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
}
# Ctrl-C or a SIGTERM ends the script at once (the waits below are
# interruptible), and leaving it stops everything it started.
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A free TCP port on loopback: ask the kernel for one (bind to port 0).
free_port() {
    "$build/tests/support/taulu-freeport" 2>/dev/null && return
    echo "run: cannot find a free port" >&2
    exit 1
}

server="$build/content-server/infotaulu-server"
player="$build/player/infotaulu-player"
[ -x "$server" ] || { echo "run: the content server is not built" >&2; exit 1; }

# 1. The broker, reading the password and ACL files the server writes.
mkdir -p "$run/broker" "$run/data"
: >"$run/broker/passwd"
: >"$run/broker/acl"
mqtt_port=$(free_port)
cat >"$run/broker/mosquitto.conf" <<CONF
listener $mqtt_port 127.0.0.1
allow_anonymous false
use_username_as_clientid true
password_file $run/broker/passwd
acl_file $run/broker/acl
pid_file $run/broker/mosquitto.pid
persistence false
$( [ "$(id -u)" = 0 ] && echo "user root" )
CONF
/usr/sbin/mosquitto -c "$run/broker/mosquitto.conf" >"$run/broker/log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do [ -s "$run/broker/mosquitto.pid" ] && break; sleep 0.1; done

# 2. The content server with demo content; one player config per screen.
# The web UI and the fonts are this source tree's, given explicitly (an
# installed server finds its own under <datadir>/infotaulu).
rm -f "$run/port"
"$server" --data-dir "$run/data" --demo --port 0 --port-file "$run/port" \
    --web-root "$root/content-server/web" --font-dir "$root/fonts" \
    --player-config-out "$run/players" \
    --mqtt-host 127.0.0.1 --mqtt-port "$mqtt_port" \
    --broker-passwd "$run/broker/passwd" --broker-acl "$run/broker/acl" \
    --broker-pid-file "$run/broker/mosquitto.pid" \
    >"$run/server.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do
    [ -s "$run/port" ] && [ -s "$run/players/screen-1.conf" ] && break
    sleep 0.1
done
[ -s "$run/port" ] || { echo "run: the server did not start (see $run/server.log)" >&2; exit 1; }
port=$(cat "$run/port")
echo "run: content server http://127.0.0.1:$port/ (sign-in: $run/data/demo-login.txt)"
echo "run: broker 127.0.0.1:$mqtt_port; player configs in $run/players"

# 3. A player for the first demo screen, syncing over MQTT and HTTP like a
# real screen. The demo ignores the centre's opening hours (a real screen
# goes dark while the centre is closed), so the demo shows content at any
# hour; drop --closed_behaviour to see the real behaviour.
if [ ! -x "$player" ]; then
    echo "run: the player is not built in this version; server and broker run."
elif [ $headless = 0 ] && { [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; }; then
    "$player" --config "$run/players/screen-1.conf" --window=windowed \
        --font_dir="$root/fonts" --closed_behaviour=ignore >"$run/player.log" 2>&1 &
    pids+=($!)
    echo "run: player window for screen-1 (log: $run/player.log)"
else
    # No display: the same player loop, headless, writing a PNG at every
    # change of card into run/frames/.
    rm -rf "$run/frames"
    mkdir -p "$run/frames"
    frame_seconds=$([ "$seconds" -gt 0 ] && echo "$seconds" || echo 31536000)
    "$player" --config "$run/players/screen-1.conf" --headless \
        --frames "$run/frames" --seconds "$frame_seconds" \
        --font_dir="$root/fonts" --closed_behaviour=ignore >"$run/player.log" 2>&1 &
    pids+=($!)
    echo "run: headless player for screen-1: a PNG at each card change in $run/frames (log: $run/player.log)"
fi

if [ "$seconds" -gt 0 ]; then
    sleep "$seconds" &
    pids+=($!)
    wait $!
else
    echo "run: Ctrl-C stops everything"
    wait
fi
