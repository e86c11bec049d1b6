#!/usr/bin/env bash
# bench/player/run.sh: infotaulu-player beside the Chromium kiosk baseline.
#
# Copies ../shared/bench/browser-baseline (beside the repository; BASELINE
# overrides) to a scratch directory, makes its 1280x720 JPEG with the
# player's own libraries (mkimage.c: SDL2_image and SDL2_ttf, no image
# tool), turns its eight cards (gen_assets.py -> cards.h) into a signed
# manifest in a warm player cache (mkmanifest.c), adds the player as a
# variant "player" of the
# baseline's run_one.py (the same sampler: PSS and CPU of the process tree,
# first paint, Xvfb 1920x1080, loopback-only network namespace), runs it in
# the same measure.sh call as "kiosk", and prints PSS MiB, CPU % and first
# frame ms of both with the ratios.
#
#   bench/player/run.sh                 REPS=1 WINDOW=30 by default here
#   REPS=3 WINDOW=60 bench/player/run.sh
#   SMOKE=1 bench/player/run.sh         the player only, 2 s + 3 s, no
#                                       Chromium (the CTest bench-smoke)
#
# Every tool comes from scripts/debian-packages*.txt: the full run first
# runs scripts/deps.sh --with-browser (Chromium) and tells measure.sh not
# to install anything itself (its own list names ImageMagick, which the
# JPEG no longer needs; without ImageMagick's `import` the sampler skips
# its screenshot, which is no figure).
#
# Knobs: REPS, WINDOW, WARMUP (as measure.sh), BUILD (the build directory,
# default build/), KEEP=1 keeps the scratch directory, PLAYER_WINDOW
# (borderless, the default: Xvfb has no window manager, the same reason the
# baseline gives Chromium --window-position/--window-size; or fullscreen).
# The player's first frame is its FIRSTPRESENT line (epoch ms after its
# first SDL_RenderPresent, like sdl_ref's); Chromium's is the screen poll.
# Our clock has no seconds (accessibility) while the page's does, and our
# cards stay as long as their text needs (8-60 s) instead of 10 s: both
# make the player's CPU figure lower than with the page's behaviour.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
baseline=${BASELINE:-$root/../shared/bench/browser-baseline}
[ -f "$baseline/run_one.py" ] || {
    echo "bench: no browser baseline at $baseline (set BASELINE)" >&2
    exit 2
}
build=${BUILD:-$root/build}
REPS=${REPS:-1}
WINDOW=${WINDOW:-30}
WARMUP=${WARMUP:-15}
SMOKE=${SMOKE:-0}
PLAYER_WINDOW=${PLAYER_WINDOW:-borderless}

[ "$SMOKE" = 1 ] || "$root/scripts/deps.sh" --with-browser
player="$build/player/infotaulu-player"
mkimage="$build/bench/player/bench_mkimage"
[ -f "$build/CMakeCache.txt" ] || cmake -S "$root" -B "$build" >/dev/null
# (up to date after a full build: then this only checks)
cmake --build "$build" -j"$(nproc)" \
    --target infotaulu-player taulu_common bench_mkimage >/dev/null

scratch=$(mktemp -d /tmp/infotaulu-bench-XXXXXX)
cleanup() {
    if [ "${KEEP:-0}" = 1 ]; then
        echo "kept $scratch" >&2
    else
        rm -rf "$scratch"
    fi
}
trap cleanup EXIT
cp -r "$baseline/." "$scratch/bb"
chmod -R u+w "$scratch/bb"
bb="$scratch/bb"

# ---- the same content for all: page, cards.h, the 1280x720 JPEG
python3 "$bb/gen_assets.py"
[ -f "$bb/page/image.jpg" ] ||
    "$mkimage" "$bb/page/image.jpg" "$root/fonts/DejaVuSans-Bold.ttf"

# ---- the eight cards as a signed manifest in a warm cache
mkdir -p "$bb/infotaulu"
gcc -O2 -Wall -D_DEFAULT_SOURCE -I "$root/common" -I "$bb" \
    -o "$bb/infotaulu/mkmanifest" "$root/bench/player/mkmanifest.c" \
    "$build/common/libtaulu_common.a" $(pkg-config --libs libsodium libcjson) -lm
"$bb/infotaulu/mkmanifest" "$bb/infotaulu" "$bb/page/image.jpg"
# (warm: one headless shot reads the fonts and the cache into the page cache)
"$player" --headless --manifest "$bb/infotaulu/manifest.signed" \
    --server_pk_file="$bb/infotaulu/server.pub" \
    --out "$bb/infotaulu/preview.png" >/dev/null 2>&1 || true

# ---- "player" as a variant of run_one.py
export PLAYER_CMD
PLAYER_CMD=$(python3 -c 'import json,sys; print(json.dumps(sys.argv[1:]))' \
    "$player" --cache_dir="$bb/infotaulu/cache" \
    --server_pk_file="$bb/infotaulu/server.pub" --screen_id=bench-1 \
    --window="$PLAYER_WINDOW" --log_level=notice)
export INFOTAULU_FIRSTPRESENT=1
python3 - "$bb/run_one.py" "$bb/summarize.py" "$bb/measure.sh" <<'EOF'
import sys
p = sys.argv[1]
s = open(p).read()
s = s.replace('choices=["kiosk", "headless", "sdl", "sdl-fast", "sdl-cont", "sdl-gl"]',
              'choices=["kiosk", "headless", "sdl", "sdl-fast", "sdl-cont", "sdl-gl", "player"]')
s = s.replace('''    else:
        cmd = [os.path.join(HERE, "sdl_ref"), "--assets=" + os.path.join(HERE, "page")]''',
              '''    elif a.variant == "player":
        # infotaulu-player from its warm cache (bench/player/run.sh)
        cmd = json.loads(os.environ["PLAYER_CMD"])
    else:
        cmd = [os.path.join(HERE, "sdl_ref"), "--assets=" + os.path.join(HERE, "page")]''')
assert '"player"' in s and 'PLAYER_CMD' in s, "run_one.py changed: cannot add the player"
# The screenshot after the window is ImageMagick's `import`: skipped
# without it (it is a picture for the eye, not a figure).
s = s.replace('    if uses_x and not a.no_shot:',
              '    if uses_x and not a.no_shot and shutil.which("import"):')
open(p, "w").write(s)
q = sys.argv[2]
t = open(q).read()
t = t.replace('ORDER = ["kiosk", "headless", "sdl", "sdl-fast", "sdl-cont", "sdl-gl"]',
              'ORDER = ["kiosk", "headless", "sdl", "sdl-fast", "sdl-cont", "sdl-gl", "player"]')
t = t.replace('LABEL = {', 'LABEL = {"player": "infotaulu-player", ', 1)
open(q, "w").write(t)
# measure.sh checks its own package list (with ImageMagick, not needed
# now); run with INSTALL=0 it installs nothing outside ours.
m = sys.argv[3]
u = open(m).read()
u2 = u.replace("PKGS=\"xvfb chromium procps imagemagick ", "PKGS=\"xvfb chromium procps ")
assert u2 != u, "measure.sh changed: cannot drop ImageMagick from its list"
open(m, "w").write(u2)
EOF

if [ "$SMOKE" = 1 ]; then
    # The player alone, briefly: the sampler works with it and it paints.
    disp=""
    for n in $(seq 98 -1 80); do
        if [ ! -e "/tmp/.X$n-lock" ] && [ ! -e "/tmp/.X11-unix/X$n" ]; then disp=":$n"; break; fi
    done
    gcc -O2 -Wall -o "$bb/xpoll" "$bb/xpoll.c" -lX11
    python3 "$bb/run_one.py" --variant player --out "$scratch/smoke" \
        --display "$disp" --warmup 2 --window 3 --no-shot --no-fade
    python3 - "$scratch/smoke/result.json" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
assert r["ttfp_ms_sdl_present"] is not None, "no first frame"
assert 0 < r["pss_mb_mean"] < 200, r["pss_mb_mean"]
print("smoke ok: PSS %.1f MiB, first frame %.0f ms" % (r["pss_mb_mean"], r["ttfp_ms_sdl_present"]))
EOF
    exit 0
fi

# ---- kiosk and player in one measure.sh call (interleaved, same machine)
(cd "$bb" && REPS=$REPS WINDOW=$WINDOW WARMUP=$WARMUP VARIANTS="kiosk player" \
    INSTALL=0 ./measure.sh) | tee "$scratch/measure.log"
res=$(ls -d "$bb"/results/*/ | tail -1)
python3 - "$res" <<'EOF'
import glob, json, os, statistics, sys
res = sys.argv[1]
runs = {}
for f in sorted(glob.glob(os.path.join(res, "run-*", "result.json"))):
    r = json.load(open(f))
    runs.setdefault(r["variant"], []).append(r)
def med(v, key):
    xs = [x for x in (key(r) for r in runs.get(v, [])) if x is not None]
    return statistics.median(xs) if xs else None
def first(r):
    if r["variant"] == "player":
        return r["ttfp_ms_sdl_present"]
    return r["ttfp_ms_screen_title"] or r["ttfp_ms_fcp"]
rows = {}
for v in ("kiosk", "player"):
    rows[v] = (med(v, lambda r: r["pss_mb_mean"]), med(v, lambda r: r["cpu_pct"]),
               med(v, first), len(runs.get(v, [])))
print()
print("| | PSS MiB | CPU % | first frame ms | runs |")
print("|---|---|---|---|---|")
for v, name in (("kiosk", "Chromium --kiosk"), ("player", "infotaulu-player")):
    p, c, t, n = rows[v]
    print("| %s | %s | %s | %s | %d |" % (name, "%.1f" % p if p else "-", "%.2f" % c if c is not None else "-",
                                          "%.0f" % t if t else "-", n))
k, pl = rows["kiosk"], rows["player"]
def ratio(a, b):
    return "1/%.1f" % (a / b) if a and b else "-"
print("| ratio player/Chromium | %s (goal 1/12) | %s (goal 1/10) | %s (goal 1/7) | |" % (
    ratio(k[0], pl[0]), ratio(k[1], pl[1]), ratio(k[2], pl[2])))
print()
print("results: " + res)
EOF
if [ "${KEEP:-0}" != 1 ]; then
    mkdir -p "$root/bench/player/results"
    cp -r "$res" "$root/bench/player/results/" 2>/dev/null || true
fi
